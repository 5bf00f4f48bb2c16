"""Published reports made in the tests: a web page drawn from the format data, as sites print it.

The labels come from resources/templates/2021.json, so the page is the official table structure
(rowspan/colspan as the format draws them); ``text_of`` decides what each value cell prints.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.template import load_template

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "published"


def expected_cells(doc: dict[str, Any]) -> dict[str, str]:
    """Every table cell of an exchange document, as ``ref → printed value`` (totals included)."""
    out: dict[str, str] = {}
    for table in ("table2", "table3", "table4"):
        for key, value in (doc.get(table) or {}).items():
            if isinstance(value, dict):
                for col, v in value.items():
                    out[f"{table}.{key}.{col}"] = str(v)
            else:
                out[f"{table}.{key}"] = str(value)
    return out


def sample_values(name: str = "pingtan-2025") -> dict[str, str]:
    return expected_cells(json.loads((SAMPLES / f"{name}.expected.json").read_text("utf-8")))


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}><p>{html.escape(text)}</p></td>"


def report_page(values: dict[str, str], *, text_of: Callable[[str, str], str] = lambda ref, v: v,
                merged_other: bool = False, label_of: Callable[[str], str] = lambda label: label,
                charset: str | None = "utf-8", title: str = "某区科学技术局2025年政府信息公开工作年度报告",
                wrapper: str = '<div class="TRS_Editor">', sign_off: tuple[str, ...] = ()) -> str:
    """A whole web page with the three tables of the format filled from ``values``."""
    tpl = load_template()
    t2, t3, t4 = (tpl.tables[t] for t in ("table2", "table3", "table4"))
    cell = lambda ref: text_of(ref, values.get(ref, ""))  # noqa: E731

    rows2 = []
    for block in t2["blocks"]:
        cols = block["columns"]
        rows2.append("<tr>" + _td(block["label"], colspan=4) + "</tr>")
        span = 3 // len(cols)
        rows2.append("<tr>" + _td(t2["row_header"]) + "".join(_td(c["label"], colspan=span) for c in cols) + "</tr>")
        for row in block["rows"]:
            refs = [f"table2.{row['id']}" + (f".{c['id']}" if c["id"] else "") for c in cols]
            rows2.append("<tr>" + _td(label_of(row["label"])) + "".join(_td(cell(r), colspan=span) for r in refs)
                         + "</tr>")

    cols3 = t3["columns"]
    head3 = [
        "<tr>" + _td(t3["corner"], rowspan=3, colspan=3) + _td(t3["column_header"], colspan=7) + "</tr>",
        "<tr>" + _td(cols3[0]["label"], rowspan=2) + _td(cols3[1]["path"][0], colspan=5)
        + _td(cols3[-1]["label"], rowspan=2) + "</tr>",
        "<tr>" + "".join(_td(c["label"]) for c in cols3[1:-1]) + "</tr>",
    ]
    rows = list(t3["rows"])
    if merged_other:
        group = [r for r in rows if r["id"].startswith("other_")]
        merged = dict(group[-1], path=group[-1]["path"][:-1])
        rows = [r for r in rows if not r["id"].startswith("other_")]
        rows.insert(rows.index(next(r for r in rows if r["id"] == "total_processed")), merged)
    body3 = []
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        path = row["path"]
        tds = []
        for depth in range(len(path)):
            key = tuple(path[: depth + 1])
            if key in seen:
                continue
            seen.add(key)
            span = sum(1 for r in rows if tuple(r["path"][: depth + 1]) == key)
            leaf = depth == len(path) - 1
            tds.append(_td(label_of(path[depth]), rowspan=1 if leaf else span, colspan=3 - depth if leaf else 1))
        vals = [cell(f"table3.{row['id']}.{c['id']}") for c in cols3]
        body3.append("<tr>" + "".join(tds) + "".join(_td(v) for v in vals) + "</tr>")

    fields = t4["fields"]
    groups = t4["groups"]
    head4 = [
        "<tr>" + _td(groups[0]["label"], colspan=5) + _td(groups[1]["path"][0], colspan=10) + "</tr>",
        "<tr>" + "".join(_td(f["label"], rowspan=2) for f in fields)
        + "".join(_td(g["label"], colspan=5) for g in groups[1:]) + "</tr>",
        "<tr>" + "".join(_td(f["label"]) for _ in groups[1:] for f in fields) + "</tr>",
    ]
    data4 = "<tr>" + "".join(_td(cell(f"table4.{g['id']}.{f['id']}")) for g in groups for f in fields) + "</tr>"

    sections = {s.id: s for s in tpl.sections}
    meta = f'<meta charset="{charset}">' if charset else ""
    prose = "".join(
        f"<p>{html.escape(p.heading)}</p><p>本部分文字。</p>" for p in sections["overview"].parts
    )
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>网站</title></head><body>"
        "<div class=\"nav\">首页 | 政务公开 | 联系我们</div>"
        f"{wrapper}<p>{html.escape(title)}</p>"
        f"<p>{html.escape(sections['overview'].heading)}</p>{prose}"
        f"<p>{html.escape(sections['table2'].heading)}</p><table>{''.join(rows2)}</table>"
        f"<p>{html.escape(sections['table3'].heading)}</p><table>{''.join(head3 + body3)}</table>"
        f"<p>{html.escape(sections['table4'].heading)}</p><table>{''.join(head4)}{data4}</table>"
        f"<p>{html.escape(sections['problems_improvements'].heading)}</p>"
        "<p>（一）存在的主要问题</p><p>问题的文字。</p><p>（二）改进情况</p><p>改进的文字。</p>"
        f"<p>{html.escape(sections['other_matters'].heading)}</p><p>本年度未收取信息处理费。</p>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in sign_off) +
        "</div><div class=\"footer\">版权所有 网站标识码 1234</div></body></html>"
    )


def fill_word_template(values: dict[str, str], template: Path, out: Path,
                       title: str = "某区科学技术局2025年政府信息公开工作年度报告") -> None:
    """The blank Word template offices pass round, its tables filled with python-docx as a clerk would."""
    import docx

    tpl = load_template()
    document = docx.Document(str(template))
    t2, t3, t4 = document.tables
    row = 0
    for block in tpl.tables["table2"]["blocks"]:
        row += 2  # the block's label and its header row
        for r in block["rows"]:
            for k, c in enumerate(block["columns"]):
                t2.cell(row, 1 + k).text = values[f"table2.{r['id']}" + (f".{c['id']}" if c["id"] else "")]
            row += 1
    for i, r in enumerate(tpl.table3_rows()):
        for k, c in enumerate(tpl.table3_columns()):
            t3.cell(3 + i, 3 + k).text = values[f"table3.{r['id']}.{c['id']}"]
    fields = tpl.tables["table4"]["fields"]
    for g, group in enumerate(tpl.tables["table4"]["groups"]):
        for k, f in enumerate(fields):
            t4.cell(3, g * len(fields) + k).text = values[f"table4.{group['id']}.{f['id']}"]
    document.paragraphs[1].text = title
    document.save(str(out))
