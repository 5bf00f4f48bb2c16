"""The PDF as the first plug-in of ``core.plugins``: the same renderer, behind the Exporter protocol."""

from __future__ import annotations

import os

from core.model import Report
from core.plugins import ExportOptions, ExportResult


class PdfExporter:
    name = "pdf"
    suffix = ".pdf"
    label = "PDF"
    description = "可打印的 PDF（A4，GB/T 9704 版式）"

    def write(self, report: Report, path: str | os.PathLike[str], options: ExportOptions) -> ExportResult:
        from core.pdf import render_pdf

        result = render_pdf(report, path, final=options.final, sign_off=options.sign_off,
                            previous=options.previous)
        notes = [result.missing_message()] if result.missing_chars else []
        return ExportResult(draft=result.draft, findings=result.findings, pages=result.pages, notes=notes)


EXPORTER = PdfExporter()
