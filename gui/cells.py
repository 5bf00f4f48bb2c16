"""Table cells that behave like a spreadsheet's: Enter goes down, Tab right, arrows move.

Up/Down never step the count (a clerk scrolling with the arrow keys must not change a figure),
the mouse wheel scrolls the page rather than the number, Esc puts back the value the cell had when
it got the focus, and Ctrl+V pastes a block from Excel/WPS through the table (see
:mod:`core.clipboard`).

As in Excel/WPS 表格, a selected cell is replaced by what is typed: a click (or a second click)
selects the whole figure and never drops the caret inside it, so "11398889" + click + click + "5"
gives 5, not 115398889. F2 or a double-click edits in place, with the caret where it was asked for.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QMouseEvent, QValidator, QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QLineEdit, QSizePolicy, QSpinBox, QWidget

from core.template import MAX_COUNT, CellSpec

if TYPE_CHECKING:
    from core.model import Value

# Directions a key asks for.
UP, DOWN, LEFT, RIGHT, NEXT, PREVIOUS = "up", "down", "left", "right", "next", "previous"


class Navigator(Protocol):
    def move(self, cell: QWidget, direction: str) -> bool: ...


def _normalize(text: str) -> str:
    # Chinese input methods type full-width digits (１２) and commas.
    return unicodedata.normalize("NFKC", text)


class _CellLineEdit(QLineEdit):
    """The text field inside a cell: the mouse selects the cell, only F2/double-click edit in place.

    Mouse handlers are overridden here rather than through an event filter, so keystrokes pay
    nothing for this.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.in_place = False  # F2 / double-click mode: the caret moves with clicks and arrows

    def edit_in_place(self, position: int | None = None) -> None:
        self.in_place = True
        self.deselect()
        self.setCursorPosition(len(self.text()) if position is None else position)

    def leave_in_place(self) -> None:
        self.in_place = False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.in_place:
            super().mousePressEvent(event)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            if not self.hasFocus():
                self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.selectAll()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.in_place:
            super().mouseMoveEvent(event)
        else:
            event.accept()  # no drag-selecting part of a figure

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.in_place:
            super().mouseReleaseEvent(event)
        else:
            event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.edit_in_place(self.cursorPositionAt(event.position().toPoint()))
            event.accept()
        else:
            super().mouseDoubleClickEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.in_place = False
        super().focusOutEvent(event)


class _CellMixin:
    """Key handling shared by count and money cells (mixed into a QAbstractSpinBox subclass)."""

    userEdited = Signal(str, object)  # ref, new value (only for edits by the clerk)
    editingDone = Signal(str)  # ref: the cell lost the focus or Enter was pressed
    pasteRequested = Signal(object)  # the cell
    historyRequested = Signal(str)  # "undo" or "redo"

    ref: str
    navigator: Navigator | None
    _updating: bool
    _value_at_focus: Value | None

    def _init_cell(self: QAbstractSpinBox, ref: str) -> None:  # type: ignore[misc]
        self.ref = ref
        self.navigator = None
        self._updating = False
        self._value_at_focus = None
        self.setLineEdit(_CellLineEdit(self))
        self.setObjectName(ref)
        self.setProperty("cellRole", "input")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setKeyboardTracking(True)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.setAccelerated(False)
        # Fill the table cell's height, as a spreadsheet cell does.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    # -- value in and out -------------------------------------------------------------------

    def _emit_user_edit(self, *_args: object) -> None:
        if not self._updating:
            self.userEdited.emit(self.ref, self.cell_value())

    def show_value(self, value: Value) -> None:
        """Show a value from the report without it counting as the clerk's edit."""
        if self.cell_value() == value:
            return
        self._updating = True
        try:
            self.setValue(self._to_widget(value))  # type: ignore[attr-defined]
        finally:
            self._updating = False

    # -- keys ---------------------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab / Shift+Tab: along the table's rows (skipping totals), then on to the next field.
        if self._move(NEXT if next else PREVIOUS):
            return True
        return super().focusNextPrevChild(next)  # type: ignore[misc]

    # Qt's virtual handlers, overridden here once for both cell kinds (the mixin precedes the
    # spin box in the MRO, so super() is the spin box's own handler).
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._cell_key(event):
            super().keyPressEvent(event)  # type: ignore[misc]

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)  # type: ignore[misc]
        self._cell_focus_in()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # scroll the page, never the figure

    def stepBy(self, steps: int) -> None:
        # Stepping is what Up/Down/PageUp do in a spin box; in a table they move instead.
        pass

    def _cell_key(self, event: QKeyEvent) -> bool:
        """Spreadsheet keys; True when handled."""
        key, mods = event.key(), event.modifiers()
        if event.matches(QKeySequence.StandardKey.Paste):
            self.pasteRequested.emit(self)
            return True
        # The line edit inside the spin box would undo its own text, which knows nothing of
        # pastes: the table's undo history (the window's 撤销/重做) takes these keys instead.
        if event.matches(QKeySequence.StandardKey.Undo):
            self.historyRequested.emit("undo")
            return True
        if event.matches(QKeySequence.StandardKey.Redo) or (
            key == Qt.Key.Key_Y and mods == Qt.KeyboardModifier.ControlModifier
        ):
            self.historyRequested.emit("redo")
            return True
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        line = self.lineEdit()  # type: ignore[attr-defined]
        if key == Qt.Key.Key_F2 and not mods:
            line.edit_in_place()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.editingDone.emit(self.ref)
            up = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            self._move(UP if up else DOWN)
            return True
        if key == Qt.Key.Key_Escape and self._value_at_focus is not None:
            self.setValue(self._to_widget(self._value_at_focus))  # type: ignore[attr-defined]
            line.leave_in_place()
            self.selectAll()  # type: ignore[attr-defined]
            return True
        if key == Qt.Key.Key_Up:
            self._move(UP)
            return True
        if key == Qt.Key.Key_Down:
            self._move(DOWN)
            return True
        if key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            return True  # would step the value by ten
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and line.in_place:
            return False  # editing in place: the arrows move the caret, as in a spreadsheet's F2 mode
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not mods & Qt.KeyboardModifier.ShiftModifier:
            all_selected = line.hasSelectedText() and len(line.selectedText()) == len(line.text())
            if key == Qt.Key.Key_Left and (all_selected or line.cursorPosition() == 0):
                return self._move(LEFT) or all_selected
            if key == Qt.Key.Key_Right and (all_selected or line.cursorPosition() == len(line.text())):
                return self._move(RIGHT) or all_selected
        return False

    def _move(self, direction: str) -> bool:
        return bool(self.navigator and self.navigator.move(self, direction))  # type: ignore[arg-type]

    def _cell_focus_in(self) -> None:
        self._value_at_focus = self.cell_value()
        # After the click has placed the cursor: select everything so typing replaces the value.
        QTimer.singleShot(0, self, self._select_if_focused)  # type: ignore[call-overload]

    def _select_if_focused(self) -> None:
        # Not after a double-click that has put the caret in place meanwhile.
        if self.hasFocus() and not self.lineEdit().in_place:  # type: ignore[attr-defined]
            self.selectAll()  # type: ignore[attr-defined]

    # Implemented by the concrete classes.
    def cell_value(self) -> Value:  # pragma: no cover - overridden
        raise NotImplementedError

    def _to_widget(self, value: Value) -> int | float:  # pragma: no cover - overridden
        raise NotImplementedError


