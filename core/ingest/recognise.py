"""The one recogniser: tables of printed strings → the format's cells, by the format's own labels.

Every reader (web page, Word, PDF) hands over a :class:`~core.ingest.source.Source`; nothing here
knows which kind of file it came from. Rows are found by their labels, columns by their headers,
and a value is placed only when both are certain. A cell that cannot be placed is left out and
named; a blank / ``/`` / ``—`` cell is read as 0 with a note; printed totals are kept as typed
totals so that the ``typed_total`` rule can judge them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from core.errors import InvalidReportFile
from core.ingest.labels import IngestData, LabelSet, ingest_data, normalize
from core.ingest.prose import split_prose
from core.ingest.source import Source, Table
from core.model import Report
from core.plugins import ReadResult
from core.template import MAX_COUNT, Template, load_template

_COUNT = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_MONEY = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_NUMBERISH = re.compile(r"\d")
_TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


@dataclass
class _Cell:
    """One value as printed, where it was found."""

    text: str
    where: str


@dataclass
class _Found:
    """What the tables gave, before it becomes a report."""

    cells: dict[str, _Cell] = field(default_factory=dict)   # input refs and printed totals
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    stray: list[str] = field(default_factory=list)         # Chinese: values that belong nowhere
    notes: list[str] = field(default_factory=list)

    def put(self, ref: str, text: str, where: str) -> None:
        old = self.cells.get(ref)
        if old is not None and normalize(old.text) != normalize(text):
            self.conflicts.setdefault(ref, [old.where]).append(where)
            return
        self.cells.setdefault(ref, _Cell(text, where))


class _Vocabulary:
    """The format's labels, grouped the way the tables use them."""

    def __init__(self, tpl: Template, data: IngestData) -> None:
        self.tpl = tpl
        self.data = data
        t2, t3, t4 = (tpl.tables[t] for t in ("table2", "table3", "table4"))

        self.t2_rows = LabelSet(data)          # row label → row id
        self.t2_row_block: dict[str, dict[str, Any]] = {}
        self.t2_columns = LabelSet(data)       # column label → column label (key)
        self.t2_blocks = LabelSet(data)
        self.t2_blocks.add(t2["row_header"], "row_header")
        for block in t2["blocks"]:
            self.t2_blocks.add(block["label"], block["label"])
            for col in block["columns"]:
                self.t2_columns.add(col["label"], col["label"])
            for row in block["rows"]:
                self.t2_rows.add(row["label"], row["id"])
                self.t2_row_block[row["id"]] = block

        self.t3_leaves = LabelSet(data)        # a row's own label → row id
        self.t3_parents = LabelSet(data)       # the labels above a row: its result heading, its group
        for row in t3["rows"]:
            self.t3_leaves.add(row["path"][-1], row["id"])
            for seg in row["path"][:-1]:
                self.t3_parents.add(seg, seg)
        self.t3_columns = LabelSet(data)       # column label → column id
        self.t3_column_parents = LabelSet(data)
        for col in t3["columns"]:
            self.t3_columns.add(col["path"][-1], col["id"])
            for seg in col["path"][:-1]:
                self.t3_column_parents.add(seg, seg)
        self.t3_column_parents.add(t3["column_header"], "column_header")
        self.t3_column_parents.add(t3["corner"], "corner")
        self.t3_column_ids = [c["id"] for c in t3["columns"]]
        self.t3_merged: dict[str, dict[str, Any]] = {}  # group label (normalised) → merge rule
        rows_by_id = {r["id"]: r for r in t3["rows"]}
        for rule in data.merged_rows:
            group = rows_by_id[rule["rows"][0]]["path"][-2]
            self.t3_merged[normalize(group)] = rule

        self.t4_groups = LabelSet(data)        # the deepest label of a group → group id
        self.t4_group_parents = LabelSet(data)
        for group in t4["groups"]:
            self.t4_groups.add(group["path"][-1], group["id"])
            for seg in group["path"][:-1]:
                self.t4_group_parents.add(seg, seg)
        self.t4_fields = LabelSet(data)
        for fld in t4["fields"]:
            self.t4_fields.add(fld["label"], fld["id"])

    def is_blank(self, text: str) -> bool:
        return normalize(text) in self.data.blank_values


def _distinct(table: Table, i: int) -> list[tuple[int, str]]:
    """The cells of row ``i`` once each (a cell spanning columns is one cell), with their column."""
    seen: set[tuple[int, int]] = set()
    out: list[tuple[int, str]] = []
    for j, (text, origin) in enumerate(zip(table.rows[i], table.origins[i], strict=True)):
        if origin in seen:
            continue
        seen.add(origin)
        out.append((j, text))
    return out


