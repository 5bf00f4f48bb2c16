"""Finding, loading and choosing the faces of the PDF, one character at a time.

Each *role* (title, body, heading1, heading2) prefers the official face when the PC has it (file
names as Windows, WPS and the office font packs install them), then the open face bundled in
``resources/fonts``. A character the role's faces lack is drawn from the next face that has it
(the body faces, then the wide system faces such as 宋体 or 文泉驿), so the page never shows a box;
a character no face has is drawn as 〓 and reported.

Parsed fonts are kept for the life of the process (the GUI exports and previews many times), and a
face is only parsed when a character actually needs it.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from core.paths import resource_path

ROLES = ("title", "heading1", "heading2", "body", "folio")

# Lower-case file names, best first. ReportLab embeds TrueType outlines only; the faces below are
# TrueType as Windows and the usual font packs ship them.
OFFICIAL: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体.ttf", "fzxbsjw.ttf", "fzxbsjw--gb1-0.ttf", "方正小标宋_gbk.ttf", "fzxbsk.ttf"),
    "body": ("仿宋_gb2312.ttf", "fs_gb2312.ttf", "仿宋_gb2312.ttc", "simfang.ttf", "仿宋.ttf", "fangsong.ttf"),
    "heading1": ("simhei.ttf", "黑体.ttf", "simhei.ttc"),
    "heading2": ("楷体_gb2312.ttf", "kaiti_gb2312.ttf", "kt_gb2312.ttf", "simkai.ttf", "楷体.ttf", "kaiti.ttf"),
    # Page numbers in 宋体 digits (GB/T 9704 7.5); the print data may name other files.
    "folio": ("simsun.ttc", "simsun.ttf"),
}

BUNDLED: dict[str, str] = {
    "title": "XxgkSongBold-L1.ttf",
    "body": "XxgkFang-GB2312.ttf",
    "heading1": "XxgkHei-Headings.ttf",
    "heading2": "XxgkKai-Headings.ttf",
    "folio": "XxgkSerif-Digits.ttf",
}

# Wide faces asked only for characters the report's own faces lack (rare names, GBK/CJK Ext-A).
WIDE_FALLBACKS = (
    "simsun.ttc", "simsunb.ttf", "msyh.ttc", "simhei.ttf",
    "wqy-zenhei.ttc", "wqy-microhei.ttc", "uming.ttc", "ukai.ttc",
    "lxgwwenkai-regular.ttf", "droidsansfallbackfull.ttf", "droidsansfallback.ttf",
)

FONT_SUFFIXES = (".ttf", ".ttc")
MISSING_MARK = "〓"


def font_dirs() -> list[Path]:
    """Where installed fonts live on Windows, UOS/Kylin and other Linux desktops (and macOS)."""
    override = os.environ.get("XXGK_REPORT_FONT_DIRS")
    if override is not None:
        return [Path(p) for p in override.split(os.pathsep) if p]
    home = Path.home()
    dirs: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    else:
        data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
        dirs += [data_home / "fonts", home / ".local" / "share" / "fonts", home / ".fonts",
                 Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                 # WPS Office on UOS/Kylin brings 仿宋_GB2312 and friends here.
                 Path("/opt/kingsoft/wps-office/office6/fonts"), Path("/usr/share/wps-office/fonts")]
    return dirs


_index_lock = threading.Lock()
_index: dict[tuple[str, ...], dict[str, Path]] = {}


def installed_fonts() -> dict[str, Path]:
    """Lower-case file name → path of every TrueType font in the font folders (first one wins)."""
    dirs = [str(d) for d in font_dirs()]
    # A font installed while the program runs changes its folder's time, and so the key.
    key = tuple(f"{d}\0{_mtime(d)}" for d in dirs)
    with _index_lock:
        if key in _index:
            return _index[key]
        found: dict[str, Path] = {}
        for folder in dirs:
            for root, _dirs, files in os.walk(folder):
                for name in files:
                    low = name.lower()
                    if low.endswith(FONT_SUFFIXES) and low not in found:
                        found[low] = Path(root) / name
        _index[key] = found
        return found


def _mtime(folder: str) -> int:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return 0


@dataclass
class Face:
    """One font file, parsed on first use and registered with ReportLab under a unique name."""

    path: Path
    official: bool = False
    _font: TTFont | None = field(default=None, repr=False)
    _failed: bool = False

    @property
    def label(self) -> str:
        return self.path.name

    def load(self) -> TTFont | None:
        if self._font is None and not self._failed:
            self._font = _load(self.path)
            self._failed = self._font is None
        return self._font

    def has(self, ch: str) -> bool:
        font = self.load()
        return font is not None and ord(ch) in font.face.charToGlyph

    @property
    def name(self) -> str:
        font = self.load()
        assert font is not None
        return font.fontName


_load_lock = threading.Lock()
_loaded: dict[Path, TTFont | None] = {}


def _load(path: Path) -> TTFont | None:
    with _load_lock:
        if path in _loaded:
            return _loaded[path]
        font: TTFont | None
        try:
            font = TTFont(f"xxgk-{len(_loaded)}-{path.stem}", str(path))
            pdfmetrics.registerFont(font)
        except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError):
            # A CFF font under a .ttf name, a truncated download: skip it, the next face draws.
            font = None
        _loaded[path] = font
        return font


def bundled_path(role: str) -> Path:
    return resource_path("fonts", BUNDLED[role])


class FontChooser:
    """The faces of one document: which face draws each character of each role."""

    def __init__(self, official: dict[str, tuple[str, ...] | list[str]] | None = None) -> None:
        index = installed_fonts()
        names = {role: tuple(n.lower() for n in (official or {}).get(role, OFFICIAL[role])) for role in ROLES}
        self.chains: dict[str, list[Face]] = {}
        faces: dict[Path, Face] = {}

        def face(path: Path, official: bool) -> Face:
            if path not in faces:
                faces[path] = Face(path, official)
            return faces[path]

        own: dict[str, list[Face]] = {}
        for role in ROLES:
            chain = [face(index[n], True) for n in names[role] if n in index]
            chain.append(face(bundled_path(role), False))
            own[role] = chain
        wide = [face(index[n], False) for n in WIDE_FALLBACKS if n in index]
        for role in ROLES:
            chain = own[role] + [f for f in own["body"] if f not in own[role]]
            self.chains[role] = chain + [f for f in wide if f not in chain]
        self.missing: list[str] = []
        self._choice: dict[tuple[str, str], Face | None] = {}
        self._widths: dict[tuple[str, str], float] = {}

    def face_for(self, role: str, ch: str) -> Face | None:
        key = (role, ch)
        if key not in self._choice:
            self._choice[key] = next((f for f in self.chains[role] if f.has(ch)), None)
            if self._choice[key] is None and ch not in self.missing:
                self.missing.append(ch)
        return self._choice[key]

    def primary(self, role: str) -> Face:
        """The face that draws the role's ordinary text (for the report of fonts used)."""
        for f in self.chains[role]:
            if f.load() is not None:
                return f
        raise FileNotFoundError(bundled_path(role))

    def runs(self, role: str, text: str) -> list[tuple[str, str]]:
        """``text`` cut into (ReportLab font name, text) runs, switching face where needed."""
        out: list[tuple[str, str]] = []
        for ch in text:
            f = self.face_for(role, ch)
            if f is None:
                f = self.face_for("body", MISSING_MARK) or self.primary("body")
                ch = MISSING_MARK
            name = f.name
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out

    def char_width(self, role: str, ch: str, size: float) -> float:
        key = (role, ch)
        unit = self._widths.get(key)
        if unit is None:
            f = self.face_for(role, ch)
            if f is None:
                f = self.face_for("body", MISSING_MARK) or self.primary("body")
                ch = MISSING_MARK
            unit = self._widths[key] = pdfmetrics.stringWidth(ch, f.name, 1000) / 1000
        return unit * size

    def ascent(self, role: str, text: str) -> float:
        """The highest ascent (per point of size) among the faces that draw ``text``."""
        best = 0.0
        for ch in text:
            f = self.face_for(role, ch) or self.primary("body")
            font = f.load()
            if font is not None:
                best = max(best, font.face.ascent / 1000)
        return best

    def used_fonts(self) -> dict[str, str]:
        return {role: str(self.primary(role).path) for role in ROLES}
