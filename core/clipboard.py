"""Reading a block of numbers copied from Excel or WPS, and laying it onto a grid of cells.

Pure parsing, no Qt: the window hands in the clipboard text and the grid it is pasting into and
gets back either every cell's new value or one Chinese message — never half a paste.

Computed cells (totals) inside the target area: the block is laid onto the grid position by
position, and a number that lands on a total is checked like any other but not stored, because
totals are always computed. That way a block copied from a published table, which includes its
总计 column and row, lines up cell for cell with the window's table.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.errors import PasteError
from core.template import MAX_COUNT

__all__ = ["PasteError", "Target", "parse_count", "parse_money", "plan_paste", "split_block"]

# Rows and columns a paste may hold: far more than any table, small enough to refuse a novel.
MAX_BLOCK_ROWS = 200
MAX_BLOCK_COLUMNS = 50

_PLAIN = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")
_DECIMAL = re.compile(r"(\d+|\d{1,3}(,\d{3})+)(\.\d+)?")


@dataclass(frozen=True)
class Target:
    """One position of the grid being pasted into."""

    ref: str
    kind: str = "count"  # "count", "money" or "computed"
    places: int = 0


def split_block(text: str) -> list[list[str]]:
    """Rows of raw cell texts as Excel and WPS put them on the clipboard: tab-separated columns, any
    line ending, a trailing newline ignored, and a cell holding a line break or a tab quoted
    (``"a<newline>b"``, quotes doubled inside) — the csv module's ``excel-tab`` dialect."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Excel ends a copied block with a newline; a single copied cell may have none.
    while text.endswith("\n"):
        text = text[:-1]
    if not text.strip():
        raise PasteError("剪贴板中没有可粘贴的数字")
    try:
        # An empty line is one empty cell, as a spreadsheet shows it (csv gives no cell at all).
        rows = [row or [""] for row in csv.reader(io.StringIO(text, newline=""), dialect="excel-tab")]
    except csv.Error:
        raise PasteError("剪贴板中的内容不是从表格中复制的一块数字") from None
    if len(rows) > MAX_BLOCK_ROWS or max(len(r) for r in rows) > MAX_BLOCK_COLUMNS:
        raise PasteError(
            f"剪贴板中的内容有 {len(rows)} 行、{max(len(r) for r in rows)} 列，不是表格中的一块数字"
        )
    return rows


def _clean(raw: str) -> str:
    # Full-width digits and commas come from Chinese input methods; spaces from aligned text.
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    return text


def _where(row: int, col: int) -> str:
    return f"第 {row + 1} 行第 {col + 1} 列"


def parse_count(raw: str, row: int = 0, col: int = 0) -> int:
    """A count as typed in a spreadsheet: ``1234``, ``1,234``; blank is 0."""
    text = _clean(raw)
    if text == "":
        return 0
    if _PLAIN.fullmatch(text) or _GROUPED.fullmatch(text):
        value = int(text.replace(",", ""))
        if value > MAX_COUNT:
            raise PasteError(f"{_where(row, col)}的“{raw.strip()}”超过上限 {MAX_COUNT:,}")
        return value
    if text.startswith("-") and _PLAIN.fullmatch(text[1:].replace(",", "")):
        raise PasteError(f"{_where(row, col)}的“{raw.strip()}”是负数，件数不能为负")
    if re.fullmatch(r"\d+\.0+", text):
        return int(text.split(".")[0])
    if re.fullmatch(r"[\d,]*\.\d+", text):
        raise PasteError(f"{_where(row, col)}的“{raw.strip()}”带小数，件数须为整数")
    raise PasteError(f"{_where(row, col)}的“{raw.strip()}”不是数字，件数须为整数")


def parse_money(raw: str, places: int, row: int = 0, col: int = 0) -> Decimal:
    """An amount in 万元 with at most ``places`` decimals; blank is 0."""
    text = _clean(raw)
    if text == "":
        return Decimal(0)
    if not _DECIMAL.fullmatch(text):
        raise PasteError(f"{_where(row, col)}的“{raw.strip()}”不是金额，须为不带单位的数字")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise PasteError(f"{_where(row, col)}的“{raw.strip()}”不是金额") from None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places and value != value.quantize(Decimal(1).scaleb(-places)):
        raise PasteError(f"{_where(row, col)}的金额“{raw.strip()}”超过 {places} 位小数")
    if value > MAX_COUNT:
        raise PasteError(f"{_where(row, col)}的金额“{raw.strip()}”过大")
    return value.quantize(Decimal(1).scaleb(-places)).normalize() if value else Decimal(0)


def plan_paste(
    text: str, grid: Sequence[Sequence[Target]], row: int, col: int
) -> dict[str, int | Decimal]:
    """The new value of every input cell the block covers when pasted with its top left at (row, col).

    ``grid`` is the table as rows of positions (rows may differ in length). Raises
    :class:`PasteError` when the block does not fit or any value is not acceptable.
    """
    block = split_block(text)
    height, width = len(block), max(len(r) for r in block)
    if row + height > len(grid):
        raise PasteError(
            f"要粘贴的内容有 {height} 行，但从当前单元格往下只剩 {len(grid) - row} 行，未粘贴任何数据"
        )
    for i in range(height):
        room = len(grid[row + i]) - col
        if width > room:
            raise PasteError(
                f"要粘贴的内容有 {width} 列，但从当前单元格往右只剩 {max(room, 0)} 列，未粘贴任何数据"
            )
    values: dict[str, int | Decimal] = {}
    for i, line in enumerate(block):
        for j in range(width):
            raw = line[j] if j < len(line) else ""
            target = grid[row + i][col + j]
            if target.kind == "money":
                values[target.ref] = parse_money(raw, target.places, i, j)
            else:
                value = parse_count(raw, i, j)
                if target.kind != "computed":
                    values[target.ref] = value
    return values
