"""The drafts manager and the history dialog, answered in place of the clerk."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.exchange import read_report, write_report
from core.sample import full_report
from core.store import VERSION_BEFORE_RESTORE, Store


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


def _dialog(qtbot, store: Store, **kwargs):  # type: ignore[no-untyped-def]
    from gui.drafts_dialog import DraftsDialog

    dialog = DraftsDialog(store, **kwargs)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda *a: True  # type: ignore[method-assign]
    return dialog


def test_lists_reports_with_status(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    good = store.create(full_report())
    bad_report = full_report(unit="某区教育局")
    bad_report.values["table3.granted.natural"] += 1
    bad = store.create(bad_report)
    dialog = _dialog(qtbot, store)
    table = dialog.drafts
    rows = {table.item(r, 0).data(256): [table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())}
    assert rows[good][1:3] == ["某区科学技术局", "2021"] and rows[good][4] == "校验通过"
    assert rows[bad][4] == "2 项错误"
    assert dialog.tabs.tabText(0) == "草稿（2）"


def test_delete_restore_through_the_trash(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    rid = store.create(full_report())
    dialog = _dialog(qtbot, store)
    dialog.drafts.select_ids([rid])
    asked: list[str] = []
    dialog.confirm = lambda title, text, yes: asked.append(text) or False  # type: ignore[method-assign]
    dialog.delete_selected()
    assert asked and "回收站" in asked[0]
    assert [e.id for e in store.list()] == [rid]  # cancelled: nothing happened
    dialog.confirm = lambda *a: True  # type: ignore[method-assign]
    dialog.delete_selected()
    assert store.list() == [] and dialog.tabs.tabText(1) == "回收站（1）"
    dialog.trash_table.select_ids([rid])
    dialog.restore_selected()
    assert [e.id for e in store.list()] == [rid] and store.trash() == []


def test_import_several_files_one_invalid(qtbot, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, bad = tmp_path / "司法局.json", tmp_path / "坏.json"
    write_report(full_report(unit="某区司法局"), a)
    bad.write_text("{", encoding="utf-8")
    dialog = _dialog(qtbot, store)
    dialog.ask_open_files = lambda: [str(a), str(bad)]  # type: ignore[method-assign]
    shown: list = []
    dialog.show_import_result = shown.append  # type: ignore[method-assign]
    dialog.import_files()
    [outcomes] = shown
    assert [o.ok for o in outcomes] == [True, False] and "JSON" in outcomes[1].problems[0]
    assert [e.unit for e in store.list()] == ["某区司法局"]
    assert "成功 1 个，失败 1 个" in dialog.status.text()

    from gui.drafts_dialog import ImportResultDialog

    result = ImportResultDialog(outcomes, store)
    qtbot.addWidget(result)
    assert result.tree.topLevelItem(1).child(0).text(1) == outcomes[1].problems[0]


def test_export_several_into_a_folder(qtbot, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = [store.create(full_report(unit=u)) for u in ("某区科学技术局", "某区教育局")]
    dialog = _dialog(qtbot, store)
    dialog.drafts.select_ids(ids)
    out = tmp_path / "out"
    out.mkdir()
    dialog.ask_folder = lambda: str(out)  # type: ignore[method-assign]
    dialog.export_selected()
    units = sorted(read_report(p).unit for p in out.glob("*.json"))
    assert units == ["某区教育局", "某区科学技术局"]


def test_open_and_next_year(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    rid = store.create(full_report())
    opened: list[str] = []
    dialog = _dialog(qtbot, store, on_open=opened.append)
    dialog.drafts.select_ids([rid])
    dialog.next_year()
    [new] = [e for e in store.list() if e.year == 2022]
    assert dialog.drafts.selected_ids() == [new.id]
    dialog.open_selected()
    assert opened == [new.id] and dialog.opened_id == new.id


def test_read_only_store_disables_changes(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    store.create(full_report())
    second = Store.open(store.folder)
    try:
        dialog = _dialog(qtbot, second)
        dialog.drafts.selectRow(0)
        assert "只读" in dialog.banner.text()
        assert not dialog.buttons["delete"].isEnabled() and not dialog.buttons["import"].isEnabled()
        assert dialog.buttons["open"].isEnabled() and dialog.buttons["export"].isEnabled()
    finally:
        second.close()


def test_history_restore_is_undoable(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from gui.history_dialog import HistoryDialog

    report = full_report()
    rid = store.create(report)
    original = report.texts["text.problems"]
    report.texts["text.problems"] = "改过的文字"
    store.save(rid, report, version="手动保存")
    restored: list = []
    dialog = HistoryDialog(store, rid, on_restored=restored.append)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    dialog.table.selectRow(1)  # the oldest: 新建
    assert "校验通过" in dialog.preview.toPlainText()
    dialog.confirm = lambda text: True  # type: ignore[method-assign]
    assert dialog.restore_selected()
    assert restored[0].texts["text.problems"] == original
    assert store.load(rid).texts["text.problems"] == original
    assert dialog.table.item(0, 1).text() == VERSION_BEFORE_RESTORE
    assert dialog.table.rowCount() == 3