class _TableWalker:
    """Reads every row of every table in document order, keeping which table and header it is in.

    Column positions are kept counted from the right edge: a table split over two pages loses
    its left-hand group labels on the second page, not its value columns.
    """

    def __init__(self, vocab: _Vocabulary) -> None:
        self.v = vocab
        self.found = _Found()
        self.t2_map: dict[str, int] = {}     # column label → column from the right
        self.t3_map: dict[str, int] = {}     # column id → column from the right
        self.t4_map: dict[tuple[str, str], int] = {}
        self.t4_header_rows: list[list[str]] = []
        self.t4_width = 0
        self.t4_read = False
        self.context = ""

    # -- the walk ---------------------------------------------------------------------------

    def walk(self, tables: list[Table]) -> _Found:
        for n, table in enumerate(tables, 1):
            self.t4_header_rows = []
            for i in range(len(table.rows)):
                where = f"{table.where or f'第 {n} 个表格'}第 {i + 1} 行"
                self._row(table, i, where)
        return self.found

    def _row(self, table: Table, i: int, where: str) -> None:
        v = self.v
        if i and all(o[0] < i for o in table.origins[i][: table.row_end(i)]):
            return  # only cells spanning down from above (a rowspan running past the table's end)
        cells = _distinct(table, i)
        texts = [t for _, t in cells if normalize(t)]
        if not texts:
            if self.context == "table4" and self.t4_map and table.width == self.t4_width:
                self._t4_row(table, i, where)  # a blank form: the data row is there, empty
            return
        # Header rows first: they set the column positions for the rows below them.
        t3_cols = {v.t3_columns.match(t) for t in texts} - {None}
        t4_fields = {v.t4_fields.match(t) for t in texts} - {None}
        if any(v.t2_blocks.match(t) for t in texts) or any(v.t2_columns.match(t) for t in texts):
            self.context = "table2"
            self._t2_header(table, i)
            return
        # A header row has several cells; a lone line of prose that resembles a header label is not one.
        several = len(texts) >= 2
        if several and (len(t4_fields) >= 2 or any(v.t4_groups.match(t) or v.t4_group_parents.match(t)
                                                   for t in texts)):
            if self.context != "table4" or not self.t4_header_rows:
                self.t4_header_rows = []
            self.context = "table4"
            self.t4_header_rows.append(list(table.rows[i]))
            self.t4_width = table.width
            self._t4_map()
            return
        if several and (len(t3_cols) >= 2 or any(v.t3_column_parents.match(t) for t in texts)):
            self.context = "table3"
            self._t3_header(table, i)
            return
        # Data rows: which table's row this is, by its label.
        labels = [(j, t) for j, t in cells if normalize(t) and not self._valueish(t)]
        t2_row = next((v.t2_rows.match(t) for _, t in labels if v.t2_rows.match(t)), None)
        if t2_row is not None:
            self.context = "table2"
            self._t2_row(table, i, t2_row, where)
            return
        if any(v.t3_leaves.match(t) or v.t3_parents.match(t) for _, t in labels):
            self.context = "table3"
            self._t3_row(table, i, labels, where)
            return
        if self.context == "table4" and not labels and self.t4_map:
            self._t4_row(table, i, where)
            return
        if any(_NUMBERISH.search(t) for _, t in cells if self._valueish(t)) and self.context:
            shown = " | ".join(normalize(t) for t in texts)
            self.found.stray.append(f"{where}（{shown[:60]}）：无法对应到格式中的任何一行，未读取")

    def _valueish(self, text: str) -> bool:
        norm = normalize(text)
        return self.v.is_blank(text) or bool(_MONEY.match(norm)) or bool(re.fullmatch(r"[\d.,\-]+", norm))

    # -- table 2 ----------------------------------------------------------------------------

    def _t2_header(self, table: Table, i: int) -> None:
        hits: dict[str, set[int]] = {}
        origins: dict[str, set[tuple[int, int]]] = {}
        for j, text in enumerate(table.rows[i]):
            key = self.v.t2_columns.match(text)
            if key is not None:
                origins.setdefault(key, set()).add(table.origins[i][j])
                hits.setdefault(key, set()).add(j)
        new_map: dict[str, int] = {}
        for key, cols in hits.items():
            if len(origins[key]) == 1:
                new_map[key] = min(cols) - table.width
        if new_map:
            self.t2_map = new_map

    def _t2_row(self, table: Table, i: int, row_id: str, where: str) -> None:
        block = self.v.t2_row_block[row_id]
        label_col = next(j for j, t in enumerate(table.rows[i]) if self.v.t2_rows.match(t) == row_id)
        label_origin = table.origins[i][label_col]
        for col in block["columns"]:
            ref = f"table2.{row_id}" + (f".{col['id']}" if col["id"] else "")
            offset = self.t2_map.get(col["label"])
            if offset is None and len(block["columns"]) == 1:
                # One value per row: the single cell right of the label, however wide it is drawn.
                after = [(j, t) for j, t in _distinct(table, i) if j > label_col
                         and table.origins[i][j] != label_origin]
                if len(after) == 1:
                    offset = after[0][0] - table.width
            if offset is None or table.width + offset <= label_col:
                continue  # left out: named as unread at the end
            self.found.put(ref, table.rows[i][offset], where)

    # -- table 3 ----------------------------------------------------------------------------

    def _t3_header(self, table: Table, i: int) -> None:
        for j, text in enumerate(table.rows[i]):
            key = self.v.t3_columns.match(text)
            if key is None:
                continue
            same = [jj for jj, t in enumerate(table.rows[i]) if self.v.t3_columns.match(t) == key
                    and table.origins[i][jj] != table.origins[i][j]]
            if same:
                self.t3_map.pop(key, None)  # printed twice in one row: which one is meant is unknown
                continue
            self.t3_map[key] = j - table.width

    def _t3_anchor(self, table: Table, i: int) -> int:
        """The right edge the value columns count from, for row ``i``.

        Usually the table's. A row that stops short of it (a table continued after a page break in
        a web page: the group labels' ``rowspan`` stayed in the first part, so the row's cells start
        further left) counts from its own last cell — but only when it ends in as many value cells
        as there are value columns, so a row merely missing its last cell is not shifted.
        """
        end = table.row_end(i)
        if end >= table.width or not self.t3_map:
            return table.width
        span = -min(self.t3_map.values())
        trailing, seen, j = 0, set(), end - 1
        while j >= 0 and self._valueish(table.rows[i][j]):
            if table.origins[i][j] not in seen:
                seen.add(table.origins[i][j])
                trailing += 1
            j -= 1
        return end if trailing >= span else table.width

    def _t3_row(self, table: Table, i: int, labels: list[tuple[int, str]], where: str) -> None:
        v = self.v
        anchor = self._t3_anchor(table, i)
        first_value = min((anchor + o for o in self.t3_map.values()), default=anchor)
        labels = [(j, t) for j, t in labels if j < first_value]
        leaves = {v.t3_leaves.match(t) for _, t in labels} - {None}
        unknown = [t for _, t in labels if not v.t3_leaves.match(t) and not v.t3_parents.match(t)]
        row_id: str | None = None
        merged: dict[str, Any] | None = None
        if len(leaves) == 1 and not unknown:
            row_id = next(iter(leaves))
        elif not leaves and not unknown:
            # The group's own label and nothing below it: a group printed as one merged row.
            for _, text in reversed(labels):
                merged = v.t3_merged.get(normalize(text))
                if merged:
                    row_id = merged["into"]
                    break
        if row_id is None:
            joined = "".join(normalize(t) for _, t in labels)
            ends: set[str] = set()
            for row in self.v.tpl.table3_rows():
                if joined.endswith(normalize(row["path"][-1])) and len(normalize(row["path"][-1])) >= 4:
                    ends.add(row["id"])
            if len(ends) == 1 and not leaves - ends:
                row_id = next(iter(ends))
        if row_id is None:
            shown = " ".join(normalize(t) for _, t in labels)
            self.found.stray.append(f"{where}（{shown[:60]}）：表三中无法确定是哪一行，未读取")
            return
        if not self.t3_map:
            heads = "、".join(c["label"] for c in self.v.tpl.table3_columns()[:2])
            self.found.stray.append(f"{where}：表三的列标题（{heads}……）未找到，本行未读取")
            return
        for col_id, offset in self.t3_map.items():
            ref = f"table3.{row_id}.{col_id}"
            self.found.put(ref, table.rows[i][anchor + offset], where)
        if merged:
            self._merged_row(merged, row_id, where)

    def _merged_row(self, rule: dict[str, Any], into: str, where: str) -> None:
        tpl = self.v.tpl
        rows = {r["id"]: r for r in tpl.table3_rows()}
        group = rows[into]["path"][-2]
        others = [r for r in rule["rows"] if r != into]
        for row_id in others:
            for col_id in self.v.t3_column_ids:
                if col_id in self.t3_map:
                    self.found.put(f"table3.{row_id}.{col_id}", "0", where)
        named = "、".join(rows[r]["path"][-1] for r in others)
        self.found.notes.append(
            f"{where}：“{group}”印为一行，其数值计入“{rows[into]['path'][-1]}”，{named}按 0 读取")

    # -- table 4 ----------------------------------------------------------------------------

    def _t4_map(self) -> None:
        v = self.v
        width = self.t4_width
        columns: dict[tuple[str, str], set[int]] = {}
        for j in range(width):
            groups = {v.t4_groups.match(r[j]) for r in self.t4_header_rows if j < len(r)} - {None}
            fields = {v.t4_fields.match(r[j]) for r in self.t4_header_rows if j < len(r)} - {None}
            if len(groups) == 1 and len(fields) == 1:
                columns.setdefault((next(iter(groups)), next(iter(fields))), set()).add(j)
        self.t4_map = {k: min(js) - width for k, js in columns.items() if len(js) == 1}

    def _t4_row(self, table: Table, i: int, where: str) -> None:
        if self.t4_read:
            if any(normalize(t) and not self.v.is_blank(t) for t in table.rows[i]):
                self.found.stray.append(f"{where}：表四数据行之后又有一行数值，未读取")
            return
        if table.width != self.t4_width:
            self.found.stray.append(f"{where}：表四数据行的列数与标题不一致，未读取")
            return
        for (group, fld), offset in self.t4_map.items():
            self.found.put(f"table4.{group}.{fld}", table.rows[i][offset], where)
        self.t4_read = True


