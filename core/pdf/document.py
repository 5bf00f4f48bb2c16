"""The report as a ReportLab story, on GB/T 9704-2012 pages.

Page: A4, top margin 37 mm, left 28 mm, text block 156 × 225 mm, 22 lines of 28 characters. Title in
二号 (22 pt), body in 三号 (16 pt), page numbers in 四号 (14 pt) at the outside of the foot.
Every word comes from the format data (``2021.json``) or the print data (``2021-print.json``).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import accumulate
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, PageTemplate, Spacer

from core.model import Report
from core.paths import resource_path
from core.pdf.fonts import FontChooser
from core.pdf.layout import Cell, Grid, GridTable, SignOffLine, TextBlock, draw_runs
from core.pdf.linebreak import Line, balanced_lines
from core.template import path_runs

PAGE_W, PAGE_H = A4
LEFT, TOP = 28 * mm, 37 * mm
BLOCK_W, BLOCK_H = 156 * mm, 225 * mm
LINES, CHARS = 22, 28
BODY_SIZE, TITLE_SIZE, FOLIO_SIZE = 16.0, 22.0, 14.0
LEADING = BLOCK_H / LINES  # 28.99 pt: 22 lines fill the text block exactly
TRACKING = BLOCK_W / CHARS - BODY_SIZE  # 28 full-width characters fill a line exactly
INDENT = 2 * (BODY_SIZE + TRACKING)
TABLE_SIZE, TABLE_LEADING = 9.5, 12.0
FOLIO_BELOW = 7 * mm  # GB/T 9704 7.5: the page number sits 7 mm below the text block

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


@cache
def print_data(template_id: str = "2021") -> dict[str, Any]:
    with resource_path("templates", f"{template_id}-print.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def paragraphs(text: str) -> list[str]:
    """The clerk's text as paragraphs: one per line, own indentation and stray controls removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    return [p.strip(" \u3000\u00a0") for p in text.split("\n") if p.strip(" \u3000\u00a0")]


def format_value(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        text = format(value, "f")
        return "0" if value == 0 else text
    return str(value)


def format_date(day: date, pattern: str) -> str:
    return pattern.format(year=day.year, month=day.month, day=day.day)


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
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canv: Any, doc: Any) -> None:
        data = print_data()
        n = canv.getPageNumber()
        self.pages = max(self.pages, n)
        folio = data["page_number"].format(n=n)
        width = sum(self.chooser.char_width("body", ch, FOLIO_SIZE) for ch in folio)
        y = PAGE_H - TOP - BLOCK_H - FOLIO_BELOW - FOLIO_SIZE * 0.76
        # Odd pages right, even pages left, each one character in from the text block's edge.
        if n % 2:
            x = LEFT + BLOCK_W - FOLIO_SIZE - width
        else:
            x = LEFT + FOLIO_SIZE
        draw_runs(canv, self.chooser, "body", folio, x, y, FOLIO_SIZE)
        if self.draft:
            self._draft_mark(canv, data)

    def _draft_mark(self, canv: Any, data: dict[str, Any]) -> None:
        canv.saveState()
        mark = data["draft_mark"]
        size = 120
        canv.setFillGray(0.82)
        canv.translate(PAGE_W / 2, PAGE_H / 2)
        canv.rotate(35)
        width = sum(self.chooser.char_width("heading1", ch, size) for ch in mark)
        draw_runs(canv, self.chooser, "heading1", mark, -width / 2, -size * 0.38, size)
        canv.restoreState()
        canv.saveState()
        canv.setFillColorRGB(0.75, 0.1, 0.1)
        note = data["draft_note"]
        width = sum(self.chooser.char_width("heading1", ch, 10.5) for ch in note)
        draw_runs(canv, self.chooser, "heading1", note, (PAGE_W - width) / 2, PAGE_H - TOP / 2, 10.5)
        canv.restoreState()


