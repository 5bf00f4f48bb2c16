"""Next year's report from this year's: the 2021 format's carry-forward rule."""

from __future__ import annotations

from core.model import Report


def next_year_report(previous: Report) -> Report:
    """Next year's starting point: prose to edit, 上年结转 = last 结转下年度, the valid stock kept.

    Every table-3 column's ``carried_over`` takes last year's ``carried_forward``; table 2 keeps
    last year's ``valid`` counts as the baseline, with this year's made and repealed at 0.
    """
    tpl = previous.template
    report = Report.new(tpl, unit=previous.unit, year=previous.year + 1)
    report.texts.update(previous.texts)
    for col in tpl.table3_columns(inputs_only=True):
        c = col["id"]
        report.values[f"table3.carried_over.{c}"] = previous.values.get(f"table3.carried_forward.{c}", 0)
    for ref in tpl.cells:
        if ref.startswith("table2.") and ref.endswith(".valid"):
            report.values[ref] = previous.values.get(ref, 0)
    return report
