"""The rules on three real published reports: silent where the reports are consistent, and finding
what a careful hand audit finds (issue #10 item 4, the contract's "zero false alarms").

The fixtures in ``tests/data/published/`` are the hand transcriptions of
``../shared/samples/published/*.expected.json`` with the full published prose (see their README).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli import main
from core.exchange import read_report
from core.narrative import statements
from core.prose import NAMES_LAST_YEAR, carried_count, carried_paragraphs, clean_residue, find_residue
from core.rules import check
from core.sample import seed_report

DATA = Path(__file__).resolve().parent / "data" / "published"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NAMES = ("pingtan-2024", "pingtan-2025", "hongze-2024")


def _report(name: str):  # type: ignore[no-untyped-def]
    return read_report(DATA / f"{name}.json")


@pytest.mark.parametrize("name", NAMES)
def test_fixture_tables_are_the_hand_transcription(name: str) -> None:
    expected = SHARED / "samples" / "published" / f"{name}.expected.json"
    if not expected.exists():
        pytest.skip(f"{expected} is not beside the repository")
    ours, theirs = json.loads((DATA / f"{name}.json").read_text("utf-8")), json.loads(expected.read_text("utf-8"))
    assert {k: v for k, v in ours.items() if k != "text"} == {k: v for k, v in theirs.items() if k != "text"}


@pytest.mark.parametrize("name", ["pingtan-2024", "pingtan-2025"])
def test_consistent_published_reports_raise_nothing(name: str) -> None:
    assert check(_report(name)) == []


def test_hongze_only_lacks_its_date() -> None:
    # Hand audit of hongze-2024.pdf: the PDF prints no 落款 date at all, so the transcription has no
    # published_on; the printed 落款 of this file would be guessed. That is the one finding.
    findings = check(_report("hongze-2024"))
    assert [(f.rule, f.cells) for f in findings] == [("missing_date", ("published_on",))]


def test_a_part_of_the_unit_is_not_the_tables_total() -> None:
    # "区政府办代表区政府受理政府信息公开申请17件": the district office's own requests, while table 3
    # (95) counts the whole district, whose departments the paragraph says it guided. Not a fault.
    report = _report("hongze-2024")
    assert "区政府办代表区政府受理政府信息公开申请17件" in report.texts["text.overview.requests"]
    assert [f for f in check(report) if f.rule == "narrative_numbers"] == []
    # The same number said of the whole unit is a contradiction, and is found.
    report.texts["text.overview.requests"] = "2024年，区政府受理政府信息公开申请17件，均已在法定期限内予以答复。"
    [finding] = [f for f in check(report) if f.rule == "narrative_numbers"]
    assert "17" in finding.message and "95" in finding.message


def test_pingtan_2025_prose_is_read_and_agrees_with_its_tables() -> None:
    report = _report("pingtan-2025")
    said = {(s.kind, s.value) for s in statements(report.texts["text.overview.requests"], report.year)}
    assert said == {("received", 154), ("carried_forward", 6), ("review", 36), ("litigation", 9)}
    # Read, not merely ignored: a table that disagrees is named.
    report.values["table3.carried_forward.natural"] += 1
    report.values["table3.granted.natural"] -= 1
    [finding] = [f for f in check(report) if f.rule == "narrative_numbers"]
    assert "结转至2026年6件" in finding.message and "7" in finding.message


def test_pingtan_2025_against_2024_finds_the_real_cross_year_fault_and_nothing_else() -> None:
    findings = check(_report("pingtan-2025"), previous=_report("pingtan-2024"))
    assert [(f.rule, f.cells[0]) for f in findings] == [("cross_year", "table2.normative_documents.valid")]
    assert "440" in findings[0].message and "546" in findings[0].message and "453" in findings[0].message
    assert carried_paragraphs(_report("pingtan-2025"), _report("pingtan-2024")) == []


def test_check_with_previous_file_and_indicators_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(DATA / "pingtan-2025.json"), "--previous", str(DATA / "pingtan-2024.json"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [f["rule"] for f in out["findings"]] == ["cross_year"]
    rates = {i["name"]: i["percent"] for i in out["indicators"]}
    assert rates == {"公开率": "47.97%", "行政复议纠错率": "8.33%", "行政诉讼纠错率": "33.33%"}


def test_next_years_draft_made_from_a_real_report_is_marked_as_carried() -> None:
    last = _report("pingtan-2024")
    draft = last.copy()
    draft.year, draft.published_on = 2025, None
    carried = carried_paragraphs(draft, last)
    # Every paragraph is last year's; 六 is too short to count as copied prose, but it still says
    # "2024年，无收取信息处理费情况。" in the 2025 report.
    assert {c.ref for c in carried} == set(draft.texts)
    assert [(c.reason, c.quote) for c in carried if c.ref == "text.other_matters"] == [
        (NAMES_LAST_YEAR, "2024年，无收取信息处理费情况")
    ]
    assert [f.rule for f in check(draft, previous=last)].count("copied_text") == len(draft.texts)
    assert carried_count(draft, last) == len(carried) == 9


def test_seed_report_findings_are_the_ones_a_hand_audit_makes() -> None:
    # The seed (a real district report) prints no date and says only 无 in 六, where the format's
    # own note asks for the information-processing fees: both are real omissions.
    findings = check(seed_report())
    assert sorted(f.rule for f in findings) == ["fee_statement", "missing_date"]


def test_the_seed_documents_word_bookmark_is_found_and_cleaned() -> None:
    source = SHARED / "reference" / "seed-report-2021.txt"
    if not source.exists():
        pytest.skip(f"{source} is not beside the repository")
    lines = source.read_text("utf-8").splitlines()
    platform = next(line for line in lines if line.startswith("[bookmark: _GoBack]"))
    seed = seed_report()
    [residue] = find_residue(platform, seed.template)
    assert residue.quote == "[bookmark: _GoBack]"
    assert clean_residue(platform, seed.template) == seed.texts["text.overview.platform"]
    # The Word export's "1、 总体情况" heading line, pasted with the prose, goes too.
    pasted = "\n".join(["1、 总体情况", lines[lines.index("1、 总体情况") + 2]])
    assert [r.kind for r in find_residue(pasted, seed.template)] == ["标题编号"]
    assert clean_residue(pasted, seed.template) == seed.texts["text.overview.active"]


def test_plain_check_ends_with_the_indicators_and_their_formulas(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DATA / "hongze-2024.json")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("1 项提示")
    tail = out[out.index("参考指标"):]
    assert "公开率：62.11%　（予以公开 + 部分公开）÷ 办理结果总计 = 59 ÷ 95" in tail
    assert "行政复议纠错率：50.00%" in tail and "行政诉讼纠错率：0.00%" in tail
