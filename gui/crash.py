"""The window's last line of defence: an error nobody expected is logged and told, the drafts kept.

:func:`install` replaces ``sys.excepthook``; PySide6 hands an exception raised in a slot, a virtual
method or a timer to that hook too (and the event loop goes on). The hook writes the traceback with
:func:`core.crashlog.write_crash_log` into the data folder's ``logs``, puts pending edits in the
store (autosave's flush), and shows :func:`core.crashlog.crash_message` as plain text. The store is
left open and locked as it was: the clerk can go on working or close the window as usual.
"""

from __future__ import annotations

import sys
import weakref
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from core.crashlog import crash_message, write_crash_log

if TYPE_CHECKING:
    from gui.main_window import MainWindow

CRASH_TITLE = "程序出错"

_windows: weakref.WeakSet[MainWindow] = weakref.WeakSet()
_data_dir: list[str | None] = [None]
_handling = [False]


def watch(window: MainWindow) -> None:
    """A window whose pending edits are saved when something goes wrong."""
    _windows.add(window)


def install(window: MainWindow | None = None, *, data_dir: str | None = None) -> None:
    """Route every uncaught exception of the program (its slots included) to :func:`handle`."""
    if window is not None:
        watch(window)
    _data_dir[0] = data_dir
    sys.excepthook = _hook


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    handle(exc)


def _log_folder() -> str | None:
    """The data folder of the store in use (``None``: the default data folder, as the command line)."""
    if _data_dir[0] is not None:
        return _data_dir[0]
    for window in list(_windows):
        store = window.drafts.store
        if store is not None:
            return str(store.folder)
    return None


def handle(exc: BaseException) -> Path | None:
    """Save what can be saved, log ``exc``, tell the clerk; returns the log file's path."""
    if _handling[0]:
        # An error while telling about an error: log it, never loop on message boxes.
        return write_crash_log(exc, data_dir=_log_folder(), context="while handling an earlier error")
    _handling[0] = True
    try:
        for window in list(_windows):
            try:
                window.drafts.flush()
            except Exception:  # the log below tells what failed first; the edits stay in the window
                pass
        log = write_crash_log(exc, data_dir=_log_folder(), context="window")
        try:
            sys.__stderr__.write(f"{crash_message(log)}\n")  # type: ignore[union-attr]
        except Exception:
            pass
        _tell(crash_message(log))
        return log
    finally:
        _handling[0] = False


def _tell(text: str) -> None:
    from PySide6.QtWidgets import QApplication

    from gui.dialogs import Icon, message

    if QApplication.instance() is None:
        return
    parent = next((w for w in list(_windows) if w.isVisible()), None)
    message(parent, Icon.Critical, CRASH_TITLE, text,
            "可以继续填写；修改会照常自动保存到草稿库。如果问题反复出现，请先用“文件 → 另存为”另存一份年报文件。")
