"""After a failed autosave recovers, the core says so, so the window can stop showing “自动保存失败” (#17 F14)."""

from __future__ import annotations

from core.autosave import Autosaver


def test_a_save_after_failures_reports_the_recovery() -> None:
    a = Autosaver()
    a.note_edit(0.0)
    a.failed(2.0)
    assert a.failing
    assert a.due(7.0)
    assert a.saved(7.0) is True
    assert not a.failing
    a.note_edit(8.0)
    assert a.saved(10.0) is False  # an ordinary save is no recovery
