"""导出 and 打印: one 导出 / 导出定稿 action per registered exporter, plus the PDF's preview and print.

The menu is generated from :mod:`core.plugins`: a new output kind (Word, web page …) appears here
with no code in ``gui``. An exporter that needs a dialog of its own names it in ``GUI_FLOWS``;
every other one goes through :func:`export_with` (save dialog, write, say what happened).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QCheckBox, QGridLayout, QMenu, QWidget

from core import session
from core.errors import ReportError
from core.findings import has_errors
from core.model import Report
from core.plugins import Exporter, ExportOptions, exporters
from gui.dialogs import Icon, choose, menu_text, message
from gui.dialogs.files import file_dialog, with_suffix
from gui.file_actions import last_dir, remember_dir
from gui.style import StatusTime

if TYPE_CHECKING:
    from gui.main_window import MainWindow

# An exporter whose window side is a module of its own: "module:function(parent, report, *, final, previous)".
GUI_FLOWS: dict[str, str] = {"pdf": "gui.printing:export_pdf"}
SIGN_OFF_TEXT = "报批用：落款下加“单位负责人（签字）、经办人、联系电话”一行（网站发布版不要勾选）"
PRINTING_MODULE = "gui.printing"
# The first exporter's actions keep the shortcuts a clerk learnt for the PDF.
FIRST_SHORTCUTS = ("Ctrl+E", "Ctrl+Shift+E")


def action_name(plugin: Exporter, *, final: bool) -> str:
    """``actionExportPdf`` / ``actionExportFinalPdf``: the object name of an exporter's menu action."""
    return f"actionExport{'Final' if final else ''}{plugin.name.capitalize()}"


class ExportActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def fill_menu(self, menu: QMenu) -> list[QAction]:
        """导出 X… and 导出定稿 X… for every registered exporter, then 打印预览 and 打印."""
        actions: list[QAction] = []
        for n, plugin in enumerate(exporters()):
            for final in (False, True):
                verb = "导出定稿" if final else "导出"
                key = ("&F" if final else "&E") if n == 0 else ""
                action = QAction(menu_text(verb, plugin.label, key), self.window)
                action.setObjectName(action_name(plugin, final=final))
                if n == 0:
                    action.setShortcut(QKeySequence(FIRST_SHORTCUTS[final]))
                action.triggered.connect(lambda _c=False, p=plugin, f=final: self.export(p, final=f))
                menu.addAction(action)
                actions.append(action)
        paper = (("打印预览(&V)…", "print_preview", None, "actionPrintPreview"),
                 ("打印(&P)…", "print_report", QKeySequence.StandardKey.Print, "actionPrint"))
        for text, what, shortcut, name in paper:
            action = QAction(text, self.window)
            action.setObjectName(name)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _c=False, w=what: self.print(w))
            menu.addAction(action)
            actions.append(action)
        return actions

    def export(self, plugin: Exporter, *, final: bool) -> None:
        report = self.window.document.report
        # Last year's report: the export's check (草稿 mark, 定稿 refusal) is the window's, cross-year included.
        previous = self.window.document.previous
        flow = GUI_FLOWS.get(plugin.name)
        if flow is None:
            export_with(self.window, plugin, report, final=final, previous=previous)
            return
        module, _, function = flow.partition(":")
        handler = self._load(module, plugin.label)
        if handler is not None:
            getattr(handler, function)(self.window, report, final=final, previous=previous)

    def print(self, what: str) -> None:
        printing = self._load(PRINTING_MODULE, "PDF")
        if printing is not None:
            getattr(printing, what)(self.window, self.window.document.report, previous=self.window.document.previous)

    def _load(self, module: str, label: str):  # type: ignore[no-untyped-def]
        try:
            # import_module, not "from gui import printing": it honours sys.modules, so a build
            # without the module (or a test that hides it) gets the message below.
            return importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
            message(self.window, Icon.Information, f"{label} 功能尚未安装",
                    f"{label} 功能尚未安装：此版本还不能导出 {label} 或打印。",
                    "报告内容不受影响，可先保存为年报文件。")
            return None


# -- the generic flow: any exporter without a dialog of its own --------------------------------------


def _ask_target(parent: QWidget | None, plugin: Exporter, report: Report, *, final: bool) -> tuple[Path, bool] | None:
    """The save dialog with the default name and the sign-off option; ``None`` when cancelled."""
    title = menu_text("导出定稿" if final else "导出", plugin.label).removesuffix("…")
    dialog = file_dialog(parent, title, last_dir(), save=True, suffix=plugin.suffix, accept="导出",
                         name_filter=f"{plugin.label} 文件 (*{plugin.suffix})", qt_drawn=True)
    dialog.selectFile(session.export_file_name(report, plugin.suffix))
    sign_off = QCheckBox(SIGN_OFF_TEXT)
    sign_off.setObjectName("exportSignOff")
    layout = dialog.layout()
    if isinstance(layout, QGridLayout):
        layout.addWidget(sign_off, layout.rowCount(), 0, 1, layout.columnCount())
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    return with_suffix(Path(dialog.selectedFiles()[0]), plugin.suffix), sign_off.isChecked()


def export_with(parent: QWidget, plugin: Exporter, report: Report, *, final: bool, previous: Report | None,
                ask: Callable[..., tuple[Path, bool] | None] | None = None) -> bool:
    """Ask where, write with ``plugin``, and say what happened in Chinese; True when a file was written."""
    answer = (ask or _ask_target)(parent, plugin, report, final=final)
    if answer is None:
        return False
    target, sign_off = answer
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = plugin.write(report, target, ExportOptions(final=final, sign_off=sign_off, previous=previous))
    except ReportError as err:
        QGuiApplication.restoreOverrideCursor()
        refused = final and has_errors(_findings(report, previous))
        message(parent, Icon.Warning if refused else Icon.Critical,
                "不能导出定稿" if refused else f"{plugin.label} 没有保存",
                err.message if refused else f"{plugin.label} 没有保存，报告内容不受影响。", "\n".join(err.lines()))
        return False
    QGuiApplication.restoreOverrideCursor()
    remember_dir(target)
    kind = "草稿" if result.draft else ("定稿" if final else plugin.label)
    kind = f" {kind}" if kind[:1].isascii() else kind  # 已导出 Word, 已导出网页 (as the menu spells them)
    status = getattr(parent, "say", None)
    if callable(status):
        status(f"已导出{kind}：{target}", StatusTime.NOTE)
    details = "\n".join([f"保存在：\n{target}", *result.notes])
    if result.draft:
        details += f"\n\n报告还有错误，{plugin.label} 标有“草稿”，不能作为正式文本发布。"
    if choose(parent, Icon.Information, "导出完成", f"已导出{kind}。", details, (f"打开 {plugin.label}", "关闭")) == 0:
        from gui.screen import open_with_system

        open_with_system(parent, Path(target), plugin.label)
    return True


def _findings(report: Report, previous: Report | None) -> list:  # type: ignore[type-arg]
    from core.rules import check

    return check(report, previous=previous)
