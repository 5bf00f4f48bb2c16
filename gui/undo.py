"""Undo commands for cell edits: one command per typed value and one per paste."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QUndoCommand

from core.model import Value
from gui.document import ReportDocument

_TYPING_ID = 1001


class SetCellsCommand(QUndoCommand):
    """Set one or more input cells; undo puts back what was there.

    Typing ``1`` ``2`` ``3`` into one cell fires three value changes; while the cell keeps the
    focus they merge into one command, so one Ctrl+Z takes back the whole number as a clerk
    expects. ``open`` is cleared when the cell loses focus, which stops further merging.
    """

    def __init__(self, document: ReportDocument, values: Mapping[str, Value], text: str,
                 *, typing: bool = False) -> None:
        super().__init__(text)
        self.document = document
        self.new = dict(values)
        self.old = {ref: document.report.values[ref] for ref in values}
        self.typing = typing
        self.open = typing

    def id(self) -> int:
        return _TYPING_ID if self.typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SetCellsCommand) and self.open and other.typing):
            return False
        if set(other.new) != set(self.new):
            return False
        self.new = dict(other.new)
        if self.new == self.old:
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        self.document.set_values(self.new)

    def undo(self) -> None:
        self.document.set_values(self.old)
