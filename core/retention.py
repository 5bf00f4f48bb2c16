"""How long the history keeps versions: the newest ones, plus the newest version of each day for a month."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

HISTORY_KEEP_LAST = 30
HISTORY_DAILY_DAYS = 30


def versions_to_drop(versions: Iterable[tuple[int, datetime]], now: datetime,
                     keep_last: int = HISTORY_KEEP_LAST, daily_days: int = HISTORY_DAILY_DAYS) -> set[int]:
    """Which versions retention removes: beyond the newest ``keep_last``, one per day for a month."""
    ordered = sorted(versions, key=lambda v: (v[1], v[0]), reverse=True)
    drop: set[int] = set()
    seen_days: set[date] = set()
    horizon = now - timedelta(days=daily_days)
    for i, (vid, at) in enumerate(ordered):
        day = at.date()
        if i < keep_last:
            seen_days.add(day)
            continue
        if at >= horizon and day not in seen_days:
            seen_days.add(day)
            continue
        drop.add(vid)
    return drop
