"""When to autosave, as plain arithmetic on an injected clock (the Qt timer only asks).

The promise to the clerk: whatever was typed is on disk within two seconds of the last
keystroke, even while typing without pause, and on close; every ten minutes of editing a version
is also kept in the history. Nothing here sleeps or reads the time itself, so tests drive it with
made-up seconds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AutosavePolicy:
    # Save once the clerk pauses this long …
    idle_seconds: float = 1.0
    # … and in any case no later than this after the first unsaved edit (continuous typing).
    max_delay_seconds: float = 2.0
    # A history version per this much editing time (only if something changed since the last one).
    version_every_seconds: float = 10 * 60.0
    # After a failed save (disk full, USB stick pulled out), try again this often.
    retry_seconds: float = 5.0


class Autosaver:
    """Tracks unsaved edits and says when a save (and a history version) is due."""

    def __init__(self, policy: AutosavePolicy | None = None, now: float = 0.0) -> None:
        self.policy = policy or AutosavePolicy()
        self._first_unsaved: float | None = None
        self._last_edit: float | None = None
        self._retry_at: float | None = None
        self._last_version = now
        self._edited_since_version = False

    @property
    def dirty(self) -> bool:
        return self._first_unsaved is not None

    def note_edit(self, now: float) -> None:
        if self._first_unsaved is None:
            self._first_unsaved = now
        self._last_edit = now
        self._edited_since_version = True

    def due(self, now: float) -> bool:
        """Whether the timer should save now."""
        if self._first_unsaved is None or self._last_edit is None:
            return False
        if self._retry_at is not None:
            return now >= self._retry_at
        p = self.policy
        return now - self._last_edit >= p.idle_seconds or now - self._first_unsaved >= p.max_delay_seconds

    def next_check(self, now: float) -> float | None:
        """Seconds until :meth:`due` can next become true (``None``: nothing to save)."""
        if self._first_unsaved is None or self._last_edit is None:
            return None
        if self._retry_at is not None:
            return max(0.0, self._retry_at - now)
        p = self.policy
        at = min(self._last_edit + p.idle_seconds, self._first_unsaved + p.max_delay_seconds)
        return max(0.0, at - now)

    def version_due(self, now: float) -> bool:
        """Whether the save about to happen should also be kept as a history version."""
        return self._edited_since_version and now - self._last_version >= self.policy.version_every_seconds

    def saved(self, now: float, *, versioned: bool = False) -> None:
        """A save succeeded with everything edited up to ``now``."""
        self._first_unsaved = self._last_edit = self._retry_at = None
        if versioned:
            self._last_version = now
            self._edited_since_version = False

    def failed(self, now: float) -> None:
        """A save failed: keep the edits pending and try again a little later."""
        self._retry_at = now + self.policy.retry_seconds

    def version_recorded(self, now: float) -> None:
        """A version was kept by other means (Ctrl+S): restart the ten-minute count."""
        self._last_version = now
        self._edited_since_version = False
