"""The official report format, loaded from its data file under ``resources/templates``.

Everything that spells a label or names a cell reads it from here, so a later revision of the
format is a new data file (plus its rules), not a change to the window or the PDF.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from core.paths import resource_path

# Counts above this are refused: no agency receives a billion requests, and the bound keeps
# spin boxes (32-bit) and the PDF's column widths honest.
MAX_COUNT = 999_999_999


@dataclass(frozen=True)
class CellSpec:
    """One input cell of a table, e.g. ``table3.granted.natural``."""

    ref: str
    table: str
    row: str
    column: str | None
    row_label: str
    column_label: str
    kind: str = "count"  # "count" or "money"
    places: int = 0
    unit: str = ""


@dataclass(frozen=True)
class TextSpec:
    """One prose field, e.g. ``text.overview.active``."""

    ref: str
    section: str
    heading: str
    hint: str


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    kind: str  # "text" or "table"
    table: str | None = None
    parts: tuple[TextSpec, ...] = ()


@dataclass(frozen=True)
class Template:
    """A report format: its sections, tables, cells and the sums that are computed from them."""

    id: str
    schema: str
    name: str
    first_year: int
    title_pattern: str
    meta: tuple[dict[str, str], ...]
    sections: tuple[Section, ...]
    tables: dict[str, Any]
    cells: dict[str, CellSpec] = field(default_factory=dict)
    texts: dict[str, TextSpec] = field(default_factory=dict)
    # computed ref -> the input refs it is the sum of (flattened, so no ordering is needed)
    computed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # computed ref -> (row label, column label), for messages and the PDF
    computed_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    # ref -> section id, for grouping findings and jumping to a tab
    section_of_ref: dict[str, str] = field(default_factory=dict)

    # -- convenient views -------------------------------------------------------------------

    def default_title(self, unit: str, year: int | None) -> str:
        return self.title_pattern.format(unit=unit, year="" if year is None else year)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def section_for(self, ref: str) -> str | None:
        """The id of the section a reference belongs to (``None`` for meta fields)."""
        return self.section_of_ref.get(ref)

    def label_for(self, ref: str) -> str:
        """A short human label of any reference, for messages: 表三 予以公开 · 自然人."""
        if ref in self.cells:
            spec = self.cells[ref]
            return spec.row_label + (f"（{spec.column_label}）" if spec.column_label else "")
        if ref in self.computed_labels:
            row, col = self.computed_labels[ref]
            return row + (f"（{col}）" if col else "")
        if ref in self.texts:
            spec = self.texts[ref]
            return spec.heading or self.section(spec.section).heading
        for m in self.meta:
            if m["ref"] == ref:
                return m["label"]
        return ref

    def table3_columns(self, *, inputs_only: bool = False) -> list[dict[str, Any]]:
        cols = self.tables["table3"]["columns"]
        return [c for c in cols if not (inputs_only and c.get("computed"))]

    def table3_rows(self) -> list[dict[str, Any]]:
        return list(self.tables["table3"]["rows"])


def path_runs(paths: list[list[str]], level: int) -> list[tuple[int, int]]:
    """The merged cells of one level of a label hierarchy, as ``(first index, count)``.

    Consecutive paths that share their labels down to ``level`` and all continue below it form
    one cell (table 3's result heading over its 22 rows, the organisations over five columns); a label
    that is the last of its path is a cell of its own. Paths too short to reach ``level`` have
    none. The window and the PDF both draw their spans from this, so they cannot disagree.
    """
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(paths):
        path = paths[i]
        if len(path) <= level:
            i += 1
            continue
        n = 1
        if len(path) > level + 1:
            head = path[: level + 1]
            while i + n < len(paths) and len(paths[i + n]) > level + 1 and paths[i + n][: level + 1] == head:
                n += 1
        runs.append((i, n))
        i += n
    return runs


def _table2(tpl: dict[str, Any], cells: dict[str, CellSpec]) -> None:
    for block in tpl["tables"]["table2"]["blocks"]:
        for row in block["rows"]:
            for col in block["columns"]:
                ref = f"table2.{row['id']}" + (f".{col['id']}" if col["id"] else "")
                cells[ref] = CellSpec(
                    ref=ref,
                    table="table2",
                    row=row["id"],
                    column=col["id"],
                    row_label=row["label"],
                    column_label=col["label"] if col["id"] else "",
                    kind=col.get("kind", "count"),
                    places=col.get("places", 0),
                    unit=col.get("unit", ""),
                )


def _table3(tpl: dict[str, Any], cells: dict[str, CellSpec], computed: dict, labels: dict) -> None:
    t3 = tpl["tables"]["table3"]
    in_cols = [c for c in t3["columns"] if not c.get("computed")]
    total_cols = [c for c in t3["columns"] if c.get("computed") == "row_sum"]
    in_rows = [r for r in t3["rows"] if not r.get("computed")]
    result_rows = [r for r in t3["rows"] if r.get("result")]
    sum_rows = [r for r in t3["rows"] if r.get("computed") == "result_sum"]
    for row in in_rows:
        for col in in_cols:
            ref = f"table3.{row['id']}.{col['id']}"
            cells[ref] = CellSpec(ref, "table3", row["id"], col["id"], row["short"], col["label"])
        for tcol in total_cols:
            ref = f"table3.{row['id']}.{tcol['id']}"
            computed[ref] = tuple(f"table3.{row['id']}.{c['id']}" for c in in_cols)
            labels[ref] = (row["short"], tcol["label"])
    for srow in sum_rows:
        for col in in_cols:
            ref = f"table3.{srow['id']}.{col['id']}"
            computed[ref] = tuple(f"table3.{r['id']}.{col['id']}" for r in result_rows)
            labels[ref] = (srow["short"], col["label"])
        for tcol in total_cols:
            ref = f"table3.{srow['id']}.{tcol['id']}"
            computed[ref] = tuple(
                f"table3.{r['id']}.{c['id']}" for r in result_rows for c in in_cols
            )
            labels[ref] = (srow["short"], tcol["label"])


def _table4(tpl: dict[str, Any], cells: dict[str, CellSpec], computed: dict, labels: dict) -> None:
    t4 = tpl["tables"]["table4"]
    in_fields = [f for f in t4["fields"] if not f.get("computed")]
    for group in t4["groups"]:
        group_label = "".join(group["path"][:1]) + (
            f"（{group['label']}）" if len(group["path"]) > 1 else ""
        )
        for fld in t4["fields"]:
            ref = f"table4.{group['id']}.{fld['id']}"
            if fld.get("computed") == "row_sum":
                computed[ref] = tuple(f"table4.{group['id']}.{f['id']}" for f in in_fields)
                labels[ref] = (group_label, fld["label"])
            else:
                cells[ref] = CellSpec(ref, "table4", group["id"], fld["id"], group_label, fld["label"])


def parse_template(data: dict[str, Any]) -> Template:
    sections: list[Section] = []
    texts: dict[str, TextSpec] = {}
    for s in data["sections"]:
        parts = tuple(
            TextSpec(ref=p["ref"], section=s["id"], heading=p["heading"], hint=p["hint"])
            for p in s.get("parts", ())
        )
        for p in parts:
            texts[p.ref] = p
        sections.append(Section(s["id"], s["heading"], s["kind"], s.get("table"), parts))

    cells: dict[str, CellSpec] = {}
    computed: dict[str, tuple[str, ...]] = {}
    labels: dict[str, tuple[str, str]] = {}
    _table2(data, cells)
    _table3(data, cells, computed, labels)
    _table4(data, cells, computed, labels)

    section_of: dict[str, str] = {ref: spec.section for ref, spec in texts.items()}
    table_section = {s.table: s.id for s in sections if s.table}
    for ref in list(cells) + list(computed):
        section_of[ref] = table_section[ref.split(".", 1)[0]]

    return Template(
        id=data["template"],
        schema=data["schema"],
        name=data["name"],
        first_year=data["first_year"],
        title_pattern=data["title_pattern"],
        meta=tuple(data["meta"]),
        sections=tuple(sections),
        tables=data["tables"],
        cells=cells,
        texts=texts,
        computed=computed,
        computed_labels=labels,
        section_of_ref=section_of,
    )


def template_dir() -> Path:
    return resource_path("templates")


def available_templates() -> list[str]:
    return sorted(p.stem for p in template_dir().glob("*.json"))


@cache
def load_template(template_id: str = "2021") -> Template:
    """The format with this id (``"2021"``), parsed once per process."""
    path = template_dir() / f"{template_id}.json"
    with path.open(encoding="utf-8") as fh:
        return parse_template(json.load(fh))
