"""Starting the window: Qt application, Chinese translations, a CJK font, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from core.errors import ReportError
from core.exchange import read_report
from core.paths import resource_path
from gui.document import ReportDocument
from gui.main_window import APP_NAME, SETTINGS_ORG, MainWindow
from gui.style import STYLE_SHEET

# Families that cover Chinese on the systems the clerks use (Windows, UOS/Kylin, Debian).
_CJK_FAMILIES = ("Microsoft YaHei", "微软雅黑", "SimSun", "宋体", "Noto Sans CJK SC", "Source Han Sans SC",
                 "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "AR PL UMing CN", "LXGW WenKai")


def _install_translator(app: QApplication) -> None:
    """Qt's own dialogs and buttons (file dialogs, 确定/取消) in Chinese."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), str(resource_path("translations"))]
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        for folder in folders:
            translator = QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
                break


def _ensure_cjk_font(app: QApplication) -> None:
    """Use a Chinese font; load one shipped in ``resources/fonts`` when the system has none."""
    families = set(QFontDatabase.families())
    for family in _CJK_FAMILIES:
        if family in families:
            break
    else:
        family = ""
        fonts = resource_path("fonts")
        # A 黑体-style face reads best on screen; the others are print faces.
        candidates = sorted(fonts.glob("*.tt[fc]"), key=lambda p: ("hei" not in p.name.lower(), p.name)) \
            if fonts.is_dir() else []
        for path in candidates:
            font_id = QFontDatabase.addApplicationFont(str(path))
            loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if loaded:
                family = loaded[0]
                break
    if family:
        font = QFont(app.font())
        font.setFamilies([family, *font.families()])
        app.setFont(font)


def app_icon() -> QIcon:
    icon = QIcon()
    for name in ("app.svg", "app-256.png", "app-64.png", "app-32.png"):
        path = resource_path("icons", name)
        if path.is_file():
            icon.addFile(str(path))
    return icon


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    if app.property("xxgkConfigured"):
        return app  # a second window (or test): translators and style are in place already
    app.setProperty("xxgkConfigured", True)
    app.setApplicationName(SETTINGS_ORG)
    app.setOrganizationName(SETTINGS_ORG)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(app_icon())
    _install_translator(app)
    _ensure_cjk_font(app)
    app.setStyleSheet(STYLE_SHEET)
    return app


def create_main_window(report_path: Path | str | None = None, *, data_dir: str | None = None) -> MainWindow:
    """The window, with ``report_path`` opened if given (a bad file: Chinese message, empty report).

    Needs a QApplication; :func:`create_application` makes one. The file is read before the
    window is built, so the widgets are filled once rather than emptied and filled again.
    """
    app = QApplication.instance()
    if isinstance(app, QApplication) and not app.styleSheet():
        app.setStyleSheet(STYLE_SHEET)
    document = ReportDocument()
    error: ReportError | None = None
    if report_path is not None:
        try:
            document.replace(read_report(report_path), Path(report_path))
        except ReportError as err:
            error = err
    window = MainWindow(document, data_dir=data_dir)
    window.setWindowIcon(app_icon())
    if error is not None:
        # Once the window is on screen, so the message sits over it rather than over nothing.
        bad = Path(report_path)  # type: ignore[arg-type]
        QTimer.singleShot(0, window, lambda: window.show_open_error(bad, error, at_start=True))  # type: ignore[call-overload]
    elif report_path is not None:
        window.remember_opened(Path(report_path))
    return window


def run_app(path: Path | None, data_dir: str | None = None) -> int:
    """``xxgk-report [FILE]``: show the window until the clerk closes it; returns the exit code."""
    app = create_application()
    window = create_main_window(path, data_dir=data_dir)
    window.show()
    return app.exec()
