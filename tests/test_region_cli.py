"""``xxgk-report batch`` and ``sum`` as a county office's clerk or script runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.exchange import read_report, write_report
from core.sample import full_report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    units = tmp_path / "units"
    units.mkdir()
    for i in range(3):
        write_report(full_report(seed=i, unit=f"某县第{i}局", year=2022), units / f"{i}.json")
    write_report(full_report(seed=7, unit="某县第0局", year=2021), units / "0-2021.json")
    return units


def test_batch_all_good_exits_0_and_lists_one_line_per_unit(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("2022 年度（未指定 --year")
    for i in range(3):
        assert f"某县第{i}局  2022年度  " in out
    assert "另有 1 份其他年度的报告" in out


def test_batch_exit_1_with_an_error_and_a_broken_file_listed(folder: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = full_report(seed=3, unit="某县第3局", year=2022)
    bad.values["table3.carried_forward.research"] += 5
    write_report(bad, folder / "3.json")
    (folder / "半截.json").write_text('{"schema": ', encoding="utf-8")
    assert main(["batch", str(folder), "--year", "2022"]) == 1
    out = capsys.readouterr().out
    assert "某县第3局  2022年度  有错误（错误 2，" in out and "  [错误] 表三：科研机构列：" in out
    assert "半截.json：文件：不是有效的 JSON" in out


def test_batch_roster_in_gbk_names_who_has_not_submitted(folder: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "名单.csv"
    roster.write_bytes("单位名称,简称\r\n某县第1局,一局\r\n某县审计局,审计\r\n".encode("gbk"))
    assert main(["batch", str(folder), "--roster", str(roster), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["missing"] == [{"unit": "某县审计局", "short": "审计"}]
    assert doc["units"][0]["unit"] == "某县第1局" and doc["units"][0]["short"] == "一局"
    assert doc["counts"]["未提交"] == 1
    assert set(doc["units"][0]) >= {"unit", "year", "status", "errors", "warnings", "first_problem", "findings"}


def test_batch_unreadable_roster_or_nothing_to_check_exits_2(folder: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(folder), "--roster", str(tmp_path / "无.csv")]) == 2
    assert "找不到名单文件" in capsys.readouterr().err
    empty = tmp_path / "空"
    empty.mkdir()
    assert main(["batch", str(empty)]) == 2


def test_batch_writes_the_workbook(folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "结果.xlsx"
    assert main(["batch", str(folder), "--xlsx", str(out)]) == 0
    assert load_workbook(out).sheetnames == ["校验结果"]


def test_sum_writes_a_report_that_reads_back(folder: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "总.json"
    assert main(["sum", str(folder), "--unit", "某县人民政府", "--year", "2022", "-o", str(out)]) == 0
    total = read_report(out)
    units = [read_report(folder / f"{i}.json") for i in range(3)]
    assert total.values["table3.new_received.natural"] == sum(u.values["table3.new_received.natural"] for u in units)
    assert total.unit == "某县人民政府" and total.year == 2022
    assert "某县第0局、某县第1局、某县第2局" in total.texts["text.other_matters"]
    assert "已汇总 3 个单位" in capsys.readouterr().out


def test_sum_exit_1_names_a_unit_left_out(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = full_report(seed=3, unit="某县第3局", year=2022)
    bad.values["table3.granted.natural"] += 1
    write_report(bad, folder / "3.json")
    out = tmp_path / "总.json"
    assert main(["sum", str(folder), "--unit", "某县人民政府", "--year", "2022", "-o", str(out),
                 "--xlsx", str(tmp_path / "总.xlsx")]) == 1
    assert "有错误、未计入汇总 1 个单位：某县第3局" in capsys.readouterr().out
    assert out.exists() and (tmp_path / "总.xlsx").exists()


def test_sum_without_reports_of_the_year_exits_2_and_writes_nothing(folder: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "总.json"
    assert main(["sum", str(folder), "--unit", "某县", "--year", "2019", "-o", str(out)]) == 2
    assert "没有 2019 年度的年报" in capsys.readouterr().err
    assert not out.exists()


def test_batch_loads_neither_qt_nor_openpyxl(folder: Path) -> None:
    code = ("import sys; from core.cli import main; main(['batch', sys.argv[1]]); "
            "print([m for m in sys.modules if m.startswith(('PySide6', 'openpyxl'))])")
    proc = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True,
                          cwd=ROOT, encoding="utf-8")
    assert proc.stdout.strip().splitlines()[-1] == "[]"
