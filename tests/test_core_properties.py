"""Properties over random reports: balanced tables never raise identity errors, and a single
wrong cell is pinned to its own column (plus 总计) and nothing else."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.exchange import dumps, report_from_json
from core.model import Report
from core.rules import check
from core.template import load_template

TPL = load_template()
COLUMNS = [c["id"] for c in TPL.table3_columns(inputs_only=True)]
RESULTS = [r["id"] for r in TPL.table3_rows() if r.get("result")]
T3_INPUTS = sorted(ref for ref in TPL.cells if ref.startswith("table3."))


@st.composite
def consistent_reports(draw: st.DrawFn) -> Report:
    report = Report.new(unit="某局", year=draw(st.integers(2021, 2030)))
    for ref in TPL.texts:
        report.texts[ref] = "无"
    for col in COLUMNS:
        processed = 0
        for row in RESULTS:
            n = draw(st.integers(0, 50))
            report.values[f"table3.{row}.{col}"] = n
            processed += n
        forward = draw(st.integers(0, 30))
        carried = draw(st.integers(0, processed + forward))
        report.values[f"table3.carried_over.{col}"] = carried
        report.values[f"table3.carried_forward.{col}"] = forward
        report.values[f"table3.new_received.{col}"] = processed + forward - carried
    for ref in TPL.cells:
        if ref.startswith("table4."):
            report.values[ref] = draw(st.integers(0, 1000))
    return report


@settings(max_examples=150, deadline=None)
@given(consistent_reports())
def test_consistent_reports_have_no_identity_error(report: Report) -> None:
    assert [f for f in check(report) if f.rule == "identity"] == []


@settings(max_examples=300, deadline=None)
@given(consistent_reports(), st.sampled_from(T3_INPUTS), st.integers(-20, 20).filter(bool))
def test_one_changed_cell_flags_exactly_its_column_and_total(report: Report, ref: str, delta: int) -> None:
    assume(report.values[ref] + delta >= 0)
    report.values[ref] += delta
    column = ref.rsplit(".", 1)[1]
    flagged = {f.cells[0].rsplit(".", 1)[1] for f in check(report) if f.rule == "identity"}
    assert flagged == {column, "total"}


@settings(max_examples=100, deadline=None)
@given(consistent_reports())
def test_exchange_round_trip(report: Report) -> None:
    again = report_from_json(dumps(report))
    assert again == report
    assert dumps(again) == dumps(report)
