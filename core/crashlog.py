"""The last line of defence: an error nobody expected is written to a log file the clerk can send in.

The command line exits with :data:`EXIT_CRASH` (3) and one Chinese line naming the file; the window
shows :func:`crash_message` in a message box. Both call :func:`write_crash_log`, which never raises:
a crash while reporting a crash must not hide the first one.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

EXIT_CRASH = 3
LOG_FOLDER = "logs"
KEEP_LOGS = 20


def _folders(data_dir: str | os.PathLike[str] | None) -> list[Path]:
    folders = []
    if data_dir is not None:
        folders.append(Path(data_dir) / LOG_FOLDER)
    with contextlib.suppress(Exception):
        from core.datadir import resolve_data_dir

        folders.append(resolve_data_dir(None) / LOG_FOLDER)
    folders.append(Path(tempfile.gettempdir()) / "xxgk-report-logs")
    return folders


def write_crash_log(exc: BaseException, *, data_dir: str | os.PathLike[str] | None = None,
                    context: str = "") -> Path | None:
    """Write ``exc``'s traceback (with version and platform) to a new log file; its path, or ``None``.

    Tried in order: ``<data folder>/logs``, the default data folder's ``logs``, the temp folder.
    """
    from core import __version__

    stamp = datetime.now()
    lines = [
        f"xxgk-report {__version__} — {stamp.isoformat(timespec='seconds')}",
        f"Python {sys.version.split()[0]} on {platform.platform()}",
        f"argv: {sys.argv!r}",
    ]
    if context:
        lines.append(f"context: {context}")
    text = "\n".join(lines) + "\n\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    name = f"crash-{stamp:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    for folder in _folders(data_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            # Not the atomic write: this must work with as little of the program as possible.
            with open(path, "w", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(text)
            _prune(folder)
            return path
        except Exception:  # try the next folder
            continue
    return None


def _prune(folder: Path) -> None:
    with contextlib.suppress(OSError):
        logs = sorted(folder.glob("crash-*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in logs[KEEP_LOGS:]:
            old.unlink()


def crash_message(log: Path | None) -> str:
    """One Chinese line for the clerk: what happened, that drafts are safe, and where the details are."""
    where = f"详细信息已写入 {log}，请把该文件发给技术支持人员。" if log else "详细信息无法写入日志文件。"
    return f"程序遇到意外错误，操作未完成（已保存的草稿不受影响）。{where}"
