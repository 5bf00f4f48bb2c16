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
        # Typed totals the edit made stale (evidence about the file as it came): back on undo.
        self.dropped: dict[str, int] = {}

    def id(self) -> int:
        return _TYPING_ID if self.typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SetCellsCommand) and self.open and other.typing):
            return False
        if set(other.new) != set(self.new):
            return False
        self.new = dict(other.new)
        self.dropped |= other.dropped
        if self.new == self.old and not self.dropped:
            self.setObsolete(True)
        return True

    @property
    def refs(self) -> list[str]:
        """The cells this step changes (undo/redo takes the clerk there)."""
        return list(self.new)

    def redo(self) -> None:
        self.dropped |= self.document.edit_values(self.new)

    def undo(self) -> None:
        self.document.set_values(self.old)
        self.document.restore_typed_totals(self.dropped)


class DropTypedTotalsCommand(QUndoCommand):
    """``以计算结果为准``: every total printed in the file gives way to the computed one; undo brings them back."""

    def __init__(self, document: ReportDocument) -> None:
        super().__init__("以计算结果为准")
        self.document = document
        self.dropped: dict[str, int] = {}
        self.refs: list[str] = []

    def redo(self) -> None:
        self.dropped = self.document.drop_all_typed_totals()
        self.refs = list(self.dropped)

    def undo(self) -> None:
        self.document.restore_typed_totals(self.dropped)


class SetTextsCommand(QUndoCommand):
    """Replace several prose fields at once (the word-residue clean-up); undo puts the old text back."""

    def __init__(self, document: ReportDocument, texts: Mapping[str, str], text: str) -> None:
        super().__init__(text)
        self.document = document
        self.new = dict(texts)
        self.old = {ref: document.report.texts.get(ref, "") for ref in texts}
        self.refs = list(texts)

    def redo(self) -> None:
        self.document.set_texts(self.new)

    def undo(self) -> None:
        self.document.set_texts(self.old)
