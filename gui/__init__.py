"""xxgk-report's desktop window (PySide6). Binds widgets to ``core``; holds no rules of its own."""

from __future__ import annotations

import ctypes
import sys


def _keep_none_alive() -> bool:
    """Work around bindings that drop a reference to ``None`` on every call returning nothing.

    Measured with PySide6 6.12.0 on CPython 3.11 (pyproject now pins PySide6 below 6.12 there;
    this guard stays for an installation that ends up with 6.12 anyway): each call of a void Qt method (``move``,
    ``setToolTip``, ``setObjectName`` …) lowers ``None``'s reference count by one, so after a few
    thousand calls — seconds of typing in the window — CPython aborts with "deallocating None".
    From 3.12 on ``None`` is immortal and the bug is harmless. When a probe shows the leak, give
    ``None`` a reference count no session can use up (2**40 calls).
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(16):
        probe.setObjectName("probe")
    if before - sys.getrefcount(None) < 8:
        return False
    # ob_refcnt is the first field of every object in a release build of CPython. The same
    # bindings were seen to drop references to True as well, so the singletons go together.
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40
    return True


NONE_REFCOUNT_PATCHED = _keep_none_alive()
