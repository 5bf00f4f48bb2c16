"""Reading a published report's bytes: the exchange reader's bounded read (regular files only, the
size bounded by reading), so a FIFO or /dev/zero named .html is refused as an exchange file is."""

from __future__ import annotations

from pathlib import Path


def read_bounded(path: str | Path, limit: int, kind: str) -> bytes:
    """The file's bytes; :class:`InvalidReportFile` if missing, a folder, not a regular file, unreadable
    or too large."""
    from core.exchange import read_input

    return read_input(path, limit, kind)
