"""``--data-dir`` before the command name reaches the command, as it does after it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli import main
from core.exchange import write_report
from core.sample import full_report
from core.store import Store, next_year_report


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A store with last year's report, away from the default (XXGK_REPORT_HOME) folder."""
    folder = tmp_path / "其他草稿库"
    with Store.open(folder) as store:
        store.create(full_report(year=2020))
    return folder


@pytest.mark.parametrize("form", ["separate", "joined"])
def test_list_finds_the_store_named_before_the_command(data: Path, form: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    option = ["--data-dir", str(data)] if form == "separate" else [f"--data-dir={data}"]
    assert main([*option, "list"]) == 0
    out = capsys.readouterr().out
    assert "2020年度" in out and "某区科学技术局" in out
    # The default folder (the test's XXGK_REPORT_HOME) is empty: the option really was used.
    assert main(["list"]) == 0
    assert "2020年度" not in capsys.readouterr().out


def test_check_and_pdf_use_last_year_from_the_store_named_before_the_command(
        data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last = full_report(year=2020)
    this = next_year_report(last)
    this.values["table3.carried_over.natural"] += 1  # no longer last year's carried_forward
    path = tmp_path / "2021.json"
    write_report(this, path)

    def rules(*argv: str) -> set[str]:
        main([*argv, "check", "--json", str(path)])
        return {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}

    assert "cross_year" in rules(f"--data-dir={data}")
    assert "cross_year" not in rules()  # the default store has no 2020 report
    pdf = tmp_path / "r.pdf"
    main(["--data-dir", str(data), "pdf", str(path), "-o", str(pdf)])
    with_store = capsys.readouterr().out
    main(["pdf", str(path), "-o", str(pdf)])
    without = capsys.readouterr().out
    assert pdf.is_file() and with_store != without  # one more 提示 counted in the summary line


def test_import_into_the_store_named_before_the_command(data: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "教育局.json"
    write_report(full_report(unit="某区教育局"), path)
    assert main(["--data-dir", str(data), "import", str(path)]) == 0
    with Store.open(data, write=False) as store:
        assert {e.unit for e in store.list()} == {"某区科学技术局", "某区教育局"}


def test_without_a_command_the_option_stays_with_the_window_parser() -> None:
    from core.cli import _hoist_global_options

    assert _hoist_global_options(["--data-dir", "D", "a.json"], {"list"}) == ["--data-dir", "D", "a.json"]
    assert _hoist_global_options(["--data-dir", "D", "list", "--trash"], {"list"}) == \
        ["list", "--data-dir", "D", "--trash"]
