"""How long one full check of a full report takes (what every keystroke in the window pays).

Baseline in the same run: ``json.loads`` of the same report's exchange file, a cost everyone
accepts as negligible. No bar of its own: the keystroke benchmark is where the check's cost meets
the 16 ms frame budget. Run: ``python bench/core_check.py [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Measurement, print_table
from core.exchange import dumps
from core.rules import check
from core.sample import full_report


def per_call_us(fn: Callable[[], object], number: int, repeat: int) -> list[float]:
    return [t / number * 1e6 for t in timeit.repeat(fn, number=number, repeat=repeat)]


def measure(repeat: int = 7, number: int = 2000) -> list[Measurement]:
    """Each sample is the mean of ``number`` calls; ``repeat`` samples, check and baseline alternating."""
    report = full_report()
    text = dumps(report)
    checks: list[float] = []
    totals: list[float] = []
    loads: list[float] = []
    for _ in range(repeat):
        checks += per_call_us(lambda: check(report), number, 1)
        totals += per_call_us(report.totals, number, 1)
        loads += per_call_us(lambda: json.loads(text), number, 1)
    base = "json.loads(exchange file)"
    return [
        Measurement("core: check(full report)", "µs", checks, base, loads,
                    note=f"mean of {number} calls per sample, {repeat} samples"),
        Measurement("core: totals() only", "µs", totals, base, loads),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=2000, help="calls per sample")
    args = parser.parse_args()
    print_table(measure(args.repeat, args.number))


if __name__ == "__main__":
    main()
