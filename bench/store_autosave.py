"""Benchmark: does an autosave (and start-up) cost the same with 300 stored reports as with one?

Run: ``python bench/store_autosave.py [--rounds 200] [--reports 300] [--dir /path/on/the/real/disk]``

Two stores are built in the same run — one report, and ``--reports`` reports each with a history —
and measured alternately, so that disk and CPU drift affect both alike. Reported per case: median
and spread (min–max) of

* an autosave: one edit of the prose, then ``Store.save`` (write + fsync + rename + backups);
* start-up as the clerk meets it: a fresh process running ``xxgk-report list`` (interpreter,
  imports, lock, index, listing) — the bar below applies to this;
* start-up inside the process: ``Store.open`` (lock, index) + ``list()`` + ``close()`` alone. This
  part does grow with the number of reports — the index has one row per report and must be parsed
  to list them (≈4 µs a row) — so its ratio is printed for information, with the per-report cost.

The issue's bar: the 300-report median within 1.5× of the one-report median, for the autosave and
for the process start-up.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Bar, Measurement, print_table
from core.sample import full_report
from core.store import Store

LIMIT = 1.5


def build(folder: Path, n: int, versions: int) -> str:
    with Store.open(folder) as store:
        first = ""
        for i in range(n):
            report = full_report(seed=i, unit=f"某区第{i}局")
            rid = store.create(report)
            for v in range(versions):
                report.texts["text.problems"] = f"第{v}稿"
                store.save(rid, report, version="手动保存")
            first = first or rid
        return first


def measure(rounds: int = 200, reports: int = 300, versions: int = 3, process_rounds: int = 15,
            folder: str | None = None) -> list[Measurement]:
    """Autosave, ``xxgk-report list`` start-up and in-process open+list: ``reports`` stored reports vs one."""
    root = Path(tempfile.mkdtemp(prefix="xxgk-bench-store-", dir=folder))
    try:
        t0 = time.perf_counter()
        cases = {1: root / "one", reports: root / "many"}
        first = {n: build(path, n, versions) for n, path in cases.items()}
        build_s = time.perf_counter() - t0

        stores = {n: Store.open(path) for n, path in cases.items()}
        loaded = {n: stores[n].load(first[n]) for n in cases}
        save_t: dict[int, list[float]] = {n: [] for n in cases}
        for i in range(rounds):
            for n in cases:
                report = loaded[n]
                report.texts["text.problems"] = f"自动保存测试第{i}次：" + "问题" * (i % 50)
                # Every third edit unbalances table 3, so the status in the list changes too.
                report.values["table3.granted.natural"] += 1 if i % 3 == 0 else 0
                t = time.perf_counter()
                stores[n].save(first[n], report)
                save_t[n].append((time.perf_counter() - t) * 1000)
        for s in stores.values():
            s.close()

        open_t: dict[int, list[float]] = {n: [] for n in cases}
        for _ in range(max(20, rounds // 4)):
            for n, path in cases.items():
                t = time.perf_counter()
                s = Store.open(path)
                listed = s.list()
                s.close()
                open_t[n].append((time.perf_counter() - t) * 1000)
                if len(listed) != n:
                    raise RuntimeError(f"store lists {len(listed)} reports, built {n}")

        proc_t: dict[int, list[float]] = {n: [] for n in cases}
        cmd = [sys.executable, "-c", "import sys; from core.cli import main; sys.exit(main(sys.argv[1:]))",
               "list", "--data-dir"]
        for _ in range(process_rounds):
            for n, path in cases.items():
                t = time.perf_counter()
                subprocess.run([*cmd, str(path)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
                proc_t[n].append((time.perf_counter() - t) * 1000)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    one = "1 stored report"
    built = f"{reports} reports with {versions + 1} versions each (built in {build_s:.1f} s)"
    per_row = (statistics.median(open_t[reports]) - statistics.median(open_t[1])) / max(1, reports - 1) * 1000
    return [
        Measurement(f"autosave, {reports} stored reports", "ms", save_t[reports], one, save_t[1], Bar(LIMIT),
                    note=f"{rounds} saves per case, alternating (write + fsync + rename + backups); {built}"),
        Measurement(f"xxgk-report list (new process), {reports} stored reports", "ms", proc_t[reports], one,
                    proc_t[1], Bar(LIMIT), note=f"{process_rounds} fresh processes per case, alternating"),
        Measurement(f"open store + list in process, {reports} stored reports", "ms", open_t[reports], one,
                    open_t[1], note=f"grows with the index, ≈{per_row:.1f} µs per stored report; no bar"),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--versions", type=int, default=3, help="history versions per stored report")
    ap.add_argument("--process-rounds", type=int, default=15)
    ap.add_argument("--dir", help="where to build the stores (default: a temporary folder)")
    args = ap.parse_args()
    results = measure(args.rounds, args.reports, args.versions, args.process_rounds, args.dir)
    print_table(results)
    for m in results:
        print(f"  · {m.name}: {m.note}")
    return 1 if any(m.passed is False for m in results) else 0


if __name__ == "__main__":
    sys.exit(main())
