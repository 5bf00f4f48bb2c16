"""The window on the drafts store: start-up, autosave, a second copy, drafts, history, next year, repair."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.exchange import read_report, write_report
from core.sample import full_report
from core.storage import StoreError
from core.store import VERSION_BEFORE_RESTORE, VERSION_SAVED, Store
from gui.app import create_application, create_main_window
from gui.main_window import MainWindow


class Boxes:
    """Every message box the window shows, answered without blocking."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.answer = QMessageBox.StandardButton.Ok

    def __call__(self, box: QMessageBox) -> int:
        self.shown.append(f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}")
        return int(self.answer.value)


class Clock:
    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    recorder = Boxes()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: recorder(box))
    return recorder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "草稿库"


def stamps(start: datetime):  # type: ignore[no-untyped-def]
    """A store clock that moves a minute per call: list order no longer depends on the real second."""
    t = [start]

    def now() -> datetime:
        t[0] += timedelta(minutes=1)
        return t[0]

    return now


def open_window(qtbot, data: Path, path: Path | None = None, clock: Clock | None = None) -> MainWindow:  # type: ignore[no-untyped-def]
    create_application()
    win = create_main_window(path, data_dir=str(data), clock=clock or Clock())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def type_into(qtbot, win: MainWindow, ref: str, text: str) -> None:  # type: ignore[no-untyped-def]
    widget = win.editor.widget_for(ref)
    win.tabs.setCurrentIndex(win.editor.tab_of(ref))
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def on_disk(data: Path, report_id: str):  # type: ignore[no-untyped-def]
    """What the store holds right now, read as the command line reads it (no lock, nothing changed)."""
    with Store.open(data, write=False) as store:
        return store.load(report_id)


def test_start_up_opens_the_most_recently_changed_draft(qtbot, boxes: Boxes, data: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(data, now=stamps(datetime(2026, 11, 1).astimezone())) as store:
        older = store.create(full_report(unit="某区教育局"))
        newer = store.create(full_report(unit="某区司法局"))
        report = store.load(older)
        report.texts["text.problems"] = "最后改的是这一份"
        store.save(older, report)
    win = open_window(qtbot, data)
    assert win.report_id == older and newer != older
    assert win.document.report.texts["text.problems"] == "最后改的是这一份"
    assert "草稿库" in win.windowTitle() and boxes.shown == []


def test_an_empty_store_starts_with_a_new_stored_draft(qtbot, boxes: Boxes, data: Path) -> None:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, data)
    assert win.report_id is not None
    with Store.open(data, write=False) as store:
        assert [e.id for e in store.list()] == [win.report_id]
    assert boxes.shown == []


def test_an_edit_is_on_disk_two_seconds_after_the_keystroke(qtbot, boxes: Boxes, data: Path) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    win = open_window(qtbot, data, clock=clock)
    rid = win.report_id
    type_into(qtbot, win, "table3.granted.natural", "41")
    assert win.isWindowModified()
    clock.t += 0.5
    win.autosave.tick()
    assert on_disk(data, rid).values["table3.granted.natural"] == 0  # still typing
    # Continuous typing, a key every 0.2 s and never a pause: on disk within 2 s all the same.
    cell = win.editor.widget_for("table3.granted.natural")
    start, saved_after = clock.t, None
    for k in range(15):
        qtbot.keyClick(cell, Qt.Key.Key_Backspace) if k % 2 == 0 else qtbot.keyClicks(cell, "2")
        clock.t += 0.2
        win.autosave.tick()
        if saved_after is None and on_disk(data, rid).values["table3.granted.natural"] != 0:
            saved_after = clock.t - start
    assert saved_after is not None and saved_after <= 2.0
    clock.t += 2
    win.autosave.tick()
    assert on_disk(data, rid).values["table3.granted.natural"] == win.document.report.values["table3.granted.natural"]
    assert "已自动保存" in win.store_label.text()
    assert not win.isWindowModified()  # a stored draft has nothing else to be saved to


def test_closing_flushes_without_asking(qtbot, boxes: Boxes, data: Path) -> None:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, data)
    rid = win.report_id
    type_into(qtbot, win, "table4.review.upheld", "9")
    assert win.close() is True
    assert boxes.shown == []
    assert on_disk(data, rid).values["table4.review.upheld"] == 9


