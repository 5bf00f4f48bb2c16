"""Keystroke to recomputed totals and findings in the window; start-up and memory against an empty Qt window.

Run: ``python bench/gui_keystroke.py [--keys 200] [--rounds 3] [--runs 5]`` (Qt offscreen unless
``QT_QPA_PLATFORM`` says otherwise). Every window gets a throw-away data folder (``XXGK_REPORT_HOME``,
``XDG_CONFIG_HOME``), so a benchmark never touches the clerk's drafts or settings.

Keystroke (in a fresh child process): each round opens a window on ``core.sample.full_report()``
and types digits into table-3 cells, alternately unbalancing and rebalancing a column so that
finding flags appear and clear, the way a clerk types. Per key two times:

* ``shown``: from the key press until ``processEvents()`` returns — value changed, undo command,
  totals, check, flags, findings list, status bar, and the changed widgets painted;
* ``handler``: only Qt's synchronous handling of the key (everything above but the painting).

Each round yields its p50 and p99; the rows show the median of the rounds and their spread.
Bar (issue 3): ≤ 16 ms, one frame at 60 Hz, for p50 and p99 of ``shown``.

Start-up (fresh processes, the two cases interleaved): from just before the process is spawned to
the moment its window is exposed and the first events are processed — an empty ``QMainWindow``
(baseline) against ``gui.app`` with the full report opened. Bar: ≤ 3 × the empty window (median).
Memory: each of those processes reports ``getrusage(RUSAGE_SELF).ru_maxrss`` (on Windows the peak
working set) once its window is shown, in MB of 10⁶ bytes — the larger number, so the bar is not
met by a choice of unit. Bar: ≤ 150 MB for the window with a full report.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Bar, Measurement, percentile, print_table  # noqa: E402

FRAME_MS = 16.0
STARTUP_RATIO = 3.0
MEMORY_MB = 150.0

# Both probes end the same way, so the baseline pays for exactly what ours pays for apart from the app.
_PROBE_END = """
import json, time
while not w.windowHandle() or not w.windowHandle().isExposed():
    app.processEvents()
app.processEvents()
shown = time.time()
try:
    import resource
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB, macOS bytes
except ImportError:  # Windows has no resource module: the peak working set is the same figure
    import ctypes
    from ctypes import wintypes as wt
    class Counters(ctypes.Structure):
        _fields_ = [("cb", wt.DWORD), ("faults", wt.DWORD)] + [
            (n, ctypes.c_size_t) for n in ("peak", "ws", "qpp", "qp", "qpnp", "qnp", "pf", "ppf")]
    c = Counters(); c.cb = ctypes.sizeof(c)
    ctypes.windll.kernel32.GetCurrentProcess.restype = wt.HANDLE
    ctypes.windll.psapi.GetProcessMemoryInfo.argtypes = [wt.HANDLE, ctypes.POINTER(Counters), wt.DWORD]
    ctypes.windll.psapi.GetProcessMemoryInfo(ctypes.windll.kernel32.GetCurrentProcess(), ctypes.byref(c), c.cb)
    peak = c.peak
print(json.dumps({"shown_at": shown, "marks": marks, "maxrss_mb": peak / 1e6}))
"""

_EMPTY = """
import sys, time
marks = [time.time()]
from PySide6.QtWidgets import QApplication, QMainWindow
marks.append(time.time())
app = QApplication(sys.argv[:1])
marks.append(time.time())
w = QMainWindow(); w.resize(1280, 720)
marks.append(time.time())
w.show()
""" + _PROBE_END

_OURS = """
import sys, time
marks = [time.time()]
from itertools import pairwise
from pathlib import Path
from gui.app import create_application, create_main_window
marks.append(time.time())
app = create_application()
marks.append(time.time())
w = create_main_window(Path(sys.argv[1]), data_dir=sys.argv[2]); w.resize(1280, 720)
if sys.argv[3:] == ["table3"]:
    # The clerk closed the window on 表三 last time: that page is built before the first frame.
    cell = w.inputs["table3.granted.natural"]
    w.tabs.setCurrentIndex(next(i for i in range(w.tabs.count()) if w.tabs.widget(i).isAncestorOf(cell)))
marks.append(time.time())
w.show()
""" + _PROBE_END

# What the marks above separate: where a slow start-up spends its time.
PHASES = ("interpreter", "imports", "QApplication", "window built", "shown")

EMPTY_NAME = "empty QMainWindow"


def isolated_env(folder: Path) -> dict[str, str]:
    """The child's environment: Qt offscreen by default and every per-user folder inside ``folder``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["XXGK_REPORT_HOME"] = str(folder / "data")
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    env["XDG_DATA_HOME"] = str(folder / "share")
    return env


