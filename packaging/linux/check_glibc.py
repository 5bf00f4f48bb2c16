"""List the newest GLIBC_/GLIBCXX_ symbol version every ELF file of a bundle needs; fail above a floor.

    python packaging/linux/check_glibc.py dist/compat-x86_64/xxgk-report              # floor 2.28
    python packaging/linux/check_glibc.py --max 2.31 dist/compat-arm64/xxgk-report
    python packaging/linux/check_glibc.py --symbols dist/xxgk-report/_internal/libpython3.11.so.1.0

A program starts on a system only if that system's glibc defines every versioned symbol its files
ask for (``version `GLIBC_2.34' not found``). The versions asked for are the ``.gnu.version_r``
entries of each file; ``--symbols`` also names the symbols that need a version above the floor.
The ELF is read directly (no objdump), so files of any architecture can be checked on any host.
Exit 0 when nothing needs more than ``--max``, 1 otherwise, 2 when the path holds no ELF file.
"""

from __future__ import annotations

import argparse
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

SHT_DYNAMIC = 6
SHT_DYNSYM = 11
DT_NEEDED = 1
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
VERSION = re.compile(r"^(GLIBC|GLIBCXX)_(\d+(?:\.\d+)*)$")


def parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


@dataclass
class ElfVersions:
    path: Path
    # "GLIBC" / "GLIBCXX" → every version of it the file needs
    needed: dict[str, set[tuple[int, ...]]] = field(default_factory=dict)
    # symbol name → "GLIBC_2.34", for the versions above the floor (filled with symbols=True)
    symbols: dict[str, str] = field(default_factory=dict)

    def newest(self, family: str) -> tuple[int, ...] | None:
        versions = self.needed.get(family)
        return max(versions) if versions else None


