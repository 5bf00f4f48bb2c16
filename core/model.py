"""The report being filled in: its meta data, prose and input cells; totals are computed here."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.template import Template, load_template

Value = int | Decimal


def default_report_year(today: date | None = None) -> int:
    """The year a clerk is most likely reporting on: reports are written in December–January."""
    today = today or date.today()
    return today.year if today.month >= 7 else today.year - 1


@dataclass
class Report:
    """One annual report.

    ``values`` holds every input cell by its reference (``table3.granted.natural``); counts are
    ``int`` and the fee is a ``Decimal``. Totals are never stored: :meth:`totals` computes them.
    ``typed_totals`` keeps totals that an imported file spelled out, so that the ``typed_total``
    rule can compare them with the computation; they never override it.
    """

    template: Template = field(compare=False, repr=False)
    unit: str = ""
    year: int = 2021
    published_on: date | None = None
    title: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    values: dict[str, Value] = field(default_factory=dict)
    typed_totals: dict[str, int] = field(default_factory=dict)
    template_id: str = "2021"

    @classmethod
    def new(cls, template: Template | None = None, *, unit: str = "", year: int | None = None) -> Report:
        tpl = template or load_template()
        report = cls(template=tpl, unit=unit, year=year or default_report_year(), template_id=tpl.id)
        report.texts = {ref: "" for ref in tpl.texts}
        report.values = {
            ref: (Decimal(0) if spec.kind == "money" else 0) for ref, spec in tpl.cells.items()
        }
        return report

    # -- reading and writing cells -------------------------------------------------------------

    @property
    def effective_title(self) -> str:
        return self.title or self.template.default_title(self.unit, self.year)

    def get(self, ref: str) -> Value:
        """An input cell or a computed total, by reference."""
        if ref in self.values:
            return self.values[ref]
        sources = self.template.computed.get(ref)
        if sources is None:
            raise KeyError(ref)
        values = self.values
        return sum(values[r] for r in sources)

    def set(self, ref: str, value: Value) -> None:
        if ref not in self.template.cells:
            raise KeyError(f"{ref} 不是可填写的单元格")
        self.values[ref] = value

    def totals(self) -> dict[str, int]:
        """Every computed cell. Called on each keystroke, so it stays a flat loop over sums."""
        values = self.values
        return {ref: sum(values[r] for r in sources) for ref, sources in self.template.computed.items()}

    def copy(self) -> Report:
        clone = copy.copy(self)
        clone.texts = dict(self.texts)
        clone.values = dict(self.values)
        clone.typed_totals = dict(self.typed_totals)
        return clone

    # -- typed totals: evidence about the file as it came -----------------------------------------

    def typed_totals_fed_by(self, ref: str) -> list[str]:
        """The typed totals that the input cell ``ref`` is one of the addends of."""
        if not self.typed_totals:
            return []
        computed = self.template.computed
        return [total for total in self.typed_totals if ref in computed.get(total, ())]

    def drop_typed_totals_for(self, ref: str) -> dict[str, int]:
        """Forget the typed totals that ``ref`` feeds; call it when the clerk edits ``ref``.

        Once a clerk changes an addend, the printed total no longer describes this report: the
        computed total stands. Returns what was dropped, for :meth:`restore_typed_totals` (undo).
        """
        dropped = {total: self.typed_totals.pop(total) for total in self.typed_totals_fed_by(ref)}
        return dropped

    def drop_all_typed_totals(self) -> dict[str, int]:
        """``以计算结果为准``: every typed total gives way to the computation (one undo step)."""
        dropped, self.typed_totals = self.typed_totals, {}
        return dropped

    def restore_typed_totals(self, dropped: dict[str, int]) -> None:
        """Undo of a drop: put the typed totals back as the file had them."""
        self.typed_totals.update(dropped)

    def edit(self, ref: str, value: Value) -> dict[str, int]:
        """A clerk's edit of an input cell: set it and drop the typed totals it feeds."""
        self.set(ref, value)
        return self.drop_typed_totals_for(ref)

    def without_typed_totals(self) -> Report:
        """A copy whose totals are the computed ones only: what is written to an exchange file."""
        clone = self.copy()
        clone.typed_totals = {}
        return clone
