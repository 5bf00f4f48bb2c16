"""Benchmark: does an autosave (and start-up) cost the same with 300 stored reports as with one?

Run: ``python bench/store_autosave.py [--rounds 200] [--reports 300] [--dir /path/on/the/real/disk]``

Two stores are built in the same run — one report, and ``--reports`` reports each with a history —
and measured alternately, so that disk and CPU drift affect both alike. Reported per case: median
and spread (10th–90th percentile) of

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


def spread(samples: list[float]) -> tuple[float, float, float]:
    qs = statistics.quantiles(samples, n=10)
    return statistics.median(samples), qs[0], qs[-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--versions", type=int, default=3, help="history versions per stored report")
    ap.add_argument("--process-rounds", type=int, default=15)
    ap.add_argument("--dir", help="where to build the stores (default: a temporary folder)")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="xxgk-bench-", dir=args.dir))
    try:
        t0 = time.perf_counter()
        cases = {1: root / "one", args.reports: root / "many"}
        first = {n: build(folder, n, args.versions) for n, folder in cases.items()}
        print(f"建库耗时 {time.perf_counter() - t0:.1f} s（{args.reports} 份报告，各 {args.versions + 1} 个历史版本）")

        stores = {n: Store.open(folder) for n, folder in cases.items()}
        reports = {n: stores[n].load(first[n]) for n in cases}
        save_t: dict[int, list[float]] = {n: [] for n in cases}
        for i in range(args.rounds):
            for n in cases:
                report = reports[n]
                report.texts["text.problems"] = f"自动保存测试第{i}次：" + "问题" * (i % 50)
                # Every third edit unbalances table 3, so the status in the list changes too.
                report.values["table3.granted.natural"] += 1 if i % 3 == 0 else 0
                t = time.perf_counter()
                stores[n].save(first[n], report)
                save_t[n].append(time.perf_counter() - t)
        for s in stores.values():
            s.close()

        open_t: dict[int, list[float]] = {n: [] for n in cases}
        for _ in range(max(20, args.rounds // 4)):
            for n, folder in cases.items():
                t = time.perf_counter()
                s = Store.open(folder)
                listed = s.list()
                s.close()
                open_t[n].append(time.perf_counter() - t)
                assert len(listed) == n

        proc_t: dict[int, list[float]] = {n: [] for n in cases}
        cmd = [sys.executable, "-c", "import sys; from core.cli import main; sys.exit(main(sys.argv[1:]))",
               "list", "--data-dir"]
        root_dir = Path(__file__).resolve().parent.parent
        for _ in range(args.process_rounds):
            for n, folder in cases.items():
                t = time.perf_counter()
                subprocess.run([*cmd, str(folder)], cwd=root_dir, check=True, stdout=subprocess.DEVNULL)
                proc_t[n].append(time.perf_counter() - t)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    ok = True
    for title, samples, bar in (("自动保存", save_t, True),
                                ("启动（新进程运行 xxgk-report list）", proc_t, True),
                                ("进程内打开草稿库并列出（仅供参考）", open_t, False)):
        (one, *_), (many, *_) = spread(samples[1]), spread(samples[args.reports])
        ratio = many / one
        if bar:
            ok &= ratio <= LIMIT
        print(f"\n{title}：")
        for n in cases:
            med, p10, p90 = spread(samples[n])
            print(f"  {n:>4} 份报告：中位数 {med * 1000:7.2f} ms（10%–90%：{p10 * 1000:.2f}–{p90 * 1000:.2f} ms，"
                  f"{len(samples[n])} 次）")
        if bar:
            print(f"  比值 {ratio:.2f}（上限 {LIMIT}）{'通过' if ratio <= LIMIT else '未通过'}")
        else:
            per = (many - one) / (args.reports - 1) * 1e6
            print(f"  比值 {ratio:.2f}；每多一份报告约 {per:.1f} µs")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
