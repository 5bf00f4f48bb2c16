"""What goes into the one-folder app, in one place: read by the spec, ``build.py`` and the tests.

Kept free of PyInstaller imports so that the fast tests can check it without building anything.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "xxgk-report"
# On Windows the window gets an executable without a console, and the command line its own one.
CLI_NAME = "xxgk-report-cli"

# Libraries whose own data files the program needs at run time (PyInstaller follows their code, not
# their data), collected with ``collect_data_files``: pdfminer's CMaps decode the Chinese text of a
# published PDF (core/ingest); python-docx starts every Word export from its bundled default.docx and
# part templates (core/publish/docx.py) and loads them when a Word file being read lacks them. lxml
# needs none beyond its compiled modules, which the import analysis finds.
PACKAGE_DATA = ("pdfminer", "docx")

# Packages whose source files must also lie in the bundle's folder tree, not only in the archive:
# python-docx finds its header, footer, settings and styles parts as ``docx/parts/../templates/…``,
# a path the OS resolves only when ``docx/parts`` is a real folder (every Word export has a footer).
SOURCE_PACKAGES = {"docx.parts": "pyz+py"}

# Data folders the program cannot run without, copied into the bundle under the same names so
# that ``core.paths.resources_root()`` finds them at ``sys._MEIPASS/resources``.
REQUIRED_DATA = ("resources/templates", "resources/samples", "resources/fonts")
# Drawn by the window's helper; a build without them still works, just without an icon.
OPTIONAL_DATA = ("resources/icons",)

# Runtime libraries the program imports only inside functions, when the feature is used: named so
# the bundle carries them whatever the analysis makes of a lazy import (openpyxl: the 汇总 window's
# rosters and Excel workbooks, core/region/).
RUNTIME_LIBRARIES = ("openpyxl",)

# What is left out of the bundle, in named groups so that ``packaging/measure.py`` can build with
# each group put back and measure what leaving it out saves (figures in docs/packaging.md).
# Modules: nothing in the program imports them at run time, but a library or a hook would pull them in.
EXCLUDED_MODULES: dict[str, tuple[str, ...]] = {
    # Qt bindings the window does not use; with them go their Qt libraries and plugins.
    # (QtNetwork stays: gui/single_instance.py's local socket hands a file to the running window.)
    "qt_modules": (
        "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
        "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtDBus",
        "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools",
        "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets",
        "PySide6.QtMultimedia", "PySide6.Qt3DCore", "PySide6.QtLabsStyleKit",
    ),
    # ReportLab imports Pillow (it cannot start without it) only to embed raster images, and the
    # report has none: the image formats and colour management that bring their own libraries stay out.
    "pillow_codecs": (
        "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingcms",
        "PIL.ImageCms", "PIL._imagingtk", "PIL.ImageTk", "PIL._imagingft", "PIL.ImageFont", "PIL.ImageQt",
    ),
    # The program opens no connection, so it needs no TLS; hashlib falls back on its built-in
    # md5/sha code (all ReportLab uses), so OpenSSL's libcrypto stays out too.
    "openssl": ("ssl", "_ssl", "_hashlib"),
    "stdlib": ("tkinter", "unittest", "pydoc_data", "test", "IPython", "numpy", "lib2to3", "idlelib"),
    # lxml's parts beyond etree and lxml.html (core/ingest/html.py): python-docx, openpyxl and our code
    # import only lxml.etree; lxml's hook collects every submodule, and objectify alone is 2.8 MB.
    "lxml_extras": (
        "lxml.objectify", "lxml.sax", "lxml.isoschematron", "lxml.html.diff", "lxml.html._difflib",
        "lxml.html._diffcommand", "lxml.html.clean", "lxml.html.soupparser", "lxml.html.html5parser",
        "lxml.html.ElementSoup", "lxml.html.formfill", "lxml.html.usedoctest", "lxml.usedoctest",
        "lxml.doctestcompare", "lxml.cssselect", "lxml.html.builder", "lxml.builder",
    ),
    # Nothing in the program stores anything in SQLite (the drafts are JSON files, core/store.py).
    # filelock's read-write lock is its only user; the program takes filelock.FileLock, and filelock
    # itself treats a missing sqlite3 as "no ReadWriteLock" (its lazy __getattr__).
    "sqlite": ("sqlite3", "_sqlite3", "filelock._sqlite"),
    # readline (+ libreadline, libtinfo) serves only pdb/cmd/code at an interactive prompt, which a
    # bundle never shows; each of them imports it inside try/except ImportError.
    "readline": ("readline",),
    # Python's Japanese and Korean codecs: a report page is UTF-8, GBK/GB18030 or Big5 (_codecs_cn,
    # _codecs_tw, _codecs_hk stay). charset-normalizer, which tries every codec on a page without a
    # charset, skips one that will not load (Python's codec search turns the failed import into a
    # LookupError, which it catches).
    "codecs_jp_kr": ("_codecs_jp", "_codecs_kr", "_codecs_iso2022"),
}

# Qt translations: the program speaks Chinese only, so only the zh_CN catalogues travel.
KEPT_TRANSLATIONS = re.compile(r"_zh_CN\.qm$")

# Qt plugins the program has no use for, by path under ``PySide6/Qt/plugins``. Platforms kept: xcb
# and wayland (the desktops), offscreen (self-test and tests without a display), windows elsewhere.
# Input contexts ibus and compose are kept: Chinese is typed through them.
DROPPED_PLUGINS = re.compile(
    r"plugins[/\\]("
    r"platforms[/\\](libqeglfs|libqlinuxfb|libqminimal|libqminimalegl|libqvnc|libqvkkhrdisplay|qminimal|qdirect2d)"
    r"|egldeviceintegrations|generic|networkinformation|tls|sqldrivers|qmltooling|designer"
    r"|wayland-graphics-integration-server"
    # Server-buffer sharing with a Qt-based compositor (not the desktop's own KWin/Mutter/deepin-kwin).
    r"|wayland-graphics-integration-client[/\\](lib)?(dmabuf-server|drm-egl-server|shm-emulation-server|vulkan-server)"
    r"|platforminputcontexts[/\\](libqtvirtualkeyboardplugin|qtvirtualkeyboardplugin)"
    r"|imageformats[/\\](lib)?q(icns|tga|tiff|wbmp|webp|pdf|jpeg)"
    r")"
)
# pdfminer's CMaps for Japanese (Adobe-Japan1) and Korean (Adobe-Korea1) fonts: a Chinese report's
# fonts are Adobe-GB1 (simplified) or Adobe-CNS1 (traditional), or Identity-H with their own ToUnicode
# map, which loads no file at all. pdfminer loads a CMap file only when a font names it, so every
# GB1/CNS1 CMap and to-unicode file stays. Named one by one so that a new file pdfminer adds travels.
DROPPED_CMAPS = re.compile(
    r"pdfminer[/\\]cmap[/\\]"
    r"(to-unicode-Adobe-(Japan1|Korea1)"
    r"|(78|78ms|83pv|90ms|90msp|90pv|Add|Ext|EUC|RKSJ|Hankaku|Hiragana|Katakana|NWP|Roman|WP-Symbol"
    r"|UniJIS\w*|UniKS|KSC\w*)(-\w+)*-[HV]"
    r"|[HV])\.json\.gz$"
)
# python-docx's unpacked copy of default.docx, from which the package's own default.docx was made:
# at run time python-docx opens default.docx and the default-*.xml parts beside it, never this folder.
DROPPED_DOCX_SOURCE = re.compile(r"docx[/\\]templates[/\\]default-docx-template[/\\]")

# The icon's sources: the Windows .ico is compiled into the .exe (the window loads the .svg/.png
# files), and draw_icon.py is the script that drew them.
DROPPED_ICON_SOURCES = re.compile(r"resources[/\\]icons[/\\](draw_icon\.py|.*\.ico)$")

# The GTK theme plugin drags in the build machine's cairo, pango and GIO, which then clash with the
# GTK of the clerk's desktop; without it Qt draws its own (Chinese) file dialogs everywhere.
DROPPED_GTK_THEME = re.compile(r"plugins[/\\]platformthemes[/\\]libqgtk3")

# Linux: printing goes through the desktop's own CUPS library rather than a copy of the build
# machine's, which drags in GnuTLS, Kerberos and Avahi (~9 MB) and must match the local cupsd anyway.
SYSTEM_LIBRARIES = re.compile(r"^libcups\.so")

# Compatibility builds for old desktops (``XXGK_BUNDLE_TARGET=compat``, set by linux/build_compat.py):
# libraries every UOS/Kylin desktop has and the .deb depends on (core/syslibs.py). The build chroot's
# copies are newer than the target's glibc allows (libsystemd, pulled in by libdbus, needs GLIBC_2.30)
# and would shadow the desktop's own; the desktop's copies then serve Qt, as on any Debian system.
# Names end in ".so" right after the library's name, so Pillow's own hashed copies (libxcb-64009ff3.so) stay.
# libxcb-util.so.1 travels: Debian 10 (UOS 20's base) had only libxcb-util0 (libxcb-util.so.0), and it is
# small, with nothing newer than GLIBC_2.8 in it.
COMPAT_SYSTEM_LIBRARIES = re.compile(
    r"^lib(systemd|dbus-1|glib-2\.0|gthread-2\.0|gobject-2\.0|gio-2\.0|gmodule-2\.0|freetype|png16|fontconfig"
    r"|expat|X11|X11-xcb|Xau|Xdmcp|xkbcommon|xkbcommon-x11|GL|EGL|GLX|GLdispatch|bsd|md"
    r"|xcb(-(icccm|keysyms|cursor|image|render-util|xkb|randr|render|shape|shm|sync|xfixes|glx|xinerama))?"
    r")\.so"
)


def system_libraries(environ: dict[str, str] | None = None) -> re.Pattern[str]:
    """The libraries the bundle leaves to the system: CUPS always, the desktop's own for compat builds."""
    import os

    target = (os.environ if environ is None else environ).get("XXGK_BUNDLE_TARGET", "")
    if target == "compat":
        return re.compile(f"{SYSTEM_LIBRARIES.pattern}|{COMPAT_SYSTEM_LIBRARIES.pattern}")
    return SYSTEM_LIBRARIES


