"""The Word and web-page writers behind the Exporter protocol of ``core.plugins``.

Kept apart from the writers themselves: the window builds its export menu from these objects at
start-up, and importing the writers (python-docx, the content model) there cost ~10 ms of the
measured start-up for menus nobody had opened yet.
"""

from __future__ import annotations

import os

from core.model import Report
from core.plugins import ExportOptions, ExportResult


class DocxExporter:
    name = "docx"
    suffix = ".docx"
    label = "Word"
    description = "Word 文档（.docx，公文版式，供公文系统报送和在 WPS/Word 中修改）"

    def write(self, report: Report, path: str | os.PathLike[str], options: ExportOptions) -> ExportResult:
        from core.exchange import write_atomic
        from core.publish.docx import report_docx

        data, content = report_docx(report, final=options.final, sign_off=options.sign_off,
                                    previous=options.previous)
        write_atomic(path, data)
        return ExportResult(draft=content.draft, findings=content.findings)


class HtmlExporter:
    name = "html"
    suffix = ".html"
    label = "网页"
    description = "网页（一个自包含的 HTML 文件，供政府网站发布；加 --fragment 只输出正文部分）"

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--fragment", action="store_true",
                            help="只输出正文部分（标题、各部分和表格），供粘贴到网站编辑器（TRS、UEditor 等）")

    def write(self, report: Report, path: str | os.PathLike[str], options: ExportOptions) -> ExportResult:
        from core.exchange import write_atomic
        from core.publish.html import report_html

        text, content = report_html(report, fragment=options.fragment, final=options.final,
                                    sign_off=options.sign_off, previous=options.previous)
        write_atomic(path, text.encode("utf-8"))
        return ExportResult(draft=content.draft, findings=content.findings)


DOCX_EXPORTER = DocxExporter()
HTML_EXPORTER = HtmlExporter()
