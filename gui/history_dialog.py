"""历史版本: a report's saved versions, a preview of each, and restoring one (itself undoable)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.errors import ReportError
from core.findings import SEVERITY_LABELS, summary
from core.model import Report
from core.rules import check
from core.store import Store, Version
from gui.dialogs import Icon, confirm, message

# Totals shown in the preview: enough to tell versions apart at a glance.
PREVIEW_TOTALS = (
    "table3.new_received.total", "table3.total_processed.total", "table3.carried_forward.total",
    "table4.review.total", "table4.litigation_direct.total", "table4.litigation_after_review.total",
)
MAX_PREVIEW_FINDINGS = 8


class HistoryDialog(QDialog):
    """Versions newest first; the preview shows the version's key figures and check result.

    ``on_restored`` receives the restored report so the window can show it (the store already
    holds it as the current content, and the replaced content as a new version).
    """

    def __init__(self, store: Store, report_id: str, parent: QWidget | None = None, *,
                 on_restored: Callable[[Report], None] | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.report_id = report_id
        self.on_restored = on_restored
        self.restored: Report | None = None
        self.versions: list[Version] = []
        self.skipped: list[str] = []  # the store's notes on versions it could not list
        self.setObjectName("historyDialog")
        self.setWindowTitle(f"历史版本 — {store.entry(report_id).display_name}")
        self.resize(900, 560)

        intro = QLabel("每次按 Ctrl+S 保存、编辑满 10 分钟、恢复旧版本之前都会留存一个版本。保留最近 30 个，"
                       "更早的每天保留一个，保留 30 天。")
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")

        self.table = QTableWidget(0, 2)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels(["时间", "说明"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.itemDoubleClicked.connect(lambda *_: self.restore_selected())

        self.preview = QTextBrowser()
        self.preview.setObjectName("historyPreview")
        self.preview.setOpenLinks(False)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setSizes([380, 520])

        self.restore_button = QPushButton("恢复此版本…")
        self.restore_button.setObjectName("restoreVersion")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_button.setEnabled(False)
        if store.read_only:
            self.restore_button.setToolTip("草稿库为只读（另一个窗口正在使用），不能恢复")
        buttons = QDialogButtonBox()
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)

        bottom = QHBoxLayout()
        bottom.addWidget(self.restore_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        self.notice = QLabel("")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setObjectName("historyNotice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        layout.addLayout(bottom)
        self.refresh()

    # -- contents ---------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        notes_before = list(self.store.recovery_notes)
        try:
            self.versions = self.store.history(self.report_id)
        except ReportError as err:
            self.versions = []
            self.preview.setPlainText(err.message)
        # Versions the store could not list were skipped (issue #17 F10): say so under the list.
        skipped = [n for n in self.store.recovery_notes if n not in notes_before]
        if skipped:
            self.skipped = skipped
            self.notice.setText("\n".join(self.skipped))
        self.table.setRowCount(len(self.versions))
        for row, v in enumerate(self.versions):
            when = QTableWidgetItem(f"{v.at:%Y-%m-%d %H:%M:%S}")
            when.setData(Qt.ItemDataRole.UserRole, v.id)
            self.table.setItem(row, 0, when)
            self.table.setItem(row, 1, QTableWidgetItem(v.label))
        if self.versions:
            ids = [v.id for v in self.versions]
            self.table.selectRow(ids.index(select_id) if select_id in ids else 0)
        else:
            self.preview.setPlainText("这份报告还没有历史版本。")

    def selected_version(self) -> Version | None:
        rows = self.table.selectionModel().selectedRows()
        return self.versions[rows[0].row()] if rows else None

    def _show_selected(self) -> None:
        version = self.selected_version()
        self.restore_button.setEnabled(version is not None and not self.store.read_only)
        if version is None:
            return
        try:
            report = self.store.load_version(self.report_id, version.id)
        except ReportError as err:
            self.preview.setPlainText(f"无法读取该版本：{err.message}")
            self.restore_button.setEnabled(False)
            return
        self.preview.setHtml(self.describe(version, report))

    def describe(self, version: Version, report: Report) -> str:
        """The preview: what the version is, its key totals and what a check says about it."""
        tpl = report.template
        totals = report.totals()
        findings = check(report, previous=self.store.previous_for(report, exclude=self.report_id), totals=totals)
        esc = _escape
        parts = [f"<h3>{esc(report.effective_title)}</h3>",
                 f"<p>{version.at:%Y-%m-%d %H:%M:%S} · {esc(version.label)}</p>",
                 f"<p><b>校验：</b>{esc(summary(findings))}</p>", "<table cellspacing='0' cellpadding='3'>"]
        for ref in PREVIEW_TOTALS:
            if ref in totals:
                parts.append(f"<tr><td>{esc(tpl.label_for(ref))}</td><td align='right'>{totals[ref]}</td></tr>")
        parts.append("</table>")
        if findings:
            parts.append("<ul>")
            for f in findings[:MAX_PREVIEW_FINDINGS]:
                parts.append(f"<li>[{SEVERITY_LABELS[f.severity]}] {esc(f.message)}</li>")
            if len(findings) > MAX_PREVIEW_FINDINGS:
                parts.append(f"<li>……另有 {len(findings) - MAX_PREVIEW_FINDINGS} 项</li>")
            parts.append("</ul>")
        return "".join(parts)

    # -- restoring --------------------------------------------------------------------------------

    def restore_selected(self) -> bool:
        version = self.selected_version()
        if version is None or self.store.read_only:
            return False
        question = (f"把报告恢复为 {version.at:%Y-%m-%d %H:%M}“{version.label}”时的内容？\n\n"
                    "当前内容会先留存为一个历史版本，随时可以再恢复回来。")
        if not self.confirm(question):
            return False
        try:
            self.restored = self.store.restore_version(self.report_id, version.id)
        except ReportError as err:
            message(self, Icon.Critical, "无法恢复", err.message)
            return False
        if self.on_restored is not None:
            self.on_restored(self.restored)
        self.refresh()
        done = f"已恢复为 {version.at:%Y-%m-%d %H:%M} 的版本；恢复前的内容已留存为最新的历史版本。"
        self.notice.setText("\n".join([done, *self.skipped]))
        return True

    def confirm(self, text: str) -> bool:
        """Asks before restoring; tests replace it."""
        return confirm(self, "恢复历史版本", text, "恢复")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
