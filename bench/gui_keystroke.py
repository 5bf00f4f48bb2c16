"""How long a keystroke in a table cell takes to update totals and finding flags, and start-up time.

Run: ``python bench/gui_keystroke.py [--keys 200] [--runs 5]`` (Qt offscreen unless a display is set).

Keystroke: the window holds ``core.sample.full_report()``; each simulated key press types a digit
into a table-3 cell (alternately unbalancing and rebalancing its column, so flags appear and
clear), the way a clerk types. Two times per key:

* ``handler``: from the key press to the return of Qt's synchronous handling — value changed,
  undo command, document, totals, check, flags, findings list, status bar;
* ``with repaint``: the same plus ``processEvents()``, so the changed widgets are painted.

Bar (issue 3): ≤ 16 ms (one frame at 60 Hz) for the median and the 99th percentile.

Start-up: fresh processes, interleaved: an empty ``QMainWindow`` shown (baseline) against
``gui.app`` with the full report opened, both until the first frame has been processed.
Bar: ≤ 3 × baseline (median).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_EMPTY = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1280, 720); w.show(); app.processEvents()
"""

_OURS = """
import sys
from pathlib import Path
from gui.app import create_application, create_main_window
app = create_application()
w = create_main_window(Path(sys.argv[1])); w.resize(1280, 720); w.show(); app.processEvents()
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def keystrokes(keys: int) -> dict[str, list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    from core.exchange import write_report
    from core.sample import full_report
    from gui.app import create_application, create_main_window

    QMessageBox.exec = lambda self: int(QMessageBox.StandardButton.Discard.value)  # type: ignore[method-assign]
    folder = tempfile.mkdtemp()
    path = Path(folder) / "full.json"
    write_report(full_report(), path)
    app = create_application()
    window = create_main_window(path)
    window.resize(1366, 740)
    window.show()
    window.tabs.setCurrentIndex(window._tab_of["table3.granted.natural"])
    app.processEvents()
    cells = [window.inputs[f"table3.granted.{c}"] for c in ("natural", "commercial", "research")]
    handler: list[float] = []
    painted: list[float] = []
    for i in range(keys):
        cell = cells[(i // 2) % len(cells)]
        if QApplication.focusWidget() is not cell:
            cell.setFocus()
            app.processEvents()
        # Even keys add a digit (unbalanced column: flags appear), odd keys remove it (flags clear).
        key = Qt.Key.Key_5 if i % 2 == 0 else Qt.Key.Key_Backspace
        if i % 2 == 0:
            cell.lineEdit().end(False)
        t0 = time.perf_counter()
        QTest.keyClick(cell, key)
        t1 = time.perf_counter()
        app.processEvents()
        t2 = time.perf_counter()
        handler.append((t1 - t0) * 1000)
        painted.append((t2 - t0) * 1000)
    errors = window.summary_label.text()
    window.document.mark_saved()
    window.close()
    print(f"(after {keys} keys the status bar says: {errors})")
    return {"handler": handler, "with repaint": painted}


def startup(runs: int) -> dict[str, list[float]]:
    from core.exchange import write_report
    from core.sample import full_report

    folder = tempfile.mkdtemp()
    path = Path(folder) / "full.json"
    write_report(full_report(), path)
    env = dict(os.environ, XDG_CONFIG_HOME=folder, PYTHONPATH=str(ROOT))
    times: dict[str, list[float]] = {"empty QMainWindow": [], "xxgk-report with full report": []}
    for _ in range(runs):
        for name, code in (("empty QMainWindow", _EMPTY), ("xxgk-report with full report", _OURS)):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code, str(path)], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5, help="start-up processes per case")
    args = parser.parse_args()
    for name, ms in keystrokes(args.keys).items():
        print(f"keystroke {name:14s} median {statistics.median(ms):6.2f} ms  p99 {percentile(ms, 99):6.2f} ms  "
              f"max {max(ms):6.2f} ms  (bar 16 ms)")
    times = startup(args.runs)
    base = statistics.median(times["empty QMainWindow"])
    for name, secs in times.items():
        med = statistics.median(secs)
        print(f"start-up {name:30s} median {med:5.2f} s  (min {min(secs):.2f}, max {max(secs):.2f}; "
              f"{med / base:.2f}× empty window)")


if __name__ == "__main__":
    main()
