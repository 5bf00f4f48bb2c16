"""The window as a clerk uses it: typing, flags, paste and undo, findings, files and closing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDoubleSpinBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
)

from core.exchange import read_report, write_report
from core.sample import full_report
from core.template import load_template
from gui.app import create_application, create_main_window
from gui.main_window import MainWindow

TPL = load_template()


class Boxes:
    """Every message box the window shows, answered without blocking."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.answer = QMessageBox.StandardButton.Ok

    def __call__(self, box: QMessageBox) -> int:
        self.shown.append(f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}")
        return int(self.answer.value) if hasattr(self.answer, "value") else int(self.answer)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    recorder = Boxes()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: recorder(box))
    return recorder


@pytest.fixture
def full_file(tmp_path: Path) -> Path:
    path = tmp_path / "full.json"
    write_report(full_report(), path)
    return path


@pytest.fixture
def window(qtbot, boxes: Boxes, full_file: Path):  # type: ignore[no-untyped-def]
    create_application()
    win = create_main_window(full_file)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Whatever the test typed: closing at teardown must not stop to ask.
    win.document.mark_saved()


def cell(win: MainWindow, ref: str):  # type: ignore[no-untyped-def]
    # Through the window: a tab's page is built when first needed, so findChild may not see it yet.
    widget = win.editor.widget_for(ref)
    assert isinstance(widget, (QAbstractSpinBox, QLineEdit)) and widget.objectName() == ref, ref
    return widget


