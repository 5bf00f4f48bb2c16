"""The exchange file (``xxgk-annual-report/1``): reading it strictly and writing it canonically.

A file is either read whole or refused whole, with one Chinese line per problem naming the field
(``table3.granted.natural：应为 0 至 999999999 的整数，实际为 -1``). Nothing half-read escapes.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from core.errors import InvalidReportFile
from core.fileio import FileTooLarge, NotRegularFile, os_reason, read_bounded, write_output
from core.model import Report
from core.template import MAX_COUNT, Template, available_templates, load_template
from core.textguard import line_field_problem, prose_problem, visible

MAX_FILE_BYTES = 5 * 1024 * 1024
# A count has at most 9 digits and a fee at most 9 + 6: anything far longer is not a number a
# report holds, and must not reach int() (4,300-digit limit) or Decimal arithmetic (minutes).
MAX_NUMBER_CHARS = 40
MAX_FEE_EXPONENT = 30
# Plain ASCII decimals only: no "1_000", no Arabic-Indic or full-width digits, no NaN/Infinity.
_DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?", re.ASCII)
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# A publication date outside these years is a typo, not a date the report can carry.
DATE_RANGE = (date(2000, 1, 1), date(2101, 12, 31))
MAX_TEXT_CHARS = 200_000
MAX_FEE = Decimal("999999999")
YEAR_RANGE = (2000, 2100)
META_KEYS = ("schema", "template", "unit", "year", "published_on", "title")
TOP_KEYS = (*META_KEYS, "text", "table2", "table3", "table4")


class _OversizedNumber:
    """A JSON number too long to convert: kept as its length, refused wherever it appears."""

    __slots__ = ("length",)

    def __init__(self, text: str) -> None:
        self.length = len(text)


def _parse_int(text: str) -> int | _OversizedNumber:
    return _OversizedNumber(text) if len(text) > MAX_NUMBER_CHARS else int(text)


def _parse_float(text: str) -> Decimal | _OversizedNumber:
    return _OversizedNumber(text) if len(text) > MAX_NUMBER_CHARS else Decimal(text)


@cache
def report_formats() -> tuple[str, ...]:
    """The ids of the report formats (``2021``): data files such as ``2021-print`` are not formats."""
    schema = load_template().schema
    formats = []
    for template_id in available_templates():
        try:
            if load_template(template_id).schema == schema:
                formats.append(template_id)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return tuple(formats)


def _kind(value: Any) -> str:
    return visible(_raw_kind(value))


def _raw_kind(value: Any) -> str:
    if isinstance(value, _OversizedNumber):
        return f"{value.length} 位长的数字"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "对象"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, str):
        return f"文本“{value[:20]}”" if len(value) <= 20 else f"文本“{value[:20]}…”"
    return str(value)


_KNOWN_PATHS: dict[str, frozenset[str]] = {}


def _known_paths(tpl: Template) -> frozenset[str]:
    """Every reference of the format and every prefix of one (``table3``, ``table3.granted``), built once
    per format: a batch over hundreds of files looked each key up by scanning all references."""
    known = _KNOWN_PATHS.get(tpl.id)
    if known is None:
        paths: set[str] = set()
        for ref in (*tpl.cells, *tpl.computed, *tpl.texts):
            parts = ref.split(".")
            paths.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        known = _KNOWN_PATHS[tpl.id] = frozenset(paths)
    return known


class _Reader:
    """Walks a decoded JSON document against the template, collecting every problem."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.problems: list[str] = []

    def problem(self, field: str, text: str) -> None:
        self.problems.append(visible(f"{field}：{text}"))

    def read(self) -> Report | None:
        data = self.data
        if not isinstance(data, dict):
            self.problem("文件", f"应为 JSON 对象，实际为{_kind(data)}")
            return None
        schema = data.get("schema")
        tpl0 = load_template()
        if schema != tpl0.schema:
            self.problem("schema", f"不是政府信息公开年报交换文件（应为 {tpl0.schema}，实际为 {_kind(schema)}）")
            return None
        template_id = data.get("template")
        if not isinstance(template_id, str) or template_id not in report_formats():
            known = "、".join(report_formats())
            self.problem("template", f"不支持的年报格式 {_kind(template_id)}（支持：{known}）")
            return None
        tpl = load_template(template_id)
        report = Report.new(tpl)
        for key in data:
            if key not in TOP_KEYS:
                self.problem(key, "未知的字段")

        unit = data.get("unit")
        if not isinstance(unit, str):
            self.problem("unit", f"应为单位名称文本，实际为{_kind(unit)}" if "unit" in data else "缺少单位名称")
        elif len(unit) > 200:
            self.problem("unit", f"单位名称过长（{len(unit)} 字，最多 200 字）")
        elif line_field_problem(unit):
            self.problem("unit", f"单位名称{line_field_problem(unit)}")
        else:
            report.unit = unit

        year = data.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            self.problem("year", f"应为 {YEAR_RANGE[0]} 至 {YEAR_RANGE[1]} 的年份，实际为{_kind(year)}"
                         if "year" in data else "缺少报告年度")
        else:
            report.year = year

        published = data.get("published_on")
        if published is not None:
            try:
                # fromisoformat alone accepts "2025-W01-1" and "20250120" (Python 3.11).
                if not isinstance(published, str) or not _DATE_TEXT.fullmatch(published):
                    raise ValueError
                on = date.fromisoformat(published)
                if not DATE_RANGE[0] <= on <= DATE_RANGE[1]:
                    raise ValueError
                report.published_on = on
            except ValueError:
                self.problem("published_on", f"应为“YYYY-MM-DD”格式、{DATE_RANGE[0].year} 至 {DATE_RANGE[1].year} "
                                             f"年之间的日期，实际为{_kind(published)}")

        title = data.get("title")
        if title is not None:
            if not isinstance(title, str) or len(title) > 200:
                self.problem("title", f"应为不超过 200 字的标题文本，实际为{_kind(title)}")
            elif line_field_problem(title):
                self.problem("title", f"标题{line_field_problem(title)}")
            elif title.strip():
                report.title = title

        self._walk(tpl, report, "text", data.get("text", {}))
        for table in ("table2", "table3", "table4"):
            self._walk(tpl, report, table, data.get(table, {}))
        return None if self.problems else report

    def _walk(self, tpl: Template, report: Report, path: str, node: Any) -> None:
        if path in tpl.cells:
            self._cell(tpl, report, path, node)
            return
        if path in tpl.computed:
            value = self._count(path, node)
            if value is not None:
                report.typed_totals[path] = value
            return
        if path in tpl.texts:
            if not isinstance(node, str):
                self.problem(path, f"应为文本，实际为{_kind(node)}")
            elif len(node) > MAX_TEXT_CHARS:
                self.problem(path, f"文字过长（{len(node)} 字，最多 {MAX_TEXT_CHARS} 字）")
            elif prose_problem(node):
                self.problem(path, f"文字{prose_problem(node)}")
            else:
                report.texts[path] = node
            return
        if not isinstance(node, dict):
            self.problem(path, f"应为对象，实际为{_kind(node)}")
            return
        prefix = path + "."
        for key, child in node.items():
            child_path = prefix + str(key)
            if not self._known_prefix(tpl, child_path):
                self.problem(child_path, "未知的字段")
                continue
            self._walk(tpl, report, child_path, child)

    @staticmethod
    def _known_prefix(tpl: Template, path: str) -> bool:
        return path in _known_paths(tpl)

    def _count(self, path: str, node: Any) -> int | None:
        if isinstance(node, bool) or not isinstance(node, int) or not 0 <= node <= MAX_COUNT:
            self.problem(path, f"应为 0 至 {MAX_COUNT} 的整数，实际为 {_kind(node)}")
            return None
        return node

    def _cell(self, tpl: Template, report: Report, path: str, node: Any) -> None:
        spec = tpl.cells[path]
        if spec.kind != "money":
            value = self._count(path, node)
            if value is not None:
                report.values[path] = value
            return
        # Money stays a Decimal from the first byte: JSON numbers are parsed as Decimal too.
        try:
            if isinstance(node, bool) or not isinstance(node, (int, Decimal, str)):
                raise InvalidOperation
            if isinstance(node, str):
                node = node.strip()
                if len(node) > MAX_NUMBER_CHARS or not _DECIMAL_TEXT.fullmatch(node):
                    raise InvalidOperation
            value = Decimal(node)
            # The exponent is bounded before any arithmetic: 1e-999999999 would take minutes to
            # print and gigabytes to store, and 0E-999999999 is not a way clerks write 0.
            if not value.is_finite() or not -MAX_FEE_EXPONENT <= value.as_tuple().exponent <= MAX_FEE_EXPONENT \
                    or len(value.as_tuple().digits) > MAX_NUMBER_CHARS or abs(value) > MAX_FEE:
                raise InvalidOperation
        except InvalidOperation:
            self.problem(path, f"应为以{spec.unit}为单位的金额（数字或数字文本，最多 {spec.places} 位小数），"
                               f"实际为 {_kind(node)}")
            return
        report.values[path] = value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise InvalidReportFile(f"字段“{key}”出现了两次", [f"{key}：字段重复出现"])
        seen[key] = value
    return seen


