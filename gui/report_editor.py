"""The report editor: the section tabs with their grids and text pages, the finding marks, cell undo.

Everything the clerk types goes to :class:`gui.document.ReportDocument`; the editor shows the
document and its findings. Pages are built late (when their tab is first needed, or one per idle
moment after the first frame) because building all ≈200 cells before the window could appear cost
more than half of the start-up. Status lines go out through :attr:`ReportEditor.status`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.clipboard import PasteError, plan_paste, split_block
from core.findings import Finding, summary
from core.indicators import indicators
from core.prose import CarriedParagraph, carried_paragraphs, cleaned_texts
from core.template import MAX_COUNT, Section
from gui.cells import CountCell, MoneyCell, TotalCell
from gui.dialogs import Icon, message
from gui.document import META_REFS, ReportDocument
from gui.findings_panel import FindingsPanel
from gui.flags import apply_flag
from gui.grids import BUILDERS, TableGrid
from gui.meta_form import MetaForm
from gui.style import StatusTime
from gui.text_editors import TextPart, TextSectionPage
from gui.undo import DropTypedTotalsCommand, SetCellsCommand, SetTextsCommand

META_TAB = "基本信息"
TABLE_HINT = ("灰色单元格为自动合计，不能填写。回车键向下、Tab 键向右移动；"
              "可从 Excel/WPS 复制一块数字后在单元格中按 Ctrl+V 粘贴。")
PASTE_HINT = "粘贴的内容须是从表格中复制的一块整数（空白按 0 计），并且能放进当前单元格往右、往下的范围。"
_RANK = {"error": 2, "warning": 1}
_W = TypeVar("_W")


class LazyWidgets(Mapping[str, _W]):
    """The editor's widgets by key (reference or table id), building a tab's page when it is asked for.

    ``built`` is the editor's own dict of what exists; ``known`` every key there will be. Reading
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


