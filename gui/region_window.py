"""汇总: the county office's window — every unit's report of a year, checked, searchable, summed.

Reading and checking 500 reports takes seconds; the window never waits for it. Files are read
and checked in a worker thread (one report per step, progress shown); the drafts store, which
the main window also writes, is read in slices on the GUI thread instead. All arithmetic and
rules are in ``core.region``; this module only shows them.

The main window opens it with :func:`open_region_window` (menu 工具 › 汇总…).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, QSortFilterProxyModel, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.errors import ReportError
from core.findings import SEVERITY_LABELS, summary
from core.region.batch import (
    BAD_SKIPPED,
    STATUS_ERRORS,
    STATUS_MISSING,
    STATUS_PASSED,
    STATUS_WARNINGS,
    STATUSES,
    BadInput,
    BatchResult,
    LoadedReport,
    Progress,
    UnitResult,
    check_steps,
    default_year,
    load_steps,
    locate,
    ordered_findings,
    store_steps,
)
from core.region.roster import RosterUnit
from core.session import safe_file_name
from core.store import Store
from gui.dialogs.files import ask_folder, ask_open_path, ask_save_path
from gui.screen import fit_on_screen

COLUMNS = ("单位", "简称", "年度", "状态", "错误", "提示", "第一个问题", "来源")
COL_UNIT, COL_SHORT, COL_YEAR, COL_STATUS, COL_ERRORS, COL_WARNINGS, COL_PROBLEM, COL_SOURCE = range(8)
ALL_STATUSES = "全部状态"
STATUS_COLOURS = {STATUS_MISSING: "#606060", STATUS_ERRORS: "#a00000", STATUS_WARNINGS: "#7a4a00",
                  STATUS_PASSED: "#1a6a1a"}
SLICE_SECONDS = 0.015   # work done per turn of the event loop when running in slices
PROGRESS_EVERY = 0.05   # a worker thread reports at most this often
GIL_SWITCH_SECONDS = 0.001
SORT_ROLE = Qt.ItemDataRole.UserRole
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
SETTINGS_UNIT = "region/unit"
SETTINGS_DIR = "region/lastDir"


# -- running the batch without freezing --------------------------------------------------------


class StepJob(QObject):
    """Runs a ``core.region`` step generator to its end, in a worker thread or in event-loop slices."""

    progressed = Signal(int, str, int, int)  # job number, what, done, out of
    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, steps: Generator[Progress, None, Any], number: int = 0) -> None:
        super().__init__()
        self.number = number
        self._steps = steps
        self._cancelled = False
        self._thread: QThread | None = None

    def cancel(self) -> None:
        self._cancelled = True

    # In a thread: the generator runs there; Qt queues the signals to the window's thread.
    def start_thread(self) -> None:
        # The worker is pure Python and holds the GIL between checks; a shorter switch interval
        # (5 ms by default) lets the window's thread take it back sooner for each event it handles.
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        self._thread = QThread()
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run_all)
        self._thread.start()

    def wait(self, ms: int = 10_000) -> None:
        if self._thread is not None:
            self._thread.wait(ms)

    def _run_all(self) -> None:
        try:
            self._run_steps()
        finally:
            # From here, not through a queued signal: the window waits for the thread to end.
            QThread.currentThread().quit()

    def _run_steps(self) -> None:
        last = 0.0
        try:
            while True:
                if self._cancelled:
                    self.failed.emit(self.number, "")
                    return
                phase, done, total = next(self._steps)
                now = time.perf_counter()
                if now - last >= PROGRESS_EVERY or done == total:
                    last = now
                    self.progressed.emit(self.number, phase, done, total)
        except StopIteration as stop:
            self.finished.emit(self.number, stop.value)
        except ReportError as err:
            self.failed.emit(self.number, str(err))
        except Exception as err:  # the window must say what went wrong, not die with the worker
            self.failed.emit(self.number, f"处理时出错：{type(err).__name__}: {err}")

    # In slices: a little work per turn of the event loop, on the window's own thread.
    def start_slices(self) -> None:
        QTimer.singleShot(0, self._slice)

    def _slice(self) -> None:
        if self._cancelled:
            self.failed.emit(self.number, "")
            return
        deadline = time.perf_counter() + SLICE_SECONDS
        try:
            while True:
                phase, done, total = next(self._steps)
                if time.perf_counter() >= deadline:
                    break
        except StopIteration as stop:
            self.finished.emit(self.number, stop.value)
            return
        except ReportError as err:
            self.failed.emit(self.number, str(err))
            return
        self.progressed.emit(self.number, phase, done, total)
        QTimer.singleShot(0, self._slice)


class UnitFilter(QSortFilterProxyModel):
    """Search by unit or short name, and show one status or all."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status = ""
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self._change(lambda: setattr(self, "text", "".join(text.split()).lower()))

    def set_status(self, status: str) -> None:
        self._change(lambda: setattr(self, "status", "" if status == ALL_STATUSES else status))

    def _change(self, apply: Callable[[], None]) -> None:
        # Qt 6.10 replaced invalidateFilter() by a begin/end pair; 6.8 and 6.9 only have the former.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            apply()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            apply()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        model = self.sourceModel()
        if self.status and model.index(row, COL_STATUS, parent).data(STATUS_ROLE) != self.status:
            return False
        if not self.text:
            return True
        names = (model.index(row, COL_UNIT, parent).data(), model.index(row, COL_SHORT, parent).data())
        return any(self.text in "".join(str(n or "").split()).lower() for n in names)


