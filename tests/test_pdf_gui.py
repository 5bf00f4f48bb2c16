"""The window's 导出 PDF, 打印预览 and 打印: same pages as the PDF, Chinese messages, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog

from core.pdf import default_file_name, render_pdf_bytes
from core.pdf.document import print_data
from core.sample import full_report


@pytest.fixture
def printing():  # type: ignore[no-untyped-def]
    """``gui.printing``, imported when a test needs it: importing it while the test modules are
    collected would defeat the window test that hides the module to check the "not installed"
    message (``from gui import printing`` finds a loaded submodule on the package)."""
    import importlib

    return importlib.import_module("gui.printing")


@pytest.fixture
def told(monkeypatch, printing) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []

    def tell(parent, icon, title, text, details="", buttons=("确定",)):  # type: ignore[no-untyped-def]
        calls.append((title, text + "\n" + details))
        return len(buttons) - 1  # "关闭"/"取消": never opens a viewer in tests

    monkeypatch.setattr(printing, "_tell", tell)
    return calls


def _broken():  # type: ignore[no-untyped-def]
    report = full_report()
    report.values["table3.carried_over.natural"] += 2
    return report


def test_printed_pages_are_the_pdf_pages(qtbot, printing, tmp_path: Path) -> None:
    pdf, result = render_pdf_bytes(full_report())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printing._a4_printer(full_report())  # the real set-up must not fail either
    printer.setFullPage(True)
    printing.paint_pages(printer, pdf, 72)
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == result.pages
    images = list(printing.page_images(pdf, 36))
    assert len(images) == result.pages
    assert abs(images[0].height() / images[0].width() - 297 / 210) < 0.01
    gray = next(printing.page_images(pdf, 36, grayscale=True))
    assert (gray.width(), gray.height()) == (images[0].width(), images[0].height())
    # Not blank: the first page has ink.
    img = images[0]
    dark = sum(1 for y in range(0, img.height(), 4) for x in range(0, img.width(), 4)
               if img.pixelColor(x, y).lightness() < 128)
    assert dark > 50


def test_export_writes_the_pdf_with_sign_off(qtbot, printing, tmp_path: Path, monkeypatch, told) -> None:
    target = tmp_path / "报告.pdf"
    monkeypatch.setattr(printing, "_ask_target", lambda *a, **k: (target, True))
    printing.export_pdf(None, full_report(), final=True)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(target).pages)
    assert print_data()["sign_off"][0]["label"] in text.replace(" ", "")
    assert told and told[-1][0] == "导出完成"


def test_final_with_errors_refuses_before_asking(qtbot, printing, tmp_path: Path, monkeypatch, told) -> None:
    asked = []
    monkeypatch.setattr(printing, "_ask_target", lambda *a, **k: asked.append(1))
    printing.export_pdf(None, _broken(), final=True)
    assert not asked
    assert told[0][0] == "不能导出定稿" and "错误" in told[0][1]
    assert list(tmp_path.iterdir()) == []


def test_unwritable_target_says_so_in_chinese(qtbot, printing, tmp_path: Path, monkeypatch, told) -> None:
    monkeypatch.setattr(printing, "_ask_target", lambda *a, **k: (tmp_path / "无此文件夹" / "r.pdf", False))
    printing.export_pdf(None, full_report(), final=False)
    assert told[0][0] == "PDF 没有保存"
    assert "不存在" in told[0][1]
    assert list(tmp_path.iterdir()) == []


def test_save_dialog_offers_default_name_and_sign_off(qtbot, printing, tmp_path: Path) -> None:
    report = full_report()
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        seen["name"] = Path(dialog.selectedFiles()[0]).name
        box = dialog.findChild(QCheckBox, "pdfSignOff")
        seen["box"] = box is not None
        box.setChecked(True)
        dialog.accept()

    QTimer.singleShot(200, answer)
    target, sign_off = printing._ask_target(None, report, final=False, draft=False)
    assert seen == {"name": default_file_name(report), "box": True}
    assert target.name == default_file_name(report) and sign_off


def test_missing_glyphs_are_reported(qtbot, printing, tmp_path: Path, monkeypatch, told) -> None:
    report = full_report()
    report.texts["text.other_matters"] = "见附件😀"
    monkeypatch.setattr(printing, "_ask_target", lambda *a, **k: (tmp_path / "r.pdf", False))
    printing.export_pdf(None, report, final=False)
    assert any("😀" in text for _title, text in told)
    assert (tmp_path / "r.pdf").exists()
