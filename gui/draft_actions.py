"""The drafts store in the window: autosave feedback, 草稿管理, 历史版本, 新建下一年度报告, switching reports.

Holds which stored report the window shows (``report_id``) and the autosave driver that follows
it. The use cases themselves (the store, last year's report, the next-year clash) are asked of
:mod:`core.session`; this module only asks the clerk and shows the answers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QLabel

from core import session
from core.autosave import AutosavePolicy
from core.errors import ReportError
from core.model import Report
from core.session import Notice
from core.storage import StoreError
from core.store import Store
from gui.autosave import TICK_MS, AutosaveDriver
from gui.dialogs import Icon, confirm, message, plain_tip, show_error
from gui.style import ALARM_LABEL_STYLE, StatusTime

if TYPE_CHECKING:
    from gui.main_window import MainWindow

# The promise is "on disk within 2 s of the keystroke": the timer only looks every TICK_MS (and a
# coarse Qt timer may fire a little late), and the write with its fsyncs takes a few ms, so the
# policy's deadline leaves that much room. Measured with continuous typing: 1.75–1.85 s.
AUTOSAVE_SLACK_SECONDS = 0.15
AUTOSAVE_POLICY = AutosavePolicy(max_delay_seconds=2.0 - TICK_MS / 1000 - AUTOSAVE_SLACK_SECONDS)
RECOVERY_DETAILS = "损坏的文件已改名留在原处，没有删除；如有疑问，请把它交给信息化人员查看。"
RECOVERY_TITLE = "草稿库已自动修复"
PREVIOUS_OFF = "未核对跨年度衔接"


class RestoreCommand(QUndoCommand):
    """A restored history version as one undo step: undo shows again what was there before."""

    def __init__(self, drafts: DraftActions, old: Report, new: Report) -> None:
        super().__init__("恢复历史版本")
        self.drafts = drafts
        self.old = old
        self.new = new

    def redo(self) -> None:
        self.drafts.swap_report(self.new)

    def undo(self) -> None:
        self.drafts.swap_report(self.old)


class DraftActions(QObject):
    """The window's side of the drafts store (``store`` may be ``None``: the window works on files)."""

    def __init__(self, window: MainWindow, store: Store | None, report_id: str | None, *,
                 clock: Callable[[], float] = time.monotonic, notices: list[Notice] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.report_id = report_id
        self.notices: list[Notice] = list(notices or [])
        self._notes_shown = 0
        self._previous_problem: str | None = None
        self._label_text, self._label_alarm, self._label_tooltip = "", False, ""
        self.autosave: AutosaveDriver | None = None
        if store is not None:
            self.autosave = AutosaveDriver(store, report_id, lambda: window.document.report,
                                           policy=AUTOSAVE_POLICY, clock=clock, parent=self)
            self.autosave.reported.connect(self._autosaved)
        self.store_label = QLabel()
        self.store_label.setTextFormat(Qt.TextFormat.PlainText)  # store messages name folders and files
        self.store_label.setObjectName("storeLabel")

    # -- state --------------------------------------------------------------------------------------

    def writable(self) -> bool:
        """Whether edits go to the store by themselves (autosave); otherwise the window works on files."""
        return self.store is not None and not self.store.read_only and self.report_id is not None \
            and self.autosave is not None

    def note_edit(self, refs: set[str] | None) -> None:
        # ``None`` is a whole report replaced (opened, restored): the store has it already.
        if refs is not None and self.autosave is not None:
            self.autosave.note_edit()

    def flush(self) -> bool:
        """Put pending edits in the store now; False (and the reason in the status bar) if that failed."""
        return self.autosave is None or not self.writable() or self.autosave.flush()

    def refresh_previous(self) -> None:
        """Last year's report for the cross-year rule; a failed lookup is said, not swallowed."""
        found = session.previous_in_store(self.store, self.window.document.report, exclude=self.report_id)
        self.window.document.set_previous(found.report)
        changed = found.problem != self._previous_problem
        self._previous_problem = found.problem
        if changed:
            if found.problem is not None:
                self.window.say(found.problem, StatusTime.ALARM)
            self._set_store_label(self._label_text, alarm=self._label_alarm, tooltip=self._label_tooltip)

    @property
    def previous_problem(self) -> str | None:
        """Why last year's report could not be looked up (the cross-year check is then off)."""
        return self._previous_problem

    def _autosaved(self, text: str) -> None:
        """The autosave driver's report after each attempt: the status bar, and the title's mark."""
        driver = self.autosave
        if self.store is None or self.store.read_only:
            return  # the status bar says so already; the reason was shown at start-up
        failed = driver is not None and (driver.failing or driver.last_error is not None)
        if failed:
            # The reason can be long (it names the folder): in full in the message area and tooltip.
            self._set_store_label("自动保存失败，稍后重试", alarm=True, tooltip=text)
            self.window.say(text, StatusTime.ALARM)
        else:
            self._set_store_label(text, tooltip=f"草稿库位置：{self.store.folder}")
            if driver is not None and driver.recovered:
                # The failure's line would otherwise stay in the message area for its full time.
                self.window.say(text, StatusTime.BRIEF)
        document = self.window.document
        if self.writable() and not failed and driver is not None and not driver.dirty and document.path is None:
            # A stored draft has no other home: once it is in the store there is nothing unsaved.
            document.mark_saved()

    def _set_store_label(self, text: str, *, alarm: bool = False, tooltip: str = "") -> None:
        """The store's state in the status bar; a failed lookup of last year's report stays said there."""
        self._label_text, self._label_alarm, self._label_tooltip = text, alarm, tooltip
        problem = self._previous_problem
        if problem is not None:
            text, alarm = f"{text}；{PREVIOUS_OFF}", True
            tooltip = f"{tooltip}\n{problem}".strip()
        self.store_label.setText(text)
        self.store_label.setToolTip(plain_tip(tooltip))  # names folders and files
        self.store_label.setStyleSheet(ALARM_LABEL_STYLE if alarm else "")

    def show_store_state(self) -> None:
        if self.store is None:
            self._set_store_label("草稿库不可用：修改不会自动保存", alarm=True)
        elif self.store.read_only:
            self._set_store_label("草稿库只读：修改不会自动保存", alarm=True, tooltip=self.store.read_only_reason or "")
        elif self.report_id is None:
            self._set_store_label("未放入草稿库：修改不会自动保存", alarm=True)
        else:
            self._set_store_label("修改自动保存到草稿库", tooltip=f"草稿库位置：{self.store.folder}")

    # -- switching reports --------------------------------------------------------------------------

    def switch(self, report_id: str | None, report: Report, path: Path | None = None) -> None:
        """Show another stored report; the autosave driver follows it (after flushing the old one)."""
        if self.autosave is not None:
            self.autosave.set_report(report_id)
        self.report_id = report_id
        self.window.document.replace(report, path)
        self.show_store_state()
        self.tell_recovery()

    def create_and_show(self, report: Report) -> bool:
        assert self.store is not None
        try:
            report_id = self.store.create(report)
        except ReportError as err:
            show_error(self.window, "无法新建报告", "草稿库中没有新建报告，当前报告未受影响。", err)
            return False
        self.switch(report_id, report)
        return True

    def open_draft(self, report_id: str, path: Path | None = None) -> bool:
        """Open a stored report in the window (from 草稿管理); the current one is saved first."""
        if self.store is None:
            return False
        if report_id == self.report_id and path is None:
            return True
        if not self.window.files.maybe_save():
            return False
        try:
            report = self.store.load(report_id)
        except ReportError as err:
            show_error(self.window, "无法打开草稿", "这份草稿无法读取，当前报告未受影响。", err)
            self.tell_recovery()
            return False
        self.switch(report_id, report, path)
        self.window.say(f"已打开草稿“{self.store.entry(report_id).display_name}”", StatusTime.BRIEF)
        return True

    # -- 草稿管理 -------------------------------------------------------------------------------------

    def drafts_dialog(self):  # type: ignore[no-untyped-def]
        """The 草稿管理 dialog bound to this window (tests drive it without ``exec``)."""
        from gui.drafts_dialog import DraftsDialog

        assert self.store is not None
        # The list's status and time, and what 导出/复制 take, must be what is on screen.
        if not self.flush():
            self.autosave_failed_box()
        return DraftsDialog(self.store, self.window, on_open=lambda rid: self.open_draft(rid),
                            on_restored=self._restored_in_dialog, current_id=self.report_id)

    def show_drafts(self) -> None:
        if self.store is None:
            return
        dialog = self.drafts_dialog()
        dialog.exec()
        self.after_drafts_dialog()

    def after_drafts_dialog(self) -> None:
        """The clerk may have put the open report in the 回收站: go on with the newest draft instead."""
        if self.store is None or self.report_id is None or self.store.read_only:
            return
        try:
            gone = self.store.entry(self.report_id).deleted is not None
        except StoreError:
            gone = True
        if not gone:
            return
        document = self.window.document
        name = document.report.effective_title
        found = session.latest(self.store)
        if found is not None:
            self.switch(*found)
        else:
            self.create_and_show(Report.new(self.window.template, unit=document.report.unit))
        self.window.say(f"“{name}”已移到回收站，现在打开的是“{document.report.effective_title}”", StatusTime.NOTE)

    def _restored_in_dialog(self, report_id: str, report: Report) -> None:
        if report_id == self.report_id:
            self.show_restored(report)

    def new_next_year(self) -> None:
        """新建下一年度报告 from the one in the window: carried-over counts from its carried-forward ones."""
        if not self.writable():
            self.store_unavailable_box("新建下一年度报告")
            return
        if not self.window.files.maybe_save():
            return
        assert self.store is not None and self.report_id is not None
        year = self.window.document.report.year
        if not confirm_next_year(self.window, self.store, self.report_id):
            return
        try:
            new_id = self.store.next_year(self.report_id)
            report = self.store.load(new_id)
        except ReportError as err:
            show_error(self.window, "无法新建下一年度报告", "当前报告未受影响。", err)
            return
        self.switch(new_id, report)
        self.window.editor.setCurrentIndex(0)
        self.window.say(f"已新建 {year + 1} 年度报告：沿用了单位和文字内容，上年结转按 {year} 年度的"
                        f"结转数填好；{year} 年度的报告仍在草稿管理中", StatusTime.LONG)

    # -- 历史版本 -------------------------------------------------------------------------------------

    def history_dialog(self):  # type: ignore[no-untyped-def]
        """The 历史版本 dialog of the report in the window (tests drive it without ``exec``).

        ``None`` when pending edits cannot be stored: restoring would then lose them for good.
        """
        from gui.history_dialog import HistoryDialog

        assert self.store is not None and self.report_id is not None
        # What a restore keeps first must be what is on screen, so that the restore can be undone.
        if not self.flush():
            self.autosave_failed_box()
            return None
        return HistoryDialog(self.store, self.report_id, self.window, on_restored=self.show_restored)

    def show_history(self) -> None:
        if self.store is None or self.report_id is None:
            self.store_unavailable_box("历史版本")
            return
        dialog = self.history_dialog()
        if dialog is not None:
            dialog.exec()

    def show_restored(self, report: Report) -> None:
        # One undo step, so Ctrl+Z takes a mistaken restore back (the store also kept what was
        # there as a version, for after the window is closed).
        self.window.editor.seal_typing()
        self.window.document.undo_stack.push(RestoreCommand(self, self.window.document.report, report))
        self.window.say("已恢复历史版本。可按 Ctrl+Z 撤销；恢复前的内容也已留存为最新的历史版本", StatusTime.LONG)

    def swap_report(self, report: Report) -> None:
        self.window.document.swap_report(report)
        if self.autosave is not None:
            self.autosave.note_edit()

    # -- telling the clerk ----------------------------------------------------------------------------

    def tell_recovery(self) -> None:
        """Repairs the store made since the last time (a damaged file moved aside and replaced)."""
        if self.store is None or len(self.store.recovery_notes) <= self._notes_shown:
            return
        notes = self.store.recovery_notes[self._notes_shown:]
        self._notes_shown = len(self.store.recovery_notes)
        if self.window.isVisible():
            message(self.window, Icon.Warning, RECOVERY_TITLE, "\n".join(notes), RECOVERY_DETAILS)
        else:
            self.notices.append(Notice(RECOVERY_TITLE, "\n".join(notes), RECOVERY_DETAILS))

    def has_news(self) -> bool:
        """Something to tell once the window is on screen."""
        return bool(self.notices) or (self.store is not None and len(self.store.recovery_notes) > self._notes_shown)

    def show_notices(self) -> None:
        """Messages from start-up (store read-only, repaired or unusable), once the window is shown."""
        self.tell_recovery()
        notices, self.notices = self.notices, []
        for notice in notices:
            message(self.window, Icon.Warning, notice.title, notice.text, notice.details)

    def store_unavailable_box(self, what: str) -> None:
        if self.store is None:
            reason = "草稿库无法使用（启动时已说明原因）。"
        else:
            reason = self.store.read_only_reason or "草稿库以只读方式打开。"
        message(self.window, Icon.Information, what, f"现在不能使用“{what}”：{reason}")

    def autosave_failed_box(self) -> None:
        error = self.autosave.last_error if self.autosave is not None else None
        message(self.window, Icon.Warning, "自动保存失败", "最近的修改没能保存到草稿库，窗口中的内容都还在。",
                f"{error or ''}\n建议用“文件 → 另存为”另存一份年报文件。".strip())

    def close_store(self) -> None:
        """Release the drafts (lock, pending index changes) so the next start or window can write."""
        if self.autosave is not None:
            self.autosave.timer.stop()
        if self.store is not None:
            try:
                self.store.close()
            except ReportError:
                pass  # only the list's times lag; the next start rebuilds them from the report files


def confirm_next_year(parent, store: Store, report_id: str) -> bool:  # type: ignore[no-untyped-def]
    """Asks before a second report of the same unit and year is made (the clash is the session's)."""
    clash = session.next_year_clash(store, report_id)
    if clash is None:
        return True
    entry = store.entry(report_id)
    return confirm(parent, "新建下一年度报告",
                   f"草稿库中已有“{entry.unit}”{entry.year + 1} 年度的报告（{clash.display_name}）。仍要再新建一份吗？",
                   "新建")

