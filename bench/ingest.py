"""How long ``xxgk-report read`` of a published report takes: a web page, a Word file, a PDF.

Run: ``python bench/ingest.py [--runs 9]``

Each case is a fresh process, as the clerk's script meets it (interpreter, imports of lxml /
python-docx / pdfplumber, reading, recognising, writing the exchange file). The baseline is
``xxgk-report check`` of an exchange file of the full sample report, a fresh process too, run
interleaved with the three cases so machine drift hits all alike. Inputs: the published samples
beside the repository (``../shared/samples/published``: the 2025 Pingtan page, the Hongze PDF, and
the blank Word template filled with the Pingtan figures); without them, a page made from the format
data stands in for the web page and the Word and PDF rows are skipped.

Bar (issue 14): the median of each ``read`` under 1 s on this machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Bar, Measurement, print_table  # noqa: E402
from core.exchange import write_report  # noqa: E402
from core.sample import full_report  # noqa: E402
from tests.ingest_pages import SAMPLES, fill_word_template, report_page, sample_values  # noqa: E402

BASELINE = "xxgk-report check (exchange file)"
LIMIT_S = 1.0


def _timed(cmd: list[str], ok: tuple[int, ...] = (0, 1)) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd[-4:])} exited {proc.returncode}:\n"
                           f"{proc.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def measure(runs: int = 9) -> list[Measurement]:
    """``read`` of each kind against ``check``, interleaved fresh processes, after one warm-up each."""
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-ingest-"))
    try:
        exchange = work / "full.json"
        write_report(full_report(), exchange)
        inputs: dict[str, Path | None] = {"web page": None, "Word file": None, "PDF": None}
        if SAMPLES.is_dir():
            inputs["web page"] = SAMPLES / "pingtan-2025.html"
            inputs["PDF"] = SAMPLES / "hongze-2024.pdf"
            docx = work / "filled.docx"
            fill_word_template(sample_values("pingtan-2025"), SAMPLES / "template-2021-blank.docx", docx)
            inputs["Word file"] = docx
        else:
            page = work / "page.html"
            page.write_text(_made_page(), "utf-8")
            inputs["web page"] = page

        entry = shutil.which("xxgk-report", path=str(Path(sys.executable).parent)) or shutil.which("xxgk-report")
        cli = [entry] if entry else [sys.executable, "-m", "core.cli"]
        cases: dict[str, list[str]] = {BASELINE: [*cli, "check", str(exchange)]}
        for kind, path in inputs.items():
            if path is not None:
                cases[kind] = [*cli, "read", str(path), "-o", str(work / f"{kind}.json")]
        for cmd in cases.values():
            _timed(cmd)  # warm the OS file cache once
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, cmd in cases.items():
                times[name].append(_timed(cmd))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    note = f"{runs} fresh processes per case, interleaved with the baseline, after one untimed warm-up each"
    results = []
    for kind, path in inputs.items():
        name = f"xxgk-report read ({kind}, whole process)"
        if path is None:
            results.append(Measurement(name, "s", [], BASELINE, bar=Bar(LIMIT_S, "value", strict=True),
                                       skipped="published samples not beside the repository: not measured"))
        else:
            results.append(Measurement(name, "s", times[kind], BASELINE, times[BASELINE],
                                       Bar(LIMIT_S, "value", strict=True), note=note))
    return results


def _made_page() -> str:
    """A page of the format's tables with the full sample report's figures, when no sample is at hand."""
    from core.exchange import report_to_dict
    from tests.ingest_pages import expected_cells

    return report_page(expected_cells(report_to_dict(full_report())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print_table(measure(args.runs))


if __name__ == "__main__":
    main()
