"""What makes each store file usable: checked when it is read, so that damage is found and repaired there.

A file that fails its check is moved aside (``.damaged-*``) and replaced by its newest good backup
(see :mod:`core.storage`); the index, being a cache, is then brought up to date from the report
files. Every row of the index is checked, field by field: a wrong type in one row used to break
``list``, ``export`` and the window on every run.
"""

from __future__ import annotations

import json
import re
from typing import Any

from core.exchange import report_from_json
from core.store_records import parse_stamp
from core.textguard import has_lone_surrogate

# Report ids name files (reports/<id>.json): nothing that could leave the folder.
REPORT_ID = re.compile(r"[0-9A-Za-z_-]{1,64}", re.ASCII)
MAX_ROW_TEXT = 1000
_TEXT_KEYS = ("unit", "title", "name", "status")
_COUNT_KEYS = ("errors", "warnings")


def validate_report_file(data: dict[str, Any]) -> None:
    try:
        document = data["report"]["1"]["document"]
    except (KeyError, TypeError):
        raise ValueError("文件中没有报告内容") from None
    report_from_json(json.dumps(document, ensure_ascii=False))


def validate_history_file(data: dict[str, Any]) -> None:
    """The file's shape only: one bad version is skipped (and reported) when the history is listed."""
    for doc in data.get("versions", {}).values():
        if not isinstance(doc.get("document"), dict) or "at" not in doc:
            raise ValueError("历史版本记录不完整")


def index_row_problem(row: Any) -> str | None:
    """Why one index row cannot be used, or ``None``."""
    if not isinstance(row, dict):
        return "草稿列表中有一条记录不是对象"
    report_id = row.get("id")
    if not isinstance(report_id, str) or not REPORT_ID.fullmatch(report_id):
        return "草稿列表中有记录的编号缺失或不合规"
    where = f"草稿列表中报告 {report_id} 的"
    year = row.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 0 <= year <= 9999:
        return f"{where}年度不是整数"
    for key in _TEXT_KEYS:
        value = row.get(key, "")
        if value is None and key == "name":
            continue
        if not isinstance(value, str) or len(value) > MAX_ROW_TEXT or has_lone_surrogate(value):
            return f"{where}“{key}”不是有效的文本"
    for key in _COUNT_KEYS:
        value = row.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
            return f"{where}“{key}”不是有效的数目"
    for key in ("modified", "created"):
        if key in row and parse_stamp(row[key]) is None:
            return f"{where}“{key}”不是有效的时间"
    if row.get("deleted") is not None and parse_stamp(row["deleted"]) is None:
        return f"{where}删除时间不是有效的时间"
    return None


def validate_index_file(data: dict[str, Any]) -> None:
    seen: set[str] = set()
    for row in data.get("reports", {}).values():
        problem = index_row_problem(row)
        if problem:
            raise ValueError(problem)
        if row["id"] in seen:
            raise ValueError(f"草稿列表中报告 {row['id']} 出现了两次")
        seen.add(row["id"])


def version_problem(doc: Any) -> str | None:
    """Why one history version cannot be listed, or ``None`` (its content is checked when loaded)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("document"), dict):
        return "内容缺失"
    if parse_stamp(doc.get("at")) is None:
        return "时间无效"
    document = doc["document"]
    year = document.get("year", 0)
    if isinstance(year, bool) or not isinstance(year, int) or not 0 <= year <= 9999:
        return "年度无效"
    for key in ("label", "kind"):
        if not isinstance(doc.get(key, ""), str):
            return "说明无效"
    unit = document.get("unit", "")
    if not isinstance(unit, str) or has_lone_surrogate(unit):
        return "单位无效"
    return None
