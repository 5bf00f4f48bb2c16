"""The county office's scale: ``batch`` over 500 unit reports, and the 汇总 window opening them.

1. ``xxgk-report batch FOLDER`` as a whole process (interpreter, imports, reading, checking,
   printing) over a folder of 500 generated unit reports, against the same command over a folder
   of one; the two alternate in the same run. Bar (issue 15): ≤ 5× — the per-report cost must stay
   far below the cost of starting the process.
2. The regional window opening the folder of 500 in a fresh process: a 5 ms ``QTimer`` heartbeat
   records the longest gap between its ticks from the moment the folder is opened until the table
   is filled (that gap is the longest time the event loop was blocked). Baseline: the same
   heartbeat over an idle window for as long. Bar: ≤ 100 ms.

Run alone: ``python bench/region.py [--units 500] [--rounds 5]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Bar, Measurement, print_table

ROUNDS = {"full": 5, "quick": 3, "tiny": 1}
UNITS = {"tiny": 20}
BATCH_RATIO = 5.0
BLOCK_LIMIT_MS = 100.0


def make_folder(folder: Path, units: int, year: int = 2022) -> None:
    """``units`` balanced reports of different units (and a few with errors, as in real life)."""
    from core.exchange import write_report
    from core.sample import full_report

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(units):
        report = full_report(seed=i, unit=f"某县第{i:03d}号单位", year=year)
        if i % 10 == 9:
            report.values["table3.granted.natural"] += 1
        write_report(report, folder / f"{i:03d}.json")


def batch_process_s(folder: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "core.cli", "batch", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"batch exited {proc.returncode}: {proc.stderr[-1000:]}")
    return elapsed


# Runs in a fresh process: the window, a heartbeat, and the folder opened.
_PROBE = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from gui.app import create_application
from gui.region_window import RegionWindow

app = create_application()
window = RegionWindow()
window.show()
for _ in range(20):
    app.processEvents()
gaps = []
last = [time.perf_counter()]
def tick():
    now = time.perf_counter()
    gaps.append(now - last[0])
    last[0] = now
beat = QTimer(interval=5)
beat.timeout.connect(tick)

def watch(seconds=None, start=None):
    gaps.clear()
    last[0] = time.perf_counter()
    beat.start()
    loop = QEventLoop()
    if start is None:
        QTimer.singleShot(int(seconds * 1000), loop.quit)
    else:
        window.loaded.connect(loop.quit)
        QTimer.singleShot(0, start)
    loop.exec()
    for _ in range(5):
        app.processEvents()
    beat.stop()
    return max(gaps) * 1000 if gaps else 0.0

t0 = time.perf_counter()
busy = watch(start=lambda: window.open_paths([Path(sys.argv[1])]))
took = time.perf_counter() - t0
rows = window.model.rowCount()
idle = watch(seconds=min(took, 3.0))
print(json.dumps({"busy_ms": busy, "idle_ms": idle, "load_s": took, "rows": rows}))
"""


def window_probe(folder: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"window probe exited {proc.returncode}: {proc.stderr[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(config: object = None, *, units: int | None = None, rounds: int | None = None) -> list[Measurement]:
    mode = getattr(config, "name", "full")
    units = units or UNITS.get(mode, 500)
    rounds = rounds or ROUNDS.get(mode, 5)
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-region-") as tmp:
        many, one = Path(tmp) / "many", Path(tmp) / "one"
        make_folder(many, units)
        make_folder(one, 1)
        batch_process_s(one)  # warm the file cache and the bytecode, untimed
        batch_many: list[float] = []
        batch_one: list[float] = []
        for _ in range(rounds):
            batch_one.append(batch_process_s(one))
            batch_many.append(batch_process_s(many))
        busy: list[float] = []
        idle: list[float] = []
        loads: list[float] = []
        for _ in range(max(1, rounds - 2)):
            probe = window_probe(many)
            if probe["rows"] != units:
                raise RuntimeError(f"the window showed {probe['rows']} rows, expected {units}")
            busy.append(probe["busy_ms"])
            idle.append(probe["idle_ms"])
            loads.append(probe["load_s"])
    return [
        Measurement(f"`xxgk-report batch` over {units} reports (whole process)", "s", batch_many,
                    "`batch` over 1 report", batch_one, bar=Bar(BATCH_RATIO),
                    note=f"{units} generated unit reports, one in ten with an error; processes alternate"),
        Measurement(f"汇总 window opening {units} reports: longest event-loop block", "ms", busy,
                    "idle window, same heartbeat", idle, bar=Bar(BLOCK_LIMIT_MS, "value"),
                    note="5 ms QTimer heartbeat, longest gap between ticks from open to table filled; "
                         f"loading took {min(loads):.1f}–{max(loads):.1f} s (read and checked in a worker thread)"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print_table(measure(units=args.units, rounds=args.rounds))


if __name__ == "__main__":
    main()