# -- from printed strings to values ---------------------------------------------------------


@dataclass
class _Outcome:
    values: dict[str, int | Decimal] = field(default_factory=dict)
    typed_totals: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    zero_from_blank: list[str] = field(default_factory=list)


def _convert(tpl: Template, vocab: _Vocabulary, found: _Found) -> _Outcome:
    out = _Outcome()
    blanks: list[str] = []
    for ref, cell in found.cells.items():
        label = f"{_TABLE_NAMES[ref.split('.', 1)[0]]} {tpl.label_for(ref)}"
        if ref in found.conflicts:
            out.unread.append(ref)
            out.problems.append(f"{label}：在{'、'.join(found.conflicts[ref])}印了不同的数值，未读取")
            continue
        spec = tpl.cells.get(ref)
        raw = cell.text.strip()
        norm = normalize(raw)
        if vocab.is_blank(raw):
            if spec is not None:  # a blank printed total is simply no typed total
                out.values[ref] = Decimal(0) if spec.kind == "money" else 0
                out.zero_from_blank.append(ref)
                blanks.append(label)
            continue
        money = spec is not None and spec.kind == "money"
        if money and spec.unit and norm.endswith(spec.unit):
            norm = norm.removesuffix(spec.unit)  # "7545万元": the column's own unit, printed again
        # A space between digits is two numbers run together, not one: never joined.
        if re.search(r"\d\s+\d", raw) or not (_MONEY if money else _COUNT).match(norm):
            if spec is not None or ref in tpl.computed:
                out.unread.append(ref)
                out.problems.append(f"{label}：印的是“{raw[:30]}”，不是{'金额' if money else '整数'}，未读取")
            continue
        digits = norm.replace(",", "")
        if money:
            out.values[ref] = Decimal(digits)
        elif int(digits) > MAX_COUNT:
            out.unread.append(ref)
            out.problems.append(f"{label}：数值 {digits} 超出范围，未读取")
        elif spec is not None:
            out.values[ref] = int(digits)
        else:
            out.typed_totals[ref] = int(digits)
    if blanks:
        out.notes.append(f"{len(blanks)} 个空白单元格（空白、“/”、“—”或“无”）按 0 读取："
                         + "、".join(blanks[:12]) + ("……" if len(blanks) > 12 else ""))
    for ref in tpl.cells:
        if ref not in out.values and ref not in out.unread:
            out.unread.append(ref)
            out.problems.append(f"{_TABLE_NAMES[ref.split('.', 1)[0]]} {tpl.label_for(ref)}：表格中未找到，未读取")
    out.problems += found.stray
    out.notes += found.notes
    return out


