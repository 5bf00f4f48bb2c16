"""The self-test's window steps: Qt's Chinese translation, the main window, the print preview.

``xxgk-report --self-test`` (through :mod:`gui.launcher`) runs :data:`core.selftest.STEPS` and then
these. Each imports its part through :func:`core.selftest._import_part`, so a bundle that left a
module out fails that step with a reason instead of crashing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from core import selftest
from core.selftest import PDF_NAME, StepFailed, _Context, _import_part, _need_report

# How often the window step looks for a modal dialog that would otherwise block it for ever.
DIALOG_WATCHDOG_MS = 5_000


def _step_translations(ctx: _Context) -> str:
    core_mod = _import_part("PySide6.QtCore", "Qt 界面库")
    folder = core_mod.QLibraryInfo.path(core_mod.QLibraryInfo.LibraryPath.TranslationsPath)
    translator = core_mod.QTranslator()
    if not translator.load("qtbase_zh_CN", folder):
        raise StepFailed(f"找不到 Qt 的中文翻译 qtbase_zh_CN.qm（在 {folder}）")
    return "Qt 的中文翻译（qtbase_zh_CN）可以加载"


def _needs_offscreen(environ: Mapping[str, str], plat: str) -> bool:
    """Linux and other X11/Wayland systems without a display get the offscreen platform."""
    if environ.get("QT_QPA_PLATFORM"):
        return False
    if plat.startswith(("win", "darwin")):
        return False
    return not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def _window_makers() -> tuple[Callable[[], Any], Callable[..., Any]]:
    """The application and the main window as ``run_app`` makes them, minus its event loop."""
    app_mod = _import_part("gui.app", "窗口模块")
    make_app = getattr(app_mod, "create_application", None)
    make_window = getattr(app_mod, "create_main_window", None)
    if make_app is None or make_window is None:
        raise StepFailed("窗口模块没有 create_application / create_main_window，无法单独打开窗口")
    return make_app, make_window


def _step_window(ctx: _Context) -> str:
    if _needs_offscreen(os.environ, sys.platform):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    qtcore = _import_part("PySide6.QtCore", "Qt 界面库")
    widgets = _import_part("PySide6.QtWidgets", "Qt 界面库")
    report = _need_report(ctx)
    if ctx.sample_path is None:
        raise StepFailed("前一步未能生成示例报告")
    data_dir = ctx.folder / "窗口草稿库"
    dialogs: list[str] = []

    def dismiss_dialog() -> None:
        # A modal dialog would block the self-test for ever: note what it says and close it.
        app = widgets.QApplication.instance()
        modal = app.activeModalWidget() if app is not None else None
        if modal is not None:
            text = str(getattr(modal, "text", lambda: "")() or modal.windowTitle()).strip()
            dialogs.append(text.splitlines()[0] if text else "对话框")
            modal.reject() if hasattr(modal, "reject") else modal.close()

    make_app, make_window = _window_makers()
    app = make_app()
    # Armed before the window exists, so that a dialog raised while it opens cannot block.
    watchdog = qtcore.QTimer()
    watchdog.setInterval(DIALOG_WATCHDOG_MS)
    watchdog.timeout.connect(dismiss_dialog)
    watchdog.start()
    try:
        window = make_window(ctx.sample_path, data_dir=str(data_dir))
        window.show()
        for _ in range(5):
            app.processEvents()
        if not window.isVisible():
            raise StepFailed("窗口创建后没有显示出来")
        title, size = window.windowTitle(), window.size()
        window.close()
        for _ in range(5):
            app.processEvents()
        dismiss_dialog()
        if window.isVisible():
            raise StepFailed("窗口没有关闭")
        window.deleteLater()
        # processEvents() leaves deferred deletes alone; the window's timers must go while Qt runs.
        qtcore.QCoreApplication.sendPostedEvents(None, qtcore.QEvent.Type.DeferredDelete)
    finally:
        watchdog.stop()
    if dialogs:
        raise StepFailed(f"打开或关闭窗口时弹出了对话框：{dialogs[0]}")
    if report.effective_title not in title:
        raise StepFailed(f"窗口没有载入示例报告（标题为“{title}”）")
    return f"打开示例报告并关闭主窗口（{app.platformName()}，{size.width()}×{size.height()}）"


def _step_preview(ctx: _Context) -> str:
    printing = _import_part("gui.printing", "打印预览模块")
    path = ctx.folder / PDF_NAME
    if not path.is_file():
        raise StepFailed("前一步未能生成 PDF")
    pdf = path.read_bytes()
    pages = printing.page_count(pdf)
    (image,) = printing.page_images(pdf, 36, range(1))
    if image.isNull() or image.width() < 100:
        raise StepFailed("PDF 第 1 页渲染出来是空白")
    return f"PDF 的 {pages} 页可供预览和打印（第 1 页渲染为 {image.width()}×{image.height()} 像素）"


GUI_STEPS: tuple[tuple[str, Callable[[_Context], str]], ...] = (
    ("中文界面", _step_translations),
    ("窗口", _step_window),
    ("打印预览", _step_preview),
)
STEPS = (*selftest.STEPS, *GUI_STEPS)


def run(stream: TextIO | None = None) -> int:
    """Every step, the core's and the window's; 0 when all passed, 1 otherwise."""
    return selftest.run(stream, STEPS)
