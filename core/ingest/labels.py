"""Matching printed labels against the format's official ones, tolerantly but never by guessing.

Printed labels differ from the official wording in full-/half-width punctuation, spaces and line
breaks inside, quotes, the numbering mark (``1.``/``1、``), and now and then a typo. What is
tolerated beyond that is data (``resources/templates/<id>-ingest.json``), not code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from core.paths import resource_path

_DROPPED = set("“”‘’\"'「」『』\u200b\u200c\u200d\ufeff\u00ad")
_ENUM_MARK = re.compile(r"^(\d+)[.,、:]|^\((\d+)\)")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")
# (一) 一、 1. at the start of a label: a typo never gets to change which item is meant.
_ENUMERATOR = re.compile(r"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+\.)")


def normalize(text: str) -> str:
    """A label as compared: NFKC (full-width → half-width), no spaces, no quotes, ``1、`` → ``1.``."""
    folded = unicodedata.normalize("NFKC", text)
    squeezed = "".join(ch for ch in folded if not ch.isspace() and ch not in _DROPPED)
    return _ENUM_MARK.sub(lambda m: f"{m.group(1) or m.group(2)}.", squeezed)


def enumerator(text: str) -> str:
    """The numbering a normalised label starts with (``(三)``, ``一、``, ``2.``), or ``""``."""
    m = _ENUMERATOR.match(text)
    return m.group(1) if m else ""


@dataclass(frozen=True)
class IngestData:
    """The tolerance lists of one format (see the data file's ``about``)."""

    label_aliases: dict[str, tuple[str, ...]]
    merged_rows: tuple[dict[str, Any], ...]
    blank_values: frozenset[str]
    typo_ratio: float
    typo_margin: float
    article_containers: tuple[str, ...]
    scan_message: str
    placeholders: tuple[str, ...]


@cache
def ingest_data(template_id: str = "2021") -> IngestData:
    path = resource_path("templates") / f"{template_id}-ingest.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return IngestData(
        label_aliases={k: tuple(v) for k, v in data["label_aliases"].items()},
        merged_rows=tuple(data["merged_rows"]),
        blank_values=frozenset(normalize(v) for v in data["blank_values"]),
        typo_ratio=float(data["typo_ratio"]),
        typo_margin=float(data["typo_margin"]),
        article_containers=tuple(data["article_containers"]),
        scan_message=data["scan_message"],
        placeholders=tuple(data["placeholders"]),
    )


class LabelSet:
    """Official labels (each with a key) and their known variants; :meth:`match` finds the key.

    A label matches when equal after :func:`normalize`, when it is a listed variant, or when it is
    a near miss (similarity ≥ ``typo_ratio``) of exactly one label, clearly closer than any other,
    with the same numbering. Anything else is no match: the caller names what it could not place.
    """

    def __init__(self, data: IngestData) -> None:
        self._data = data
        self._exact: dict[str, set[str]] = {}
        self._fuzzy: list[tuple[str, str, str]] = []  # (enumerator, rest, key)
        self._memo: dict[str, str | None] = {}

    def add(self, label: str, key: str) -> None:
        for variant in (label, *self._data.label_aliases.get(label, ())):
            norm = normalize(variant)
            self._exact.setdefault(norm, set()).add(key)
        norm = normalize(label)
        enum = enumerator(norm)
        self._fuzzy.append((enum, norm[len(enum):], key))
        # A label's trailing note in brackets is often left out in print: the label without it is it.
        short = _TRAILING_NOTE.sub("", norm)
        if short != norm and len(short) - len(enum) >= 2:
            self._exact.setdefault(short, set()).add(key)

    def __contains__(self, text: str) -> bool:
        return self.match(text) is not None

    def match(self, text: str) -> str | None:
        # Every row asks every label set about every cell: remember the answers.
        if text in self._memo:
            return self._memo[text]
        norm = normalize(text)
        keys = self._exact.get(norm) if norm else None
        if keys is not None:
            found = next(iter(keys)) if len(keys) == 1 else None
        else:
            found = self._near_miss(norm) if norm else None
        self._memo[text] = found
        return found

    def _near_miss(self, norm: str) -> str | None:
        enum = enumerator(norm)
        rest = norm[len(enum):]
        if len(rest) < 4:
            return None
        scores: dict[str, float] = {}
        floor = self._data.typo_ratio - self._data.typo_margin
        for f_enum, f_rest, key in self._fuzzy:
            # 2·min/(a+b) bounds the similarity: prose and far longer labels are skipped unread.
            if f_enum != enum or len(f_rest) < 4 or 2 * min(len(rest), len(f_rest)) < floor * (len(rest) + len(f_rest)):
                continue
            ratio = SequenceMatcher(None, rest, f_rest, autojunk=False).ratio()
            scores[key] = max(scores.get(key, 0.0), ratio)
        ranked = sorted(scores.values(), reverse=True)
        if not ranked or ranked[0] < self._data.typo_ratio:
            return None
        if len(ranked) > 1 and ranked[0] - ranked[1] < self._data.typo_margin:
            return None
        return max(scores, key=lambda k: scores[k])
