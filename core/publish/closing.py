"""Where the 落款's lines go (GB/T 9704-2012 7.3.5), for the PDF, the Word document and the web page.

One function for all three, with the layouts of the print data (``closing_layouts``): sealed (报批用,
the signed copy) centres the unit over a date 右空四字; unsealed (the website copy) sets the unit
右空二字 and the date two characters right of the unit's first character. Widths come from the caller
(points measured from fonts in the PDF, characters for Word and the web), so the geometry is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Width = Callable[[str], float]


def unit_breaks(unit: str, width: Width, max_width: float, break_after: Sequence[str]) -> list[str] | None:
    """A unit's name too long for one line, broken between its administrative parts.

    ``某某省某某市某某区人民政府`` / ``办公室（区大数据发展管理局）`` rather than a break inside a word:
    candidates are after a level of government (省, 市, 区, 政府 …, the print data's
    ``title_break_after``) or before an opening bracket; the most even one that fits wins. ``None``
    when the name fits one line or no such break fits.
    """
    if width(unit) <= max_width:
        return None
    best: tuple[float, int] | None = None
    for i in range(1, len(unit)):
        if not (any(unit[:i].endswith(t) for t in break_after) or unit[i] in "（(《"):
            continue
        head, tail = width(unit[:i]), width(unit[i:])
        if head <= max_width and tail <= max_width and (best is None or max(head, tail) < best[0]):
            best = (max(head, tail), i)
    if best is None:
        return None
    return [unit[:best[1]], unit[best[1]:]]


def unit_room(layout: dict[str, Any], date_width: float, block: float, char: float) -> float:
    """How wide one line of the unit may be in ``layout``."""
    if layout.get("unit_centred_over_date"):
        date_x = block - float(layout["date_right_chars"]) * char - date_width
        # Each line is centred over the date, so a line may be twice the room right of the centre.
        return 2 * (block - (date_x + date_width / 2))
    return block - (float(layout["unit_right_chars"]) + float(layout["date_shift_chars"])) * char


def closing_rows(unit_lines: Sequence[str], date_text: str, layout: dict[str, Any], *, width: Width,
                 block: float, char: float) -> list[tuple[str, float]]:
    """(text, x from the text block's left edge) for each line of the unit, then the date.

    Sealed: the date ``date_right_chars`` from the right, each unit line centred over it. Unsealed: the
    unit ``unit_right_chars`` from the right (its lines right-aligned), the date starting
    ``date_shift_chars`` right of the unit; a date longer than the unit (7.3.5.2) is set
    ``date_right_chars_if_longer`` from the right and the unit moves left with it.
    """
    date_w = width(date_text)
    if layout.get("unit_centred_over_date"):
        date_x = block - float(layout["date_right_chars"]) * char - date_w
        centre = date_x + date_w / 2
        rows = [(line, centre - width(line) / 2) for line in unit_lines]
    else:
        shift = float(layout["date_shift_chars"]) * char
        widest = max((width(line) for line in unit_lines), default=0.0)
        unit_x = block - float(layout["unit_right_chars"]) * char - widest
        date_x = unit_x + shift
        if date_w > widest:
            # A date longer than the unit: the date 右空二字, the unit moved left to match.
            date_x = block - float(layout["date_right_chars_if_longer"]) * char - date_w
            unit_x = date_x - shift
        rows = [(line, unit_x + widest - width(line)) for line in unit_lines]
    rows.append((date_text, date_x))
    return rows