def type_into(qtbot, win: MainWindow, ref: str, text: str) -> None:  # type: ignore[no-untyped-def]
    widget = cell(win, ref)
    win.tabs.setCurrentIndex(win.editor.tab_of(ref))
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def test_every_cell_text_and_meta_field_is_a_widget_named_by_its_reference(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    # The pages not shown at start are built in idle time after the first frame.
    qtbot.waitUntil(lambda: all(window.editor.is_tab_built(i) for i in range(window.tabs.count())))
    for ref in TPL.cells:
        assert isinstance(window.findChild(QAbstractSpinBox, ref), QAbstractSpinBox), ref
    for ref in TPL.computed:
        total = window.findChild(QLineEdit, ref)
        assert total is not None and total.isReadOnly() and total.focusPolicy() == Qt.FocusPolicy.NoFocus
    for ref in TPL.texts:
        assert isinstance(window.findChild(QPlainTextEdit, ref), QPlainTextEdit), ref
    for ref in ("unit", "year", "published_on", "title"):
        assert window.findChild(QAbstractSpinBox, ref) or window.findChild(QLineEdit, ref), ref
    fees = window.findChild(QDoubleSpinBox, "table2.fees")
    assert fees.decimals() == 6 and "万元" in fees.suffix()
    assert isinstance(window.findChild(QSpinBox, "table3.granted.natural"), QSpinBox)


def test_tabs_follow_the_report_order(window: MainWindow) -> None:
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert names == ["基本信息", *[s.heading for s in TPL.sections]]


def test_typing_updates_the_totals_on_every_keystroke(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    report = window.document.report
    others = sum(report.values[f"table3.granted.{c['id']}"] for c in TPL.table3_columns(inputs_only=True)
                 if c["id"] != "natural")
    type_into(qtbot, window, "table3.granted.natural", "4")
    assert cell(window, "table3.granted.total").text() == str(others + 4)
    qtbot.keyClicks(cell(window, "table3.granted.natural"), "2")
    assert cell(window, "table3.granted.total").text() == str(others + 42)
    assert window.isWindowModified()


def test_an_imbalance_flags_its_column_and_clears_when_fixed(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    column = ["new_received", "carried_over", "total_processed", "carried_forward"]
    assert window.summary_label.text() == "校验通过"
    before = window.document.report.values["table3.new_received.research"]
    type_into(qtbot, window, "table3.new_received.research", str(before + 1))
    for row in column:
        widget = cell(window, f"table3.{row}.research")
        assert widget.property("finding") == "error", row
        assert "相差 1" in widget.toolTip()
    assert cell(window, "table3.new_received.natural").property("finding") in (None, "")
    # The research column and the 总计 column (and a hint that the text's 收到 count is now off).
    assert window.summary_label.text().startswith("2 项错误")
    type_into(qtbot, window, "table3.new_received.research", str(before))
    for row in column:
        assert cell(window, f"table3.{row}.research").property("finding") == ""
    assert window.summary_label.text() == "校验通过"


def test_paste_fills_the_block_and_one_undo_takes_it_back(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    before = dict(window.document.report.values)
    type_into(qtbot, window, "table3.granted.natural", "")
    QApplication.clipboard().setText("1,234\t5\r\n\t7\r\n")
    qtbot.keyClick(cell(window, "table3.granted.natural"), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    values = window.document.report.values
    assert values["table3.granted.natural"] == 1234
    assert values["table3.granted.commercial"] == 5
    assert values["table3.partially_granted.natural"] == 0
    assert values["table3.partially_granted.commercial"] == 7
    assert cell(window, "table3.granted.natural").text() == "1234"
    window.editor.undo()
    # The typed clear of the first cell was one edit and the paste another: one undo per paste.
    assert window.document.report.values["table3.granted.commercial"] == before["table3.granted.commercial"]
    assert window.document.report.values["table3.partially_granted.commercial"] == \
        before["table3.partially_granted.commercial"]
    assert cell(window, "table3.partially_granted.commercial").text() == \
        str(before["table3.partially_granted.commercial"])
    window.editor.redo()
    assert window.document.report.values["table3.partially_granted.commercial"] == 7


def test_ctrl_z_in_a_cell_undoes_through_the_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table4.review.upheld"
    before = window.document.report.values[ref]
    type_into(qtbot, window, ref, "123")
    assert window.document.report.values[ref] == 123
    qtbot.keyClick(cell(window, ref), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.report.values[ref] == before  # the whole number at once


@pytest.mark.parametrize("clip", ["1\t2\t3\t4\t5\t6\t7\t8\n", "1\tx\n", "5" + "\n" * 26 + "9"])
def test_a_bad_paste_is_refused_whole(qtbot, window: MainWindow, boxes: Boxes, clip: str) -> None:  # type: ignore[no-untyped-def]
    before = dict(window.document.report.values)
    type_into(qtbot, window, "table3.granted.commercial", "")
    qtbot.keyClick(cell(window, "table3.granted.commercial"), Qt.Key.Key_Escape)
    QApplication.clipboard().setText(clip)
    qtbot.keyClick(cell(window, "table3.granted.commercial"), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.document.report.values == before
    assert boxes.shown and "无法粘贴" in boxes.shown[-1]
    if "x" in clip:
        assert "第 1 行第 2 列" in boxes.shown[-1] and "“x”" in boxes.shown[-1]


def test_paste_of_a_published_row_skips_the_total_column(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_into(qtbot, window, "table4.review.upheld", "")
    QApplication.clipboard().setText("1\t2\t3\t4\t999\t5\r\n")
    qtbot.keyClick(cell(window, "table4.review.upheld"), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    values = window.document.report.values
    assert [values[f"table4.review.{f}"] for f in ("upheld", "corrected", "other", "pending")] == [1, 2, 3, 4]
    assert values["table4.litigation_direct.upheld"] == 5
    assert cell(window, "table4.review.total").text() == "10"


def test_arrows_move_between_cells_and_never_change_a_count(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    start = cell(window, "table3.granted.natural")
    value = start.value()
    window.tabs.setCurrentIndex(window.editor.tab_of("table3.granted.natural"))
    start.setFocus()
    qtbot.keyClick(start, Qt.Key.Key_Down)
    assert start.value() == value
    assert QApplication.focusWidget() is cell(window, "table3.partially_granted.natural")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert QApplication.focusWidget() is start
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is cell(window, "table3.granted.commercial")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert QApplication.focusWidget() is cell(window, "table3.partially_granted.commercial")
    # Tab from the last input of a row skips the grey total and goes to the next row.
    last = cell(window, "table3.granted.other_org")
    last.setFocus()
    qtbot.keyClick(last, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is cell(window, "table3.partially_granted.natural")
    # Down from the row above the computed 总计 row skips it.
    above = cell(window, "table3.other_other.natural")
    above.setFocus()
    qtbot.keyClick(above, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is cell(window, "table3.carried_forward.natural")
    assert window.document.report.values == read_report(window.document.path).values


def test_clicking_a_finding_goes_to_its_tab_and_focuses_its_first_cell(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table3.new_received.nonprofit"
    type_into(qtbot, window, ref, str(window.document.report.values[ref] + 5))
    window.tabs.setCurrentIndex(0)
    window.findChild(QLineEdit, "unit").setFocus()
    items = [i for i in window.findings_panel.items()
             if getattr(i.data(Qt.ItemDataRole.UserRole), "rule", "") == "identity"]
    assert items
    finding = items[0].data(Qt.ItemDataRole.UserRole)
    rect = window.findings_panel.list.visualItemRect(items[0])
    qtbot.mouseClick(window.findings_panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentIndex() == window.editor.tab_of(ref)
    assert QApplication.focusWidget() is cell(window, finding.cells[0])
    assert finding.cells[0] == ref


def test_a_text_finding_focuses_the_editor(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_into(qtbot, window, "table4.review.other", "0")  # the text's 行政复议 count is now wrong
    items = [i for i in window.findings_panel.items()
             if getattr(i.data(Qt.ItemDataRole.UserRole), "rule", "") == "narrative_numbers"]
    assert items
    window.editor.go_to_finding(items[0].data(Qt.ItemDataRole.UserRole))
    editor = window.findChild(QPlainTextEdit, "text.overview.requests")
    assert QApplication.focusWidget() is editor
    assert editor.property("finding") == "warning"


def test_opening_a_bad_file_says_why_in_chinese_and_keeps_the_report(window: MainWindow, boxes: Boxes,
                                                                     tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "xxgk-annual-report/1", "template": "2021", "unit": 3', "utf-8")
    before = window.document.report
    assert window.files.open_path(bad) is False
    assert window.document.report is before
    assert "无法打开文件" in boxes.shown[-1] and "JSON" in boxes.shown[-1]


def test_a_bad_file_on_the_command_line_opens_an_empty_window(qtbot, boxes: Boxes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01binary")
    win = create_main_window(bad)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: bool(boxes.shown))
    assert "无法打开文件" in boxes.shown[-1] and "空白报告" in boxes.shown[-1]
    assert win.document.path is None


def test_closing_a_changed_file_asks_to_write_it_back_and_cancel_keeps_the_window(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, boxes: Boxes) -> None:
    # The drafts store has the edit already (autosave); the file the report came from does not.
    type_into(qtbot, window, "table2.licensing", "7")
    boxes.answer = QMessageBox.StandardButton.Cancel
    assert window.close() is False
    assert "还没有写回文件“full.json”" in boxes.shown[-1]
    assert window.isVisible()
    boxes.answer = QMessageBox.StandardButton.Save
    assert window.close() is True
    assert read_report(window.document.path).values["table2.licensing"] == 7


def test_closing_an_unchanged_report_does_not_ask(window: MainWindow, boxes: Boxes) -> None:
    assert window.close() is True
    assert boxes.shown == []


def test_save_as_writes_the_exchange_file(qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "副本"
    monkeypatch.setattr(QFileDialog, "exec", lambda dialog: (dialog.selectFile(str(target)), 1)[1])
    unit = window.findChild(QLineEdit, "unit")
    unit.selectAll()
    unit.insert("某县统计局")  # as an input method commits it (QTest cannot type Chinese)
    assert window.files.save_as()
    saved = read_report(tmp_path / "副本.json")  # the extension is added
    assert saved.unit == "某县统计局"
    assert not window.isWindowModified()


def test_last_tab_is_remembered(qtbot, boxes: Boxes, full_file: Path) -> None:  # type: ignore[no-untyped-def]
    create_application()
    first = create_main_window(full_file)
    qtbot.addWidget(first)
    first.tabs.setCurrentIndex(4)
    first.close()
    second = create_main_window()
    qtbot.addWidget(second)
    assert second.tabs.currentIndex() == 4


def test_table3_fits_a_1366_wide_screen_without_horizontal_scrolling(window: MainWindow) -> None:
    window.tabs.setCurrentIndex(window.editor.tab_of("table3.granted.natural"))
    page = window.tabs.currentWidget()
    assert isinstance(page, QScrollArea)
    grid = window.grids["table3"]
    assert grid.minimumSizeHint().width() <= page.viewport().width()
    assert grid.geometry().right() <= page.viewport().width()


def test_text_editors_show_their_hint_and_count_characters(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    part = window.text_parts["text.problems"]
    assert part.editor.placeholderText() == TPL.texts["text.problems"].hint
    part.editor.setPlainText("")
    part.editor.insertPlainText("人员 不足")
    assert part.count.text() == "4 字"
    assert window.document.report.texts["text.problems"] == "人员 不足"


def test_a_refused_key_is_explained_in_the_status_bar(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table3.granted.research"
    before = window.document.report.values[ref]
    type_into(qtbot, window, ref, "a")
    assert window.document.report.values[ref] == before
    assert "整数" in window.statusBar().currentMessage()


def test_focusing_a_cell_selects_its_content_so_typing_replaces_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    ref = "table4.review.upheld"
    window.tabs.setCurrentIndex(window.editor.tab_of(ref))
    left = cell(window, "table3.granted.natural")
    widget = cell(window, ref)
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: widget.lineEdit().selectedText() == widget.text())
    qtbot.keyClicks(widget, "7")
    assert window.document.report.values[ref] == 7
    assert left is not widget


def test_pdf_menu_without_the_pdf_module_says_so(window: MainWindow, boxes: Boxes,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "gui.printing", None)
    window.findChild(QAction, "actionExportPdf").trigger()
    assert "PDF 功能尚未安装" in boxes.shown[-1]


@pytest.mark.parametrize(("action", "call"), [
    ("actionExportPdf", ("export_pdf", False)), ("actionExportFinalPdf", ("export_pdf", True)),
    ("actionPrintPreview", ("print_preview", None)), ("actionPrint", ("print_report", None)),
])
def test_pdf_menu_items_hand_the_current_report_to_the_pdf_module(window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                                                                  action: str, call: tuple[str, bool | None]) -> None:
    printing = pytest.importorskip("gui.printing")
    calls: list[tuple[str, object, bool | None, object]] = []
    for name in ("print_preview", "print_report"):
        monkeypatch.setattr(printing, name, lambda parent, report, *, previous, _n=name:
                            calls.append((_n, report, None, previous)))
    monkeypatch.setattr(printing, "export_pdf", lambda parent, report, *, final, previous:
                        calls.append(("export_pdf", report, final, previous)))
    last_year = full_report(year=2020)
    window.document.set_previous(last_year)
    window.findChild(QAction, action).trigger()
    # Last year's report goes along, so the PDF's check (草稿 mark, 定稿 refusal) is the window's.
    assert calls == [(call[0], window.document.report, call[1], last_year)]


def test_qt_speaks_chinese(window: MainWindow) -> None:
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
