"""Reference indicators a reviewer reads off the tables: 公开率 and the two 纠错率.

Not findings (nothing is wrong with a low rate); shown beside them, each with its formula in
Chinese and the numbers it was computed from. The formulas are spelled with the format file's
labels, so a later format names its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.model import Report

Totals = dict[str, int]


@dataclass(frozen=True)
class Indicator:
    id: str  # disclosure_rate, review_correction_rate, litigation_correction_rate
    name: str
    formula: str  # in words: （予以公开 + 部分公开）÷ 办理结果总计
    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        """The rate as a fraction (0.4797); ``None`` when the denominator is 0."""
        if not self.denominator:
            return None
        return (Decimal(self.numerator) / Decimal(self.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def percent(self) -> str:
        """``47.97%``, or ``—`` when there is nothing to divide by."""
        value = self.value
        return "—" if value is None else f"{(value * 100).quantize(Decimal('0.01'))}%"

    @property
    def line(self) -> str:
        """One line for people: ``公开率：47.97%　（予以公开 + 部分公开）÷ 办理结果总计 = 71 ÷ 148``."""
        shown = self.percent if self.denominator else "不计算（分母为 0）"
        return f"{self.name}：{shown}　{self.formula} = {self.numerator} ÷ {self.denominator}"

    def to_dict(self) -> dict[str, object]:
        value = self.value
        return {
            "id": self.id,
            "name": self.name,
            "formula": self.formula,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if value is None else float(value),
            "percent": None if value is None else self.percent,
        }


def indicators(report: Report, totals: Totals | None = None) -> list[Indicator]:
    """公开率, 行政复议纠错率, 行政诉讼纠错率 of ``report``."""
    totals = report.totals() if totals is None else totals
    tpl = report.template
    rows = {r["id"]: r["short"] for r in tpl.table3_rows()}
    t4 = tpl.tables["table4"]
    fields = {f["id"]: f["label"] for f in t4["fields"]}
    groups = {g["id"]: g for g in t4["groups"]}
    review = groups["review"]["label"]
    litigation_groups = [g for g in t4["groups"] if g["id"] != "review"]
    litigation = litigation_groups[0]["path"][0]
    upper = " + ".join(g["label"] for g in litigation_groups)

    def t4_sum(field: str, group_ids: list[str]) -> int:
        return sum(totals[f"table4.{g}.total"] if field == "total" else report.values[f"table4.{g}.{field}"]
                   for g in group_ids)

    lit_ids = [g["id"] for g in litigation_groups]
    return [
        Indicator(
            "disclosure_rate", "公开率",
            f"（{rows['granted']} + {rows['partially_granted']}）÷ {rows['total_processed']}",
            totals["table3.granted.total"] + totals["table3.partially_granted.total"],
            totals["table3.total_processed.total"],
        ),
        Indicator(
            "review_correction_rate", f"{review}纠错率",
            f"{review}{fields['corrected']} ÷（{review}{fields['total']} − {review}{fields['pending']}）",
            report.values["table4.review.corrected"],
            t4_sum("total", ["review"]) - report.values["table4.review.pending"],
        ),
        Indicator(
            "litigation_correction_rate", f"{litigation}纠错率",
            f"{litigation}（{upper}）{fields['corrected']} ÷（{fields['total']} − {fields['pending']}）",
            t4_sum("corrected", lit_ids),
            t4_sum("total", lit_ids) - t4_sum("pending", lit_ids),
        ),
    ]
