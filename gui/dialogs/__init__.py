"""The one dialog layer: every message box and question of the program, with Chinese buttons.

User text (unit names, titles, file names, store messages) is always shown as plain text: a unit
called ``<b>某局</b>`` must read exactly so, never as rich text. Tests answer these boxes by
replacing ``QMessageBox.exec``; the standard buttons stay, only their labels are Chinese.
"""

from __future__ import annotations

import html
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget

from core.errors import ReportError

Icon = QMessageBox.Icon
_Std = QMessageBox.StandardButton


class Answer(Enum):
    """The clerk's answer to a 保存 / 不保存 / 取消 question."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def menu_text(verb: str, label: str, key: str = "") -> str:
    """``导出 PDF(&E)…``, ``导出网页…``: a space only between Chinese and a Latin word."""
    gap = " " if label[:1].isascii() else ""
    return f"{verb}{gap}{label}({key})…" if key else f"{verb}{gap}{label}…"


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` exactly as written (issue #17 F8).

    Qt shows a tooltip as rich text whenever it *looks* like markup (``Qt.mightBeRichText``), and
    there is no plain-text switch for tooltips: a title ``<img src=/dev/zero>`` would be loaded
    as an image on hover. Such text goes in escaped, inside a paragraph that keeps line breaks.
    """
    if not GuiQt.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def plain_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A label for text that may hold the clerk's (or a file's) words: never rendered as markup."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def _box(parent: QWidget | None, icon: Icon, title: str, text: str, details: str,
         buttons: QMessageBox.StandardButton) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setInformativeText(details)
        # The informative text is a label of its own that Qt leaves on AutoText: plain as well.
        label = box.findChild(QLabel, "qt_msgbox_informativelabel")
        if label is not None:
            label.setTextFormat(Qt.TextFormat.PlainText)
    return box


def message(parent: QWidget | None, icon: Icon, title: str, text: str, details: str = "") -> int:
    """A message with one 确定 button."""
    box = _box(parent, icon, title, text, details, _Std.Ok)
    box.button(_Std.Ok).setText("确定")
    return box.exec()


def show_error(parent: QWidget | None, title: str, text: str, err: ReportError) -> None:
    """What failed (``text``) and why (the error's Chinese lines) as details."""
    message(parent, Icon.Critical, title, text, "\n".join(err.lines()))


def confirm(parent: QWidget | None, title: str, text: str, yes: str, details: str = "") -> bool:
    """A question whose safe answer (取消) is the default."""
    box = _box(parent, Icon.Question, title, text, details, _Std.Yes | _Std.Cancel)
    box.button(_Std.Yes).setText(yes)
    box.button(_Std.Cancel).setText("取消")
    box.setDefaultButton(_Std.Cancel)
    return box.exec() == _Std.Yes


def ask_save(parent: QWidget | None, title: str, text: str, details: str,
             labels: tuple[str, str, str] = ("保存", "不保存", "取消")) -> Answer:
    """保存 / 不保存 / 取消 with the clerk's own words on each button; Esc is 取消."""
    box = _box(parent, Icon.Question, title, text, details, _Std.Save | _Std.Discard | _Std.Cancel)
    for button, label in zip((_Std.Save, _Std.Discard, _Std.Cancel), labels, strict=True):
        box.button(button).setText(label)
    box.setDefaultButton(_Std.Save)
    box.setEscapeButton(_Std.Cancel)
    answer = box.exec()
    if answer == _Std.Save:
        return Answer.SAVE
    return Answer.DISCARD if answer == _Std.Discard else Answer.CANCEL


def choose(parent: QWidget | None, icon: Icon, title: str, text: str, details: str = "",
           buttons: tuple[str, ...] = ("确定",)) -> int:
    """A message with buttons of its own; returns the index of the one pressed (the last on Esc)."""
    box = _box(parent, icon, title, text, details, _Std.NoButton)
    pushed = [box.addButton(label, QMessageBox.ButtonRole.AcceptRole if i == 0 else
                            QMessageBox.ButtonRole.RejectRole) for i, label in enumerate(buttons)]
    box.setDefaultButton(pushed[0])
    box.exec()
    clicked = box.clickedButton()
    return pushed.index(clicked) if clicked in pushed else len(pushed) - 1


def ask_text(parent: QWidget | None, title: str, label: str, default: str) -> str | None:
    """One line of text (a unit name, a display name); ``None`` when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(default)
    dialog.setOkButtonText("确定")
    dialog.setCancelButtonText("取消")
    return dialog.textValue() if dialog.exec() else None
