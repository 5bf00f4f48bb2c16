"""The drafts store as the clerk uses it: reports kept, listed, copied, deleted and restored."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from core.datadir import ENV_VAR, default_data_dir, resolve_data_dir
from core.exchange import read_report, report_to_dict, write_report
from core.sample import full_report, seed_report
from core.storage import StoreError
from core.store import (
    HISTORY_KEEP_LAST,
    VERSION_BEFORE_RESTORE,
    Store,
    next_year_report,
    versions_to_drop,
)


class FakeNow:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = datetime(2022, 1, 10, 9, 0, tzinfo=timezone(timedelta(hours=8)))

    def __call__(self) -> datetime:
        return self.t


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


# -- where the data lives ------------------------------------------------------------------------


def test_data_dir_precedence(tmp_path: Path) -> None:
    env = {ENV_VAR: str(tmp_path / "env")}
    assert resolve_data_dir(str(tmp_path / "cli"), env) == tmp_path / "cli"
    assert resolve_data_dir(None, env) == tmp_path / "env"
    assert resolve_data_dir(None, {ENV_VAR: "  "}) == default_data_dir()
    assert resolve_data_dir("", {}) == default_data_dir()
    assert "xxgk-report" in str(default_data_dir())


# -- keeping reports -----------------------------------------------------------------------------


def test_create_list_load_and_reopen(tmp_path: Path) -> None:
    report = full_report()
    with Store.open(tmp_path) as store:
        rid = store.create(report)
        [entry] = store.list()
        assert (entry.id, entry.unit, entry.year, entry.status) == (rid, report.unit, 2021, "校验通过")
    with Store.open(tmp_path) as store:
        assert report_to_dict(store.load(rid)) == report_to_dict(report)
        assert [e.id for e in store.list()] == [rid]
    # The stored report is readable by a person and is itself an exchange document.
    raw = (tmp_path / "reports" / f"{rid}.json").read_text(encoding="utf-8")
    assert report.unit in raw and "\n  " in raw
    assert json.loads(raw)["report"]["1"]["document"]["schema"] == "xxgk-annual-report/1"


def test_save_updates_status_and_is_kept(store: Store) -> None:
    report = full_report()
    rid = store.create(report)
    report.values["table3.granted.natural"] += 1
    store.save(rid, report)
    # One column off: the 自然人 column and the 总计 column no longer balance.
    assert (store.entry(rid).errors, store.entry(rid).status) == (2, "2 项错误")
    assert store.load(rid).values["table3.granted.natural"] == report.values["table3.granted.natural"]


def test_modified_time_reaches_the_index_on_close(tmp_path: Path) -> None:
    now = FakeNow()
    store = Store.open(tmp_path, now=now)
    rid = store.create(full_report())
    now.t += timedelta(minutes=3)
    report = store.load(rid)
    report.texts["text.problems"] = "补充了问题"
    store.save(rid, report)
    assert store.entry(rid).modified == now.t
    store.close()
    with Store.open(tmp_path) as again:
        assert again.entry(rid).modified == now.t


def test_duplicate_and_rename(store: Store) -> None:
    rid = store.create(full_report())
    copy_id = store.duplicate(rid)
    assert copy_id != rid
    assert store.entry(copy_id).display_name.endswith("（副本）")
    assert report_to_dict(store.load(copy_id)) == report_to_dict(store.load(rid))
    store.rename(copy_id, "  给区政府办的  版本 ")
    assert store.entry(copy_id).display_name == "给区政府办的 版本"
    store.rename(copy_id, "")
    assert store.entry(copy_id).display_name == store.entry(rid).title
    with pytest.raises(StoreError, match="名称过长"):
        store.rename(rid, "名" * 101)


def test_delete_goes_to_trash_and_comes_back(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        keep, gone = store.create(full_report()), store.create(full_report(unit="某区教育局"))
        store.delete(gone)
        assert [e.id for e in store.list()] == [keep]
        assert [e.id for e in store.trash()] == [gone]
    with Store.open(tmp_path) as store:
        assert [e.id for e in store.trash()] == [gone]  # the 回收站 survives a restart
        store.restore(gone)
        assert {e.id for e in store.list()} == {keep, gone}
        assert store.trash() == []


def test_purge_only_from_trash(store: Store) -> None:
    rid = store.create(full_report())
    with pytest.raises(StoreError, match="回收站"):
        store.purge(rid)
    store.delete(rid)
    store.purge(rid)
    assert store.list() == [] and store.trash() == []
    assert not (store.folder / "reports" / f"{rid}.json").exists()
    with pytest.raises(StoreError, match="没有编号"):
        store.load(rid)


def test_resolve_id_by_prefix(store: Store) -> None:
    rid = store.create(full_report())
    assert store.resolve_id(rid[:5].upper()) == rid
    with pytest.raises(StoreError, match="没有编号"):
        store.resolve_id("不存在")


# -- history -------------------------------------------------------------------------------------


def test_history_and_restore_is_undoable(store: Store) -> None:
    report = full_report()
    rid = store.create(report)
    first_text = report.texts["text.problems"]
    report.texts["text.problems"] = "第二稿"
    store.save(rid, report, version="手动保存")
    report.texts["text.problems"] = "第三稿（未留版本）"
    store.save(rid, report)
    versions = store.history(rid)
    assert [v.label for v in versions] == ["手动保存", "新建"]
    restored = store.restore_version(rid, versions[-1].id)
    assert restored.texts["text.problems"] == first_text
    assert store.load(rid).texts["text.problems"] == first_text
    # What was current before the restore is now a version, so the restore can be undone.
    top = store.history(rid)[0]
    assert top.label == VERSION_BEFORE_RESTORE
    assert store.load_version(rid, top.id).texts["text.problems"] == "第三稿（未留版本）"


def test_retention_keeps_recent_and_one_per_day() -> None:
    now = datetime(2022, 3, 1, 12, 0)
    # 40 versions today, then one every 6 hours going back 60 days.
    today = [(i, now - timedelta(minutes=i)) for i in range(40)]
    older = [(100 + i, now - timedelta(hours=6 * (i + 1) + 1)) for i in range(240)]
    drop = versions_to_drop(today + older, now)
    kept = [v for v in today + older if v[0] not in drop]
    assert all(v[0] not in drop for v in today[:HISTORY_KEEP_LAST])
    days = [v[1].date() for v in kept if v[0] >= 100]
    assert len(days) == len(set(days))  # one per day beyond the newest 30
    assert min(v[1] for v in kept) >= now - timedelta(days=30)
    assert len(kept) <= HISTORY_KEEP_LAST + 31


def test_history_is_bounded_in_the_store(tmp_path: Path) -> None:
    now = FakeNow()
    with Store.open(tmp_path, now=now) as store:
        report = full_report()
        rid = store.create(report)
        for i in range(45):
            now.t += timedelta(minutes=10)
            report.texts["text.problems"] = f"第{i}稿"
            store.save(rid, report, version="手动保存")
        # All on one day: the newest 30 already include that day's newest.
        assert len(store.history(rid)) == HISTORY_KEEP_LAST
        now.t += timedelta(days=1)
        store.save(rid, report, version="手动保存")
        assert len(store.history(rid)) == HISTORY_KEEP_LAST


# -- next year -----------------------------------------------------------------------------------


def test_next_year_carries_over(store: Store) -> None:
    last = full_report()
    rid = store.create(last)
    new_id = store.next_year(rid)
    new = store.load(new_id)
    tpl = new.template
    assert (new.unit, new.year, new.title) == (last.unit, 2022, None)
    assert new.texts == last.texts
    for col in tpl.table3_columns(inputs_only=True):
        c = col["id"]
        assert new.values[f"table3.carried_over.{c}"] == last.values[f"table3.carried_forward.{c}"]
        assert new.values[f"table3.new_received.{c}"] == 0
    for row in ("regulations", "normative_documents"):
        assert new.values[f"table2.{row}.valid"] == last.values[f"table2.{row}.valid"]
        assert new.values[f"table2.{row}.made"] == new.values[f"table2.{row}.repealed"] == 0
    # The carried-over numbers follow on exactly, so cross_year has nothing to say about them.
    assert not [f for f in store.check(new_id) if f.rule == "cross_year"]
    assert next_year_report(last).values == new.values


def test_cross_year_runs_with_last_years_report(store: Store) -> None:
    last = full_report()
    store.create(last)
    this_year = next_year_report(last)
    this_year.values["table3.carried_over.natural"] += 2
    rid = store.create(this_year)
    rules = [f.rule for f in store.check(rid)]
    assert "cross_year" in rules
    assert store.previous_for(this_year) is not None
    other_unit = this_year.copy()
    other_unit.unit = "另一个单位"
    assert store.previous_for(other_unit) is None


# -- exchange files ------------------------------------------------------------------------------


def test_import_several_with_one_invalid(store: Store, tmp_path: Path) -> None:
    a, b, bad = tmp_path / "科技局.json", tmp_path / "教育局.json", tmp_path / "坏文件.json"
    write_report(full_report(), a)
    write_report(full_report(unit="某区教育局"), b)
    bad.write_text('{"schema": "xxgk-annual-report/1", "template": "2021", "unit": "x", "year": "二〇二一"}',
                   encoding="utf-8")
    outcomes = store.import_files([a, bad, b])
    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1].path == bad and any("year" in p for p in outcomes[1].problems)
    assert {e.unit for e in store.list()} == {"某区科学技术局", "某区教育局"}


def test_import_all_or_nothing(store: Store, tmp_path: Path) -> None:
    a, bad = tmp_path / "a.json", tmp_path / "bad.json"
    write_report(full_report(), a)
    bad.write_text("not json", encoding="utf-8")
    outcomes = store.import_files([a, bad], all_or_nothing=True)
    assert [(o.ok, o.skipped) for o in outcomes] == [(False, True), (False, False)]
    assert store.list() == []


def test_export_round_trip(store: Store, tmp_path: Path) -> None:
    original = seed_report()
    path = tmp_path / "in.json"
    write_report(original, path)
    [outcome] = store.import_files([path])
    out = tmp_path / "out.json"
    store.export(outcome.id, out)  # type: ignore[arg-type]
    assert out.read_bytes() == path.read_bytes()
    assert report_to_dict(read_report(out)) == report_to_dict(original)
