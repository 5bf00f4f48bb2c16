"""Where outputs go (issue #17 F11, F14): devices stay devices, read-only files stay, modes and links survive."""

from __future__ import annotations

import errno
import os
import stat
import threading
import time
from pathlib import Path

import pytest

import core.fileio as fileio
from core.errors import OutputError
from core.exchange import dumps, write_report
from core.fileio import os_reason, safe_file_name, write_atomic
from core.sample import full_report

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes, devices and FIFOs")


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7), so the real ones are never at risk."""
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        with open(path, "wb") as fh:
            fh.write(b"")
    except (OSError, AttributeError) as err:
        pytest.skip(f"cannot make a device node here: {err}")
    return path


@posix
def test_a_character_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    write_report(full_report(), null)
    assert stat.S_ISCHR(null.stat().st_mode)


@posix
def test_a_full_device_gives_a_chinese_message(tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    with pytest.raises(OutputError) as info:
        write_report(full_report(), full)
    assert "磁盘空间不足" in str(info.value) and "No space" not in str(info.value)
    assert stat.S_ISCHR(full.stat().st_mode)


@posix
@pytest.mark.timeout(30)
def test_a_fifo_is_written_into_while_someone_reads_it(tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    for _ in range(100):  # until the reader has the FIFO open (the write refuses a FIFO nobody reads)
        try:
            write_report(full_report(), fifo)
            break
        except OutputError:
            time.sleep(0.05)
    thread.join(10)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and got[0].decode("utf-8") == dumps(full_report())


@posix
@pytest.mark.timeout(30)
def test_a_fifo_nobody_reads_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="没有程序在读取"):
        write_report(full_report(), fifo)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "年报.json"
    target.write_text("旧内容", encoding="utf-8")
    target.chmod(0o444)
    with pytest.raises(OutputError, match="只读"):
        write_report(full_report(), target)
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert list(tmp_path.iterdir()) == [target]


@posix
def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "年报.json"
    target.write_text("旧内容", encoding="utf-8")
    target.chmod(0o640)
    write_report(full_report(), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8") == dumps(full_report())


@posix
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_follows_the_umask(umask: int, tmp_path: Path) -> None:
    old = os.umask(umask)
    try:
        write_report(full_report(), tmp_path / "新.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "新.json").stat().st_mode) == 0o666 & ~umask


@posix
def test_hard_links_keep_sharing_the_new_content(tmp_path: Path) -> None:
    target = tmp_path / "年报.json"
    target.write_text("旧内容", encoding="utf-8")
    other = tmp_path / "另一个名字.json"
    os.link(target, other)
    write_report(full_report(), target)
    assert other.read_text(encoding="utf-8") == dumps(full_report())
    assert target.stat().st_ino == other.stat().st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, other.name])


@posix
def test_a_symbolic_link_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("旧内容", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_report(full_report(), link)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == dumps(full_report())


def test_a_folder_as_output_is_told_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as info:
        write_report(full_report(), tmp_path)
    assert "文件夹" in str(info.value) and "directory" not in str(info.value).lower()


def test_disk_full_during_the_write_leaves_the_old_file_and_no_temporary(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "年报.json"
    target.write_text("旧内容", encoding="utf-8")

    def full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio, "_write_all", full)
    with pytest.raises(OutputError) as info:
        write_report(full_report(), target)
    assert "磁盘空间不足" in str(info.value) and "No space" not in str(info.value)
    assert target.read_text(encoding="utf-8") == "旧内容" and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("code", [errno.EISDIR, errno.ENOSPC, errno.EROFS, errno.EIO, errno.ENAMETOOLONG, 9999])
def test_os_errors_are_told_in_chinese(code: int) -> None:
    english = os.strerror(code) if code != 9999 else "Unknown error"
    text = os_reason(OSError(code, english))
    assert text and english not in text and not any("a" <= ch <= "z" for ch in text)


def test_write_atomic_refuses_devices_for_the_stores_own_files(tmp_path: Path) -> None:
    with pytest.raises(fileio.NotRegularFile):
        write_atomic(tmp_path, b"x", devices=False)


@pytest.mark.parametrize(("name", "expected"), [
    ("某局/2021:年报?.pdf", "某局_2021_年报_.pdf"),
    ("报告\u202efdp.exe", "报告_fdp.exe"),
    ("CON.pdf", "_CON.pdf"),
    ("  ..  ", "年报"),
    ("a\x1b[31mb", "a_[31mb"),
])
def test_one_safe_file_name_rule(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


def test_a_long_name_fits_every_file_system_and_keeps_its_extension() -> None:
    name = safe_file_name("某" * 200 + "年度报告.pdf")
    assert name.startswith("某某") and name.endswith(".pdf")
    assert len(name.encode("utf-8")) <= 240
