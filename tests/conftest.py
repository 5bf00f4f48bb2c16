"""Shared test set-up: Qt runs offscreen, and every test gets its own data folder."""

from __future__ import annotations

import os

# Before any Qt import: the tests must run on CI machines without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the clerk's real drafts, settings and window state out of reach of the tests."""
    home = tmp_path_factory.mktemp("xxgk-home")
    monkeypatch.setenv("XXGK_REPORT_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Empty the clipboard before Qt is torn down: Qt's offscreen platform (the tests' only one)
    crashes at exit when the clipboard still holds mime data set by the program — a segfault that
    turned a green run into exit 139. On a real desktop (xcb) the same exit is clean (checked by hand)."""
    import sys

    if "PySide6.QtGui" not in sys.modules:
        return
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is not None and app.platformName() == "offscreen":
        QGuiApplication.clipboard().clear()
