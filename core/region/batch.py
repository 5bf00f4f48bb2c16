"""Checking many units' reports at once: what a county office does before anything is published.

The inputs are files and folders (searched recursively): exchange files (``.json``) and, through
``core.plugins.reader_for``, every kind of published report a registered reader accepts. Each
report is checked with the unit's previous-year report when that is among the inputs, so the
cross-year rules run as they do in the window. A file that cannot be used — not a report, broken,
a second report of the same unit and year — is listed with its reason and never stops the rest.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from core.errors import ReportError
from core.findings import SEVERITY_LABELS, Finding
from core.model import Report
from core.region.roster import RosterUnit, unit_key
from core.rules import check

if TYPE_CHECKING:
    from core.store import Store

T = TypeVar("T")

# Statuses of a unit in the regional view, as the office says them.
STATUS_MISSING = "未提交"
STATUS_ERRORS = "有错误"
STATUS_WARNINGS = "有提示"
STATUS_PASSED = "通过"
STATUSES = (STATUS_MISSING, STATUS_ERRORS, STATUS_WARNINGS, STATUS_PASSED)

EXCHANGE_SUFFIX = ".json"
NO_UNIT = "（未填写单位名称）"

# Kinds of unusable input, for grouping in the output.
BAD_INVALID = "invalid"      # not a report, or a broken one
BAD_DUPLICATE = "duplicate"  # a second report of the same unit and year
BAD_SKIPPED = "skipped"      # a file in a folder that is no report kind at all


@dataclass
class BadInput:
    path: Path
    reasons: list[str]
    kind: str = BAD_INVALID

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


@dataclass
class LoadedReport:
    """One readable input: the report and where it came from (plus a reader's notes about gaps)."""

    path: Path
    report: Report
    notes: list[str] = field(default_factory=list)
    draft_id: str | None = None  # read from the drafts store rather than a file
    label: str = ""              # how to name the source when it is not a file

    @property
    def where(self) -> str:
        return self.label or str(self.path)

    @property
    def key(self) -> tuple[str, int]:
        return unit_key(self.report.unit), self.report.year


@dataclass
class UnitResult:
    """One line of the batch: a unit's report for the year, checked."""

    unit: str
    year: int
    path: Path
    report: Report
    findings: list[Finding]
    short: str = ""
    in_roster: bool = True
    previous_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    draft_id: str | None = None
    where: str = ""  # the file, or the draft, the report was read from

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def status(self) -> str:
        if self.errors:
            return STATUS_ERRORS
        return STATUS_WARNINGS if self.findings or self.notes else STATUS_PASSED

    @property
    def first_problem(self) -> str:
        """The first error (else warning), named by table and row: what to fix first."""
        ordered = ordered_findings(self.report, self.findings)
        if ordered:
            f = ordered[0]
            return f"[{SEVERITY_LABELS[f.severity]}] {locate(self.report, f)}{f.message}"
        return self.notes[0] if self.notes else ""


Loaded = tuple[list[LoadedReport], list[BadInput]]


@dataclass
class BatchResult:
    year: int | None
    results: list[UnitResult]
    missing: list[RosterUnit] = field(default_factory=list)
    bad: list[BadInput] = field(default_factory=list)
    other_years: int = 0          # readable reports of other years (used as last year's, or not at all)
    year_guessed: bool = False    # no --year: the newest year among the inputs was taken
    roster: list[RosterUnit] | None = None

    @property
    def has_errors(self) -> bool:
        return any(r.errors for r in self.results)

    @property
    def unusable(self) -> list[BadInput]:
        """Inputs that should have been reports but could not be used (skipped other files aside)."""
        return [b for b in self.bad if b.kind != BAD_SKIPPED]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        counts[STATUS_MISSING] = len(self.missing)
        for r in self.results:
            counts[r.status] += 1
        return counts


# -- where a finding is -------------------------------------------------------------------------


def table_name(report: Report, section_id: str) -> str:
    """``表三`` for the section holding table 3; a prose section by its heading."""
    section = report.template.section(section_id)
    if section.kind == "table":
        # The official tables are numbered by their section: 二、… holds 表二.
        return "表" + section.heading.split("、", 1)[0]
    return section.heading


def locate(report: Report, finding: Finding) -> str:
    """``表三 予以公开：`` — table and row of a finding's first cell, unless its message names them."""
    tpl = report.template
    for ref in finding.cells:
        section_id = tpl.section_for(ref)
        if section_id is None:
            continue
        place = table_name(report, section_id)
        if ref in tpl.texts:
            heading, part = tpl.section(section_id).heading, tpl.texts[ref].heading
            if finding.message.startswith(heading):
                return ""
            # Messages name the part only; the section heading says which of 一…六 it is in.
            return heading if part and finding.message.startswith(part) else f"{heading}{part}："
        row = row_label(report, ref)
        if row and row not in finding.message:
            place += f" {row}"
        return f"{place}："
    return "基本信息："


def row_label(report: Report, ref: str) -> str:
    tpl = report.template
    if ref in tpl.cells:
        return tpl.cells[ref].row_label
    if ref in tpl.computed_labels:
        return tpl.computed_labels[ref][0]
    return ""


def ordered_findings(report: Report, findings: list[Finding]) -> list[Finding]:
    """Errors first, then in the order of the report's sections (meta fields first)."""
    tpl = report.template
    order = {s.id: i for i, s in enumerate(tpl.sections)}

    def rank(f: Finding) -> tuple[int, int]:
        section = next((tpl.section_for(c) for c in f.cells if tpl.section_for(c)), None)
        return (0 if f.severity == "error" else 1, -1 if section is None else order[section])

    return sorted(findings, key=rank)


# -- reading the inputs -------------------------------------------------------------------------


def _hidden(path: Path) -> bool:
    # Office's lock files (~$名单.xlsx) and editors' hidden files are never reports.
    return path.name.startswith((".", "~$"))


def input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, bool]]:
    """Every file named or inside a named folder, with whether it was named explicitly."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p)
                if child.is_file() and not any(_hidden(Path(part)) for part in rel.parts):
                    yield child, False
        else:
            yield p, True


def read_input(path: Path) -> LoadedReport:
    """An exchange file, or a published report through its registered reader; raises ReportError."""
    from core.exchange import read_report

    if path.suffix.lower() == EXCHANGE_SUFFIX:
        return LoadedReport(path, read_report(path))
    from core.plugins import reader_for

    reader = reader_for(path)
    if reader is None:
        return LoadedReport(path, read_report(path))  # refused with read_report's own message
    try:
        result = reader.read(path)
    except ReportError:
        raise
    except Exception as err:  # a reader's bug must cost one file, not the other 499
        raise ReportError(f"{path}：无法读取（{type(err).__name__}）") from err
    return LoadedReport(path, result.report, [*result.problems])


def _is_report_kind(path: Path) -> bool:
    if path.suffix.lower() == EXCHANGE_SUFFIX:
        return True
    from core.plugins import reader_for

    return reader_for(path) is not None


Progress = tuple[str, int, int]  # what is being done, how many done, out of how many


def drive(steps: Generator[Progress, None, T]) -> T:
    """Run a step generator to its end (the command line); the window runs it in slices instead."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def load_steps(paths: Iterable[str | os.PathLike[str]]) -> Generator[Progress, None, Loaded]:
    """Read every input, one file per step; duplicates of a unit and year are set aside."""
    files = list(input_files(paths))
    collector = _Collector()
    yield ("读取", 0, len(files))
    for n, (path, named) in enumerate(files):
        if not named and not _is_report_kind(path):
            collector.bad.append(BadInput(path, ["不是年报文件（交换文件 .json 或已发布的年报），已跳过"],
                                          BAD_SKIPPED))
        else:
            try:
                collector.add(read_input(path))
            except ReportError as err:
                collector.bad.append(BadInput(path, err.lines()))
        yield ("读取", n + 1, len(files))
    return collector.loaded, collector.bad


