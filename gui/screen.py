"""Fitting windows to the screen they are on, and handing a file to the system's viewer.

Office screens run from 1280×720 to 1920×1080 at 150 %: a window or dialog is never bigger than
the screen's available area (the task bar excluded), so its status bar and buttons stay visible.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QWidget

from gui.dialogs import Icon, message

# What the main window would like on a large screen; it takes the available area when that is smaller.
PREFERRED_WINDOW = (1280, 720)
# A print preview shows an A4 page upright: as tall as the screen lets it, never taller.
PREFERRED_PREVIEW = (1000, 800)


def available_area(widget: QWidget | None = None) -> QRect:
    """The available geometry of the screen ``widget`` is on (the primary screen otherwise)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, *PREFERRED_WINDOW)


def fit_size(widget: QWidget, preferred: tuple[int, int]) -> None:
    """Resize ``widget`` to ``preferred``, shrunk to the available area with its frame included."""
    area = available_area(widget)
    frame = _frame_margins(widget)
    width = min(preferred[0], area.width() - frame[0])
    height = min(preferred[1], area.height() - frame[1])
    widget.resize(max(width, 200), max(height, 200))


def fit_on_screen(widget: QWidget) -> None:
    """Shrink and move a (restored) window so that it lies wholly inside the available area."""
    area = available_area(widget)
    frame = _frame_margins(widget)
    width = min(widget.width(), area.width() - frame[0])
    height = min(widget.height(), area.height() - frame[1])
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    x = min(max(widget.x(), area.left()), area.right() + 1 - width - frame[0])
    y = min(max(widget.y(), area.top()), area.bottom() + 1 - height - frame[1])
    if (x, y) != (widget.x(), widget.y()):
        widget.move(x, y)


def _frame_margins(widget: QWidget) -> tuple[int, int]:
    """The window manager's frame (title bar, borders); a guess until the window was shown once."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    extra = (frame.width() - inner.width(), frame.height() - inner.height())
    return extra if widget.isVisible() and extra != (0, 0) else (16, 40)


def open_with_system(parent: QWidget | None, path: Path, kind: str = "PDF") -> bool:
    """Open ``path`` in the system's viewer; without one, say so and where the file is."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    message(parent, Icon.Information, f"无法打开 {kind}",
            f"这台电脑上没有找到可以打开 {kind} 的程序。文件已经保存好了，可以拷贝到其他电脑上查看或打印。",
            f"文件位置：\n{path}")
    return False
