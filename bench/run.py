"""Every benchmark in one run: prints a summary and writes ``docs/benchmarks.md``.

Run from the repository: ``python bench/run.py`` (full, one to two minutes), ``python bench/run.py --quick``
(fewer samples, under a minute on two cores), ``--no-soffice`` to leave LibreOffice out,
``--output PATH`` to write the page elsewhere (``-`` for nowhere). Exit status 0 when every bar is
met, 1 when one is missed or a benchmark could not run.

Each benchmark module (``gui_keystroke``, ``pdf_export``, ``store_autosave``, ``core_check``) also
runs on its own and exposes the function called here; all return :class:`bench.common.Measurement`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import core_check, gui_keystroke, hostile_input, pdf_export, store_autosave
from bench.common import ROOT, Bar, Measurement, fmt, machine_info, print_table, result_word, row_cells

DOC = ROOT / "docs" / "benchmarks.md"
QUICK_LIMIT_S = 60.0


@dataclass(frozen=True)
class Config:
    name: str
    keys: int = 200
    key_rounds: int = 5
    startup_runs: int = 9
    pdf_runs: int = 9
    soffice: bool = True
    autosave_rounds: int = 200
    reports: int = 300
    versions: int = 3
    process_rounds: int = 15
    check_repeat: int = 7
    check_number: int = 2000
    time_quick: bool = True  # the full run also times a --quick run, to show it stays under a minute


FULL = Config("full")
QUICK = Config("quick", keys=100, key_rounds=2, startup_runs=3, pdf_runs=3, autosave_rounds=30, versions=1,
               process_rounds=3, check_repeat=3, check_number=500, time_quick=False)
# Only for the smoke test: proves every path through the harness, says nothing about speed.
TINY = Config("tiny", keys=4, key_rounds=1, startup_runs=1, pdf_runs=1, soffice=False, autosave_rounds=2,
              reports=3, versions=0, process_rounds=1, check_repeat=1, check_number=5, time_quick=False)

# What each row measures and how; printed under the table so a reviewer needs no source to read it.
METHOD = """\
- **Start-up**: a fresh Python process per sample, from just before it is spawned to the moment its
  window is exposed and the first events are processed (`gui.app.create_application()` +
  `create_main_window(full report)`); baseline: a process showing an empty `QMainWindow` of the same
  size. The two cases alternate, after one untimed warm-up each. Only the page of the tab shown
  first is built before the window appears; the other tabs' pages are built one per idle turn of
  the event loop after the first frame (or at once when something needs them). A third case makes
  表三 the shown tab, as when the clerk closed the window there last time (no bar of its own).
- **Keystroke**: in a fresh process, a window on `core.sample.full_report()`; digits are typed into
  table-3 cells with `QTest.keyClick`, alternately unbalancing and rebalancing a column so finding
  flags appear and clear. *painted* = key press until `processEvents()` returns (totals, check, flags,
  findings list, status bar, repaint); *handler only* = without the repaint. One sample per round
  (a fresh window each) is that round's p50 or p99; the bar is one frame at 60 Hz.
- **PDF**: the whole process `xxgk-report pdf full.json -o out.pdf` (interpreter, imports, fonts,
  checks, layout, writing); baselines: a bare ReportLab platypus document of the same paragraphs and
  tables in one CJK face, and `soffice --headless --convert-to pdf` of the same content as a .docx
  (profile warmed first). All fresh processes, interleaved.
- **Autosave**: `Store.save` of one edited report (write, fsync, rename, backups) in a store holding
  300 reports, each with a history, against a store holding one; the saves alternate between the
  two stores. `xxgk-report list` times a fresh process opening the store and listing it.
- **Memory**: `resource.getrusage(RUSAGE_SELF).ru_maxrss` (peak working set on Windows) read by each
  start-up probe once its window is shown; MB = 10⁶ bytes.
- **Core check**: `core.rules.check()` of the full report (what each keystroke pays), against
  `json.loads` of the same report's exchange file.
