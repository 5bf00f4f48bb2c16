"""Characters that must not pass silently: lone surrogates, controls and bidi overrides.

* A lone surrogate (``"\\ud800"`` in JSON) is not a character at all: it cannot be encoded, so
  printing, saving or drawing it fails later. Exchange files carrying one are refused at reading.
* Control characters (C0 but tab/line breaks, DEL, C1) and the bidi overrides/isolates
  (U+202A–U+202E, U+2066–U+2069) make text show differently from what it is: in a one-line field
  (unit, title, draft name) they are refused; in prose they are reported as a finding.
* :func:`visible` writes such characters as ``U+XXXX`` so that a message can name them without
  sending an escape sequence to the terminal.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# Controls except tab, LF and CR (prose has paragraphs), plus the bidi overrides and isolates.
_PROSE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A one-line field allows no line break or tab either; U+2028/2029 are line/paragraph separators.
_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_SHOW = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def code_points(chars: list[str]) -> str:
    """``U+001B、U+202E``: the characters named, never shown."""
    return "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in chars))


def line_field_problem(text: str) -> str | None:
    """Why ``text`` cannot be a one-line field (unit, title, name), or ``None``."""
    if has_lone_surrogate(text):
        return f"含有无法编码的字符（{code_points(_SURROGATE.findall(text))}）"
    bad = _LINE_BAD.findall(text)
    if bad:
        return f"含有控制字符或文字方向控制符（{code_points(bad)}），请删除后重新填写"
    return None


def prose_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as prose at all (only lone surrogates), or ``None``."""
    if has_lone_surrogate(text):
        return f"含有无法编码的字符（{code_points(_SURROGATE.findall(text))}）"
    return None


def prose_control_chars(text: str) -> list[str]:
    """The control and bidi-override characters in prose (a finding, not a refusal)."""
    return _PROSE_BAD.findall(text)


def visible(text: str) -> str:
    """``text`` with controls, bidi overrides and lone surrogates written as ``<U+XXXX>``."""
    return _SHOW.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)