class _Elf:
    def __init__(self, data: bytes) -> None:
        if data[:4] != b"\x7fELF":
            raise ValueError("not ELF")
        self.data = data
        self.is64 = data[4] == 2
        self.end = "<" if data[5] == 1 else ">"
        if self.is64:
            shoff, = struct.unpack_from(self.end + "Q", data, 0x28)
            shentsize, shnum = struct.unpack_from(self.end + "HH", data, 0x3A)
        else:
            shoff, = struct.unpack_from(self.end + "I", data, 0x20)
            shentsize, shnum = struct.unpack_from(self.end + "HH", data, 0x2E)
        self.sections = [self._section(shoff + i * shentsize) for i in range(shnum)]

    def _section(self, at: int) -> tuple[int, int, int, int, int]:
        """(type, offset, size, link, entsize)"""
        layout = self.end + ("IIQQQQIIQQ" if self.is64 else "IIIIIIIIII")
        _, kind, _, _, offset, size, link, _, _, entsize = struct.unpack_from(layout, self.data, at)
        return kind, offset, size, link, entsize

    def string(self, table: int, at: int) -> str:
        start = self.sections[table][1] + at
        stop = self.data.index(b"\0", start)
        return self.data[start:stop].decode("ascii", "replace")

    def verneed(self) -> dict[int, str]:
        """Version index (as used in .gnu.version) → version name, for every needed version."""
        names: dict[int, str] = {}
        for kind, offset, _, link, _ in self.sections:
            if kind != SHT_GNU_VERNEED:
                continue
            at = offset
            while True:
                _, cnt, _, aux, nxt = struct.unpack_from(self.end + "HHIII", self.data, at)
                vna = at + aux
                for _ in range(cnt):
                    _, _, other, name, vna_next = struct.unpack_from(self.end + "IHHII", self.data, vna)
                    names[other] = self.string(link, name)
                    if not vna_next:
                        break
                    vna += vna_next
                if not nxt:
                    break
                at += nxt
        return names

    def needed(self) -> set[str]:
        """The DT_NEEDED entries: the libraries this file links against directly."""
        out: set[str] = set()
        for kind, offset, size, link, entsize in self.sections:
            if kind != SHT_DYNAMIC or not entsize:
                continue
            layout = self.end + ("qQ" if self.is64 else "iI")
            for i in range(size // entsize):
                tag, value = struct.unpack_from(layout, self.data, offset + i * entsize)
                if tag == 0:
                    break
                if tag == DT_NEEDED:
                    out.add(self.string(link, value))
        return out

    def undefined_symbol_versions(self, names: dict[int, str]) -> dict[str, str]:
        dynsym = next((s for s in self.sections if s[0] == SHT_DYNSYM), None)
        versym = next((s for s in self.sections if s[0] == SHT_GNU_VERSYM), None)
        if dynsym is None or versym is None:
            return {}
        _, offset, size, strtab, entsize = dynsym
        out: dict[str, str] = {}
        for i in range(size // entsize):
            at = offset + i * entsize
            if self.is64:
                name, _, _, shndx = struct.unpack_from(self.end + "IBBH", self.data, at)
            else:
                name, = struct.unpack_from(self.end + "I", self.data, at)
                shndx, = struct.unpack_from(self.end + "H", self.data, at + 14)
            index, = struct.unpack_from(self.end + "H", self.data, versym[1] + 2 * i)
            version = names.get(index & 0x7FFF)
            if shndx == 0 and version:
                out[self.string(strtab, name)] = version
        return out


def read_versions(path: Path, floor: tuple[int, ...] | None = None) -> ElfVersions | None:
    """The GLIBC/GLIBCXX versions an ELF file needs; None for a file that is not ELF."""
    try:
        with path.open("rb") as fh:
            if fh.read(4) != b"\x7fELF":
                return None
            data = b"\x7fELF" + fh.read()
        elf = _Elf(data)
    except (OSError, ValueError, struct.error):
        return None
    result = ElfVersions(path)
    names = elf.verneed()
    for name in names.values():
        match = VERSION.match(name)
        if match:
            result.needed.setdefault(match.group(1), set()).add(parse_version(match.group(2)))
    if floor is not None:
        for symbol, version in elf.undefined_symbol_versions(names).items():
            match = VERSION.match(version)
            if match and match.group(1) == "GLIBC" and parse_version(match.group(2)) > floor:
                result.symbols[symbol] = version
    return result


def needed_libraries(path: Path) -> set[str]:
    """The shared libraries an ELF file links against directly (like ``readelf -d | grep NEEDED``)."""
    return _Elf(path.read_bytes()).needed()


def scan(target: Path, floor: tuple[int, ...] | None = None) -> list[ElfVersions]:
    files = [target] if target.is_file() else sorted(p for p in target.rglob("*") if p.is_file() and not p.is_symlink())
    return [v for v in (read_versions(p, floor) for p in files) if v is not None]


def _fmt(version: tuple[int, ...] | None) -> str:
    return ".".join(map(str, version)) if version else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="列出安装包中每个 ELF 文件需要的最高 GLIBC_/GLIBCXX_ 版本")
    parser.add_argument("path", help="程序文件夹（或单个文件）")
    parser.add_argument("--max", default="2.28", help="允许的最高 GLIBC 版本（默认 2.28，即 UOS 20）")
    parser.add_argument("--symbols", action="store_true", help="同时列出超出版本的符号名")
    parser.add_argument("--quiet", action="store_true", help="只列出超出版本的文件和结论")
    args = parser.parse_args(argv)
    floor = parse_version(args.max)
    target = Path(args.path)
    results = scan(target, floor)
    if not results:
        print(f"{target} 中没有 ELF 文件", file=sys.stderr)
        return 2
    base = target if target.is_dir() else target.parent
    too_new = [r for r in results if (r.newest("GLIBC") or ()) > floor]
    for r in sorted(results, key=lambda r: (r.newest("GLIBC") or (), str(r.path)), reverse=True):
        over = r in too_new
        if args.quiet and not over:
            continue
        mark = "  ✘ " if over else "    "
        glibc, glibcxx = _fmt(r.newest("GLIBC")), _fmt(r.newest("GLIBCXX"))
        line = f"{mark}GLIBC {glibc:>6}  GLIBCXX {glibcxx:>8}  {r.path.relative_to(base)}"
        if over and args.symbols and r.symbols:
            line += "  (" + ", ".join(f"{s}@{v}" for s, v in sorted(r.symbols.items())) + ")"
        print(line)
    newest = max((r.newest("GLIBC") or () for r in results), default=())
    newest_cxx = max((r.newest("GLIBCXX") or () for r in results), default=())
    print(f"{len(results)} 个 ELF 文件；最高 GLIBC_{_fmt(newest)}，最高 GLIBCXX_{_fmt(newest_cxx)}；"
          f"上限 GLIBC_{args.max}：" + (f"{len(too_new)} 个文件超出" if too_new else "全部符合"))
    return 1 if too_new else 0


if __name__ == "__main__":
    sys.exit(main())