- **Bars**, from the issues: start-up ≤ 3× the empty window and keystroke p50/p99 ≤ 16 ms (issue 3);
  PDF ≤ 2.5× bare ReportLab and faster than LibreOffice (issue 4); 300 stored reports within 1.5× of
  one (the drafts store); window with a full report ≤ 150 MB and `--quick` under a minute (issue 7).
  Rows marked *info* have no bar: they explain the rows that do.
"""


def _guard(section: str, fn: Callable[[], list[Measurement]]) -> list[Measurement]:
    """A benchmark that crashes becomes a failed row, so the others still run and the page says why."""
    try:
        return fn()
    except Exception as err:
        traceback.print_exc()
        return [Measurement(section, "", [], skipped=f"failed: {type(err).__name__}: {err}")]


def time_quick_run() -> list[Measurement]:
    """Wall time of ``run.py --quick`` as a reviewer would start it (its page goes to a temporary file)."""
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-quick-") as tmp:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--quick", "--output",
                               str(Path(tmp) / "quick.md")], capture_output=True, text=True, encoding="utf-8")
        wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1 only means a bar was missed in the quick figures
        raise RuntimeError(f"run.py --quick exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return [Measurement("`bench/run.py --quick`, wall time", "s", [wall], bar=Bar(QUICK_LIMIT_S, "value"),
                        note="one run, after the full run, on the same machine")]


def run(config: Config, progress: Callable[[str], None] = print) -> list[Measurement]:
    """All measurements of ``config``, in the order of the page's table."""
    progress(f"start-up and memory ({config.startup_runs} processes per case)…")
    start_mem = _guard("start-up and memory", lambda: gui_keystroke.startup(config.startup_runs))
    progress(f"keystrokes ({config.key_rounds} × {config.keys})…")
    keys = _guard("keystroke", lambda: gui_keystroke.keystrokes(config.keys, config.key_rounds))
    progress(f"PDF export ({config.pdf_runs} processes per case)…")
    pdf = _guard("PDF export", lambda: pdf_export.measure(config.pdf_runs, soffice=config.soffice))
    progress(f"autosave (1 and {config.reports} stored reports)…")
    store = _guard("autosave", lambda: store_autosave.measure(config.autosave_rounds, config.reports,
                                                              config.versions, config.process_rounds))
    progress("core check…")
    core = _guard("core check", lambda: core_check.measure(config.check_repeat, config.check_number))
    core += _guard("hostile input", hostile_input.measure)
    startup = [m for m in start_mem if not m.unit == "MB"]
    memory = [m for m in start_mem if m.unit == "MB"]
    results = startup + keys + pdf + store + memory + core
    results += _guard("docx/html", lambda: __import__("bench.publish_export").publish_export.measure(config.pdf_runs))
    results += _guard("read published reports", lambda: __import__("bench.ingest").ingest.measure(config.pdf_runs))
    results += _guard("regional view", lambda: __import__("bench.region", fromlist=["measure"]).measure(config))
    if config.time_quick:
        progress("timing a --quick run…")
        results += _guard("bench/run.py --quick", time_quick_run)
    return results


