"""Numbers the prose states about the tables: "共收到申请12件", "未发生行政复议" and the like.

Only the common phrasings are read; anything else is left alone, because a warning that cries
wolf on an ordinary sentence teaches the clerk to ignore warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_DIGITS = "零〇一二两三四五六七八九"
_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}

_NUM = rf"(?P<n>\d[\d,，]*|[{_DIGITS}十百]+)"
_TOTAL_WORDS = r"(?:共计|共|合计|总计|累计|数量为|数量|)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "received",
        re.compile(
            rf"(?<![未没])(?:共|累计)?(?:收到|受理|新收)(?P<mid>[^。；，,;\d]{{0,24}}?)申请"
            rf"(?:件数|数)?{_TOTAL_WORDS}{_NUM}\s*(?:件|份|条)"
        ),
    ),
    (
        # "结转下年度继续办理3件", and with the year named: "结转至2026年6件" (checked against the year).
        "carried_forward",
        re.compile(rf"结转(?:至|到)?(?:下一?年度?|(?P<year>\d{{4}})年度?)(?:继续办理|办理)?{_TOTAL_WORDS}{_NUM}\s*件"),
    ),
    ("review", re.compile(rf"行政复议(?:案件|案|申请)?{_TOTAL_WORDS}{_NUM}\s*(?:件|起)")),
    ("litigation", re.compile(rf"行政诉讼(?:案件|案)?{_TOTAL_WORDS}{_NUM}\s*(?:件|起)")),
]

# A negation governs the rest of its clause: "未发生针对本单位的……行政复议、行政诉讼".
_NEGATIONS: list[tuple[str, re.Pattern[str]]] = [
    ("received", re.compile(r"(?:未|没有)(?:收到|受理|接到)(?P<mid>[^。；，,;]{0,24}?)申请")),
    ("review", re.compile(r"(?:未|没有)(?:发生|收到|出现|涉及|被提起)[^。；，,;]{0,30}?行政复议")),
    ("litigation", re.compile(r"(?:未|没有)(?:发生|收到|出现|涉及|被提起)[^。；，,;]{0,30}?行政诉讼")),
]


@dataclass(frozen=True)
class Statement:
    kind: str  # received, carried_forward, review, litigation
    value: int
    quote: str


def chinese_to_int(text: str) -> int | None:
    """Small Chinese numerals as clerks write them (十二, 二十, 一百零五); ``None`` if unsure."""
    if not text:
        return None
    total, current = 0, 0
    for ch in text:
        if ch in _CN_VALUES:
            current = _CN_VALUES[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _to_int(raw: str) -> int | None:
    if raw[0].isdigit():
        digits = raw.replace(",", "").replace("，", "")
        # No count in a report has more than 9 digits; a longer run is not a count (and int()
        # refuses beyond 4,300 digits), so the sentence is left alone rather than crash the check.
        return int(digits) if len(digits) <= 12 else None
    return chinese_to_int(raw)


def _about_appeals(mid: str | None) -> bool:
    # "收到行政复议申请2件" is about table 4, not about information requests.
    return bool(mid) and ("复议" in mid or "诉讼" in mid)


# Where a clause starts: a statement is read within its own clause.
_CLAUSE_END = "。；;！？!?\n，,"
# A clause whose subject is part of the unit or acts for it states a part, not the table's total:
# "区政府办代表区政府受理政府信息公开申请17件" (洪泽区 2024: the district's table says 95),
# "其中通过网络收到申请12件".
_PART_SUBJECTS = ("代表", "其中", "分别")


def _about_a_part(text: str, start: int) -> bool:
    clause_start = max(text.rfind(ch, 0, start) for ch in _CLAUSE_END) + 1
    clause = text[clause_start:start]
    return any(word in clause for word in _PART_SUBJECTS)


def statements(text: str, year: int | None = None) -> list[Statement]:
    """Every recognised statement in ``text``, in order of appearance.

    ``year`` is the report year: "结转至2026年6件" is read as carried forward only in the 2025
    report (without a year, sentences naming a year are left alone).
    """
    return list(_statements(text, year)) if text else []


# Checked on every keystroke, while a keystroke in a table changes no prose: remember the answers.
@lru_cache(maxsize=512)
def _statements(text: str, year: int | None) -> tuple[Statement, ...]:
    found: list[tuple[int, Statement]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            if _about_appeals(groups.get("mid")) or _about_a_part(text, m.start()):
                continue
            if groups.get("year") and (year is None or int(groups["year"]) != year + 1):
                continue
            value = _to_int(m.group("n"))
            if value is not None:
                found.append((m.start(), Statement(kind, value, m.group(0))))
    for kind, pattern in _NEGATIONS:
        for m in pattern.finditer(text):
            if _about_appeals(m.groupdict().get("mid")) or _about_a_part(text, m.start()):
                continue
            found.append((m.start(), Statement(kind, 0, m.group(0))))
    found.sort(key=lambda item: item[0])
    return tuple(s for _, s in found)
