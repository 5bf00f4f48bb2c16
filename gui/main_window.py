"""The main window: it assembles the report editor and the actions, and builds the menus.

It does nothing itself. Where things live (see docs/architecture.md):

* :mod:`gui.report_editor` — the section tabs, grids, text pages, finding marks and cell undo;
* :mod:`gui.file_actions` — 新建, 打开, 导入, 导入已发布的年报 (every registered reader), 保存, 另存为;
* :mod:`gui.draft_actions` — the drafts store: autosave, 草稿管理, 历史版本, 新建下一年度报告;
* :mod:`gui.export_actions` — 导出 (one entry per registered exporter), 打印预览, 打印;
* :mod:`gui.dialogs` — every message box and file dialog;
* 编辑 › 复制为网页表格 (:mod:`gui.copy_html`) and 工具 › 汇总… (:mod:`gui.region_window`).

A new menu action goes in :meth:`MainWindow._build_menus` (``self.add_action(menu, text, slot,
shortcut, "actionName")``), calling a method of the module that does the work; a new window is its
own module, opened from such an action.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from core.session import Notice
from core.store import Store
from gui.autosave import AutosaveDriver
from gui.cells import CountCell, MoneyCell, TotalCell
from gui.dialogs import Icon, message
from gui.document import META_REFS, ReportDocument
from gui.draft_actions import DraftActions
from gui.export_actions import ExportActions
from gui.file_actions import SETTINGS_ORG, FileActions, settings
from gui.grids import TableGrid
from gui.report_editor import LazyWidgets, ReportEditor
from gui.style import StatusTime
from gui.text_editors import TextPart

APP_NAME = "政府信息公开年报填报助手"
__all__ = ["APP_NAME", "SETTINGS_ORG", "MainWindow", "settings"]
FINDINGS_DOCK_HEIGHT = 140
DEFAULT_SIZE = (1280, 720)


class MainWindow(QMainWindow):
    app_name = APP_NAME

    def __init__(self, document: ReportDocument | None = None, *, store: Store | None = None,
                 report_id: str | None = None, clock: Callable[[], float] = time.monotonic,
                 notices: Iterable[Notice] = ()) -> None:
        """``store``/``report_id``: the drafts store and the stored report ``document`` shows.

        Without a store (it could not be opened) the window works on exchange files only, as
        before the store existed. ``notices`` are shown once the window is on screen.
        """
        super().__init__()
        self.document = document or ReportDocument()
        if self.document.parent() is None:
            self.document.setParent(self)
        self.template = self.document.report.template
        self.setObjectName("mainWindow")

        self.drafts = DraftActions(self, store, report_id, clock=clock, notices=list(notices))
        self.files = FileActions(self)
        self.exports = ExportActions(self)
        self.editor = ReportEditor(self.document, self)
        self.editor.status.connect(self.say)
        self.setCentralWidget(self.editor)
        self.findings_panel = self.editor.findings_panel
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_panel)
        self.statusBar().addPermanentWidget(self.drafts.store_label)
        self.statusBar().addPermanentWidget(self.editor.summary_label)
        self._build_menus()
        self.drafts.show_store_state()

        self.document.changed.connect(self._on_changed)
        self.document.changed.connect(self.drafts.note_edit)
        self.document.modifiedChanged.connect(self._update_title)
        self.document.pathChanged.connect(self._update_title)
        self.document.undo_stack.canUndoChanged.connect(self._update_edit_actions)
        self.document.undo_stack.canRedoChanged.connect(self._update_edit_actions)
        self._on_changed(None)
        self._restore_settings()

    # -- the parts, as the tests and other windows use them --------------------------------------

    @property
    def tabs(self) -> ReportEditor:
        return self.editor

    @property
    def store(self) -> Store | None:
        return self.drafts.store

    @property
    def report_id(self) -> str | None:
        return self.drafts.report_id

    @property
    def autosave(self) -> AutosaveDriver | None:
        return self.drafts.autosave

    @property
    def store_label(self) -> QLabel:
        return self.drafts.store_label

    @property
    def summary_label(self) -> QLabel:
        return self.editor.summary_label

    # The editor's maps of widgets by reference (benchmarks and tools read them off the window).

    @property
    def inputs(self) -> LazyWidgets[CountCell | MoneyCell]:
        return self.editor.inputs

    @property
    def grids(self) -> LazyWidgets[TableGrid]:
        return self.editor.grids

    @property
    def text_parts(self) -> LazyWidgets[TextPart]:
        return self.editor.text_parts

    @property
    def total_cells(self) -> LazyWidgets[TotalCell]:
        return self.editor.total_cells

    def say(self, text: str, msecs: int = StatusTime.BRIEF) -> None:
        """A line in the status bar (every part of the window speaks through here)."""
        self.statusBar().showMessage(text, msecs)

    # -- menus -------------------------------------------------------------------------------------

    def add_action(self, menu: QMenu, text: str, slot: Callable[[], object],
                   shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, name: str = "") -> QAction:
        """One menu entry (``name``: its object name, which tests and other windows find it by)."""
        action = QAction(text, self)
        if name:
            action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        files, drafts, editor = self.files, self.drafts, self.editor
        self.file_menu = file_menu = bar.addMenu("文件(&F)")
        self.add_action(file_menu, "新建(&N)", files.new_report, QKeySequence.StandardKey.New, "actionNew")
        self.add_action(file_menu, "打开(&O)…", files.open_dialog, QKeySequence.StandardKey.Open, "actionOpen")
        self.add_action(file_menu, "草稿管理(&D)…", drafts.show_drafts, "Ctrl+D", "actionDrafts")
        self.add_action(file_menu, "新建下一年度报告(&Y)", drafts.new_next_year, None, "actionNextYear")
        self.add_action(file_menu, "保存(&S)", files.save, QKeySequence.StandardKey.Save, "actionSave")
        self.add_action(file_menu, "另存为(&A)…", files.save_as, "Ctrl+Shift+S", "actionSaveAs")
        self.add_action(file_menu, "历史版本(&H)…", drafts.show_history, None, "actionHistory")
        file_menu.addSeparator()
        self.add_action(file_menu, "导入(&I)…", files.import_dialog, "Ctrl+I", "actionImport")
        # One entry for every registered reader: the file's suffix picks the reader, and the clerk
        # reviews what was read before it becomes a draft or last year's report.
        self.add_action(file_menu, "导入已发布的年报(&P)…", files.import_published, None, "actionImportPublished")
        file_menu.addSeparator()
        self.exports.fill_menu(file_menu)
        file_menu.addSeparator()
        self.add_action(file_menu, "退出(&X)", self.close, "Ctrl+Q", "actionQuit")

        self.edit_menu = edit_menu = bar.addMenu("编辑(&E)")
        # Whether 撤销 applies depends on where the cursor is (a text field has its own history).
        edit_menu.aboutToShow.connect(self._update_edit_actions)
        self.undo_action = self.add_action(edit_menu, "撤销(&U)", editor.undo, QKeySequence.StandardKey.Undo,
                                        "actionUndo")
        self.redo_action = self.add_action(edit_menu, "重做(&R)", editor.redo, None, "actionRedo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addSeparator()
        self.add_action(edit_menu, "转到下一个问题(&N)", editor.next_finding, "F8", "actionNextFinding")
        self.add_action(edit_menu, "复制为网页表格(&W)", self.copy_as_web_table, None, "actionCopyHtml")
        edit_menu.addSeparator()
        self.add_action(edit_menu, "历史版本(&H)…", drafts.show_history, None, "actionEditHistory")
        has_store = self.store is not None
        for name in ("actionDrafts", "actionNextYear", "actionHistory", "actionEditHistory"):
            action = self.findChild(QAction, name)
            action.setEnabled(has_store)
            if not has_store:
                action.setToolTip("草稿库无法使用")

        self.view_menu = view_menu = bar.addMenu("查看(&V)")
        toggle = self.findings_panel.toggleViewAction()
        toggle.setText("校验结果面板(&C)")
        view_menu.addAction(toggle)

        self.tools_menu = tools_menu = bar.addMenu("工具(&T)")
        self.add_action(tools_menu, "汇总(&S)…", self.show_region_window, None, "actionRegion")

        self.help_menu = help_menu = bar.addMenu("帮助(&H)")
        self.add_action(help_menu, "填报说明(&G)", self.show_help, QKeySequence.StandardKey.HelpContents, "actionHelp")
        self.add_action(help_menu, "关于(&A)", self.show_about, None, "actionAbout")

    def _update_edit_actions(self, *_args: object) -> None:
        can_undo, can_redo = self.editor.can_undo_redo()
        self.undo_action.setEnabled(can_undo)
        self.redo_action.setEnabled(can_redo)

    # -- the document changed ---------------------------------------------------------------------

    def _on_changed(self, refs: set[str] | None) -> None:
        if refs is None or "unit" in refs or "year" in refs:
            # Before evaluating: the cross-year rule needs last year's report of *this* unit and year.
            self.drafts.refresh_previous()
        self.editor.show_changes(refs)
        if refs is None or not refs.isdisjoint(META_REFS):
            self._update_title()

    def _update_title(self, *_args: object) -> None:
        doc = self.document
        if doc.path is not None:
            where = doc.path.name
        else:
            where = "草稿库" if self.drafts.writable() else "未保存"
        read_only = "【草稿库只读】" if self.store is not None and self.store.read_only else ""
        title = doc.report.effective_title.strip() or "未命名报告"
        self.setWindowTitle(f"{title}（{where}）[*]{read_only} — {APP_NAME}")
        self.setWindowModified(doc.modified)

    # -- 复制为网页表格 and 汇总 ----------------------------------------------------------------------

    def current_table(self) -> str | None:
        """The official table on the current tab (``"table3"``), ``None`` on a text tab or 基本信息."""
        heading = self.editor.tabText(self.editor.currentIndex())
        return next((s.table for s in self.template.sections if s.kind == "table" and s.table
                     and s.heading == heading), None)

    def copy_as_web_table(self) -> None:
        from gui.copy_html import copy_report_html

        table_id = self.current_table()
        copy_report_html(self.document.report, table_id)
        if table_id is None:
            self.say("已把整份报告复制为网页格式：可粘贴到网站编辑器或 WPS 文字中", StatusTime.DONE)
        else:
            heading = next(s.heading for s in self.template.sections if s.table == table_id)
            self.say(f"已把“{heading}”复制为网页表格：可粘贴到网站编辑器、WPS 或 Excel 中", StatusTime.DONE)

    def show_region_window(self) -> None:
        """工具 › 汇总…: one 汇总 window per main window, raised again when already open."""
        from gui.region_window import open_region_window

        existing = getattr(self, "region_window", None)
        if existing is not None and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return
        self.region_window = open_region_window(self, store=self.drafts.store, on_open_draft=self.drafts.open_draft)

    # -- help ---------------------------------------------------------------------------------------

    def show_help(self) -> None:
        from gui.help import HelpDialog

        HelpDialog(self.template, self).exec()

    def show_about(self) -> None:
        from core import __version__

        message(self, Icon.Information, f"关于{APP_NAME}", f"{APP_NAME}\n版本 {__version__}",
                f"按照{self.template.name}填写、校验并打印政府信息公开工作年度报告。\n所有数据只保存在本机，不联网。")

    # -- window state -------------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
        state = s.value("window/state")
        self._dock_restored = isinstance(state, QByteArray) and not state.isEmpty()
        if self._dock_restored:
            self.restoreState(state)  # type: ignore[arg-type]
        try:
            tab = int(s.value("window/tab", 0))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            tab = 0
        if 0 <= tab < self.editor.count():
            self.editor.setCurrentIndex(tab)

    def save_settings(self) -> None:
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/tab", self.editor.currentIndex())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.files.maybe_save():
            self.save_settings()
            self.drafts.close_store()
            event.accept()
        else:
            event.ignore()

    def shut_down(self) -> None:
        """The application quits without closing the window (logout, shutdown): keep what was typed."""
        self.drafts.flush()
        self.drafts.close_store()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self.drafts.has_news():
            # Over the window, not before it: the clerk must see what the message is about.
            QTimer.singleShot(0, self, self.drafts.show_notices)
        if not self._dock_restored:
            # First start: the findings list gets a few lines, the report the rest.
            self._dock_restored = True
            QTimer.singleShot(0, self, lambda: self.resizeDocks([self.findings_panel], [FINDINGS_DOCK_HEIGHT],
                                                                 Qt.Orientation.Vertical))