# -- the meta data --------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")


def _title_parts(tpl: Template, source: Source) -> tuple[str, int | None, str]:
    """(unit, year, title) from the file's title, else from the first lines of the document."""
    tail = tpl.title_pattern.split("{year}", 1)[1].removeprefix("年")
    title_re = re.compile(r"(\d{4})\s*年度?\s*" + re.escape(tail))
    candidates = [source.title] if source.title else []
    head = [p.strip() for p in source.paragraphs[:8] if p.strip()]
    for k, para in enumerate(head):
        candidates.append(para)
        if k:
            candidates.append(head[k - 1] + para)
    hits: list[tuple[str, int, str]] = []
    for text in candidates:
        squeezed = re.sub(r"\s+", "", text)
        m = title_re.search(squeezed)
        if m and len(squeezed) <= 80:
            unit = squeezed[: m.start()].removesuffix("关于")  # "某局关于2024年…报告"
            hits.append((unit, int(m.group(1)), squeezed[: m.end()]))
    # A title printed over two lines (unit, then year and the rest) is found as the pair.
    return next((h for h in hits if h[0]), hits[0] if hits else ("", None, ""))


_SIGNER_END = re.compile(r"(局|委|办|厅|政府|中心|院|会|室|所|处|站|队|署|馆|公司)$")


