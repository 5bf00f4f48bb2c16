"""Hostile exchange files (issue #17 F1–F7, F13): a clean Chinese refusal, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.errors import InvalidReportFile
from core.exchange import read_report, report_from_json, report_to_dict
from core.sample import full_report

ROOT = Path(__file__).resolve().parents[1]


def _doc(**changes: object) -> dict:
    doc = report_to_dict(full_report())
    doc.update(changes)
    return doc


def _write(tmp_path: Path, doc: dict | str, name: str = "报告.json") -> Path:
    path = tmp_path / name
    text = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=True)
    path.write_text(text, encoding="utf-8")
    return path


def _refused(text: str) -> list[str]:
    with pytest.raises(InvalidReportFile) as info:
        report_from_json(text)
    return info.value.lines()


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# -- F1: an integer longer than Python's 4,300-digit limit ----------------------------------------


def test_huge_integer_in_a_cell_is_an_invalid_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _doc()
    doc["table2"]["licensing"] = 0
    text = json.dumps(doc).replace('"licensing": 0', '"licensing": ' + "9" * 5000, 1)
    lines = _refused(text)
    assert any(line.startswith("table2.licensing：") and "整数" in line for line in lines)
    assert all(len(line) < 300 for line in lines)  # the 5,000 digits are not echoed back
    path = _write(tmp_path, text)
    for argv in (["check", str(path)], ["pdf", str(path), "-o", str(tmp_path / "x.pdf")],
                 ["import", str(path), "--data-dir", str(tmp_path / "data")]):
        code, _out, err = _run(argv, capsys)
        assert code == 2 and "table2.licensing" in err and "Traceback" not in err
    assert not (tmp_path / "data").exists()


def test_huge_fee_exponent_and_digits_are_refused_quickly() -> None:
    for fee in ("1e-999999999", "0E-999999999", "1" * 5000, "1E+999999999"):
        lines = _refused_fee(fee)
        assert any(line.startswith("table2.fees：") for line in lines), (fee, lines)
    # As a JSON number too (parsed to a Decimal): F7's "fees": 1e-999999999.
    text = re.sub(r'"fees": "[^"]*"', '"fees": 1e-999999999', json.dumps(_doc()))
    assert any(line.startswith("table2.fees：") for line in _refused(text))


def _refused_fee(fee: str) -> list[str]:
    doc = _doc()
    doc["table2"]["fees"] = fee
    return _refused(json.dumps(doc))


def test_fee_with_six_places_is_accepted() -> None:
    doc = _doc()
    doc["table2"]["fees"] = "24252.311082"
    assert str(report_from_json(json.dumps(doc)).values["table2.fees"]) == "24252.311082"


# -- F2: the same number in the prose -------------------------------------------------------------


def test_huge_number_in_the_prose_is_checked_without_a_crash(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    doc = _doc()
    doc["text"]["overview"]["requests"] = "全年共收到申请" + "9" * 5000 + "件。"
    path = _write(tmp_path, doc)
    code, out, err = _run(["check", str(path)], capsys)
    assert code in (0, 1) and "Traceback" not in err and out
    data = tmp_path / "data"
    code, out, err = _run(["import", str(path), "--data-dir", str(data)], capsys)
    assert code == 0, err
    code, out, _ = _run(["list", "--data-dir", str(data)], capsys)
    assert code == 0 and len(out.splitlines()) == 1


# -- F3: only report formats are formats ----------------------------------------------------------


def test_print_data_is_not_a_report_format() -> None:
    lines = _refused(json.dumps(_doc(template="2021-print")))
    assert len(lines) == 1 and lines[0].startswith("template：")
    assert "2021-print" not in lines[0].split("支持：")[1]


# -- F4: lone surrogates --------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["unit", "title", "prose", "key"])
def test_lone_surrogate_is_refused_at_reading(where: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    doc = _doc()
    if where == "prose":
        doc["text"]["problems"] = "问题\ud800"
    elif where == "key":
        doc["text"]["x\ud800"] = "无"
    else:
        doc[where] = "某局\ud800"
    path = _write(tmp_path, doc)  # ensure_ascii writes the escape "\ud800"
    data = tmp_path / "data"
    for argv in (["check", str(path)], ["import", str(path), "--data-dir", str(data)]):
        code, _out, err = _run(argv, capsys)
        assert code == 2 and "Traceback" not in err
        err.encode("utf-8")  # the message itself can be printed
    assert not data.exists()  # the folder is not even created


# -- F5 / F6: FIFOs and endless devices -----------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.timeout(30)
def test_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "报告.json"
    os.mkfifo(fifo)
    with pytest.raises(InvalidReportFile) as info:
        read_report(fifo)
    assert "普通文件" in info.value.lines()[0]


def _limited() -> None:
    # If the read were unbounded, fail fast instead of eating the shared machine's memory.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("link", [False, True])
def test_dev_zero_is_refused_without_reading_it(link: bool, tmp_path: Path) -> None:
    target = "/dev/zero"
    if link:
        (tmp_path / "报告.json").symlink_to("/dev/zero")
        target = str(tmp_path / "报告.json")
    proc = subprocess.run([sys.executable, "-m", "core.cli", "check", target], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, preexec_fn=_limited)
    assert proc.returncode == 2 and "普通文件" in proc.stderr and "Traceback" not in proc.stderr


def test_reading_stops_at_the_limit_whatever_the_size_says(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import core.exchange as exchange

    path = _write(tmp_path, json.dumps(_doc()) + " " * 2000)
    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", 1000)
    with pytest.raises(InvalidReportFile, match="过大"):
        read_report(path)


# -- F13: values that look right but are not ------------------------------------------------------


@pytest.mark.parametrize("value", ["2025-W01-1", "0001-01-01", "9999-12-31", "20220120", "2022-01-20T00:00",
                                   "２０２２-01-20", "٢٠٢٢-01-20"])
def test_only_plain_plausible_dates(value: str) -> None:
    lines = _refused(json.dumps(_doc(published_on=value)))
    assert lines and all(line.startswith("published_on：") for line in lines)


@pytest.mark.parametrize("fee", ["1_000", "٣", "１", "1 000", "0x10", "Infinity", "--1"])
def test_fees_are_ascii_digits_only(fee: str) -> None:
    lines = _refused_fee(fee)
    assert any(line.startswith("table2.fees：") for line in lines)


@pytest.mark.parametrize("field", ["unit", "title"])
@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x7f", "\x85", "\u202e", "\u2066", "\n"])
def test_control_and_bidi_characters_in_single_line_fields(field: str, char: str) -> None:
    lines = _refused(json.dumps(_doc(**{field: f"某区{char}科学技术局"})))
    assert any(line.startswith(f"{field}：") for line in lines)
    assert all(char not in line for line in lines)  # never echoed raw to the terminal


def test_control_characters_in_prose_are_a_finding(capsys: pytest.CaptureFixture[str]) -> None:
    from core.rules import check

    doc = _doc()
    doc["text"]["problems"] = "存在的问题：\x1b[31m红字\u202e倒序，" + doc["text"]["problems"]
    report = report_from_json(json.dumps(doc))
    found = [f for f in check(report) if "text.problems" in f.cells and f.rule == "control_characters"]
    assert len(found) == 1 and "\x1b" not in found[0].message and "U+001B" in found[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", ["去年的年报.html", "去年的年报.docx", "去年的年报.pdf"])
def test_published_report_readers_refuse_a_fifo_without_hanging(name: str, tmp_path: Path) -> None:
    """`read`/`import` of a published report go through the same bounded read as exchange files."""
    from core.plugins import reader_for

    fifo = tmp_path / name
    os.mkfifo(fifo)
    reader = reader_for(fifo)
    assert reader is not None
    with pytest.raises(InvalidReportFile) as info:
        reader.read(fifo)
    assert "普通文件" in info.value.lines()[0]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_published_page_linked_to_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    (tmp_path / "年报.html").symlink_to("/dev/zero")
    proc = subprocess.run([sys.executable, "-m", "core.cli", "read", str(tmp_path / "年报.html"), "-o",
                           str(tmp_path / "out.json")], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          preexec_fn=_limited)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "普通文件" in proc.stderr
