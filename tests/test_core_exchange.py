"""The exchange file: canonical output, exact round trip, and one clear refusal per kind of bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import InvalidReportFile
from core.exchange import dumps, read_report, report_from_json, report_to_dict, write_report
from core.sample import full_report


def _doc(**changes: object) -> dict:
    doc = report_to_dict(full_report())
    doc.update(changes)
    return doc


def _problems(text: str) -> list[str]:
    with pytest.raises(InvalidReportFile) as info:
        report_from_json(text)
    return info.value.lines()


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    report = full_report()
    report.title = "某区科学技术局2021年政府信息公开工作年度报告（修订）"
    path = tmp_path / "报告.json"
    write_report(report, path)
    again = read_report(path)
    assert again == report
    assert path.read_text("utf-8") == dumps(again)


def test_output_is_canonical_utf8_without_escapes() -> None:
    text = dumps(full_report())
    assert "某区科学技术局" in text and "\\u" not in text
    doc = json.loads(text)
    assert list(doc)[:4] == ["schema", "template", "unit", "year"]
    assert isinstance(doc["table2"]["fees"], str)
    assert list(doc["table3"]) == [
        r["id"] for r in full_report().template.table3_rows() if not r.get("computed")
    ]
    assert dumps(report_from_json(text)) == text


def test_missing_cells_read_as_zero_and_title_defaults() -> None:
    report = report_from_json(json.dumps(
        {"schema": "xxgk-annual-report/1", "template": "2021", "unit": "某局", "year": 2022}
    ))
    assert report.values["table3.granted.natural"] == 0
    assert report.values["table2.fees"] == Decimal(0)
    assert report.effective_title == "某局2022年政府信息公开工作年度报告"


def test_fees_keep_exact_decimals_from_numbers_and_strings() -> None:
    doc = _doc()
    doc["table2"]["fees"] = 0.1
    assert report_from_json(json.dumps(doc)).values["table2.fees"] == Decimal("0.1")
    doc["table2"]["fees"] = "12.3456"
    assert report_from_json(json.dumps(doc)).values["table2.fees"] == Decimal("12.3456")


def test_typed_totals_are_kept_not_trusted() -> None:
    doc = _doc()
    doc["table3"]["granted"]["total"] = 1
    report = report_from_json(json.dumps(doc, ensure_ascii=False))
    assert report.typed_totals == {"table3.granted.total": 1}
    assert report.totals()["table3.granted.total"] != 1
    assert json.loads(dumps(report))["table3"]["granted"]["total"] == 1


def test_negative_count_names_the_field() -> None:
    doc = _doc()
    doc["table3"]["granted"]["natural"] = -1
    assert _problems(json.dumps(doc)) == ["table3.granted.natural：应为 0 至 999999999 的整数，实际为 -1"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1.5, "1.5"), (3.0, "3.0"), ("7", "文本“7”"), (True, "true"), (None, "null"),
     (1_000_000_000, "1000000000")],
)
def test_wrong_counts_are_refused(value: object, shown: str) -> None:
    doc = _doc()
    doc["table4"]["review"]["pending"] = value
    assert _problems(json.dumps(doc, ensure_ascii=False)) == [
        f"table4.review.pending：应为 0 至 999999999 的整数，实际为 {shown}"
    ]


def test_every_problem_is_listed_at_once() -> None:
    doc = _doc(colour="red")
    doc["table3"]["granted"]["natrual"] = 1
    doc["table2"]["fees"] = "十元"
    doc["year"] = "2021"
    problems = _problems(json.dumps(doc, ensure_ascii=False))
    assert "colour：未知的字段" in problems
    assert "table3.granted.natrual：未知的字段" in problems
    assert any(p.startswith("table2.fees：") for p in problems)
    assert any(p.startswith("year：") for p in problems)
    assert len(problems) == 4


def test_not_this_schema() -> None:
    assert _problems('{"schema": "other/1"}')[0].startswith("schema：不是政府信息公开年报交换文件")
    assert _problems('{"schema": "xxgk-annual-report/1", "template": "2007"}')[0].startswith("template：")
    assert _problems("[1, 2]") == ["文件：应为 JSON 对象，实际为数组"]


def test_not_json() -> None:
    assert _problems('{"schema": ')[0].startswith("文件：不是有效的 JSON（第 1 行")
    assert _problems('{"a": NaN}')[0].startswith("文件：含有 JSON 不允许的数值")


def test_duplicate_keys_are_refused() -> None:
    assert _problems('{"schema": "xxgk-annual-report/1", "schema": "x"}') == ["schema：字段重复出现"]


def test_wrong_shapes() -> None:
    doc = _doc()
    doc["table3"]["granted"] = 5
    doc["text"]["overview"]["active"] = ["a"]
    assert sorted(_problems(json.dumps(doc))) == [
        "table3.granted：应为对象，实际为5",
        "text.overview.active：应为文本，实际为数组",
    ]


def test_bad_dates_and_years() -> None:
    problems = _problems(json.dumps(_doc(published_on="2022/01/20", year=1900)))
    assert any(p.startswith("published_on：应为“YYYY-MM-DD”") for p in problems)
    assert any(p.startswith("year：应为 2000 至 2100 的年份") for p in problems)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidReportFile) as info:
        read_report(tmp_path / "没有.json")
    assert info.value.lines() == [f"{tmp_path / '没有.json'}：文件不存在"]


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (5 * 1024 * 1024 + 1))
    with pytest.raises(InvalidReportFile) as info:
        read_report(path)
    assert "超过 5 MB" in info.value.lines()[0]


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.json"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InvalidReportFile) as info:
        read_report(path)
    assert "不是年报交换文件" in info.value.lines()[0]


def test_byte_order_mark_from_notepad_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + dumps(full_report()).encode("utf-8"))
    assert read_report(path) == full_report()


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    from core.errors import OutputError

    path = tmp_path / "r.json"
    write_report(full_report(), path)
    before = path.read_bytes()
    with pytest.raises(OutputError):
        write_report(full_report(), tmp_path / "missing-folder" / "r.json")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]
