"""编辑 › 复制为网页表格: the clipboard gets a real HTML table (spans kept) plus tab-separated text."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from core.publish.content import build_content
from core.sample import full_report
from gui.copy_html import copy_report_html, table_ids
from tests.publish_readback import expected, html_tables


def test_a_table_goes_to_the_clipboard_as_html_and_text(qtbot) -> None:
    report = full_report()
    copy_report_html(report, "table3")
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasHtml() and mime.hasText()
    read = html_tables(mime.html())
    assert list(read) == ["table3"]
    assert read["table3"] == expected(build_content(report).tables()["table3"])
    rows = mime.text().splitlines()
    assert len(rows) == 28 and rows[3].split("\t")[-1] == str(report.get("table3.new_received.total"))


def test_the_whole_report_and_its_markup_is_escaped(qtbot) -> None:
    report = full_report()
    report.texts["text.problems"] = "<b>不是粗体</b> & <script>alert(1)</script>"
    copy_report_html(report)
    mime = QGuiApplication.clipboard().mimeData()
    html = mime.html()
    assert "<script" not in html and "<b>" not in html and "&lt;b&gt;不是粗体&lt;/b&gt;" in html
    assert len(html_tables(html)) == 3
    assert report.texts["text.problems"] in mime.text()
    assert mime.text().splitlines()[0] == report.effective_title


def test_every_table_of_the_format_can_be_copied() -> None:
    report = full_report()
    assert table_ids(report) == list(build_content(report).tables())
