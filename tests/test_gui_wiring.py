"""The window's menus reach every feature: 导入已发布的年报, 复制为网页表格, 汇总, and the Word and web-page exports."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from core.exchange import write_report
from core.sample import full_report
from core.store import Store
from gui.ingest_review import IngestReviewDialog
from gui.main_window import MainWindow
from tests.gui_helpers import record_boxes, shown_window

PUBLISHED = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "published"
PINGTAN = PUBLISHED / "pingtan-2024.html"
needs_pingtan = pytest.mark.skipif(not PINGTAN.is_file(), reason=f"published sample not found: {PINGTAN}")


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return record_boxes(monkeypatch, non_blocking_too=True)


def open_window(qtbot, data: Path, path: Path | None = None) -> MainWindow:  # type: ignore[no-untyped-def]
    return shown_window(qtbot, path, data)


def action(win: MainWindow, name: str) -> QAction:
    found = win.findChild(QAction, name)
    assert found is not None, name
    return found


def choose_in_file_dialog(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> list[str]:
    """Answer the next file dialogs with ``path`` (``None``: cancel); returns their titles."""
    titles: list[str] = []

    def answer(dialog: QFileDialog) -> int:
        titles.append(dialog.windowTitle())
        if path is None:
            return 0
        dialog.selectFile(str(path))
        return 1

    monkeypatch.setattr(QFileDialog, "exec", answer)
    return titles


def review_answer(monkeypatch: pytest.MonkeyPatch, button: str) -> list[IngestReviewDialog]:
    seen: list[IngestReviewDialog] = []

    def press(dialog: IngestReviewDialog) -> int:
        seen.append(dialog)
        getattr(dialog, button).click()
        return int(dialog.result())

    monkeypatch.setattr(IngestReviewDialog, "exec", press)
    return seen


# -- 文件 › 导入已发布的年报… ------------------------------------------------------------------------


@needs_pingtan
def test_a_published_web_page_becomes_a_new_draft_through_the_review(  # type: ignore[no-untyped-def]
        qtbot, boxes: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    win = open_window(qtbot, tmp_path / "草稿库")
    first_id = win.report_id
    titles = choose_in_file_dialog(monkeypatch, PINGTAN)
    seen = review_answer(monkeypatch, "as_draft")
    action(win, "actionImportPublished").trigger()
    assert titles == ["导入已发布的年报"] and len(seen) == 1
    assert "平潭综合实验区" in seen[0].windowTitle() or "pingtan-2024.html" in seen[0].windowTitle()
    report = win.document.report
    assert report.unit == "平潭综合实验区" and report.year == 2024
    assert win.report_id not in (None, first_id)
    assert win.store is not None
    assert win.store.load(win.report_id).unit == "平潭综合实验区"  # in the store, not only on screen
    assert "导入草稿库" in win.statusBar().currentMessage()
    assert boxes == []


@needs_pingtan
def test_a_published_report_kept_as_last_years_is_used_by_the_cross_year_rules(  # type: ignore[no-untyped-def]
        qtbot, boxes: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "草稿库"
    with Store.open(data) as store:
        this_year = store.create(full_report(unit="平潭综合实验区", year=2025))
    win = open_window(qtbot, data)
    assert win.report_id == this_year and win.document.previous is None
    choose_in_file_dialog(monkeypatch, PINGTAN)
    review_answer(monkeypatch, "as_previous")
    action(win, "actionImportPublished").trigger()
    assert win.report_id == this_year  # the clerk stays on the report being filled in
    previous = win.document.previous
    assert previous is not None and previous.year == 2024 and previous.unit == "平潭综合实验区"
    assert "作为 2024 年度报告放入草稿库" in win.statusBar().currentMessage()
    assert "跨年度核对只用" not in win.statusBar().currentMessage()


@needs_pingtan
def test_last_years_report_of_another_year_is_stored_and_the_clerk_told_why_it_is_not_used(  # type: ignore[no-untyped-def]
        qtbot, boxes: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "草稿库"
    with Store.open(data) as store:
        store.create(full_report(unit="平潭综合实验区", year=2027))
    win = open_window(qtbot, data)
    choose_in_file_dialog(monkeypatch, PINGTAN)
    review_answer(monkeypatch, "as_previous")
    action(win, "actionImportPublished").trigger()
    assert win.document.previous is None
    assert "跨年度核对只用同一单位 2026 年度的报告" in win.statusBar().currentMessage()
    assert win.store is not None and len(win.store.list()) == 2


def test_a_file_that_is_no_published_report_is_refused_and_nothing_changes(  # type: ignore[no-untyped-def]
        qtbot, boxes: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "通知.html"
    page.write_text("<html><body><p>关于放假的通知</p></body></html>", "utf-8")
    win = open_window(qtbot, tmp_path / "草稿库")
    before = (win.report_id, len(win.store.list()) if win.store else 0)
    choose_in_file_dialog(monkeypatch, page)
    seen = review_answer(monkeypatch, "as_draft")
    action(win, "actionImportPublished").trigger()
    assert seen == []
    assert boxes and "无法读取这份年报" in boxes[-1] and "当前报告未受影响" in boxes[-1]
    assert (win.report_id, len(win.store.list()) if win.store else 0) == before


def test_cancelling_the_review_takes_nothing(qtbot, boxes: list[str], tmp_path: Path,  # type: ignore[no-untyped-def]
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ingest_pages import report_page, sample_values

    page = tmp_path / "年报.html"
    page.write_text(report_page(sample_values()), "utf-8")
    win = open_window(qtbot, tmp_path / "草稿库")
    before = (win.report_id, len(win.store.list()) if win.store else 0)
    choose_in_file_dialog(monkeypatch, page)
    monkeypatch.setattr(IngestReviewDialog, "exec", lambda dialog: 0)
    action(win, "actionImportPublished").trigger()
    assert (win.report_id, len(win.store.list()) if win.store else 0) == before


# -- 编辑 › 复制为网页表格 ------------------------------------------------------------------------------


def test_copy_as_web_table_copies_the_current_tabs_table(qtbot, boxes: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sample = tmp_path / "报告.json"
    write_report(full_report(unit="某区审计局"), sample)
    win = open_window(qtbot, tmp_path / "草稿库", sample)
    tpl = win.template
    table3 = next(s for s in tpl.sections if s.table == "table3")
    win.editor.setCurrentIndex(win.editor.tab_of("table3.new_received.natural"))
    action(win, "actionCopyHtml").trigger()
    mime = QGuiApplication.clipboard().mimeData()
    assert "<table" in mime.html() and mime.html().count("<table") == 1
    assert str(win.document.report.get("table3.new_received.total")) in mime.text()
    assert table3.heading in win.statusBar().currentMessage()


def test_copy_as_web_table_on_a_text_tab_copies_the_whole_report(qtbot, boxes: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sample = tmp_path / "报告.json"
    write_report(full_report(unit="某区审计局"), sample)
    win = open_window(qtbot, tmp_path / "草稿库", sample)
    text_ref = next(iter(win.template.texts))
    win.editor.setCurrentIndex(win.editor.tab_of(text_ref))
    action(win, "actionCopyHtml").trigger()
    html = QGuiApplication.clipboard().mimeData().html()
    assert html.count("<table") == 3 and "某区审计局" in html
    assert "整份报告" in win.statusBar().currentMessage()


# -- 工具 › 汇总… ----------------------------------------------------------------------------------------


def test_the_region_window_opens_on_the_drafts_store_and_opens_the_sum_draft(  # type: ignore[no-untyped-def]
        qtbot, boxes: list[str], tmp_path: Path) -> None:
    from gui.region_window import RegionWindow

    data = tmp_path / "草稿库"
    with Store.open(data) as store:
        for unit in ("某县教育局", "某县司法局"):
            store.create(full_report(unit=unit, year=2024))
    win = open_window(qtbot, data)
    action(win, "actionRegion").trigger()
    region = win.region_window
    assert isinstance(region, RegionWindow) and region.isVisible() and region.store is win.store
    action(win, "actionRegion").trigger()
    assert win.region_window is region  # raised again, not a second one
    with qtbot.waitSignal(region.loaded, timeout=20_000):
        region.open_store_button.click()
    assert sorted(region.visible_units()) == ["某县司法局", "某县教育局"]
    region.unit_edit.setText("某县人民政府办公室")
    new_id = region.make_sum_draft()
    assert new_id is not None and win.report_id == new_id  # the main window shows the sum
    assert win.document.report.unit == "某县人民政府办公室"
    assert "已生成汇总报告" in boxes[-1]
    region.close()


# -- 文件 › 导出 Word / 网页 -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "suffix"), [("Docx", ".docx"), ("Html", ".html")])
def test_word_and_web_page_exports_write_their_files_from_the_menu(  # type: ignore[no-untyped-def]
        qtbot, boxes: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, suffix: str) -> None:
    from gui import export_actions

    sample = tmp_path / "报告.json"
    write_report(full_report(unit="某区审计局"), sample)
    win = open_window(qtbot, tmp_path / "草稿库", sample)
    target = tmp_path / "出" / f"年报{suffix}"
    target.parent.mkdir()
    monkeypatch.setattr(export_actions, "_ask_target", lambda parent, plugin, report, *, final: (target, False))
    action(win, f"actionExport{name}").trigger()
    assert target.is_file()
    if suffix == ".docx":
        with zipfile.ZipFile(target) as docx:
            body = docx.read("word/document.xml").decode("utf-8")
    else:
        body = target.read_text("utf-8")
    assert "某区审计局" in body
    assert ("已导出 Word。" if suffix == ".docx" else "已导出网页。") in boxes[-1] and str(target) in boxes[-1]
    assert str(target) in win.statusBar().currentMessage()