def _refuse_constant(name: str) -> Any:
    raise InvalidReportFile(f"文件含有非法数值 {name}", [f"文件：含有 JSON 不允许的数值 {name}"])


def report_from_json(text: str) -> Report:
    """Parse an exchange document; raises :class:`InvalidReportFile` listing every problem."""
    try:
        data = json.loads(
            text,
            parse_float=_parse_float,
            parse_int=_parse_int,
            parse_constant=_refuse_constant,
            object_pairs_hook=_no_duplicates,
        )
    except json.JSONDecodeError as err:
        where = f"第 {err.lineno} 行第 {err.colno} 列：{_json_reason(err)}"
        raise InvalidReportFile("文件不是有效的 JSON", [f"文件：不是有效的 JSON（{where}）"]) from None
    except ValueError:  # anything else the decoder refuses (never expected, never a traceback)
        raise InvalidReportFile("文件不是有效的 JSON", ["文件：不是有效的 JSON"]) from None
    except RecursionError:
        raise InvalidReportFile("文件嵌套层次过深", ["文件：嵌套层次过深，不是年报交换文件"]) from None
    reader = _Reader(data)
    report = reader.read()
    if report is None:
        raise InvalidReportFile("文件内容不符合年报交换格式", reader.problems)
    return report


def _json_reason(err: json.JSONDecodeError) -> str:
    reasons = {
        "Expecting value": "此处缺少值",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Expecting property name enclosed in double quotes": "字段名须用英文双引号",
        "Unterminated string starting at": "文本缺少结束引号",
        "Extra data": "JSON 结束后还有多余内容",
        "Invalid control character at": "文本中有控制字符",
    }
    return reasons.get(err.msg, "格式错误")


