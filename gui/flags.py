"""Marking a widget that a finding names: a property for the style sheet, a glyph and a tooltip.

The mark must not rely on colour alone (colour-blind clerks, grey-scale printouts of screenshots):
errors get a thick solid border and a "!" badge, warnings a thick dashed border and a "⚠" badge.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from gui.dialogs import plain_tip

BADGES = {"error": "!", "warning": "⚠"}
_BASE_TIP = "xxgkBaseToolTip"


class _BadgeKeeper(QObject):
    """Keeps a badge in the corner of its widget when the widget is resized."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            _place(watched)
        return False


_keeper: _BadgeKeeper | None = None


def _badge(widget: QWidget) -> QLabel | None:
    # Kept on the wrapper rather than looked up with findChild: PySide 6.12 loses a reference to
    # None each time findChild finds nothing, and resize events call this often enough to crash.
    return getattr(widget, "_xxgk_badge", None)


def _place(widget: QWidget) -> None:
    badge = _badge(widget)
    if badge is None:
        return
    badge.adjustSize()
    if isinstance(widget, QPlainTextEdit):
        # Top right, clear of the text that starts at the left.
        x = widget.width() - badge.width() - 22
    else:
        # Numbers sit at the right of a cell, so the badge goes left.
        x = 3
    badge.move(max(x, 0), 3 if isinstance(widget, QPlainTextEdit) else (widget.height() - badge.height()) // 2)


def set_base_tooltip(widget: QWidget, text: str) -> None:
    """The tooltip a widget shows when no finding names it (its label, for example)."""
    widget.setProperty(_BASE_TIP, text)
    if not widget.property("finding"):
        widget.setToolTip(plain_tip(text))


def apply_flag(widget: QWidget, severity: str | None, messages: list[str] | tuple[str, ...] = ()) -> None:
    """Flag ``widget`` with ``severity`` (``"error"``/``"warning"``) or clear the flag (``None``)."""
    global _keeper
    widget.setProperty("finding", severity or "")
    base = widget.property(_BASE_TIP) or ""
    if severity:
        tip = "\n".join(messages)
        # A finding may quote the clerk's words: never shown as markup (issue #17 F8).
        widget.setToolTip(plain_tip(f"{tip}\n\n{base}".strip() if base else tip))
    else:
        widget.setToolTip(plain_tip(base))
    badge = _badge(widget)
    if severity:
        if badge is None:
            badge = QLabel(widget)
            badge.setObjectName("xxgkFindingBadge")
            widget._xxgk_badge = badge  # type: ignore[attr-defined]
            badge.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            if _keeper is None:
                _keeper = _BadgeKeeper()
            widget.installEventFilter(_keeper)
        badge.setText(BADGES[severity])
        badge.setProperty("finding", severity)
        _repolish(badge)
        _place(widget)
        badge.show()
    elif badge is not None:
        badge.hide()
    _repolish(widget)


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
