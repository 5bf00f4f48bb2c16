"""草稿管理: every stored report with its unit, year, last change and check status, and what to do with it.

Self-contained: it takes a :class:`core.store.Store` and calls ``on_open(report_id)`` when the clerk
opens a report (the dialog then closes with ``Accepted`` and :attr:`DraftsDialog.opened_id` set).
Everything that could ask the clerk something (file choosers, confirmations, names) goes through
one small method each, so tests can answer in place of the clerk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import ReportError
from core.model import Report, default_report_year
from core.prose import carried_count
from core.session import export_names, next_year_clash, safe_file_name
from core.store import Entry, ImportOutcome, Store
from gui.dialogs import Icon, ask_text, confirm, message, plain_tip
from gui.dialogs.files import ask_folder, ask_open_paths, ask_save_path
from gui.history_dialog import HistoryDialog
from gui.style import BANNER_STYLE, STATUS_COLORS

DRAFT_COLUMNS = ("名称", "单位", "年度", "最后修改", "状态")
TRASH_COLUMNS = ("名称", "单位", "年度", "删除时间")


class _Table(QTableWidget):
    def __init__(self, columns: tuple[str, ...], name: str) -> None:
        super().__init__(0, len(columns))
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(list(columns))
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(columns)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        return [self.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows]

    def select_ids(self, ids: list[str]) -> None:
        self.clearSelection()
        mode = self.selectionMode()
        self.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.rowCount()):
            if self.item(row, 0).data(Qt.ItemDataRole.UserRole) in ids:
                self.selectRow(row)
        self.setSelectionMode(mode)


class ImportResultDialog(QDialog):
    """One line per file: imported (with its status), or refused with its Chinese problems."""

    def __init__(self, outcomes: list[ImportOutcome], store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入结果")
        self.setObjectName("importResult")
        self.resize(720, 420)
        ok = sum(1 for o in outcomes if o.ok)
        bad = len(outcomes) - ok
        head = QLabel(f"共 {len(outcomes)} 个文件：成功导入 {ok} 个" + (f"，{bad} 个无法导入（见下）" if bad else "。"))
        head.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("importResultTree")
        self.tree.setHeaderLabels(["文件", "结果"])
        self.tree.setColumnWidth(0, 220)
        for o in outcomes:
            if o.ok and o.id is not None:
                entry = store.entry(o.id)
                item = QTreeWidgetItem([o.path.name, f"已导入：{entry.year}年度 {entry.unit}，{entry.status}"])
                item.setForeground(1, QBrush(QColor(STATUS_COLORS["ok"])))
            else:
                item = QTreeWidgetItem([o.path.name, f"无法导入（{len(o.problems)} 个问题）"])
                item.setForeground(1, QBrush(QColor(STATUS_COLORS["error"])))
                for problem in o.problems:
                    child = QTreeWidgetItem(["", problem])
                    child.setToolTip(1, plain_tip(problem))
                    item.addChild(child)
            item.setToolTip(0, plain_tip(str(o.path)))
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
        close = QPushButton("确定")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)


class DraftsDialog(QDialog):
    """The drafts manager: 草稿 and 回收站 tabs, each with its actions."""

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 on_open: Callable[[str], None] | None = None,
                 on_restored: Callable[[str, Report], None] | None = None,
                 current_id: str | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.on_open = on_open
        self.on_restored = on_restored
        self.current_id = current_id
        self.opened_id: str | None = None
        self.setObjectName("draftsDialog")
        self.setWindowTitle("草稿管理")
        self.resize(980, 560)

        self.banner = QLabel("")
        self.banner.setObjectName("draftsBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)  # recovery notes name files
        self.banner.setStyleSheet(BANNER_STYLE)
        notes = ([store.read_only_reason] if store.read_only_reason else []) + list(store.recovery_notes)
        self.banner.setText("\n".join(n for n in notes if n))
        self.banner.setVisible(bool(self.banner.text()))

        self.search = QLineEdit()
        self.search.setObjectName("draftsSearch")
        self.search.setPlaceholderText("按名称、单位或年度筛选")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)

        self.drafts = _Table(DRAFT_COLUMNS, "draftsTable")
        self.drafts.itemDoubleClicked.connect(lambda *_: self.open_selected())
        self.drafts.itemSelectionChanged.connect(self._update_buttons)
        self.drafts.itemSelectionChanged.connect(self._update_carried)
        # For the one selected draft: how many paragraphs still carry last year's text.
        self.carried_label = QLabel("")
        self.carried_label.setObjectName("draftsCarried")
        self.carried_label.setWordWrap(True)
        self.carried_label.setTextFormat(Qt.TextFormat.PlainText)
        self.trash_table = _Table(TRASH_COLUMNS, "trashTable")
        self.trash_table.itemSelectionChanged.connect(self._update_buttons)

        self.buttons: dict[str, QPushButton] = {}
        drafts_side = self._button_column([
            ("open", "打开", self.open_selected), ("new", "新建…", self.new_report),
            ("next_year", "新建下一年度报告", self.next_year), ("duplicate", "复制", self.duplicate),
            ("rename", "重命名…", self.rename), ("history", "历史版本…", self.show_history),
            ("delete", "删除…", self.delete_selected), None,
            ("import", "导入…", self.import_files), ("export", "导出…", self.export_selected),
        ])
        trash_side = self._button_column([
            ("restore", "还原", self.restore_selected), ("purge", "彻底删除…", self.purge_selected),
        ])

        drafts_page = QWidget()
        dl = QVBoxLayout(drafts_page)
        dl.addWidget(self.search)
        row = QHBoxLayout()
        row.addWidget(self.drafts, 1)
        row.addLayout(drafts_side)
        dl.addLayout(row, 1)
        dl.addWidget(self.carried_label)
        trash_page = QWidget()
        tl = QVBoxLayout(trash_page)
        hint = QLabel("删除的报告先放在回收站里，可以还原；彻底删除后无法找回。")
        hint.setProperty("role", "hint")
        tl.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(self.trash_table, 1)
        row.addLayout(trash_side)
        tl.addLayout(row, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("draftsTabs")
        self.tabs.addTab(drafts_page, "草稿")
        self.tabs.addTab(trash_page, "回收站")

        self.status = QLabel("")
        self.status.setObjectName("draftsStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        where = QLabel(f"草稿库位置：{store.folder}")
        where.setTextFormat(Qt.TextFormat.PlainText)
        where.setProperty("role", "hint")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(where)
        layout.addLayout(bottom)
        self.refresh()

    def _button_column(self, spec: list[tuple[str, str, Callable[[], object]] | None]) -> QVBoxLayout:
        column = QVBoxLayout()
        for item in spec:
            if item is None:
                column.addSpacing(16)
                continue
            key, text, slot = item
            button = QPushButton(text)
            button.setObjectName(f"drafts_{key}")
            button.clicked.connect(lambda _checked=False, s=slot: s())
            column.addWidget(button)
            self.buttons[key] = button
        column.addStretch(1)
        return column

    # -- filling the tables -----------------------------------------------------------------------

    def refresh(self, select: list[str] | None = None) -> None:
        entries = self.store.list()
        trashed = self.store.trash()
        self._fill(self.drafts, entries, trash=False)
        self._fill(self.trash_table, trashed, trash=True)
        self.tabs.setTabText(0, f"草稿（{len(entries)}）")
        self.tabs.setTabText(1, f"回收站（{len(trashed)}）")
        if select:
            self.drafts.select_ids(select)
            self.trash_table.select_ids(select)
        elif self.current_id and not self.drafts.selected_ids():
            self.drafts.select_ids([self.current_id])
        self._filter(self.search.text())
        self._update_buttons()

    def _fill(self, table: _Table, entries: list[Entry], *, trash: bool) -> None:
        table.setSortingEnabled(False)
        table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            name = QTableWidgetItem(e.display_name + ("（正在编辑）" if e.id == self.current_id else ""))
            name.setData(Qt.ItemDataRole.UserRole, e.id)
            name.setToolTip(plain_tip(f"{e.title}\n编号：{e.id}"))  # a title is the clerk's text (#17 F8)
            when = e.deleted if trash and e.deleted else e.modified
            cells = [name, QTableWidgetItem(e.unit), QTableWidgetItem(f"{e.year}"),
                     QTableWidgetItem(f"{when:%Y-%m-%d %H:%M}")]
            if not trash:
                status = QTableWidgetItem(e.status)
                kind = "error" if e.errors else "warning" if e.warnings else "ok"
                status.setForeground(QBrush(QColor(STATUS_COLORS[kind])))
                cells.append(status)
            for col, item in enumerate(cells):
                table.setItem(row, col, item)

    def _filter(self, text: str) -> None:
        words = text.split()
        for row in range(self.drafts.rowCount()):
            haystack = " ".join(self.drafts.item(row, c).text() for c in range(3))
            self.drafts.setRowHidden(row, not all(w in haystack for w in words))

    def _update_buttons(self) -> None:
        picked = len(self.drafts.selected_ids())
        writable = not self.store.read_only
        enable = {
            "open": picked == 1, "new": writable, "next_year": writable and picked == 1,
            "duplicate": writable and picked == 1, "rename": writable and picked == 1,
            "history": picked == 1, "delete": writable and picked >= 1, "import": writable,
            "export": picked >= 1,
            "restore": writable and bool(self.trash_table.selected_ids()),
            "purge": writable and bool(self.trash_table.selected_ids()),
        }
        for key, on in enable.items():
            self.buttons[key].setEnabled(on)

    def _update_carried(self) -> None:
        report_id = self._one()
        text = ""
        if report_id is not None:
            try:
                report = self.store.load(report_id)
                count = carried_count(report, self.store.previous_for(report, exclude=report_id))
            except ReportError:
                count = 0
            if count:
                text = (f"所选报告有 {count} 段文字仍沿用上年报告（与上年相同，或仍把上一年写作本年），"
                        "打开后这些段落有底色标记，请逐段改写。")
        self.carried_label.setText(text)
        self.carried_label.setStyleSheet(f"QLabel {{ color: {STATUS_COLORS['warning']}; }}" if text else "")

    def _one(self) -> str | None:
        ids = self.drafts.selected_ids()
        return ids[0] if len(ids) == 1 else None

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _guard(self, action: Callable[[], object], title: str) -> bool:
        """Run a store action; a failure becomes a Chinese message box, never a traceback."""
        try:
            action()
        except ReportError as err:
            self.error(title, err)
            return False
        return True

    # -- actions ----------------------------------------------------------------------------------

    def open_selected(self) -> None:
        report_id = self._one()
        if report_id is None:
            return
        self.opened_id = report_id
        if self.on_open is not None:
            self.on_open(report_id)
        self.accept()

    def new_report(self) -> None:
        recent = self.store.list()
        unit = self.ask_text("新建报告", "单位名称：", recent[0].unit if recent else "")
        if unit is None:
            return
        report = Report.new(unit=unit.strip(), year=default_report_year())
        created: list[str] = []
        if self._guard(lambda: created.append(self.store.create(report)), "无法新建报告"):
            self.refresh(select=created)
            self.open_selected()

    def next_year(self) -> None:
        report_id = self._one()
        if report_id is None:
            return
        entry = self.store.entry(report_id)
        clash = next_year_clash(self.store, report_id)
        if clash is not None and not self.confirm(
                "新建下一年度报告",
                f"草稿库中已有“{entry.unit}”{entry.year + 1} 年度的报告（{clash.display_name}）。仍要再新建一份吗？",
                "新建"):
            return
        created: list[str] = []
        if self._guard(lambda: created.append(self.store.next_year(report_id)), "无法新建下一年度报告"):
            self.refresh(select=created)
            self._say(f"已新建 {entry.year + 1} 年度报告：沿用了单位和文字内容；上年结转已按 {entry.year} 年度的"
                      f"结转数填好，表二的现行有效数以 {entry.year} 年度为基数。")

    def duplicate(self) -> None:
        report_id = self._one()
        if report_id is None:
            return
        created: list[str] = []
        if self._guard(lambda: created.append(self.store.duplicate(report_id)), "无法复制报告"):
            self.refresh(select=created)
            self._say("已复制。")

    def rename(self) -> None:
        report_id = self._one()
        if report_id is None:
            return
        entry = self.store.entry(report_id)
        name = self.ask_text("重命名", "在草稿列表中显示的名称（留空则显示报告标题）：", entry.display_name)
        if name is None:
            return
        if self._guard(lambda: self.store.rename(report_id, "" if name.strip() == entry.title else name),
                       "无法重命名"):
            self.refresh(select=[report_id])

    def show_history(self) -> None:
        report_id = self._one()
        if report_id is None:
            return

        def restored(report: Report) -> None:
            if self.on_restored is not None:
                self.on_restored(report_id, report)

        dialog = HistoryDialog(self.store, report_id, self, on_restored=restored)
        dialog.exec()
        self.refresh(select=[report_id])

    def delete_selected(self) -> None:
        ids = self.drafts.selected_ids()
        if not ids:
            return
        names = "、".join(self.store.entry(i).display_name for i in ids[:3]) + ("等" if len(ids) > 3 else "")
        extra = "\n\n其中包括正在编辑的报告。" if self.current_id in ids else ""
        if not self.confirm("删除报告", f"把 {len(ids)} 份报告（{names}）移到回收站？\n可以在“回收站”中还原。{extra}",
                            "删除"):
            return
        if self._guard(lambda: [self.store.delete(i) for i in ids], "无法删除"):
            self.refresh()
            self._say(f"已把 {len(ids)} 份报告移到回收站。")

    def restore_selected(self) -> None:
        ids = self.trash_table.selected_ids()
        if ids and self._guard(lambda: [self.store.restore(i) for i in ids], "无法还原"):
            self.refresh(select=ids)
            self.tabs.setCurrentIndex(0)
            self._say(f"已还原 {len(ids)} 份报告。")

    def purge_selected(self) -> None:
        ids = self.trash_table.selected_ids()
        if not ids:
            return
        if not self.confirm("彻底删除", f"彻底删除 {len(ids)} 份报告及其全部历史版本？此操作无法撤销。", "彻底删除"):
            return
        if self._guard(lambda: [self.store.purge(i) for i in ids], "无法彻底删除"):
            self.refresh()
            self._say(f"已彻底删除 {len(ids)} 份报告。")

    def import_files(self) -> None:
        paths = self.ask_open_files()
        if not paths:
            return
        outcomes: list[ImportOutcome] = []
        if not self._guard(lambda: outcomes.extend(self.store.import_files(paths)), "无法导入"):
            return
        self.refresh(select=[o.id for o in outcomes if o.id])
        ok = sum(1 for o in outcomes if o.ok)
        self._say(f"导入 {len(outcomes)} 个文件：成功 {ok} 个，失败 {len(outcomes) - ok} 个。")
        self.show_import_result(outcomes)

    def export_selected(self) -> None:
        ids = self.drafts.selected_ids()
        if not ids:
            return
        if len(ids) == 1:
            entry = self.store.entry(ids[0])
            path = self.ask_save_file(f"{safe_file_name(entry.display_name)}.json")
            if path and self._guard(lambda: self.store.export(ids[0], path), "无法导出"):
                self._say(f"已导出到 {path}")
            return
        folder = self.ask_folder()
        if not folder:
            return
        written: list[Path] = []
        for report_id, target in zip(ids, export_names(self.store, ids, Path(folder)), strict=True):
            if not self._guard(lambda t=target, r=report_id: self.store.export(r, t), "无法导出"):
                break
            written.append(target)
        self._say(f"已导出 {len(written)} 份报告到 {folder}")

    # -- questions to the clerk (tests replace these) ---------------------------------------------

    def ask_text(self, title: str, label: str, default: str) -> str | None:
        return ask_text(self, title, label, default)

    def ask_open_files(self) -> list[str]:
        return [str(p) for p in ask_open_paths(self, "导入年报交换文件（可多选）", str(Path.home()))]

    def ask_save_file(self, suggested: str) -> str | None:
        path = ask_save_path(self, "导出为年报交换文件", str(Path.home() / suggested))
        return str(path) if path is not None else None

    def ask_folder(self) -> str | None:
        folder = ask_folder(self, "选择导出到的文件夹", str(Path.home()))
        return str(folder) if folder is not None else None

    def confirm(self, title: str, text: str, yes: str) -> bool:
        return confirm(self, title, text, yes)

    def show_import_result(self, outcomes: list[ImportOutcome]) -> None:
        ImportResultDialog(outcomes, self.store, self).exec()

    def error(self, title: str, err: ReportError) -> None:
        message(self, Icon.Critical, title, "\n".join(err.lines()))
