"""Issue #17, the window's side: user text never rendered as markup (F8), the autosave all-clear (F14),
the last line of defence, a data folder with a report the rules choke on (F2), skipped history versions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QAction, QHelpEvent
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QMessageBox,
    QTabBar,
    QToolTip,
    QWidget,
)

from core.exchange import write_report
from core.plugins import ReadResult
from core.sample import full_report
from core.storage import StoreError
from core.store import Store
from gui.app import create_application, create_main_window
from gui.main_window import MainWindow

# Bold text, a live link, and an image Qt would read from a device that never ends (std::bad_alloc).
HOSTILE = '<b>粗</b><a href="http://x">点此</a><img src=/dev/zero>'
MARK = "<img src=/dev/zero>"


class Boxes:
    def __init__(self) -> None:
        self.shown: list[QMessageBox] = []
        self.texts: list[str] = []
        self.answer = QMessageBox.StandardButton.Ok

    def __call__(self, box: QMessageBox) -> int:
        self.shown.append(box)
        self.texts.append(f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}")
        assert_plain_box(box)
        return int(self.answer.value)


def assert_plain_box(box: QMessageBox) -> None:
    assert box.textFormat() == Qt.TextFormat.PlainText, box.text()
    informative = box.findChild(QLabel, "qt_msgbox_informativelabel")
    if informative is not None and informative.text():
        assert informative.textFormat() == Qt.TextFormat.PlainText, informative.text()


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    recorder = Boxes()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: recorder(box))
    monkeypatch.setattr(QMessageBox, "open", lambda box: recorder(box))
    return recorder


class Clock:
    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t


def open_window(qtbot, data: Path, path: Path | None = None, clock: Clock | None = None) -> MainWindow:  # type: ignore[no-untyped-def]
    create_application()
    win = create_main_window(path, data_dir=str(data), clock=clock or Clock())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def hostile_report(year: int = 2024):  # type: ignore[no-untyped-def]
    report = full_report(unit=f"{HOSTILE}局", year=year)
    report.title = f"{HOSTILE}年报"
    # Short prose is quoted in its finding (“只写了“…””), which becomes tooltips and list items.
    first = next(iter(report.template.texts))
    report.texts[first] = HOSTILE
    return report


# -- F8: the walk ---------------------------------------------------------------------------------


def _item_tips(view: QAbstractItemView) -> list[tuple[str, QPoint]]:
    """Every item tooltip of a list, table or tree, with the point over its item."""
    model = view.model()
    found: list[tuple[str, QPoint]] = []
    if model is None:
        return found
    stack = [view.rootIndex()]
    while stack:
        parent = stack.pop()
        try:
            columns = model.columnCount(parent)
        except TypeError:  # a list model's columnCount is private: one column
            columns = 1
        for row in range(model.rowCount(parent)):
            for col in range(columns):
                index = model.index(row, col, parent)
                tip = index.data(Qt.ItemDataRole.ToolTipRole)
                if tip:
                    found.append((str(tip), view.visualRect(index).center()))
            first = model.index(row, 0, parent)
            try:
                if model.hasChildren(first):
                    stack.append(first)
            except TypeError:  # a list model: no children
                pass
    return found


def renders_markup(text: str) -> bool:
    """Whether Qt would show ``text`` (a tooltip, an AutoText label) with the hostile markup live."""
    return MARK in text and GuiQt.mightBeRichText(text)


def walk(qtbot, top: QWidget) -> int:  # type: ignore[no-untyped-def]
    """Assert nothing under ``top`` shows the hostile text as rich text, then hover every tooltip.

    Returns how many widgets showed the hostile text (so a walk that found nothing fails).
    """
    seen = 0
    widgets = [top, *top.findChildren(QWidget)]
    hovers: list[tuple[QWidget, QPoint]] = []
    for widget in widgets:
        if isinstance(widget, QLabel) and "粗" in widget.text():
            seen += 1
            assert widget.textFormat() == Qt.TextFormat.PlainText, (widget.objectName(), widget.text())
        tip = widget.toolTip()
        if "粗" in tip:
            seen += 1
            assert not renders_markup(tip), (type(widget).__name__, widget.objectName(), tip)
            hovers.append((widget, widget.rect().center()))
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                assert not renders_markup(widget.tabToolTip(i))
        if isinstance(widget, QAbstractItemView):
            for text, point in _item_tips(widget):
                if "粗" in text:
                    seen += 1
                    assert not renders_markup(text), (widget.objectName(), text)
                    hovers.append((widget.viewport(), point))
    for action in top.findChildren(QAction):
        assert not renders_markup(action.toolTip())
    # Hover: what the mouse resting on the widget sends. A live <img src=/dev/zero> aborts here.
    for widget, point in hovers:
        if not widget.isVisible():
            continue
        event = QHelpEvent(QEvent.Type.ToolTip, point, widget.mapToGlobal(point))
        QApplication.sendEvent(widget, event)
        QApplication.processEvents()
        if QToolTip.isVisible():
            assert MARK not in QToolTip.text() or not GuiQt.mightBeRichText(QToolTip.text())
        QToolTip.hideText()
    return seen


def test_hostile_unit_title_and_prose_are_plain_text_in_every_widget(  # type: ignore[no-untyped-def]
        qtbot, boxes: Boxes, tmp_path: Path) -> None:
    from gui.ingest_review import IngestReviewDialog
    from gui.region_window import RegionWindow

    data = tmp_path / "草稿库"
    with Store.open(data) as store:
        store.create(hostile_report(2023))
        store.create(hostile_report(2024))
    win = open_window(qtbot, data)
    assert HOSTILE in win.document.report.unit
    assert HOSTILE in win.windowTitle()  # a window title is never rich text
    # Build every tab (grids, text pages, their finding marks) and show the findings.
    for i in range(win.editor.count()):
        win.editor.setCurrentIndex(i)
        qtbot.wait(1)
        walk(qtbot, win)
    # The rules quote at most a short statement of the prose; a finding that did quote the hostile
    # text would reach the findings list (item and tooltip) and the mark on its field.
    from core.findings import Finding
    from gui.flags import apply_flag

    text_ref = next(iter(win.template.texts))
    quoting = Finding("missing_text", "warning", (text_ref,), f"只写了“{HOSTILE}”")
    win.findings_panel.show_findings([quoting])
    apply_flag(win.editor.widget_for(text_ref), "warning", [quoting.message])
    win.editor.setCurrentIndex(win.editor.tab_of(text_ref))
    assert walk(qtbot, win) >= 2

    # 草稿管理, 历史版本
    drafts = win.drafts.drafts_dialog()
    qtbot.addWidget(drafts)
    drafts.show()
    assert walk(qtbot, drafts) >= 1
    drafts.close()
    win.files.save()  # a named version, so the history has one to preview
    history = win.drafts.history_dialog()
    qtbot.addWidget(history)
    history.show()
    walk(qtbot, history)
    assert MARK in history.preview.toPlainText()  # shown as the characters typed, not an image
    history.close()

    # 汇总 and a unit's report in it
    win.findChild(QAction, "actionRegion").trigger()
    region: RegionWindow = win.region_window
    with qtbot.waitSignal(region.loaded, timeout=20_000):
        region.load_store()
    walk(qtbot, region)
    assert region.batch is not None and region.batch.results
    viewer = region.open_result(region.batch.results[0])
    qtbot.addWidget(viewer)
    assert walk(qtbot, viewer) >= 1
    region.close()

    # The review of a published report
    report = hostile_report()
    review = IngestReviewDialog(ReadResult(report, problems=[HOSTILE], notes=[HOSTILE]), f"{HOSTILE}.html", win)
    qtbot.addWidget(review)
    review.show()
    assert walk(qtbot, review) >= 1
    review.close()

    # A question naming the report (a linked file changed since), answered 取消: plain text.
    exchange = tmp_path / "年报.json"
    write_report(hostile_report(), exchange)
    assert win.files.open_path(exchange)
    win.document.set_meta("published_on", None)
    boxes.answer = QMessageBox.StandardButton.Cancel
    assert win.files.maybe_save() is False
    assert HOSTILE in boxes.texts[-1]  # Boxes asserted it is shown as plain text
    boxes.answer = QMessageBox.StandardButton.Discard


def test_plain_tip_keeps_ordinary_tooltips_and_escapes_markup(qtbot) -> None:  # type: ignore[no-untyped-def]
    from gui.dialogs import plain_tip

    create_application()
    assert plain_tip("单击可转到相关单元格") == "单击可转到相关单元格"
    tip = plain_tip(f"{HOSTILE}\n第二行")
    assert MARK not in tip and "&lt;img src=/dev/zero&gt;" in tip
    label = QLabel()
    qtbot.addWidget(label)
    label.setText(tip)  # what the tooltip shows: the characters, not the markup
    assert label.textFormat() == Qt.TextFormat.AutoText
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setHtml(tip)
    assert doc.toPlainText() == f"{HOSTILE}\n第二行"


# -- F14: the all-clear after a failed autosave -----------------------------------------------------


def test_after_a_failed_autosave_recovers_the_window_no_longer_says_it_failed(  # type: ignore[no-untyped-def]
        qtbot, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    win = open_window(qtbot, tmp_path / "草稿库", clock=clock)
    real_save = win.store.save

    def disk_full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StoreError("磁盘空间不足")

    monkeypatch.setattr(win.store, "save", disk_full)
    cell = win.editor.widget_for("table2.licensing")
    win.editor.setCurrentIndex(win.editor.tab_of("table2.licensing"))
    cell.setFocus()
    qtbot.keyClicks(cell, "4")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)
    clock.t += 3
    win.autosave.tick()
    assert "自动保存失败" in win.store_label.text() and "自动保存失败" in win.statusBar().currentMessage()
    monkeypatch.setattr(win.store, "save", real_save)
    clock.t += 6
    win.autosave.tick()
    assert "自动保存失败" not in win.store_label.text()
    assert "自动保存失败" not in win.statusBar().currentMessage()
    assert "自动保存已恢复正常" in win.statusBar().currentMessage()
    assert not win.autosave.failing
    # The next ordinary save is an ordinary line again.
    qtbot.keyClicks(win.editor.widget_for("table2.licensing"), "5")
    clock.t += 3
    win.autosave.tick()
    assert "恢复正常" not in win.store_label.text()


# -- the last line of defence --------------------------------------------------------------------------


def test_an_error_in_a_slot_is_logged_told_in_chinese_and_the_drafts_kept(  # type: ignore[no-untyped-def]
        qtbot, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gui import crash

    data = tmp_path / "草稿库"
    clock = Clock()
    win = open_window(qtbot, data, clock=clock)
    rid = win.report_id
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back whatever pytest-qt had
    crash.install(win)
    # A pending edit, not yet autosaved, when the error strikes.
    cell = win.editor.widget_for("table2.licensing")
    win.editor.setCurrentIndex(win.editor.tab_of("table2.licensing"))
    cell.setFocus()
    qtbot.keyClicks(cell, "7")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)
    assert win.autosave.dirty
    typed = win.document.report.values["table2.licensing"]
    assert typed != 0

    def broken() -> None:
        raise ZeroDivisionError("division by zero")

    win.add_action(win.help_menu, "出错", broken, None, "actionBroken")
    win.findChild(QAction, "actionBroken").trigger()  # Qt calls the slot; the hook gets the error
    [box] = boxes.shown
    assert box.windowTitle() == "程序出错" and box.icon() == QMessageBox.Icon.Critical
    assert "程序遇到意外错误" in box.text() and "已保存的草稿不受影响" in box.text()
    logs = list((data / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in box.text()
    assert "ZeroDivisionError" in logs[0].read_text("utf-8") and "broken" in logs[0].read_text("utf-8")
    assert "ZeroDivisionError" not in box.text()  # the traceback is for the log, not the clerk
    # The pending edit is in the store, the store still the window's, and the window goes on.
    assert not win.autosave.dirty
    with Store.open(data, write=False) as reader:
        assert reader.load(rid).values["table2.licensing"] == typed
    assert win.store is not None and not win.store.read_only and win.isVisible()
    qtbot.keyClicks(win.editor.widget_for("table2.licensing"), "8")
    assert win.autosave.flush()


def test_the_program_installs_the_handler(qtbot, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """``run_app`` (what ``xxgk-report`` starts) puts the hook in place before the event loop."""
    from gui import app as app_module
    from gui import crash

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    started: list[object] = []
    monkeypatch.setattr(QApplication, "exec", lambda self: started.append(sys.excepthook) or 0)
    assert app_module.run_app(None, data_dir=str(tmp_path / "草稿库")) == 0
    assert started == [crash._hook]
    for window in list(crash._windows):
        window.drafts.close_store()
        window.close()


# -- F2: a data folder holding a report the rules cannot check -------------------------------------------


def test_the_window_starts_on_a_data_folder_with_a_report_the_rules_choke_on(  # type: ignore[no-untyped-def]
        qtbot, boxes: Boxes, tmp_path: Path) -> None:
    from core.cli import main

    source = tmp_path / "年报.json"
    report = full_report(unit="某区审计局", year=2024)
    first = next(iter(report.template.texts))
    report.texts[first] = "全年共收到申请" + "9" * 5000 + "件。"
    write_report(report, source)
    data = tmp_path / "草稿库"
    assert main(["import", str(source), "--data-dir", str(data)]) in (0, 1)  # 1: the report has errors
    win = open_window(qtbot, data)
    assert win.document.report.unit == "某区审计局" and win.report_id is not None
    assert "9" * 5000 in win.document.report.texts[first]  # the text is kept as written
    assert win.editor.findings is not None


def test_the_window_starts_when_a_stored_report_breaks_the_rules_outright(  # type: ignore[no-untyped-def]
        qtbot, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the next unforeseen input is: the store lists it as 无法校验 and the window opens."""
    import core.store

    data = tmp_path / "草稿库"
    with Store.open(data) as store:
        rid = store.create(full_report(unit="某区审计局"))
    (data / "index.json").unlink()
    for bak in data.glob("index.json.bak*"):
        bak.unlink()

    def choke(*args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")

    monkeypatch.setattr(core.store, "check", choke)
    win = open_window(qtbot, data)
    assert win.report_id == rid and win.document.report.unit == "某区审计局"


# -- 历史版本: versions that could not be listed ----------------------------------------------------------


def test_the_history_dialog_tells_of_skipped_bad_versions(qtbot, boxes: Boxes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gui.history_dialog import HistoryDialog

    data = tmp_path / "草稿库"
    with Store.open(data) as store:
        rid = store.create(full_report())
        store.add_version(rid, full_report())
        store.add_version(rid, full_report(seed=7))
    path = data / "history" / f"{rid}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    first = next(iter(doc["versions"].values()))
    first["document"]["year"] = "abc"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with Store.open(data) as store:
        dialog = HistoryDialog(store, rid)
        qtbot.addWidget(dialog)
        assert dialog.table.rowCount() == len(store.history(rid)) >= 1
        notice = dialog.notice.text()
        assert "1 个版本已损坏" in notice and "已跳过" in notice
        assert dialog.notice.isVisibleTo(dialog) and dialog.notice.textFormat() == Qt.TextFormat.PlainText


# -- suggested file names: the one rule ----------------------------------------------------------------


@pytest.mark.parametrize(("title", "expected"), [("CON", "_CON.json"), ("某局/年报:2024", "某局_年报_2024.json"),
                                                 ("  ..  ", "年度报告.json")])
def test_save_as_suggests_a_name_every_system_accepts(qtbot, boxes: Boxes, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch, title: str,
                                                      expected: str) -> None:
    from PySide6.QtWidgets import QFileDialog

    win = open_window(qtbot, tmp_path / "草稿库")
    win.document.set_meta("title", title)
    suggested: list[str] = []

    def look(dialog: QFileDialog) -> int:
        suggested.append(Path(dialog.selectedFiles()[0]).name)
        return 0

    monkeypatch.setattr(QFileDialog, "exec", look)
    assert win.files.save_as() is False
    assert suggested == [expected]
