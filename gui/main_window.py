"""The main window: tabs in report order, live totals and findings, menus a Windows user expects."""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.autosave import AutosavePolicy
from core.clipboard import PasteError, plan_paste
from core.errors import ReportError
from core.exchange import read_report, report_to_dict, write_report
from core.findings import Finding, summary
from core.model import Report
from core.storage import StoreError
from core.store import Store
from core.template import MAX_COUNT, Section, Template
from gui.autosave import TICK_MS, AutosaveDriver
from gui.cells import CountCell, MoneyCell, TotalCell
from gui.document import META_REFS, ReportDocument
from gui.file_dialogs import ask_open_path, ask_save_path
from gui.findings_panel import FindingsPanel
from gui.flags import apply_flag
from gui.grids import BUILDERS, TableGrid
from gui.meta_form import MetaForm
from gui.text_editors import TextPart, TextSectionPage
from gui.undo import SetCellsCommand

APP_NAME = "政府信息公开年报填报助手"
SETTINGS_ORG = "xxgk-report"
META_TAB = "基本信息"
_RANK = {"error": 2, "warning": 1}
# The promise is "on disk within 2 s of the keystroke": the timer only looks every TICK_MS (and a
# coarse Qt timer may fire a little late), and the write with its fsyncs takes a few ms, so the
# policy's deadline leaves that much room. Measured with continuous typing: 1.75–1.85 s.
AUTOSAVE_SLACK_SECONDS = 0.15
AUTOSAVE_POLICY = AutosavePolicy(max_delay_seconds=2.0 - TICK_MS / 1000 - AUTOSAVE_SLACK_SECONDS)
# Follows the store's own reason, which already says that viewing and exporting work.
READ_ONLY_CONSEQUENCE = "如在本窗口中修改，关闭窗口前请用“文件 → 另存为”把修改保存为年报文件。"
NO_STORE_CONSEQUENCE = "本次修改不会自动保存：请用“文件 → 保存”或“另存为”把报告保存为年报文件。"
RECOVERY_DETAILS = "损坏的文件已改名留在原处，没有删除；如有疑问，请把它交给信息化人员查看。"
# (title, text, details) of a message shown once the window is on screen.
Notice = tuple[str, str, str]
_W = TypeVar("_W")


class LazyWidgets(Mapping[str, _W]):
    """The window's widgets by key (reference or table id), building a tab's page when it is asked for.

    ``built`` is the window's own dict of what exists; ``known`` every key there will be. Reading
    a key that is not built yet calls ``ensure(key)``, so callers need not know pages come late.
    Iterating builds everything (tests and tools that want all widgets).
    """

    def __init__(self, built: dict[str, _W], known: dict[str, object], ensure: Callable[..., None]) -> None:
        self._built = built
        self._known = known
        self._ensure = ensure

    def __getitem__(self, key: str) -> _W:
        if key not in self._built and key in self._known:
            value = self._known[key]
            self._ensure(key if value is None else value)
        return self._built[key]

    def __contains__(self, key: object) -> bool:
        return key in self._known

    def __iter__(self) -> Iterator[str]:
        for key in list(self._known):
            self[key]
        return iter(self._built)

    def __len__(self) -> int:
        return len(self._known)


def settings() -> QSettings:
    """Window state lives in the per-user config folder (XDG_CONFIG_HOME on Linux, registry on Windows)."""
    return QSettings(SETTINGS_ORG, SETTINGS_ORG)


