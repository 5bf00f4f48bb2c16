"""How long ``xxgk-report docx`` and ``xxgk-report html`` of a full report take, against ``xxgk-report pdf``
of the same report in the same run.

Run: ``python bench/publish_export.py [--runs 9]``

Each case is a fresh process as a clerk's script meets it (interpreter, imports, checks, building,
writing), the three commands interleaved so that machine drift hits all alike, after one untimed
warm-up each. Bar (issue 13): the median of each is no slower than the PDF's (ratio ≤ 1.0).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Bar, Measurement, print_table  # noqa: E402
from bench.pdf_export import timed  # noqa: E402
from core.exchange import write_report  # noqa: E402
from core.sample import full_report  # noqa: E402

BASELINE = "xxgk-report pdf"


def measure(runs: int = 9) -> list[Measurement]:
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-publish-"))
    try:
        exchange = work / "full.json"
        write_report(full_report(), exchange)
        entry = shutil.which("xxgk-report", path=str(Path(sys.executable).parent)) or shutil.which("xxgk-report")
        cli = [entry] if entry else [sys.executable, "-m", "core.cli"]
        store = ["--data-dir", str(work / "store")]
        cases = {kind: ([*cli, kind, str(exchange), "-o", str(work / f"out.{kind}"), *store], work / f"out.{kind}")
                 for kind in ("pdf", "docx", "html")}
        for cmd, out in cases.values():
            timed(cmd, out)
        times: dict[str, list[float]] = {kind: [] for kind in cases}
        for _ in range(runs):
            for kind, (cmd, out) in cases.items():
                times[kind].append(timed(cmd, out))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    note = f"{runs} fresh processes per case, pdf/docx/html interleaved, after one untimed warm-up each"
    return [Measurement(f"xxgk-report {kind} (full report, whole process)", "s", times[kind], BASELINE,
                        times["pdf"], Bar(1.0), note=note) for kind in ("docx", "html")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print_table(measure(args.runs))


if __name__ == "__main__":
    main()
