"""The review dialog of a published report: what was read, what was not, and the clerk's choice."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from core.ingest.readers import read_published
from gui.ingest_review import AS_DRAFT, AS_PREVIOUS, BLANK_COLOR, UNREAD_COLOR, IngestReviewDialog
from tests.ingest_pages import report_page, sample_values


def _result(tmp_path: Path, odd: dict[str, str], **kwargs):  # type: ignore[no-untyped-def]
    path = tmp_path / "page.html"
    path.write_text(report_page(sample_values(), text_of=lambda ref, v: odd.get(ref, v), **kwargs), "utf-8")
    return read_published(path)


def _item_of(dialog: IngestReviewDialog, table: str, ref: str):  # type: ignore[no-untyped-def]
    grid = dialog.tables[table]
    for i in range(grid.rowCount()):
        for j in range(grid.columnCount()):
            item = grid.item(i, j)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == ref:
                return item
    raise AssertionError(ref)


def test_unread_and_blank_cells_are_highlighted(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = _result(tmp_path, {"table3.granted.natural": "约50", "table4.review.other": "/"})
    dialog = IngestReviewDialog(result, "page.html")
    qtbot.addWidget(dialog)
    unread = _item_of(dialog, "table3", "table3.granted.natural")
    assert unread.text() == "未读出" and unread.background().color() == QColor(UNREAD_COLOR)
    blank = _item_of(dialog, "table4", "table4.review.other")
    assert blank.text() == "0" and blank.background().color() == QColor(BLANK_COLOR)
    plain = _item_of(dialog, "table3", "table3.new_received.natural")
    assert plain.text() == sample_values()["table3.new_received.natural"]
    assert plain.background().style() == Qt.BrushStyle.NoBrush
    assert "约50" in dialog.notes.toPlainText()
    assert "1 个未读出" in dialog.findChild(QLabel, "ingest_summary").text()


def test_choice_is_returned_with_the_report(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = _result(tmp_path, {})
    for button, choice in (("as_previous", AS_PREVIOUS), ("as_draft", AS_DRAFT)):
        dialog = IngestReviewDialog(result, "page.html")
        qtbot.addWidget(dialog)
        getattr(dialog, button).click()
        assert dialog.choice == choice and dialog.result() == dialog.DialogCode.Accepted
        assert dialog.report is result.report and dialog.report.unit == "某区科学技术局"


def test_user_text_is_shown_as_plain_text(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = _result(tmp_path, {}, title="<b>某区</b>2025年政府信息公开工作年度报告")
    dialog = IngestReviewDialog(result, "page.html")
    qtbot.addWidget(dialog)
    labels = [w for w in dialog.findChildren(QLabel) if "<b>" in w.text()]
    assert labels and all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)
    assert "本部分文字。" in dialog.prose.toPlainText()


def test_review_file_refuses_a_scan_with_a_message(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox
    from reportlab.pdfgen import canvas

    from gui import ingest_review

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(72, 72, 300, 500, fill=1)
    c.showPage()
    c.save()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    assert ingest_review.review_file(None, path) is None
    assert shown and "没有文字" in shown[0]


def test_review_file_returns_the_choice(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gui import ingest_review

    path = tmp_path / "page.html"
    path.write_text(report_page(sample_values()), "utf-8")

    def choose(dialog: IngestReviewDialog) -> int:
        dialog.as_previous.click()
        return dialog.result()

    monkeypatch.setattr(IngestReviewDialog, "exec", choose)
    choice, report = ingest_review.review_file(None, path)
    assert choice == AS_PREVIOUS and report.year == 2025


def test_the_dialog_fits_a_small_office_screen(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Its buttons sit at the bottom: a dialog taller than the screen hides 作为新草稿 (offscreen: 800×800)."""
    dialog = IngestReviewDialog(_result(tmp_path, {}), "page.html")
    qtbot.addWidget(dialog)
    area = dialog.screen().availableGeometry()
    assert dialog.width() <= area.width() and dialog.height() <= area.height()
