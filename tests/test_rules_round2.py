"""The contract's round-2 rules (issue #10 items 3, 4, 5 and 6): each one finds its fault and stays
silent on the ordinary sentences real reports are full of."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.exchange import report_from_json
from core.findings import has_errors
from core.indicators import indicators
from core.prose import cleaned_texts
from core.rules import check
from core.sample import full_report


def _only(report, rule: str, previous=None) -> list:  # type: ignore[no-untyped-def]
    return [f for f in check(report, previous=previous) if f.rule == rule]


# -- missing_text: 五 ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["无", "暂无", "暂无。", " 无 ", "存在不足。", "有待加强"])
def test_a_part_of_five_that_says_nothing_is_flagged(text: str) -> None:
    report = full_report()
    report.texts["text.problems"] = text
    [finding] = _only(report, "missing_text")
    assert finding.cells == ("text.problems",) and finding.severity == "warning"


@pytest.mark.parametrize("text", ["政策解读形式仍需创新，解读质量有待提高。", "个别部门答复文书规范性有待提升。"])
def test_a_real_problem_statement_is_enough(text: str) -> None:
    report = full_report()
    report.texts["text.problems"] = text
    assert _only(report, "missing_text") == []


def test_one_word_in_section_one_is_not_judged_like_five() -> None:
    # The contract asks only that 一's parts are not empty.
    report = full_report()
    report.texts["text.overview.management"] = "无"
    assert _only(report, "missing_text") == []


# -- missing_date --------------------------------------------------------------------------------


@pytest.mark.parametrize(("published", "flagged"), [
    (None, True), (date(2022, 1, 20), False), (date(2022, 12, 31), False),
    (date(2021, 12, 30), True), (date(2026, 5, 1), True),
])
def test_missing_or_implausible_date(published: date | None, flagged: bool) -> None:
    report = full_report(year=2021)
    report.published_on = published
    findings = _only(report, "missing_date")
    assert bool(findings) is flagged
    if findings:
        assert findings[0].cells == ("published_on",) and "2022" in findings[0].message


# -- word_residue --------------------------------------------------------------------------------


@pytest.mark.parametrize(("dirty", "clean"), [
    ("[bookmark: _GoBack]我局从机构职能等方面加大公开力度。", "我局从机构职能等方面加大公开力度。"),
    ('详见{ HYPERLINK "http://www.xiuzhou.gov.cn/" }秀洲政府门户网站。', "详见秀洲政府门户网站。"),
    ("共 { PAGE \\* MERGEFORMAT } 页的制度汇编已印发。", "共  页的制度汇编已印发。"),
    ("1、 总体情况\n我局围绕政务公开要点开展工作。", "我局围绕政务公开要点开展工作。"),
    ("（四）平台建设情况。\n维护平台建设。", "维护平台建设。"),
])
def test_word_residue_is_found_and_cleaned(dirty: str, clean: str) -> None:
    report = full_report()
    report.texts["text.overview.platform"] = dirty
    [finding] = _only(report, "word_residue")
    assert finding.cells == ("text.overview.platform",) and "一键清除" in finding.message
    assert cleaned_texts(report) == {"text.overview.platform": clean}
    report.texts.update(cleaned_texts(report))
    assert _only(report, "word_residue") == []


@pytest.mark.parametrize("text", [
    "详见政府门户网站 http://www.pingtan.gov.cn/ 信息公开专栏。",
    "一是优化主动公开目录。二是增强政策解读效果。",
    "1、加强组织领导。\n2、完善工作机制。",
    "（一）加强监督保障\n将政务公开纳入绩效考核。",
    "（一）主动公开方面。有序推进基层政务公开。",
    "发布文字、图解、H5等多形式政策解读82篇，PAGE浏览量明显提升。",
])
def test_ordinary_prose_is_not_residue(text: str) -> None:
    report = full_report()
    report.texts["text.improvements"] = text
    assert _only(report, "word_residue") == []
    assert cleaned_texts(report) == {}


# -- copied_text ---------------------------------------------------------------------------------


def _two_years():  # type: ignore[no-untyped-def]
    last = full_report(seed=1, year=2021)
    this = full_report(seed=2, year=2022)
    for ref in this.texts:
        this.texts[ref] = f"{2022}年，本局在{ref}方面按要求开展了工作，完成了年度任务。"
        last.texts[ref] = f"{2021}年，本局围绕{ref}开展工作，各项制度得到落实。"
    return last, this


def test_a_paragraph_identical_to_last_years_ignoring_spaces_and_punctuation() -> None:
    last, this = _two_years()
    last.texts["text.overview.management"] = "严格执行“三审三校”制度，落实保密审查，确保信息发布权威、安全。"
    this.texts["text.overview.management"] = "严格执行 三审三校 制度；落实保密审查,确保信息发布权威、安全"
    [finding] = _only(this, "copied_text", last)
    assert finding.cells == ("text.overview.management",) and "2021 年度报告相同" in finding.message
    assert _only(this, "copied_text", None) == []  # without last year's report there is nothing to compare


@pytest.mark.parametrize("sentence", [
    "2021年我局主动公开政府信息共65条。",
    "2021年，我局主动公开政府信息共65条。",
    "某区科学技术局2021年度未收到政府信息公开申请。",
    "我局2021年主动公开政府信息共65条。",
])
def test_a_paragraph_still_naming_last_year_as_the_current_year(sentence: str) -> None:
    last, this = _two_years()
    this.texts["text.overview.active"] = sentence
    [finding] = _only(this, "copied_text", last)
    assert "仍把 2021 年当作本年度" in finding.message
    # The message quotes the words, whole: "（“2021年我局主动公开政府信息共65条”）".
    assert f"“{sentence.rstrip('。')}”" in finding.message


@pytest.mark.parametrize("sentence", [
    "主动公开政府信息共80条，较2021年增长23%。",
    "与2021年相比，主动公开数量有所增加。",
    "主动公开数量比2021年多15条。",
    "2021年12月印发的制度今年继续执行。",
    "自2021年以来，我局持续完善公开制度。",
    "对2021年度报告中指出的问题，已逐项整改。",
    "2021年结转的3件申请已全部办结。",
    "2021年我局主动公开65条，2022年主动公开80条。",
    "全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。",
])
def test_comparisons_and_references_to_last_year_are_not_copied_text(sentence: str) -> None:
    last, this = _two_years()
    this.texts["text.overview.active"] = sentence
    assert _only(this, "copied_text", last) == []


def test_set_phrases_repeated_every_year_are_not_copied_text() -> None:
    last, this = _two_years()
    last.texts["text.other_matters"] = this.texts["text.other_matters"] = "本年度未收取信息处理费。"
    assert _only(this, "copied_text", last) == []


# -- fee_statement -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "flagged"), [
    ("无", True), ("", True), ("无其他需要报告的事项。", True),
    ("本年度未收取信息处理费。", False), ("2025年，无收取信息处理费情况。", False),
    ("全年收取政府信息公开信息处理费0元。", False), ("本机关依申请提供政府信息，不收费。", False),
])
def test_six_must_say_whether_fees_were_charged(text: str, flagged: bool) -> None:
    report = full_report()
    report.texts["text.other_matters"] = text
    findings = _only(report, "fee_statement")
    assert bool(findings) is flagged
    if findings:
        assert findings[0].cells == ("text.other_matters",) and "信息处理费" in findings[0].message


# -- year_jump -----------------------------------------------------------------------------------


def _granted(report, total: int):  # type: ignore[no-untyped-def]
    """``report`` with 予以公开 totalling ``total``, all of it 自然人 (balanced through 本年新收)."""
    out = report.copy()
    for col in out.template.table3_columns(inputs_only=True):
        ref = f"table3.granted.{col['id']}"
        want = total if col["id"] == "natural" else 0
        out.values[f"table3.new_received.{col['id']}"] += want - out.values[ref]
        out.values[ref] = want
    return out


@pytest.mark.parametrize(("before", "now", "flagged"), [
    (12, 72, True), (72, 12, True), (12, 48, False), (40, 10, False), (3, 43, False), (43, 3, False),
])
def test_a_total_that_moved_more_than_five_times_is_flagged(before: int, now: int, flagged: bool) -> None:
    last = _granted(full_report(seed=1, year=2021), before)
    this = _granted(full_report(seed=1, year=2022), now)
    findings = [f for f in _only(this, "year_jump", last) if f.cells == ("table3.granted.total",)]
    assert bool(findings) is flagged
    if findings:
        assert f"本年 {now}，2021 年度为 {before}" in findings[0].message


def test_small_counts_may_jump() -> None:
    last = full_report(seed=1, year=2021)
    this = last.copy()
    this.year = 2022
    last.values["table4.review.upheld"], this.values["table4.review.upheld"] = 0, 40
    for f in ("corrected", "other", "pending"):
        last.values[f"table4.review.{f}"] = this.values[f"table4.review.{f}"] = 1
    # 3 → 43: the earlier year is under 10, an ordinary variation for a small office.
    assert [f for f in _only(this, "year_jump", last) if f.cells[0] == "table4.review.total"] == []


# -- the multiple-of-9 hint ---------------------------------------------------------------------


def test_a_difference_of_a_multiple_of_nine_suggests_swapped_digits() -> None:
    report = full_report()
    report.values["table3.granted.natural"] += 9  # as if 21 had been typed for 12
    findings = [f for f in check(report) if f.rule == "identity"]
    assert findings and all("两位数字颠倒" in f.message for f in findings)
    report.values["table3.granted.natural"] -= 8
    assert not any("颠倒" in f.message for f in check(report))


def test_typed_total_difference_of_nine_suggests_swapped_digits() -> None:
    report = full_report()
    report.typed_totals["table3.granted.total"] = report.totals()["table3.granted.total"] + 27
    [finding] = [f for f in check(report) if f.rule == "typed_total"]
    assert "两位数字颠倒" in finding.message


# -- fees to the 分 ---------------------------------------------------------------------------------


def test_fees_to_six_places_are_read_and_accepted() -> None:
    doc = {"schema": "xxgk-annual-report/1", "template": "2021", "unit": "某局", "year": 2021,
           "table2": {"fees": "24252.311082"}}
    import json

    report = report_from_json(json.dumps(doc))
    assert report.values["table2.fees"] == Decimal("24252.311082")
    assert not has_errors(check(report))
    report.values["table2.fees"] = Decimal("24252.3110825")
    assert [f.rule for f in check(report) if f.severity == "error"] == ["fees_precision"]


# -- indicators ----------------------------------------------------------------------------------


def test_indicators_follow_the_contracts_formulas() -> None:
    report = full_report()
    totals = report.totals()
    rates = {i.id: i for i in indicators(report)}
    disclosure = rates["disclosure_rate"]
    assert disclosure.numerator == totals["table3.granted.total"] + totals["table3.partially_granted.total"]
    assert disclosure.denominator == totals["table3.total_processed.total"]
    assert disclosure.formula == "（予以公开 + 部分公开）÷ 办理结果总计"
    review = rates["review_correction_rate"]
    assert review.numerator == report.values["table4.review.corrected"]
    assert review.denominator == totals["table4.review.total"] - report.values["table4.review.pending"]
    lit = rates["litigation_correction_rate"]
    assert lit.denominator == (totals["table4.litigation_direct.total"] + totals["table4.litigation_after_review.total"]
                               - report.values["table4.litigation_direct.pending"]
                               - report.values["table4.litigation_after_review.pending"])


def test_an_indicator_with_nothing_to_divide_by_has_no_value() -> None:
    report = full_report()
    for f in ("upheld", "corrected", "other"):
        report.values[f"table4.review.{f}"] = 0
    review = next(i for i in indicators(report) if i.id == "review_correction_rate")
    assert review.value is None and review.to_dict()["value"] is None and "分母为 0" in review.line


@pytest.mark.parametrize("sentence", [
    "全年办理网络问政182件，收到人大建议12件、政协提案8件，受理12345热线工单3000余件。",
    "本年度共收到申请{both}件（含上年结转），均在法定期限内答复。",
    "全年办理因政府信息公开申请引发的行政诉讼{litigation}起。",
    "其中通过网络平台收到申请3件，信函申请1件。",
])
def test_every_rule_is_silent_on_ordinary_consistent_sentences(sentence: str) -> None:
    report = full_report()
    totals = report.totals()
    both = totals["table3.new_received.total"] + totals["table3.carried_over.total"]
    litigation = totals["table4.litigation_direct.total"] + totals["table4.litigation_after_review.total"]
    report.texts["text.overview.requests"] = sentence.format(both=both, litigation=litigation)
    assert check(report) == []
