"""The desktop's own libraries that Qt's xcb platform (the window on Linux/X11) loads, and which are missing.

The bundle carries Qt, but not the X11/xcb libraries: they belong to the desktop, and
PyInstaller leaves them to it. When one is missing, Qt aborts with a message that blames
``libxcb-cursor0`` whatever is really absent; the self-test names the real one instead, with the
package to install. Pure Python (``ctypes``), no Qt: it runs before Qt is loaded.

The list is what ``libqxcb.so``, ``libQt6XcbQpa.so.6`` and ``libQt6Gui.so.6`` of PySide6 6.7–6.11
(x86_64 and aarch64) link against (``readelf -d``), with the Debian/UOS/Kylin package that ships each library. The same
list makes the ``.deb``'s ``Depends`` (``packaging/linux/build_deb.py``) and is named in README.md and
docs/install.md (a test keeps the three in step).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from core.errors import ReportError

# (soname, Debian package). Order: the libraries a fresh desktop most often lacks first.
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb.so.1", "libxcb1"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libX11.so.6", "libx11-6"),
    # X session management: linked by the aarch64 build of PySide6 6.7.3 (the arm64 bundle), not by 6.9+.
    ("libSM.so.6", "libsm6"),
    ("libICE.so.6", "libice6"),
    ("libGL.so.1", "libgl1"),
    ("libEGL.so.1", "libegl1"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libfreetype.so.6", "libfreetype6"),
    ("libglib-2.0.so.0", "libglib2.0-0"),
    ("libdbus-1.so.3", "libdbus-1-3"),
)


class MissingSystemLibraries(ReportError):
    """The desktop lacks libraries the window needs; the message names them and their packages."""


def _bundle_folders() -> list[Path]:
    """Folders of a PyInstaller bundle where a carried library would be found by Qt (RUNPATH)."""
    base = getattr(sys, "_MEIPASS", None)
    if not base:
        return []
    # A path inside the bundle (where PySide6 keeps Qt), not a module name.
    return [Path(base), Path(base, "PySide6/Qt/lib")]


def loadable(soname: str) -> bool:
    """Whether the dynamic loader finds the library (and what it needs) the way Qt will ask for it."""
    if any((folder / soname).exists() for folder in _bundle_folders()):
        return True
    try:
        ctypes.CDLL(soname, mode=os.RTLD_LAZY | os.RTLD_LOCAL)
    except OSError:
        return False
    return True


def missing_libraries(libraries: Iterable[tuple[str, str]] = XCB_LIBRARIES,
                      is_loadable: Callable[[str], bool] | None = None) -> list[tuple[str, str]]:
    found = is_loadable or loadable
    return [(soname, package) for soname, package in libraries if not found(soname)]


def describe_missing(missing: list[tuple[str, str]]) -> str:
    names = "、".join(f"{soname}（软件包 {package}）" for soname, package in missing)
    packages = " ".join(package for _, package in missing)
    return (f"缺少图形界面所需的系统库 {names}，程序窗口无法打开；"
            f"请让管理员安装：sudo apt-get install {packages}")


def self_test_step(ctx: object = None) -> str:
    """The self-test's step: the libraries of the xcb platform, named when one is missing."""
    if not sys.platform.startswith("linux"):
        return f"本系统（{sys.platform}）不使用 xcb 图形库，无需检查"
    missing = missing_libraries()
    if missing:
        raise MissingSystemLibraries(describe_missing(missing))
    return f"Qt 窗口（xcb）所需的 {len(XCB_LIBRARIES)} 个系统库齐全"
