"""The print-ready PDF of a report (GB/T 9704-2012 page and type), one engine for export, preview and print.

``render_pdf`` writes the file atomically; ``render_pdf_bytes`` gives the bytes for the window's
preview and printing, which rasterise these very pages, so paper and PDF never differ.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from core.errors import ReportError
from core.findings import Finding
from core.model import Report


class FinalRefused(ReportError):
    """A final (定稿) PDF was asked for while the report still has errors: nothing is written."""


@dataclass
class RenderResult:
    pages: int
    draft: bool
    missing_chars: list[str] = field(default_factory=list)
    fonts: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def missing_message(self) -> str:
        """The Chinese warning naming characters no face could draw ('' when there are none)."""
        if not self.missing_chars:
            return ""
        from core.pdf.printdata import print_data

        return print_data()["messages"]["missing_chars"].format(chars=_char_list(self.missing_chars))


def default_file_name(report: Report) -> str:
    """``{unit}{year}年政府信息公开工作年度报告.pdf``, safe as a Windows file name.

    Reads only the print data (``core.pdf.printdata``): naming a Word or web file loads no ReportLab."""
    from core.fileio import safe_file_name
    from core.pdf.printdata import print_data

    name = print_data(report.template.id)["default_file_name"].format(unit=report.unit, year=report.year)

    return safe_file_name(name, fallback="report.pdf")


def render_pdf_bytes(report: Report, *, final: bool = False, sign_off: bool = False,
                     previous: Report | None = None) -> tuple[bytes, RenderResult]:
    from core.findings import has_errors
    from core.pdf.document import build
    from core.pdf.printdata import print_data
    from core.rules import check

    findings = check(report, previous=previous)
    errors = [f for f in findings if f.severity == "error"]
    data = print_data(report.template.id)
    if final and has_errors(findings):
        raise FinalRefused(data["messages"]["final_refused"].format(errors=len(errors)),
                           [data["messages"]["final_refused"].format(errors=len(errors))]
                           + [f"  {f.message}" for f in errors])
    kw = {"sign_off": sign_off, "author": report.unit, "subject": data["subject"], "creator": data["creator"]}
    title = report.effective_title
    built = build(report, draft=bool(errors), title=data["draft_title"].format(title=title) if errors else title,
                  **kw)
    missing = list(built.chooser.missing)
    if missing:
        # A character printed as 〓 is not the report the clerk wrote: never a 定稿.
        chars = _char_list(missing)
        if final:
            message = data["messages"]["final_missing_chars"].format(chars=chars)
            raise FinalRefused(message, [message])
        # Rendered again (rare) so the draft's note on every page names the characters.
        note = data["draft_note_missing"].format(chars=chars)
        if errors:
            note = f"{data['draft_note']}；{note}"
        built = build(report, draft=True, title=data["draft_title"].format(title=title), draft_note=note, **kw)
    result = RenderResult(pages=built.pages, draft=bool(errors) or bool(missing), missing_chars=missing,
                          fonts=built.chooser.used_fonts(), findings=findings)
    return built.pdf, result


def _char_list(chars: list[str]) -> str:
    return "、".join(f"“{c}”(U+{ord(c):04X})" for c in chars)


def render_pdf(report: Report, path: str | os.PathLike[str], *, final: bool = False, sign_off: bool = False,
               previous: Report | None = None) -> RenderResult:
    """Write the PDF to ``path`` (whole or not at all); raises ``OutputError`` or ``FinalRefused``."""
    from core.exchange import write_atomic

    pdf, result = render_pdf_bytes(report, final=final, sign_off=sign_off, previous=previous)
    write_atomic(path, pdf)
    return result


__all__ = ["FinalRefused", "RenderResult", "default_file_name", "render_pdf", "render_pdf_bytes"]