GROUPS = (*EXCLUDED_MODULES, "translations", "cjk_cmaps", "docx_template_source", "icon_sources", "plugins",
          "gtk_theme", "system_cups", "orphan_libs", "strip")


def excluded_modules(keep: frozenset[str] = frozenset()) -> list[str]:
    return [m for group, mods in EXCLUDED_MODULES.items() if group not in keep for m in mods]


def kept_groups(environ: dict[str, str] | None = None) -> frozenset[str]:
    """Groups to put back, from ``XXGK_BUNDLE_KEEP`` (comma-separated; ``all`` for an untrimmed build)."""
    import os

    value = (os.environ if environ is None else environ).get("XXGK_BUNDLE_KEEP", "")
    names = {n.strip() for n in value.split(",") if n.strip()}
    return frozenset(GROUPS) if "all" in names else frozenset(names)


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The version as ``pyproject.toml`` declares it: the single place it is written."""
    text = pyproject.read_text("utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        return str(tomllib.loads(text)["project"]["version"])
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)  # Python 3.10 has no tomllib
    if not match:
        raise ValueError(f"{pyproject} 中没有 version")
    return match.group(1)


def data_folders(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(source, destination)`` pairs for PyInstaller; optional folders only when they hold files."""
    pairs = []
    for rel in (*REQUIRED_DATA, *OPTIONAL_DATA):
        folder = root / rel
        if rel in OPTIONAL_DATA and not (folder.is_dir() and any(folder.iterdir())):
            continue
        pairs.append((str(folder), rel))
    return pairs


