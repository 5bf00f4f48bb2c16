"""A second running copy of the program cannot corrupt the drafts: it is told, and stays read-only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.sample import full_report
from core.storage import StoreReadOnly
from core.store import Store

ROOT = Path(__file__).resolve().parent.parent

HOLDER = """
import sys, time
from core.store import Store
store = Store.open(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_second_store_is_read_only_with_a_chinese_message(tmp_path: Path) -> None:
    with Store.open(tmp_path) as first:
        rid = first.create(full_report())
        second = Store.open(tmp_path)
        assert second.read_only and not first.read_only
        reason = second.read_only_reason or ""
        assert "另一个" in reason and "只读" in reason and f"进程号 {os.getpid()}" in reason
        assert [e.id for e in second.list()] == [rid]  # it can still look
        before = {p: p.read_bytes() for p in tmp_path.rglob("*.json")}
        report = second.load(rid)
        report.texts["text.problems"] = "不应保存"
        for write in (lambda: second.save(rid, report), lambda: second.create(report),
                      lambda: second.delete(rid), lambda: second.rename(rid, "x")):
            with pytest.raises(StoreReadOnly, match="只读"):
                write()
        second.close()
        assert {p: p.read_bytes() for p in tmp_path.rglob("*.json")} == before
    # Once the first copy is gone, the next one may write.
    with Store.open(tmp_path) as third:
        assert not third.read_only


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_lock_held_by_another_process_and_released_by_kill(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        with Store.open(tmp_path) as store:
            assert store.read_only
            assert f"进程号 {proc.pid}" in (store.read_only_reason or "")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # A killed holder leaves no stale lock behind.
    with Store.open(tmp_path) as store:
        assert not store.read_only
        store.create(full_report())


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_write_protected_folder_opens_read_only(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        rid = store.create(full_report())
    (tmp_path / "store.lock").unlink()
    tmp_path.chmod(0o555)
    try:
        with Store.open(tmp_path) as store:
            assert store.read_only and "不能写入" in (store.read_only_reason or "")
            assert [e.id for e in store.list()] == [rid]
    finally:
        tmp_path.chmod(0o755)
