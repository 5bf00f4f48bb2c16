"""导入已发布的年报: the review of a published report as read, before it becomes a draft.

The clerk sees the tables as read — cells that could not be read in red, cells read as 0 from a
blank in yellow — the prose per section and every note, then keeps it ``作为新草稿`` or
``作为上一年度报告`` (for the cross-year rules and next year's carry-over). Every text of the file
is shown as plain text. The window's menu calls :func:`import_published`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import ReportError
from core.model import Report
from core.plugins import ReadResult
from gui.screen import fit_on_screen

AS_DRAFT = "draft"
AS_PREVIOUS = "previous"
UNREAD_COLOR = "#f4c7c3"
BLANK_COLOR = "#fff0b3"
TOTAL_COLOR = "#eeeeee"


def _item(text: str, *, color: str | None = None, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if color:
        item.setBackground(QBrush(QColor(color)))
    if tip:
        item.setToolTip(tip)
    return item


def _plain_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class IngestReviewDialog(QDialog):
    """Shows one :class:`ReadResult`; after ``exec()``, :attr:`choice` is ``AS_DRAFT``/``AS_PREVIOUS``."""

    def __init__(self, result: ReadResult, source_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ingest_review")
        self.setWindowTitle(f"导入已发布的年报 — {source_name}")
        self.result_read = result
        self.report: Report = result.report
        self.choice: str | None = None
        self._unread = set(result.unread)
        self._blank = set(result.zero_from_blank)
        tpl = self.report.template

        layout = QVBoxLayout(self)
        report = self.report
        layout.addWidget(_plain_label(f"{report.effective_title}（单位：{report.unit or '未读出'}，"
                                      f"年度：{report.year}）"))
        unread_cells = [r for r in result.unread if r in tpl.cells]
        summary = _plain_label(
            f"表格共 {len(tpl.cells)} 个单元格：读出 {len(tpl.cells) - len(unread_cells)} 个"
            + (f"，{len(unread_cells)} 个未读出（红色，按 0 暂填，请补填）" if unread_cells else "，全部读出")
            + (f"，{len(self._blank)} 个原为空白、按 0 读取（黄色）" if self._blank else "") + "。")
        summary.setObjectName("ingest_summary")
        layout.addWidget(summary)

        self.tabs = QTabWidget()
        self.tables = {
            "table2": self._table2(), "table3": self._table3(), "table4": self._table4(),
        }
        headings = {s.table: s.heading for s in tpl.sections if s.table}
        for table_id, widget in self.tables.items():
            self.tabs.addTab(widget, "表" + headings[table_id].split("、", 1)[0])
        self.prose = self._prose()
        self.tabs.addTab(self.prose, "正文")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("ingest_notes")
        self.notes.setReadOnly(True)
        lines = [f"未读出：{p}" for p in result.problems] + [f"注意：{n}" for n in result.notes]
        self.notes.setPlainText("\n".join(lines) or "没有需要说明的情况。")
        self.tabs.addTab(self.notes, f"说明（{len(lines)}）")
        layout.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.as_draft = QPushButton("作为新草稿")
        self.as_draft.setObjectName("ingest_as_draft")
        self.as_previous = QPushButton("作为上一年度报告")
        self.as_previous.setObjectName("ingest_as_previous")
        self.as_previous.setToolTip("保存为上一年度的报告，用于跨年度核对和下一年度结转")
        cancel = QPushButton("取消")
        self.as_draft.clicked.connect(lambda: self._choose(AS_DRAFT))
        self.as_previous.clicked.connect(lambda: self._choose(AS_PREVIOUS))
        cancel.clicked.connect(self.reject)
        for button in (self.as_draft, self.as_previous, cancel):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.resize(1100, 700)
        fit_on_screen(self)  # a 1366×768 or 1280×720 office screen: keep the buttons reachable

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    # -- the tables as read -----------------------------------------------------------------

    def _value_item(self, ref: str) -> QTableWidgetItem:
        report, tpl = self.report, self.report.template
        if ref in self._unread:
            return _item("未读出", color=UNREAD_COLOR, tip="这个单元格没有读出，请对照原文补填")
        if ref in tpl.computed:
            typed = report.typed_totals.get(ref)
            computed = report.get(ref)
            text = str(typed if typed is not None else computed)
            tip = "原文印的合计" if typed is not None else "原文此处空白，按各项相加"
            if typed is not None and typed != computed:
                tip += f"，与各项相加（{computed}）不符"
            return _item(text, color=TOTAL_COLOR, tip=tip)
        value = report.values.get(ref, 0)
        text = format(value, "f") if not isinstance(value, int) else str(value)
        if ref in self._blank:
            return _item(text, color=BLANK_COLOR, tip="原文为空白（或“/”“—”“无”），按 0 读取")
        return _item(text)

    def _grid(self, name: str, rows: list[str], columns: list[str],
              refs: dict[tuple[int, int], str]) -> QTableWidget:
        """A read-only table of the cells ``refs`` names by (row, column); other positions stay empty."""
        table = QTableWidget(len(rows), len(columns))
        table.setObjectName(name)
        table.setVerticalHeaderLabels(rows)
        table.setHorizontalHeaderLabels(columns)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for (i, j), ref in refs.items():
            item = self._value_item(ref)
            item.setData(Qt.ItemDataRole.UserRole, ref)
            table.setItem(i, j, item)
        return table

    def _table2(self) -> QTableWidget:
        t2 = self.report.template.tables["table2"]
        columns: list[str] = []
        for block in t2["blocks"]:
            for col in block["columns"]:
                if col["label"] not in columns:
                    columns.append(col["label"])
        rows = [(row, block) for block in t2["blocks"] for row in block["rows"]]
        refs = {(i, columns.index(col["label"])): f"table2.{row['id']}" + (f".{col['id']}" if col["id"] else "")
                for i, (row, block) in enumerate(rows) for col in block["columns"]}
        table = self._grid("ingest_table2", [r["label"] for r, _ in rows], columns, refs)
        table.resizeColumnsToContents()
        return table

    def _table3(self) -> QTableWidget:
        tpl = self.report.template
        rows, cols = tpl.table3_rows(), tpl.table3_columns()
        refs = {(i, j): f"table3.{row['id']}.{col['id']}" for i, row in enumerate(rows) for j, col in enumerate(cols)}
        return self._grid("ingest_table3", [r["short"] for r in rows], [c["label"] for c in cols], refs)

    def _table4(self) -> QTableWidget:
        t4 = self.report.template.tables["table4"]
        groups, fields = t4["groups"], t4["fields"]
        names = ["".join(g["path"][:1]) + ("·" + g["label"] if len(g["path"]) > 1 else "") for g in groups]
        refs = {(i, j): f"table4.{g['id']}.{f['id']}" for i, g in enumerate(groups) for j, f in enumerate(fields)}
        return self._grid("ingest_table4", names, [f["label"] for f in fields], refs)

    def _prose(self) -> QPlainTextEdit:
        tpl = self.report.template
        lines: list[str] = []
        for section in tpl.sections:
            if section.kind != "text":
                continue
            lines.append(section.heading)
            for part in section.parts:
                if part.heading:
                    lines.append(part.heading)
                lines.append(self.report.texts.get(part.ref, "") or "（未读出文字）")
            lines.append("")
        view = QPlainTextEdit()
        view.setObjectName("ingest_prose")
        view.setReadOnly(True)
        view.setPlainText("\n".join(lines))
        return view


def ask_published_path(parent: QWidget | None, start: str | None = None) -> Path | None:
    """The file chooser of 文件 › 导入已发布的年报…, its filter generated from the registered readers."""
    from core.plugins import readers
    from gui.dialogs.files import ask_open_path

    plugins = readers()
    patterns = " ".join(f"*{s}" for p in plugins for s in p.suffixes)
    filters = [f"已发布的年报 ({patterns})"]
    filters += [f"{p.label} ({' '.join('*' + s for s in p.suffixes)})" for p in plugins]
    filters.append("所有文件 (*)")
    return ask_open_path(parent, "导入已发布的年报", start or str(Path.home()), name_filter=";;".join(filters))


def review_file(parent: QWidget | None, path: Path) -> tuple[str, Report] | None:
    """Read ``path`` and let the clerk review it: ``(AS_DRAFT | AS_PREVIOUS, report)``, or ``None``."""
    from core.ingest.readers import read_published
    from gui.dialogs import Icon, message

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a PDF takes about a second
    try:
        result = read_published(path)
    except ReportError as err:
        error: ReportError | None = err
    else:
        error = None
    finally:
        QApplication.restoreOverrideCursor()
    if error is not None:
        message(parent, Icon.Warning, "无法读取这份年报", "\n".join(error.lines()), "当前报告未受影响。")
        return None
    dialog = IngestReviewDialog(result, path.name, parent)
    if dialog.exec() and dialog.choice:
        return dialog.choice, dialog.report
    return None


def import_published(parent: QWidget | None) -> tuple[str, Report] | None:
    """文件 › 导入已发布的年报…: choose a file, read it, review it. The caller stores the report:
    ``AS_DRAFT`` as a new draft, ``AS_PREVIOUS`` as last year's report (a draft of its year)."""
    path = ask_published_path(parent)
    return review_file(parent, path) if path else None
