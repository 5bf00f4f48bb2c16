"""The three official tables as grids of cells with their spans, from the format data alone.

This is the one grid builder of the program: the PDF (``core.pdf.document.Story.table``), the Word
document and the web page all take their cells from here, so their merged cells can never drift
apart. Every merged cell comes from ``core.template.path_runs()`` over the label paths of
``2021.json``, the helper the window's grids use too. Table 4's header follows the format data's
``field_header``: ``under_group`` (the contract) puts each group's result heads right under its own
label, spanning down to the last header row (``行政复议`` one row, its five results rows 2–3).

No Qt and no ReportLab: a Word or web export does not pay for loading the PDF engine (≈ 80 ms of CPU
per process). Column widths are the medium's business: the PDF measures its fonts, the Word and web
writers take the proportions of the blank Word template (``2021-publish.json``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate

from core.template import Template, path_runs


@dataclass(frozen=True)
class GridCell:
    """One cell of an official table, at its top-left grid position, with its spans."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False      # a label (th) rather than a value (td)
    scope: str | None = None  # th scope: col, colgroup, row, rowgroup
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
    widths: tuple[float, ...] = ()  # relative column widths (empty: the medium decides)
    groups: tuple[tuple[int, int], ...] = ()  # body row ranges [start, stop): table 2's blocks
    # Label → the offsets its lines may break at (the format data's ``label_breaks``, 商业|企业).
    breaks: dict[str, frozenset[int]] = field(default_factory=dict, compare=False, hash=False)

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


Value = Callable[[str], str]  # cell reference → the number as printed


def span_headers(items: Sequence[tuple[list[str], int]], *, first_row: int, first_col: int,
                 levels: int) -> list[GridCell]:
    """Column header cells from (label path, columns under it) items: equal neighbouring labels that
    continue below merge across; a path's last label spans down to the deepest level."""
    paths = [path for path, _ in items]
    starts = list(accumulate((width for _, width in items), initial=first_col))
    cells: list[GridCell] = []
    for level in range(levels):
        for i, n in path_runs(paths, level):
            last = level == len(paths[i]) - 1
            colspan = starts[i + n] - starts[i]
            cells.append(GridCell(first_row + level, starts[i], paths[i][level],
                                  rowspan=levels - level if last else 1, colspan=colspan, header=True,
                                  scope="col" if last and colspan == 1 else "colgroup"))
    return cells


def table2(tpl: Template, value: Value, caption: str = "", widths: Sequence[float] = ()) -> TableGrid:
    """Blocks one under another, each with its label row and its own ``信息内容 | …`` header row; a block
    with fewer value columns than the widest spreads them over its width."""
    t2 = tpl.tables["table2"]
    width_values = max(len(b["columns"]) for b in t2["blocks"])
    ncols = width_values + 1
    cells: list[GridCell] = []
    groups: list[tuple[int, int]] = []
    row = 0
    for block in t2["blocks"]:
        start = row
        cells.append(GridCell(row, 0, block["label"], colspan=ncols, header=True, scope="rowgroup"))
        row += 1
        cells.append(GridCell(row, 0, t2["row_header"], header=True, scope="col"))
        span = width_values // len(block["columns"])
        spans = [width_values - span * k if k == len(block["columns"]) - 1 else span
                 for k in range(len(block["columns"]))]
        for k, col in enumerate(block["columns"]):
            cells.append(GridCell(row, 1 + k * span, col["label"], colspan=spans[k], header=True, scope="col"))
        row += 1
        for r in block["rows"]:
            cells.append(GridCell(row, 0, r["label"], header=True, scope="row"))
            for k, col in enumerate(block["columns"]):
                ref = f"table2.{r['id']}" + (f".{col['id']}" if col["id"] else "")
                cells.append(GridCell(row, 1 + k * span, value(ref), colspan=spans[k], number=True))
            row += 1
        groups.append((start, row))
    return TableGrid("table2", caption, row, ncols, 0, tuple(cells), tuple(widths), tuple(groups))


def table3(tpl: Template, value: Value, caption: str = "", widths: Sequence[float] = ()) -> TableGrid:
    """The corner note over the row labels, 申请人情况 over the columns, row labels merged by path."""
    t3 = tpl.tables["table3"]
    columns, rows = t3["columns"], t3["rows"]
    depth = max(len(r["path"]) for r in rows)
    col_depth = max(len(c["path"]) for c in columns)
    header_rows = col_depth + 1
    cells: list[GridCell] = [
        GridCell(0, 0, t3["corner"], rowspan=header_rows, colspan=depth, header=True, scope="col"),
        GridCell(0, depth, t3["column_header"], colspan=len(columns), header=True, scope="colgroup"),
    ]
    cells += span_headers([(c["path"], 1) for c in columns], first_row=1, first_col=depth, levels=col_depth)
    row_paths = [r["path"] for r in rows]
    for level in range(depth):
        for r, n in path_runs(row_paths, level):
            path = row_paths[r]
            colspan = depth - level if level == len(path) - 1 else 1
            # A label over several rows is centred in its span; a row's own label reads from the left.
            cells.append(GridCell(header_rows + r, level, path[level], rowspan=n, colspan=colspan, header=True,
                                  scope="row", align="center" if n > 1 else "left"))
    for r, row in enumerate(rows):
        for c, col in enumerate(columns):
            cells.append(GridCell(header_rows + r, depth + c, value(f"table3.{row['id']}.{col['id']}"), number=True))
    return TableGrid("table3", caption, header_rows + len(rows), depth + len(columns), header_rows, tuple(cells),
                     tuple(widths))


def table4(tpl: Template, value: Value, caption: str = "", widths: Sequence[float] = ()) -> TableGrid:
    """Groups of result columns. ``field_header: under_group``: each column's header path is its
    group's labels then its result, so a group with a shorter path (行政复议) has its results span down
    to the last header row. Otherwise the group labels span down to one row of result heads."""
    t4 = tpl.tables["table4"]
    groups, fields = t4["groups"], t4["fields"]
    depth = max(len(g["path"]) for g in groups)
    header_rows = depth + 1
    if t4.get("field_header") == "under_group":
        cells = span_headers([([*g["path"], f["label"]], 1) for g in groups for f in fields],
                             first_row=0, first_col=0, levels=header_rows)
    else:
        cells = span_headers([(g["path"], len(fields)) for g in groups], first_row=0, first_col=0, levels=depth)
        cells += [GridCell(depth, gi * len(fields) + fi, fld["label"], header=True, scope="col")
                  for gi in range(len(groups)) for fi, fld in enumerate(fields)]
    for gi, group in enumerate(groups):
        for fi, fld in enumerate(fields):
            cells.append(GridCell(header_rows, gi * len(fields) + fi, value(f"table4.{group['id']}.{fld['id']}"),
                                  number=True))
    return TableGrid("table4", caption, header_rows + 1, len(groups) * len(fields), header_rows, tuple(cells),
                     tuple(widths))


BUILDERS: dict[str, Callable[..., TableGrid]] = {"table2": table2, "table3": table3, "table4": table4}


def build_grid(tpl: Template, table_id: str, value: Value, caption: str = "",
               widths: Sequence[float] = ()) -> TableGrid:
    """Table ``table_id`` with the word boundaries of its labels (``label_breaks``)."""
    from core.pdf.printdata import label_breaks

    grid = BUILDERS[table_id](tpl, value, caption, widths)
    known = label_breaks(tpl.id)
    return replace(grid, breaks={c.text: known[c.text] for c in grid.cells if c.header and c.text in known})
