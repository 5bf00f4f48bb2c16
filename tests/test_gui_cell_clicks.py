"""Cells behave like Excel/WPS 表格 under the mouse: a click selects, typing replaces, F2 edits in place.

Issue #10 item 2: in 二, 行政许可 showed 11398889; a click, a second click and typing 5 gave
115398889. Driven here with real mouse clicks on the real window's grid.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from core.exchange import write_report
from core.sample import full_report
from gui.main_window import MainWindow
from tests.gui_helpers import shown_window


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    # pytest-qt closes the window before this fixture's teardown: its "not written back" question
    # must not block.
    monkeypatch.setattr(QMessageBox, "exec", lambda box: int(QMessageBox.StandardButton.Discard.value))
    report = full_report()
    report.values["table2.licensing"] = 11398889
    report.values["table3.granted.natural"] = 2120
    path = tmp_path / "r.json"
    write_report(report, path)
    yield shown_window(qtbot, path, size=(1366, 768))


def _shown(qtbot, win: MainWindow, ref: str):  # type: ignore[no-untyped-def]
    win.editor.setCurrentIndex(win.editor.tab_of(ref))
    widget = win.editor.widget_for(ref)
    qtbot.waitExposed(widget)
    return widget


def _inside(line, digits: int) -> QPoint:  # type: ignore[no-untyped-def]
    """A point between two digits of the figure, after ``digits`` of them: where a click would drop the caret."""
    y = line.height() // 2
    for x in range(line.width()):
        if line.cursorPositionAt(QPoint(x, y)) == digits:
            return QPoint(x, y)
    raise AssertionError(f"no point inside “{line.text()}” after {digits} digits")


@pytest.mark.parametrize(("ref", "typed", "expected"), [
    ("table2.licensing", "5", 5),
    ("table3.granted.natural", "21", 21),
])
def test_two_clicks_then_typing_replaces_the_figure(qtbot, window: MainWindow, ref: str, typed: str,  # type: ignore[no-untyped-def]
                                                    expected: int) -> None:
    widget = _shown(qtbot, window, ref)
    line = widget.lineEdit()
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _inside(line, 2))
    qtbot.wait(20)
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _inside(line, 2))
    qtbot.wait(20)
    assert widget.hasFocus()
    assert line.selectedText() == line.text(), "a click must leave the whole figure selected"
    QTest.keyClicks(widget, typed)
    assert window.document.report.values[ref] == expected


def test_a_click_after_typing_selects_again_instead_of_inserting(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table2.licensing"
    widget = _shown(qtbot, window, ref)
    line = widget.lineEdit()
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _inside(line, 3))
    QTest.keyClicks(widget, "12")
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _inside(line, 1))
    QTest.keyClicks(widget, "7")
    assert window.document.report.values[ref] == 7


def test_f2_edits_in_place_at_the_end(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table2.licensing"
    widget = _shown(qtbot, window, ref)
    line = widget.lineEdit()
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _inside(line, 2))
    QTest.keyClick(widget, Qt.Key.Key_F2)
    QTest.keyClicks(widget, "0")
    assert window.document.report.values[ref] == 113988890
    # In place, the arrows move the caret instead of leaving the cell.
    QTest.keyClick(widget, Qt.Key.Key_Left)
    assert widget.hasFocus()


def test_double_click_edits_in_place_where_clicked(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table3.granted.natural"
    widget = _shown(qtbot, window, ref)
    line = widget.lineEdit()
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _inside(line, 2))
    QTest.mouseDClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _inside(line, 2))
    qtbot.wait(20)
    assert not line.hasSelectedText()
    position = line.cursorPosition()
    assert 0 < position < len(line.text())
    QTest.keyClicks(widget, "9")
    text = "2120"
    assert window.document.report.values[ref] == int(text[:position] + "9" + text[position:])


def test_leaving_the_cell_ends_in_place_editing(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table3.granted.natural"
    widget = _shown(qtbot, window, ref)
    line = widget.lineEdit()
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _inside(line, 2))
    QTest.keyClick(widget, Qt.Key.Key_F2)
    QTest.keyClick(widget, Qt.Key.Key_Return)  # to the cell below
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _inside(line, 2))
    qtbot.wait(20)
    assert line.selectedText() == line.text()
    QTest.keyClicks(widget, "3")
    assert window.document.report.values[ref] == 3
