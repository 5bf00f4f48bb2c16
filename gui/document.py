"""The report the window is editing: one object the window, autosave and the store all hook into.

It holds the current :class:`core.model.Report`, the file it came from, whether it has unsaved
changes, and the undo stack of cell edits. Every change goes through it and is announced by
``changed`` with the references that changed, so each view updates only what it shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from core.findings import Finding
from core.model import Report, Value
from core.rules import check

# The references of the meta fields, as the format data names them.
META_REFS = ("unit", "year", "published_on", "title")


class ReportDocument(QObject):
    """The current report, its path and its modified flag.

    ``changed`` carries the set of references that changed, or ``None`` when the whole report was
    replaced (new, open). ``modifiedChanged`` and ``pathChanged`` drive the window title;
    ``saved`` fires after the report was written to ``path``.
    """

    changed = Signal(object)
    modifiedChanged = Signal(bool)
    pathChanged = Signal(object)
    saved = Signal(object)

    def __init__(self, report: Report | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._report = report or Report.new()
        self._path: Path | None = None
        self._modified = False
        self._revision = 0
        self._evaluated: tuple[int, dict[str, int], list[Finding]] | None = None
        # Last year's report, when the store has it: enables the cross-year rule.
        self.previous: Report | None = None
        self.undo_stack = QUndoStack(self)

    # -- what it holds ----------------------------------------------------------------------

    @property
    def report(self) -> Report:
        return self._report

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def modified(self) -> bool:
        return self._modified

    @property
    def revision(self) -> int:
        """Grows with every change; lets autosave tell whether anything happened since it ran."""
        return self._revision

    def set_previous(self, previous: Report | None) -> None:
        """Last year's report (or ``None``): the next :meth:`evaluate` runs the cross-year rule on it."""
        if previous is not self.previous:
            self.previous = previous
            self._evaluated = None

    def evaluate(self) -> tuple[dict[str, int], list[Finding]]:
        """Totals and findings of the current content, computed once per revision by the core."""
        if self._evaluated is None or self._evaluated[0] != self._revision:
            totals = self._report.totals()
            findings = check(self._report, previous=self.previous, totals=totals)
            self._evaluated = (self._revision, totals, findings)
        return self._evaluated[1], self._evaluated[2]

    # -- changing it ------------------------------------------------------------------------

    def set_values(self, values: Mapping[str, Value]) -> None:
        """Store input cells directly (the undo commands call this; views go through the stack)."""
        changed = {ref for ref, v in values.items() if self._report.values.get(ref) != v}
        for ref in changed:
            self._report.set(ref, values[ref])
        if changed:
            self._touch(changed)

    def edit_values(self, values: Mapping[str, Value]) -> dict[str, int]:
        """The clerk's edit of input cells: set them and drop the typed totals they feed.

        Returns the dropped typed totals, for :meth:`restore_typed_totals` when the edit is undone.
        """
        dropped: dict[str, int] = {}
        for ref in values:
            dropped |= self._report.drop_typed_totals_for(ref)
        changed = {ref for ref, v in values.items() if self._report.values.get(ref) != v}
        for ref in changed:
            self._report.set(ref, values[ref])
        if changed or dropped:
            self._touch(changed | set(dropped))
        return dropped

    def restore_typed_totals(self, dropped: Mapping[str, int]) -> None:
        """Undo of a drop: the typed totals as the file had them come back (with their findings)."""
        if dropped:
            self._report.restore_typed_totals(dict(dropped))
            self._touch(set(dropped))

    def drop_all_typed_totals(self) -> dict[str, int]:
        """``以计算结果为准``: every typed total gives way to the computation."""
        dropped = self._report.drop_all_typed_totals()
        if dropped:
            self._touch(set(dropped))
        return dropped

    def set_texts(self, texts: Mapping[str, str]) -> None:
        """Several prose fields at once (one undo step of the residue clean-up)."""
        changed = {ref for ref, t in texts.items() if self._report.texts.get(ref, "") != t}
        for ref in changed:
            self._report.texts[ref] = texts[ref]
        if changed:
            self._touch(changed)

    def set_text(self, ref: str, text: str) -> None:
        if self._report.texts.get(ref, "") != text:
            self._report.texts[ref] = text
            self._touch({ref})

    def set_meta(self, ref: str, value: str | int | date | None) -> None:
        """``unit``, ``year``, ``published_on`` or ``title`` (an empty title means the default)."""
        if ref not in META_REFS:
            raise KeyError(ref)
        if ref == "title":
            value = value or None
        if getattr(self._report, ref) != value:
            setattr(self._report, ref, value)
            self._touch({ref})

    def replace(self, report: Report, path: Path | None = None, *, modified: bool = False) -> None:
        """Show another report (new, opened, restored); forgets the undo history of the old one."""
        self._report = report
        self.undo_stack.clear()
        self._set_path(path)
        self._revision += 1
        self.changed.emit(None)
        self._set_modified(modified)

    def swap_report(self, report: Report) -> None:
        """Show ``report`` instead of the current one, keeping the undo history (an undoable restore).

        Announced like :meth:`replace` (``changed(None)``: every view shows it whole); the caller
        tells autosave, which does not count whole replacements as edits.
        """
        self._report = report
        self._revision += 1
        self.changed.emit(None)
        self._set_modified(True)

    def mark_saved(self, path: Path | None = None) -> None:
        if path is not None:
            self._set_path(path)
        self.undo_stack.setClean()
        self._set_modified(False)
        self.saved.emit(self._path)

    # -- internals --------------------------------------------------------------------------

    def _touch(self, refs: Iterable[str]) -> None:
        self._revision += 1
        self.changed.emit(set(refs))
        self._set_modified(True)

    def _set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.modifiedChanged.emit(modified)

    def _set_path(self, path: Path | None) -> None:
        if path != self._path:
            self._path = path
            self.pathChanged.emit(path)
