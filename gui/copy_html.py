"""编辑 › 复制为网页表格: one official table (or the whole report) on the clipboard as ``text/html`` plus
``text/plain``, so that pasting into a website editor or into WPS gives a real table with its merged
cells, and pasting into a spreadsheet or a plain editor gives tab-separated numbers.

The markup and the text come from ``core.publish.html``, the web page's own writer; nothing is
computed here.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication

from core.model import Report


def report_mime(report: Report, table_id: str | None = None) -> QMimeData:
    """The clipboard contents for ``table_id`` (``"table3"``), or for the whole report when ``None``."""
    from core.publish.content import build_content
    from core.publish.html import article_html, plain_text, table_html, table_min_width

    content = build_content(report)
    if table_id is None:
        markup = article_html(content)
    else:
        grid = content.tables()[table_id]
        markup = table_html(grid, table_min_width(content, table_id))
    mime = QMimeData()
    # A complete little document: WPS and some editors ignore a bare fragment without <meta charset>.
    mime.setHtml(f'<html><head><meta charset="utf-8"></head><body>{markup}</body></html>')
    mime.setText(plain_text(content, table_id))
    return mime


def copy_report_html(report: Report, table_id: str | None = None, clipboard: QClipboard | None = None) -> None:
    """Put the table (or the report) on the system clipboard."""
    (clipboard or QGuiApplication.clipboard()).setMimeData(report_mime(report, table_id))


def table_ids(report: Report) -> list[str]:
    """The tables that can be copied, in report order (for the window's menu or the current tab)."""
    return [s.table for s in report.template.sections if s.kind == "table" and s.table]
