"""Issue #10 in the window: typed totals, carried paragraphs, indicators and the residue clean-up.

Each test drives the real window (pytest-qt) the way a clerk would: typing into cells, clicking the
buttons under the findings list, Ctrl+Z, Ctrl+S.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.cli import main as cli_main
from core.exchange import read_report, report_to_dict, write_report
from core.next_year import next_year_report
from core.rules import check
from core.sample import full_report
from core.store import Store
from gui.app import create_application, create_main_window
from gui.main_window import MainWindow
from tests.gui_helpers import record_boxes, shown_window

DATA = Path(__file__).resolve().parent / "data" / "published"
# The balanced correction of the issue: 部分公开/自然人 +1 and 结转下年度/自然人 −1.
PLUS, MINUS = "table3.partially_granted.natural", "table3.carried_forward.natural"


@pytest.fixture(autouse=True)
def _no_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return record_boxes(monkeypatch)


def _open(qtbot, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    return shown_window(qtbot, path, size=(1366, 768))


def _type(qtbot, win: MainWindow, ref: str, text: str) -> None:  # type: ignore[no-untyped-def]
    widget = win.editor.widget_for(ref)
    win.tabs.setCurrentIndex(win.editor.tab_of(ref))
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Tab)


def _errors(win: MainWindow) -> list[str]:
    return [f.message for f in win.editor.findings if f.severity == "error"]


@pytest.fixture
def published(tmp_path: Path) -> Path:
    path = tmp_path / "pingtan-2025.json"
    path.write_bytes((DATA / "pingtan-2025.json").read_bytes())
    return path


# -- item 1: typed totals ---------------------------------------------------------------------------


def test_balanced_edit_of_a_published_file_gives_no_error_and_saves_a_file_that_checks_clean(
        qtbot, published: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    win = _open(qtbot, published)
    assert win.document.report.typed_totals and _errors(win) == []
    values = win.document.report.values
    _type(qtbot, win, PLUS, str(values[PLUS] + 1))
    _type(qtbot, win, MINUS, str(values[MINUS] - 1))
    assert values[PLUS] == 39 and values[MINUS] == 3
    assert _errors(win) == []
    assert "错误" not in win.summary_label.text()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    QTest.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not win.document.modified)
    saved = read_report(published)
    assert saved.values[PLUS] == 39 and saved.typed_totals == {}
    capsys.readouterr()
    assert cli_main(["check", str(published)]) == 0
    win.document.mark_saved()


def test_undo_of_the_edit_brings_the_printed_totals_back(qtbot, published: Path) -> None:  # type: ignore[no-untyped-def]
    win = _open(qtbot, published)
    before = dict(win.document.report.typed_totals)
    _type(qtbot, win, PLUS, "39")
    assert "table3.partially_granted.total" not in win.document.report.typed_totals
    win.editor.undo()
    assert win.document.report.values[PLUS] == 38
    assert win.document.report.typed_totals == before
    win.editor.redo()
    assert "table3.partially_granted.total" not in win.document.report.typed_totals
    win.document.mark_saved()


def test_use_computed_totals_clears_every_typed_total_error_in_one_undo_step(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A file whose printed total disagrees with its rows (a typo in the published table).
    report = read_report(DATA / "pingtan-2025.json")
    report.typed_totals["table3.granted.total"] += 9
    path = tmp_path / "typo.json"
    doc = report_to_dict(report)
    doc["table3"]["granted"]["total"] = report.typed_totals["table3.granted.total"]
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")

    win = _open(qtbot, path)
    assert [f.rule for f in win.editor.findings if f.severity == "error"] == ["typed_total"]
    button = win.findings_panel.use_computed_button
    assert button.isVisible() and button.text() == "以计算结果为准"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert _errors(win) == [] and win.document.report.typed_totals == {}
    assert not button.isVisible()
    win.editor.undo()
    assert [f.rule for f in win.editor.findings if f.severity == "error"] == ["typed_total"]
    assert len(win.document.report.typed_totals) > 30
    win.document.mark_saved()


# -- item 3: carried paragraphs -----------------------------------------------------------------------


@pytest.fixture
def next_year_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    last = full_report()
    with Store.open(data) as store:
        store.create(last)
        current = next_year_report(last)
        new_id = store.create(current)
    create_application()
    win = create_main_window(data_dir=data)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    assert win.drafts.open_draft(new_id)
    assert win.report_id == new_id and win.document.previous is not None
    yield win
    win.document.mark_saved()


def test_carried_paragraphs_are_marked_until_edited(qtbot, next_year_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win = next_year_window
    carried = win.editor.carried
    assert carried, "the next year's draft carries last year's prose"
    ref = next(iter(carried))
    part = win.text_parts[ref]
    win.tabs.setCurrentIndex(win.editor.tab_of(ref))
    assert part.carried_note.isVisibleTo(win) and "沿用上年文字" in part.carried_note.text()
    assert part.editor.marked_paragraphs()
    part.editor.setFocus()
    part.editor.selectAll()
    # Chinese comes through the input method, not as key codes: insert it as the IME would.
    part.editor.insertPlainText("本年度新写的一段文字，与上一年度的报告完全不同。")
    assert ref not in win.editor.carried
    assert not part.carried_note.isVisibleTo(win) and part.editor.marked_paragraphs() == []


def test_drafts_dialog_says_how_many_paragraphs_carry_last_years_text(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from core.prose import carried_count
    from gui.drafts_dialog import DraftsDialog

    last = full_report()
    with Store.open(tmp_path / "data") as store:
        store.create(last)
        current = next_year_report(last)
        new_id = store.create(current)
        dialog = DraftsDialog(store, current_id=new_id)
        qtbot.addWidget(dialog)
        expected = carried_count(current, last)
        assert expected > 0
        assert f"{expected} 段文字仍沿用上年报告" in dialog.carried_label.text()


# -- item 4: indicators and the residue clean-up --------------------------------------------------------


def test_indicators_are_shown_with_their_formula_and_follow_the_tables(qtbot, published: Path) -> None:  # type: ignore[no-untyped-def]
    win = _open(qtbot, published)
    label = win.findings_panel.indicator_labels["disclosure_rate"]
    assert label.isVisible() and "公开率 47.97%" in label.text()
    assert "71 ÷ 148" in label.toolTip() and "÷" in label.toolTip()
    _type(qtbot, win, "table3.granted.natural", str(win.document.report.values["table3.granted.natural"] + 10))
    assert "81 ÷ 158" in label.toolTip()
    win.document.mark_saved()


def test_word_residue_is_cleaned_in_one_click_and_one_undo(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = full_report()
    ref = next(iter(report.template.texts))
    original = report.texts[ref]
    report.texts[ref] = original + " [bookmark: _Toc123] "
    path = tmp_path / "residue.json"
    write_report(report, path)
    win = _open(qtbot, path)
    assert "word_residue" in {f.rule for f in win.editor.findings}
    button = win.findings_panel.clean_button
    assert button.isVisible()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "bookmark" not in win.document.report.texts[ref]
    assert "bookmark" not in win.text_parts[ref].editor.toPlainText()
    assert "word_residue" not in {f.rule for f in check(win.document.report)}
    win.editor.undo()
    assert "[bookmark: _Toc123]" in win.document.report.texts[ref]
    win.document.mark_saved()
