"""导出 PDF, 打印预览 and 打印 — all three from the one PDF the core renders.

Preview and print rasterise the pages of :func:`core.pdf.render_pdf_bytes` with pypdfium2 and paint
them on the printer, so what the clerk sees, prints and exports is the same layout to the pixel:
there is no second layout engine in Qt. (PySide6-Essentials has no QtPdf; pypdfium2 is a wheel.)
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QCheckBox, QFileDialog, QGridLayout, QMessageBox, QWidget

from core.errors import ReportError
from core.findings import has_errors
from core.model import Report
from core.pdf import FinalRefused, RenderResult, default_file_name, render_pdf, render_pdf_bytes
from core.pdf.document import print_data
from core.rules import check
from gui.dialogs import choose
from gui.dialogs.files import file_dialog, with_suffix
from gui.export_actions import SIGN_OFF_TEXT
from gui.file_actions import last_dir, remember_dir
from gui.screen import PREFERRED_PREVIEW, fit_size, open_with_system
from gui.style import StatusTime

PDF_FILTER = "PDF 文件 (*.pdf)"
PREVIEW_DPI = 200  # sharp on screen at any zoom a clerk uses, without gigabytes of bitmaps
PRINT_DPI = 600


# -- small seams the tests replace -------------------------------------------------------------


def _tell(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = "",
          buttons: tuple[str, ...] = ("确定",)) -> int:
    """A Chinese message box; returns the index of the button pressed."""
    return choose(parent, icon, title, text, details, buttons)


def _ask_target(parent: QWidget | None, report: Report, *, final: bool, draft: bool) -> tuple[Path, bool] | None:
    """The save dialog with the default name and the sign-off option; ``None`` when cancelled."""
    # Qt's own dialog (qt_drawn), so that the sign-off option can sit inside it on every system.
    dialog = file_dialog(parent, "导出定稿 PDF" if final else "导出 PDF", last_dir(), save=True,
                         name_filter=PDF_FILTER, suffix=".pdf", accept="导出", qt_drawn=True)
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, "保存位置：")
    dialog.selectFile(default_file_name(report))
    sign_off = QCheckBox(SIGN_OFF_TEXT)
    sign_off.setObjectName("pdfSignOff")
    layout = dialog.layout()
    if isinstance(layout, QGridLayout):
        layout.addWidget(sign_off, layout.rowCount(), 0, 1, layout.columnCount())
    if draft:
        dialog.setWindowTitle("导出 PDF（草稿：报告还有错误，每页将标有“草稿”）")
    if not dialog.exec():
        return None
    files = dialog.selectedFiles()
    if not files:
        return None
    return with_suffix(Path(files[0]), ".pdf"), sign_off.isChecked()


def _say(parent: QWidget | None, text: str, msecs: int) -> None:
    say = getattr(parent, "say", None)
    if callable(say):
        say(text, msecs)


# -- export ------------------------------------------------------------------------------------


def _errors_text(findings: list) -> str:  # type: ignore[type-arg]
    errors = [f.message for f in findings if f.severity == "error"]
    shown = errors[:8]
    more = f"\n……另有 {len(errors) - len(shown)} 项" if len(errors) > len(shown) else ""
    return "\n".join(f"• {m}" for m in shown) + more


def export_pdf(parent: QWidget | None, report: Report, *, final: bool, previous: Report | None = None) -> None:
    """导出 PDF / 导出定稿: ask where, render, write atomically, and say what happened in Chinese.

    ``previous`` (last year's report from the drafts) makes the check the window shows and the
    one the PDF prints agree, the cross-year rule included.
    """
    findings = check(report, previous=previous)
    errors = has_errors(findings)
    if final and errors:
        count = sum(1 for f in findings if f.severity == "error")
        _tell(parent, QMessageBox.Icon.Warning, "不能导出定稿",
              print_data()["messages"]["final_refused"].format(errors=count), _errors_text(findings))
        return
    answer = _ask_target(parent, report, final=final, draft=errors)
    if answer is None:
        return
    target, sign_off = answer
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = render_pdf(report, target, final=final, sign_off=sign_off, previous=previous)
    except FinalRefused as err:
        QGuiApplication.restoreOverrideCursor()
        _tell(parent, QMessageBox.Icon.Warning, "不能导出定稿", err.message, _errors_text(findings))
        return
    except ReportError as err:
        QGuiApplication.restoreOverrideCursor()
        _tell(parent, QMessageBox.Icon.Critical, "PDF 没有保存",
              "PDF 没有保存，报告内容不受影响。", "\n".join(err.lines()))
        return
    QGuiApplication.restoreOverrideCursor()
    remember_dir(target)
    kind = "草稿" if result.draft else ("定稿" if final else "PDF")
    _say(parent, f"已导出{kind}：{target}（{result.pages} 页）", StatusTime.NOTE)
    _report_missing(parent, result)
    details = f"{result.pages} 页，保存在：\n{target}"
    if result.draft:
        details += "\n\n报告还有错误，PDF 每页都标有“草稿”，不能作为正式文本发布。"
    if _tell(parent, QMessageBox.Icon.Information, "导出完成", f"已导出{kind}。", details,
             ("打开 PDF", "关闭")) == 0:
        open_with_system(parent, target)


def _report_missing(parent: QWidget | None, result: RenderResult) -> None:
    if result.missing_chars:
        _tell(parent, QMessageBox.Icon.Warning, "有字符无法显示", result.missing_message(),
              "请把这些字符改为常用字，或在本机安装含有这些字符的字体（如宋体）后重新导出。")


# -- preview and print ---------------------------------------------------------------------------


def page_images(pdf: bytes, dpi: int, pages: range | None = None, *, grayscale: bool = False):  # type: ignore[no-untyped-def]
    """Yield one QImage per page of ``pdf`` rendered at ``dpi`` (one page in memory at a time)."""
    doc = pdfium.PdfDocument(pdf)
    fmt = QImage.Format.Format_Grayscale8 if grayscale else QImage.Format.Format_RGB888
    try:
        indices = pages if pages is not None else range(len(doc))
        for i in indices:
            page = doc[i]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, may_draw_forms=False, grayscale=grayscale)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
            image.setDotsPerMeterX(round(dpi / 0.0254))
            image.setDotsPerMeterY(round(dpi / 0.0254))
            bitmap.close()
            page.close()
            yield image
    finally:
        doc.close()


def page_count(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def paint_pages(printer: QPrinter, pdf: bytes, dpi: int, *, grayscale: bool = False) -> None:
    """Paint the PDF's pages on ``printer``, each filling the sheet as the PDF's A4 page does."""
    total = page_count(pdf)
    first, last = printer.fromPage(), printer.toPage()
    indices = range(first - 1, min(last, total)) if first > 0 and last > 0 else range(total)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("打印机无法开始打印")
    try:
        for n, image in enumerate(page_images(pdf, dpi, indices, grayscale=grayscale)):
            if n:
                printer.newPage()
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            # Keep the page's proportions; a Letter-size printer gets A4 scaled to fit.
            scale = min(paper.width() / image.width(), paper.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            target = QRectF(paper.x() + (paper.width() - w) / 2, paper.y() + (paper.height() - h) / 2, w, h)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(target, image)
    finally:
        painter.end()


def _a4_printer(report: Report, mode: QPrinter.PrinterMode = QPrinter.PrinterMode.HighResolution) -> QPrinter:
    printer = QPrinter(mode)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0)))
    # The PDF carries the GB/T 9704 margins itself: paint on the whole sheet.
    printer.setFullPage(True)
    printer.setDocName(report.effective_title)
    return printer


def _render_for_paper(parent: QWidget | None, report: Report,
                      previous: Report | None = None) -> tuple[bytes, RenderResult] | None:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return render_pdf_bytes(report, previous=previous)
    except ReportError as err:
        QGuiApplication.restoreOverrideCursor()
        _tell(parent, QMessageBox.Icon.Critical, "无法排版", "报告无法排版为打印页面。", "\n".join(err.lines()))
        return None
    finally:
        if QGuiApplication.overrideCursor() is not None:
            QGuiApplication.restoreOverrideCursor()


def print_preview(parent: QWidget | None, report: Report, *, previous: Report | None = None) -> None:
    """打印预览: the exported PDF's pages in Qt's preview, printable from there."""
    rendered = _render_for_paper(parent, report, previous)
    if rendered is None:
        return
    pdf, result = rendered
    _report_missing(parent, result)
    printer = _a4_printer(report)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"打印预览 — {report.effective_title}" + ("（草稿）" if result.draft else ""))
    dialog.paintRequested.connect(lambda p: _paint_or_tell(parent, p, pdf, PREVIEW_DPI))
    fit_size(dialog, PREFERRED_PREVIEW)  # an A4 page upright, but never taller than the screen
    dialog.exec()


def _paint_or_tell(parent: QWidget | None, printer: QPrinter, pdf: bytes, dpi: int, *,
                   grayscale: bool = False) -> bool:
    try:
        paint_pages(printer, pdf, dpi, grayscale=grayscale)
        return True
    except (OSError, pdfium.PdfiumError) as err:
        _tell(parent, QMessageBox.Icon.Critical, "打印失败", "无法把报告送到打印机。", str(err))
        return False


def print_report(parent: QWidget | None, report: Report, *, previous: Report | None = None) -> None:
    """打印: the printer dialog (page range included), then the same pages as the PDF."""
    rendered = _render_for_paper(parent, report, previous)
    if rendered is None:
        return
    pdf, result = rendered
    if result.draft:
        count = sum(1 for f in result.findings if f.severity == "error")
        if _tell(parent, QMessageBox.Icon.Question, "打印草稿？",
                 f"报告还有 {count} 项错误，打印出的每页都将标有“草稿”。", _errors_text(result.findings),
                 ("仍然打印", "取消")) != 0:
            return
    _report_missing(parent, result)
    printer = _a4_printer(report)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(1, result.pages)
    if not dialog.exec():
        return
    # Grey levels at 600 dpi: crisp type at a third of the memory and spool size of colour.
    if _paint_or_tell(parent, printer, pdf, PRINT_DPI, grayscale=True):
        _say(parent, f"已送往打印机：{result.pages} 页", StatusTime.DONE)