def store_steps(store: Store) -> Generator[Progress, None, Loaded]:
    """Every report of the drafts store (回收站 aside), newest first so a unit's latest draft is used."""
    entries = store.list()
    collector = _Collector()
    yield ("读取草稿", 0, len(entries))
    for n, entry in enumerate(entries):
        label = f"草稿 {entry.id}（{entry.display_name}）"
        try:
            collector.add(LoadedReport(store.folder, store.load(entry.id), draft_id=entry.id, label=label))
        except ReportError as err:
            collector.bad.append(BadInput(Path(label), err.lines()))
        yield ("读取草稿", n + 1, len(entries))
    return collector.loaded, collector.bad


class _Collector:
    def __init__(self) -> None:
        self.loaded: list[LoadedReport] = []
        self.bad: list[BadInput] = []
        self.kept: dict[tuple[str, int], LoadedReport] = {}

    def add(self, item: LoadedReport) -> None:
        if item.key[0]:
            first = self.kept.get(item.key)
            if first is not None:
                used, dropped = first, item
                if _exactness(item) < _exactness(first):
                    # An exchange file states every cell; a published report's reading may have gaps.
                    used, dropped = item, first
                    self.loaded[self.loaded.index(first)] = item
                    self.kept[item.key] = item
                self.bad.append(BadInput(Path(dropped.where), [
                    f"与 {used.where} 是同一单位（{item.report.unit}）同一年度（{item.report.year}）的报告，"
                    f"未采用本文件，采用的是 {used.where}"], BAD_DUPLICATE))
                return
            self.kept[item.key] = item
        self.loaded.append(item)


