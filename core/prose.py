"""What the prose carries that it should not: word-processor leftovers and last year's paragraphs.

Pure functions over plain text, shared by the rules (``word_residue``, ``copied_text``) and by the
window (the one-click clean-up, the marks on carried paragraphs, the drafts dialog's count).
Both stay on the safe side: a sentence a clerk really means is never touched or flagged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from core.model import Report
from core.template import Template

# -- word-processor residue ------------------------------------------------------------------------

# Text a Word/WPS export leaves in the prose. Each pattern is ASCII markup that no Chinese
# sentence contains: a bookmark marker, or a field code with its keyword and switches.
_RESIDUE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("书签标记", re.compile(r"\[bookmark:[^\]\n]*\]", re.IGNORECASE)),
    ("超链接域代码", re.compile(r"\{?\s*HYPERLINK\s+(?:\\[a-z]\s+)*\"[^\"\n]*\""
                              r"(?:\s+\\[a-z](?:\s+\"[^\"\n]*\")?)*\s*\}?")),
    ("域代码", re.compile(r"\{?\s*(?:PAGE|NUMPAGES|SECTIONPAGES|SEQ\s+\S+|REF\s+_\w+|PAGEREF\s+_\w+|TOC)"
                        r"(?:\s+\\[*a-z#@](?:\s+(?:\"[^\"\n]*\"|[A-Za-z]+))?)+\s*\}?")),
    ("域代码", re.compile(r"\\\*\s*MERGEFORMAT\b|\bMERGEFORMAT\b")),
)

# A heading number as Word's list numbering exports it: 1、 一、 （一） (1)
_HEADING_NUMBER = re.compile(
    r"^\s*(?:\d{1,2}\s*[、.．]|[一二三四五六七八九十]{1,3}\s*、|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）])\s*"
)
_HEADING_TAIL = "。.：:；; \t\u3000"
_HEADING_SUFFIXES = ("情况", "方面", "措施", "工作")


@dataclass(frozen=True)
class Residue:
    ref: str
    kind: str  # 书签标记, 超链接域代码, 域代码, 标题编号
    quote: str


def _heading_core(text: str) -> str:
    core = _HEADING_NUMBER.sub("", text).strip(_HEADING_TAIL)
    for suffix in _HEADING_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            core = core[: -len(suffix)]
    return core


_CORES: dict[str, frozenset[str]] = {}


def _heading_cores(template: Template) -> frozenset[str]:
    cores = _CORES.get(template.id)
    if cores is None:
        found = {_heading_core(section.heading) for section in template.sections}
        found.update(_heading_core(p.heading) for section in template.sections for p in section.parts if p.heading)
        cores = _CORES[template.id] = frozenset(c for c in found if len(c) >= 2)
    return cores


def _is_typed_heading(line: str, cores: frozenset[str]) -> bool:
    """A line that is only a numbered heading of the format: ``1、 总体情况``, ``（四）平台建设情况。``."""
    if not _HEADING_NUMBER.match(line) or len(line.strip()) > 30:
        return False
    core = _heading_core(line)
    if len(core) < 2 or any(unicodedata.category(ch)[0] in "PZ" for ch in core):
        return False  # a heading has no sentence in it: "（X）某某方面。有序推进…" is prose
    # The exported heading may be a shortened form of the official one (平台建设 for the full heading of （四）).
    return any(core == c or (len(core) >= 4 and c.endswith(core)) for c in cores)


def find_residue(text: str, template: Template, ref: str = "") -> list[Residue]:
    """Every word-processor leftover in ``text``, in order of appearance."""
    return [Residue(ref, kind, quote) for kind, quote in _residue(text, _heading_cores(template))]


# The rules run on every keystroke, and a keystroke in a table changes no prose: remember the answers.
@lru_cache(maxsize=512)
def _residue(text: str, cores: frozenset[str]) -> tuple[tuple[str, str], ...]:
    found: list[tuple[int, str, str]] = []
    for kind, pattern in _RESIDUE_PATTERNS:
        found.extend((m.start(), kind, m.group(0).strip()) for m in pattern.finditer(text))
    offset = 0
    for line in text.split("\n"):
        if _is_typed_heading(line, cores):
            found.append((offset, "标题编号", line.strip()))
        offset += len(line) + 1
    found.sort(key=lambda item: item[0])
    # One leftover matched by two patterns is one leftover.
    unique: list[tuple[str, str]] = []
    for _, kind, quote in found:
        if not any(quote in q for k, q in unique if k != "标题编号"):
            unique.append((kind, quote))
    return tuple(unique)


def clean_residue(text: str, template: Template) -> str:
    """``text`` without the leftovers :func:`find_residue` finds; everything else kept as typed."""
    for _, pattern in _RESIDUE_PATTERNS:
        text = pattern.sub("", text)
    cores = _heading_cores(template)
    return "\n".join(line for line in text.split("\n") if not _is_typed_heading(line, cores))


def cleaned_texts(report: Report) -> dict[str, str]:
    """For the window's one-click clean-up: the prose fields that change, with their cleaned text."""
    out = {}
    for ref, text in report.texts.items():
        if text and find_residue(text, report.template, ref):
            out[ref] = clean_residue(text, report.template)
    return out


