"""The installed Qt bindings must not leak references to None/True (PySide6 6.12.0 on CPython 3.11
does: the window then aborts with "deallocating None" after a few thousand keystrokes)."""

from __future__ import annotations

import sys

import pytest


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal from CPython 3.12")
def test_emit_and_void_calls_keep_singletons_alive(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QObject, QTimer, Signal

    class Emitter(QObject):
        changed = Signal(str)

    emitter, timer = Emitter(), QTimer()
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        emitter.changed.emit("x")
        timer.start(1000)
        timer.stop()
    assert true_before - sys.getrefcount(True) < 50
    assert none_before - sys.getrefcount(None) < 50
