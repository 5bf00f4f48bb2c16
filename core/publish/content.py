"""The report as a sequence of blocks — title, headings, paragraphs, tables as grids with spans, 落款 —
computed once and walked by the Word writer, the web-page writer and the clipboard.

The order and the words are the PDF's: the paragraphs, numbers, dates and the grids of tables 2 and 3
come from ``core.pdf.document`` itself (its ``Story`` builds them from the format data with
``core.template.path_runs``), so the three outputs cannot drift apart. Table 4 follows the contract's
three-row header (``行政复议``'s five result heads span rows 2–3), derived from the group paths the same way.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import accumulate, pairwise
from typing import Any

from core.findings import Finding
from core.model import Report
from core.paths import resource_path
from core.template import path_runs


@cache
def publish_data(template_id: str = "2021") -> dict[str, Any]:
    """Word styles and faces, 落款 layouts: ``resources/templates/{id}-publish.json``."""
    with resource_path("templates", f"{template_id}-publish.json").open(encoding="utf-8") as fh:
        return json.load(fh)


# -- blocks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    """One cell of an official table, at its top-left grid position, with its spans."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False      # a label (th) rather than a value (td)
    scope: str | None = None  # th scope: col, colgroup, row
    align: str = "center"     # center | left
    number: bool = False


@dataclass(frozen=True)
class TableGrid:
    id: str
    caption: str
    rows: int
    cols: int
    header_rows: int              # repeated on every page / the thead
    cells: tuple[GridCell, ...]
    widths: tuple[float, ...]     # points, summing to the text block's width
    groups: tuple[tuple[int, int], ...] = ()  # body row ranges [start, stop): table 2's blocks

    def at(self) -> dict[tuple[int, int], GridCell]:
        """Every grid position → the (merged) cell covering it."""
        cover: dict[tuple[int, int], GridCell] = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    cover[(r, c)] = cell
        return cover

    def text_rows(self) -> list[list[str]]:
        """The grid as rows of text: a merged cell's text at its top-left position, '' where it spans."""
        out = [[""] * self.cols for _ in range(self.rows)]
        for cell in self.cells:
            out[cell.row][cell.col] = cell.text
        return out


@dataclass(frozen=True)
class Title:
    text: str
    lines: tuple[str, ...]  # where the PDF breaks it: after the unit's name when both parts fit


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、… 2: （一）…
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    grid: TableGrid


@dataclass(frozen=True)
class Closing:
    """落款. Offsets are in characters of the body size, from the right edge of the text block."""

    unit: str
    date: str
    sealed: bool
    blank_lines: int
    unit_right: float
    date_right: float
    sign_off: tuple[tuple[str, int], ...] = ()  # (label, blank width in characters)


Block = Title | Heading | Paragraph | Table | Closing


@dataclass
class Content:
    blocks: list[Block]
    draft: bool
    draft_note: str
    page_number: str          # "— {n} —"
    title: str
    unit: str
    subject: str
    creator: str
    findings: list[Finding] = field(default_factory=list)
    template_id: str = "2021"

    def tables(self) -> dict[str, TableGrid]:
        return {b.grid.id: b.grid for b in self.blocks if isinstance(b, Table)}


# -- building -------------------------------------------------------------------------------------


def text_width(text: str) -> float:
    """Width in body characters: CJK and full-width forms one, Latin letters and digits a half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def closing_layout(unit: str, date_text: str, *, sealed: bool, params: dict[str, Any]) -> tuple[float, float]:
    """(unit right offset, date right offset) in characters, GB/T 9704-2012 7.3.5.

    Sealed (7.3.5.1): the date 右空四字, the unit centred over it. Unsealed (7.3.5.2): the unit 右空二字,
    the date on the next line starting two characters right of the unit's first character; a date
    longer than that room goes 右空二字 and the unit moves left to keep the two-character shift.
    """
    unit_w, date_w = text_width(unit), text_width(date_text)
    if sealed:
        date_right = float(params["date_right_chars"])
        return max(0.0, date_right + date_w / 2 - unit_w / 2), date_right
    unit_right = float(params["unit_right_chars"])
    shift = float(params["date_shift_chars"])
    date_right = unit_right + unit_w - shift - date_w
    floor = float(params["min_date_right_chars"])
    if date_right < floor:
        date_right = floor
        unit_right = date_right + date_w + shift - unit_w
    return unit_right, date_right


def title_lines(title: str, unit: str, chars_per_line: float, break_after: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Where a title too long for one line breaks, as the PDF does: after the unit's name when both
    parts fit a line; a unit too long for one line itself breaks between its administrative parts
    (after one of ``break_after`` — 省, 市, 政府 … from the print data — or before a bracket), the most
    even such break that fits. Otherwise the writer wraps it."""
    if text_width(title) <= chars_per_line or not unit or not title.startswith(unit) or title == unit:
        return (title,)
    rest = title[len(unit):]
    if text_width(rest) > chars_per_line:
        return (title,)
    if text_width(unit) <= chars_per_line:
        return (unit, rest)
    best: tuple[float, int] | None = None
    for i in range(1, len(unit)):
        if not (any(unit[:i].endswith(t) for t in break_after) or unit[i] in "（(《"):
            continue
        head, tail = text_width(unit[:i]), text_width(unit[i:])
        if head <= chars_per_line and tail <= chars_per_line and (best is None or max(head, tail) < best[0]):
            best = (max(head, tail), i)
    if best is None:
        return (title,)
    return (unit[:best[1]], unit[best[1]:], rest)