class CountCell(_CellMixin, QSpinBox):
    """A count (件数): whole number from 0 to MAX_COUNT; an empty cell means 0."""

    def __init__(self, spec: CellSpec | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_cell(spec.ref if isinstance(spec, CellSpec) else spec)
        self.setRange(0, MAX_COUNT)
        self.setMinimumWidth(56)
        self.valueChanged.connect(self._emit_user_edit)
        self.editingFinished.connect(lambda: self.editingDone.emit(self.ref))

    def cell_value(self) -> int:
        return self.value()

    def _to_widget(self, value: Value) -> int:
        return int(value)

    def validate(self, text: str, pos: int) -> object:
        text = _normalize(text)
        if text.strip() == "":
            return QValidator.State.Acceptable, text, pos
        if text.isdigit():
            # Refuse a number beyond the range outright instead of letting it sit "intermediate".
            state = QValidator.State.Acceptable if int(text) <= MAX_COUNT else QValidator.State.Invalid
            return state, text, pos
        return QValidator.State.Invalid, text, pos

    def valueFromText(self, text: str) -> int:
        text = _normalize(text).strip()
        return int(text) if text.isdigit() else 0

    def fixup(self, text: str) -> str:
        return text if text.strip() else "0"

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if not self.lineEdit().text().strip():
            self.lineEdit().setText(self.textFromValue(self.value()))


class MoneyCell(_CellMixin, QDoubleSpinBox):
    """An amount in 万元 with the format's number of decimals (4)."""

    def __init__(self, spec: CellSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_cell(spec.ref)
        self.places = spec.places or 4
        self.setDecimals(self.places)
        self.setRange(0, float(MAX_COUNT))
        if spec.unit:
            self.setSuffix(f" {spec.unit}")
        self.setMinimumWidth(140)
        self.valueChanged.connect(self._emit_user_edit)
        self.editingFinished.connect(lambda: self.editingDone.emit(self.ref))

    def cell_value(self) -> Decimal:
        value = Decimal(f"{self.value():.{self.places}f}").normalize()
        # normalize() turns 10 into 1E+1; keep the plain form the exchange file writes.
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value

    def _to_widget(self, value: Value) -> float:
        return float(value)

    def validate(self, text: str, pos: int) -> object:
        return super().validate(_normalize(text), pos)



class TotalCell(QLineEdit):
    """A computed total: grey, read-only, skipped by Tab and the arrow keys."""

    def __init__(self, ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ref = ref
        self.setObjectName(ref)
        self.setProperty("cellRole", "total")
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setMinimumWidth(56)
        self.setFrame(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setText("0")
        self._shown: int | None = 0

    def show_value(self, value: int) -> None:
        if value != self._shown:
            self._shown = value
            self.setText(str(value))


__all__ = ["CountCell", "MoneyCell", "TotalCell"]
