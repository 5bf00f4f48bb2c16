"""The report as a sequence of blocks — title, headings, paragraphs, tables as grids with spans, 落款 —
computed once and walked by the Word writer, the web-page writer and the clipboard.

The order and the words are the PDF's (``core.pdf.document.Story``): the same sections, paragraphs split
the same way, numbers and dates printed the same way, the same print data (``2021-print.json``), and
the same table grids (``grids.py``). Nothing here imports ReportLab, so a Word or web export does not
load the PDF engine; ``tests/test_publish_content.py`` holds the two to the same output.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from core.findings import Finding
from core.model import Report
from core.paths import resource_path
from core.pdf.printdata import closing_layout, format_date, format_value, label_breaks, paragraphs, print_data
from core.publish.closing import closing_rows, unit_breaks, unit_room
from core.publish.grids import TableGrid, build_grid

TEXT_WIDTH_PT = 156 * 72 / 25.4  # the GB/T 9704 text block is 156 mm wide
BODY_PT = 16
TITLE_SLACK_CHARS = 0.5

__all__ = ["Block", "Closing", "Content", "Heading", "Paragraph", "Table", "TableGrid", "Title", "build_content",
           "format_value", "label_breaks", "paragraphs", "print_data", "publish_data", "text_width",
           "title_lines"]


@cache
def publish_data(template_id: str = "2021") -> dict[str, Any]:
    """Word styles and faces, table column proportions: ``resources/templates/{id}-publish.json``.
    落款 layouts and page furniture are the print data's, one set for the PDF, Word and the web."""
    with resource_path("templates", f"{template_id}-publish.json").open(encoding="utf-8") as fh:
        return json.load(fh)


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
    unit_lines: tuple[tuple[str, float], ...]  # (line of the unit's name, right offset)
    date_right: float
    sign_off: tuple[tuple[str, int], ...] = ()  # (label, blank width in characters)

    @property
    def unit_right(self) -> float:
        """The right offset of the unit's (first) line."""
        return self.unit_lines[0][1] if self.unit_lines else 0.0


Block = Title | Heading | Paragraph | Table | Closing


@dataclass
class Content:
    blocks: list[Block]
    draft: bool
    draft_note: str
    page_number: str          # "— {n} —"
    page_furniture: dict[str, Any]  # the print data's: size, 7 mm under the block, one character in, outside
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


def closing_lines(unit: str, date_text: str, layout: dict[str, Any], break_after: tuple[str, ...] = (),
                  chars_per_line: float = TEXT_WIDTH_PT / BODY_PT) -> tuple[tuple[tuple[str, float], ...], float]:
    """(unit lines with their right offsets, the date's right offset) in characters: the PDF's geometry
    (``core.publish.closing``) measured in characters; a unit too long for its room breaks between its
    administrative parts as in the PDF."""
    room = unit_room(layout, text_width(date_text), chars_per_line, 1.0)
    lines = (unit_breaks(unit, text_width, room, break_after) or [unit]) if unit else []
    rows = closing_rows(lines, date_text, layout, width=text_width, block=chars_per_line, char=1.0)
    rights = [(text, chars_per_line - x - text_width(text)) for text, x in rows]
    return tuple(rights[:-1]), rights[-1][1]


def title_lines(title: str, unit: str, chars_per_line: float, break_after: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Where a title too long for one line breaks, as the PDF does: after the unit's name when both
    parts fit a line; a unit too long for one line itself breaks between its administrative parts
    (``core.publish.closing.unit_breaks``), the most even such break that fits. Otherwise the writer
    wraps it."""
    # Half a character to spare: the clerk's Latin figures may be wider than half a hanzi, and a title
    # that only just fits in our count would leave its last character alone on a second line in Word.
    chars_per_line -= TITLE_SLACK_CHARS
    if text_width(title) <= chars_per_line or not unit or not title.startswith(unit) or title == unit:
        return (title,)
    rest = title[len(unit):]
    if text_width(rest) > chars_per_line:
        return (title,)
    if text_width(unit) <= chars_per_line:
        return (unit, rest)
    parts = unit_breaks(unit, text_width, chars_per_line, break_after)
    return (title,) if parts is None else (*parts, rest)


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
    break_after = tuple(pdata.get("title_break_after", ()))
    per_line = TEXT_WIDTH_PT / float(pub["word"]["styles"]["title"]["size"])
    blocks: list[Block] = [Title(title, title_lines(title, report.unit, per_line, break_after))]
    for section in tpl.sections:
        blocks.append(Heading(1, section.heading))
        if section.kind == "table":
            table_id = section.table or ""
            widths = [float(w) for w in pub["column_widths"][table_id]]
            blocks.append(Table(build_grid(tpl, table_id, value, section.heading, widths)))
            continue
        for part in section.parts:
            if part.heading:
                blocks.append(Heading(2, part.heading))
            blocks += [Paragraph(p) for p in paragraphs(report.texts.get(part.ref, ""))]
    day = report.published_on or date.today()
    date_text = format_date(day, pdata["date"])
    name, layout = closing_layout(tpl.id, sign_off=sign_off)
    unit_lines, date_right = closing_lines(report.unit, date_text, layout, break_after)
    items = tuple((item["label"], int(item["blank"])) for item in pdata["sign_off"]) if sign_off else ()
    blocks.append(Closing(report.unit, date_text, name == "sealed", int(layout["blank_lines_above"]), unit_lines,
                          date_right, items))
    return Content(blocks=blocks, draft=bool(errors), draft_note=pdata["draft_note"],
                   page_number=pdata["page_furniture"]["page_number"],
                   page_furniture=pdata["page_furniture"], title=title, unit=report.unit,
                   subject=pdata["subject"], creator=pdata["creator"], findings=findings, template_id=tpl.id)