_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}
_CN_DATE = re.compile(r"^([〇○Ｏ零一二三四五六七八九]{4})年"
                      r"([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$")


def _cn_number(text: str) -> str:
    """一 … 三十一 → 1 … 31 (as a 落款 writes month and day)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return str(int(_CN_DIGITS.get(tens, "1")) * 10 + int(_CN_DIGITS.get(ones, "0")))


def _arabic_date(text: str) -> str:
    """二〇二五年一月二十日 → 2025年1月20日; anything else unchanged."""
    m = _CN_DATE.match(text)
    if not m:
        return text
    year = "".join(_CN_DIGITS[c] for c in m.group(1))
    return f"{year}年{_cn_number(m.group(2))}月{_cn_number(m.group(3))}日"


def _sign_off(paragraphs: list[str], unit: str) -> tuple[list[str], date | None]:
    """The prose without the 落款 (issuing unit and date) at its end, and that date."""
    paras = list(paragraphs)
    if not paras:
        return paras, None
    last = _arabic_date(paras[-1].strip().replace(" ", ""))
    m = _DATE.fullmatch(last)
    if not m:
        return paras, None
    try:
        when = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return paras, None
    paras.pop()
    signer = re.sub(r"\s+", "", paras[-1]) if paras else ""
    if 4 <= len(signer) <= 40 and not re.search(r"[。；;，,：:]", signer) and (
            (unit and (unit in signer or signer in unit)) or _SIGNER_END.search(signer)):
        paras.pop()
    return paras, when


def _published_on(source: Source, signed: date | None) -> date | None:
    m = _DATE.search(source.published_on or "")
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    return signed


# -- the whole -------------------------------------------------------------------------------


def recognise(source: Source, template: Template | None = None) -> ReadResult:
    """A report from what a reader found; :class:`InvalidReportFile` if it is not one of this format."""
    tpl = template or load_template()
    vocab = _Vocabulary(tpl, ingest_data(tpl.id))
    found = _TableWalker(vocab).walk(source.tables)
    input_cells = [ref for ref in found.cells if ref in tpl.cells]
    if not input_cells:
        kind = source.kind or "文件"
        raise InvalidReportFile(
            f"这个{kind}不是政府信息公开工作年度报告（{tpl.name}）：没有找到格式规定的表格",
            [f"这个{kind}中没有找到{tpl.name}的表二至表四（按格式的行列标题查找），不是这种格式的年报"],
        )
    outcome = _convert(tpl, vocab, found)

    report = Report.new(tpl)
    unit, year, title = _title_parts(tpl, source)
    report.unit = unit
    if year is not None:
        report.year = year
    if title and title != tpl.default_title(unit, year):
        report.title = title
    paragraphs, signed = _sign_off(source.paragraphs, unit)
    report.published_on = _published_on(source, signed)
    for ref, value in outcome.values.items():
        report.set(ref, value)
    report.typed_totals = outcome.typed_totals
    texts, prose_notes = split_prose(tpl, paragraphs)
    report.texts.update(texts)

    notes = list(source.notes) + outcome.notes + prose_notes
    if not unit or year is None:
        notes.append("没有从标题中读出单位名称或年度，请在“基本信息”中填写")
    return ReadResult(report=report, problems=outcome.problems, notes=notes,
                      unread=outcome.unread, zero_from_blank=outcome.zero_from_blank)