# -- the window ---------------------------------------------------------------------------------


class RegionWindow(QMainWindow):
    """Units of a folder (or of the drafts store) for a year: status, search, read-only view, sum."""

    loaded = Signal()  # a batch is on screen (tests and the benchmark wait for it)

    def __init__(self, store: Store | None = None, *, on_open_draft: Callable[[str], object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regionWindow")
        self.setWindowTitle("汇总 — 各单位年报")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.store = store
        self.on_open_draft = on_open_draft
        self.sources: list[Path] = []
        self.from_store = False
        self.roster: list[RosterUnit] | None = None
        self.roster_path: Path | None = None
        self.loaded_reports: list[LoadedReport] = []
        self.bad_inputs: list[BadInput] = []
        self.batch: BatchResult | None = None
        self.last_message: tuple[str, str] | None = None
        self.viewers: list[ReportViewDialog] = []
        self._job: StepJob | None = None
        self._job_done: Callable[[Any], None] | None = None
        self._jobs_started = 0
        self._recheck = QTimer(self, singleShot=True, interval=300)
        self._recheck.timeout.connect(self.check_year)
        self._build()
        self.resize(1200, 720)
        fit_on_screen(self)  # a 1366×768 or 1280×720 office screen: keep the buttons reachable

    # -- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        bar = QToolBar("汇总")
        bar.setObjectName("regionToolBar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.open_folder_button = self._button(bar, "打开文件夹…", self.choose_folder, "openFolderButton")
        self.open_store_button = self._button(bar, "读取草稿库", self.load_store, "openStoreButton")
        self.open_store_button.setEnabled(self.store is not None)
        self.roster_button = self._button(bar, "应报送名单…", self.choose_roster, "rosterButton")
        bar.addSeparator()
        bar.addWidget(QLabel(" 年度 "))
        self.year_box = QSpinBox()
        self.year_box.setObjectName("yearBox")
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(time.localtime().tm_year - 1)
        self.year_box.valueChanged.connect(lambda _v: self._recheck.start())
        bar.addWidget(self.year_box)
        bar.addSeparator()
        self.sum_button = self._button(bar, "生成汇总报告", self.make_sum_draft_interactive, "makeSumButton")
        self.excel_button = self._button(bar, "导出 Excel", self.export_excel_interactive, "exportExcelButton")

        body = QWidget()
        lay = QVBoxLayout(body)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("按单位名称或简称搜索")
        self.search.setClearButtonEnabled(True)
        filters.addWidget(self.search, 2)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItems([ALL_STATUSES, *STATUSES])
        filters.addWidget(self.status_filter)
        filters.addWidget(QLabel("汇总单位"))
        self.unit_edit = QLineEdit(str(QSettings().value(SETTINGS_UNIT, "") or ""))
        self.unit_edit.setObjectName("sumUnitEdit")
        self.unit_edit.setPlaceholderText("例如：某县人民政府办公室")
        filters.addWidget(self.unit_edit, 1)
        lay.addLayout(filters)

        self.headline = QLabel("请打开存放各单位年报的文件夹，或读取草稿库。")
        self.headline.setObjectName("regionHeadline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.headline)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = UnitFilter(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_text)
        self.status_filter.currentTextChanged.connect(self.proxy.set_status)
        self.table = QTableView()
        self.table.setObjectName("unitTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_PROBLEM, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_UNIT, 220), (COL_SHORT, 80), (COL_YEAR, 50), (COL_STATUS, 150),
                           (COL_ERRORS, 44), (COL_WARNINGS, 44), (COL_SOURCE, 200)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(self._open_index)
        self.table.installEventFilter(self)  # Enter opens the selected unit, as a double-click does
        self.table.sortByColumn(COL_STATUS, Qt.SortOrder.AscendingOrder)

        self.bad_list = QListWidget()
        self.bad_list.setObjectName("badInputs")
        self.bad_list.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.bad_list)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)
        self.setCentralWidget(body)

        self.progress = QProgressBar()
        self.progress.setObjectName("regionProgress")
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self._update_actions()

    @staticmethod
    def _button(bar: QToolBar, text: str, slot: Callable[[], object], name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        bar.addWidget(button)
        return button

    def _update_actions(self) -> None:
        has = self.batch is not None and bool(self.batch.results or self.batch.missing)
        self.excel_button.setEnabled(has)
        self.sum_button.setEnabled(self.batch is not None and bool(self.batch.results))

    # -- loading ----------------------------------------------------------------------------------

    def choose_folder(self) -> None:
        start = str(QSettings().value(SETTINGS_DIR, "") or "")
        folder = ask_folder(self, "选择存放各单位年报的文件夹", start)
        if folder is not None:
            QSettings().setValue(SETTINGS_DIR, str(folder))
            self.open_paths([folder])

    def open_paths(self, paths: list[Path]) -> None:
        """Read every report under ``paths`` in a worker thread, then check the chosen year."""
        self.sources, self.from_store = list(paths), False
        where = "、".join(str(p) for p in paths)
        self._start(load_steps(paths), self._files_loaded, thread=True, what=f"正在读取 {where}")

    def load_store(self) -> None:
        if self.store is None:
            return
        self.sources, self.from_store = [self.store.folder], True
        # The main window may be writing the store: read it on this thread, a slice at a time.
        self._start(store_steps(self.store), self._files_loaded, thread=False, what="正在读取草稿库")

    def _start(self, steps: Generator[Progress, None, Any], done: Callable[[Any], None], *, thread: bool,
               what: str) -> None:
        self.cancel()
        self._jobs_started += 1
        job = StepJob(steps, self._jobs_started)
        self._job, self._job_done = job, done
        # Bound to the window: Qt delivers a worker thread's signals on the window's thread.
        job.progressed.connect(self._progress)
        job.finished.connect(self._finished)
        job.failed.connect(self._failed)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.statusBar().showMessage(what)
        if thread:
            job.start_thread()
        else:
            job.start_slices()

    @property
    def busy(self) -> bool:
        return self._job is not None

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job.wait()
            self._job = None

    def _progress(self, number: int, phase: str, done: int, total: int) -> None:
        if self._job is None or number != self._job.number:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{phase} {done}/{total}")

    def _take_job(self, number: int) -> Callable[[Any], None] | None:
        job = self._job
        if job is None or number != job.number:
            return None  # a job the clerk replaced by a newer one
        job.wait()
        self._job = None
        self.progress.hide()
        return self._job_done

    def _finished(self, number: int, value: Any) -> None:
        done = self._take_job(number)
        if done is not None:
            done(value)

    def _failed(self, number: int, text: str) -> None:
        if self._take_job(number) is not None and text:
            self.statusBar().showMessage(text)
            self.inform("无法读取", text, icon=QMessageBox.Icon.Warning)

    def _files_loaded(self, value: tuple[list[LoadedReport], list[BadInput]]) -> None:
        self.loaded_reports, self.bad_inputs = value
        year = default_year(self.loaded_reports)
        if year is not None:
            self.year_box.blockSignals(True)
            self.year_box.setValue(year)
            self.year_box.blockSignals(False)
        self.check_year()

    def check_year(self) -> None:
        """Check the loaded reports of the chosen year (again, after the year or the roster changed)."""
        self._recheck.stop()
        if not self.loaded_reports and not self.bad_inputs and not self.roster:
            return
        steps = check_steps(self.loaded_reports, self.bad_inputs, year=self.year_box.value(), roster=self.roster)
        self._start(steps, self.show_batch, thread=True, what=f"正在校验 {self.year_box.value()} 年度的报告")

    def choose_roster(self) -> None:
        start = str(QSettings().value(SETTINGS_DIR, "") or "")
        path = ask_open_path(self, "选择应报送单位名单", start,
                             name_filter="单位名单 (*.csv *.xlsx *.txt);;所有文件 (*)")
        if path is not None:
            self.set_roster(path)

    def set_roster(self, path: Path) -> bool:
        from core.region.roster import read_roster

        try:
            self.roster = read_roster(path)
        except ReportError as err:
            self.inform("名单无法读取", str(err), icon=QMessageBox.Icon.Warning)
            return False
        self.roster_path = path
        self.roster_button.setText(f"名单：{len(self.roster)} 个单位")
        self.check_year()
        return True

    # -- showing ----------------------------------------------------------------------------------

    def show_batch(self, batch: BatchResult) -> None:
        self.batch = batch
        counts = batch.counts()
        source = "草稿库" if self.from_store else "、".join(str(p) for p in self.sources)
        self.headline.setText(f"{batch.year or self.year_box.value()} 年度（{source}）：共 "
                              f"{len(batch.results) + len(batch.missing)} 个单位，"
                              + "，".join(f"{s} {counts[s]}" for s in STATUSES)
                              + (f"；另有 {batch.other_years} 份其他年度的报告" if batch.other_years else ""))
        sorting = self.table.isSortingEnabled()
        self.table.setSortingEnabled(False)
        self.model.setRowCount(0)
        rows = [self._row(r) for r in batch.results]
        rows += [self._missing_row(u, batch.year) for u in batch.missing]
        for row in rows:
            self.model.appendRow(row)
        self.table.setSortingEnabled(sorting)
        self.bad_list.clear()
        for b in batch.bad:
            kind = "已跳过" if b.kind == BAD_SKIPPED else "无法使用"
            QListWidgetItem(f"{kind}：{b.path}：{b.reason}", self.bad_list)
        self.bad_list.setVisible(bool(batch.bad))
        self.statusBar().showMessage(f"已校验 {len(batch.results)} 份报告", 5000)
        self._update_actions()
        self.loaded.emit()

    @staticmethod
    def _item(text: object, sort: object | None = None, colour: str | None = None) -> QStandardItem:
        item = QStandardItem("" if text is None else str(text))
        item.setData(text if sort is None else sort, SORT_ROLE)
        if colour:
            item.setForeground(QBrush(QColor(colour)))
        return item

    def _row(self, r: UnitResult) -> list[QStandardItem]:
        status = r.status if r.in_roster else f"{r.status}（不在名单中）"
        # Status sorts in the office's order of urgency (未提交, 有错误, 有提示, 通过), not alphabetically.
        row = [self._item(r.unit), self._item(r.short), self._item(r.year),
               self._item(status, STATUSES.index(r.status)),
               self._item(r.errors), self._item(r.warnings), self._item(r.first_problem),
               self._item(r.where or str(r.path))]
        row[COL_STATUS].setForeground(QBrush(QColor(STATUS_COLOURS[r.status])))
        row[COL_STATUS].setData(r.status, STATUS_ROLE)
        row[COL_UNIT].setData(r, RESULT_ROLE)
        return row

    def _missing_row(self, unit: RosterUnit, year: int | None) -> list[QStandardItem]:
        row = [self._item(unit.name), self._item(unit.short), self._item(year),
               self._item(STATUS_MISSING, STATUSES.index(STATUS_MISSING)),
               self._item(None, -1), self._item(None, -1), self._item("名单中有、尚未收到本年度报告"), self._item("")]
        row[COL_STATUS].setForeground(QBrush(QColor(STATUS_COLOURS[STATUS_MISSING])))
        row[COL_STATUS].setData(STATUS_MISSING, STATUS_ROLE)
        return row

    def visible_units(self) -> list[str]:
        return [self.proxy.index(i, COL_UNIT).data() for i in range(self.proxy.rowCount())]

    # -- opening a unit's report read-only ----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._open_index(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        result = self.proxy.index(index.row(), COL_UNIT).data(RESULT_ROLE)
        if isinstance(result, UnitResult):
            self.open_result(result)
        else:
            self.statusBar().showMessage("这个单位尚未提交本年度报告", 5000)

    def open_result(self, result: UnitResult) -> ReportViewDialog:
        viewer = ReportViewDialog(result, self)
        self.viewers = [v for v in self.viewers if v.isVisible()] + [viewer]
        viewer.show()
        return viewer

    # -- the sum ------------------------------------------------------------------------------------

    def sum_unit(self) -> str:
        return " ".join(self.unit_edit.text().split())

    def build_sum(self):  # type: ignore[no-untyped-def]
        from core.region.sum import build_sum

        assert self.batch is not None
        QSettings().setValue(SETTINGS_UNIT, self.sum_unit())
        return build_sum(self.batch, unit=self.sum_unit(), year=self.batch.year)

    def make_sum_draft_interactive(self) -> None:
        if not self.sum_unit():
            self.unit_edit.setFocus()
            self.inform("请填写汇总单位", "请先在“汇总单位”框中填写汇总报告的单位名称，例如“某县人民政府办公室”。")
            return
        self.make_sum_draft()

    def make_sum_draft(self) -> str | None:
        """A new draft in the store whose tables are the sum; the window opens it when it can."""
        if self.batch is None or not self.batch.results:
            return None
        total = self.build_sum()
        if self.store is None or self.store.read_only:
            return self._save_sum_file(total)
        try:
            report_id = self.store.create(total.report, name=f"{total.report.unit}{total.year}年度汇总",
                                          version="由各单位报告汇总", kind="create")
        except ReportError as err:
            self.inform("无法新建汇总报告", str(err), icon=QMessageBox.Icon.Warning)
            return None
        self.inform("已生成汇总报告", "已在草稿库中新建汇总报告（正文待填写，第六部分有汇总说明）。\n\n"
                    + "\n".join(total.lines()))
        if self.on_open_draft is not None:
            self.on_open_draft(report_id)
        return report_id

    def _save_sum_file(self, total) -> str | None:  # type: ignore[no-untyped-def]
        from core.exchange import write_report

        start = Path(str(QSettings().value(SETTINGS_DIR, "") or Path.home()))
        name = f"{safe_file_name(total.report.effective_title)}.json"
        target = ask_save_path(self, "保存汇总报告", str(start / name))
        if target is None:
            return None
        path = str(target)
        try:
            write_report(total.report, path)
        except ReportError as err:
            self.inform("无法保存", str(err), icon=QMessageBox.Icon.Warning)
            return None
        self.inform("已保存汇总报告", f"已保存到 {path}（草稿库不可用，未新建草稿）。\n\n" + "\n".join(total.lines()))
        return path

    def export_excel_interactive(self) -> None:
        if self.batch is None:
            return
        folder = Path(str(QSettings().value(SETTINGS_DIR, "") or Path.home()))
        start = str(folder / f"{self.batch.year}年度各单位年报校验.xlsx")
        path = ask_save_path(self, "导出 Excel", start, name_filter="Excel 工作簿 (*.xlsx)", suffix=".xlsx")
        if path is not None:
            self.export_excel(path)

    def export_excel(self, path: Path) -> bool:
        from core.region.xlsx import write_workbook

        assert self.batch is not None
        total = self.build_sum() if self.sum_unit() and self.batch.results else None
        try:
            write_workbook(path, self.batch, total)
        except ReportError as err:
            self.inform("无法导出", str(err), icon=QMessageBox.Icon.Warning)
            return False
        sheets = "校验结果和汇总表" if total else "校验结果（填写“汇总单位”后还会有汇总表）"
        self.statusBar().showMessage(f"已导出 {path}：{sheets}", 10000)
        return True

    # -- messages -----------------------------------------------------------------------------------

    def inform(self, title: str, text: str, *, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
        """A message that does not block (the loading goes on); unit names stay plain text."""
        self.last_message = (title, text)
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.cancel()
        super().closeEvent(event)


# -- one unit's report, read-only ----------------------------------------------------------------


class ReportViewDialog(QDialog):
    """A unit's report as the clerk filled it in: findings, the three tables flagged, the prose.

    The main window's editor is built around one editable document with undo and autosave; making
    it read-only would touch all of that, so the office gets this viewer built from the same grids.
    """

    def __init__(self, result: UnitResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from gui.flags import apply_flag
        from gui.grids import build_table2, build_table3, build_table4

        self.result = result
        report = result.report
        tpl = report.template
        self.setObjectName("reportViewDialog")
        self.setWindowTitle(f"{report.effective_title}（只读）")
        self.resize(1000, 760)
        fit_on_screen(self)  # a 1366×768 or 1280×720 office screen: keep the buttons reachable
        lay = QVBoxLayout(self)
        head = QLabel(f"{report.effective_title}\n来源：{result.where or result.path}　"
                      f"{result.status}：{summary(result.findings)}")
        head.setTextFormat(Qt.TextFormat.PlainText)
        head.setWordWrap(True)
        lay.addWidget(head)
        self.findings = QListWidget()
        self.findings.setObjectName("viewFindings")
        self.findings.setWordWrap(True)
        for f in ordered_findings(report, result.findings):
            item = QListWidgetItem(f"[{SEVERITY_LABELS[f.severity]}] {locate(report, f)}{f.message}")
            item.setForeground(QBrush(QColor("#a00000" if f.severity == "error" else "#7a4a00")))
            self.findings.addItem(item)
        for note in result.notes:
            self.findings.addItem(QListWidgetItem(f"[读取说明] {note}"))
        if not result.findings and not result.notes:
            self.findings.addItem(QListWidgetItem("✓ 校验通过"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("viewTabs")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.findings)
        split.addWidget(self.tabs)
        split.setSizes([120, 560])
        lay.addWidget(split, 1)

        flags: dict[str, tuple[str, list[str]]] = {}
        for f in result.findings:
            for ref in f.cells:
                severity, messages = flags.get(ref, (f.severity, []))
                if f.severity == "error":
                    severity = "error"
                flags[ref] = (severity, [*messages, f.message])
        totals = report.totals()
        self.grids = {}
        builders = {"table2": build_table2, "table3": build_table3, "table4": build_table4}
        for section in tpl.sections:
            if section.kind == "table" and section.table in builders:
                grid = builders[section.table](tpl)
                grid.show_values(report)
                grid.show_totals(totals)
                for cell in grid.inputs.values():
                    cell.setReadOnly(True)
                for ref, (severity, messages) in flags.items():
                    widget = grid.widget_for(ref)
                    if widget is not None:
                        apply_flag(widget, severity, messages)
                self.grids[section.table] = grid
                area = QScrollArea()
                area.setWidgetResizable(True)
                area.setWidget(grid)
                self.tabs.addTab(area, section.heading)
            elif section.kind == "text":
                text = QPlainTextEdit()
                text.setReadOnly(True)
                parts = []
                for part in section.parts:
                    parts.append(f"{part.heading}\n{report.texts.get(part.ref, '')}" if part.heading
                                 else report.texts.get(part.ref, ""))
                text.setPlainText("\n\n".join(parts))
                self.tabs.addTab(text, section.heading)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)


def open_region_window(parent: QWidget | None = None, *, store: Store | None = None,
                       on_open_draft: Callable[[str], object] | None = None) -> RegionWindow:
    """What the main window's 工具 › 汇总… calls: a separate window on the same drafts store.

    ``on_open_draft(report_id)`` is called after 生成汇总报告 made a new draft, so the main window
    can open it (``MainWindow.open_draft``). The window is returned shown; keep a reference.
    """
    window = RegionWindow(store, on_open_draft=on_open_draft, parent=parent)
    window.setWindowFlag(Qt.WindowType.Window, True)
    window.show()
    return window
