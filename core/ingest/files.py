"""Reading a published report's bytes: bounded, and every failure as a Chinese message."""

from __future__ import annotations

from pathlib import Path

from core.errors import InvalidReportFile


def read_bounded(path: str | Path, limit: int, kind: str) -> bytes:
    """The file's bytes; :class:`InvalidReportFile` if missing, a folder, unreadable or too large."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InvalidReportFile(f"{p} 是文件夹，不是{kind}", [f"{p}：是文件夹，不是{kind}"])
        size = p.stat().st_size
        if size > limit:
            raise InvalidReportFile(f"{kind}过大", [f"{p}：文件大小 {size / 1024 / 1024:.1f} MB，"
                                                  f"超过 {limit // 1024 // 1024} MB 上限，不像是一份年报"])
        return p.read_bytes()
    except FileNotFoundError:
        raise InvalidReportFile(f"找不到文件 {p}", [f"{p}：文件不存在"]) from None
    except PermissionError:
        raise InvalidReportFile(f"没有权限读取 {p}", [f"{p}：没有读取权限"]) from None
    except OSError as err:
        raise InvalidReportFile(f"无法读取 {p}", [f"{p}：无法读取（{err.strerror or err}）"]) from None
