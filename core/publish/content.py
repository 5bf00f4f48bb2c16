"""The report as a sequence of blocks — title, headings, paragraphs, tables as grids with spans, 落款 —
computed once and walked by the Word writer, the web-page writer and the clipboard.

The order and the words are the PDF's (``core.pdf.document.Story``): the same sections, paragraphs split
the same way, numbers and dates printed the same way, the same print data (``2021-print.json``), and
the same table grids (``grids.py``). Nothing here imports ReportLab, so a Word or web export does not
load the PDF engine; ``tests/test_publish_content.py`` holds the two to the same output.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from core.findings import Finding
from core.model import Report
from core.paths import resource_path
from core.publish.grids import BUILDERS, TableGrid

# Controls the clerk cannot mean (pasted from Word or a web page), dropped as the PDF drops them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
TEXT_WIDTH_PT = 156 * 72 / 25.4  # the GB/T 9704 text block is 156 mm wide


@cache
def publish_data(template_id: str = "2021") -> dict[str, Any]:
    """Word styles and faces, 落款 layouts: ``resources/templates/{id}-publish.json``."""
    with resource_path("templates", f"{template_id}-publish.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def print_data(template_id: str = "2021") -> dict[str, Any]:
    """The PDF's print wording (draft note, page number, date pattern, sign-off line): one source for all."""
    with resource_path("templates", f"{template_id}-print.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def paragraphs(text: str) -> list[str]:
    """The clerk's text as paragraphs, as the PDF sets them: one per line, own indentation and stray
    controls removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    return [p.strip(" \u3000\u00a0") for p in text.split("\n") if p.strip(" \u3000\u00a0")]


def format_value(value: int | Decimal) -> str:
    """A number as printed: the fee as its exact decimal (``0`` for nothing), counts as integers."""
    if isinstance(value, Decimal):
        return "0" if value == 0 else format(value, "f")
    return str(value)


# -- blocks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    text: str
    lines: tuple[str, ...]  # where the PDF breaks it: after the unit's name when both parts fit


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、… 2: （一）…
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    grid: TableGrid


@dataclass(frozen=True)
class Closing:
    """落款. Offsets are in characters of the body size, from the right edge of the text block."""

    unit: str
    date: str
    sealed: bool
    blank_lines: int
    unit_right: float
    date_right: float
    sign_off: tuple[tuple[str, int], ...] = ()  # (label, blank width in characters)


Block = Title | Heading | Paragraph | Table | Closing


@dataclass
class Content:
    blocks: list[Block]
    draft: bool
    draft_note: str
    page_number: str          # "— {n} —"
    title: str
    unit: str
    subject: str
    creator: str
    findings: list[Finding] = field(default_factory=list)
    template_id: str = "2021"

    def tables(self) -> dict[str, TableGrid]:
        return {b.grid.id: b.grid for b in self.blocks if isinstance(b, Table)}


# -- building -------------------------------------------------------------------------------------


def text_width(text: str) -> float:
    """Width in body characters: CJK and full-width forms one, Latin letters and digits a half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def closing_layout(unit: str, date_text: str, *, sealed: bool, params: dict[str, Any]) -> tuple[float, float]:
    """(unit right offset, date right offset) in characters, GB/T 9704-2012 7.3.5.

    Sealed (7.3.5.1): the date 右空四字, the unit centred over it. Unsealed (7.3.5.2): the unit 右空二字,
    the date on the next line starting two characters right of the unit's first character; a date
    longer than that room goes 右空二字 and the unit moves left to keep the two-character shift.
    """
    unit_w, date_w = text_width(unit), text_width(date_text)
    if sealed:
        date_right = float(params["date_right_chars"])
        return max(0.0, date_right + date_w / 2 - unit_w / 2), date_right
    unit_right = float(params["unit_right_chars"])
    shift = float(params["date_shift_chars"])
    date_right = unit_right + unit_w - shift - date_w
    floor = float(params["min_date_right_chars"])
    if date_right < floor:
        date_right = floor
        unit_right = date_right + date_w + shift - unit_w
    return unit_right, date_right


def title_lines(title: str, unit: str, chars_per_line: float, break_after: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Where a title too long for one line breaks, as the PDF does: after the unit's name when both
    parts fit a line; a unit too long for one line itself breaks between its administrative parts
    (after one of ``break_after`` — 省, 市, 政府 … from the print data — or before a bracket), the most
    even such break that fits. Otherwise the writer wraps it."""
    if text_width(title) <= chars_per_line or not unit or not title.startswith(unit) or title == unit:
        return (title,)
    rest = title[len(unit):]
    if text_width(rest) > chars_per_line:
        return (title,)
    if text_width(unit) <= chars_per_line:
        return (unit, rest)
    best: tuple[float, int] | None = None
    for i in range(1, len(unit)):
        if not (any(unit[:i].endswith(t) for t in break_after) or unit[i] in "（(《"):
            continue
        head, tail = text_width(unit[:i]), text_width(unit[i:])
        if head <= chars_per_line and tail <= chars_per_line and (best is None or max(head, tail) < best[0]):
            best = (max(head, tail), i)
    if best is None:
        return (title,)
    return (unit[:best[1]], unit[best[1]:], rest)


def build_content(report: Report, *, final: bool = False, sign_off: bool = False,
                  previous: Report | None = None) -> Content:
    """The blocks of ``report``; raises ``core.pdf.FinalRefused`` for ``final`` with errors, like the PDF."""
    from core.findings import has_errors
    from core.pdf import FinalRefused  # the package's __init__ only: no ReportLab
    from core.rules import check

    findings = check(report, previous=previous)
    errors = [f for f in findings if f.severity == "error"]
    pdata = print_data(report.template.id)
    if final and has_errors(findings):
        message = pdata["messages"]["final_refused"].format(errors=len(errors))
        raise FinalRefused(message, [message] + [f"  {f.message}" for f in errors])

    tpl = report.template
    pub = publish_data(tpl.id)
    totals = report.totals()

    def value(ref: str) -> str:
        return format_value(report.values[ref] if ref in report.values else totals.get(ref, 0))

    title = report.effective_title
    breaks = tuple(pdata.get("title_break_after", ()))
    per_line = TEXT_WIDTH_PT / float(pub["word"]["styles"]["title"]["size"])
    blocks: list[Block] = [Title(title, title_lines(title, report.unit, per_line, breaks))]
    for section in tpl.sections:
        blocks.append(Heading(1, section.heading))
        if section.kind == "table":
            table_id = section.table or ""
            widths = [float(w) for w in pub["column_widths"][table_id]]
            blocks.append(Table(BUILDERS[table_id](tpl, value, section.heading, widths)))
            continue
        for part in section.parts:
            if part.heading:
                blocks.append(Heading(2, part.heading))
            blocks += [Paragraph(p) for p in paragraphs(report.texts.get(part.ref, ""))]
    day = report.published_on or date.today()
    date_text = pdata["date"].format(year=day.year, month=day.month, day=day.day)
    layout = pub["closing"]["sealed" if sign_off else "unsealed"]
    unit_right, date_right = closing_layout(report.unit, date_text, sealed=sign_off, params=layout)
    items = tuple((item["label"], int(item["blank"])) for item in pdata["sign_off"]) if sign_off else ()
    blocks.append(Closing(report.unit, date_text, sign_off, int(layout["blank_lines"]), unit_right, date_right,
                          items))
    return Content(blocks=blocks, draft=bool(errors), draft_note=pdata["draft_note"],
                   page_number=pdata["page_furniture"]["page_number"], title=title, unit=report.unit,
                   subject=pdata["subject"], creator=pdata["creator"], findings=findings, template_id=tpl.id)
