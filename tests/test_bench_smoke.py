"""The benchmark harness works end to end on a tiny configuration.

Structure only, never speed: speed is what ``python bench/run.py`` measures and reports.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import run
from bench.common import Bar, Measurement, machine_info, percentile


@pytest.fixture(scope="module")
def tiny_results() -> list[Measurement]:
    # One run of everything (a few seconds): start-up probes, a keystroke child, PDF processes, stores.
    return run.run(run.TINY, progress=lambda _text: None)


def test_every_measurement_is_taken_with_its_same_run_baseline(tiny_results: list[Measurement]) -> None:
    names = [m.name for m in tiny_results]
    for expected in ("start-up", "keystroke", "p50", "p99", "xxgk-report pdf", "autosave", "peak memory",
                     "check(full report)"):
        assert any(expected in n for n in names), f"no row for {expected}: {names}"
    assert not [m.skipped for m in tiny_results if m.failed]
    measured = [m for m in tiny_results if not m.skipped]
    for m in measured:
        assert m.samples and all(v > 0 for v in m.samples), m.name
        assert m.baseline_name and m.baseline_samples, m.name
        assert m.ratio is not None and m.ratio > 0
    # Bars that decide pass/fail are there; a missed bar is a result, not a harness error.
    barred = {m.name: m.passed for m in measured if m.bar}
    assert len(barred) >= 7 and all(p in (True, False) for p in barred.values())


def test_keystrokes_really_recomputed_the_findings(tiny_results: list[Measurement]) -> None:
    note = next(m.note for m in tiny_results if "keystroke" in m.name and m.note)
    # After a digit that unbalances a column the status bar shows errors; after its removal it is clean.
    assert re.search(r"after an unbalancing key: “\d+ 项错误", note), note
    assert "after a rebalancing key: “校验通过”" in note


def test_libreoffice_left_out_is_a_skipped_row_with_a_reason(tiny_results: list[Measurement]) -> None:
    office = [m for m in tiny_results if "LibreOffice" in m.name]
    assert len(office) == 1 and office[0].skipped and not office[0].failed
    assert office[0].passed is None


def test_page_has_table_machine_and_command(tiny_results: list[Measurement]) -> None:
    page = run.render(tiny_results, run.TINY, machine_info(), 3.0, "0.10 / 0.10 / 0.10", note="test")
    assert "| what | median | spread (min–max) | baseline: median (spread) | ratio | bar | result |" in page
    table_rows = [line for line in page.splitlines() if line.startswith("| ") and line.count("|") == 8]
    assert len(table_rows) == len(tiny_results) + 1
    for key in ("CPU", "cores", "RAM", "OS", "Python", "PySide6", "ReportLab", "date"):
        assert re.search(rf"^\| {key} \| \S", page, re.M), key
    assert "python bench/run.py --quick" in page and "(test)" in page


def test_a_crashing_benchmark_becomes_a_failed_row(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(*_args: object, **_kwargs: object) -> list[Measurement]:
        raise OSError("磁盘已满")

    for module, name in ((run.gui_keystroke, "startup"), (run.gui_keystroke, "keystrokes"),
                         (run.pdf_export, "measure"), (run.store_autosave, "measure")):
        monkeypatch.setattr(module, name, broken)
    out = tmp_path / "bench.md"
    assert run.main(["--output", str(out), "--quick"]) == 1
    page = out.read_text(encoding="utf-8")
    assert "**FAILED**" in page and "磁盘已满" in page
    assert "core: check(full report)" in page  # the benchmarks that work still report


def test_bar_and_percentile_arithmetic() -> None:
    assert percentile(list(range(1, 201)), 99) == 198
    assert percentile([5.0], 99) == 5.0
    m = Measurement("x", "ms", [10, 30, 20], "base", [10, 10], Bar(2.0))
    assert (m.median, m.ratio, m.passed) == (20, 2.0, True)
    assert Measurement("x", "ms", [10], "base", [4], Bar(2.0)).passed is False
    assert Measurement("x", "ms", [10], "base", [10], Bar(1.0, strict=True)).passed is False
    assert Measurement("x", "MB", [151], bar=Bar(150, "value")).passed is False
