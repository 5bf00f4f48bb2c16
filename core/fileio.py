"""Every file the program reads or writes goes through here: bounded reads, one atomic write, one name rule.

Reading (:func:`read_bounded`): only regular files are read (a FIFO would block for ever, ``/dev/zero``
reports a size of 0 and never ends), and the read itself stops one byte past the limit instead of
trusting the size the file system reports.

Writing (:func:`write_atomic`, the ONE atomic write of the program; the drafts store and every
exporter use it):

* a regular file is replaced atomically: temporary file in the same folder → flush → fsync →
  ``os.replace`` → fsync of the folder, so the target is the old file or the whole new one;
* a **read-only** file is refused, as Word does (root would otherwise replace it silently);
* a replaced file **keeps its mode** (and, where allowed, its owner); a **new** file gets the mode the
  umask gives (0666 & ~umask), except the store's private files (``private=True``: 0600);
* a symbolic link is followed: the file it points to is replaced and the link stays a link;
* a file with **several hard links** is rewritten in place, so that every link sees the new content
  (the one case that is not atomic: the alternative, silently breaking the links, loses the
  clerk's other copy); the new bytes are first written to a temporary file, so a full disk is
  found out before the file is touched;
* a **character device or FIFO** (``-o /dev/null``, ``-o /dev/stdout`` in a pipe) is written into
  directly, never replaced by a regular file; a FIFO nobody reads is refused instead of hanging;
  anything else that is not a regular file (folder, block device, socket) is refused.

:func:`os_reason` turns an ``OSError`` into Chinese by its errno: the OS's own text is English on
most PCs and must never reach the clerk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import threading
from pathlib import Path

from core.errors import OutputError


class NotRegularFile(OSError):
    """The path exists but is not a regular file (folder, FIFO, device, socket)."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file: {kind}", str(path))
        self.kind = kind


class FileTooLarge(OSError):
    """The file holds more than the caller's limit (found by reading, not by trusting st_size)."""

    def __init__(self, path: str | os.PathLike[str], limit: int) -> None:
        super().__init__(errno.EFBIG, "file too large", str(path))
        self.limit = limit


class ReadOnlyFile(PermissionError):
    """The target is marked read-only; it is not replaced even when the user could (root)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(errno.EACCES, "read-only file", str(path))


# -- errno → Chinese --------------------------------------------------------------------------

_REASONS: dict[int, str] = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限，或文件正被其他程序占用",
    errno.EPERM: "没有权限，或文件正被其他程序占用",
    errno.ENOSPC: "磁盘空间不足",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EROFS: "磁盘或文件夹是只读的（例如写保护的U盘或光盘）",
    errno.EEXIST: "同名文件已存在",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EIO: "读写设备出错（磁盘或U盘可能已损坏或已拔出）",
    errno.EBUSY: "文件或设备正被占用",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "打开的文件过多",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.ELOOP: "符号链接层次过多或形成了循环",
    errno.EINVAL: "文件名或操作无效",
    errno.ENODEV: "设备不存在",
    errno.ENXIO: "设备不存在，或没有程序在读取该管道",
    errno.EFBIG: "文件过大",
    errno.EAGAIN: "资源暂时不可用，请稍后再试",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EPIPE: "读取方已关闭",
    errno.ETXTBSY: "文件正被占用",
}
for _name, _text in (("EDQUOT", "磁盘配额已用完"), ("ESTALE", "网络文件已失效，请重新连接共享文件夹"),
                     ("EHOSTDOWN", "网络共享不可用"), ("ETIMEDOUT", "网络共享响应超时")):
    if hasattr(errno, _name):
        _REASONS[getattr(errno, _name)] = _text

_KINDS = {"folder": "文件夹", "fifo": "命名管道（FIFO）", "char": "设备文件", "block": "块设备",
          "socket": "套接字", "other": "特殊文件"}


def os_reason(err: OSError) -> str:
    """The cause of a file error in Chinese, by its errno; never the OS's English text."""
    if isinstance(err, NotRegularFile):
        return f"这是{_KINDS.get(err.kind, '特殊文件')}，不是普通文件"
    if isinstance(err, FileTooLarge):
        return f"文件超过 {err.limit / 1024 / 1024:g} MB 上限"
    if isinstance(err, ReadOnlyFile):
        return "该文件是只读文件"
    code = err.errno
    if code in _REASONS:
        return _REASONS[code]
    if isinstance(err, PermissionError):
        return _REASONS[errno.EACCES]
    if isinstance(err, FileNotFoundError):
        return _REASONS[errno.ENOENT]
    if isinstance(err, IsADirectoryError):
        return _REASONS[errno.EISDIR]
    return f"系统错误（错误号 {code}）" if code else "系统错误"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode):
        return "char"
    if stat.S_ISBLK(mode):
        return "block"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "other"


