"""The store's own files under attack (issue #17 F2, F9, F10, F12, F14): repaired, skipped, taken back, told."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

import core.storage as storage
from core.cli import main
from core.exchange import write_report
from core.sample import full_report
from core.store import Store


def _store(folder: Path, n: int = 1) -> list[str]:
    with Store.open(folder) as store:
        return [store.create(full_report(seed=2021 + i, unit=f"某区第{i + 1}局")) for i in range(n)]


def _damaged(folder: Path) -> list[Path]:
    return sorted(folder.glob("index.json.damaged-*"))


def _edit_rows(index: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(index.read_text(encoding="utf-8"))
    for row in data["reports"].values():
        change(row)
    index.write_text(json.dumps(data), encoding="utf-8")


DAMAGE = {
    "errors_text": lambda row: row.update(errors="x"),
    "warnings_list": lambda row: row.update(warnings=[1]),
    "modified_9999": lambda row: row.update(modified="9999-12-31T23:59:59"),
    "modified_0001": lambda row: row.update(modified="0001-01-01T00:00:00"),
    "id_escapes": lambda row: row.update(id="../../x"),
    "unit_surrogate": lambda row: row.update(unit="\ud800"),
}


@pytest.mark.parametrize("backups", [True, False])
@pytest.mark.parametrize("damage", [*DAMAGE, "nested"])
def test_a_wrong_index_is_kept_aside_rebuilt_and_told(damage: str, backups: bool, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    ids = _store(tmp_path, 2)
    index = tmp_path / "index.json"
    if not backups:
        for bak in tmp_path.glob("index.json.bak*"):
            bak.unlink()
    if damage == "nested":
        index.write_text("[" * 100_000, encoding="utf-8")
    else:
        _edit_rows(index, DAMAGE[damage])
    for bak in tmp_path.glob("index.json.bak*"):  # the backups are as bad as the file
        bak.write_bytes(index.read_bytes())
    broken = index.read_bytes()
    # The command line reads without repairing, and still lists both reports.
    assert main(["list", "--data-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert sorted(line.split()[0] for line in out.splitlines()) == sorted(ids)
    assert "Traceback" not in err
    # The window's store repairs: the bad file is kept aside, the list rebuilt, the clerk told.
    with Store.open(tmp_path) as store:
        assert sorted(e.id for e in store.list()) == sorted(ids)
        [aside] = _damaged(tmp_path)
        assert aside.read_bytes() == broken
        assert any("草稿列表" in note and str(aside) in note for note in store.recovery_notes)
    with Store.open(tmp_path) as store:  # repaired for good
        assert sorted(e.id for e in store.list()) == sorted(ids) and not store.recovery_notes


def test_a_bad_history_version_is_skipped_and_reported(tmp_path: Path) -> None:
    [rid] = _store(tmp_path)
    with Store.open(tmp_path) as store:
        store.add_version(rid, full_report())
    path = tmp_path / "history" / f"{rid}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    first = next(iter(data["versions"].values()))
    first["document"]["year"] = "abc"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with Store.open(tmp_path) as store:
        versions = store.history(rid)
        assert len(versions) == 1
        assert any("1 个版本已损坏" in note for note in store.recovery_notes)


def test_import_on_a_full_disk_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    files = []
    for i in range(2):
        files.append(tmp_path / f"{i}.json")
        write_report(full_report(seed=i, unit=f"某局{i}"), files[-1])
    data = tmp_path / "data"
    real = storage.atomic_write_bytes
    history_writes = []

    def full_on_second_history(target: Path, payload: bytes, **kw: object) -> None:
        if target.parent.name == "history":
            history_writes.append(target)
            if len(history_writes) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        real(target, payload, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "atomic_write_bytes", full_on_second_history)
    code = main(["import", *map(str, files), "--data-dir", str(data)])
    err = capsys.readouterr().err
    assert code == 2 and "磁盘空间不足" in err and "No space" not in err
    monkeypatch.undo()
    assert not list((data / "reports").glob("*.json")) and not list((data / "history").glob("*.json"))
    assert main(["list", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out == ""


def test_a_report_the_rules_choke_on_never_stops_the_store(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import core.store

    [rid] = _store(tmp_path)
    (tmp_path / "index.json").unlink()
    for bak in tmp_path.glob("index.json.bak*"):
        bak.unlink()

    def choke(*args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")

    monkeypatch.setattr(core.store, "check", choke)
    with Store.open(tmp_path) as store:
        [entry] = store.list()
        assert entry.id == rid and entry.status == "无法校验"


def test_the_command_lines_read_only_message_does_not_speak_of_a_window(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.json"
    write_report(full_report(), path)
    data = tmp_path / "data"
    with Store.open(data):
        code = main(["import", str(path), "--data-dir", str(data)])
    err = capsys.readouterr().err
    assert code == 1 and "只读" in err and "本窗口" not in err


def test_a_data_dir_that_is_a_file_is_told_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.json"
    write_report(full_report(), path)
    blocker = tmp_path / "data"
    blocker.write_text("x", encoding="utf-8")
    assert main(["import", str(path), "--data-dir", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert "无法使用草稿库文件夹" in err and "Not a directory" not in err and "File exists" not in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to leave a root-owned lock file")
def test_a_lock_file_of_another_user_is_reported_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _store(tmp_path)
    lock = tmp_path / "store.lock"
    os.chown(lock, 65534, 65534)  # another user's, as a run with sudo leaves root's for the clerk
    real_open, real_access = os.open, os.access

    # What that user's own process meets (the tests run as root, whom permissions never stop).
    def open_as_clerk(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == "store.lock":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def access_as_clerk(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == "store.lock" and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_as_clerk)
    monkeypatch.setattr(os, "access", access_as_clerk)
    with Store.open(tmp_path) as store:
        reason = store.read_only_reason or ""
        assert store.read_only and "store.lock" in reason and "另一个用户" in reason and "不能写入" not in reason
        assert len(store.list()) == 1


def test_an_unexpected_error_exits_3_with_a_chinese_line_and_a_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import core.cli

    def boom(args: object) -> int:
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(core.cli, "_cmd_list", boom)
    monkeypatch.setattr(core.cli, "SUBCOMMANDS", [boom_add(boom) if f.__name__ == "_add_list" else f
                                                  for f in core.cli.SUBCOMMANDS])
    code = main(["list", "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err and "意外错误" in err
    [log] = list((tmp_path / "logs").glob("crash-*.log"))
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "something nobody foresaw" in text


def boom_add(handler):  # type: ignore[no-untyped-def]
    def _add_list(sub):  # type: ignore[no-untyped-def]
        p = sub.add_parser("list")
        p.add_argument("--data-dir")
        p.set_defaults(handler=handler)

    return _add_list


def test_exit_3_is_documented_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "3 程序意外出错" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["科技局\x1b[31m年报", "年报\u202efdp", "年报\ud800"])
def test_a_draft_name_with_control_characters_is_refused(name: str, tmp_path: Path) -> None:
    from core.storage import StoreError

    [rid] = _store(tmp_path)
    with Store.open(tmp_path) as store:
        with pytest.raises(StoreError, match="名称"):
            store.rename(rid, name)
        assert store.entry(rid).name == ""
