"""文件 menu's own actions: 新建, 打开, 导入, 导入已发布的年报 (every registered reader), 保存, 另存为.

With a working drafts store an opened file is imported into it (or its identical draft reopened,
:func:`core.session.open_or_import`) and stays linked, so 保存 writes it back as well. Without a
store (or read-only) the window works on files as before the store existed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings

from core import session
from core.errors import ReportError
from core.exchange import read_report, write_report
from core.model import Report
from core.store import VERSION_IMPORTED
from gui.dialogs import Answer, Icon, ask_save, message, show_error
from gui.dialogs.files import ask_open_path, ask_save_path
from gui.style import StatusTime

if TYPE_CHECKING:
    from gui.draft_actions import DraftActions
    from gui.main_window import MainWindow

SETTINGS_ORG = "xxgk-report"
UNNAMED = "未命名报告"


def settings() -> QSettings:
    """Window state: the per-user config (XDG_CONFIG_HOME, registry), or the data folder of a
    portable copy (``gui.app.use_settings_folder`` makes ini files there the default format)."""
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, SETTINGS_ORG, SETTINGS_ORG)


def last_dir() -> str:
    """The folder of the last file opened or saved (the home folder at first)."""
    value = settings().value("files/last_dir", "")
    return str(value) if value and Path(str(value)).is_dir() else str(Path.home())


def remember_dir(path: Path) -> None:
    settings().setValue("files/last_dir", str(path.parent))


class FileActions(QObject):
    """The window's file side; the store side it hands over to is ``window.drafts`` (gui.draft_actions)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    @property
    def _drafts(self) -> DraftActions:
        return self.window.drafts

    def new_report(self) -> None:
        if not self.maybe_save():
            return
        report = Report.new(self.window.template, unit=self.window.document.report.unit)
        if self._drafts.writable():
            if not self._drafts.create_and_show(report):
                return
        else:
            self.window.document.replace(report)
        self.window.editor.setCurrentIndex(0)

    # -- open and import ------------------------------------------------------------------------

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = ask_open_path(self.window, "打开年报文件", last_dir())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open an exchange file; on a bad file say why in Chinese and keep the current report."""
        drafts = self._drafts
        opened = session.open_or_import(drafts.store if drafts.writable() else None, path)
        if opened.error is not None:
            self.show_open_error(path, opened.error)
            return False
        assert opened.report is not None
        if drafts.writable():
            if opened.report_id is None:
                notice = opened.notices[0]
                message(self.window, Icon.Critical, notice.title,
                        f"“{path.name}”没能放入草稿库，当前报告未受影响。", notice.text)
                return False
            drafts.switch(opened.report_id, opened.report, path)
        else:
            self.window.document.replace(opened.report, path)
        self.remember_opened(path)
        return True

    def show_open_error(self, path: Path, err: ReportError, *, at_start: bool = False,
                        outcome: str | None = None) -> None:
        outcome = outcome or ("已打开一份空白报告。" if at_start else "当前报告未受影响。")
        from gui.other_files import offer_other_file  # a .txt, a Word report: say what can be opened

        if offer_other_file(self.window, path, outcome):
            return
        show_error(self.window, "无法打开文件", f"“{path.name}”不是可以打开的年报文件，{outcome}", err)

    def remember_opened(self, path: Path) -> None:
        remember_dir(path)
        self.window.say(f"已打开 {path}", StatusTime.BRIEF)

    def import_dialog(self) -> None:
        """Take the content of an exchange file (e.g. one received by e-mail) as a new report.

        Unlike 打开, saving does not write back to the received file: with the store it becomes a
        draft of its own; without, 保存 asks where to put it.
        """
        if not self.maybe_save():
            return
        path = ask_open_path(self.window, "导入年报文件", last_dir())
        if path is None:
            return
        try:
            report = read_report(path)
        except ReportError as err:
            show_error(self.window, "无法导入文件", f"“{path.name}”不是可以导入的年报文件，当前报告未受影响。", err)
            return
        remember_dir(path)
        self._take_imported(path, report)

    def import_published(self) -> None:
        """文件 › 导入已发布的年报…: a published web page, Word file or PDF, reviewed before it is taken."""
        from gui.ingest_review import ask_published_path

        path = ask_published_path(self.window, last_dir())
        if path is not None:
            self.import_published_path(path)

    def import_published_path(self, path: Path) -> bool:
        """Read ``path`` with the reader its suffix names, let the clerk review it, then take it.

        作为新草稿 leaves the current report (after :meth:`maybe_save`); 作为上一年度报告 keeps the
        window on it and stores the read one for the cross-year rules.
        """
        from gui.ingest_review import AS_PREVIOUS, review_file

        reviewed = review_file(self.window, path)
        if reviewed is None:
            return False
        remember_dir(path)
        choice, report = reviewed
        as_previous = choice == AS_PREVIOUS
        if not as_previous and not self.maybe_save():
            return False
        return self.take_report(report, source=path, as_previous=as_previous)

    def _take_imported(self, path: Path, report: Report) -> bool:
        return self.take_report(report, source=path)

    def take_report(self, report: Report, *, source: Path, as_previous: bool = False) -> bool:
        """A report read from ``source`` becomes a draft of its own (the received file stays as it was).

        ``as_previous``: it is last year's report, kept in the store for the cross-year rules and
        next year's carry-over while the window stays on the current report (a reviewer that asks
        作为新草稿 / 作为上一年度报告 hands its answer here). Without a writable store the report
        simply replaces the one in the window, unsaved.
        """
        drafts = self._drafts
        if drafts.writable():
            assert drafts.store is not None
            try:
                # As Store.import_files labels it, so the history says where the report came from.
                report_id = drafts.store.create(report, version=f"{VERSION_IMPORTED}自 {source.name}", kind="import")
            except ReportError as err:
                show_error(self.window, "无法导入文件", "文件没能放入草稿库，当前报告未受影响。", err)
                return False
            if as_previous:
                drafts.refresh_previous()
                self.window.editor.show_changes(None)
                previous, current = self.window.document.previous, self.window.document.report
                used = previous is not None and previous.year == report.year and previous.unit == report.unit
                # Said, not refused: the clerk may be about to open or start that unit's report.
                why_not = "" if used else (f"；当前报告是 {current.year} 年度的，跨年度核对只用同一单位"
                                           f" {current.year - 1} 年度的报告")
                self.window.say(f"已把 {source.name} 作为 {report.year} 年度报告放入草稿库{why_not}",
                                StatusTime.LONG if why_not else StatusTime.DONE)
                return True
            drafts.switch(report_id, report)
            self.window.say(f"已把 {source} 导入草稿库", StatusTime.DONE)
            return True
        if as_previous:
            self.window.document.set_previous(report)
            self.window.editor.show_changes(None)
            self.window.say(f"已把 {source} 作为上一年度报告用于核对（草稿库不可用，未保存）", StatusTime.DONE)
            return True
        self.window.document.replace(report, None, modified=True)
        self.window.say(f"已导入 {source}，保存时请选择保存位置", StatusTime.DONE)
        return True

    # -- save -------------------------------------------------------------------------------------

    def save(self) -> bool:
        """Ctrl+S: with the store, save now and keep a named version; a linked file is written too."""
        drafts = self._drafts
        document = self.window.document
        if drafts.writable():
            assert drafts.autosave is not None
            if not drafts.autosave.save_now():
                drafts.autosave_failed_box()
                return False
            if document.path is not None:
                return self.write(document.path)
            document.mark_saved()
            self.window.say("已保存到草稿库，并留存了一个历史版本", StatusTime.BRIEF)
            return True
        if document.path is None:
            return self.save_as()
        return self.write(document.path)

    def save_as(self) -> bool:
        document = self.window.document
        suggested = document.path or Path(last_dir()) / (session.safe_file_name(document.report.effective_title)
                                                          + ".json")
        target = ask_save_path(self.window, "另存为", str(suggested))
        if target is None:
            return False
        return self.write(target)

    def write(self, path: Path) -> bool:
        try:
            write_report(self.window.document.report, path)
        except ReportError as err:
            show_error(self.window, "保存失败", "报告没有保存，窗口中的内容都还在。", err)
            return False
        self.window.document.mark_saved(path)
        remember_dir(path)
        self.window.say(f"已保存到 {path}", StatusTime.BRIEF)
        return True

    def maybe_save(self) -> bool:
        """True when it is fine to leave the current content (in the store, saved, or dropped on purpose).

        With a working store nothing is asked: autosave puts the content in the store now. Only a
        report opened from a file and changed since is offered to be written back to that file.
        Read-only or without a store, the old question stays, offering 另存为.
        """
        drafts = self._drafts
        doc = self.window.document
        name = doc.report.effective_title or UNNAMED
        save_to_file = "另存为…" if doc.path is None else "保存到文件"
        if drafts.writable():
            if drafts.flush():
                if doc.path is None or not doc.modified:
                    return True
                text = f"“{name}”的修改已保存在草稿库中，但还没有写回文件“{doc.path.name}”。"
                info = "是否把修改写回该文件？"
                labels = ("写回文件", "不写回", "取消")
            else:
                error = drafts.autosave.last_error if drafts.autosave is not None else ""
                text = f"“{name}”最近的修改没能保存到草稿库：{error}"
                info = "是否另存为年报文件？选“不保存”将丢失这些修改。"
                labels = (save_to_file, "不保存", "取消")
        elif not doc.modified:
            return True
        else:
            text = f"“{name}”有尚未保存的修改。"
            if drafts.store is not None and drafts.store.read_only:
                info = "草稿库已在另一个窗口中打开，本窗口的修改不会保存到草稿库。是否另存为年报文件？"
                labels = (save_to_file, "不保存", "取消")
            else:
                info = "是否保存修改？"
                labels = ("保存", "不保存", "取消")
        answer = ask_save(self.window, self.window.app_name, text, info, labels)
        if answer is Answer.SAVE:
            return self.write(doc.path) if doc.path is not None else self.save_as()
        return answer is Answer.DISCARD
