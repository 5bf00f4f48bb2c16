"""Issue #10 item 6: a window that fits every office screen and behaves like one program.

Screen size, print preview, single instance (two real processes), settings in a portable data
folder, stale status lines, undo going to its cell, the date picker, 打开 PDF without a viewer,
opening a file that is not an exchange file, and the F1 help.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtNetwork import QLocalServer
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from core.exchange import write_report
from core.sample import full_report
from core.store import Store
from gui.app import create_application, create_main_window, settings_folder
from gui.main_window import MainWindow
from gui.single_instance import InstanceServer, hand_over, server_name

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples" / "published"


class Boxes(list):
    """Every message box, answered with its first button (or Ok) without blocking."""

    answer = 0


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    shown = Boxes()

    def answer(box: QMessageBox) -> int:
        shown.append(f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}")
        buttons = box.buttons()
        if buttons and box.standardButtons() == QMessageBox.StandardButton.NoButton:
            # choose() reads clickedButton(): press the wanted one for real.
            buttons[min(shown.answer, len(buttons) - 1)].click()
            return 0
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return shown


def _window(qtbot, path: Path | None = None, **kwargs) -> MainWindow:  # type: ignore[no-untyped-def]
    create_application()
    win = create_main_window(path, **kwargs)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot, boxes: Boxes, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "full.json"
    write_report(full_report(), path)
    win = _window(qtbot, path)
    yield win
    win.document.mark_saved()


# -- the screen ---------------------------------------------------------------------------------------


def test_the_window_and_its_status_bar_fit_the_available_screen(window: MainWindow) -> None:
    area = window.screen().availableGeometry()
    assert area.contains(window.frameGeometry()), (area, window.frameGeometry())
    bar = window.statusBar()
    assert bar.isVisible() and window.rect().contains(bar.geometry())
    assert window.store_label.isVisible()


def test_the_print_preview_is_never_taller_than_the_screen(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from gui import printing

    sizes = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: sizes.append(dialog.size()) or 0)
    printing.print_preview(window, window.document.report)
    area = window.screen().availableGeometry()
    assert sizes and sizes[0].height() < area.height() and sizes[0].width() <= area.width()


# -- one program per data folder ----------------------------------------------------------------------


def _run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:  # type: ignore[type-arg, no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "gui.launcher", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_a_second_start_hands_its_file_to_the_running_window_and_exits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XXGK_REPORT_HOME": str(data)}
    first = _run([], env)
    try:
        name = server_name(data)
        create_application()
        deadline = time.monotonic() + 60
        while not hand_over(name, None):  # the running window answers once it listens
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first window never listened"
            time.sleep(0.2)
        report = full_report()
        report.unit = "交接测试局"
        handed = tmp_path / "handed.json"
        write_report(report, handed)
        second = _run([str(handed)], env)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err.decode()
        assert "已在正在运行的窗口中打开" in out.decode()
        assert first.poll() is None  # the first one still runs …
        deadline = time.monotonic() + 30
        while True:  # … and has the file open: it went into its drafts store
            with Store.open(data, write=False) as store:
                if any(e.unit == "交接测试局" for e in store.list()):
                    break
            assert time.monotonic() < deadline, "the running window did not open the file"
            time.sleep(0.2)
    finally:
        first.kill()
        first.wait()


def test_a_window_that_does_not_answer_is_not_waited_for(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    create_application()
    name = server_name(tmp_path / "hung")
    deaf = QLocalServer()
    assert deaf.listen(name)  # accepts the connection, never answers
    try:
        assert hand_over(name, None, timeout_ms=300) is False
    finally:
        deaf.close()


@pytest.mark.skipif(sys.platform == "win32", reason="a socket file left behind is a Unix matter")
def test_a_socket_left_by_a_killed_window_is_taken_over(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    create_application()
    name = server_name(tmp_path / "crashed")
    probe = QLocalServer()
    assert probe.listen(name)
    path = probe.fullServerName()
    probe.close()
    leftover = socket.socket(socket.AF_UNIX)
    leftover.bind(path)  # bound, never listening: what kill -9 leaves
    try:
        assert hand_over(name, None, timeout_ms=300) is False
        server = InstanceServer(name)
        assert server.listen()
        server.server.close()
    finally:
        leftover.close()


# -- settings of a portable copy ------------------------------------------------------------------------


def test_window_settings_live_in_the_data_folder_given(qtbot, boxes: Boxes, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XXGK_REPORT_HOME")
    assert settings_folder(None) is None  # an ordinary install: the per-user config, as before
    data = tmp_path / "usb" / "data"
    win = _window(qtbot, data_dir=data)
    win.save_settings()
    files = list((data / "settings").rglob("*.ini"))
    assert files and "window" in files[0].read_text("utf-8")
    win.document.mark_saved()


# -- status lines that go stale --------------------------------------------------------------------------


def test_a_findings_line_goes_when_the_finding_is_fixed(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table3.granted.natural"
    right = window.document.report.values[ref]
    window.document.set_values({ref: right + 5})
    identity = next(f for f in window.editor.findings if f.rule == "identity")
    window.editor.go_to_finding(identity)
    assert window.statusBar().currentMessage() == identity.message
    window.document.set_values({ref: right})
    assert identity not in window.editor.findings
    assert window.statusBar().currentMessage() == ""


def test_a_refusal_goes_with_a_tab_change_but_other_lines_stay(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table3.granted.natural"
    cell = window.editor.widget_for(ref)
    window.tabs.setCurrentIndex(window.editor.tab_of(ref))
    cell.setFocus()
    QTest.keyClick(cell, Qt.Key.Key_A)
    assert "件数只能填写" in window.statusBar().currentMessage()
    window.tabs.setCurrentIndex(0)
    assert window.statusBar().currentMessage() == ""
    window.say("已保存到草稿库")
    window.tabs.setCurrentIndex(1)
    assert window.statusBar().currentMessage() == "已保存到草稿库"


# -- undo shows what it changed ----------------------------------------------------------------------------


def test_undo_and_redo_go_to_the_cell_they_changed(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    ref = "table4.review.corrected"
    cell = window.editor.widget_for(ref)
    window.tabs.setCurrentIndex(window.editor.tab_of(ref))
    cell.setFocus()
    cell.selectAll()
    qtbot.keyClicks(cell, "7")
    QTest.keyClick(cell, Qt.Key.Key_Tab)
    window.tabs.setCurrentIndex(0)
    window.findChild(type(window.undo_action), "actionUndo").trigger()
    assert window.tabs.currentIndex() == window.editor.tab_of(ref)
    assert cell.hasFocus()
    window.tabs.setCurrentIndex(0)
    window.redo_action.trigger()
    assert window.tabs.currentIndex() == window.editor.tab_of(ref) and cell.hasFocus()
    assert window.document.report.values[ref] == 7


# -- the date picker ---------------------------------------------------------------------------------------


def test_the_date_picker_opens_at_january_after_the_report_year(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.document.set_meta("published_on", None)
    window.editor.meta_form.show_report(window.document.report)
    window.tabs.setCurrentIndex(0)
    edit = window.editor.meta_form.published_on
    # A real click on the drop-down arrow at the right of the field.
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(edit.width() - 6, edit.height() // 2))
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    year = window.document.report.year
    assert (calendar.yearShown(), calendar.monthShown()) == (year + 1, 1)
    calendar.window().close()


# -- 打开 PDF without a viewer -------------------------------------------------------------------------------


def test_open_pdf_without_a_viewer_says_so_and_where_the_file_is(qtbot, window: MainWindow, boxes: Boxes,  # type: ignore[no-untyped-def]
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    from gui.screen import open_with_system

    target = tmp_path / "报告.pdf"
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    assert open_with_system(window, target) is False
    assert any("没有找到可以打开 PDF 的程序" in b and str(target) in b for b in boxes)


# -- a file that is not an exchange file ---------------------------------------------------------------------


def test_opening_a_text_file_says_what_can_be_opened(qtbot, window: MainWindow, boxes: Boxes,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    text = tmp_path / "说明.txt"
    text.write_text("这不是年报", "utf-8")
    before = window.document.report.unit
    assert window.files.open_path(text) is False
    assert "只能打开本程序保存的年报文件" in boxes[-1] and "JSON" not in boxes[-1]
    assert "Word" in boxes[-1]
    # The way in is named as the menu spells it, so the clerk can find it.
    assert "文件 › 导入已发布的年报…" in boxes[-1]
    assert window.document.report.unit == before


def test_opening_a_word_report_offers_to_bring_it_in(qtbot, window: MainWindow, boxes: Boxes,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gui import ingest_review

    word = tmp_path / "2024年报.docx"
    word.write_bytes(b"PK\x03\x04 not really")
    brought = full_report()
    brought.unit = "读入测试局"
    asked: list[Path] = []
    monkeypatch.setattr(ingest_review, "review_file",
                        lambda parent, path: asked.append(path) or (ingest_review.AS_DRAFT, brought))
    boxes.answer = 0  # 作为已发布的年报读入…
    window.files.open_path(word)
    assert "不能直接打开" in boxes[-1] and "作为已发布的年报读入" in boxes[-1]
    assert asked == [word]
    assert window.document.report.unit == "读入测试局"


def test_the_help_says_how_to_edit_inside_a_figure(qtbot) -> None:  # type: ignore[no-untyped-def]
    from core.template import load_template
    from gui.help import help_html

    text = help_html(load_template())
    assert "F2" in text and "双击" in text


def test_screen_fit_helper_shrinks_to_a_small_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    from gui.screen import fit_size

    create_application()
    widget = QWidget()
    qtbot.addWidget(widget)
    fit_size(widget, (5000, 5000))
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert widget.width() < area.width() and widget.height() < area.height()
