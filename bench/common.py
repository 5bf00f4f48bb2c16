"""What every benchmark shares: the result record, percentiles, formatting, and the machine's description.

A :class:`Measurement` is one row of ``docs/benchmarks.md``: samples of the thing measured, and the
samples of the baseline measured in the same run (so the ratio survives a noisy machine), plus
the bar it must meet. The figure shown for a row is always the median of its samples; a row that
tracks a percentile (the keystroke p99) has one sample per round, each that round's p99.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import statistics
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Bar:
    """The pass criterion: ``ratio`` compares the median with the baseline's, ``value`` with ``limit``."""

    limit: float
    against: str = "ratio"  # "ratio" or "value"
    strict: bool = False  # "<" rather than "≤"

    def describe(self, unit: str) -> str:
        sign = "<" if self.strict else "≤"
        if self.against == "ratio":
            return f"{sign} {self.limit:g}× baseline"
        return f"{sign} {self.limit:g} {unit}"


@dataclass
class Measurement:
    name: str
    unit: str
    samples: list[float]
    baseline_name: str = ""
    baseline_samples: list[float] = field(default_factory=list)
    bar: Bar | None = None
    note: str = ""
    skipped: str = ""  # why it was not measured (e.g. LibreOffice missing); samples then empty

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline_samples) if self.baseline_samples else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline_median
        if self.skipped or not self.samples or not base:
            return None
        return self.median / base

    @property
    def passed(self) -> bool | None:
        """None when there is no bar or nothing was measured."""
        if self.bar is None or self.skipped or not self.samples:
            return None
        figure = self.ratio if self.bar.against == "ratio" else self.median
        if figure is None:
            return None
        return figure < self.bar.limit if self.bar.strict else figure <= self.bar.limit

    @property
    def failed(self) -> bool:
        """The benchmark itself broke (as opposed to a baseline that is legitimately absent)."""
        return self.skipped.startswith("failed")

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.update(median=self.median if self.samples else None, ratio=self.ratio, passed=self.passed)
        return data


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; with 200 samples p99 is the third-largest, not an interpolation."""
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def fmt(value: float) -> str:
    """Three significant figures or so, without scientific notation."""
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def spread(values: list[float]) -> str:
    return f"{fmt(min(values))}–{fmt(max(values))}" if values else "—"


def result_word(m: Measurement) -> str:
    if m.skipped:
        return "FAILED" if m.failed else "skipped"
    return {True: "pass", False: "FAIL", None: "info"}[m.passed]


def row_cells(m: Measurement) -> list[str]:
    """what, median, spread, baseline, ratio, bar, result — as plain strings."""
    if m.skipped:
        return [m.name, "—", "—", m.baseline_name or "—", "—",
                m.bar.describe(m.unit) if m.bar else "—", result_word(m)]
    baseline = "—"
    if m.baseline_samples:
        baseline = f"{m.baseline_name}: {fmt(m.baseline_median or 0)} {m.unit}"
        if len(m.baseline_samples) > 1:
            baseline += f" ({spread(m.baseline_samples)})"
    ratio = f"{m.ratio:.2f}×" if m.ratio is not None else "—"
    return [m.name, f"{fmt(m.median)} {m.unit}", f"{spread(m.samples)} {m.unit}", baseline, ratio,
            m.bar.describe(m.unit) if m.bar else "—", result_word(m)]


def print_table(measurements: list[Measurement], file: object = None) -> None:
    """A console table; ``file`` defaults to stdout."""
    out = file or sys.stdout
    heads = ["what", "median", "spread (min–max)", "baseline (median, spread)", "ratio", "bar", "result"]
    rows = [heads] + [row_cells(m) for m in measurements]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(heads))]
    for n, row in enumerate(rows):
        print("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)  # type: ignore[call-overload]
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)  # type: ignore[call-overload]
    for m in measurements:
        if m.skipped:
            print(f"  · {m.name}: {m.skipped}", file=out)  # type: ignore[call-overload]


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _first_line(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return ""


def machine_info() -> dict[str, str]:
    """Where the figures come from; read from /proc where it exists, else from :mod:`platform`."""
    cpu = _first_line("/proc/cpuinfo", "model name") or platform.processor() or platform.machine()
    mem_kb = _first_line("/proc/meminfo", "MemTotal").split()
    ram = f"{int(mem_kb[0]) / 1024 / 1024:.1f} GiB" if mem_kb else "unknown"
    distro = _first_line("/etc/os-release", "PRETTY_NAME=")
    pyside = _version("PySide6-Essentials")
    if pyside == "not installed":
        pyside = _version("PySide6")
    try:
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except (OSError, AttributeError):
        load = "unknown"
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{distro} ({platform.platform()})" if distro else platform.platform(),
        "Python": platform.python_version(),
        "PySide6": pyside,
        "ReportLab": _version("reportlab"),
        "Qt platform": os.environ.get("QT_QPA_PLATFORM", "default"),
        "load average at the start (1/5/15 min)": load,
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
