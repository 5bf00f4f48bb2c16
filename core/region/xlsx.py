"""The workbook for the office, which lives in Excel: every unit with its status and findings on
one sheet, and the summed tables laid out like the official ones on another.

The tables are laid out by :mod:`core.publish.grids` from the format data, the one builder the PDF,
the Word file and the web page use too; no label is spelled here.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from core.findings import SEVERITY_LABELS
from core.model import Report
from core.publish.grids import BUILDERS, build_grid
from core.region.batch import (
    BAD_DUPLICATE,
    BAD_SKIPPED,
    STATUS_MISSING,
    STATUSES,
    BatchResult,
    ordered_findings,
    row_label,
    table_name,
)
from core.region.sum import SumResult

CHECK_SHEET = "校验结果"
SUM_SHEET = "汇总表"
CHECK_COLUMNS = ("单位", "简称", "年度", "状态", "错误", "提示", "表格或部分", "行", "问题说明", "文件")
CHECK_WIDTHS = (34, 12, 7, 18, 6, 6, 16, 18, 80, 40)
BAD_STATUS = {BAD_DUPLICATE: "重复", BAD_SKIPPED: "已跳过"}
BAD_STATUS_DEFAULT = "无法读取"


def _cell_value(report: Report) -> Callable[[str], str]:
    """Figures for the shared grid builder (which lays out text); written back as numbers below."""
    totals = report.totals()

    def value(ref: str) -> str:
        return str(totals[ref] if ref in totals else report.values[ref])

    return value


def _number(text: str) -> int | Decimal:
    return Decimal(text) if "." in text else int(text)


# -- writing ---------------------------------------------------------------------------------------


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "header_fill": PatternFill("solid", fgColor="E8E8E8"),
        "bold": Font(bold=True),
        "title": Font(bold=True, size=14),
        "grey": Font(color="606060"),
        "error": Font(color="A00000"),
        "warning": Font(color="7A4A00"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(wrap_text=True, horizontal="center", vertical="center"),
        "left": Alignment(wrap_text=True, horizontal="left", vertical="center"),
    }


def _excel_value(value: Any) -> Any:
    # Excel keeps 15 significant digits: every fee the format allows (≤ 999999999.999999) fits.
    return float(value) if isinstance(value, Decimal) else value


def _put(sheet: Any, row: int, col: int, value: Any) -> Any:
    """Write a cell; user text stays text (a unit name starting with ``=`` is not a formula)."""
    cell = sheet.cell(row, col, _excel_value(value))
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def write_check_sheet(sheet: Any, batch: BatchResult) -> None:
    st = _styles()
    counts = batch.counts()
    year = f"{batch.year} 年度" if batch.year else "（没有可用的报告）"
    sheet["A1"] = f"{year}：共 {len(batch.results) + len(batch.missing)} 个单位，" + "，".join(
        f"{s} {counts[s]}" for s in STATUSES)
    sheet["A1"].font = st["title"]
    header_row = 3
    for col, (name, width) in enumerate(zip(CHECK_COLUMNS, CHECK_WIDTHS, strict=True), start=1):
        cell = sheet.cell(header_row, col, name)
        cell.font, cell.fill, cell.border = st["bold"], st["header_fill"], st["border"]
        sheet.column_dimensions[cell.column_letter].width = width
    row = header_row + 1

    def put(values: list[Any], *, font: Any = None, outline: int = 0) -> None:
        nonlocal row
        for col, value in enumerate(values, start=1):
            cell = _put(sheet, row, col, value)
            cell.alignment = st["wrap"]
            if font is not None:
                cell.font = font
        if outline:
            sheet.row_dimensions[row].outlineLevel = outline
        row += 1

    for r in batch.results:
        status = r.status if r.in_roster else f"{r.status}（不在名单中）"
        put([r.unit, r.short, r.year, status, r.errors, r.warnings, "", "", r.first_problem, r.where or str(r.path)],
            font=st["bold"])
        for f in ordered_findings(r.report, r.findings):
            ref = next((c for c in f.cells if r.report.template.section_for(c)), None)
            place = table_name(r.report, r.report.template.section_for(ref)) if ref else "基本信息"
            put([r.unit, r.short, r.year, SEVERITY_LABELS[f.severity], "", "", place,
                 row_label(r.report, ref) if ref else "", f.message, ""],
                font=st[f.severity], outline=1)
        for note in r.notes:
            put([r.unit, r.short, r.year, "读取说明", "", "", "", "", note, ""], font=st["grey"], outline=1)
    for u in batch.missing:
        put([u.name, u.short, batch.year, STATUS_MISSING, "", "", "", "", "", ""], font=st["bold"])
    for b in batch.bad:
        put(["", "", "", BAD_STATUS.get(b.kind, BAD_STATUS_DEFAULT), "", "", "", "", b.reason, str(b.path)],
            font=st["grey"])
    sheet.freeze_panes = sheet.cell(header_row + 1, 2)
    sheet.auto_filter.ref = f"A{header_row}:{sheet.cell(max(row - 1, header_row), len(CHECK_COLUMNS)).coordinate}"
    sheet.sheet_properties.outlinePr.summaryBelow = False


# Column widths of the summed tables (in Excel's units, about one Latin digit): the first three
# hold table 3's label levels, the deepest of which are its longest labels.
SUM_WIDTHS = (18, 16, 30)
SUM_VALUE_WIDTH = 11
LINE_HEIGHT = 15


def _text_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def write_sum_sheet(sheet: Any, total: SumResult) -> None:
    st = _styles()
    report = total.report
    tpl = report.template
    sheet["A1"] = report.effective_title
    sheet["A1"].font = st["title"]
    row = 3
    widest = 1
    lines_needed: dict[int, float] = {}  # sheet row -> lines its wrapped labels need
    width_of = [0, *SUM_WIDTHS]

    def col_width(col: int) -> int:
        return width_of[col] if col < len(width_of) else SUM_VALUE_WIDTH

    value = _cell_value(report)
    for section in tpl.sections:
        if section.kind != "table" or section.table not in BUILDERS:
            continue
        sheet.cell(row, 1, section.heading).font = st["bold"]
        row += 1
        # The same grid as the PDF, the Word file and the web page: one layout of the official tables.
        grid = build_grid(tpl, section.table, value)
        for c in grid.cells:
            top, left = row + c.row, 1 + c.col
            cell = _put(sheet, top, left, _number(c.text) if c.number else c.text)
            if c.rowspan > 1 or c.colspan > 1:
                sheet.merge_cells(start_row=top, start_column=left, end_row=top + c.rowspan - 1,
                                  end_column=left + c.colspan - 1)
            for rr in range(top, top + c.rowspan):
                for cc in range(left, left + c.colspan):
                    sheet.cell(rr, cc).border = st["border"]
            if c.header:
                cell.fill = st["header_fill"]
                cell.alignment = st["center"] if c.align == "center" else st["left"]  # as the web page aligns it
                # Excel does not grow a row for wrapped text in merged cells: size it here.
                room = max(1, sum(col_width(k) for k in range(left, left + c.colspan)) - 1)
                lines = -(-_text_width(c.text) // room) / c.rowspan
                lines_needed[top] = max(lines_needed.get(top, 1), lines)
            else:
                cell.alignment = st["center"]
            widest = max(widest, c.col + c.colspan)
        row += grid.rows + 1
    for line in total.lines():
        _put(sheet, row, 1, line).alignment = st["wrap"]
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(widest, 8))
        room = sum(col_width(k) for k in range(1, max(widest, 8) + 1))
        lines_needed[row] = -(-_text_width(line) // room)
        row += 1
    for r, lines in lines_needed.items():
        if lines > 1:
            sheet.row_dimensions[r].height = LINE_HEIGHT * -(-lines // 1)
    for col in range(1, widest + 1):
        sheet.column_dimensions[sheet.cell(1, col).column_letter].width = col_width(col)


def _printable(sheet: Any) -> None:
    """Printed landscape, as wide as the page: the office prints the sheets for the meeting."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def workbook_bytes(batch: BatchResult, total: SumResult | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    write_check_sheet(book.active, batch)
    book.active.title = CHECK_SHEET
    _printable(book.active)
    if total is not None:
        sheet = book.create_sheet(SUM_SHEET)
        write_sum_sheet(sheet, total)
        _printable(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(path: str | os.PathLike[str], batch: BatchResult, total: SumResult | None = None) -> None:
    """The whole workbook or nothing (written like every other output of the program)."""
    from core.exchange import write_atomic

    write_atomic(path, workbook_bytes(batch, total))
