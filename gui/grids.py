"""The three tables, generated from the format data file and drawn like the official ones.

Each :class:`TableGrid` knows its cells twice: physically (grid row, column span — for moving
up and down and for the look) and logically (each row's cells in order, totals included — for
moving across and for pasting a block, see :func:`core.clipboard.plan_paste`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QWidget

from core.clipboard import Target
from core.model import Report
from core.template import Template, path_runs
from gui.cells import DOWN, LEFT, NEXT, PREVIOUS, RIGHT, UP, CountCell, MoneyCell, TotalCell
from gui.flags import set_base_tooltip

Cell = CountCell | MoneyCell | TotalCell


class TableGrid(QWidget):
    """One table: labels, input cells and totals in a grid layout, plus keyboard navigation."""

    pasteRequested = Signal(object, object)  # grid, cell

    def __init__(self, table_id: str, template: Template, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_id = table_id
        self.template = template
        self.setObjectName("tableGrid")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.grid = QGridLayout(self)
        self.grid.setSpacing(1)
        self.grid.setContentsMargins(1, 1, 1, 1)
        self.inputs: dict[str, CountCell | MoneyCell] = {}
        self.totals: dict[str, TotalCell] = {}
        self.rows: list[list[Cell]] = []  # logical rows
        self._where: dict[Cell, tuple[int, int, int, int]] = {}  # cell -> (logical row, index, col0, col1)
        self._physical_rows: list[int] = []  # logical row -> grid row

    # -- building -------------------------------------------------------------------------------

    def _label(self, text: str, row: int, col: int, rowspan: int = 1, colspan: int = 1, *,
               role: str = "label", align: Qt.AlignmentFlag | None = None) -> QLabel:
        label = QLabel(text)
        label.setProperty("cellRole", role)
        label.setWordWrap(True)
        label.setAlignment(align or (Qt.AlignmentFlag.AlignCenter if role == "header"
                                     else Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft))
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.grid.addWidget(label, row, col, rowspan, colspan)
        return label

    def _cell(self, ref: str, row: int, col: int, colspan: int = 1) -> Cell:
        spec = self.template.cells.get(ref)
        cell: Cell
        if spec is None:
            cell = TotalCell(ref)
            set_base_tooltip(cell, f"{self.template.label_for(ref)}：自动合计，不能填写")
        else:
            cell = MoneyCell(spec) if spec.kind == "money" else CountCell(spec)
            cell.navigator = self
            cell.pasteRequested.connect(lambda c: self.pasteRequested.emit(self, c))
            set_base_tooltip(cell, self.template.label_for(ref))
        if colspan > 1:
            # A single figure under a header that spans the whole table: keep it cell-sized and
            # centred under that (centred) header, as the printed table places it.
            holder = QWidget()
            holder.setProperty("cellRole", "holder")
            holder.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            lay = QHBoxLayout(holder)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addStretch(1)
            lay.addWidget(cell)
            lay.addStretch(1)
            cell.setMaximumWidth(220)
            self.grid.addWidget(holder, row, col, 1, colspan)
        else:
            self.grid.addWidget(cell, row, col)
        if isinstance(cell, TotalCell):
            self.totals[ref] = cell
        else:
            self.inputs[ref] = cell
        logical = len(self.rows) - 1
        self._where[cell] = (logical, len(self.rows[-1]), col, col + colspan - 1)
        self.rows[-1].append(cell)
        return cell

    def _begin_row(self, grid_row: int) -> None:
        self.rows.append([])
        self._physical_rows.append(grid_row)

    # -- showing the report -------------------------------------------------------------------

    def show_values(self, report: Report, refs: Iterable[str] | None = None) -> None:
        if refs is None:
            for ref, cell in self.inputs.items():
                cell.show_value(report.values[ref])
            return
        for ref in refs:
            cell = self.inputs.get(ref)
            if cell is not None:
                cell.show_value(report.values[ref])

    def show_totals(self, totals: dict[str, int]) -> None:
        for ref, cell in self.totals.items():
            cell.show_value(totals[ref])

    def widget_for(self, ref: str) -> QWidget | None:
        return self.inputs.get(ref) or self.totals.get(ref)

    # -- keyboard navigation ------------------------------------------------------------------

    def first_input(self) -> QWidget | None:
        for row in self.rows:
            for cell in row:
                if not isinstance(cell, TotalCell):
                    return cell
        return None

    def move(self, cell: QWidget, direction: str) -> bool:
        target = self._neighbour(cell, direction)
        if target is None:
            return False
        target.setFocus(Qt.FocusReason.TabFocusReason)
        self._reveal(target)
        return True

    def _neighbour(self, cell: QWidget, direction: str) -> QWidget | None:
        if cell not in self._where:
            return None
        r, i, c0, _c1 = self._where[cell]  # type: ignore[index]
        if direction in (LEFT, RIGHT):
            step = 1 if direction == RIGHT else -1
            j = i + step
            while 0 <= j < len(self.rows[r]):
                if not isinstance(self.rows[r][j], TotalCell):
                    return self.rows[r][j]
                j += step
            return None
        if direction in (NEXT, PREVIOUS):
            order = [c for row in self.rows for c in row if not isinstance(c, TotalCell)]
            k = order.index(cell) + (1 if direction == NEXT else -1)  # type: ignore[arg-type]
            return order[k] if 0 <= k < len(order) else None
        step = 1 if direction == DOWN else -1
        assert direction in (UP, DOWN)
        rr = r + step
        while 0 <= rr < len(self.rows):
            for other in self.rows[rr]:
                _, _, o0, o1 = self._where[other]
                if o0 <= c0 <= o1 and not isinstance(other, TotalCell):
                    return other
            rr += step
        return None

    def _reveal(self, widget: QWidget) -> None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 10, 30)

    # -- pasting ------------------------------------------------------------------------------

    def paste_grid(self) -> list[list[Target]]:
        grid = []
        for row in self.rows:
            targets = []
            for cell in row:
                if isinstance(cell, TotalCell):
                    targets.append(Target(cell.ref, "computed"))
                elif isinstance(cell, MoneyCell):
                    targets.append(Target(cell.ref, "money", cell.places))
                else:
                    targets.append(Target(cell.ref, "count"))
            grid.append(targets)
        return grid

    def position(self, cell: QWidget) -> tuple[int, int]:
        r, i, _, _ = self._where[cell]  # type: ignore[index]
        return r, i


def _em(widget: QWidget, chars: float) -> int:
    return int(widget.fontMetrics().horizontalAdvance("中") * chars)


def build_table2(template: Template) -> TableGrid:
    """The blocks of table 2, each with its own header row, as in the official table."""
    t2: dict[str, Any] = template.tables["table2"]
    grid = TableGrid("table2", template)
    width = max(len(b["columns"]) for b in t2["blocks"])
    r = 0
    for block in t2["blocks"]:
        grid._label(block["label"], r, 0, 1, width + 1, role="block")
        r += 1
        grid._label(t2["row_header"], r, 0, role="header")
        cols = block["columns"]
        span = 1 if len(cols) > 1 else width
        for j, col in enumerate(cols):
            grid._label(col["label"], r, 1 + j, 1, span, role="header")
        r += 1
        for row in block["rows"]:
            grid._begin_row(r)
            grid._label(row["label"], r, 0)
            for j, col in enumerate(cols):
                ref = f"table2.{row['id']}" + (f".{col['id']}" if col["id"] else "")
                grid._cell(ref, r, 1 + j, span)
            r += 1
    grid.grid.setColumnMinimumWidth(0, _em(grid, 9))
    grid.grid.setColumnStretch(0, 2)
    # Four columns of figures do not need the whole width of a wide screen.
    grid.setMaximumWidth(_em(grid, 64))
    for j in range(width):
        grid.grid.setColumnMinimumWidth(1 + j, _em(grid, 8))
        grid.grid.setColumnStretch(1 + j, 1)
    return grid


def build_table3(template: Template) -> TableGrid:
    """Row labels keep their hierarchy as merged cells; the organisation heading spans its five columns."""
    t3: dict[str, Any] = template.tables["table3"]
    grid = TableGrid("table3", template)
    rows, cols = t3["rows"], t3["columns"]
    depth = max(len(r["path"]) for r in rows)
    col_depth = max(len(c["path"]) for c in cols)
    header_rows = 1 + col_depth
    grid._label(t3["corner"], 0, 0, header_rows, depth, role="header")
    grid._label(t3["column_header"], 0, depth, 1, len(cols), role="header")
    col_paths = [c["path"] for c in cols]
    for level in range(col_depth):
        for j, n in path_runs(col_paths, level):
            path = col_paths[j]
            last = level == len(path) - 1
            grid._label(path[level], 1 + level, depth + j, col_depth - level if last else 1, n, role="header")
    row_paths = [r["path"] for r in rows]
    row_runs = [dict(path_runs(row_paths, level)) for level in range(depth)]
    for i, row in enumerate(rows):
        path = row["path"]
        gr = header_rows + i
        for level, text in enumerate(path):
            if level == len(path) - 1:
                grid._label(text, gr, level, 1, depth - level)
                continue
            n = row_runs[level].get(i)
            if n is None:
                continue  # merged into the label cell above
            # Top-aligned: centred in a tall merged cell, the label would sit below the screen's edge.
            merged = grid._label(text, gr, level, n, 1, align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            # Wide enough for the longest heading of its level; the outermost wraps after five characters.
            merged.setFixedWidth(_em(grid, 5 if level == 0 else 7) + 18)
        grid._begin_row(gr)
        for j, col in enumerate(cols):
            grid._cell(f"table3.{row['id']}.{col['id']}", gr, depth + j)
    # Label columns: the outer levels narrow (their text wraps), the leaf level takes the rest.
    grid.grid.setColumnMinimumWidth(depth - 1, _em(grid, 12))
    grid.grid.setColumnStretch(depth - 1, 4)
    for j in range(len(cols)):
        grid.grid.setColumnMinimumWidth(depth + j, _em(grid, 5.2))
        grid.grid.setColumnStretch(depth + j, 1)
    return grid


def build_table4(template: Template) -> TableGrid:
    """Review and litigation groups, litigation split by its two kinds, each over its fields; one row of figures."""
    t4: dict[str, Any] = template.tables["table4"]
    grid = TableGrid("table4", template)
    groups, fields = t4["groups"], t4["fields"]
    depth = max(len(g["path"]) for g in groups)
    nf = len(fields)
    group_paths = [g["path"] for g in groups]
    for level in range(depth):
        for g, n in path_runs(group_paths, level):
            grid._label(group_paths[g][level], level, g * nf, 1, n * nf, role="header")
    for g, group in enumerate(groups):
        top = len(group["path"])
        for k, fld in enumerate(fields):
            grid._label(fld["label"], top, g * nf + k, depth + 1 - top, 1, role="header")
    data_row = depth + 1
    grid._begin_row(data_row)
    for g, group in enumerate(groups):
        for k, fld in enumerate(fields):
            grid._cell(f"table4.{group['id']}.{fld['id']}", data_row, g * nf + k)
    for c in range(len(groups) * nf):
        grid.grid.setColumnMinimumWidth(c, _em(grid, 4.2))
        grid.grid.setColumnStretch(c, 1)
    return grid


BUILDERS = {"table2": build_table2, "table3": build_table3, "table4": build_table4}
