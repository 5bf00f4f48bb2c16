"""Typed totals are evidence about the file as it came (issue #10 item 1, the core half).

A published report's printed totals are kept and judged by ``check FILE``; once the clerk edits an
addend, the printed total no longer describes the report and gives way to the computation; a file
this program writes carries computed totals only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli import main
from core.exchange import read_report, write_report
from core.rules import check

DATA = Path(__file__).resolve().parent / "data" / "published"
# The balanced correction of the issue: 部分公开/自然人 +1 and 结转下年度/自然人 −1.
EDIT = (("table3.partially_granted.natural", 1), ("table3.carried_forward.natural", -1))
FED = {"table3.partially_granted.total", "table3.total_processed.natural", "table3.total_processed.total",
       "table3.carried_forward.total"}


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """pingtan-2025 as transcribed, every printed total kept as a typed total."""
    path = tmp_path / "pingtan-2025.json"
    path.write_bytes((DATA / "pingtan-2025.json").read_bytes())
    return path


def _typed(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.cells[0] for f in check(report) if f.rule == "typed_total"]


def test_a_plain_edit_leaves_the_printed_totals_as_errors_nobody_can_clear(published: Path) -> None:
    report = read_report(published)
    assert len(report.typed_totals) > 30 and _typed(report) == []
    for ref, delta in EDIT:
        report.set(ref, report.values[ref] + delta)
    assert set(_typed(report)) == FED


def test_a_clerks_edit_drops_the_totals_it_feeds_and_the_saved_file_checks_clean(
        published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = read_report(published)
    dropped: dict[str, int] = {}
    for ref, delta in EDIT:
        dropped |= report.edit(ref, report.values[ref] + delta)
    assert set(dropped) == FED
    assert _typed(report) == [] and not [f for f in check(report) if f.severity == "error"]
    # The other printed totals are still there, still judged.
    assert "table3.granted.total" in report.typed_totals

    saved = tmp_path / "saved.json"
    write_report(report, saved)
    doc = json.loads(saved.read_text("utf-8"))
    assert "total" not in doc["table3"]["granted"] and "total_processed" not in doc["table3"]
    assert read_report(saved).typed_totals == {}
    assert main(["check", str(saved)]) == 0
    capsys.readouterr()


def test_check_of_the_file_as_it_came_still_judges_its_totals(published: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(published.read_text("utf-8"))
    doc["table3"]["granted"]["total"] = 42  # printed 33
    published.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert main(["check", str(published)]) == 1
    assert "文件中填写的合计为 42，按各项相加应为 33" in capsys.readouterr().out


def test_use_the_computed_results_for_all_totals_at_once_and_undo(published: Path) -> None:
    doc = json.loads(published.read_text("utf-8"))
    doc["table3"]["granted"]["total"] = 42
    doc["table4"]["review"]["total"] = 35
    published.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    report = read_report(published)
    assert set(_typed(report)) == {"table3.granted.total", "table4.review.total"}
    before = dict(report.typed_totals)
    dropped = report.drop_all_typed_totals()  # 以计算结果为准
    assert _typed(report) == [] and report.typed_totals == {}
    report.restore_typed_totals(dropped)  # one undo step
    assert report.typed_totals == before and set(_typed(report)) == {"table3.granted.total", "table4.review.total"}


def test_an_edit_that_feeds_no_typed_total_drops_nothing(published: Path) -> None:
    report = read_report(published)
    count = len(report.typed_totals)
    assert report.edit("table2.licensing", 1) == {}
    assert report.typed_totals_fed_by("table4.review.upheld") == ["table4.review.total"]
    assert len(report.typed_totals) == count
