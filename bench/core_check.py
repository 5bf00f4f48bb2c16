"""How long one full check of a full report takes (what every keystroke in the window pays).

Baseline in the same run: ``json.loads`` of the same report's exchange file, a cost everyone
accepts as negligible. Run: ``python bench/core_check.py [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.exchange import dumps
from core.rules import check
from core.sample import full_report


def per_call_us(fn, number: int, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    return [t / number * 1e6 for t in timeit.repeat(fn, number=number, repeat=repeat)]


def measure(repeat: int = 7, number: int = 2000) -> dict[str, list[float]]:
    report = full_report()
    text = dumps(report)
    return {
        "check(full report)": per_call_us(lambda: check(report), number, repeat),
        "totals() only": per_call_us(report.totals, number, repeat),
        "baseline: json.loads(exchange file)": per_call_us(lambda: json.loads(text), number, repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = measure(args.repeat)
    base = statistics.median(results["baseline: json.loads(exchange file)"])
    for name, runs in results.items():
        med = statistics.median(runs)
        print(f"{name:40s} median {med:8.1f} µs  (min {min(runs):.1f}, max {max(runs):.1f}; "
              f"{med / base:.2f}× baseline)")


if __name__ == "__main__":
    main()