class Story:
    """Builds the flowables of one report."""

    def __init__(self, report: Report, chooser: FontChooser, *, sign_off: bool) -> None:
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
        story: list[Flowable] = [self.title(), Spacer(1, LEADING)]
        for section in self.tpl.sections:
            if section.kind == "table":
                # Heading and table move together when the table fits a page; a longer table
                # starts under its heading and continues, header repeated, on the next page.
                story.append(CondPageBreak(LEADING * 4))
                story.append(KeepTogether([self.heading(section.heading, "heading1"),
                                           Spacer(1, LEADING * 0.25), self.table(section.table or "")]))
                story.append(Spacer(1, LEADING * 0.5))
                continue
            # A heading never ends a page: it needs room for itself, a sub-heading and two lines.
            first_part = section.parts[0] if section.parts else None
            story.append(CondPageBreak(LEADING * (4 if first_part and first_part.heading else 3)))
            story.append(self.heading(section.heading, "heading1"))
            for k, part in enumerate(section.parts):
                if part.heading:
                    if k:
                        story.append(CondPageBreak(LEADING * 3))
                    story.append(self.heading(part.heading, "heading2"))
                for para in paragraphs(self.report.texts.get(part.ref, "")):
                    story.append(self.body(para))
        story.append(self.closing())
        return story

    def title(self) -> Flowable:
        """二号 title, centred; a long one breaks after the unit's name when both parts fit a line."""
        title, unit = self.report.effective_title, self.report.unit
        block = TextBlock(title, self.chooser, role="title", size=TITLE_SIZE, leading=LEADING * 1.25,
                          align="center", balanced=True)

        def width(text: str) -> float:
            return sum(self.chooser.char_width("title", ch, TITLE_SIZE) for ch in text)

        if width(title) > BLOCK_W and unit and title.startswith(unit) and title != unit:
            # The unit's name on its own line(s), the rest of the title on the next: never a
            # line that ends inside "政府信息公开" because the unit happened to be long.
            rest = title[len(unit):]
            lines = self._unit_lines(unit, width) + balanced_lines(rest, BLOCK_W, width)
            block._lines = [Line(ln.text, ln.width, False) for ln in lines[:-1]] + [lines[-1]]
        return block

    def _unit_lines(self, unit: str, width: Callable[[str], float]) -> list[Line]:
        """A unit's name too long for one title line, broken between its administrative parts.

        ``某某省某某市某某区人民政府`` / ``办公室（区大数据发展管理局）`` rather than a break inside a word:
        candidates are after a level of government (省, 市, 区, 政府 …, from the print data) or before
        an opening bracket; the most even one that fits wins, else the text is simply balanced.
        """
        if width(unit) <= BLOCK_W:
            return [Line(unit, width(unit), False)]
        tokens = self.data.get("title_break_after", [])
        best: tuple[float, int] | None = None
        for i in range(1, len(unit)):
            if not (any(unit[:i].endswith(t) for t in tokens) or unit[i] in "（(《"):
                continue
            head, tail = width(unit[:i]), width(unit[i:])
            if head <= BLOCK_W and tail <= BLOCK_W and (best is None or max(head, tail) < best[0]):
                best = (max(head, tail), i)
        if best is None:
            return balanced_lines(unit, BLOCK_W, width)
        i = best[1]
        return [Line(unit[:i], width(unit[:i]), False), Line(unit[i:], width(unit[i:]), False)]

    def closing(self) -> Flowable:
        """落款: the unit centred over the date, the date four characters from the right edge."""
        day = self.report.published_on or date.today()
        date_text = format_date(day, self.data["date"])
        char = BODY_SIZE + TRACKING
        date_w = sum(self.chooser.char_width("body", ch, BODY_SIZE) + TRACKING for ch in date_text)
        unit_w = sum(self.chooser.char_width("body", ch, BODY_SIZE) + TRACKING for ch in self.report.unit)
        date_right = 4 * char
        centre_from_right = date_right + date_w / 2
        unit_right = max(0.0, centre_from_right - unit_w / 2)
        parts: list[Flowable] = [
            # Room above for the seal: it reaches up to within a line of the text (GB/T 9704 7.3.5.1).
            Spacer(1, LEADING * 2),
            TextBlock(self.report.unit, self.chooser, size=BODY_SIZE, leading=LEADING, align="right",
                      tracking=TRACKING, right_indent=unit_right),
            TextBlock(date_text, self.chooser, size=BODY_SIZE, leading=LEADING, align="right",
                      tracking=TRACKING, right_indent=date_right),
        ]
        if self.sign_off:
            items = [(item["label"], float(item["blank"])) for item in self.data["sign_off"]]
            parts += [Spacer(1, LEADING * 0.5),
                      SignOffLine(items, self.chooser, size=FOLIO_SIZE, leading=LEADING)]
        return KeepTogether(parts)

    # -- tables ------------------------------------------------------------------------------------

    def table(self, table_id: str) -> Flowable:
        builder = {"table2": self.table2, "table3": self.table3, "table4": self.table4}[table_id]
        grid = builder()
        grid.page_height = BLOCK_H
        return GridTable(grid, self.chooser)

    def _char(self) -> float:
        return TABLE_SIZE

    def table2(self) -> Grid:
        t2 = self.tpl.tables["table2"]
        width_values = max(len(b["columns"]) for b in t2["blocks"])
        first = BLOCK_W * 0.31
        widths = [first] + [(BLOCK_W - first) / width_values] * width_values
        cells: list[Cell] = []
        row = 0
        total_cols = width_values + 1
        for block in t2["blocks"]:
            cells.append(Cell(row, 0, block["label"], colspan=total_cols))
            row += 1
            cells.append(Cell(row, 0, t2["row_header"]))
            span = width_values // len(block["columns"])
            for k, col in enumerate(block["columns"]):
                last = k == len(block["columns"]) - 1
                colspan = width_values - span * k if last else span
                cells.append(Cell(row, 1 + k * span, col["label"], colspan=colspan))
            row += 1
            for r in block["rows"]:
                cells.append(Cell(row, 0, r["label"]))
                for k, col in enumerate(block["columns"]):
                    last = k == len(block["columns"]) - 1
                    colspan = width_values - span * k if last else span
                    ref = f"table2.{r['id']}" + (f".{col['id']}" if col["id"] else "")
                    cells.append(Cell(row, 1 + k * span, self.value(ref), colspan=colspan, number=True))
                row += 1
        return Grid(widths, cells, rows=row, header_rows=0, size=TABLE_SIZE, leading=TABLE_LEADING)

    def table3(self) -> Grid:
        t3 = self.tpl.tables["table3"]
        columns, rows = t3["columns"], t3["rows"]
        depth = max(len(r["path"]) for r in rows)
        col_depth = max(len(c["path"]) for c in columns)
        header_rows = col_depth + 1
        # Value columns wide enough for the widest number (up to a limit; longer ones shrink).
        widest = max((len(self.value(f"table3.{r['id']}.{c['id']}")) for r in rows for c in columns),
                     default=1)
        pad = 2.0
        # Three characters (自然人) per line in a value column; wider only for long numbers.
        value_w = min(max(3 * TABLE_SIZE + 2 * pad + 1, widest * TABLE_SIZE * 0.55 + 2 * pad + 2), 4.6 * TABLE_SIZE)
        label_ws = [2 * TABLE_SIZE + 2 * pad + 1, 4 * TABLE_SIZE + 2 * pad + 1]
        label_ws = label_ws[: depth - 1]
        label_ws.append(BLOCK_W - value_w * len(columns) - sum(label_ws))
        widths = label_ws + [value_w] * len(columns)
        cells: list[Cell] = [Cell(0, 0, t3["corner"], rowspan=header_rows, colspan=depth)]
        cells.append(Cell(0, depth, t3["column_header"], colspan=len(columns)))
        cells += _header_cells(columns, first_row=1, first_col=depth, levels=col_depth)
        # Row labels: a label that several consecutive rows share becomes one cell spanning them.
        body_top = header_rows
        row_paths = [row["path"] for row in rows]
        for level in range(depth):
            for r, n in path_runs(row_paths, level):
                path = row_paths[r]
                colspan = depth - level if level == len(path) - 1 else 1
                align = "center" if n > 1 else "left"
                cells.append(Cell(body_top + r, level, path[level], rowspan=n, colspan=colspan, align=align))
        for r, row in enumerate(rows):
            for c, col in enumerate(columns):
                cells.append(Cell(body_top + r, depth + c, self.value(f"table3.{row['id']}.{col['id']}"),
                                  number=True))
        return Grid(widths, cells, rows=body_top + len(rows), header_rows=header_rows,
                    size=TABLE_SIZE, leading=TABLE_LEADING, pad_x=pad)

    def table4(self) -> Grid:
        t4 = self.tpl.tables["table4"]
        groups, fields = t4["groups"], t4["fields"]
        depth = max(len(g["path"]) for g in groups)
        ncols = len(groups) * len(fields)
        widths = [BLOCK_W / ncols] * ncols
        cells: list[Cell] = []
        # Group headers: a path shorter than the deepest spans down to the field row.
        level_cols = [(g["path"], len(fields)) for g in groups]
        cells += _span_headers(level_cols, first_row=0, first_col=0, levels=depth)
        for gi, _group in enumerate(groups):
            for fi, fld in enumerate(fields):
                cells.append(Cell(depth, gi * len(fields) + fi, fld["label"]))
        for gi, group in enumerate(groups):
            for fi, fld in enumerate(fields):
                cells.append(Cell(depth + 1, gi * len(fields) + fi,
                                  self.value(f"table4.{group['id']}.{fld['id']}"), number=True))
        return Grid(widths, cells, rows=depth + 2, header_rows=depth + 1, size=TABLE_SIZE,
                    leading=TABLE_LEADING, pad_x=2)