# -- reading ----------------------------------------------------------------------------------


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises :class:`NotRegularFile`, :class:`FileTooLarge` or the ``OSError`` of opening/reading.
    """
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer for ever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    if os.path.isdir(path):  # Windows cannot even open a folder; say what it is everywhere.
        raise NotRegularFile(path, "folder")
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, _kind(mode))
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(path, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


# -- writing ----------------------------------------------------------------------------------

_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process umask (read without changing it where the OS allows)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable. Windows has no directory handles to fsync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_special(target: Path, kind: str, data: bytes) -> None:
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    if kind == "fifo":
        # Non-blocking open fails with ENXIO when nobody reads the FIFO, instead of waiting for ever.
        fd = os.open(target, flags | os.O_NONBLOCK)
        os.set_blocking(fd, True)
    else:
        fd = os.open(target, flags)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _temporary(folder: Path, name: str, data: bytes, *, durable: bool, mode: int,
               owner: tuple[int, int] | None) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        if owner is not None and hasattr(os, "fchown"):
            with contextlib.suppress(OSError):
                os.fchown(fd, *owner)
        _write_all(fd, data)
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    return tmp


def write_atomic(path: str | os.PathLike[str], data: bytes, *, durable: bool = True, private: bool = False,
                 devices: bool = True, keep_links: bool = True) -> None:
    """Write ``data`` to ``path`` by the rules in this module's docstring; raises ``OSError``.

    ``private``: a new file is readable by its owner only (the drafts store). ``devices``: whether a
    character device or FIFO may be written into (outputs yes; the store's own files no).
    ``keep_links``: rewrite a hard-linked file in place (outputs); the store says no, because its
    ``.bak1`` IS a hard link of the file it backs up and must keep the old content.
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        if devices and kind in ("char", "fifo"):
            _write_special(target, kind, data)
            return
        raise NotRegularFile(target, kind)
    if st is not None and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise ReadOnlyFile(target)
    folder = target.parent if str(target.parent) else Path(".")
    if st is not None:
        mode, owner = stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid)
    else:
        mode, owner = (0o600 if private else 0o666 & ~current_umask()), None
    tmp = _temporary(folder, target.name, data, durable=durable, mode=mode, owner=owner)
    try:
        if keep_links and st is not None and st.st_nlink > 1:
            # Several names share this file: rewrite it in place so that every name sees the new
            # content (the temporary copy above already proved the bytes fit on the disk).
            fd = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0))
            try:
                _write_all(fd, data)
                os.ftruncate(fd, len(data))
                if durable:
                    os.fsync(fd)
            finally:
                os.close(fd)
            os.unlink(tmp)
            return
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        with contextlib.suppress(OSError):
            fsync_dir(folder)


def write_output(path: str | os.PathLike[str], data: bytes) -> None:
    """:func:`write_atomic` for a file the clerk asked for; raises :class:`OutputError` in Chinese."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"无法保存到 {target}：文件夹 {folder} 不存在")
    try:
        write_atomic(target, data)
    except ReadOnlyFile:
        raise OutputError(f"无法保存到 {target}：该文件是只读文件，未覆盖。请另存为其他文件名，"
                          "或先在文件属性中取消“只读”") from None
    except OSError as err:
        raise OutputError(f"无法保存到 {target}：{os_reason(err)}") from None


# -- file names -------------------------------------------------------------------------------

# Characters Windows forbids, controls (C0, DEL, C1) and the bidi overrides/isolates that make a
# name read differently from what it is ("报告\u202efdp.exe").
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
# Linux allows 255 bytes per name; Chinese takes 3 bytes a character in UTF-8.
MAX_NAME_BYTES = 240


def safe_file_name(name: str, *, fallback: str = "年报", max_bytes: int = MAX_NAME_BYTES) -> str:
    """A file name every system accepts, from a title or unit: the one rule for suggested names.

    Forbidden and invisible characters become ``_``; leading/trailing spaces and dots go; reserved
    Windows names get a ``_`` in front; a long name is shortened (keeping its extension) to fit.
    """
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    if not cleaned.strip("_ ") or not _EXTENSION.sub("", cleaned).strip("_ ."):
        cleaned = fallback
    if _RESERVED.match(cleaned):
        cleaned = f"_{cleaned}"
    match = _EXTENSION.search(cleaned)
    ext = match.group(0) if match and match.start() > 0 else ""
    stem = cleaned[: len(cleaned) - len(ext)]
    while len((stem + ext).encode("utf-8")) > max_bytes and stem:
        stem = stem[:-1]
    return (stem.rstrip(" .") or fallback) + ext
