"""What the store hands out (:class:`Entry`, :class:`Version`, :class:`ImportOutcome`) and its time stamps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

Now = Callable[[], datetime]
EPOCH = datetime.fromtimestamp(0).astimezone()
# Stamps outside these years are damage, not dates (year 0001 or 9999 cannot even be converted
# to local time on every platform).
STAMP_YEARS = (1971, 2200)


def local_now() -> datetime:
    return datetime.now().astimezone()


def iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def parse_stamp(value: Any) -> datetime | None:
    """A stored time stamp, or ``None`` if it is not one the program could have written."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        t = datetime.fromisoformat(value)
        if not STAMP_YEARS[0] <= t.year <= STAMP_YEARS[1]:
            return None
        return t if t.tzinfo else t.astimezone()
    except (ValueError, OverflowError, OSError):
        return None


def parse_time(value: Any) -> datetime:
    """A stored time stamp; anything unusable reads as 1970 (sorted last, never a crash)."""
    return parse_stamp(value) or EPOCH


@dataclass(frozen=True)
class Entry:
    """One report as the drafts list shows it."""

    id: str
    name: str
    unit: str
    year: int
    title: str
    created: datetime
    modified: datetime
    status: str
    errors: int
    warnings: int
    deleted: datetime | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.title or self.unit or "（未命名报告）"


@dataclass(frozen=True)
class Version:
    """One saved version in a report's history."""

    id: int
    at: datetime
    label: str
    kind: str
    unit: str
    year: int


@dataclass
class ImportOutcome:
    """What happened to one file of an import: its new id, or the Chinese problems that stopped it."""

    path: Path
    id: str | None = None
    problems: list[str] = field(default_factory=list)
    skipped: bool = False  # valid, but not imported because another file was invalid (or the import failed)

    @property
    def ok(self) -> bool:
        return self.id is not None
