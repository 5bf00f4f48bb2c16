"""The print data (``{id}-print.json``), the format data's label breaks and how text and figures are
printed: shared by the PDF, the Word document and the web page, and light to import.

Nothing here loads ReportLab, so naming an output file (``default_file_name``) or writing a Word or web
version costs no PDF engine start-up.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from core.paths import resource_path
from core.pdf.linebreak import allowed_breaks

# Controls the clerk cannot mean (pasted from Word or a web page), dropped from every output.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


@cache
def print_data(template_id: str = "2021") -> dict[str, Any]:
    """Print wording and furniture: draft note, page numbers, date pattern, 落款 layouts, sign-off line."""
    with resource_path("templates", f"{template_id}-print.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def label_breaks(template_id: str = "2021") -> dict[str, frozenset[int]]:
    """Label → the offsets its lines may break at, from the format data's ``label_breaks``."""
    with resource_path("templates", f"{template_id}.json").open(encoding="utf-8") as fh:
        marked = json.load(fh).get("label_breaks", [])
    return dict(allowed_breaks(m) for m in marked)


def closing_layout(template_id: str, *, sign_off: bool) -> tuple[str, dict[str, Any]]:
    """(name, parameters) of the 落款 layout: sealed for the signed copy, unsealed for the website."""
    data = print_data(template_id)
    name = data["closing_layout_for"]["sign_off" if sign_off else "website"]
    return name, data["closing_layouts"][name]


def paragraphs(text: str) -> list[str]:
    """The clerk's text as paragraphs: one per line, own indentation and stray controls removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    return [p.strip(" \u3000\u00a0") for p in text.split("\n") if p.strip(" \u3000\u00a0")]


def format_value(value: int | Decimal) -> str:
    """A number as printed: the fee as its exact decimal (``0`` for nothing), counts as integers."""
    if isinstance(value, Decimal):
        return "0" if value == 0 else format(value, "f")
    return str(value)


def format_date(day: date, pattern: str) -> str:
    return pattern.format(year=day.year, month=day.month, day=day.day)