# -- last year's prose -----------------------------------------------------------------------------

# Paragraphs shorter than this (counted without spaces and punctuation) are set phrases that every
# year's report may repeat word for word: "无", "本年度未收取信息处理费。".
MIN_COPIED_CHARS = 20
IDENTICAL, NAMES_LAST_YEAR = "identical", "names_last_year"


@dataclass(frozen=True)
class CarriedParagraph:
    ref: str
    index: int  # 0-based paragraph number within the field
    reason: str  # IDENTICAL or NAMES_LAST_YEAR
    text: str
    quote: str = ""  # for NAMES_LAST_YEAR: the words that name last year


def paragraphs(text: str) -> list[str]:
    return [p for p in (line.strip() for line in text.split("\n")) if p]


@lru_cache(maxsize=2048)
def _fingerprint(text: str) -> str:
    """Only letters and digits: spaces, punctuation and full/half width do not make a paragraph new."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


_SUBJECT = re.compile(r"^(?:我|本|全)[\u4e00-\u9fff]{0,4}$")
# What may follow a year without it being "this year": a date or a span inside it, a comparison,
# last year's report, requests carried over from it.
_NOT_CURRENT_AFTER = re.compile(
    r"^(?:度)?(?:\s*\d|[一二三四五六七八九十]+月|以来|以前|之前|前|初|底|末|年底|年末|上半年|下半年|第[一二三四]季度|"
    r"至|到|—|－|-|~|～|同期|结转|的|年报|政府信息公开|工作年度报告|报告|相比|比较|期间|和|与|、|及|同比)"
)


@lru_cache(maxsize=2048)
def _names_last_year(paragraph: str, year: int, unit: str) -> str | None:
    """The words that still name ``year - 1`` as the current year, if any (``2021年我局…``)."""
    if f"{year}年" in paragraph:
        return None  # a paragraph that names this year has been rewritten; last year is a comparison
    last = f"{year - 1}年"
    start = 0
    while (at := paragraph.find(last, start)) >= 0:
        start = at + len(last)
        clause_start = max(paragraph.rfind(ch, 0, at) for ch in "。；;！？!?，,：:") + 1
        subject = paragraph[clause_start:at].strip()
        if subject and subject != unit.strip() and not _SUBJECT.match(subject):
            continue  # 较2021年, 与2021年相比, 自2021年, 于2021年印发 …
        if _NOT_CURRENT_AFTER.match(paragraph[start:]):
            continue
        # "2021年，我局…": quote the clause the year introduces, not the year alone.
        after = start + 1 if paragraph[start:start + 1] in ("，", ",") else start
        ends = [e for ch in "。；;！？!?，," if (e := paragraph.find(ch, after)) >= 0]
        end = min([*ends, len(paragraph)])
        quote = paragraph[clause_start:end].strip()
        return quote if len(quote) <= 24 else quote[:24] + "…"
    return None


def carried_paragraphs(report: Report, previous: Report | None) -> list[CarriedParagraph]:
    """The paragraphs of ``report`` that still carry last year's text, in field order.

    A paragraph is carried when it is identical to one of last year's (ignoring spaces and
    punctuation) or still names last year as the current year outside a comparison. For the
    window's marks and the drafts dialog's count; empty without last year's report.
    """
    if previous is None:
        return []
    before = _fingerprints(tuple(previous.texts.values()))
    carried = []
    for ref in report.template.texts:
        for index, paragraph in enumerate(paragraphs(report.texts.get(ref, ""))):
            if _fingerprint(paragraph) in before:
                carried.append(CarriedParagraph(ref, index, IDENTICAL, paragraph))
            elif previous.year == report.year - 1 and (quote := _names_last_year(paragraph, report.year, report.unit)):
                carried.append(CarriedParagraph(ref, index, NAMES_LAST_YEAR, paragraph, quote))
    return carried


@lru_cache(maxsize=8)
def _fingerprints(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fp for text in texts for p in paragraphs(text) if len(fp := _fingerprint(p)) >= MIN_COPIED_CHARS)


def carried_count(report: Report, previous: Report | None) -> int:
    """How many paragraphs still carry last year's text (the drafts dialog's figure)."""
    return len(carried_paragraphs(report, previous))
