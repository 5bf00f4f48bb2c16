"""The 汇总 window on its own (pytest-qt): open a folder, filter, sort, view a unit, sum, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.exchange import write_report
from core.model import Report
from core.sample import full_report
from core.store import Store
from gui.region_window import (
    COL_ERRORS,
    COL_STATUS,
    COL_UNIT,
    RegionWindow,
    open_region_window,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    units = tmp_path / "各单位"
    units.mkdir()
    for i in range(4):
        write_report(full_report(seed=i, unit=f"某县第{i}局", year=2022), units / f"{i}.json")
    bad = full_report(seed=5, unit="某县审计局", year=2022)
    bad.values["table3.granted.natural"] += 1
    write_report(bad, units / "审计.json")
    write_report(full_report(seed=6, unit="<b>某镇</b>", year=2022), units / "镇.json")
    (units / "坏.json").write_text("{", encoding="utf-8")
    # A blank form (no unit) of a later year must not become the year shown.
    write_report(Report.new(unit="", year=2030), units / "空白.json")
    return units


def opened(qtbot, window: RegionWindow, folder: Path) -> RegionWindow:  # type: ignore[no-untyped-def]
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        window.open_paths([folder])
    return window


def test_folder_lists_units_with_status_and_bad_files(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    window = opened(qtbot, RegionWindow(), folder)
    assert window.year_box.value() == 2022
    assert sorted(window.visible_units()) == sorted(["<b>某镇</b>", "某县审计局", *(f"某县第{i}局" for i in range(4))])
    statuses = {window.proxy.index(r, COL_UNIT).data(): window.proxy.index(r, COL_STATUS).data()
                for r in range(window.proxy.rowCount())}
    assert statuses["某县审计局"] == "有错误" and statuses["某县第1局"] == "通过"
    bad = [window.bad_list.item(i).text() for i in range(window.bad_list.count())]
    assert len(bad) == 1 and "坏.json" in bad[0] and "不是有效的 JSON" in bad[0]
    assert "共 6 个单位" in window.headline.text()


def test_roster_adds_units_not_submitted_and_filters_work(qtbot, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = opened(qtbot, RegionWindow(), folder)
    roster = tmp_path / "名单.csv"
    roster.write_bytes("某县第0局\r\n某县财政局,财政\r\n".encode("gbk"))
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        assert window.set_roster(roster)
    window.status_filter.setCurrentText("未提交")
    assert window.visible_units() == ["某县财政局"]
    window.status_filter.setCurrentText("全部状态")
    window.search.setText("财政")  # the short name finds it too
    assert window.visible_units() == ["某县财政局"]
    window.search.setText("第 2")
    assert window.visible_units() == ["某县第2局"]


def test_sorting_by_errors_and_by_status_urgency(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    window = opened(qtbot, RegionWindow(), folder)
    window.table.sortByColumn(COL_ERRORS, Qt.SortOrder.DescendingOrder)
    assert window.visible_units()[0] == "某县审计局"
    window.table.sortByColumn(COL_STATUS, Qt.SortOrder.AscendingOrder)
    assert window.proxy.index(0, COL_STATUS).data() == "有错误"


def test_double_click_opens_the_report_read_only_with_flags(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    window = opened(qtbot, RegionWindow(), folder)
    row = window.visible_units().index("某县审计局")
    window._open_index(window.proxy.index(row, COL_UNIT))
    viewer = window.viewers[-1]
    qtbot.addWidget(viewer)
    cell = viewer.grids["table3"].inputs["table3.granted.natural"]
    assert cell.isReadOnly()
    flagged = viewer.grids["table3"].widget_for("table3.new_received.natural")
    assert flagged.property("finding") == "error"
    first = viewer.findings.item(0).text()
    assert first.startswith("[错误] 表三：自然人列：")


def test_enter_opens_the_selected_unit_too(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    window = opened(qtbot, RegionWindow(), folder)
    window.show()
    row = window.visible_units().index("某县第2局")
    window.table.setCurrentIndex(window.proxy.index(row, COL_UNIT))
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert window.viewers and window.viewers[-1].result.unit == "某县第2局"
    qtbot.addWidget(window.viewers[-1])


def test_a_unit_name_with_markup_is_shown_as_typed(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    window = opened(qtbot, RegionWindow(), folder)
    row = window.visible_units().index("<b>某镇</b>")
    viewer = window.open_result(window.proxy.index(row, COL_UNIT).data(Qt.ItemDataRole.UserRole + 1))
    qtbot.addWidget(viewer)
    assert "<b>某镇</b>" in viewer.windowTitle()
    from PySide6.QtWidgets import QLabel

    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in viewer.findChildren(QLabel)
               if "某镇" in label.text())


def test_sum_becomes_a_new_draft_and_units_with_errors_are_named(qtbot, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "data")
    opened_ids: list[str] = []
    try:
        window = opened(qtbot, RegionWindow(store, on_open_draft=opened_ids.append), folder)
        window.unit_edit.setText("某县人民政府")
        report_id = window.make_sum_draft()
        assert report_id is not None and opened_ids == [report_id]
        total = store.load(report_id)
        assert total.unit == "某县人民政府" and total.year == 2022
        included = [r for r in window.batch.results if not r.errors]
        assert total.values["table3.new_received.commercial"] == sum(
            r.report.values["table3.new_received.commercial"] for r in included)
        title, text = window.last_message
        assert title == "已生成汇总报告"
        assert "有错误、未计入汇总 1 个单位：某县审计局" in text
    finally:
        store.close()


def test_export_excel_has_both_sheets(qtbot, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    window = opened(qtbot, RegionWindow(), folder)
    window.unit_edit.setText("某县人民政府")
    path = tmp_path / "导出.xlsx"
    assert window.export_excel(path)
    assert load_workbook(path).sheetnames == ["校验结果", "汇总表"]


def test_drafts_store_as_the_source(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "data")
    try:
        for i in range(3):
            store.create(full_report(seed=i, unit=f"某县第{i}局", year=2022))
        store.create(full_report(seed=9, unit="某县第0局", year=2021))
        window = open_region_window(store=store)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.loaded, timeout=20_000):
            window.load_store()
        assert sorted(window.visible_units()) == ["某县第0局", "某县第1局", "某县第2局"]
        # Last year's draft of 某县第0局 is used for the cross-year rules.
        first = next(r for r in window.batch.results if r.unit == "某县第0局")
        assert any(f.rule == "cross_year" for f in first.findings)
        with qtbot.waitSignal(window.loaded, timeout=20_000):
            window.year_box.setValue(2021)
        assert window.visible_units() == ["某县第0局"]
    finally:
        store.close()


def test_the_window_and_a_units_view_fit_a_small_office_screen(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    window = opened(qtbot, RegionWindow(), folder)
    window._open_index(window.proxy.index(0, COL_UNIT))
    viewer = window.viewers[-1]
    qtbot.addWidget(viewer)
    for widget in (window, viewer):
        area = widget.screen().availableGeometry()  # offscreen: 800×800
        assert widget.width() <= area.width() and widget.height() <= area.height(), widget