def _exactness(item: LoadedReport) -> int:
    return 0 if item.draft_id or item.path.suffix.lower() == EXCHANGE_SUFFIX else 1


def load_inputs(paths: Iterable[str | os.PathLike[str]]) -> Loaded:
    return drive(load_steps(paths))


# -- the batch ----------------------------------------------------------------------------------


def match_roster(roster: list[RosterUnit]) -> dict[str, RosterUnit]:
    table: dict[str, RosterUnit] = {}
    for unit in roster:
        for key in unit.keys:
            table.setdefault(key, unit)
    return table


def default_year(loaded: list[LoadedReport]) -> int | None:
    """The newest year among reports that name their unit: a blank template read from a
    published-report kind carries no real year and must not decide the round."""
    named = [item.report.year for item in loaded if item.key[0]]
    return max(named or [item.report.year for item in loaded], default=None)


def check_steps(loaded: list[LoadedReport], bad: list[BadInput], *, year: int | None = None,
                roster: list[RosterUnit] | None = None) -> Generator[Progress, None, BatchResult]:
    """Check the reports of ``year`` (default: the newest among them), one report per step."""
    guessed = year is None
    if year is None:
        year = default_year(loaded)
    by_key = {item.key: item for item in loaded if item.key[0]}
    roster_of = match_roster(roster or [])
    results: list[UnitResult] = []
    this_year = [item for item in loaded if item.report.year == year]
    yield ("校验", 0, len(this_year))
    for n, item in enumerate(this_year):
        report = item.report
        key = item.key
        previous = by_key.get((key[0], report.year - 1)) if key[0] else None
        if previous is None and key[0] in roster_of:
            # The report may carry the short name one year and the full name the next.
            unit = roster_of[key[0]]
            previous = next((by_key[(k, report.year - 1)] for k in unit.keys if (k, report.year - 1) in by_key),
                            None)
        findings = check(report, previous=previous.report if previous else None)
        listed = roster_of.get(key[0])
        results.append(UnitResult(
            unit=report.unit.strip() or f"{NO_UNIT} {item.path.name}", year=report.year, path=item.path,
            report=report, findings=findings, short=listed.short if listed else "",
            in_roster=listed is not None or roster is None,
            previous_path=previous.path if previous else None, notes=list(item.notes),
            draft_id=item.draft_id, where=item.where,
        ))
        yield ("校验", n + 1, len(this_year))
    missing: list[RosterUnit] = []
    if roster:
        present = {r.report.unit and unit_key(r.report.unit) for r in results}
        missing = [u for u in roster if not any(k in present for k in u.keys)]
        order = {u.name: i for i, u in enumerate(roster)}

        def in_roster_order(r: UnitResult) -> tuple[int, str]:
            listed = roster_of.get(unit_key(r.unit))
            return (order[listed.name] if listed else len(order), unit_key(r.unit))

        results.sort(key=in_roster_order)
    else:
        results.sort(key=lambda r: (unit_key(r.unit), str(r.path)))
    return BatchResult(year=year, results=results, missing=missing, bad=bad,
                       other_years=len(loaded) - len(this_year), year_guessed=guessed and year is not None,
                       roster=roster)


def check_loaded(loaded: list[LoadedReport], bad: list[BadInput], *, year: int | None = None,
                 roster: list[RosterUnit] | None = None) -> BatchResult:
    return drive(check_steps(loaded, bad, year=year, roster=roster))


def run_batch(paths: Iterable[str | os.PathLike[str]], *, year: int | None = None,
              roster: list[RosterUnit] | None = None) -> BatchResult:
    loaded, bad = load_inputs(paths)
    return check_loaded(loaded, bad, year=year, roster=roster)