def missing_required(root: Path = ROOT) -> list[str]:
    return [rel for rel in REQUIRED_DATA if not (root / rel).is_dir() or not any((root / rel).iterdir())]


def icon_file(suffix: str, root: Path = ROOT) -> Path | None:
    """The program's icon in the given format (``.ico`` for Windows, ``.png``/``.svg`` for Linux)."""
    folder = root / "resources" / "icons"
    if not folder.is_dir():
        return None
    candidates = sorted(folder.glob(f"*{suffix}"))
    preferred = [p for p in candidates if p.stem.startswith(APP_NAME)] or candidates
    if suffix == ".png":
        preferred.sort(key=lambda p: p.stat().st_size, reverse=True)  # the largest size scales best
    return preferred[0] if preferred else None


def keep_data(dest: str, keep: frozenset[str] = frozenset()) -> bool:
    """Whether a data file PyInstaller collected belongs in the bundle."""
    normalized = dest.replace("\\", "/")
    if "cjk_cmaps" not in keep and DROPPED_CMAPS.search(normalized):
        return False
    if "docx_template_source" not in keep and DROPPED_DOCX_SOURCE.search(normalized):
        return False
    if "icon_sources" not in keep and DROPPED_ICON_SOURCES.search(normalized):
        return False
    if "translations" not in keep and "/translations/" in normalized and normalized.endswith(".qm"):
        return bool(KEPT_TRANSLATIONS.search(normalized))
    return True


