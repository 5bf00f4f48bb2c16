"""The Qt side of autosave: a timer that asks :class:`core.autosave.Autosaver` and saves to the store.

Wiring (:mod:`gui.draft_actions` does this): connect the document's ``changed`` signal to
:meth:`AutosaveDriver.note_edit`, Ctrl+S to :meth:`save_now`, the window's close to :meth:`flush`,
and show the lines :attr:`AutosaveDriver.reported` carries in the status bar. The promise it keeps
(on disk within 2 s of the keystroke) is in ``docs/contract-annual-report-2021.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from core.autosave import AutosavePolicy, Autosaver
from core.errors import ReportError
from core.model import Report
from core.store import VERSION_AUTO, VERSION_SAVED, Store

TICK_MS = 250


class AutosaveDriver(QObject):
    """Saves the current report to the store within two seconds of the last edit, and on close.

    ``current_report`` returns the report being edited; :attr:`reported` carries a short Chinese
    line after every save attempt (success or failure), for the status bar. ``clock`` is injectable
    so tests move time by hand and call :meth:`tick` instead of waiting for the timer, which runs
    only while something waits to be saved.
    """

    reported = Signal(str)

    def __init__(self, store: Store, report_id: str | None, current_report: Callable[[], Report], *,
                 policy: AutosavePolicy | None = None, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.report_id = report_id
        self._current = current_report
        self._clock = clock
        self.autosaver = Autosaver(policy, now=clock())
        self._warned_read_only = False
        self.last_error: str | None = None
        self.recovered = False  # the last save ended a run of failures (issue #17 F14)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    # -- what the window calls -------------------------------------------------------------------

    def set_report(self, report_id: str | None) -> None:
        """Switch to another stored report (after 打开 / 新建): pending edits go to the old one first."""
        if report_id != self.report_id:
            self.flush()
        self.report_id = report_id
        self.autosaver = Autosaver(self.autosaver.policy, now=self._clock())

    def note_edit(self, *_args: object) -> None:
        """Slot for the document's ``changed`` signal."""
        if self.report_id is None:
            return
        if self.store.read_only:
            if not self._warned_read_only:
                self._warned_read_only = True
                self._tell(self.store.read_only_reason or "草稿库为只读，修改不会自动保存")
            return
        self.autosaver.note_edit(self._clock())
        if not self.timer.isActive():  # start() would restart it: typing must not push the save away
            self.timer.start()

    def tick(self) -> None:
        now = self._clock()
        if self.autosaver.due(now):
            self._save(now, version=VERSION_AUTO if self.autosaver.version_due(now) else None, kind="auto")
        if not self.autosaver.dirty:
            self.timer.stop()  # nothing waits; the next edit starts it again

    def save_now(self, label: str = VERSION_SAVED) -> bool:
        """Ctrl+S: save at once and keep a named version in the history."""
        if self.report_id is None or self.store.read_only:
            if self.store.read_only:
                self._tell(self.store.read_only_reason or "草稿库为只读，无法保存")
            return False
        return self._save(self._clock(), version=label, kind="save", explicit=True)

    def flush(self) -> bool:
        """On close or before switching reports: save whatever is pending. True if nothing is lost."""
        if self.report_id is None or self.store.read_only or not self.autosaver.dirty:
            return not self.autosaver.dirty or self.store.read_only
        return self._save(self._clock(), version=None, kind="auto")

    @property
    def dirty(self) -> bool:
        return self.autosaver.dirty

    @property
    def failing(self) -> bool:
        """The last save failed and a retry is pending."""
        return self.autosaver.failing

    # -- internals --------------------------------------------------------------------------------

    def _save(self, now: float, *, version: str | None, kind: str, explicit: bool = False) -> bool:
        assert self.report_id is not None
        try:
            self.store.save(self.report_id, self._current(), version=version, kind=kind)
        except ReportError as err:
            self.autosaver.failed(now)
            self.last_error = err.message
            self._tell(f"自动保存失败：{err.message}。修改仍在窗口中，稍后会再试。")
            return False
        self.last_error = None
        self.recovered = self.autosaver.saved(now, versioned=version is not None)
        stamp = datetime.now().strftime("%H:%M:%S")
        if explicit:
            text = f"已保存并留存版本（{stamp}）"
        else:
            text = f"已自动保存（{stamp}）" + ("，并留存了历史版本" if version else "")
        # After failures the clerk was told 自动保存失败: the all-clear must say so in as many words.
        self._tell(f"自动保存已恢复正常：{text}" if self.recovered else text)
        return True

    def _tell(self, text: str) -> None:
        self.reported.emit(text)