class MainWindow(QMainWindow):
    def __init__(self, document: ReportDocument | None = None, *, data_dir: str | None = None,
                 store: Store | None = None, report_id: str | None = None,
                 clock: Callable[[], float] = time.monotonic, notices: Iterable[Notice] = ()) -> None:
        """``store``/``report_id``: the drafts store and the stored report ``document`` shows.

        Without a store (it could not be opened) the window works on exchange files only, as
        before the store existed. ``notices`` are shown once the window is on screen.
        """
        super().__init__()
        self.document = document or ReportDocument()
        if self.document.parent() is None:
            self.document.setParent(self)
        self.template: Template = self.document.report.template
        self.data_dir = data_dir
        self.store = store
        self.report_id = report_id
        self._notices: list[Notice] = list(notices)
        self._notes_shown = 0
        self.autosave: AutosaveDriver | None = None
        if store is not None:
            self.autosave = AutosaveDriver(store, report_id, lambda: self.document.report, self._autosaved,
                                           policy=AUTOSAVE_POLICY, clock=clock, parent=self)
        self.setObjectName("mainWindow")
        self._flags: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._findings: list[Finding] | None = None
        self._typing: SetCellsCommand | None = None
        self._idle_started = False

        self._build_tabs()
        self.findings_panel = FindingsPanel(self.template, self)
        self.findings_panel.findingActivated.connect(self.go_to_finding)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_panel)
        self.store_label = QLabel()
        self.store_label.setObjectName("storeLabel")
        self.statusBar().addPermanentWidget(self.store_label)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summaryLabel")
        self.statusBar().addPermanentWidget(self.summary_label)
        self._build_actions()
        self._show_store_state()

        self.document.changed.connect(self._on_changed)
        self.document.changed.connect(self._note_edit)
        self.document.modifiedChanged.connect(self._update_title)
        self.document.pathChanged.connect(self._update_title)
        self.document.undo_stack.canUndoChanged.connect(self._update_edit_actions)
        self.document.undo_stack.canRedoChanged.connect(self._update_edit_actions)
        self._on_changed(None)
        self._update_title()
        self._restore_settings()

    # -- building the window --------------------------------------------------------------------

    def _build_tabs(self) -> None:
        """The tab bar with every section, but only the meta form's page built (see :meth:`ensure_tab`)."""
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sectionTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.setCentralWidget(self.tabs)
        self.meta_form = MetaForm(self.template)
        self.meta_form.edited.connect(self.document.set_meta)
        self.tabs.addTab(self.meta_form, META_TAB)
        # What is built so far; the public maps below build a page when asked for one of its widgets.
        self._grids: dict[str, TableGrid] = {}
        self._text_parts: dict[str, TextPart] = {}
        self._inputs: dict[str, CountCell | MoneyCell] = {}
        self._total_cells: dict[str, TotalCell] = {}
        self._tab_of: dict[str, int] = {ref: 0 for ref in META_REFS}
        self._section_at: dict[int, Section] = {}
        self._built: set[int] = set()
        for section in self.template.sections:
            # An empty page: its content goes in when the tab is first needed. Building all ≈200
            # cells before the window could appear cost more than half of the start-up.
            page: QScrollArea = TextSectionPage(section, fill=False) if section.kind != "table" \
                else self._scroll_area()
            index = self.tabs.addTab(page, section.heading)
            self.tabs.setTabToolTip(index, section.heading)
            self._section_at[index] = section
        for ref, section_id in self.template.section_of_ref.items():
            self._tab_of[ref] = next(i for i, s in self._section_at.items() if s.id == section_id)
        ensure = self._ensure_tab_of
        self.grids = LazyWidgets(self._grids, {s.table: i for i, s in self._section_at.items() if s.table},
                                 self.ensure_tab)
        self.text_parts = LazyWidgets(self._text_parts, dict.fromkeys(self.template.texts), ensure)
        self.inputs = LazyWidgets(self._inputs, dict.fromkeys(self.template.cells), ensure)
        self.total_cells = LazyWidgets(self._total_cells, dict.fromkeys(self.template.computed), ensure)
        self.tabs.currentChanged.connect(self.ensure_tab)

    def _ensure_tab_of(self, ref: str) -> None:
        self.ensure_tab(self._tab_of[ref])

    def is_tab_built(self, index: int) -> bool:
        return index not in self._section_at or index in self._built

    def ensure_tab(self, index: int) -> None:
        """Build the page of tab ``index`` if it is not built yet, showing the report as it is now.

        Called when the tab is shown, when something needs one of its widgets (a finding to go to,
        :meth:`widget_for`, the public maps) and, one tab per idle moment, after the first frame.
        """
        section = self._section_at.get(index)
        if section is None or index in self._built:
            return
        self._built.add(index)
        page = self.tabs.widget(index)
        report = self.document.report
        if section.kind == "table" and section.table:
            grid = BUILDERS[section.table](self.template)
            grid.pasteRequested.connect(self._paste)
            for cell in grid.inputs.values():
                cell.show_value(report.values[cell.ref])
                cell.userEdited.connect(self._on_cell_edited)
                cell.editingDone.connect(self._seal_typing)
                cell.historyRequested.connect(self._history)
                cell.lineEdit().inputRejected.connect(lambda c=cell: self._rejected_input(c))
            totals, _ = self.document.evaluate()
            for ref, total_cell in grid.totals.items():
                total_cell.show_value(totals[ref])
            self._grids[section.table] = grid
            self._inputs.update(grid.inputs)
            self._total_cells.update(grid.totals)
            self._fill_table_page(page, section.heading, grid)  # type: ignore[arg-type]
            refs: list[str] = [*grid.inputs, *grid.totals]
        else:
            assert isinstance(page, TextSectionPage)
            page.fill()
            for ref, part in page.parts.items():
                part.show_text(report.texts.get(ref, ""))
                part.edited.connect(self.document.set_text)
                self._text_parts[ref] = part
            refs = list(page.parts)
        for ref in refs:
            flag = self._flags.get(ref)
            if flag is not None:
                apply_flag(self._built_widget(ref), *flag)  # type: ignore[arg-type]

    def _build_idle_tabs(self) -> None:
        """After the first frame: build one waiting page per turn of the event loop, so that the
        first visit of a tab is instant and the clerk's typing is never held up for long."""
        waiting = [i for i in self._section_at if i not in self._built]
        if waiting:
            self.ensure_tab(waiting[0])
            if len(waiting) > 1:
                QTimer.singleShot(0, self, self._build_idle_tabs)

    @staticmethod
    def _scroll_area() -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        # The tables are laid out to fit the width; a horizontal scroll bar would hide columns.
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return area

    @staticmethod
    def _fill_table_page(area: QScrollArea, heading: str, grid: TableGrid) -> None:
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(12, 8, 12, 8)
        title = QLabel(heading)
        title.setProperty("role", "sectionTitle")
        lay.addWidget(title)
        lay.addWidget(grid)
        note = QLabel("灰色单元格为自动合计，不能填写。回车键向下、Tab 键向右移动；"
                      "可从 Excel/WPS 复制一块数字后在单元格中按 Ctrl+V 粘贴。")
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        lay.addWidget(note)
        lay.addStretch(1)
        area.setWidget(body)

    def _action(self, menu, text: str, slot, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,  # type: ignore[no-untyped-def]
                name: str = "") -> QAction:
        action = QAction(text, self)
        if name:
            action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self._action(file_menu, "新建(&N)", self.new_report, QKeySequence.StandardKey.New, "actionNew")
        self._action(file_menu, "打开(&O)…", self.open_dialog, QKeySequence.StandardKey.Open, "actionOpen")
        self._action(file_menu, "草稿管理(&D)…", self.show_drafts, "Ctrl+D", "actionDrafts")
        self._action(file_menu, "新建下一年度报告(&Y)", self.new_next_year, None, "actionNextYear")
        self._action(file_menu, "保存(&S)", self.save, QKeySequence.StandardKey.Save, "actionSave")
        self._action(file_menu, "另存为(&A)…", self.save_as, "Ctrl+Shift+S", "actionSaveAs")
        self._action(file_menu, "历史版本(&H)…", self.show_history, None, "actionHistory")
        file_menu.addSeparator()
        self._action(file_menu, "导入(&I)…", self.import_dialog, "Ctrl+I", "actionImport")
        file_menu.addSeparator()
        self._action(file_menu, "导出 PDF(&E)…", lambda: self._pdf("export"), "Ctrl+E", "actionExportPdf")
        self._action(file_menu, "导出定稿 PDF(&F)…", lambda: self._pdf("final"), "Ctrl+Shift+E",
                     "actionExportFinalPdf")
        self._action(file_menu, "打印预览(&V)…", lambda: self._pdf("preview"), None, "actionPrintPreview")
        self._action(file_menu, "打印(&P)…", lambda: self._pdf("print"), QKeySequence.StandardKey.Print,
                     "actionPrint")
        file_menu.addSeparator()
        self._action(file_menu, "退出(&X)", self.close, "Ctrl+Q", "actionQuit")

        edit_menu = bar.addMenu("编辑(&E)")
        # Whether 撤销 applies depends on where the cursor is (a text field has its own history).
        edit_menu.aboutToShow.connect(self._update_edit_actions)
        self.undo_action = self._action(edit_menu, "撤销(&U)", self.undo, QKeySequence.StandardKey.Undo,
                                        "actionUndo")
        redo_keys = [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
        self.redo_action = self._action(edit_menu, "重做(&R)", self.redo, None, "actionRedo")
        self.redo_action.setShortcuts(redo_keys)
        edit_menu.addSeparator()
        self._action(edit_menu, "转到下一个问题(&N)", self.next_finding, "F8", "actionNextFinding")
        edit_menu.addSeparator()
        self._action(edit_menu, "历史版本(&H)…", self.show_history, None, "actionEditHistory")
        has_store = self.store is not None
        for name in ("actionDrafts", "actionNextYear", "actionHistory", "actionEditHistory"):
            action = self.findChild(QAction, name)
            action.setEnabled(has_store)
            if not has_store:
                action.setToolTip("草稿库无法使用")

        view_menu = bar.addMenu("查看(&V)")
        toggle = self.findings_panel.toggleViewAction()
        toggle.setText("校验结果面板(&C)")
        view_menu.addAction(toggle)

        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "填报说明(&G)", self.show_help, QKeySequence.StandardKey.HelpContents, "actionHelp")
        self._action(help_menu, "关于(&A)", self.show_about, None, "actionAbout")

    # -- the document changed: update only what changed --------------------------------------

    def _on_changed(self, refs: set[str] | None) -> None:
        report = self.document.report
        if refs is None or "unit" in refs or "year" in refs:
            # Before evaluating: the cross-year rule needs last year's report of *this* unit and year.
            self._refresh_previous()
        if refs is None:
            self._typing = None
            self._update_title()  # another report (switched draft, restored version): its own title
            self.meta_form.show_report(report)
            for ref, part in self._text_parts.items():
                part.show_text(report.texts.get(ref, ""))
            for grid in self._grids.values():
                grid.show_values(report)
        else:
            # Only pages already built: one built later shows the report as it is then.
            for ref in refs:
                cell = self._inputs.get(ref)
                if cell is not None:
                    cell.show_value(report.values[ref])
                elif ref in self._text_parts:
                    self._text_parts[ref].show_text(report.texts.get(ref, ""))
                elif ref in META_REFS:
                    self.meta_form.show_default_title(report)
                    self._update_title()
        totals, findings = self.document.evaluate()
        for ref, total_cell in self._total_cells.items():
            total_cell.show_value(totals[ref])
        if findings != self._findings:
            self._show_findings(findings)

    def _show_findings(self, findings: list[Finding]) -> None:
        self._findings = list(findings)
        flags: dict[str, tuple[str, list[str]]] = {}
        for f in findings:
            for ref in f.cells:
                severity, messages = flags.get(ref, (f.severity, []))
                if _RANK[f.severity] > _RANK[severity]:
                    severity = f.severity
                flags[ref] = (severity, [*messages, f.message])
        new = {ref: (sev, tuple(msgs)) for ref, (sev, msgs) in flags.items()}
        for ref in set(self._flags) | set(new):
            if self._flags.get(ref) != new.get(ref):
                widget = self._built_widget(ref)
                if widget is not None:
                    sev, msgs = new.get(ref, (None, ()))
                    apply_flag(widget, sev, msgs)
        self._flags = new
        self.findings_panel.show_findings(findings)
        self.summary_label.setText(summary(findings))

    # -- edits from the widgets --------------------------------------------------------------

    def _on_cell_edited(self, ref: str, value: object) -> None:
        if self.document.report.values.get(ref) == value:
            return
        label = self.template.label_for(ref)
        command = SetCellsCommand(self.document, {ref: value}, f"填写 {label}", typing=True)  # type: ignore[dict-item]
        top = self._typing
        self.document.undo_stack.push(command)
        # When the push merged into the open command, that one stays the open one.
        if top is None or not top.open or set(top.new) != {ref}:
            self._typing = command

    def _seal_typing(self, *_args: object) -> None:
        if self._typing is not None:
            self._typing.open = False
            self._typing = None

    def _paste(self, grid: TableGrid, cell: QWidget) -> None:
        text = QApplication.clipboard().text()
        row, col = grid.position(cell)
        try:
            values = plan_paste(text, grid.paste_grid(), row, col)
        except PasteError as err:
            self._message(QMessageBox.Icon.Warning, "无法粘贴", err.message,
                          "粘贴的内容须是从表格中复制的一块整数（空白按 0 计），并且能放进当前单元格往右、往下的范围。")
            return
        self._seal_typing()
        current = self.document.report.values
        changed = {ref: v for ref, v in values.items() if current.get(ref) != v}
        if not changed:
            self.statusBar().showMessage("粘贴的数据与表中现有数据相同", 5000)
            return
        self.document.undo_stack.push(SetCellsCommand(self.document, values, f"粘贴 {len(values)} 个单元格"))
        skipped = "（落在合计单元格上的数不填入，合计由程序计算）" if len(values) < self._block_size(text) else ""
        self.statusBar().showMessage(f"已粘贴 {len(values)} 个单元格{skipped}，可用 Ctrl+Z 撤销", 8000)

    @staticmethod
    def _block_size(text: str) -> int:
        rows = [r for r in re.split(r"\r\n|\n|\r", text.rstrip("\r\n"))]
        return sum(max(len(r.split("\t")) for r in rows) for _ in rows)

    def _rejected_input(self, cell: CountCell | MoneyCell) -> None:
        """A key the cell refused (a letter, a minus sign, too many digits): say why."""
        if isinstance(cell, MoneyCell):
            text = f"金额只能填写不超过 {cell.places} 位小数的非负数，单位为{cell.suffix().strip()}"
        else:
            text = f"件数只能填写 0 到 {MAX_COUNT:,} 之间的整数"
        self.statusBar().showMessage(f"{self.template.label_for(cell.ref)}：{text}", 6000)

    def _history(self, which: str) -> None:
        self._seal_typing()
        if which == "undo":
            self.document.undo_stack.undo()
        else:
            self.document.undo_stack.redo()

    def undo(self) -> None:
        widget = QApplication.focusWidget()
        if self._edits_own_text(widget):
            widget.undo()  # type: ignore[union-attr]
            return
        self._seal_typing()
        self.document.undo_stack.undo()

    def redo(self) -> None:
        widget = QApplication.focusWidget()
        if self._edits_own_text(widget):
            widget.redo()  # type: ignore[union-attr]
            return
        self._seal_typing()
        self.document.undo_stack.redo()

    @staticmethod
    def _edits_own_text(widget: QWidget | None) -> bool:
        """Text fields keep their own undo history; table cells use the document's."""
        if isinstance(widget, QPlainTextEdit):
            return True
        return isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QAbstractSpinBox) \
            and not widget.isReadOnly()

    def _update_edit_actions(self, *_args: object) -> None:
        widget = QApplication.focusWidget()
        if self._edits_own_text(widget):
            self.undo_action.setEnabled(True)
            self.redo_action.setEnabled(True)
        else:
            self.undo_action.setEnabled(self.document.undo_stack.canUndo())
            self.redo_action.setEnabled(self.document.undo_stack.canRedo())

    # -- findings ----------------------------------------------------------------------------

    def widget_for(self, ref: str) -> QWidget | None:
        """The widget showing ``ref``; its tab's page is built first if it was not yet."""
        if ref in self._tab_of:
            self.ensure_tab(self._tab_of[ref])
        return self._built_widget(ref)

    def _built_widget(self, ref: str) -> QWidget | None:
        """The widget showing ``ref`` if its page is built (a page built later takes its flag then)."""
        widget: QWidget | None = self._inputs.get(ref) or self._total_cells.get(ref)
        if widget is not None:
            return widget
        if ref in self._text_parts:
            return self._text_parts[ref].editor
        return self.meta_form.widgets.get(ref)

    def go_to_finding(self, finding: Finding) -> None:
        widgets = [w for w in (self.widget_for(r) for r in finding.cells) if w is not None]
        if not widgets:
            return
        target = next((w for w in widgets if w.focusPolicy() != Qt.FocusPolicy.NoFocus), widgets[0])
        ref = target.objectName()
        index = self._tab_of.get(ref, 0)
        self.tabs.setCurrentIndex(index)
        page = self.tabs.widget(index)
        if isinstance(page, QScrollArea):
            page.ensureWidgetVisible(target, 10, 40)
        if target.focusPolicy() != Qt.FocusPolicy.NoFocus:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.statusBar().showMessage(finding.message, 10000)

    def next_finding(self) -> None:
        items = [i for i in self.findings_panel.items() if i.data(Qt.ItemDataRole.UserRole) is not None]
        if not items:
            self.statusBar().showMessage("校验通过，没有需要处理的问题", 5000)
            return
        row = self.findings_panel.list.currentRow()
        nxt = items[0]
        for item in items:
            if self.findings_panel.list.row(item) > row:
                nxt = item
                break
        self.findings_panel.list.setCurrentItem(nxt)
        self.go_to_finding(nxt.data(Qt.ItemDataRole.UserRole))

    # -- the drafts store ------------------------------------------------------------------------

    def _writable(self) -> bool:
        """Whether edits go to the store by themselves (autosave); otherwise the window works on files."""
        return self.store is not None and not self.store.read_only and self.report_id is not None \
            and self.autosave is not None

    def _note_edit(self, refs: set[str] | None) -> None:
        # ``None`` is a whole report replaced (opened, restored): the store has it already.
        if refs is not None and self.autosave is not None:
            self.autosave.note_edit()

    def _autosaved(self, text: str) -> None:
        """The autosave driver's report after each attempt: the status bar, and the title's mark."""
        driver = self.autosave
        if self.store is None or self.store.read_only:
            return  # the status bar says so already; the reason was shown at start-up
        failed = driver is not None and driver.last_error is not None
        if failed:
            # The reason can be long (it names the folder): in full in the message area and tooltip.
            self._set_store_label("自动保存失败，稍后重试", alarm=True)
            self.store_label.setToolTip(text)
            self.statusBar().showMessage(text, 15000)
        else:
            self._set_store_label(text)
            self.store_label.setToolTip(f"草稿库位置：{self.store.folder}")
        if self._writable() and not failed and driver is not None and not driver.dirty \
                and self.document.path is None:
            # A stored draft has no other home: once it is in the store there is nothing unsaved.
            self.document.mark_saved()

    def _set_store_label(self, text: str, *, alarm: bool = False) -> None:
        self.store_label.setText(text)
        self.store_label.setStyleSheet("QLabel { color: #b00000; font-weight: bold; }" if alarm else "")

    def _show_store_state(self) -> None:
        if self.store is None:
            self._set_store_label("草稿库不可用：修改不会自动保存", alarm=True)
        elif self.store.read_only:
            self._set_store_label("草稿库只读：修改不会自动保存", alarm=True)
            self.store_label.setToolTip(self.store.read_only_reason or "")
        elif self.report_id is None:
            self._set_store_label("未放入草稿库：修改不会自动保存", alarm=True)
        else:
            self._set_store_label("修改自动保存到草稿库")
            self.store_label.setToolTip(f"草稿库位置：{self.store.folder}")

    def _refresh_previous(self) -> None:
        previous = None
        if self.store is not None:
            try:
                previous = self.store.previous_for(self.document.report, exclude=self.report_id)
            except ReportError:
                previous = None
        self.document.set_previous(previous)

    def _flush(self) -> bool:
        """Put pending edits in the store now; False (and the reason in the status bar) if that failed."""
        return self.autosave is None or not self._writable() or self.autosave.flush()

    def _switch(self, report_id: str | None, report: Report, path: Path | None = None) -> None:
        """Show another stored report; the autosave driver follows it (after flushing the old one)."""
        if self.autosave is not None:
            self.autosave.set_report(report_id)
        self.report_id = report_id
        self.document.replace(report, path)
        self._show_store_state()
        self._tell_recovery()

    def open_draft(self, report_id: str, path: Path | None = None) -> bool:
        """Open a stored report in the window (from 草稿管理); the current one is saved first."""
        if self.store is None:
            return False
        if report_id == self.report_id and path is None:
            return True
        if not self.maybe_save():
            return False
        try:
            report = self.store.load(report_id)
        except ReportError as err:
            self.show_error("无法打开草稿", "这份草稿无法读取，当前报告未受影响。", err)
            self._tell_recovery()
            return False
        self._switch(report_id, report, path)
        self.statusBar().showMessage(f"已打开草稿“{self.store.entry(report_id).display_name}”", 5000)
        return True

    def drafts_dialog(self):  # type: ignore[no-untyped-def]
        """The 草稿管理 dialog bound to this window (tests drive it without ``exec``)."""
        from gui.drafts_dialog import DraftsDialog

        assert self.store is not None
        # The list's status and time, and what 导出/复制 take, must be what is on screen.
        if not self._flush():
            self._autosave_failed_box()
        return DraftsDialog(self.store, self, on_open=lambda rid: self.open_draft(rid),
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
        name = self.document.report.effective_title
        for entry in self.store.list():
            try:
                self._switch(entry.id, self.store.load(entry.id))
                break
            except ReportError:
                continue
        else:
            self._create_and_show(Report.new(self.template, unit=self.document.report.unit))
        self.statusBar().showMessage(f"“{name}”已移到回收站，现在打开的是“{self.document.report.effective_title}”",
                                     10000)

    def _restored_in_dialog(self, report_id: str, report: Report) -> None:
        if report_id == self.report_id:
            self._show_restored(report)

    def _create_and_show(self, report: Report) -> bool:
        assert self.store is not None
        try:
            report_id = self.store.create(report)
        except ReportError as err:
            self.show_error("无法新建报告", "草稿库中没有新建报告，当前报告未受影响。", err)
            return False
        self._switch(report_id, report)
        return True

    def new_next_year(self) -> None:
        """新建下一年度报告 from the one in the window: carried-over counts from its carried-forward ones."""
        if not self._writable():
            self._store_unavailable_box("新建下一年度报告")
            return
        if not self.maybe_save():
            return
        assert self.store is not None and self.report_id is not None
        year = self.document.report.year
        try:
            new_id = self.store.next_year(self.report_id)
            report = self.store.load(new_id)
        except ReportError as err:
            self.show_error("无法新建下一年度报告", "当前报告未受影响。", err)
            return
        self._switch(new_id, report)
        self.tabs.setCurrentIndex(0)
        self.statusBar().showMessage(f"已新建 {year + 1} 年度报告：沿用了单位和文字内容，上年结转按 {year} 年度的"
                                     f"结转数填好；{year} 年度的报告仍在草稿管理中", 12000)

    def history_dialog(self):  # type: ignore[no-untyped-def]
        """The 历史版本 dialog of the report in the window (tests drive it without ``exec``).

        ``None`` when pending edits cannot be stored: restoring would then lose them for good.
        """
        from gui.history_dialog import HistoryDialog

        assert self.store is not None and self.report_id is not None
        # What a restore keeps first must be what is on screen, so that the restore can be undone.
        if not self._flush():
            self._autosave_failed_box()
            return None
        return HistoryDialog(self.store, self.report_id, self, on_restored=self._show_restored)

    def show_history(self) -> None:
        if self.store is None or self.report_id is None:
            self._store_unavailable_box("历史版本")
            return
        dialog = self.history_dialog()
        if dialog is not None:
            dialog.exec()

    def _show_restored(self, report: Report) -> None:
        # One undo step, so Ctrl+Z takes a mistaken restore back (the store also kept what was
        # there as a version, for after the window is closed).
        self._seal_typing()
        self.document.undo_stack.push(RestoreCommand(self, self.document.report, report))
        self.statusBar().showMessage("已恢复历史版本。可按 Ctrl+Z 撤销；恢复前的内容也已留存为最新的历史版本",
                                     12000)

    def _swap_report(self, report: Report) -> None:
        self.document.swap_report(report)
        if self.autosave is not None:
            self.autosave.note_edit()

    def _tell_recovery(self) -> None:
        """Repairs the store made since the last time (a damaged file moved aside and replaced)."""
        if self.store is None or len(self.store.recovery_notes) <= self._notes_shown:
            return
        notes = self.store.recovery_notes[self._notes_shown:]
        self._notes_shown = len(self.store.recovery_notes)
        if self.isVisible():
            self._message(QMessageBox.Icon.Warning, "草稿库已自动修复", "\n".join(notes), RECOVERY_DETAILS)
        else:
            self._notices.append(("草稿库已自动修复", "\n".join(notes), RECOVERY_DETAILS))

    def _store_unavailable_box(self, what: str) -> None:
        if self.store is None:
            reason = "草稿库无法使用（启动时已说明原因）。"
        else:
            reason = self.store.read_only_reason or "草稿库以只读方式打开。"
        self._message(QMessageBox.Icon.Information, what, f"现在不能使用“{what}”：{reason}")

    def _autosave_failed_box(self) -> None:
        error = self.autosave.last_error if self.autosave is not None else None
        self._message(QMessageBox.Icon.Warning, "自动保存失败", "最近的修改没能保存到草稿库，窗口中的内容都还在。",
                      f"{error or ''}\n建议用“文件 → 另存为”另存一份年报文件。".strip())

    def show_notices(self) -> None:
        """Messages from start-up (store read-only, repaired or unusable), once the window is shown."""
        self._tell_recovery()
        notices, self._notices = self._notices, []
        for title, text, details in notices:
            self._message(QMessageBox.Icon.Warning, title, text, details)

    # -- files ---------------------------------------------------------------------------------

    def new_report(self) -> None:
        if not self.maybe_save():
            return
        report = Report.new(self.template, unit=self.document.report.unit)
        if self._writable():
            if not self._create_and_show(report):
                return
        else:
            self.document.replace(report)
        self.tabs.setCurrentIndex(0)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = ask_open_path(self, "打开年报文件", self._last_dir())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open an exchange file; on a bad file say why in Chinese and keep the current report.

        With the store, the file is imported into it (or its identical draft reopened) and stays
        linked: 保存 (Ctrl+S) writes the file back as well.
        """
        try:
            report = read_report(path)
        except ReportError as err:
            self.show_error("无法打开文件", f"“{path.name}”不是可以打开的年报文件，当前报告未受影响。", err)
            return False
        if self._writable():
            assert self.store is not None
            try:
                report_id = find_or_import(self.store, path, report)
            except ReportError as err:
                self.show_error("无法放入草稿库", f"“{path.name}”没能放入草稿库，当前报告未受影响。", err)
                return False
            self._switch(report_id, report, path)
        else:
            self.document.replace(report, path)
        self.remember_opened(path)
        return True

    def show_open_error(self, path: Path, err: ReportError, *, at_start: bool = False,
                        outcome: str | None = None) -> None:
        outcome = outcome or ("已打开一份空白报告。" if at_start else "当前报告未受影响。")
        self.show_error("无法打开文件", f"“{path.name}”不是可以打开的年报文件，{outcome}", err)

    def remember_opened(self, path: Path) -> None:
        self._remember_dir(path)
        self.statusBar().showMessage(f"已打开 {path}", 5000)

    def import_dialog(self) -> None:
        """Take the content of an exchange file (e.g. one received by e-mail) as a new report.

        Unlike 打开, saving does not write back to the received file: with the store it becomes a
        draft of its own; without, 保存 asks where to put it.
        """
        if not self.maybe_save():
            return
        path = ask_open_path(self, "导入年报文件", self._last_dir())
        if path is None:
            return
        try:
            report = read_report(path)
        except ReportError as err:
            self.show_error("无法导入文件", f"“{path.name}”不是可以导入的年报文件，当前报告未受影响。", err)
            return
        self._remember_dir(path)
        if self._writable():
            assert self.store is not None
            try:
                [outcome] = self.store.import_files([path])
            except ReportError as err:
                self.show_error("无法导入文件", "文件没能放入草稿库，当前报告未受影响。", err)
                return
            if outcome.id is None:
                self._message(QMessageBox.Icon.Critical, "无法导入文件",
                              f"“{path.name}”不是可以导入的年报文件，当前报告未受影响。", "\n".join(outcome.problems))
                return
            self._switch(outcome.id, report)
            self.statusBar().showMessage(f"已把 {path} 导入草稿库", 8000)
            return
        self.document.replace(report, None, modified=True)
        self.statusBar().showMessage(f"已导入 {path}，保存时请选择保存位置", 8000)

    def save(self) -> bool:
        """Ctrl+S: with the store, save now and keep a named version; a linked file is written too."""
        if self._writable():
            assert self.autosave is not None
            if not self.autosave.save_now():
                self._autosave_failed_box()
                return False
            if self.document.path is not None:
                return self._write(self.document.path)
            self.document.mark_saved()
            self.statusBar().showMessage("已保存到草稿库，并留存了一个历史版本", 5000)
            return True
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self) -> bool:
        suggested = Path(self._last_dir()) / (_safe_file_name(self.document.report.effective_title) + ".json")
        if self.document.path is not None:
            suggested = self.document.path
        target = ask_save_path(self, "另存为", str(suggested))
        if target is None:
            return False
        return self._write(target)

    def _write(self, path: Path) -> bool:
        try:
            write_report(self.document.report, path)
        except ReportError as err:
            self.show_error("保存失败", "报告没有保存，窗口中的内容都还在。", err)
            return False
        self.document.mark_saved(path)
        self._remember_dir(path)
        self.statusBar().showMessage(f"已保存到 {path}", 5000)
        return True

    def maybe_save(self) -> bool:
        """True when it is fine to leave the current content (in the store, saved, or dropped on purpose).

        With a working store nothing is asked: autosave puts the content in the store now. Only a
        report opened from a file and changed since is offered to be written back to that file.
        Read-only or without a store, the old question stays, offering 另存为.
        """
        doc = self.document
        name = doc.report.effective_title or "未命名报告"
        if self._writable():
            if self._flush():
                if doc.path is None or not doc.modified:
                    return True
                text = f"“{name}”的修改已保存在草稿库中，但还没有写回文件“{doc.path.name}”。"
                info = "是否把修改写回该文件？"
                labels = ("写回文件", "不写回", "取消")
            else:
                error = self.autosave.last_error if self.autosave is not None else ""
                text = f"“{name}”最近的修改没能保存到草稿库：{error}"
                info = "是否另存为年报文件？选“不保存”将丢失这些修改。"
                labels = ("另存为…" if doc.path is None else "保存到文件", "不保存", "取消")
        elif not doc.modified:
            return True
        else:
            text = f"“{name}”有尚未保存的修改。"
            if self.store is not None and self.store.read_only:
                info = "草稿库已在另一个窗口中打开，本窗口的修改不会保存到草稿库。是否另存为年报文件？"
                labels = ("另存为…" if doc.path is None else "保存到文件", "不保存", "取消")
            else:
                info = "是否保存修改？"
                labels = ("保存", "不保存", "取消")
        box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, text,
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText(info)
        for button, label in zip((QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard,
                                  QMessageBox.StandardButton.Cancel), labels, strict=True):
            box.button(button).setText(label)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            if doc.path is not None:
                return self._write(doc.path)
            return self.save_as()
        return answer == QMessageBox.StandardButton.Discard

    def show_error(self, title: str, text: str, err: ReportError) -> None:
        self._message(QMessageBox.Icon.Critical, title, text, "\n".join(err.lines()))

    def _message(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> int:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.button(QMessageBox.StandardButton.Ok).setText("确定")
        if details:
            box.setInformativeText(details)
        return box.exec()

    def _pdf(self, what: str) -> None:
        try:
            # import_module, not "from gui import printing": it honours sys.modules, so a build
            # without the PDF module (or a test that hides it) gets the message below.
            printing = importlib.import_module("gui.printing")
        except ModuleNotFoundError as err:
            if err.name != "gui.printing":
                raise
            self._message(QMessageBox.Icon.Information, "PDF 功能尚未安装",
                          "PDF 功能尚未安装：此版本还不能导出 PDF 或打印。", "报告内容不受影响，可先保存为年报文件。")
            return
        report = self.document.report
        # Last year's report: the PDF's check (草稿 mark, 定稿 refusal) is the window's, cross-year included.
        previous = self.document.previous
        if what == "export":
            printing.export_pdf(self, report, final=False, previous=previous)
        elif what == "final":
            printing.export_pdf(self, report, final=True, previous=previous)
        elif what == "preview":
            printing.print_preview(self, report, previous=previous)
        else:
            printing.print_report(self, report, previous=previous)

    # -- help --------------------------------------------------------------------------------

    def show_help(self) -> None:
        from gui.help import HelpDialog

        HelpDialog(self.template, self).exec()

    def show_about(self) -> None:
        from core import __version__

        box = QMessageBox(QMessageBox.Icon.Information, f"关于{APP_NAME}",
                          f"{APP_NAME}\n版本 {__version__}", QMessageBox.StandardButton.Ok, self)
        box.setInformativeText(f"按照{self.template.name}填写、校验并打印政府信息公开工作年度报告。\n"
                               "所有数据只保存在本机，不联网。")
        box.button(QMessageBox.StandardButton.Ok).setText("确定")
        box.exec()

    # -- window state ----------------------------------------------------------------------

    def _update_title(self, *_args: object) -> None:
        doc = self.document
        if doc.path is not None:
            where = doc.path.name
        else:
            where = "草稿库" if self._writable() else "未保存"
        read_only = "【草稿库只读】" if self.store is not None and self.store.read_only else ""
        title = doc.report.effective_title.strip() or "未命名报告"
        self.setWindowTitle(f"{title}（{where}）[*]{read_only} — {APP_NAME}")
        self.setWindowModified(doc.modified)

    def _last_dir(self) -> str:
        value = settings().value("files/last_dir", "")
        return str(value) if value and Path(str(value)).is_dir() else str(Path.home())

    def _remember_dir(self, path: Path) -> None:
        settings().setValue("files/last_dir", str(path.parent))

    def _restore_settings(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 720)
        state = s.value("window/state")
        self._dock_restored = isinstance(state, QByteArray) and not state.isEmpty()
        if self._dock_restored:
            self.restoreState(state)  # type: ignore[arg-type]
        try:
            tab = int(s.value("window/tab", 0))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            tab = 0
        if 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def save_settings(self) -> None:
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self.save_settings()
            self.close_store()
            event.accept()
        else:
            event.ignore()

    def shut_down(self) -> None:
        """The application quits without closing the window (logout, shutdown): keep what was typed."""
        self._flush()
        self.close_store()

    def close_store(self) -> None:
        """Release the drafts (lock, pending index changes) so the next start or window can write."""
        if self.autosave is not None:
            self.autosave.timer.stop()
        if self.store is not None:
            try:
                self.store.close()
            except ReportError:
                pass  # only the list's times lag; the next start rebuilds them from the report files

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self._notices or (self.store is not None and len(self.store.recovery_notes) > self._notes_shown):
            # Over the window, not before it: the clerk must see what the message is about.
            QTimer.singleShot(0, self, self.show_notices)
        if not self._dock_restored:
            # First start: the findings list gets a few lines, the report the rest.
            self._dock_restored = True
            QTimer.singleShot(0, self, lambda: self.resizeDocks([self.findings_panel], [140],  # type: ignore[call-overload]
                                                                 Qt.Orientation.Vertical))
        # Put the cursor where the clerk starts typing once the window is on screen.
        QTimer.singleShot(0, self._focus_current_tab)
        if not self._idle_started:
            # The other pages once the first frame is painted: the window must not wait for them.
            self._idle_started = True
            self.tabs.tabBar().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tabs.tabBar() and event.type() == QEvent.Type.Paint:
            self.tabs.tabBar().removeEventFilter(self)
            QTimer.singleShot(0, self, self._build_idle_tabs)
        return super().eventFilter(watched, event)

    def _focus_current_tab(self) -> None:
        page = self.tabs.currentWidget()
        for grid in self._grids.values():
            if page is not None and page.isAncestorOf(grid):
                first = grid.first_input()
                if first is not None:
                    first.setFocus()
                return


class RestoreCommand(QUndoCommand):
    """A restored history version as one undo step: undo shows again what was there before."""

    def __init__(self, window: MainWindow, old: Report, new: Report) -> None:
        super().__init__("恢复历史版本")
        self.window = window
        self.old = old
        self.new = new

    def redo(self) -> None:
        self.window._swap_report(self.new)

    def undo(self) -> None:
        self.window._swap_report(self.old)


def find_or_import(store: Store, path: Path, report: Report) -> str:
    """The stored draft with exactly this content, or a new one imported from ``path``.

    Opening the same received file twice must not fill the drafts list with copies of it.
    """
    wanted = report_to_dict(report)
    for entry in store.list():
        if entry.unit != report.unit or entry.year != report.year:
            continue
        try:
            if report_to_dict(store.load(entry.id)) == wanted:
                return entry.id
        except ReportError:
            continue
    [outcome] = store.import_files([path])
    if outcome.id is None:
        raise StoreError("；".join(outcome.problems) or f"无法导入 {path}")
    return outcome.id


def _safe_file_name(title: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\r\n\t]+', "_", title).strip(" .")
    return name or "年度报告"
