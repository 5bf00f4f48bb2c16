"""``xxgk-report list / import / export`` and ``check`` against last year's stored report."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.cli import main
from core.datadir import ENV_VAR
from core.exchange import read_report, report_to_dict, write_report
from core.sample import full_report
from core.store import Store, next_year_report


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"a": tmp_path / "科技局.json", "b": tmp_path / "教育局.json", "bad": tmp_path / "坏.json"}
    write_report(full_report(), paths["a"])
    write_report(full_report(unit="某区教育局"), paths["b"])
    paths["bad"].write_text('{"schema": "xxgk-annual-report/1", "template": "2021", "unit": "某局", '
                            '"year": 2021, "table3": {"granted": {"natural": -1}}}', encoding="utf-8")
    return paths


def test_import_list_export_round_trip(tmp_path: Path, files: dict[str, Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "store")
    assert main(["import", str(files["a"]), str(files["b"]), "--data-dir", data]) == 0
    assert capsys.readouterr().out.count("已导入") == 2
    assert main(["list", "--data-dir", data]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    ids = [line.split()[0] for line in lines]
    assert all(len(i) == 12 for i in ids)
    assert any("某区教育局" in line and "校验通过" in line for line in lines)
    out = tmp_path / "导出.json"
    by_unit = {line.split()[0]: line for line in lines}
    rid = next(i for i, line in by_unit.items() if "某区教育局" in line)
    assert main(["export", rid[:6], "-o", str(out), "--data-dir", data]) == 0
    assert report_to_dict(read_report(out)) == report_to_dict(read_report(files["b"]))


def test_import_with_an_invalid_file_imports_nothing(tmp_path: Path, files: dict[str, Path],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "store"
    assert main(["import", str(files["a"]), "--data-dir", str(data)]) == 0
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(["import", str(files["b"]), str(files["bad"]), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert str(files["bad"]) in err and "table3.granted.natural" in err and "未导入任何文件" in err
    after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert after == before  # store untouched


def test_invalid_import_does_not_even_create_the_store(tmp_path: Path, files: dict[str, Path]) -> None:
    data = tmp_path / "new-store"
    assert main(["import", str(files["bad"]), "--data-dir", str(data)]) == 2
    assert not data.exists()


def test_import_refused_while_the_window_holds_the_store(tmp_path: Path, files: dict[str, Path],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(tmp_path / "store"):
        assert main(["import", str(files["a"]), "--data-dir", str(tmp_path / "store")]) == 1
    assert "另一个" in capsys.readouterr().err
    # Reading commands still work while the window is open.
    with Store.open(tmp_path / "store"):
        assert main(["list", "--data-dir", str(tmp_path / "store")]) == 0


def test_export_unknown_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "abc", "-o", str(tmp_path / "x.json"), "--data-dir", str(tmp_path)]) == 2
    assert "没有编号" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_environment_variable_and_data_dir_precedence(tmp_path: Path, files: dict[str, Path],
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert main(["import", str(files["a"])]) == 0
    assert (tmp_path / "env" / "index.json").exists()
    capsys.readouterr()
    assert main(["list", "--data-dir", str(tmp_path / "other")]) == 0
    assert capsys.readouterr().out == ""


def test_check_uses_last_years_stored_report(tmp_path: Path, files: dict[str, Path],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "store")
    this_year = next_year_report(full_report())
    this_year.values["table3.carried_over.natural"] += 1
    path = tmp_path / "2022.json"
    write_report(this_year, path)
    main(["check", str(path), "--json", "--data-dir", data])
    assert "cross_year" not in capsys.readouterr().out
    assert main(["import", str(files["a"]), "--data-dir", data]) == 0
    capsys.readouterr()
    main(["check", str(path), "--json", "--data-dir", data])
    assert '"cross_year"' in capsys.readouterr().out


def test_list_trash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(tmp_path) as store:
        rid = store.create(full_report())
        store.delete(rid)
    assert main(["list", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["list", "--trash", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith(rid)