def keep_binary(dest: str, keep: frozenset[str] = frozenset()) -> bool:
    if "plugins" not in keep and DROPPED_PLUGINS.search(dest):
        return False
    return "gtk_theme" in keep or not DROPPED_GTK_THEME.search(dest)


def _library_candidate(dest: str) -> bool:
    """A shared library PyInstaller copied only because something else needed it."""
    folder, _, name = dest.replace("\\", "/").rpartition("/")
    return folder in ("", "PySide6/Qt/lib") and name.startswith("lib") and not name.startswith("libpython")


def prune_binaries(binaries: list[tuple[str, str, str]], imports_of: Callable[[str], list[str]],
                   keep: frozenset[str] = frozenset(),
                   system: re.Pattern[str] = SYSTEM_LIBRARIES) -> list[tuple[str, str, str]]:
    """Linux: drop the system CUPS library, then every library no longer needed by what is left.

    Dropping a plugin leaves behind the libraries it alone pulled in (the GTK theme's cairo and
    pango, the TLS plugin's QtNetwork): they are found by following the link-time dependencies
    (``imports_of``: library names a binary needs) from the Python extensions, the Qt plugins and
    the libraries loaded through ctypes.
    """
    entries = list(binaries)
    if "system_cups" not in keep:
        entries = [e for e in entries if not system.match(e[0].replace("\\", "/").rpartition("/")[2])]
    if "orphan_libs" in keep:
        return entries
    candidates = {e[0].replace("\\", "/").rpartition("/")[2]: e for e in entries if _library_candidate(e[0])}
    needed: set[str] = set()
    todo = [e for e in entries if not _library_candidate(e[0])]
    while todo:
        entry = todo.pop()
        for name in imports_of(entry[1]):
            base = name.replace("\\", "/").rpartition("/")[2]
            if base in candidates and base not in needed:
                needed.add(base)
                todo.append(candidates[base])
    return [e for e in entries if not _library_candidate(e[0]) or e[0].replace("\\", "/").rpartition("/")[2] in needed]


def elf_needed(path: str) -> list[str]:
    """The libraries an ELF file links against directly (``objdump``, from binutils like ``strip``).

    Direct links only: ``ldd`` would list the whole tree as resolved on this machine, including
    what the system CUPS library needs, which the bundle then does not have to carry.
    """
    import subprocess

    out = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=False).stdout
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")]
