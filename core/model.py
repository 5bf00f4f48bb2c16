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
