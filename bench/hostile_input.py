"""How fast hostile exchange files are refused (issue #17): they must cost no more than a valid one.

Baseline in the same run: reading the full sample report. Each case is a file on disk read by
``read_report`` (the command line's and the window's path). Run: ``python bench/hostile_input.py``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Measurement, print_table
from core.errors import InvalidReportFile
from core.exchange import read_report, report_to_dict
from core.sample import full_report


def _read_ms(path: str | Path, number: int, repeat: int) -> list[float]:
    def once() -> None:
        try:
            read_report(path)
        except InvalidReportFile:
            pass

    return [t / number * 1000 for t in timeit.repeat(once, number=number, repeat=repeat)]


def measure(repeat: int = 7, number: int = 20) -> list[Measurement]:
    base = json.dumps(report_to_dict(full_report()), ensure_ascii=False)
    cases = {
        "fees 1e-999999999": re.sub(r'"fees": "[^"]*"', '"fees": 1e-999999999', base),
        "a count of 5,000 digits": base.replace('"licensing": ', '"licensing": ' + "9" * 5000 + ', "x": ', 1),
        "prose with a 5,000-digit number": base.replace("申请", "申请" + "9" * 5000, 1),
    }
    results = []
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-hostile-") as tmp:
        folder = Path(tmp)
        valid = folder / "valid.json"
        valid.write_text(base, encoding="utf-8")
        baseline = _read_ms(valid, number, repeat)
        for name, text in cases.items():
            path = folder / "case.json"
            path.write_text(text, encoding="utf-8")
            results.append(Measurement(f"hostile: read {name}", "ms", _read_ms(path, number, repeat),
                                       "read the valid report", baseline))
        big = folder / "big.json"
        big.write_bytes(b" " * (6 * 1024 * 1024))
        results.append(Measurement("hostile: refuse a 6 MB file", "ms", _read_ms(big, number, repeat),
                                   "read the valid report", baseline, note="only 5 MB + 1 byte is read"))
        if os.path.exists("/dev/zero"):
            results.append(Measurement("hostile: refuse /dev/zero", "ms", _read_ms("/dev/zero", number, repeat),
                                       "read the valid report", baseline))
    return results


def main() -> None:
    print_table(measure())


if __name__ == "__main__":
    main()
