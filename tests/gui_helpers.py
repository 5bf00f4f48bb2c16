"""What the window tests share: a shown main window, and message boxes recorded instead of shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from gui.app import create_application, create_main_window
from gui.main_window import MainWindow


def record_boxes(monkeypatch: pytest.MonkeyPatch, *, non_blocking_too: bool = False) -> list[str]:
    """Every message box from now on, answered 确定 at once; returns title, text and details of each."""
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}")
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    if non_blocking_too:
        monkeypatch.setattr(QMessageBox, "open", answer)  # the 汇总 window's messages do not block
    return shown


def shown_window(qtbot, path: Path | None = None, data: Path | None = None,  # type: ignore[no-untyped-def]
                 size: tuple[int, int] | None = None) -> MainWindow:
    """The real main window, opened on ``path`` (else the latest draft), shown and exposed."""
    create_application()
    win = create_main_window(path, data_dir=None if data is None else str(data))
    qtbot.addWidget(win)
    if size is not None:
        win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    return win
