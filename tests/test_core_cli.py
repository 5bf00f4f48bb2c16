"""The command line as a clerk's IT person or a district office script uses it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.exchange import write_report
from core.sample import full_report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.json"
    write_report(full_report(), path)
    return path


@pytest.fixture
def unbalanced(tmp_path: Path) -> Path:
    report = full_report()
    report.values["table3.granted.natural"] += 1
    path = tmp_path / "bad.json"
    write_report(report, path)
    return path


def test_check_passes(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(good)]) == 0
    assert "校验通过" in capsys.readouterr().out


def test_check_errors_grouped_by_section(unbalanced: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(unbalanced)]) == 1
    out = capsys.readouterr().out
    assert "2 项错误" in out
    assert "三、收到和处理政府信息公开申请情况" in out
    assert "[错误] 自然人列：" in out


def test_check_json(unbalanced: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(unbalanced), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in doc["findings"]] == ["identity", "identity"]
    assert set(doc["findings"][0]) == {"rule", "severity", "cells", "message"}
    assert doc["findings"][0]["cells"][0] == "table3.new_received.natural"


def test_warnings_alone_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = full_report()
    report.texts["text.problems"] = ""
    path = tmp_path / "warn.json"
    write_report(report, path)
    assert main(["check", str(path)]) == 0
    assert "[提示]" in capsys.readouterr().out


def test_invalid_file_exit_two_with_chinese_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"schema": "xxgk-annual-report/1", "template": "2021", "unit": "某局", "year": 2021,'
                    ' "table3": {"granted": {"natural": -1}}}', "utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "table3.granted.natural：应为 0 至 999999999 的整数，实际为 -1"
    assert "Traceback" not in err


def test_missing_file_and_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "无.json")]) == 2
    assert "文件不存在" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["check"])
    assert info.value.code == 2
    assert "缺少必需的参数" in capsys.readouterr().err


def test_help_and_version_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：")
    assert "校验报告文件" in out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("xxgk-report ")


def test_check_does_not_import_qt(good: Path) -> None:
    code = (
        "import sys; from core.cli import main; rc = main(['check', sys.argv[1]]); "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'gui'))]; "
        "print(bad); sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(good)], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("[]")


@pytest.mark.parametrize("command", ["check", "pdf", "list", "import", "export"])
def test_each_command_has_chinese_help_with_one_usage_prefix(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"用法：xxgk-report {command} ")
    assert "用法：用法" not in out
    assert "usage" not in out.lower()