def _header_cells(columns: list[dict[str, Any]], *, first_row: int, first_col: int, levels: int) -> list[Cell]:
    return _span_headers([(c["path"], 1) for c in columns], first_row=first_row, first_col=first_col,
                         levels=levels)


def _span_headers(items: list[tuple[list[str], int]], *, first_row: int, first_col: int,
                  levels: int) -> list[Cell]:
    """Header cells from label paths: equal neighbouring labels merge across, short paths merge down."""
    paths = [path for path, _ in items]
    starts = list(accumulate((width for _, width in items), initial=first_col))
    cells: list[Cell] = []
    for level in range(levels):
        for i, n in path_runs(paths, level):
            rowspan = levels - level if level == len(paths[i]) - 1 else 1
            cells.append(Cell(first_row + level, starts[i], paths[i][level], rowspan=rowspan,
                              colspan=starts[i + n] - starts[i]))
    return cells


def build(report: Report, *, draft: bool, sign_off: bool, title: str, author: str, subject: str,
          creator: str) -> Built:
    chooser = FontChooser()
    buffer = io.BytesIO()
    # The canvas starts in the body face: ReportLab's default Helvetica would be an unembedded font.
    doc = _Doc(buffer, draft=draft, chooser=chooser, title=title, author=author, subject=subject,
               creator=creator, producer=creator, lang="zh-CN",
               initialFontName=chooser.primary("body").name)
    doc.build(Story(report, chooser, sign_off=sign_off).flowables())
    return Built(buffer.getvalue(), doc.pages, chooser)
