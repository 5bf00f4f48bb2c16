"""Sample reports: the real seed report, and a "full" one with every cell filled and balanced.

Used by the self-test, the tests and the benchmarks, so that all three exercise the same data.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from core.exchange import read_report
from core.model import Report
from core.paths import resource_path
from core.template import load_template


def seed_report() -> Report:
    """The 2021 report of a district bureau (``resources/samples/seed-2021.json``), all zeros."""
    return read_report(resource_path("samples", "seed-2021.json"))


def full_report(seed: int = 2021, unit: str = "某区科学技术局", year: int = 2021) -> Report:
    """A report with every input cell non-zero, balanced, and prose that agrees with the tables."""
    rng = random.Random(seed)
    tpl = load_template()
    report = seed_report()
    report.unit, report.year, report.title = unit, year, None
    report.published_on = date(year + 1, 1, 20)
    t3 = tpl.tables["table3"]
    columns = [c["id"] for c in t3["columns"] if not c.get("computed")]
    results = [r["id"] for r in t3["rows"] if r.get("result")]
    for ref, spec in tpl.cells.items():
        if spec.kind == "money":
            report.values[ref] = Decimal(rng.randint(1, 999_999)).scaleb(-4)
        elif spec.table != "table3":
            report.values[ref] = rng.randint(1, 40)
    for c in columns:
        processed = 0
        for r in results:
            n = rng.randint(1, 9)
            report.values[f"table3.{r}.{c}"] = n
            processed += n
        carried = rng.randint(1, 5)
        forward = rng.randint(1, 5)
        report.values[f"table3.carried_over.{c}"] = carried
        report.values[f"table3.carried_forward.{c}"] = forward
        report.values[f"table3.new_received.{c}"] = processed + forward - carried
    totals = report.totals()
    received = totals["table3.new_received.total"]
    forward_total = totals["table3.carried_forward.total"]
    review = totals["table4.review.total"]
    litigation = totals["table4.litigation_direct.total"] + totals["table4.litigation_after_review.total"]
    report.texts["text.overview.requests"] = (
        f"{year}年，本机关共收到政府信息公开申请{received}件，均在法定期限内答复，"
        f"结转下年度继续办理{forward_total}件。全年发生政府信息公开行政复议{review}件，"
        f"行政诉讼{litigation}件。"
    )
    # 六 is where the format asks for information-processing fees (the seed's "无" does not say).
    report.texts["text.other_matters"] = f"{year}年，本机关未收取信息处理费。"
    for k in ("regulations", "normative_documents"):
        made, repealed = report.values[f"table2.{k}.made"], report.values[f"table2.{k}.repealed"]
        report.values[f"table2.{k}.valid"] = max(made, repealed) + rng.randint(0, 30)
    return report
