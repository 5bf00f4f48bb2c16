"""The overall report of a region: the units' tables 2–4 added cell by cell.

Every input cell of the 2021 format is additive (counts of documents, decisions, requests, cases;
the fee in 万元), so the overall table is the sum of the units' tables; totals stay computed.
Fees are added as ``Decimal`` — exact to the 分 whatever the number of units.

A unit whose report has errors is **left out of the sum and named** by default: one unbalanced
unit would make the overall report fail the identity, and a supervising office cannot publish it.
With ``include_errors`` it is added and named instead; the sum then carries one error per such
unit, so a summed report passes exactly when every unit in it does (see ``docs/region.md``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from core.findings import Finding
from core.model import Report, Value
from core.region.batch import BatchResult, LoadedReport, UnitResult
from core.region.roster import unit_key
from core.rules import check
from core.template import Template

NOTE_REF = "text.other_matters"
NOTE_HEAD = "【汇总说明：发布前请改写或删除本段】"


def add_cells(template: Template, reports: Iterable[Report]) -> dict[str, Value]:
    """Cell-by-cell sums of every input cell (totals are computed from these, never added)."""
    sums: dict[str, Value] = {ref: (Decimal(0) if spec.kind == "money" else 0)
                              for ref, spec in template.cells.items()}
    for report in reports:
        values = report.values
        for ref in sums:
            sums[ref] += values.get(ref, 0)
    return sums


def sum_reports(reports: list[Report], *, unit: str, year: int, template: Template | None = None) -> Report:
    """A new report of ``unit`` for ``year`` whose tables are the sums of ``reports``; prose empty."""
    tpl = template or (reports[0].template if reports else None)
    total = Report.new(tpl, unit=unit, year=year)
    total.values = add_cells(total.template, reports)
    return total


@dataclass
class SumResult:
    report: Report
    year: int
    included: list[UnitResult]
    excluded: list[UnitResult]              # reports with errors, left out
    included_with_errors: list[UnitResult]  # reports with errors, added because asked to
    findings: list[Finding]
    missing: list[str] = field(default_factory=list)          # roster units without a report
    previous_units: list[str] = field(default_factory=list)   # units whose last-year report was compared
    previous_absent: list[str] = field(default_factory=list)  # included units with no last-year report
    previous_not_summed: list[str] = field(default_factory=list)  # last year's units not in this sum
    carry_differences: list[str] = field(default_factory=list)    # per unit: 上年结转 ≠ last 结转下年度
    own_reports: list[UnitResult] = field(default_factory=list)   # the region's own overall report, not added

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def note(self) -> str:
        """The paragraph put in 六 of the draft: which units the tables are the sum of."""
        names = "、".join(r.unit for r in self.included) or "无"
        parts = [f"{NOTE_HEAD}本报告第二、三、四部分的表格由以下 {len(self.included)} 个单位 {self.year} 年度"
                 f"报告的数字逐项相加汇总：{names}。"]
        if self.excluded:
            parts.append("因报告有错误未计入汇总的单位：" + "、".join(
                f"{r.unit}（{r.errors} 项错误）" for r in self.excluded) + "。")
        if self.included_with_errors:
            parts.append("报告有错误、但已计入汇总的单位：" + "、".join(
                f"{r.unit}（{r.errors} 项错误）" for r in self.included_with_errors) + "。")
        if self.missing:
            parts.append("名单中未提交报告、未计入汇总的单位：" + "、".join(self.missing) + "。")
        return "".join(parts)

    def lines(self) -> list[str]:
        """What the command line prints and the workbook records, one fact per line."""
        out = [f"已汇总 {len(self.included)} 个单位：" + ("、".join(r.unit for r in self.included) or "无")]
        if self.excluded:
            out.append(f"有错误、未计入汇总 {len(self.excluded)} 个单位：" + "、".join(
                f"{r.unit}（{r.errors} 项错误：{r.first_problem}）" for r in self.excluded))
        if self.included_with_errors:
            out.append(f"有错误、已计入汇总 {len(self.included_with_errors)} 个单位：" + "、".join(
                f"{r.unit}（{r.errors} 项错误）" for r in self.included_with_errors))
        if self.missing:
            out.append(f"名单中未提交报告 {len(self.missing)} 个单位：" + "、".join(self.missing))
        for r in self.own_reports:
            out.append(f"{r.path} 是{r.unit}本身的报告（与汇总单位同名），未计入汇总")
        if self.previous_units or self.previous_absent:
            out.append(f"上年结转核对：与 {len(self.previous_units)} 个单位上年度报告的结转下年度之和比较")
            if self.previous_absent:
                out.append("  上年报告集中没有以下单位的报告，未参与核对：" + "、".join(self.previous_absent))
            if self.previous_not_summed:
                out.append("  上年报告集中有、本年未计入汇总的单位：" + "、".join(self.previous_not_summed))
            out += [f"  {line}" for line in self.carry_differences]
        return out


def _unit_error_findings(results: list[UnitResult]) -> list[Finding]:
    findings = []
    for r in results:
        errors = [f for f in r.findings if f.severity == "error"]
        cells = tuple(dict.fromkeys(c for f in errors for c in f.cells))
        findings.append(Finding("unit_errors", "error", cells,
                                f"{r.unit}：报告有 {r.errors} 项错误，已计入汇总（{r.first_problem}）"))
    return findings


def build_sum(batch: BatchResult, *, unit: str, year: int | None = None, include_errors: bool = False,
              previous: list[LoadedReport] | None = None) -> SumResult:
    """The overall report from a checked batch; ``previous``: last year's reports, for 上年结转."""
    year = year or batch.year
    if year is None:
        raise ValueError("no year")
    results = [r for r in batch.results if r.year == year]
    # An earlier overall report saved into the units' folder must not be added to itself.
    own = [r for r in results if unit_key(r.report.unit) == unit_key(unit)]
    results = [r for r in results if r not in own]
    if include_errors:
        included, excluded = results, []
    else:
        included = [r for r in results if not r.errors]
        excluded = [r for r in results if r.errors]
    with_errors = [r for r in included if r.errors]
    from core.template import load_template

    template = included[0].report.template if included else load_template()
    total = sum_reports([r.report for r in included], unit=unit, year=year, template=template)
    result = SumResult(total, year, included, excluded, with_errors, [],
                       missing=[u.name for u in batch.missing], own_reports=own)
    total.texts[NOTE_REF] = result.note()
    last_total = None
    if previous is not None:
        last_total = _previous_sum(result, previous, unit=unit)
    result.findings = check(total, previous=last_total) + _unit_error_findings(with_errors)
    return result


