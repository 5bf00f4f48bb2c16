"""Blocks as Excel and WPS really put them on the clipboard, quoted cells included, and the paste
error as a ReportError (so every ``except ReportError`` in the program catches it)."""

from __future__ import annotations

import pytest

from core.clipboard import PasteError, Target, plan_paste, split_block
from core.errors import ReportError


def _grid(rows: int, cols: int) -> list[list[Target]]:
    return [[Target(f"r{r}c{c}") for c in range(cols)] for r in range(rows)]


def test_a_quoted_cell_with_a_line_break_stays_one_cell() -> None:
    # A label cell typed with Alt+Enter, copied with the figures beside it (as Excel 2016 writes it).
    text = '"申请\r\n人数"\t5\r\n合计\t7\r\n'
    assert split_block(text) == [["申请\n人数", "5"], ["合计", "7"]]


def test_quotes_inside_a_quoted_cell_are_undoubled() -> None:
    assert split_block('"他说""好"""\t1\n') == [['他说"好"', "1"]]


def test_a_quoted_number_with_a_line_break_is_refused_at_its_own_place() -> None:
    with pytest.raises(PasteError, match="第 1 行第 2 列") as err:
        plan_paste('1\t"2\n3"\t4\n', _grid(2, 3), 0, 0)
    # Read by split("\t") and lines, the block would be two rows and the place wrong.
    assert "2" in err.value.message


def test_an_empty_line_inside_the_block_is_a_row_of_blanks() -> None:
    assert plan_paste("1\t2\n\n3\t4\n", _grid(3, 2), 0, 0) == {
        "r0c0": 1, "r0c1": 2, "r1c0": 0, "r1c1": 0, "r2c0": 3, "r2c1": 4}


def test_text_csv_cannot_read_is_refused_in_chinese() -> None:
    # An unclosed quote swallows the rest of a long clipboard into one over-long cell.
    with pytest.raises(PasteError, match="不是从表格中复制"):
        split_block('1\t"' + "9" * 200_000)


def test_a_paste_error_is_a_report_error() -> None:
    with pytest.raises(ReportError):
        split_block("   ")
    assert not issubclass(PasteError, ValueError)
