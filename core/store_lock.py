"""One writer per data folder: an OS lock on ``store.lock`` (the ``filelock`` library), plus who holds it.

The lock lives in the kernel (``flock`` on POSIX, ``LockFileEx`` on Windows — ``filelock`` handles
both and is tested on both), tied to the open file: the process dying for any reason releases it,
so a ``kill -9`` leaves no stale lock. Who holds it (process, host, since when) is written beside it
in ``owner.json`` purely for the message a second copy shows; that file is never trusted for locking.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import filelock

from core.fileio import write_atomic

OWNER_FILE = "owner.json"
LOCK_FILE = "store.lock"

READ_ONLY_CONSEQUENCE = "草稿库以只读方式打开：可以查看和导出，但修改不会保存到草稿库。"


def host_name() -> str:
    """This computer's name, for the owner note. ``socket`` would cost ~2 ms of the window's
    measured start-up for a string the kernel (POSIX) or the environment (Windows) already has."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    name = os.environ.get("COMPUTERNAME")
    if name:
        return name
    import socket

    return socket.gethostname()


class LockFileNotUsable(PermissionError):
    """``store.lock`` exists but belongs to someone else (e.g. created by a run as root)."""

    def __init__(self, path: Path, uid: int | None) -> None:
        super().__init__(13, "lock file not usable", str(path))
        self.path = path
        self.uid = uid

    def message(self) -> str:
        who = f"（用户号 {self.uid}）" if self.uid is not None else ""
        return (f"草稿库的锁文件 {self.path} 属于另一个用户{who}，可能是曾以管理员（root）身份运行过本程序，"
                f"当前用户无法使用它。为避免互相覆盖，{READ_ONLY_CONSEQUENCE}"
                f"请由管理员删除该文件，或改用原来的用户运行本程序。")


class StoreLock:
    """An exclusive, non-blocking lock on ``store.lock`` in the data folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_FILE
        # Not a singleton: a second Store in the same process must see the lock as taken.
        self._lock = filelock.FileLock(self.path, timeout=0, is_singleton=False)
        self.previous_owner: dict[str, Any] | None = None

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def acquire(self) -> bool:
        """Take the lock; ``False`` if another copy holds it. ``OSError`` if the folder is not usable."""
        try:
            self._lock.acquire()
        except filelock.Timeout:
            return False
        except PermissionError:
            owner = self._foreign_owner()
            if owner is not False:
                raise LockFileNotUsable(self.path, owner) from None
            raise
        # An owner file still present means the last holder did not close cleanly (killed,
        # power cut): the store uses that to re-check what the index may have missed.
        self.previous_owner = self.owner()
        info = {
            "pid": os.getpid(),
            "host": host_name(),
            "since": datetime.now().isoformat(timespec="seconds"),
            "program": Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "",
        }
        with contextlib.suppress(OSError):
            write_atomic(self.folder / OWNER_FILE, json.dumps(info, ensure_ascii=False, indent=2).encode("utf-8"),
                         durable=False, private=True, devices=False, keep_links=False)
        return True

    def _foreign_owner(self) -> int | bool | None:
        """The uid owning an unusable ``store.lock`` in a writable folder, else ``False``."""
        try:
            st = self.path.stat()
        except OSError:
            return False
        if not os.access(self.folder, os.W_OK) or os.access(self.path, os.W_OK):
            return False
        uid = getattr(st, "st_uid", None)
        return uid if hasattr(os, "geteuid") and uid != os.geteuid() else None

    def owner(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / OWNER_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def release(self) -> None:
        if not self.held:
            return
        with contextlib.suppress(OSError):
            (self.folder / OWNER_FILE).unlink()
        self._lock.release(force=True)

    def busy_message(self) -> str:
        """What a second copy tells the clerk: who has the drafts open, and that it will not write."""
        owner = self.owner() or {}
        details = []
        host, pid, since = owner.get("host"), owner.get("pid"), owner.get("since")
        if isinstance(host, str) and host:
            same = host == host_name()
            details.append("本机" if same else f"计算机“{host}”")
        if isinstance(pid, int) and not isinstance(pid, bool):
            details.append(f"进程号 {pid}")
        if isinstance(since, str) and since:
            details.append(f"自 {since.replace('T', ' ')[:16]} 起")
        who = f"（{'，'.join(details)}）" if details else ""
        return (f"草稿库已在另一个正在运行的填报助手中打开{who}。为避免互相覆盖，{READ_ONLY_CONSEQUENCE}"
                f"请关闭另一个填报助手后重新打开本程序。")