def _previous_sum(result: SumResult, previous: list[LoadedReport], *, unit: str) -> Report:
    """Last year's sum over the units summed this year, noting who could not be compared."""
    year = result.year - 1
    last = {item.key[0]: item.report for item in previous if item.report.year == year and item.key[0]}
    tpl = result.report.template
    rows = {r["id"]: r["short"] for r in tpl.table3_rows()}
    columns = tpl.table3_columns(inputs_only=True)
    compared: list[Report] = []
    summed_keys = set()
    for r in result.included:
        key = unit_key(r.report.unit)
        summed_keys.add(key)
        prev = last.get(key)
        if prev is None:
            result.previous_absent.append(r.unit)
            continue
        compared.append(prev)
        result.previous_units.append(r.unit)
        diffs = []
        for col in columns:
            now = r.report.values[f"table3.carried_over.{col['id']}"]
            before = prev.values.get(f"table3.carried_forward.{col['id']}", 0)
            if now != before:
                diffs.append(f"{col['label']}列 {now}≠{before}")
        if diffs:
            result.carry_differences.append(
                f"{r.unit}：本年{rows['carried_over']}与 {year} 年度{rows['carried_forward']}不一致（"
                + "，".join(diffs) + "）")
    result.previous_not_summed = sorted(
        report.unit for key, report in last.items() if key not in summed_keys)
    # Units with no last-year report are taken as carrying over what they report this year, so
    # that their absence is named once (above) instead of showing up as an overall difference.
    for r in result.included:
        if unit_key(r.report.unit) not in last:
            stand_in = Report.new(tpl, unit=r.unit, year=year)
            for col in columns:
                stand_in.values[f"table3.carried_forward.{col['id']}"] = \
                    r.report.values[f"table3.carried_over.{col['id']}"]
            for ref in tpl.cells:
                if ref.startswith("table2.") and ref.endswith(".valid"):
                    row = ref.rsplit(".", 1)[0]
                    v = r.report.values
                    stand_in.values[ref] = v[ref] - v[f"{row}.made"] + v[f"{row}.repealed"]
            compared.append(stand_in)
    return sum_reports(compared, unit=unit, year=year, template=tpl)