def render(results: list[Measurement], config: Config, machine: dict[str, str], wall_s: float,
           load_after: str, note: str = "") -> str:
    """The Markdown page: table, method, machine, raw samples."""
    met = [m for m in results if m.passed is not None]
    failed = [m for m in results if m.passed is False or m.failed]
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by bench/run.py; edit the script, not this page. -->",
        "",
        f"Figures from `python bench/run.py{' --quick' if config.name == 'quick' else ''}` ({config.name} mode) "
        f"on {machine['date']}; the whole run took {wall_s:.0f} s. "
        f"{len(met) - len([m for m in met if not m.passed])} of {len(met)} bars met"
        + (f"; **missed or not run: {', '.join(m.name for m in failed)}**." if failed else "."),
        "",
        "## Reproduce",
        "",
        "```sh",
        "python bench/run.py            # full run, one to two minutes; rewrites docs/benchmarks.md",
        "python bench/run.py --quick    # fewer samples, under a minute on two cores",
        "python bench/run.py --no-soffice --output -   # without LibreOffice, page not written",
        "```",
        "",
        "Each benchmark also runs alone: `python bench/gui_keystroke.py`, `bench/pdf_export.py`, "
        "`bench/store_autosave.py`, `bench/core_check.py` (`--help` for their options). "
        "The exit status of `run.py` is 1 when a bar is missed, so CI can run `--quick`.",
        "",
        "## Results",
        "",
        "Median of the samples, their spread (min–max), and the baseline measured **in the same run**, "
        "interleaved with the case itself; ratio = median ÷ baseline median. A bar in “× baseline” "
        "is a ratio; a bar in a unit is an absolute limit.",
        "",
        "| what | median | spread (min–max) | baseline: median (spread) | ratio | bar | result |",
        "|---|---:|---:|---|---:|---|---|",
    ]
    for m in results:
        cells = [c.replace("|", "\\|") for c in row_cells(m)]
        if m.passed is False or m.failed:
            cells[-1] = f"**{cells[-1]}**"
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    notes: dict[str, list[str]] = {}
    for m in results:
        if m.skipped or m.note:
            notes.setdefault(m.skipped or m.note, []).append(m.name)
    if notes:
        lines += ["Per row:", "", *(f"- {'; '.join(names)}: {note}" for note, names in notes.items()), ""]
    lines += [
        "**Noise.** Nothing stops other jobs from using the machine during a run"
        + (f" ({note})" if note else "") + ". "
        "Load inflates absolute times and their spread, but it hits a case and its baseline alike "
        "because they are measured alternately in the same run: judge by the ratios against same-run "
        "baselines rather than by absolute milliseconds. The load average at the start and at the end "
        f"of the run is recorded below ({machine['cores']} cores).",
        "",
        "## Method",
        "",
        METHOD,
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine.items()],
        f"| load average at the end | {load_after} |",
        f"| mode | {config.name}: " + ", ".join(f"{k}={v}" for k, v in vars(config).items() if k != "name") + " |",
        "",
        "## Raw samples",
        "",
        "<details><summary>every sample, in the row's unit</summary>",
        "",
        "```",
    ]
    for m in results:
        if m.samples:
            lines.append(f"{m.name} [{m.unit}]: " + " ".join(fmt(v) for v in m.samples))
            if len(m.baseline_samples) > 1:
                lines.append(f"  baseline {m.baseline_name}: " + " ".join(fmt(v) for v in m.baseline_samples))
    lines += ["```", "", "</details>", ""]
    return "\n".join(lines)


def _load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except (OSError, AttributeError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples: under a minute")
    parser.add_argument("--no-soffice", action="store_true", help="leave out the LibreOffice baseline")
    parser.add_argument("--output", default=str(DOC), help="where to write the page ('-': nowhere)")
    parser.add_argument("--json", metavar="PATH", help="also write every measurement as JSON")
    parser.add_argument("--note", default="", help="what else the machine was doing, for the page")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    if args.no_soffice:
        config = replace(config, soffice=False)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    machine = machine_info()
    start = time.perf_counter()
    results = run(config, progress=lambda text: print(text, file=sys.stderr, flush=True))
    wall = time.perf_counter() - start
    print()
    print_table(results)
    print(f"\n{config.name} run: {wall:.1f} s")
    if args.output != "-":
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(results, config, machine, wall, _load(), args.note), encoding="utf-8")
        print(f"written: {out}")
    if args.json:
        Path(args.json).write_text(json.dumps([m.as_dict() for m in results], ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    bad = [m for m in results if m.passed is False or m.failed]
    for m in bad:
        print(f"{result_word(m)}: {m.name}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
