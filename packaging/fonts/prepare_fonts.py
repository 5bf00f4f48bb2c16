"""Build the open-licensed fallback faces bundled in ``resources/fonts/``.

The official faces (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) are not free to redistribute, so
the program ships the Fandol faces (GPL with font exception) for machines that lack them. Fandol is
CFF-flavoured OpenType, which ReportLab cannot embed; this script subsets each face to the characters
a report needs and converts its outlines to TrueType quadratics.

Reproduce (Debian: ``apt-get install texlive-lang-chinese`` provides the sources)::

    python packaging/fonts/prepare_fonts.py [--source DIR] [--out resources/fonts]

The character set is GB2312 (every character a Chinese office PC can type in that code page) +
printable ASCII + the full-width punctuation and symbols of a report; heading and title faces get a
smaller set, because their text comes from the format data and the unit's name (a character
missing there is drawn from the body face by the PDF's per-character fallback).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")

# Extra characters beyond GB2312 that reports and Chinese numbering use.
EXTRA = (
    "〓—–…·•●○■□△▲※→←↑↓✓×÷±≤≥≠％‰℃№〔〕〖〗【】《》〈〉「」『』“”‘’"
    "（）［］｛｝，。、；：？！～－＿＋＝／＼｜＠＃￥＄＆＊．０１２３４５６７８９"
)


def gb2312_chars() -> set[str]:
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def ascii_chars() -> set[str]:
    return {chr(c) for c in range(0x20, 0x7F)}


def template_chars() -> set[str]:
    """Every character of the format data and the print data: the headings' and tables' text."""
    chars: set[str] = set()
    for name in ("2021.json", "2021-print.json"):
        path = ROOT / "resources" / "templates" / name
        if path.exists():
            chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable()}


def level1_chars() -> set[str]:
    """GB2312 level 1: the 3,755 most common hanzi (rows 16-55), enough for almost every unit name."""
    chars: set[str] = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def cff_to_glyf(font: TTFont, max_err: float) -> None:
    """Replace CFF outlines by TrueType ones (what ReportLab can embed)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"
    glyf.compile(font)  # fills the bounding boxes maxp needs
    font["maxp"].recalc(font)


def build(source: Path, out_name: str, chars: set[str], family: str, out_dir: Path, max_err: float) -> dict:
    start = time.perf_counter()
    font = TTFont(source)
    options = Options()
    options.layout_features = []  # ReportLab uses no OpenType layout
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    cff_to_glyf(font, max_err)
    # Make the file name and family self-describing so a clerk's font list is not confused.
    name = font["name"]
    for rec in name.names:
        if rec.nameID in (1, 4, 16):
            rec.string = family
        elif rec.nameID == 6:
            rec.string = out_name.removesuffix(".ttf")
    target = out_dir / out_name
    # Same sources, same bytes: keep the source's timestamp instead of "now".
    font.recalcTimestamp = False
    font["head"].modified = font["head"].created
    font.save(target)
    cmap = font.getBestCmap()
    return {
        "file": out_name,
        "source": source.name,
        "characters": len(cmap),
        "bytes": target.stat().st_size,
        "seconds": round(time.perf_counter() - start, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "fonts")
    parser.add_argument("--max-err", type=float, default=1.0, help="cubic→quadratic tolerance, font units")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    base = ascii_chars() | set(EXTRA) | template_chars()
    body = base | gb2312_chars()
    display = base | level1_chars()
    jobs = [
        ("FandolFang-Regular.otf", "XxgkFang-GB2312.ttf", body, "Xxgk Fang (FandolFang)"),
        ("FandolHei-Regular.otf", "XxgkHei-Headings.ttf", base, "Xxgk Hei (FandolHei)"),
        ("FandolKai-Regular.otf", "XxgkKai-Headings.ttf", base, "Xxgk Kai (FandolKai)"),
        ("FandolSong-Bold.otf", "XxgkSongBold-L1.ttf", display, "Xxgk Song Bold (FandolSong)"),
    ]
    results = []
    for src, out, chars, family in jobs:
        result = build(args.source / src, out, chars, family, args.out, args.max_err)
        print(json.dumps(result, ensure_ascii=False), file=sys.stderr)
        results.append(result)
    total = sum(r["bytes"] for r in results)
    print(f"total {total / 1024 / 1024:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