def _full_report_file(folder: Path) -> Path:
    from core.exchange import write_report
    from core.sample import full_report

    path = folder / "full.json"
    write_report(full_report(), path)
    return path


def _type_keys(report_path: Path, data_dir: Path, rounds: int, keys: int, warmup: int = 10) -> dict[str, object]:
    """Runs in the child process: the keystroke loop itself. Returns per-round lists of ms."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    from gui.app import create_application, create_main_window

    # A leftover "save changes?" box must not stop an unattended run; this process ends right after.
    QMessageBox.exec = lambda self: int(QMessageBox.StandardButton.Discard.value)  # type: ignore[method-assign]
    app = create_application()
    handler_rounds: list[list[float]] = []
    shown_rounds: list[list[float]] = []
    statuses: list[str] = []
    for r in range(rounds):
        folder = data_dir / f"round{r}"
        window = create_main_window(report_path, data_dir=str(folder))
        window.resize(1366, 740)
        window.show()
        cells = [window.inputs[f"table3.granted.{c}"] for c in ("natural", "commercial", "research")]
        # The tab that holds table 3, found through the widgets rather than the window's private map.
        page = next(i for i in range(window.tabs.count()) if window.tabs.widget(i).isAncestorOf(cells[0]))
        window.tabs.setCurrentIndex(page)
        app.processEvents()
        handler: list[float] = []
        shown: list[float] = []
        after = ["", ""]
        for i in range(warmup + keys):
            cell = cells[(i // 2) % len(cells)]
            if QApplication.focusWidget() is not cell:
                cell.setFocus()
                app.processEvents()
            # Even keys add a digit (the column no longer adds up: flags appear), odd keys remove it.
            key = Qt.Key.Key_5 if i % 2 == 0 else Qt.Key.Key_Backspace
            if i % 2 == 0:
                cell.lineEdit().end(False)
            t0 = time.perf_counter()
            QTest.keyClick(cell, key)
            t1 = time.perf_counter()
            app.processEvents()
            t2 = time.perf_counter()
            # Untimed: what the status bar says after an unbalancing (even) and a rebalancing (odd) key.
            after[i % 2] = window.summary_label.text()
            if i >= warmup:
                handler.append((t1 - t0) * 1000)
                shown.append((t2 - t0) * 1000)
        statuses += after
        handler_rounds.append(handler)
        shown_rounds.append(shown)
        window.document.mark_saved()
        window.close()
        window.deleteLater()
        app.processEvents()
    return {"handler": handler_rounds, "shown": shown_rounds, "statuses": statuses}


def keystrokes(keys: int = 200, rounds: int = 3) -> list[Measurement]:
    """Types ``keys`` keys in each of ``rounds`` fresh windows, in a child process; p50 and p99 rows."""
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-keys-") as tmp:
        folder = Path(tmp)
        path = _full_report_file(folder)
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child-keys", str(path),
                               str(folder / "data"), str(rounds), str(keys)],
                              env=isolated_env(folder), capture_output=True, text=True, encoding="utf-8")
        if proc.returncode != 0:
            raise RuntimeError(f"keystroke child failed:\n{proc.stderr[-2000:]}")
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    statuses = data["statuses"]
    note = (f"{rounds} rounds × {keys} keys after 10 warm-up keys; status bar after an unbalancing key: "
            f"“{statuses[0]}”, after a rebalancing key: “{statuses[1]}”")
    budget = [FRAME_MS]
    out: list[Measurement] = []
    for kind, label, bar in (("shown", "painted", Bar(FRAME_MS, "value")),
                             ("handler", "handler only", None)):
        for p in (50, 99):
            per_round = [percentile(ms, p) for ms in data[kind]]
            out.append(Measurement(f"keystroke → totals & findings ({label}), p{p}", "ms", per_round,
                                   "frame budget at 60 Hz", budget, bar, note=note if kind == "shown" else ""))
    return out


def _probe(code: str, report: Path, data_dir: Path, env: dict[str, str], *extra: str) -> tuple[list[float], float]:
    """Milliseconds of each of :data:`PHASES` (their sum: spawn to shown), and the peak RSS in MB."""
    start = time.time()  # wall clock: the only clock both processes are sure to share
    proc = subprocess.run([sys.executable, "-c", code, str(report), str(data_dir), *extra], env=env,
                          capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        raise RuntimeError(f"start-up probe failed:\n{proc.stderr[-2000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    points = [start, *data["marks"], data["shown_at"]]
    return [(b - a) * 1000 for a, b in pairwise(points)], data["maxrss_mb"]


def startup(runs: int = 5) -> list[Measurement]:
    """Start-up (ms) and peak memory (MB) of the window with a full report against an empty window.

    Measured as an installed copy starts (its modules' bytecode already compiled: PyInstaller and pip
    both compile at build/install time) — and, for information, with the program's modules compiled
    from source in every start, which is what a machine with PYTHONDONTWRITEBYTECODE set (this build
    machine's default) does on every run.
    """
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-start-") as tmp:
        folder = Path(tmp)
        path = _full_report_file(folder)
        base = isolated_env(folder)
        installed = {k: v for k, v in base.items() if k != "PYTHONDONTWRITEBYTECODE"}
        installed["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        source = dict(base, PYTHONDONTWRITEBYTECODE="1")
        modes = (("installed", installed), ("source", source))
        cases = (("empty", _EMPTY, ()), ("ours", _OURS, ()), ("table3", _OURS, ("table3",)))
        times: dict[tuple[str, str], list[float]] = {(m, n): [] for m, _ in modes for n, _, _ in cases}
        phases: dict[tuple[str, str], list[list[float]]] = {(m, n): [] for m, _ in modes for n, _, _ in cases}
        rss: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _, env in modes:  # warm the file cache, and write the installed copy's bytecode, untimed
            _probe(_EMPTY, path, folder / "data", env)
            _probe(_OURS, path, folder / "data", env)
        for _ in range(runs):
            for mode, env in modes:
                for name, code, extra in cases:
                    ms, mb = _probe(code, path, folder / "data", env, *extra)
                    times[mode, name].append(sum(ms))
                    phases[mode, name].append(ms)
                    if mode == "installed":
                        rss[name].append(mb)

    def split(mode: str) -> str:
        ours, empty = phases[mode, "ours"], phases[mode, "empty"]
        return ", ".join(f"{label} {statistics.median(p[i] for p in ours):.0f}"
                         f"/{statistics.median(p[i] for p in empty):.0f}" for i, label in enumerate(PHASES))

    note = (f"{runs} fresh processes per case, interleaved, after one untimed warm-up each, the program's "
            f"bytecode compiled once beforehand as in an installed copy; median ms ours/empty window: "
            f"{split('installed')}. Only the shown tab's page is built before the first frame, the others one "
            f"per idle turn after it (the probe's last processEvents() may include one)")
    t3 = (statistics.median(p[3] for p in phases["installed", "table3"])
          - statistics.median(p[3] for p in phases["installed", "ours"]))
    return [
        Measurement("start-up to shown window with full report", "ms", times["installed", "ours"], EMPTY_NAME,
                    times["installed", "empty"], Bar(STARTUP_RATIO), note=note),
        Measurement("start-up, modules compiled from source every start", "ms", times["source", "ours"],
                    EMPTY_NAME, times["source", "empty"],
                    note=f"the same probes with PYTHONDONTWRITEBYTECODE=1 (no bytecode cache: every module of the "
                         f"program compiled in every start); median ms ours/empty window: {split('source')}; no bar "
                         f"of its own"),
        Measurement("start-up, window reopening on 表三 (tab kept from last time)", "ms", times["installed", "table3"],
                    EMPTY_NAME, times["installed", "empty"],
                    note=f"the same probes with 表三 (≈175 cells) made the current tab before show(): "
                         f"its page costs ≈{t3:.0f} ms more to build; no bar of its own"),
        Measurement("peak memory (max RSS), window with full report", "MB", rss["ours"], EMPTY_NAME,
                    rss["empty"], Bar(MEMORY_MB, "value"), note="ru_maxrss of the start-up probes"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=200, help="timed keys per round (0: start-up only)")
    parser.add_argument("--rounds", type=int, default=3, help="keystroke rounds (a fresh window each)")
    parser.add_argument("--runs", type=int, default=5, help="start-up processes per case")
    parser.add_argument("--child-keys", nargs=4, metavar=("REPORT", "DATA", "ROUNDS", "KEYS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_keys:
        report, data, rounds, keys = args.child_keys
        print(json.dumps(_type_keys(Path(report), Path(data), int(rounds), int(keys)), ensure_ascii=False))
        return
    results = (keystrokes(args.keys, args.rounds) if args.keys > 0 else []) + startup(args.runs)
    print_table(results)
    for note in dict.fromkeys(m.note for m in results if m.note):
        print(f"  · {note}")


if __name__ == "__main__":
    main()
