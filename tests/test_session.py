"""core.session: the use cases the window and the command line share, without Qt; and the window
showing their answers (a failed lookup of last year's report is said, no longer swallowed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from core import session
from core.exchange import write_report
from core.sample import full_report
from core.storage import StoreError
from core.store import Store


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "草稿库") as opened:
        yield opened


def test_opening_the_same_file_twice_gives_the_same_draft(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "收到的.json"
    write_report(full_report(), path)
    first = session.open_or_import(store, path)
    second = session.open_or_import(store, path)
    assert first.report_id is not None and first.report_id == second.report_id and first.link == path
    assert len(store.list()) == 1


def test_a_bad_file_gives_its_error_and_the_start_falls_back_to_the_latest_draft(store: Store, tmp_path: Path) -> None:
    rid = store.create(full_report(unit="某区民政局"))
    bad = tmp_path / "坏.json"
    bad.write_text("{", "utf-8")
    opened = session.start(store, bad)
    assert opened.error is not None and opened.report_id == rid
    assert opened.outcome == "已打开最近编辑的报告“" + opened.report.effective_title + "”。"  # type: ignore[union-attr]


def test_an_empty_store_starts_with_a_new_draft_and_a_read_only_one_with_none(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a") as store:
        opened = session.start(store, None)
        assert opened.report is not None and store.list()[0].id == opened.report_id
    with Store.open(tmp_path / "b") as writer, Store.open(tmp_path / "b") as second:
        assert second.read_only and not writer.read_only
        assert session.start(second, None).report is None


def test_next_year_clash_finds_the_same_unit_a_year_on(store: Store) -> None:
    rid = store.create(full_report(year=2021, unit="某区财政局"))
    assert session.next_year_clash(store, rid) is None
    store.create(full_report(year=2022, unit=" 某区财政局 "))
    clash = session.next_year_clash(store, rid)
    assert clash is not None and clash.year == 2022


def test_export_names_never_collide_nor_overwrite(store: Store, tmp_path: Path) -> None:
    ids = [store.create(full_report(unit="某区/财政局")) for _ in range(2)]
    folder = tmp_path / "导出"
    folder.mkdir()
    first, second = session.export_names(store, ids, folder)
    assert first.parent == folder and "/" not in first.name and first != second
    first.write_text("已有", "utf-8")
    again = session.export_names(store, ids[:1], folder)
    assert again[0] != first


def test_a_failed_lookup_of_last_year_is_said(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StoreError("无法读取报告文件：磁盘错误")

    monkeypatch.setattr(store, "previous_for", broken)
    found = session.previous_in_store(store, full_report())
    assert found.report is None and found.problem is not None
    assert "跨年度" in found.problem and "磁盘错误" in found.problem


def test_the_window_shows_a_failed_lookup_of_last_year(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.app import create_application, create_main_window

    monkeypatch.setattr(QMessageBox, "exec", lambda box: int(QMessageBox.StandardButton.Ok.value))

    def broken(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise StoreError("无法读取报告文件：磁盘错误")

    monkeypatch.setattr(Store, "previous_for", broken)
    create_application()
    win = create_main_window(None, data_dir=str(tmp_path / "草稿库"))
    qtbot.addWidget(win)
    win.show()
    assert win.drafts.previous_problem is not None
    assert "磁盘错误" in win.statusBar().currentMessage()
    # Still there once the status line is gone, and after every autosave: the cross-year check is off.
    assert "未核对跨年度衔接" in win.store_label.text() and "磁盘错误" in win.store_label.toolTip()
    win.document.set_text("text.problems", "改一个字")
    win.autosave.flush()
    assert "未核对跨年度衔接" in win.store_label.text()


def test_the_window_asks_before_a_second_report_of_next_year(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.app import create_application, create_main_window

    data = tmp_path / "草稿库"
    with Store.open(data) as store:
        store.create(full_report(year=2022, unit="某区财政局"))
        last_year = store.create(full_report(year=2021, unit="某区财政局"))
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]

    def reply(box: QMessageBox) -> int:
        asked.append(box.text())
        return int(answer[0].value)

    monkeypatch.setattr(QMessageBox, "exec", reply)
    create_application()
    win = create_main_window(None, data_dir=str(data))
    qtbot.addWidget(win)
    assert win.drafts.open_draft(last_year) and win.document.report.year == 2021
    win.drafts.new_next_year()
    assert "已有“某区财政局”2022 年度的报告" in asked[-1]
    assert win.document.report.year == 2021 and len(win.store.list()) == 2  # 取消: nothing made
    answer[0] = QMessageBox.StandardButton.Yes
    win.drafts.new_next_year()
    assert win.document.report.year == 2022 and len(win.store.list()) == 3