class ReportEditor(QTabWidget):
    """The tabs in report order (基本信息 first), with live totals, finding marks and cell undo."""

    status = Signal(str, int)  # a line for the status bar, how long to show it (ms)

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.template = document.report.template
        self.setObjectName("sectionTabs")
        self.setDocumentMode(True)
        self.setUsesScrollButtons(True)
        self._flags: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._findings: list[Finding] | None = None
        self._typing: SetCellsCommand | None = None
        self._idle_started = False
        self.findings_panel = FindingsPanel(self.template)
        self.findings_panel.findingActivated.connect(self.go_to_finding)
        self.findings_panel.useComputedTotals.connect(self.use_computed_totals)
        self.findings_panel.cleanResidue.connect(self.clean_residue)
        # Paragraphs still carrying last year's text, by prose field (marked until edited).
        self._carried: dict[str, list[CarriedParagraph]] = {}
        self._carried_key: tuple[object, ...] | None = None
        # The status line the editor put up last, cleared once it no longer holds (see _clear_status).
        self._said: tuple[str, Finding | None] = ("", None)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self._build_tabs()

    # -- pages ------------------------------------------------------------------------------------

    def _build_tabs(self) -> None:
        """The tab bar with every section, but only the meta form's page built (see :meth:`ensure_tab`)."""
        self.meta_form = MetaForm(self.template)
        self.meta_form.edited.connect(self.document.set_meta)
        self.addTab(self.meta_form, META_TAB)
        # What is built so far; the public maps below build a page when asked for one of its widgets.
        self._grids: dict[str, TableGrid] = {}
        self._text_parts: dict[str, TextPart] = {}
        self._inputs: dict[str, CountCell | MoneyCell] = {}
        self._total_cells: dict[str, TotalCell] = {}
        self._tab_of: dict[str, int] = dict.fromkeys(META_REFS, 0)
        self._section_at: dict[int, Section] = {}
        self._built: set[int] = set()
        for section in self.template.sections:
            page: QScrollArea = TextSectionPage(section, fill=False) if section.kind != "table" \
                else self._scroll_area()
            index = self.addTab(page, section.heading)
            self.setTabToolTip(index, section.heading)
            self._section_at[index] = section
        for ref, section_id in self.template.section_of_ref.items():
            self._tab_of[ref] = next(i for i, s in self._section_at.items() if s.id == section_id)
        ensure = self._ensure_tab_of
        self.grids = LazyWidgets(self._grids, {s.table: i for i, s in self._section_at.items() if s.table},
                                 self.ensure_tab)
        self.text_parts = LazyWidgets(self._text_parts, dict.fromkeys(self.template.texts), ensure)
        self.inputs = LazyWidgets(self._inputs, dict.fromkeys(self.template.cells), ensure)
        self.total_cells = LazyWidgets(self._total_cells, dict.fromkeys(self.template.computed), ensure)
        self.currentChanged.connect(self.ensure_tab)
        # A refusal or a finding's line is about the page it was said on: not after a tab change.
        self.currentChanged.connect(lambda _index: self._clear_status())

    def tab_of(self, ref: str) -> int:
        """The index of the tab that shows ``ref`` (a cell, a text part or a meta field)."""
        return self._tab_of[ref]

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
        page = self.widget(index)
        report = self.document.report
        if section.kind == "table" and section.table:
            grid = BUILDERS[section.table](self.template)
            grid.pasteRequested.connect(self._paste)
            for cell in grid.inputs.values():
                cell.show_value(report.values[cell.ref])
                cell.userEdited.connect(self._on_cell_edited)
                cell.editingDone.connect(self.seal_typing)
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
                part.show_carried(self._carried.get(ref, []))
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
        note = QLabel(TABLE_HINT)
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        lay.addWidget(note)
        lay.addStretch(1)
        area.setWidget(body)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        # Put the cursor where the clerk starts typing once the window is on screen.
        QTimer.singleShot(0, self, self._focus_current_tab)
        if not self._idle_started:
            # The other pages once the first frame is painted: the window must not wait for them.
            self._idle_started = True
            self.tabBar().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tabBar() and event.type() == QEvent.Type.Paint:
            self.tabBar().removeEventFilter(self)
            QTimer.singleShot(0, self, self._build_idle_tabs)
        return super().eventFilter(watched, event)

    def _focus_current_tab(self) -> None:
        page = self.currentWidget()
        for grid in self._grids.values():
            if page is not None and page.isAncestorOf(grid):
                first = grid.first_input()
                if first is not None:
                    first.setFocus()
                return

    # -- the document changed: update only what changed -------------------------------------------

    def show_changes(self, refs: set[str] | None) -> None:
        """Show the document after a change of ``refs`` (``None``: a whole other report)."""
        report = self.document.report
        if refs is None:
            self._typing = None
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
        totals, findings = self.document.evaluate()
        for ref, total_cell in self._total_cells.items():
            total_cell.show_value(totals[ref])
        if findings != self._findings:
            self._show_findings(findings)
        if refs is None or any(ref.startswith(("table3.", "table4.")) for ref in refs):
            self.findings_panel.show_indicators(indicators(report, totals))
        if refs is None or any(ref in self.template.texts or ref in META_REFS for ref in refs):
            self._show_carried()

    def _show_carried(self) -> None:
        """Mark the paragraphs that still carry last year's text (they lose the mark once rewritten)."""
        report, previous = self.document.report, self.document.previous
        key = (id(previous), report.year, report.unit, tuple(report.texts.get(r, "") for r in self.template.texts))
        if key == self._carried_key:
            return
        self._carried_key = key
        carried: dict[str, list[CarriedParagraph]] = {}
        for paragraph in carried_paragraphs(report, previous):
            carried.setdefault(paragraph.ref, []).append(paragraph)
        for ref in set(self._carried) | set(carried):
            if self._carried.get(ref) != carried.get(ref) and ref in self._text_parts:
                self._text_parts[ref].show_carried(carried.get(ref, []))
        self._carried = carried

    @property
    def carried(self) -> dict[str, list[CarriedParagraph]]:
        """The carried paragraphs marked now, by prose field."""
        return {ref: list(items) for ref, items in self._carried.items()}

    @property
    def findings(self) -> list[Finding]:
        """The findings on screen now (marks, panel and summary show exactly these)."""
        return list(self._findings or [])

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
        shown = self._said[1]
        if shown is not None and shown not in findings:
            self._clear_status()  # the finding it named was fixed

    # -- the status line ----------------------------------------------------------------------------

    def _say(self, text: str, msecs: int, finding: Finding | None = None) -> None:
        self._said = (text, finding)
        self.status.emit(text, msecs)

    def _clear_status(self) -> None:
        """Take down the editor's last line if it is still showing (another part's line stays)."""
        text = self._said[0]
        self._said = ("", None)
        window = self.window()
        if text and isinstance(window, QMainWindow) and window.statusBar().currentMessage() == text:
            window.statusBar().clearMessage()

    # -- one-click fixes the findings offer ----------------------------------------------------------

    def use_computed_totals(self) -> None:
        """``以计算结果为准``: every total printed in the file gives way to the computed one (one undo step)."""
        if not self.document.report.typed_totals:
            return
        self.seal_typing()
        command = DropTypedTotalsCommand(self.document)
        self.document.undo_stack.push(command)
        self._say(f"已以计算结果为准：不再核对文件中填写的 {len(command.dropped)} 个合计，可用 Ctrl+Z 撤销",
                  StatusTime.DONE)

    def clean_residue(self) -> None:
        """Remove word-processor leftovers from every prose field at once (one undo step)."""
        cleaned = cleaned_texts(self.document.report)
        if not cleaned:
            return
        self.seal_typing()
        self.document.undo_stack.push(SetTextsCommand(self.document, cleaned, "清除排版残留"))
        self._say(f"已清除 {len(cleaned)} 处文字中的排版残留，可用 Ctrl+Z 撤销", StatusTime.DONE)

    # -- edits from the widgets ---------------------------------------------------------------------

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

    def seal_typing(self, *_args: object) -> None:
        """End the merging of typed digits into one undo step (focus left, another action came)."""
        if self._typing is not None:
            self._typing.open = False
            self._typing = None

    def _paste(self, grid: TableGrid, cell: QWidget) -> None:
        text = QApplication.clipboard().text()
        row, col = grid.position(cell)
        try:
            values = plan_paste(text, grid.paste_grid(), row, col)
        except PasteError as err:
            message(self, Icon.Warning, "无法粘贴", err.message, PASTE_HINT)
            return
        self.seal_typing()
        current = self.document.report.values
        changed = {ref: v for ref, v in values.items() if current.get(ref) != v}
        if not changed:
            self._say("粘贴的数据与表中现有数据相同", StatusTime.BRIEF)
            return
        self.document.undo_stack.push(SetCellsCommand(self.document, values, f"粘贴 {len(values)} 个单元格"))
        skipped = "（落在合计单元格上的数不填入，合计由程序计算）" if len(values) < _block_size(text) else ""
        self._say(f"已粘贴 {len(values)} 个单元格{skipped}，可用 Ctrl+Z 撤销", StatusTime.DONE)

    def _rejected_input(self, cell: CountCell | MoneyCell) -> None:
        """A key the cell refused (a letter, a minus sign, too many digits): say why."""
        if isinstance(cell, MoneyCell):
            text = f"金额只能填写不超过 {cell.places} 位小数的非负数，单位为{cell.suffix().strip()}"
        else:
            text = f"件数只能填写 0 到 {MAX_COUNT:,} 之间的整数"
        self._say(f"{self.template.label_for(cell.ref)}：{text}", StatusTime.HINT)

    def _history(self, which: str) -> None:
        self.seal_typing()
        if which == "undo":
            self._undo_step()
        else:
            self._redo_step()

    def _undo_step(self) -> None:
        stack = self.document.undo_stack
        command = stack.command(stack.index() - 1) if stack.canUndo() else None
        stack.undo()
        self._show_step(command)

    def _redo_step(self) -> None:
        stack = self.document.undo_stack
        command = stack.command(stack.index()) if stack.canRedo() else None
        stack.redo()
        self._show_step(command)

    def _show_step(self, command: object) -> None:
        """After undo/redo: scroll to and focus the first cell the step changed, so the clerk sees it."""
        refs = [r for r in getattr(command, "refs", []) if r in self._tab_of]
        found = ((r, self.widget_for(r)) for r in refs)
        ref, target = next(((r, w) for r, w in found if w is not None
                            and w.focusPolicy() != Qt.FocusPolicy.NoFocus), ("", None))
        if target is None:
            return
        index = self._tab_of[ref]
        self.setCurrentIndex(index)
        page = self.widget(index)
        if isinstance(page, QScrollArea):
            page.ensureWidgetVisible(target, 10, 40)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- undo for the 编辑 menu ------------------------------------------------------------------

    def undo(self) -> None:
        widget = QApplication.focusWidget()
        if edits_own_text(widget):
            widget.undo()  # type: ignore[union-attr]
            return
        self.seal_typing()
        self._undo_step()

    def redo(self) -> None:
        widget = QApplication.focusWidget()
        if edits_own_text(widget):
            widget.redo()  # type: ignore[union-attr]
            return
        self.seal_typing()
        self._redo_step()

    def can_undo_redo(self) -> tuple[bool, bool]:
        """Whether 撤销 / 重做 apply where the cursor is (a text field has its own history)."""
        if edits_own_text(QApplication.focusWidget()):
            return True, True
        stack = self.document.undo_stack
        return stack.canUndo(), stack.canRedo()

    # -- findings ---------------------------------------------------------------------------------

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
        index = self._tab_of.get(target.objectName(), 0)
        self.setCurrentIndex(index)
        page = self.widget(index)
        if isinstance(page, QScrollArea):
            page.ensureWidgetVisible(target, 10, 40)
        if target.focusPolicy() != Qt.FocusPolicy.NoFocus:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        self._say(finding.message, StatusTime.NOTE, finding)

    def next_finding(self) -> None:
        panel = self.findings_panel
        items = [i for i in panel.items() if i.data(Qt.ItemDataRole.UserRole) is not None]
        if not items:
            self._say("校验通过，没有需要处理的问题", StatusTime.BRIEF)
            return
        row = panel.list.currentRow()
        nxt = next((item for item in items if panel.list.row(item) > row), items[0])
        panel.list.setCurrentItem(nxt)
        self.go_to_finding(nxt.data(Qt.ItemDataRole.UserRole))


def edits_own_text(widget: QWidget | None) -> bool:
    """Text fields keep their own undo history; table cells use the document's."""
    if isinstance(widget, QPlainTextEdit):
        return True
    return isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QAbstractSpinBox) \
        and not widget.isReadOnly()


def _block_size(text: str) -> int:
    """How many cells the pasted block has, read as the paste read it, to say when totals were skipped."""
    rows = split_block(text)
    return len(rows) * max(len(r) for r in rows)
