"""The roster: the units a county or city office expects a report from.

A roster is what the office already keeps in Excel: one unit per row, its full name in the first
column and, optionally, the short name it is called by in the second. A header row (``单位名称``,
``简称``…) is tolerated; blank rows and repeated names are skipped. CSV files come in whatever
encoding the clerk's Excel wrote them: UTF-8 (with or without the byte-order mark) on newer
versions, GBK on Chinese Windows (read as GB18030, its superset), UTF-16 for "Unicode text".
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import ReportError

MAX_ROSTER_BYTES = 5 * 1024 * 1024
MAX_UNITS = 10_000
MAX_NAME_CHARS = 200
# First cells that mark a header row rather than a unit (a unit name never is one of these).
_HEADER_WORDS = {"单位", "单位名称", "单位全称", "名称", "部门", "部门名称", "机关", "机关名称", "填报单位",
                 "unit", "units", "name", "名单", "单位名单"}
_SPACES = re.compile(r"\s+")


class RosterError(ReportError):
    """The roster file cannot be read; nothing was checked against it."""


@dataclass(frozen=True)
class RosterUnit:
    name: str
    short: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """The names a report may carry and still be this unit's."""
        return tuple(k for k in (unit_key(self.name), unit_key(self.short)) if k)


def unit_key(name: str) -> str:
    """A unit name compared as clerks type it: spaces (full-width too) and their runs do not count."""
    return _SPACES.sub("", name.replace("\u3000", " ")).strip()


def read_roster(path: str | os.PathLike[str]) -> list[RosterUnit]:
    """The units of a ``.csv`` / ``.xlsx`` roster, in the file's order; raises :class:`RosterError`."""
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise RosterError(f"名单 {p} 是文件夹，应为 .csv 或 .xlsx 文件")
        if size > MAX_ROSTER_BYTES:
            raise RosterError(f"名单 {p} 过大（{size / 1024 / 1024:.1f} MB），不像单位名单")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise RosterError(f"找不到名单文件 {p}") from None
    except OSError as err:
        raise RosterError(f"无法读取名单文件 {p}：{err.strerror or err}") from None
    if suffix == ".xlsx" or raw[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(p, raw)
    elif suffix in (".csv", ".txt", ""):
        rows = _csv_rows(p, raw)
    elif suffix == ".xls":
        raise RosterError(f"名单 {p} 是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中“另存为” .xlsx 或 .csv 后再用")
    else:
        raise RosterError(f"名单 {p} 不是 .csv 或 .xlsx 文件")
    return _units(p, rows)


def decode_text(raw: bytes) -> str:
    """CSV bytes as text: UTF-8 (BOM or not), UTF-16 with its BOM, else GB18030 (GBK's superset)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Strict: a file that is neither UTF-8 nor GBK must be refused, not read as mojibake names.
    return raw.decode("gb18030")


def _csv_rows(path: Path, raw: bytes) -> list[list[str]]:
    try:
        text = decode_text(raw)
    except UnicodeDecodeError:
        raise RosterError(f"名单 {path} 的编码无法识别（应为 UTF-8 或 GBK 编码的 CSV 文件）") from None
    if "\x00" in text:
        raise RosterError(f"名单 {path} 含有二进制内容，不是 CSV 文件")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(path: Path, raw: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise RosterError(f"名单 {path} 不是有效的 .xlsx 文件（{type(err).__name__}）") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(max_col=2, values_only=True):
            rows.append(["" if v is None else str(v) for v in row])
            if len(rows) > MAX_UNITS + 1:
                break
        return rows
    finally:
        book.close()


def _units(path: Path, rows: list[list[str]]) -> list[RosterUnit]:
    units: list[RosterUnit] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        cells = [" ".join(c.replace("\u3000", " ").split()) for c in row[:2]]
        name = cells[0] if cells else ""
        short = cells[1] if len(cells) > 1 else ""
        if not name:
            continue
        if index == 0 and unit_key(name).lower() in _HEADER_WORDS:
            continue
        if len(name) > MAX_NAME_CHARS:
            raise RosterError(f"名单 {path} 第 {index + 1} 行的单位名称过长（{len(name)} 字），不像单位名单")
        key = unit_key(name)
        if key in seen:
            continue
        seen.add(key)
        units.append(RosterUnit(name, short if unit_key(short) != key else ""))
        if len(units) > MAX_UNITS:
            raise RosterError(f"名单 {path} 超过 {MAX_UNITS} 个单位，不像单位名单")
    if not units:
        raise RosterError(f"名单 {path} 中没有单位名称（第一列应为单位全称，每行一个）")
    return units
