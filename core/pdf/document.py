"""The report as a ReportLab story, on GB/T 9704-2012 pages.

Page: A4, top margin 37 mm, left 28 mm, text block 156 × 225 mm, 22 lines of 28 characters. Title in
二号 (22 pt), body in 三号 (16 pt), page numbers in 四号 (14 pt) at the outside of the foot.
Every word comes from the format data (``2021.json``) or the print data (``2021-print.json``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, PageTemplate

from core.model import Report
from core.pdf.fonts import FontChooser
from core.pdf.layout import Cell, Closing, Gap, Grid, GridTable, KeepTail, SignOffLine, TextBlock, draw_runs
from core.pdf.linebreak import Line, balanced_lines
from core.pdf.printdata import closing_layout, format_date, format_value, label_breaks, paragraphs, print_data
from core.publish.closing import closing_rows, unit_breaks, unit_room
from core.publish.grids import TableGrid, build_grid

PAGE_W, PAGE_H = A4
LEFT, TOP = 28 * mm, 37 * mm
BLOCK_W, BLOCK_H = 156 * mm, 225 * mm
LINES, CHARS = 22, 28
BODY_SIZE, TITLE_SIZE, FOLIO_SIZE = 16.0, 22.0, 14.0
LEADING = BLOCK_H / LINES  # 28.99 pt: 22 lines fill the text block exactly
TRACKING = BLOCK_W / CHARS - BODY_SIZE  # 28 full-width characters fill a line exactly
INDENT = 2 * (BODY_SIZE + TRACKING)
TABLE_SIZE, TABLE_LEADING = 9.5, 12.0
# Figures are set in one size per table, never below this (issue 12: 5–6 pt figures beside 9.5 pt).
MIN_NUMBER_SIZE = 7.5

# Imported from here by the window and the tests; they live in the light ``printdata``.
__all__ = ["Story", "build", "format_date", "format_value", "label_breaks", "paragraphs", "print_data"]


@dataclass
class Built:
    pdf: bytes
    pages: int
    chooser: FontChooser


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, *, draft: bool, chooser: FontChooser, **kw: Any) -> None:
        super().__init__(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=PAGE_W - LEFT - BLOCK_W,
                         topMargin=TOP, bottomMargin=PAGE_H - TOP - BLOCK_H, **kw)
        self.draft = draft
        self.chooser = chooser
        self.pages = 0
        frame = Frame(LEFT, PAGE_H - TOP - BLOCK_H, BLOCK_W, BLOCK_H, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.draft_note = ""
        # Page number and draft mark are drawn when the page ends, so they follow the body in the
        # content stream: copying a page or reading it aloud gives the report first.
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=self._decorate)])

    def beforeDocument(self) -> None:
        self.canv.setViewerPreference("DisplayDocTitle", "true")

    def _decorate(self, canv: Any, doc: Any) -> None:
        data = print_data()
        furniture = data["page_furniture"]
        n = canv.getPageNumber()
        self.pages = max(self.pages, n)
        folio = furniture["page_number"].format(n=n)
        size = float(furniture["page_number_size_pt"])
        width = sum(self.chooser.char_width("folio", ch, size) for ch in folio)
        # GB/T 9704 7.5: the top of the page number's glyphs 7 mm under the text block.
        ascent = self.chooser.ascent("folio", folio) * size
        y = PAGE_H - TOP - BLOCK_H - float(furniture["page_number_below_block_mm"]) * mm - ascent
        inset = float(furniture["page_number_inset_chars"]) * size
        # Odd pages right, even pages left, each one character in from the text block's edge.
        if n % 2 or not furniture.get("page_number_outside", True):
            x = LEFT + BLOCK_W - inset - width
        else:
            x = LEFT + inset
        draw_runs(canv, self.chooser, "folio", folio, x, y, size)
        if self.draft:
            self._draft_mark(canv, data)

    def _draft_mark(self, canv: Any, data: dict[str, Any]) -> None:
        canv.saveState()
        mark = data["draft_mark"]
        size = 120
        # Drawn over the text (it follows it in the content order), so translucent.
        canv.setFillColorRGB(0.55, 0.55, 0.55, alpha=0.3)
        canv.translate(PAGE_W / 2, PAGE_H / 2)
        canv.rotate(35)
        width = sum(self.chooser.char_width("heading1", ch, size) for ch in mark)
        draw_runs(canv, self.chooser, "heading1", mark, -width / 2, -size * 0.38, size)
        canv.restoreState()
        canv.saveState()
        canv.setFillColorRGB(0.75, 0.1, 0.1)
        note = self.draft_note or data["draft_note"]
        width = sum(self.chooser.char_width("heading1", ch, 10.5) for ch in note)
        draw_runs(canv, self.chooser, "heading1", note, (PAGE_W - width) / 2, PAGE_H - TOP / 2, 10.5)
        canv.restoreState()


class Story:
    """Builds the flowables of one report."""

    def __init__(self, report: Report, chooser: FontChooser, *, sign_off: bool) -> None:
        self.breaks = label_breaks(report.template.id)
        self.report = report
        self.tpl = report.template
        self.chooser = chooser
        self.sign_off = sign_off
        self.totals = report.totals()
        self.data = print_data(self.tpl.id)

    def value(self, ref: str) -> str:
        if ref in self.report.values:
            return format_value(self.report.values[ref])
        return format_value(self.totals.get(ref, 0))

    # -- prose -----------------------------------------------------------------------------------

    def body(self, text: str) -> TextBlock:
        return TextBlock(text, self.chooser, role="body", size=BODY_SIZE, leading=LEADING,
                         indent=INDENT, tracking=TRACKING)

    def heading(self, text: str, role: str) -> TextBlock:
        return TextBlock(text, self.chooser, role=role, size=BODY_SIZE, leading=LEADING,
                         indent=INDENT, tracking=TRACKING, align="left")

    def flowables(self) -> list[Flowable]:
        story: list[Flowable] = [self.title(), Gap(LEADING)]
        last_text = max((i for i, s in enumerate(self.tpl.sections) if s.kind == "text"), default=-1)
        tail: list[Flowable] = []
        for index, section in enumerate(self.tpl.sections):
            if section.kind == "table":
                # Heading and table move together when the table fits a page; a longer table
                # starts under its heading and continues, header repeated, on the next page.
                story.append(CondPageBreak(LEADING * 4))
                story.append(KeepTogether([self.heading(section.heading, "heading1"),
                                           Gap(LEADING * 0.25, snap=False), self.table(section.table or "")]))
                # Back onto the 22-line grid after the table; nothing at the top of a page.
                story.append(Gap(LEADING * 0.5, grid=LEADING))
                continue
            # A heading never ends a page: it needs room for itself, a sub-heading and two lines.
            first_part = section.parts[0] if section.parts else None
            story.append(CondPageBreak(LEADING * (4 if first_part and first_part.heading else 3)))
            blocks: list[Flowable] = [self.heading(section.heading, "heading1")]
            for k, part in enumerate(section.parts):
                if part.heading:
                    if k:
                        blocks.append(CondPageBreak(LEADING * 3))
                    blocks.append(self.heading(part.heading, "heading2"))
                for para in paragraphs(self.report.texts.get(part.ref, "")):
                    blocks.append(self.body(para))
            if index == last_text:
                tail = blocks
            else:
                story += blocks
        # The 落款 stays with the end of the text (GB/T 9704 7.3.5): the last section and the
        # closing split together, so a page break pulls text lines over with it.
        story.append(KeepTail([b for b in tail if isinstance(b, TextBlock)], self.closing()))
        return story

    def title(self) -> Flowable:
        """二号 title, centred; a long one breaks after the unit's name when both parts fit a line."""
        title, unit = self.report.effective_title, self.report.unit
        # One body line per title line keeps the text under it on the page's 22-line grid.
        block = TextBlock(title, self.chooser, role="title", size=TITLE_SIZE, leading=LEADING,
                          align="center", balanced=True)

        def width(text: str) -> float:
            return sum(self.chooser.char_width("title", ch, TITLE_SIZE) for ch in text)

        if width(title) > BLOCK_W and unit and title.startswith(unit) and title != unit:
            # The unit's name on its own line(s), the rest of the title on the next: never a
            # line that ends inside "政府信息公开" because the unit happened to be long.
            rest = title[len(unit):]
            lines = self._unit_lines(unit, width, BLOCK_W) + balanced_lines(rest, BLOCK_W, width)
            block._lines = [Line(ln.text, ln.width, False) for ln in lines[:-1]] + [lines[-1]]
        return block

    def _unit_lines(self, unit: str, width: Callable[[str], float], max_width: float) -> list[Line]:
        """A unit's name too long for one line, broken between its administrative parts
        (``core.publish.closing.unit_breaks``), else simply balanced."""
        if width(unit) <= max_width:
            return [Line(unit, width(unit), False)]
        parts = unit_breaks(unit, width, max_width, self.data.get("title_break_after", []))
        if parts is None:
            return balanced_lines(unit, max_width, width)
        return [Line(p, width(p), False) for p in parts]

    def closing(self) -> Closing:
        """落款 in the layout GB/T 9704 7.3.5 gives for a sealed (报批用) or an unsealed (website) copy.

        Sealed: the unit centred over the date, the date four characters from the right, two blank
        lines above for the seal. Unsealed: one blank line, the unit two characters from the right,
        the date starting two characters right of the unit. The numbers live in the print data.
        """
        data = self.data
        _name, layout = closing_layout(self.tpl.id, sign_off=self.sign_off)
        day = self.report.published_on or date.today()
        date_text = format_date(day, data["date"])
        char = BODY_SIZE + TRACKING

        def width(text: str) -> float:
            # The last character's tracking is not part of the visible line.
            return sum(self.chooser.char_width("body", ch, BODY_SIZE) + TRACKING for ch in text) - TRACKING

        unit = self.report.unit
        room = unit_room(layout, width(date_text), BLOCK_W, char)
        lines = [ln.text for ln in self._unit_lines(unit, width, room)] if unit else []
        rows = closing_rows(lines, date_text, layout, width=width, block=BLOCK_W, char=char)
        after: list[Flowable] = []
        if self.sign_off:
            items = [(item["label"], float(item["blank"])) for item in data["sign_off"]]
            after = [SignOffLine(items, self.chooser, size=FOLIO_SIZE, leading=LEADING)]
        return Closing(rows, self.chooser, size=BODY_SIZE, leading=LEADING, tracking=TRACKING,
                       blank_lines=float(layout["blank_lines_above"]),
                       min_blank_lines=float(layout["min_blank_lines_above"]), after=after)

    # -- tables ------------------------------------------------------------------------------------

    def table(self, table_id: str) -> Flowable:
        grid = self.grid(table_id)
        grid.page_height = BLOCK_H
        return GridTable(grid, self.chooser)

    def grid(self, table_id: str) -> Grid:
        """The table's cells and spans from the one grid builder (``core.publish.grids``), which the
        Word and web versions use too; the widths and the figure size are the PDF's own, measured."""
        shared = build_grid(self.tpl, table_id, self.value)
        cells = [Cell(c.row, c.col, c.text, rowspan=c.rowspan, colspan=c.colspan, align=c.align, number=c.number)
                 for c in shared.cells]
        return {"table2": self._table2, "table3": self._table3, "table4": self._table4}[table_id](shared, cells)

    def table2(self) -> Grid:
        return self.grid("table2")

    def table3(self) -> Grid:
        return self.grid("table3")

    def table4(self) -> Grid:
        return self.grid("table4")

    def _table2(self, shared: TableGrid, cells: list[Cell]) -> Grid:
        first = BLOCK_W * 0.31
        widths = [first] + [(BLOCK_W - first) / (shared.cols - 1)] * (shared.cols - 1)
        grid = Grid(widths, cells, rows=shared.rows, header_rows=shared.header_rows, size=TABLE_SIZE,
                    leading=TABLE_LEADING, breaks=self.breaks)
        return self._fit_numbers(grid, donors={0: 7 * TABLE_SIZE + 2 * grid.pad_x})

    def _table3(self, shared: TableGrid, cells: list[Cell]) -> Grid:
        rows = self.tpl.tables["table3"]["rows"]
        depth = max(len(r["path"]) for r in rows)
        values = shared.cols - depth
        pad = 2.0
        # Three characters (自然人) per line in a value column; the figures decide the rest.
        value_w = 3 * TABLE_SIZE + 2 * pad + 1
        # Outer label columns as wide as their widest unbreakable word (三、|本年度|…).
        label_ws = [max(n * TABLE_SIZE, self._widest_word([r["path"][lv] for r in rows if len(r["path"]) > lv + 1]))
                    + 2 * pad + 1 for lv, n in zip(range(depth - 1), (2, 4), strict=False)]
        label_ws.append(BLOCK_W - value_w * values - sum(label_ws))
        grid = Grid(label_ws + [value_w] * values, cells, rows=shared.rows, header_rows=shared.header_rows,
                    size=TABLE_SIZE, leading=TABLE_LEADING, pad_x=pad, breaks=self.breaks)
        # The leaf label column gives width to the figures, down to eight characters a line.
        return self._fit_numbers(grid, donors={depth - 1: 8 * TABLE_SIZE + 2 * pad + 1})

    def _table4(self, shared: TableGrid, cells: list[Cell]) -> Grid:
        fields = self.tpl.tables["table4"]["fields"]
        grid = Grid([BLOCK_W / shared.cols] * shared.cols, cells, rows=shared.rows, header_rows=shared.header_rows,
                    size=TABLE_SIZE, leading=TABLE_LEADING, pad_x=2, breaks=self.breaks)
        # Every column holds figures: wide ones borrow from columns whose figures are short.
        narrowest = self._widest_word([f["label"] for f in fields]) + 2 * grid.pad_x
        return self._fit_numbers(grid, donors={c: narrowest for c in range(shared.cols)})

    def _widest_word(self, labels: list[str]) -> float:
        """The widest piece of ``labels`` that may not be broken (the format data's word boundaries)."""
        best = 0.0
        for label in labels:
            cuts = sorted(self.breaks.get(label, frozenset()) | {0, len(label)})
            for a, b in pairwise(cuts):
                best = max(best, sum(self.chooser.char_width("body", ch, TABLE_SIZE) for ch in label[a:b]))
        return best

    def _fit_numbers(self, grid: Grid, *, donors: dict[int, float]) -> Grid:
        """One figure size for the whole table: the text size when every figure fits, else smaller
        but not below ``MIN_NUMBER_SIZE``; columns too narrow even then take width from ``donors``
        (column → the width it may shrink to)."""
        numbers = [c for c in grid.cells if c.number and c.text]
        pad = grid.pad_x

        def text_w(text: str, size: float) -> float:
            return sum(self.chooser.char_width(grid.role, ch, size) for ch in text)

        def cell_w(c: Cell) -> float:
            return sum(grid.widths[c.col:c.col + c.colspan]) - 2 * pad

        size = TABLE_SIZE
        for c in numbers:
            natural = text_w(c.text, TABLE_SIZE)
            if natural > cell_w(c):
                size = min(size, TABLE_SIZE * cell_w(c) / natural)
        size = max(size, MIN_NUMBER_SIZE)
        widths = list(grid.widths)
        # Per column: how much wider its widest figure needs it (negative: room to spare).
        need: dict[int, float] = {}
        for c in numbers:
            last = c.col + c.colspan - 1
            short = text_w(c.text, size) + 0.5 - (sum(widths[c.col:c.col + c.colspan]) - 2 * pad)
            need[last] = max(need.get(last, -1e9), short)
        wanted = sum(v for v in need.values() if v > 0)
        if wanted > 0:
            slack = {d: max(0.0, min(widths[d] - floor, -need.get(d, -1e9))) for d, floor in donors.items()}
            available = sum(slack.values())
            take = min(wanted, available)
            for d, s in slack.items():
                if available > 0:
                    widths[d] -= take * s / available
            for col, v in need.items():
                if v > 0:
                    widths[col] += take * v / wanted
        return replace(grid, widths=widths, number_size=size)


def build(report: Report, *, draft: bool, sign_off: bool, title: str, author: str, subject: str,
          creator: str, draft_note: str = "") -> Built:
    chooser = FontChooser({"folio": print_data(report.template.id)["page_furniture"]["page_number_faces"]})
    buffer = io.BytesIO()
    # The canvas starts in the body face: ReportLab's default Helvetica would be an unembedded font.
    doc = _Doc(buffer, draft=draft, chooser=chooser, title=title, author=author, subject=subject,
               creator=creator, producer=creator, lang="zh-CN",
               initialFontName=chooser.primary("body").name)
    doc.draft_note = draft_note
    doc.build(Story(report, chooser, sign_off=sign_off).flowables())
    return Built(buffer.getvalue(), doc.pages, chooser)
