"""Each audit rule flags what a supervising office would flag, and stays quiet otherwise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.findings import has_errors, summary
from core.model import Report
from core.rules import check
from core.sample import full_report, seed_report


def _rules(findings) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule for f in findings]


def test_full_sample_report_passes() -> None:
    assert check(full_report()) == []


def test_identity_names_the_column_and_the_numbers() -> None:
    report = Report.new(unit="某局", year=2021)
    for ref in report.template.texts:
        report.texts[ref] = "无"
    report.set("table3.new_received.legal_service", 12)
    report.set("table3.carried_over.legal_service", 1)
    report.set("table3.granted.legal_service", 11)
    report.set("table3.carried_forward.legal_service", 1)
    findings = check(report)
    ids = [f for f in findings if f.rule == "identity"]
    assert [f.message for f in ids] == [
        "法律服务机构列：本年新收 12 + 上年结转 1 = 13，办理结果总计 11 + 结转下年度 1 = 12，相差 1",
        "总计列：本年新收 12 + 上年结转 1 = 13，办理结果总计 11 + 结转下年度 1 = 12，相差 1",
    ]
    assert ids[0].severity == "error"
    assert ids[0].cells == (
        "table3.new_received.legal_service", "table3.carried_over.legal_service",
        "table3.total_processed.legal_service", "table3.carried_forward.legal_service",
    )
    assert summary(findings).startswith("2 项错误")
    report.set("table3.granted.legal_service", 12)
    assert [f for f in check(report) if f.severity == "error"] == []


def test_typed_total_differs_from_computed() -> None:
    report = full_report()
    actual = report.totals()["table3.granted.total"]
    report.typed_totals["table3.granted.total"] = actual + 2
    report.typed_totals["table4.review.total"] = report.totals()["table4.review.total"]
    findings = check(report)
    assert _rules(findings) == ["typed_total"]
    assert findings[0].cells == ("table3.granted.total",)
    assert f"{actual + 2}" in findings[0].message and f"{actual}" in findings[0].message


@pytest.mark.parametrize(
    ("fees", "flagged"),
    [("0", False), ("12.3456", False), ("12.34560", False), ("24252.311082", False), ("4166.2416190", False),
     ("12.3456789", True), ("-1", True)],
)
def test_fees_precision(fees: str, flagged: bool) -> None:
    report = full_report()
    report.values["table2.fees"] = Decimal(fees)
    assert ("fees_precision" in _rules(check(report))) is flagged


def test_template_year_before_2021_is_an_error() -> None:
    report = full_report(year=2020)
    findings = check(report)
    assert "template_year" in _rules(findings)
    assert has_errors(findings)
    assert "2020" in next(f.message for f in findings if f.rule == "template_year")


def test_missing_text_warns_for_overview_and_problems_only() -> None:
    report = full_report()
    report.texts["text.overview.platform"] = "   "
    report.texts["text.improvements"] = ""
    report.texts["text.other_matters"] = ""
    findings = check(report)
    assert [(f.rule, f.cells) for f in findings] == [
        ("missing_text", ("text.overview.platform",)),
        ("missing_text", ("text.improvements",)),
        # An empty 六 is allowed as such, but it does not say whether fees were charged.
        ("fee_statement", ("text.other_matters",)),
    ]
    assert all(f.severity == "warning" for f in findings)
    assert not has_errors(findings)


def test_seed_report_prose_raises_no_narrative_warning() -> None:
    assert [f for f in check(seed_report()) if f.rule == "narrative_numbers"] == []


@pytest.mark.parametrize(
    ("sentence", "expected_cells"),
    [
        ("本年度共收到政府信息公开申请99件。", "table3.new_received.total"),
        ("全年结转下年度继续办理99件。", "table3.carried_forward.total"),
        ("发生政府信息公开行政复议99件。", "table4.review.total"),
        ("涉及行政诉讼案件99件。", "table4.litigation_direct.total"),
    ],
)
def test_narrative_numbers_contradicting_the_tables(sentence: str, expected_cells: str) -> None:
    report = full_report()
    report.texts["text.overview.requests"] = sentence
    findings = [f for f in check(report) if f.rule == "narrative_numbers"]
    assert len(findings) == 1
    assert findings[0].severity == "warning"
    assert findings[0].cells[0] == "text.overview.requests"
    assert expected_cells in findings[0].cells
    assert "99" in findings[0].message


def test_negated_statements_warn_when_tables_say_otherwise() -> None:
    report = full_report()
    report.texts["text.overview.requests"] = "本年度未收到政府信息公开申请，未发生行政复议、行政诉讼。"
    rules = [f.cells[1] for f in check(report) if f.rule == "narrative_numbers"]
    assert rules == ["table3.new_received.total", "table4.review.total", "table4.litigation_direct.total"]


def test_narrative_accepts_received_including_carry_over_and_chinese_numerals() -> None:
    report = full_report()
    totals = report.totals()
    both = totals["table3.new_received.total"] + totals["table3.carried_over.total"]
    report.texts["text.overview.requests"] = f"共收到申请{both}件（含上年结转）。"
    assert check(report) == []
    report = Report.new(unit="某局", year=2021)
    for ref in report.template.texts:
        report.texts[ref] = "无"
    report.set("table3.new_received.natural", 12)
    report.set("table3.granted.natural", 12)
    report.texts["text.overview.requests"] = "全年共收到政府信息公开申请十二件，收到行政复议申请2件不在此列。"
    findings = [f for f in check(report) if f.rule == "narrative_numbers"]
    # 十二 matches the table; the 复议 sentence is about table 4 and says 2 where the table has 0.
    assert [(f.rule, f.cells[1]) for f in findings] == [("narrative_numbers", "table4.review.total")]


def test_cross_year_compares_with_last_year() -> None:
    last = full_report(seed=1, year=2021)
    this = full_report(seed=2, year=2022)
    assert [f for f in check(this) if f.rule == "cross_year"] == []
    findings = [f for f in check(this, previous=last) if f.rule == "cross_year"]
    assert findings, "different carry-over must be flagged"
    # Make this year follow on from last year exactly: no cross_year warning is left.
    for col in ("natural", "commercial", "research", "nonprofit", "legal_service", "other_org"):
        delta = last.values[f"table3.carried_forward.{col}"] - this.values[f"table3.carried_over.{col}"]
        this.values[f"table3.carried_over.{col}"] += delta
        this.values[f"table3.new_received.{col}"] -= delta
    for row in ("regulations", "normative_documents"):
        v = this.values
        v[f"table2.{row}.valid"] = last.values[f"table2.{row}.valid"] + v[f"table2.{row}.made"] - v[
            f"table2.{row}.repealed"]
    findings = check(this, previous=last)
    assert [f for f in findings if f.rule == "cross_year"] == []
    this.values["table2.regulations.valid"] += 1
    flagged = [f for f in check(this, previous=last) if f.rule == "cross_year"]
    assert [f.cells[0] for f in flagged] == ["table2.regulations.valid"]
    assert "相差 1" in flagged[0].message


def test_missing_unit_warns_because_title_and_signature_would_lack_it() -> None:
    report = full_report()
    report.unit = "  "
    findings = check(report)
    assert [(f.rule, f.severity, f.cells) for f in findings] == [("missing_unit", "warning", ("unit",))]
    assert findings[0].message.startswith("单位名称：")
