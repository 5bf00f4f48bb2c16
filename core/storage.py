"""The files under the store: written so that no crash can tear them, locked against a second copy.

* :class:`AtomicJSONStorage` is a TinyDB storage whose every write goes to a temporary file that is
  flushed and fsynced, then atomically replaces the old file (and the folder is fsynced on POSIX),
  so after a ``kill -9`` or a power cut each file is either the old or the new version, never half.
  Before replacing, the old version is kept as a rolling backup (``NAME.bak1`` … ``NAME.bak3``), and a
  file that cannot be read is moved aside under a timestamped name and restored from the newest
  good backup, with a Chinese note saying what happened and where the damaged file now is.
* The lock against a second running copy is :class:`core.store_lock.StoreLock` (``filelock``).

Every write goes through :func:`core.fileio.write_atomic`, the program's one atomic write; every
read through :func:`core.fileio.read_bounded` (regular files only, bounded).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from core.errors import ReportError
from core.fileio import fsync_dir, os_reason, read_bounded, write_atomic
from core.store_lock import LOCK_FILE, OWNER_FILE, StoreLock

# How many generations of backups each store file keeps (NAME.bak1 … NAME.bakN): every loop over
# backups uses this one constant.
BACKUPS = 3
# A store file larger than this is not one the program wrote (a report is ~20 KB, a history a few MB).
MAX_STORE_FILE_BYTES = 64 * 1024 * 1024
# bak1 is always the previous write; older generations are kept at least this far apart, so that
# a burst of autosaves (one every two seconds) cannot push every useful backup out within seconds.
BACKUP_SPACING_SECONDS = 10 * 60
DAMAGED_MARK = ".damaged-"

Validator = Callable[[dict[str, Any]], None]


class StoreError(ReportError):
    """The store could not do what was asked (disk full, no permission, unknown report)."""


class StoreReadOnly(StoreError):
    """A write was attempted on a store that another running copy of the program holds."""


# -- small file-system helpers ----------------------------------------------------------------


def atomic_write_bytes(target: Path, data: bytes, *, durable: bool = True) -> None:
    """A store file written by the one atomic write: private to the clerk, never a device."""
    write_atomic(target, data, durable=durable, private=True, devices=False, keep_links=False)


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files a killed writer left behind; only the lock holder may call this."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def backup_path(target: Path, n: int) -> Path:
    return target.with_name(f"{target.name}.bak{n}")


def backup_paths(target: Path) -> list[Path]:
    """Every backup generation of ``target``, newest first."""
    return [backup_path(target, n) for n in range(1, BACKUPS + 1)]


def _stamp(t: float | None = None) -> str:
    return datetime.fromtimestamp(time.time() if t is None else t).strftime("%Y-%m-%d %H:%M")


# -- the storage ------------------------------------------------------------------------------


class AtomicJSONStorage(Storage):
    """A TinyDB storage over one human-readable JSON file that a crash cannot tear.

    The store holds the lock, so nobody else writes these files: the last data read or written is
    kept in memory and an autosave costs one write, not a read and a write.
    """

    def __init__(self, path: str | os.PathLike[str], *, describe: str = "", notes: list[str] | None = None,
                 read_only: bool = False, validate: Validator | None = None,
                 backups: int = BACKUPS, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.describe = describe or self.path.name
        self.notes = notes if notes is not None else []
        self.read_only = read_only
        self.validate = validate
        self.backups = backups
        self.clock = clock
        self._cache: dict[str, dict[str, Any]] | None = None
        self._loaded = False

    # TinyDB API ------------------------------------------------------------------------------

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self._loaded:
            self._cache = self._load()
            self._loaded = True
        return self._cache

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only:
            # TinyDB mutated the cached tables before calling us: forget them, keep the disk.
            self._cache, self._loaded = None, False
            raise StoreReadOnly("草稿库以只读方式打开（另一个窗口正在使用），修改未保存")
        try:
            payload = self.encode(data)
            self._rotate_backups()
            atomic_write_bytes(self.path, payload)
        except OSError as err:
            self._cache, self._loaded = None, False
            raise StoreError(f"无法保存{self.describe}：{os_reason(err)}（文件：{self.path}）") from None
        except BaseException:
            self._cache, self._loaded = None, False
            raise
        self._cache, self._loaded = data, True

    def close(self) -> None:
        pass

    # helpers ---------------------------------------------------------------------------------

    @staticmethod
    def encode(data: dict[str, Any]) -> bytes:
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def decode(self, raw: bytes) -> dict[str, dict[str, Any]]:
        """The file's tables, or :class:`ValueError` with a Chinese reason it cannot be used."""
        if not raw.strip():
            raise ValueError("文件是空的")
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ValueError("文件不是 UTF-8 文本") from None
        except json.JSONDecodeError as err:
            raise ValueError(f"不是完整的 JSON（第 {err.lineno} 行第 {err.colno} 列）") from None
        except ValueError:  # e.g. a number beyond Python's 4,300-digit limit
            raise ValueError("含有无法读取的数值") from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise ValueError("文件结构不对")
        for table in data.values():
            if not all(isinstance(doc, dict) for doc in table.values()):
                raise ValueError("文件结构不对")
        if self.validate is not None:
            try:
                self.validate(data)
            except ReportError as err:
                raise ValueError(err.lines()[0]) from None
        return data

    def _load(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = read_bounded(self.path, MAX_STORE_FILE_BYTES)
        except FileNotFoundError:
            if not any(backup_path(self.path, n).exists() for n in range(1, self.backups + 1)):
                return None
            return self._recover("文件不见了", damaged=False)
        except OSError as err:
            return self._recover(f"无法读取（{os_reason(err)}）", damaged=False)
        try:
            return self.decode(raw)
        except (ValueError, RecursionError) as err:
            return self._recover(str(err) if isinstance(err, ValueError) else "嵌套层次过深", damaged=True)

    def _recover(self, reason: str, *, damaged: bool) -> dict[str, dict[str, Any]] | None:
        """Move the damaged file aside (never delete it) and fall back on the newest good backup."""
        parts = [f"{self.describe}无法读取：{reason}。"]
        moved_to: Path | None = None
        if damaged and not self.read_only:
            moved_to = self._move_aside()
            if moved_to is not None:
                parts.append(f"损坏的文件已原样保留在：{moved_to}。")
        for n in range(1, self.backups + 1):
            bak = backup_path(self.path, n)
            try:
                raw = read_bounded(bak, MAX_STORE_FILE_BYTES)
                data = self.decode(raw)
            except (OSError, ValueError, RecursionError):
                continue
            when = _stamp(bak.stat().st_mtime)
            if self.read_only:
                parts.append(f"已暂时使用 {when} 的备份内容（只读模式，未修复文件）。")
            else:
                try:
                    atomic_write_bytes(self.path, raw)
                    parts.append(f"已从 {when} 的备份恢复。")
                except OSError as err:
                    parts.append(f"已使用 {when} 的备份内容，但无法写回：{os_reason(err)}。")
            self.notes.append("".join(parts))
            return data
        parts.append("没有可用的备份。")
        self.notes.append("".join(parts))
        return None

    def _move_aside(self) -> Path | None:
        stamp = datetime.fromtimestamp(self.clock()).strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}{DAMAGED_MARK}{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}{DAMAGED_MARK}{stamp}-{n}")
        try:
            os.replace(self.path, target)
            fsync_dir(self.path.parent)
        except OSError:
            return None
        return target

    def _rotate_backups(self) -> None:
        """Keep the version about to be replaced as ``.bak1``; shift older ones at most every 10 min."""
        if self.backups <= 0 or not self.path.exists():
            return
        second = backup_path(self.path, 2)
        try:
            shift = not second.exists() or self.clock() - second.stat().st_mtime >= BACKUP_SPACING_SECONDS
        except OSError:
            shift = True
        if shift:
            for n in range(self.backups, 1, -1):
                older = backup_path(self.path, n - 1)
                if older.exists():
                    os.replace(older, backup_path(self.path, n))
        first = backup_path(self.path, 1)
        tmp = first.with_name(f".{first.name}.tmp")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        try:
            # A hard link costs nothing whatever the file's size; FAT32 USB sticks have none.
            os.link(self.path, tmp)
        except OSError:
            shutil.copy2(self.path, tmp)
        os.replace(tmp, first)


__all__ = ["BACKUPS", "DAMAGED_MARK", "LOCK_FILE", "OWNER_FILE", "AtomicJSONStorage", "StoreError", "StoreLock",
           "StoreReadOnly", "atomic_write_bytes", "backup_path", "backup_paths", "fsync_dir", "os_reason",
           "remove_stale_temporaries"]
