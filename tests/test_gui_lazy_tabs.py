"""Pages built late (only the shown tab exists before the first frame) behave like the others.

Each test looks at the window right after ``show()``, before the event loop has run: the pages
of the other tabs are then not built yet, as when a clerk acts the moment the window appears.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QMessageBox, QScrollArea

from core.exchange import write_report
from core.sample import full_report
from gui.app import create_application, create_main_window
from gui.main_window import MainWindow, settings

SHOWN, TABLE3, TABLE4 = "table3.granted.natural", "table3.granted.research", "table4.review.upheld"


@pytest.fixture
def unbalanced(tmp_path: Path) -> Path:
    """A full report whose 表三 “申请人数 · 科研机构” column no longer adds up (an error finding)."""
    report = full_report()
    report.values["table3.new_received.research"] += 3
    path = tmp_path / "unbalanced.json"
    write_report(report, path)
    return path


@pytest.fixture
def fresh(qtbot, monkeypatch: pytest.MonkeyPatch, unbalanced: Path):  # type: ignore[no-untyped-def]
    """The window just shown on the meta tab, its table pages not built yet."""
    monkeypatch.setattr(QMessageBox, "exec", lambda box: int(QMessageBox.StandardButton.Ok.value))
    create_application()
    settings().remove("window/tab")  # an earlier test's window may have closed on a table tab
    win = create_main_window(unbalanced)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    editor = win.editor
    assert not editor.is_tab_built(editor.tab_of(TABLE3)) and not editor.is_tab_built(editor.tab_of(TABLE4))
    yield win
    win.document.mark_saved()


def test_only_the_shown_tab_is_built_before_the_first_frame_and_the_rest_follow(  # type: ignore[no-untyped-def]
        qtbot, fresh: MainWindow) -> None:
    assert fresh.editor.is_tab_built(0)
    assert isinstance(fresh.tabs.widget(fresh.editor.tab_of(SHOWN)), QScrollArea)  # an empty page, for now
    assert fresh.findChild(QAbstractSpinBox, SHOWN) is None
    qtbot.waitUntil(lambda: all(fresh.editor.is_tab_built(i) for i in range(fresh.tabs.count())))
    assert fresh.findChild(QAbstractSpinBox, SHOWN) is not None


def test_a_finding_on_an_unbuilt_tab_goes_to_its_cell(qtbot, fresh: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitExposed(fresh)
    fresh.activateWindow()
    finding = next(f for f in fresh.editor.findings or [] if "table3.new_received.research" in f.cells)
    fresh.editor.go_to_finding(finding)
    assert fresh.tabs.currentIndex() == fresh.editor.tab_of("table3.new_received.research")
    # The first cell the clerk can type in (a grey total cannot take the focus).
    target = next(w for w in map(fresh.editor.widget_for, finding.cells)
                  if w is not None and w.focusPolicy() != Qt.FocusPolicy.NoFocus)
    assert isinstance(target, QAbstractSpinBox) and target.objectName() in finding.cells
    qtbot.waitUntil(lambda: QApplication.focusWidget() is target)


def test_flags_and_totals_of_a_tab_built_later_are_those_of_the_report(fresh: MainWindow) -> None:
    report = fresh.document.report
    totals, findings = fresh.document.evaluate()
    flagged = {ref for f in findings if f.severity == "error" for ref in f.cells}
    assert "table3.new_received.research" in flagged
    fresh.tabs.setCurrentIndex(fresh.editor.tab_of(TABLE3))  # the clerk opens 表三: built now
    for ref in flagged:
        widget = fresh.editor.widget_for(ref)
        assert widget is not None and widget.property("finding") == "error", ref
        assert "!" in widget._xxgk_badge.text()  # type: ignore[union-attr]
    unflagged = fresh.editor.widget_for("table3.granted.natural")
    assert unflagged is not None and not unflagged.property("finding")
    assert fresh.editor.widget_for(TABLE3).value() == report.values[TABLE3]  # type: ignore[union-attr]
    assert fresh.editor.widget_for("table3.granted.total").text() == str(totals["table3.granted.total"])  # type: ignore[union-attr]
    assert fresh.summary_label.text().startswith(f"{sum(f.severity == 'error' for f in findings)} 项错误")


def test_a_change_made_while_a_tab_is_unbuilt_shows_when_it_is_built(fresh: MainWindow) -> None:
    fresh.document.set_values({TABLE4: 1234})
    assert not fresh.editor.is_tab_built(fresh.editor.tab_of(TABLE4))
    total = fresh.total_cells["table4.review.total"]  # reading the map builds the page
    assert fresh.editor.is_tab_built(fresh.editor.tab_of(TABLE4))
    assert fresh.inputs[TABLE4].value() == 1234
    assert total.text() == str(fresh.document.evaluate()[0]["table4.review.total"])
    # And undo reaches the page built meanwhile.
    fresh.document.undo_stack.clear()
    fresh.inputs[TABLE4].setValue(7)
    assert fresh.document.report.values[TABLE4] == 7


def test_paste_into_a_lazily_built_tab(qtbot, fresh: MainWindow) -> None:  # type: ignore[no-untyped-def]
    fresh.tabs.setCurrentIndex(fresh.editor.tab_of(SHOWN))
    start = fresh.inputs[SHOWN]
    start.setFocus()
    QApplication.clipboard().setText("11\t12\r\n21\t22\r\n")
    qtbot.keyClick(start, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    values = fresh.document.report.values
    assert (values[SHOWN], values["table3.granted.commercial"]) == (11, 12)
    assert (values["table3.partially_granted.natural"], values["table3.partially_granted.commercial"]) == (21, 22)
    assert fresh.inputs["table3.partially_granted.commercial"].value() == 22
    fresh.editor.undo()
    assert fresh.document.report.values[SHOWN] == full_report().values[SHOWN]