def read_input(path: str | os.PathLike[str], limit: int, kind: str) -> bytes:
    """The bytes of a file the clerk named (an exchange file, a published report), or
    :class:`InvalidReportFile` saying in Chinese why not: missing, a folder, a FIFO or device, unreadable,
    over ``limit``. Bounded by reading, not by st_size: /dev/zero and FIFOs report 0 bytes."""
    p = Path(path)
    try:
        return read_bounded(p, limit)
    except NotRegularFile as err:
        raise InvalidReportFile(f"{p} 不是{kind}", [f"{p}：{os_reason(err)}，不是{kind}"]) from None
    except FileTooLarge:
        raise InvalidReportFile(
            "文件过大", [f"{p}：文件过大，超过 {limit // 1024 // 1024} MB 上限，不是{kind}"]
        ) from None
    except FileNotFoundError:
        raise InvalidReportFile(f"找不到文件 {p}", [f"{p}：文件不存在"]) from None
    except PermissionError:
        raise InvalidReportFile(f"没有权限读取 {p}", [f"{p}：没有读取权限"]) from None
    except OSError as err:
        raise InvalidReportFile(f"无法读取 {p}", [f"{p}：无法读取（{os_reason(err)}）"]) from None


def read_report(path: str | os.PathLike[str]) -> Report:
    """Read an exchange file from disk, refusing oversized, binary and malformed files."""
    p = Path(path)
    raw = read_input(p, MAX_FILE_BYTES, "年报交换文件")
    try:
        # Notepad on Windows writes a byte-order mark; accept it.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidReportFile(
            "文件不是 UTF-8 文本",
            [f"{p}：不是 UTF-8 编码的文本（第 {err.start + 1} 字节无法识别），不是年报交换文件"],
        ) from None
    if "\x00" in text:
        raise InvalidReportFile("文件含有二进制内容", [f"{p}：含有二进制内容，不是年报交换文件"])
    return report_from_json(text)


def report_to_dict(report: Report) -> dict[str, Any]:
    """The canonical document: fixed key order, every cell written, fees as a decimal string."""
    tpl = report.template
    doc: dict[str, Any] = {
        "schema": tpl.schema,
        "template": tpl.id,
        "unit": report.unit,
        "year": report.year,
    }
    if report.published_on is not None:
        doc["published_on"] = report.published_on.isoformat()
    if report.title:
        doc["title"] = report.title

    def put(ref: str, value: Any) -> None:
        node = doc
        *parents, leaf = ref.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value

    for ref in tpl.texts:
        put(ref, report.texts.get(ref, ""))
    # Cells in format order, with any typed totals from an imported file kept in their place.
    for ref in _table_order(tpl):
        if ref in tpl.cells:
            value = report.values.get(ref, 0)
            put(ref, format(value, "f") if isinstance(value, Decimal) else value)
        elif ref in report.typed_totals:
            put(ref, report.typed_totals[ref])
    return doc


def _table_order(tpl: Template) -> list[str]:
    order = [ref for ref in tpl.cells if ref.startswith("table2.")]
    t3 = tpl.tables["table3"]
    order += [f"table3.{r['id']}.{c['id']}" for r in t3["rows"] for c in t3["columns"]]
    t4 = tpl.tables["table4"]
    order += [f"table4.{g['id']}.{f['id']}" for g in t4["groups"] for f in t4["fields"]]
    return order


def dumps(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"


# The one atomic write lives in core.fileio; this name stays for the callers that import it from here.
write_atomic = write_output


def write_report(report: Report, path: str | os.PathLike[str]) -> None:
    # Typed totals are evidence about the file as it came in, judged there; a file this program
    # writes carries only what it computes (stale totals written back would be errors forever).
    write_atomic(path, dumps(report.without_typed_totals()).encode("utf-8"))
