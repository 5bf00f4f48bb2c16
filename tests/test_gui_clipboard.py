"""Reading a block copied from Excel/WPS: what is accepted, and what is refused whole."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.clipboard import PasteError, Target, parse_count, plan_paste, split_block


def _grid(rows: int, cols: int, computed_col: int | None = None) -> list[list[Target]]:
    return [[Target(f"r{r}c{c}", "computed" if c == computed_col else "count") for c in range(cols)]
            for r in range(rows)]


def test_excel_block_with_crlf_trailing_newline_and_thousands() -> None:
    values = plan_paste("1,234\t5\r\n\t7\r\n", _grid(3, 3), 0, 0)
    assert values == {"r0c0": 1234, "r0c1": 5, "r1c0": 0, "r1c1": 7}


def test_full_width_digits_from_a_chinese_input_method() -> None:
    assert parse_count("１２") == 12
    assert parse_count(" 3 ") == 3


@pytest.mark.parametrize(("text", "words"), [
    ("1\tabc\n", ["第 1 行第 2 列", "abc"]),
    ("1.5", ["第 1 行第 1 列", "小数"]),
    ("-3", ["负数"]),
    ("1,23", ["1,23"]),
    ("1000000000", ["上限"]),
])
def test_a_value_that_is_not_a_count_is_named_with_its_place(text: str, words: list[str]) -> None:
    with pytest.raises(PasteError) as err:
        plan_paste(text, _grid(3, 3), 0, 0)
    for word in words:
        assert word in err.value.message


def test_a_block_that_does_not_fit_is_refused() -> None:
    with pytest.raises(PasteError, match="列"):
        plan_paste("1\t2\t3", _grid(3, 3), 0, 1)
    with pytest.raises(PasteError, match="行"):
        plan_paste("1\n2\n3\n4", _grid(3, 3), 0, 0)


def test_numbers_landing_on_a_total_are_checked_but_not_stored() -> None:
    values = plan_paste("1\t2\t3\n", _grid(1, 3, computed_col=2), 0, 0)
    assert values == {"r0c0": 1, "r0c1": 2}
    with pytest.raises(PasteError):
        plan_paste("1\t2\tx\n", _grid(1, 3, computed_col=2), 0, 0)


def test_money_keeps_decimals_and_refuses_more_than_four_places() -> None:
    grid = [[Target("fees", "money", 4)]]
    assert plan_paste("12.5\r\n", grid, 0, 0) == {"fees": Decimal("12.5")}
    with pytest.raises(PasteError, match="4 位小数"):
        plan_paste("1.23456", grid, 0, 0)


def test_empty_clipboard_is_refused() -> None:
    with pytest.raises(PasteError):
        split_block("\r\n")