def test_quitting_without_closing_the_window_keeps_the_edit_and_frees_the_store(  # type: ignore[no-untyped-def]
        qtbot, boxes: Boxes, data: Path) -> None:
    win = open_window(qtbot, data)
    rid = win.report_id
    type_into(qtbot, win, "table4.review.pending", "2")
    win.shut_down()  # what QApplication.aboutToQuit runs (logout, shutdown)
    assert on_disk(data, rid).values["table4.review.pending"] == 2
    with Store.open(data) as store:
        assert not store.read_only  # the lock was released
    win.document.mark_saved()


def test_a_failed_autosave_is_shown_retried_and_closing_offers_save_as(  # type: ignore[no-untyped-def]
        qtbot, boxes: Boxes, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    win = open_window(qtbot, data, clock=clock)
    rid = win.report_id
    real_save = win.store.save

    def disk_full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StoreError("磁盘已满")

    monkeypatch.setattr(win.store, "save", disk_full)
    type_into(qtbot, win, "table2.licensing", "4")
    clock.t += 3
    win.autosave.tick()
    assert "自动保存失败" in win.store_label.text() and "磁盘已满" in win.statusBar().currentMessage()
    assert win.isWindowModified()
    boxes.answer = QMessageBox.StandardButton.Cancel
    assert win.close() is False
    assert "没能保存到草稿库" in boxes.shown[-1] and "另存为" in boxes.shown[-1]
    # The disk has room again: the retry saves it.
    monkeypatch.setattr(win.store, "save", real_save)
    clock.t += 6
    win.autosave.tick()
    assert on_disk(data, rid).values["table2.licensing"] == 4
    assert "已自动保存" in win.store_label.text()


def test_a_second_window_is_read_only_says_so_and_does_not_write(qtbot, boxes: Boxes, data: Path) -> None:  # type: ignore[no-untyped-def]
    first = open_window(qtbot, data)
    rid = first.report_id
    second = open_window(qtbot, data)
    qtbot.waitUntil(lambda: bool(boxes.shown))
    assert "草稿库只读" in boxes.shown[0] and "另一个正在运行" in boxes.shown[0] and "另存为" in boxes.shown[0]
    assert len(boxes.shown) == 1  # said once
    assert "只读" in second.windowTitle() and "只读" in second.store_label.text()
    assert second.report_id == rid  # shows the same draft, to look at
    before = (data / "reports" / f"{rid}.json").read_bytes()
    type_into(qtbot, second, "table2.licensing", "77")
    second.autosave.tick()
    # Closing asks to 另存为 rather than dropping the change; cancel keeps the window.
    boxes.answer = QMessageBox.StandardButton.Cancel
    assert second.close() is False
    assert "另存为" in boxes.shown[-1] and "不会保存到草稿库" in boxes.shown[-1]
    boxes.answer = QMessageBox.StandardButton.Discard
    assert second.close() is True
    assert (data / "reports" / f"{rid}.json").read_bytes() == before
    first.close()


def test_opening_a_draft_from_the_manager_switches_the_document(qtbot, boxes: Boxes, data: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(data, now=stamps(datetime(2026, 11, 1).astimezone())) as store:
        target = store.create(full_report(unit="某区司法局"))
        first = store.create(full_report(unit="某区教育局"))
    clock = Clock()
    win = open_window(qtbot, data, clock=clock)
    assert win.report_id == first
    type_into(qtbot, win, "table2.licensing", "5")  # pending, not yet autosaved
    dialog = win.drafts.drafts_dialog()
    qtbot.addWidget(dialog)
    dialog.drafts.select_ids([target])
    dialog.open_selected()
    assert win.report_id == target
    assert win.document.report.unit == on_disk(data, target).unit == "某区司法局"
    assert "某区司法局" in win.windowTitle() and "某区教育局" not in win.windowTitle()
    assert win.autosave.report_id == target
    assert on_disk(data, first).values["table2.licensing"] == 5  # flushed before switching
    # Edits now go to the opened draft.
    type_into(qtbot, win, "table2.licensing", "8")
    clock.t += 3
    win.autosave.tick()
    assert on_disk(data, target).values["table2.licensing"] == 8
    assert on_disk(data, first).values["table2.licensing"] == 5


def test_restoring_a_version_can_be_undone(qtbot, boxes: Boxes, data: Path) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    win = open_window(qtbot, data, clock=clock)
    rid = win.report_id
    type_into(qtbot, win, "table4.review.upheld", "3")
    assert win.files.save()  # Ctrl+S: a named version
    type_into(qtbot, win, "table4.review.upheld", "6")
    dialog = win.drafts.history_dialog()
    qtbot.addWidget(dialog)
    dialog.confirm = lambda text: True
    assert dialog.versions[0].label == VERSION_SAVED
    dialog.table.selectRow(0)
    assert dialog.restore_selected()
    assert win.document.report.values["table4.review.upheld"] == 3
    assert win.editor.widget_for("table4.review.upheld").value() == 3
    assert on_disk(data, rid).values["table4.review.upheld"] == 3
    # What was on screen (6, typed but not yet autosaved) was kept first: restore it back.
    assert dialog.versions[0].label == VERSION_BEFORE_RESTORE
    dialog.table.selectRow(0)
    assert dialog.restore_selected()
    assert win.document.report.values["table4.review.upheld"] == 6
    # And in the window, Ctrl+Z takes a restore back; autosave stores the result.
    dialog.table.selectRow(dialog.versions.index(next(v for v in dialog.versions if v.label == VERSION_SAVED)))
    assert dialog.restore_selected()
    assert win.document.report.values["table4.review.upheld"] == 3
    win.editor.undo()
    assert win.document.report.values["table4.review.upheld"] == 6
    assert win.editor.widget_for("table4.review.upheld").value() == 6
    clock.t += 3
    win.autosave.tick()
    assert on_disk(data, rid).values["table4.review.upheld"] == 6
    win.editor.redo()
    assert win.document.report.values["table4.review.upheld"] == 3


def test_next_year_carries_over_and_cross_year_warnings_show_in_the_window(  # type: ignore[no-untyped-def]
        qtbot, boxes: Boxes, data: Path) -> None:
    last = full_report(year=2020)
    with Store.open(data) as store:
        store.create(last)
    win = open_window(qtbot, data)
    assert win.document.report.year == 2020
    win.drafts.new_next_year()
    report = win.document.report
    assert report.year == 2021 and report.unit == last.unit
    forward = last.values["table3.carried_forward.natural"]
    assert report.values["table3.carried_over.natural"] == forward
    assert win.editor.widget_for("table3.carried_over.natural").value() == forward
    assert win.document.previous is not None and win.document.previous.year == 2020
    assert not [f for f in win.editor.findings if f.rule == "cross_year"]
    type_into(qtbot, win, "table3.carried_over.natural", str(forward + 2))
    [finding] = [f for f in win.editor.findings if f.rule == "cross_year"]
    assert "相差 2" in finding.message and "2020 年度" in finding.message
    assert win.editor.widget_for("table3.carried_over.natural").property("finding") in ("warning", "error")
    # Changing the year away from 2021 drops last year's comparison.
    win.document.set_meta("year", 2023)
    assert win.document.previous is None
    assert not [f for f in win.editor.findings if f.rule == "cross_year"]


def test_a_damaged_store_is_repaired_said_and_usable(qtbot, boxes: Boxes, data: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(data) as store:
        report = full_report()
        rid = store.create(report)
        report.texts["text.problems"] = "第二稿"
        store.save(rid, report)
    path = data / "reports" / f"{rid}.json"
    path.write_bytes(path.read_bytes()[:-40])
    clock = Clock()
    win = open_window(qtbot, data, clock=clock)
    qtbot.waitUntil(lambda: bool(boxes.shown))
    [aside] = path.parent.glob(f"{path.name}.damaged-*")
    assert "草稿库已自动修复" in boxes.shown[0] and str(aside) in boxes.shown[0]
    assert win.report_id == rid and win.document.report.unit == report.unit
    type_into(qtbot, win, "table2.licensing", "12")
    clock.t += 3
    win.autosave.tick()
    assert on_disk(data, rid).values["table2.licensing"] == 12


def test_a_store_that_cannot_be_opened_leaves_a_file_based_window(qtbot, boxes: Boxes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "不是文件夹"
    blocker.write_text("x", encoding="utf-8")
    win = open_window(qtbot, blocker / "草稿库")
    qtbot.waitUntil(lambda: bool(boxes.shown))
    assert "草稿库无法使用" in boxes.shown[0] and "另存为" in boxes.shown[0]
    assert win.store is None and "未保存" in win.windowTitle()
    type_into(qtbot, win, "table2.licensing", "3")
    assert win.document.report.values["table2.licensing"] == 3
    boxes.answer = QMessageBox.StandardButton.Cancel
    assert win.close() is False and "是否保存修改" in boxes.shown[-1]
    win.document.mark_saved()


def test_a_file_on_the_command_line_is_imported_once_and_saved_back(qtbot, boxes: Boxes, data: Path,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "科技局.json"
    write_report(full_report(), path)
    win = open_window(qtbot, data, path)
    rid = win.report_id
    assert win.document.path == path and "科技局.json" in win.windowTitle()
    type_into(qtbot, win, "table2.licensing", "21")
    assert win.files.save()  # Ctrl+S: a version in the store and the file written back
    assert read_report(path).values["table2.licensing"] == 21
    with Store.open(data, write=False) as store:
        assert store.history(rid)[0].label == VERSION_SAVED
    assert win.close()
    # The same file again: its identical draft is reopened, not imported a second time.
    again = open_window(qtbot, data, path)
    assert again.report_id == rid
    with Store.open(data, write=False) as store:
        assert len(store.list()) == 1
    assert boxes.shown == []


def test_a_bad_file_on_the_command_line_keeps_the_latest_draft(qtbot, boxes: Boxes, data: Path,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    with Store.open(data) as store:
        store.create(full_report(unit="某区司法局"))
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01binary")
    win = open_window(qtbot, data, bad)
    qtbot.waitUntil(lambda: bool(boxes.shown))
    assert "无法打开文件" in boxes.shown[-1] and "最近编辑的报告" in boxes.shown[-1]
    assert win.document.report.unit == "某区司法局" and win.document.path is None


def test_deleting_the_open_report_in_the_manager_moves_on_to_another(qtbot, boxes: Boxes, data: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(data, now=stamps(datetime(2026, 11, 1).astimezone())) as store:
        other = store.create(full_report(unit="某区司法局"))
        current = store.create(full_report(unit="某区教育局"))
    win = open_window(qtbot, data)
    assert win.report_id == current
    dialog = win.drafts.drafts_dialog()
    qtbot.addWidget(dialog)
    dialog.confirm = lambda *a: True
    dialog.drafts.select_ids([current])
    dialog.delete_selected()
    win.drafts.after_drafts_dialog()
    assert win.report_id == other and win.document.report.unit == "某区司法局"


# -- the real program, killed ------------------------------------------------------------------

DRIVER = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox
from gui.app import create_application, create_main_window

app = create_application()
win = create_main_window(None, data_dir=sys.argv[1])
win.show()

def type_it():
    cell = win.editor.widget_for("table2.licensing")
    win.tabs.setCurrentIndex(win.editor.tab_of("table2.licensing"))
    cell.setFocus()
    cell.selectAll()
    QTest.keyClicks(cell, "2468")
    print(win.report_id, flush=True)  # typed: from now on the real autosave timer has 2 s

QTimer.singleShot(300, type_it)
app.exec()
"""


def test_kill_9_two_seconds_after_typing_loses_nothing(tmp_path: Path) -> None:
    """The real window and its real timer in a child process, killed without warning."""
    data = tmp_path / "草稿库"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", DRIVER, str(data)], stdout=subprocess.PIPE, text=True,
                             env=env, cwd=Path(__file__).resolve().parents[1])
    try:
        report_id = child.stdout.readline().strip()  # type: ignore[union-attr]
        assert report_id, "the window did not start"
        time.sleep(2.3)  # the promise: on disk 2 s after the keystroke (plus a margin for a slow CI)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(30)
    out = tmp_path / "导出.json"
    exported = subprocess.run([sys.executable, "-m", "core.cli", "--data-dir", str(data), "export", report_id,
                               "-o", str(out)], capture_output=True, text=True, env=env, timeout=60)
    assert exported.returncode == 0, exported.stderr
    assert read_report(out).values["table2.licensing"] == 2468
