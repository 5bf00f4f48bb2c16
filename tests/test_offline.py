"""The program makes no network connection at all: offices install it on PCs cut off from the net.

Every way Python opens a connection is made to fail and to be recorded, then a whole working
session runs: check, PDF, the store's import/list/export, the window opening a report and closing,
and the self-test. Not one attempt may be recorded. (Only the host name is read, for the store's
lock note: that is a local call, not a connection.)
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from core.cli import SUBCOMMANDS, _name_of, main
from core.exchange import write_report
from core.sample import full_report


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(what: str):  # type: ignore[no-untyped-def]
        def blocked(*args, **kwargs):  # type: ignore[no-untyped-def]
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise NetworkUsed(f"网络访问：{what}")

        return blocked

    monkeypatch.setattr(socket.socket, "__init__", refuse("socket.socket()"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    return attempts


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "某区科学技术局2021年报.json"
    write_report(full_report(), path)
    return path


def _commands() -> set[str]:
    return {_name_of(add) for add in SUBCOMMANDS}


def test_the_guard_catches_a_connection(no_network: list[str]) -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80))
    assert no_network


def test_a_whole_session_opens_no_socket(no_network: list[str], sample: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "草稿库"
    assert main(["check", str(sample)]) == 0
    assert main(["check", str(sample), "--json"]) == 0

    if "pdf" in _commands():
        pdf = tmp_path / "年报.pdf"
        assert main(["pdf", str(sample), "-o", str(pdf)]) == 0
        assert pdf.read_bytes().startswith(b"%PDF-")

    if {"import", "list", "export"} <= _commands():
        assert main(["import", str(sample), "--data-dir", str(data)]) == 0
        capsys.readouterr()
        assert main(["list", "--data-dir", str(data)]) == 0
        report_id = capsys.readouterr().out.split()[0]
        out = tmp_path / "导出.json"
        assert main(["export", report_id, "-o", str(out), "--data-dir", str(data)]) == 0
        assert out.is_file()

    assert no_network == []


def test_the_window_opens_a_report_and_closes_without_network(no_network: list[str], sample: Path,
                                                              tmp_path: Path) -> None:
    app_mod = pytest.importorskip("gui.app")
    app = app_mod.create_application()
    window = app_mod.create_main_window(sample, data_dir=str(tmp_path / "草稿库"))
    window.show()
    app.processEvents()
    assert "某区科学技术局" in window.windowTitle()
    window.close()
    app.processEvents()
    assert no_network == []


def test_the_self_test_opens_no_socket(no_network: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from gui.selftest import run

    assert run() == 0, capsys.readouterr().out
    assert no_network == []