def build_content(report: Report, *, final: bool = False, sign_off: bool = False,
                  previous: Report | None = None) -> Content:
    """The blocks of ``report``; raises ``core.pdf.FinalRefused`` for ``final`` with errors, like the PDF."""
    from core.findings import has_errors
    from core.pdf import FinalRefused
    from core.pdf.document import BLOCK_W, TITLE_SIZE, format_date, paragraphs, print_data
    from core.rules import check

    findings = check(report, previous=previous)
    errors = [f for f in findings if f.severity == "error"]
    pdata = print_data(report.template.id)
    if final and has_errors(findings):
        message = pdata["messages"]["final_refused"].format(errors=len(errors))
        raise FinalRefused(message, [message] + [f"  {f.message}" for f in errors])

    tpl = report.template
    grids = _Grids(report)
    title = report.effective_title
    breaks = tuple(pdata.get("title_break_after", ()))
    blocks: list[Block] = [Title(title, title_lines(title, report.unit, BLOCK_W / TITLE_SIZE, breaks))]
    for section in tpl.sections:
        blocks.append(Heading(1, section.heading))
        if section.kind == "table":
            blocks.append(Table(grids.grid(section.table or "", section.heading)))
            continue
        for part in section.parts:
            if part.heading:
                blocks.append(Heading(2, part.heading))
            blocks += [Paragraph(p) for p in paragraphs(report.texts.get(part.ref, ""))]
    day = report.published_on or date.today()
    date_text = format_date(day, pdata["date"])
    layout = publish_data(tpl.id)["closing"]["sealed" if sign_off else "unsealed"]
    unit_right, date_right = closing_layout(report.unit, date_text, sealed=sign_off, params=layout)
    items = tuple((item["label"], int(item["blank"])) for item in pdata["sign_off"]) if sign_off else ()
    blocks.append(Closing(report.unit, date_text, sign_off, int(layout["blank_lines"]), unit_right, date_right,
                          items))
    return Content(blocks=blocks, draft=bool(errors), draft_note=pdata["draft_note"],
                   page_number=pdata["page_number"], title=title, unit=report.unit, subject=pdata["subject"],
                   creator=pdata["creator"], findings=findings, template_id=tpl.id)


class _Grids:
    """Tables 2 and 3 from the PDF's own grid builders; table 4 from the contract's header."""

    def __init__(self, report: Report) -> None:
        from core.pdf.document import Story

        self.report = report
        # The grid builders measure nothing: they need no fonts.
        self.story = Story(report, None, sign_off=False)  # type: ignore[arg-type]

    def grid(self, table_id: str, caption: str) -> TableGrid:
        if table_id == "table4":
            return self.table4(caption)
        built = {"table2": self.story.table2, "table3": self.story.table3}[table_id]()
        return _from_pdf_grid(table_id, caption, built)

    def table4(self, caption: str) -> TableGrid:
        from core.pdf.document import BLOCK_W

        t4 = self.report.template.tables["table4"]
        groups, fields = t4["groups"], t4["fields"]
        # Each column's full header path: its group's labels, then its result. A group whose path is
        # shorter than the deepest (行政复议) has its results span down to the last header row.
        paths = [[*list(g["path"]), f["label"]] for g in groups for f in fields]
        levels = max(len(p) for p in paths)
        cells = span_headers(paths, first_row=0, first_col=0, levels=levels)
        for gi, group in enumerate(groups):
            for fi, fld in enumerate(fields):
                cells.append(GridCell(levels, gi * len(fields) + fi,
                                      self.story.value(f"table4.{group['id']}.{fld['id']}"), number=True))
        ncols = len(paths)
        return TableGrid("table4", caption, levels + 1, ncols, levels, tuple(cells),
                         tuple([BLOCK_W / ncols] * ncols))


def span_headers(paths: list[list[str]], *, first_row: int, first_col: int, levels: int) -> list[GridCell]:
    """Header cells from label paths (one per column): equal neighbouring labels that continue below
    merge across; a path's last label spans down to the deepest level."""
    starts = list(accumulate([1] * len(paths), initial=first_col))
    cells: list[GridCell] = []
    for level in range(levels):
        for i, n in path_runs(paths, level):
            last = level == len(paths[i]) - 1
            cells.append(GridCell(first_row + level, starts[i], paths[i][level],
                                  rowspan=levels - level if last else 1, colspan=starts[i + n] - starts[i],
                                  header=True, scope="col" if last else "colgroup"))
    return cells


def _from_pdf_grid(table_id: str, caption: str, grid: Any) -> TableGrid:
    """The PDF's ``Grid`` as a :class:`TableGrid`: labels become headers with their scope."""
    ncols = len(grid.widths)
    label_rows = {c.row for c in grid.cells if c.number}
    cells: list[GridCell] = []
    for c in grid.cells:
        header = not c.number
        scope: str | None = None
        if header:
            if c.row >= grid.header_rows and c.colspan == ncols:
                scope = "rowgroup"  # table 2's block label, heading its block of rows
            elif c.row < grid.header_rows or c.row not in label_rows:
                has_below = any(c.row + c.rowspan <= o.row < grid.header_rows and not o.number
                                and c.col <= o.col < c.col + c.colspan for o in grid.cells)
                scope = "colgroup" if has_below else "col"
            else:
                scope = "row"
        cells.append(GridCell(c.row, c.col, c.text, c.rowspan, c.colspan, header, scope, c.align, c.number))
    # Table 2: each block starts with a label spanning the whole width; the blocks become row groups.
    starts = sorted(c.row for c in cells if c.header and c.colspan == ncols and c.row >= grid.header_rows)
    bounds = [*starts, grid.rows]
    groups = tuple((a, b) for a, b in pairwise(bounds) if b > a)
    return TableGrid(table_id, caption, grid.rows, ncols, grid.header_rows, tuple(cells), tuple(grid.widths),
                     groups)
