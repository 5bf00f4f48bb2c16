"""The prose of a published report split into the format's sections and their parts.

Section headings (``一、`` … ``六、``) are found by the format's own headings, in order; the parts of
a section by their numbering (``（一）`` … ``（五）``), whatever words follow it — reports write
a part heading with words of their own (``情况``, ``方面``) as often as the official one.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from core.ingest.labels import enumerator, normalize
from core.template import Section, Template

_PART_MARK = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]+)\s*[）)]")
_HEADING_END = re.compile(r"[。：:]")
_HEADING_MAX = 25


def _heading_match(para: str, heading: str) -> str | None:
    """The text after ``heading`` when ``para`` is that heading (printed loosely); else ``None``."""
    p, h = normalize(para), normalize(heading)
    if not p or not h:
        return None
    if p.startswith(h):
        return para.strip()[len(heading):].strip() if para.strip().startswith(heading) else ""
    if enumerator(p) and enumerator(p) == enumerator(h) and len(p) <= len(h) + 8:
        if SequenceMatcher(None, p, h, autojunk=False).ratio() >= 0.75:
            return ""
    return None


def _sections(tpl: Template, paragraphs: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current: Section | None = None
    order = list(tpl.sections)
    for para in paragraphs:
        if not para.strip():
            continue
        start = order.index(current) + 1 if current else 0
        hit = None
        for section in order[start:]:
            rest = _heading_match(para, section.heading)
            if rest is not None:
                hit = section
                break
        if hit is not None:
            current = hit
            found.setdefault(hit.id, [])
            if rest:
                found[hit.id].append(rest)
            continue
        if current is not None:
            found[current.id].append(para.strip())
    return found


def _strip_part_heading(para: str, official: str) -> str:
    """The part's own text, its heading (numbering, words, a full stop) taken off."""
    body = _PART_MARK.sub("", para, count=1).strip()
    m = _HEADING_END.search(body[:_HEADING_MAX + 1])
    if m:
        return body[m.end():].strip()
    official_rest = _PART_MARK.sub("", official, count=1)
    if official_rest and body.startswith(official_rest):
        return body[len(official_rest):].strip()
    return "" if len(body) <= _HEADING_MAX else body


def split_prose(tpl: Template, paragraphs: list[str]) -> tuple[dict[str, str], list[str]]:
    """Text references → their text, and Chinese notes on what could not be placed."""
    texts: dict[str, str] = {}
    notes: list[str] = []
    by_section = _sections(tpl, paragraphs)
    for section in tpl.sections:
        if section.kind != "text" or section.id not in by_section:
            continue
        paras = by_section[section.id]
        parts = list(section.parts)
        if len(parts) == 1:
            texts[parts[0].ref] = "\n".join(paras)
            continue
        buckets: list[list[str]] = [[] for _ in parts]
        lead: list[str] = []
        current = -1
        marks = [(_PART_MARK.match(p.heading).group(1) if _PART_MARK.match(p.heading) else "") for p in parts]
        for para in paras:
            m = _PART_MARK.match(para)
            if m and m.group(1) in marks[current + 1:]:
                current = marks.index(m.group(1), current + 1)
                body = _strip_part_heading(para, parts[current].heading)
                if body:
                    buckets[current].append(body)
            elif current >= 0:
                buckets[current].append(para)
            else:
                lead.append(para)
        if current < 0 and len(lead) == len(parts):
            # No numbered parts, but one paragraph per part: the order is the format's.
            buckets = [[p] for p in lead]
            lead = []
            notes.append(f"“{section.heading}”没有（一）（二）等小标题，按段落顺序分给各部分，请核对")
        elif lead and current < 0:
            buckets[0] = lead
            lead = []
            notes.append(f"“{section.heading}”没有（一）（二）等小标题，全文放入“{parts[0].heading}”，请核对")
        if lead:
            notes.append(f"“{section.heading}”开头的 {len(lead)} 段总述不属于任何部分，未读入："
                         f"“{lead[0][:20]}……”")
        for part, bucket in zip(parts, buckets, strict=True):
            texts[part.ref] = "\n".join(bucket)
    missing = [s.heading for s in tpl.sections if s.kind == "text" and s.id not in by_section]
    if missing:
        notes.append("正文中没有找到这些标题，相应文字未读入：" + "、".join(missing))
    return texts, notes
