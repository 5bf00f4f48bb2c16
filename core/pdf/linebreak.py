"""Chinese line breaking (标点禁则) for the PDF.

ReportLab's own CJK wrapping breaks anywhere, so a line may start with "，" or end with "（".
Here text is cut into *atoms* that must stay on one line: a hanzi with any closing punctuation
after it and any opening punctuation before it, or a run of Latin letters and digits. Lines are
then filled greedily atom by atom; an atom wider than a whole line (a long URL) is the only thing
ever cut inside, character by character.

Pure Python with no ReportLab import, so it is unit-tested on its own with any width function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# May not start a line (行首禁则).
CLOSING = frozenset(
    "，。、；：？！）》」』】〕〗〉］｝”’…—·‥％‰℃,.;:?!)]}%"
    "ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
# May not end a line (行尾禁则).
OPENING = frozenset("（《「『【〔〖〈［｛“‘([{")

Width = Callable[[str], float]


@dataclass(frozen=True)
class Line:
    text: str
    width: float  # natural width, before any justification
    last: bool  # the paragraph's last line: never justified


def _is_word_char(ch: str) -> bool:
    """Characters that form unbreakable runs: Latin letters, digits and the marks inside numbers."""
    return (ch.isascii() and (ch.isalnum() or ch in "._-/:@#%+=&~'")) or ch in "０１２３４５６７８９"


# A URL may break after these (never inside "://"): the usual places a long address is wrapped.
URL_BREAK_AFTER = frozenset("/.?&=_-")
_URL = re.compile(r"(?i)^(?:https?://|ftp://|www\.)|^[a-z0-9-]+(?:\.[a-z0-9-]+)+/")


def is_url(run: str) -> bool:
    return bool(_URL.match(run))


def url_pieces(run: str) -> list[str]:
    """A URL cut after each ``/ . ? & = _ -`` (a run of them stays together, "//" included)."""
    pieces: list[str] = []
    start = 0
    for i, ch in enumerate(run):
        nxt = run[i + 1] if i + 1 < len(run) else ""
        if ch in URL_BREAK_AFTER and nxt and nxt not in URL_BREAK_AFTER:
            pieces.append(run[start:i + 1])
            start = i + 1
    pieces.append(run[start:])
    return [p for p in pieces if p]


def atoms(text: str, allowed: frozenset[int] | None = None) -> list[str]:
    """Split ``text`` into the pieces a line may not break inside.

    ``allowed``: when given, the only offsets a line may break at (a label's word boundaries from
    the format data, e.g. ``商业|企业``); 禁则 still applies on top of them.
    """
    raw: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if _is_word_char(ch) and ch not in CLOSING:
            j = i + 1
            while j < n and _is_word_char(text[j]):
                j += 1
            run = text[i:j]
            # A trailing full stop or comma of the sentence is not part of the address.
            raw.extend(url_pieces(run) if is_url(run) else [run])
            i = j
        else:
            raw.append(ch)
            i += 1
    out: list[str] = []
    pending_open = ""
    for piece in raw:
        if piece in OPENING:
            pending_open += piece
            continue
        if pending_open:
            piece = pending_open + piece
            pending_open = ""
        # A closing mark (or run of them, "。”") joins the atom before it; so does a space, which
        # then disappears at the line end instead of starting the next line.
        if out and (piece[0] in CLOSING or piece == " ") and not _starts_with_open(piece):
            out[-1] += piece
        else:
            out.append(piece)
    if pending_open:
        if out:
            out[-1] += pending_open
        else:
            out.append(pending_open)
    if allowed is None:
        return out
    merged: list[str] = []
    offset = 0
    for piece in out:
        if merged and offset not in allowed:
            merged[-1] += piece
        else:
            merged.append(piece)
        offset += len(piece)
    return merged


def allowed_breaks(marked: str) -> tuple[str, frozenset[int]]:
    """``"商业|企业"`` → (``"商业企业"``, {2}): the text and the offsets a line may break at."""
    parts = marked.split("|")
    offsets = []
    at = 0
    for part in parts[:-1]:
        at += len(part)
        offsets.append(at)
    return "".join(parts), frozenset(offsets)


def clusters(text: str) -> list[tuple[str, bool]]:
    """``text`` as (piece, is_word) runs: justification may widen the gaps between pieces and
    inside non-word pieces, never inside a Latin word, number or URL (it must copy out whole)."""
    out: list[tuple[str, bool]] = []
    for ch in text:
        word = _is_word_char(ch)
        if out and out[-1][1] == word:
            out[-1] = (out[-1][0] + ch, word)
        else:
            out.append((ch, word))
    return out


def stretch_gaps(text: str) -> int:
    """How many gaps of a line justification may widen (see :func:`clusters`)."""
    return len(text) - 1 - sum(len(piece) - 1 for piece, word in clusters(text) if word)


def _starts_with_open(piece: str) -> bool:
    return piece[0] in OPENING


def _text_width(piece: str, width: Width) -> float:
    return sum(width(ch) for ch in piece)


def break_lines(text: str, widths: Sequence[float] | float, width: Width, *,
                allowed: frozenset[int] | None = None) -> list[Line]:
    """Break one paragraph (no newlines) into lines no wider than ``widths``.

    ``widths`` is one width, or a width per line (the first line may be indented); the last entry
    applies to every further line. ``width(ch)`` gives the advance of one character.
    """
    limits = [widths] if isinstance(widths, (int, float)) else list(widths)
    lines: list[Line] = []
    current = ""
    current_w = 0.0

    def limit() -> float:
        return limits[min(len(lines), len(limits) - 1)]

    def flush(last: bool = False) -> None:
        nonlocal current, current_w
        text_ = current.rstrip(" ")
        lines.append(Line(text_, _text_width(text_, width), last))
        current, current_w = "", 0.0

    for atom in atoms(text, allowed):
        atom_w = _text_width(atom, width)
        trimmed_w = _text_width(atom.rstrip(" "), width)
        if current and current_w + trimmed_w > limit() + 1e-6:
            flush()
            atom = atom.lstrip(" ")
            atom_w = _text_width(atom, width)
            trimmed_w = _text_width(atom.rstrip(" "), width)
        if trimmed_w > limit() + 1e-6:
            # Wider than a whole line: cut it where it must, keeping closing marks off the start.
            for ch in atom:
                ch_w = width(ch)
                if current and current_w + ch_w > limit() + 1e-6 and ch not in CLOSING:
                    flush()
                current += ch
                current_w += ch_w
            continue
        current += atom
        current_w += atom_w
    if current or not lines:
        flush(last=True)
    else:
        lines[-1] = Line(lines[-1].text, lines[-1].width, True)
    return lines


def balanced_lines(text: str, max_width: float, width: Width) -> list[Line]:
    """Lines for a centred title: as many as greedy filling needs, but as even as possible."""
    lines = break_lines(text, max_width, width)
    if len(lines) < 2:
        return lines
    count = len(lines)
    lo, hi = max_width / count, max_width
    for _ in range(20):
        mid = (lo + hi) / 2
        if len(break_lines(text, mid, width)) > count:
            lo = mid
        else:
            hi = mid
    return break_lines(text, hi, width)


def violations(lines: Sequence[str]) -> list[tuple[int, str]]:
    """Where a list of line texts breaks 禁则: (line index, offending character). For tests."""
    found = []
    for i, line in enumerate(lines):
        if i > 0 and line and line[0] in CLOSING:
            found.append((i, line[0]))
        if i < len(lines) - 1 and line and line[-1] in OPENING:
            found.append((i, line[-1]))
    return found
