"""Starting the window: Qt application, Chinese translations, a CJK font, the main window."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from core import session
from core.datadir import ENV_VAR, resolve_data_dir
from core.paths import resource_path
from gui import crash
from gui.document import ReportDocument
from gui.main_window import APP_NAME, SETTINGS_ORG, MainWindow
from gui.screen import fit_on_screen
from gui.style import STYLE_SHEET

SETTINGS_FOLDER = "settings"  # inside a portable data folder: window size, last folder, …

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


def settings_folder(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """Where window settings go: in the data folder when one was given (a portable copy on a
    USB stick keeps them with its drafts), else ``None`` (the per-user config, as always)."""
    given = data_dir is not None and str(data_dir).strip()
    if not given and not os.environ.get(ENV_VAR, "").strip():
        return None
    return resolve_data_dir(data_dir) / SETTINGS_FOLDER


def use_settings_folder(data_dir: str | os.PathLike[str] | None = None) -> None:
    """Point every QSettings of the program at :func:`settings_folder` (ini files there)."""
    folder = settings_folder(data_dir)
    if folder is None:
        QSettings.setDefaultFormat(QSettings.Format.NativeFormat)
        return
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def create_main_window(report_path: Path | str | None = None, *, data_dir: str | os.PathLike[str] | None = None,
                       clock: Callable[[], float] = time.monotonic) -> MainWindow:
    """The window on the drafts store in ``data_dir`` (resolved as the command line does).

    Without ``report_path`` it shows the most recently changed draft (a new one in an empty
    store). A valid ``report_path`` is imported into the store and stays linked to its file for
    保存; a bad one gets a Chinese message over the window. A store that cannot be opened, or is
    held by another running copy, is said so once the window is shown; the window still works.
    The report is read before the window is built, so the widgets are filled once. ``clock``
    drives autosave (tests pass their own). What to open is :func:`core.session.start`'s answer.
    """
    app = QApplication.instance()
    if isinstance(app, QApplication) and not app.styleSheet():
        app.setStyleSheet(STYLE_SHEET)
    use_settings_folder(data_dir)
    store, notices = session.open_store(data_dir)
    path = Path(report_path) if report_path is not None else None
    opened = session.start(store, path)
    document = ReportDocument()
    if opened.report is not None:
        document.replace(opened.report, opened.link)
    window = MainWindow(document, store=store, report_id=opened.report_id, clock=clock,
                        notices=[*notices, *opened.notices])
    window.setWindowIcon(app_icon())
    # The default or remembered size, shrunk to this screen (1280×720, 150 % of 1920×1080):
    # the status bar with the save state must stay on screen.
    fit_on_screen(window)
    error = opened.error
    if path is not None and error is not None:
        # Once the window is on screen, so the message sits over it rather than over nothing.
        QTimer.singleShot(0, window, lambda: window.files.show_open_error(path, error, outcome=opened.outcome))
    elif opened.link is not None:
        window.files.remember_opened(opened.link)
    return window


def run_app(path: Path | None, data_dir: str | None = None) -> int:
    """``xxgk-report [FILE]``: show the window until the clerk closes it; returns the exit code.

    When a window on the same data folder runs already, FILE opens there and this process ends
    (exit 0), as Word/WPS do; a window that does not answer in time is not waited for.
    """
    from gui.single_instance import InstanceServer, hand_over, server_name

    app = create_application()
    name = server_name(resolve_data_dir(data_dir))
    if hand_over(name, path):
        print(f"已在正在运行的窗口中打开 {path}" if path else "程序已在运行，已切换到它的窗口")
        return 0
    window = create_main_window(path, data_dir=data_dir)
    crash.install(window, data_dir=data_dir)  # an unexpected error in a slot: log, keep the drafts, tell
    server = InstanceServer(name, window)
    server.listen()
    server.openRequested.connect(lambda p: open_handed_over(window, p))
    app.aboutToQuit.connect(window.shut_down)
    window.show()
    return app.exec()


def open_handed_over(window: MainWindow, path: Path | None) -> None:
    """A file handed over by a second start: the window comes to the front and opens it."""
    from gui.single_instance import when_no_dialog

    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()
    if path is None:
        return

    def open_it() -> None:
        if window.files.maybe_save():
            window.files.open_path(path)

    when_no_dialog(open_it, window)
