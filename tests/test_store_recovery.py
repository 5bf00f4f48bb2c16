"""A damaged store never stops the program: the bad file is kept aside and a backup takes its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.exchange import report_to_dict
from core.sample import full_report
from core.storage import AtomicJSONStorage, backup_path
from core.store import Store


def _store_with_two_saves(folder: Path) -> tuple[str, dict]:
    with Store.open(folder) as store:
        report = full_report()
        rid = store.create(report)
        report.texts["text.problems"] = "第二稿"
        store.save(rid, report)
        store.rename(rid, "科技局年报")
        return rid, report_to_dict(report)


def _damaged(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.damaged-*"))


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "wrong_shape", "wrong_type"])
def test_damaged_index_is_moved_aside_and_restored(tmp_path: Path, damage: str) -> None:
    rid, _ = _store_with_two_saves(tmp_path)
    index = tmp_path / "index.json"
    original = index.read_bytes()
    broken = {
        "truncate": original[: len(original) // 2],
        "garbage": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "empty": b"",
        "wrong_shape": b'{"reports": [1, 2, 3]}',
        "wrong_type": original.replace(b'"year": 2021', b'"year": "2021"'),
    }[damage]
    assert broken != original
    index.write_bytes(broken)
    with Store.open(tmp_path) as store:
        assert [e.id for e in store.list()] == [rid]
        [aside] = _damaged(index)
        assert aside.read_bytes() == broken  # kept byte for byte, never deleted
        [note] = store.recovery_notes
        assert "草稿列表" in note and str(aside) in note and "备份恢复" in note
    json.loads(index.read_text(encoding="utf-8"))  # the live file is whole again


def test_damaged_report_restored_from_backup(tmp_path: Path) -> None:
    rid, _ = _store_with_two_saves(tmp_path)
    path = tmp_path / "reports" / f"{rid}.json"
    path.write_bytes(path.read_bytes()[:-40])
    with Store.open(tmp_path) as store:
        report = store.load(rid)
        assert report.unit == full_report().unit
        assert _damaged(path)
        assert any(f"reports/{rid}.json" in n and "备份恢复" in n for n in store.recovery_notes)


def test_report_that_fails_the_schema_counts_as_damaged(tmp_path: Path) -> None:
    rid, _ = _store_with_two_saves(tmp_path)
    path = tmp_path / "reports" / f"{rid}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["report"]["1"]["document"]["table3"]["granted"]["natural"] = -5
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with Store.open(tmp_path) as store:
        assert store.load(rid).values["table3.granted.natural"] >= 0
        assert "table3.granted.natural" in store.recovery_notes[0]


def test_report_without_backups_falls_back_on_history(tmp_path: Path) -> None:
    rid, doc = _store_with_two_saves(tmp_path)
    path = tmp_path / "reports" / f"{rid}.json"
    for n in (1, 2, 3):
        backup_path(path, n).unlink(missing_ok=True)
    path.write_bytes(b"{")
    with Store.open(tmp_path) as store:
        report = store.load(rid)
        assert report.unit == doc["unit"]
        assert any("没有可用的备份" in n for n in store.recovery_notes)
        assert any("历史版本" in n for n in store.recovery_notes)


def test_index_without_backups_is_rebuilt_from_reports(tmp_path: Path) -> None:
    rid, _ = _store_with_two_saves(tmp_path)
    index = tmp_path / "index.json"
    for n in (1, 2, 3):
        backup_path(index, n).unlink(missing_ok=True)
    index.write_bytes(b"garbage")
    with Store.open(tmp_path) as store:
        assert [e.id for e in store.list()] == [rid]
        assert any("找回 1 份报告" in n for n in store.recovery_notes)
        assert _damaged(index)


def test_read_only_copy_does_not_touch_a_damaged_file(tmp_path: Path) -> None:
    rid, _ = _store_with_two_saves(tmp_path)
    holder = Store.open(tmp_path)
    try:
        index = tmp_path / "index.json"
        index.write_bytes(b"{\"reports\":")
        second = Store.open(tmp_path)
        assert second.read_only
        assert [e.id for e in second.list()] == [rid]
        assert "只读" in second.recovery_notes[0]
        assert index.read_bytes() == b"{\"reports\":" and not _damaged(index)
        second.close()
    finally:
        holder.close()


def test_backups_roll_and_keep_older_generations_apart(tmp_path: Path) -> None:
    clock = [1_000_000.0]
    path = tmp_path / "f.json"
    storage = AtomicJSONStorage(path, clock=lambda: clock[0])
    for i in range(6):
        storage.write({"t": {"1": {"n": i}}})
        clock[0] += 1
    # bak1 is the previous write; bak2 was taken once and is not pushed out by a burst of saves.
    assert json.loads(backup_path(path, 1).read_text())["t"]["1"]["n"] == 4
    assert json.loads(backup_path(path, 2).read_text())["t"]["1"]["n"] == 0
    assert not backup_path(path, 3).exists()


def test_index_restored_from_an_older_backup_finds_newer_reports(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        first = store.create(full_report())
        second = store.create(full_report(unit="某区教育局"))
    # bak1 is the index as it was before the second report was listed.
    (tmp_path / "index.json").write_bytes(b'{"reports": {"1": ')
    with Store.open(tmp_path, write=False) as reader:
        assert {e.id for e in reader.list()} == {first, second}  # read-only: found in memory
    with Store.open(tmp_path) as store:
        assert {e.id for e in store.list()} == {first, second}
        assert any("找回 1 份报告" in n for n in store.recovery_notes)
    with Store.open(tmp_path) as store:
        assert {e.id for e in store.list()} == {first, second} and store.recovery_notes == []
