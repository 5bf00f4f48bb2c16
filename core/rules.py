"""The audit rules of the 2021 format: what supervising offices check every published report for.

Each rule reads the report (and its computed totals) and returns findings that name the cells
involved and say, in Chinese, which numbers disagree. A later format brings its own rule list.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from core.findings import Finding
from core.model import Report
from core.narrative import statements
from core.prose import IDENTICAL, carried_paragraphs, find_residue

Totals = dict[str, int]
Rule = Callable[[Report, Totals, "Report | None"], list[Finding]]

# Row ids of table 3 that the rules reason about (the format file names them).
NEW, CARRIED, PROCESSED, FORWARD = "new_received", "carried_over", "total_processed", "carried_forward"


def _t3_columns(report: Report) -> list[dict]:
    return report.template.table3_columns()


def swap_hint(difference: int, *values: int) -> str:
    """The usual typo behind a difference that is a multiple of 9: two digits typed the wrong way round."""
    if difference and difference % 9 == 0 and max(values, default=0) >= 10:
        return "（相差为 9 的倍数，可能是某个数的两位数字颠倒，如 21 写成 12）"
    return ""


def identity(report: Report, totals: Totals, _prev: Report | None) -> list[Finding]:
    """Per column of table 3: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度."""
    findings = []
    rows = {r["id"]: r["short"] for r in report.template.table3_rows()}
    for col in _t3_columns(report):
        c = col["id"]
        refs = [f"table3.{NEW}.{c}", f"table3.{CARRIED}.{c}", f"table3.{PROCESSED}.{c}",
                f"table3.{FORWARD}.{c}"]
        new, carried, processed, forward = (report.values.get(r, totals.get(r, 0)) for r in refs)
        left, right = new + carried, processed + forward
        if left != right:
            findings.append(Finding(
                "identity", "error", tuple(refs),
                f"{col['label']}列：{rows[NEW]} {new} + {rows[CARRIED]} {carried} = {left}，"
                f"{rows[PROCESSED]} {processed} + {rows[FORWARD]} {forward} = {right}，"
                f"相差 {abs(left - right)}{swap_hint(abs(left - right), new, carried, processed, forward)}",
            ))
    return findings


def typed_total(report: Report, totals: Totals, _prev: Report | None) -> list[Finding]:
    """A total spelled out in an imported file must equal the computed one."""
    findings = []
    for ref, typed in report.typed_totals.items():
        actual = totals.get(ref)
        if actual is not None and typed != actual:
            findings.append(Finding(
                "typed_total", "error", (ref,),
                f"{report.template.label_for(ref)}：文件中填写的合计为 {typed}，"
                f"按各项相加应为 {actual}，相差 {abs(typed - actual)}{swap_hint(abs(typed - actual), typed, actual)}",
            ))
    return findings


def fees_precision(report: Report, _totals: Totals, _prev: Report | None) -> list[Finding]:
    findings = []
    for ref, spec in report.template.cells.items():
        if spec.kind != "money":
            continue
        value = Decimal(report.values.get(ref, 0))
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        label = report.template.label_for(ref)
        if value < 0:
            findings.append(Finding("fees_precision", "error", (ref,),
                                    f"{label}：金额不能为负数，实际为 {value}"))
        elif places > spec.places and value != value.quantize(Decimal(1).scaleb(-spec.places)):
            findings.append(Finding(
                "fees_precision", "error", (ref,),
                f"{label}：以{spec.unit}为单位最多保留 {spec.places} 位小数，实际为 {value}（{places} 位）",
            ))
    return findings


def template_year(report: Report, _totals: Totals, _prev: Report | None) -> list[Finding]:
    first = report.template.first_year
    if report.year < first:
        return [Finding(
            "template_year", "error", ("year",),
            f"报告年度为 {report.year} 年，{report.template.name}自 {first} 年度报告起适用，"
            f"{report.year} 年度报告应使用旧版格式",
        )]
    return []


def missing_unit(report: Report, _totals: Totals, _prev: Report | None) -> list[Finding]:
    """Not in the spec's minimum set: without a unit the title and the 落款 print without one."""
    if report.unit.strip():
        return []
    return [Finding("missing_unit", "warning", ("unit",),
                    f"{report.template.label_for('unit')}：尚未填写，报告标题和落款将缺少单位名称")]


# A part of 五 that says no more than this is no report of problems: reviewers send it back.
MIN_PROBLEMS_CHARS = 10
_NOTHING = {"无", "暂无", "没有"}


def missing_text(report: Report, _totals: Totals, _prev: Report | None) -> list[Finding]:
    """An empty part of 一; a part of 五 that is empty, only 无/暂无, or under ten characters."""
    findings = []
    for section_id in ("overview", "problems_improvements"):
        section = report.template.section(section_id)
        strict = section_id == "problems_improvements"
        for part in section.parts:
            text = "".join(report.texts.get(part.ref, "").split())
            where = f"{section.heading}{part.heading}"
            if not text:
                message = f"{where}：尚未填写内容"
            elif strict and text.rstrip("。.！!") in _NOTHING:
                message = f"{where}：只写了“{text}”，审核时不会被接受，请如实写明"
            elif strict and len(text) < MIN_PROBLEMS_CHARS:
                message = f"{where}：只有 {len(text)} 个字（“{text}”），内容过于简单，请如实写明"
            else:
                continue
            findings.append(Finding("missing_text", "warning", (part.ref,), message))
    return findings


def missing_date(report: Report, _totals: Totals, _prev: Report | None) -> list[Finding]:
    """Without a date the 落款 would be guessed; a report is published in the year after its own."""
    label = report.template.label_for("published_on")
    when = report.published_on
    if when is None:
        return [Finding("missing_date", "warning", ("published_on",),
                        f"{label}：尚未填写，落款将没有确定的日期（{report.year} 年度报告应在 "
                        f"{report.year + 1} 年发布）")]
    if when.year != report.year + 1:
        return [Finding("missing_date", "warning", ("published_on",),
                        f"{label}：填为 {when.isoformat()}，但 {report.year} 年度报告应在 "
                        f"{report.year + 1} 年发布，请核对年份")]
    return []


def word_residue(report: Report, _totals: Totals, _prev: Report | None) -> list[Finding]:
    """Bookmarks, field codes and list numbering that a Word/WPS copy left in the prose."""
    findings = []
    for ref, text in report.texts.items():
        residues = find_residue(text, report.template, ref) if text else []
        if residues:
            quotes = "、".join(f"“{r.quote}”（{r.kind}）" for r in residues[:3])
            more = f"等 {len(residues)} 处" if len(residues) > 3 else ""
            findings.append(Finding(
                "word_residue", "warning", (ref,),
                f"{report.template.label_for(ref)}：含有从 Word/WPS 带来的残留内容 {quotes}{more}，"
                f"打印和公开时会原样出现，可一键清除",
            ))
    return findings


def copied_text(report: Report, _totals: Totals, prev: Report | None) -> list[Finding]:
    """Paragraphs still carrying last year's prose (a draft made from last year's report)."""
    by_ref: dict[str, list] = {}
    for carried in carried_paragraphs(report, prev):
        by_ref.setdefault(carried.ref, []).append(carried)
    findings = []
    for ref, items in by_ref.items():
        parts = []
        for c in items:
            if c.reason == IDENTICAL:
                parts.append(f"第 {c.index + 1} 段与 {prev.year} 年度报告相同")  # type: ignore[union-attr]
            else:
                parts.append(f"第 {c.index + 1} 段仍把 {report.year - 1} 年当作本年度（“{c.quote}”）")
        findings.append(Finding(
            "copied_text", "warning", (ref,),
            f"{report.template.label_for(ref)}：{'；'.join(parts)}，请按 {report.year} 年度的情况改写",
        ))
    return findings


_FEE_WORDS = ("信息处理费", "收费")


def fee_statement(report: Report, _totals: Totals, _prev: Report | None) -> list[Finding]:
    """六 is where the format asks for information-processing fees; it must say whether any were charged."""
    ref = "text.other_matters"
    if ref not in report.template.texts:
        return []
    text = report.texts.get(ref, "")
    if any(word in text for word in _FEE_WORDS):
        return []
    return [Finding(
        "fee_statement", "warning", (ref,),
        f"{report.template.section(report.template.texts[ref].section).heading}：没有说明是否收取信息处理费"
        f"（格式要求在此报告收取信息处理费情况；未收取的，可写“本年度未收取信息处理费”）",
    )]


# Moves smaller than these, or on counts under 10, are ordinary variation between years.
JUMP_FACTOR, JUMP_MIN = 5, 10


def year_jump(report: Report, totals: Totals, prev: Report | None) -> list[Finding]:
    """A table-3 row total or a table-4 total that moved more than ×5 (or below ×0.2) from last year."""
    if prev is None:
        return []
    before_totals = prev.totals()
    refs = [f"table3.{r['id']}.total" for r in report.template.table3_rows()]
    refs += [f"table4.{g['id']}.total" for g in report.template.tables["table4"]["groups"]]
    findings = []
    for ref in refs:
        now, before = totals.get(ref, 0), before_totals.get(ref, 0)
        if now < JUMP_MIN or before < JUMP_MIN:
            continue
        if now > before * JUMP_FACTOR or now * JUMP_FACTOR < before:
            ratio = now / before
            findings.append(Finding(
                "year_jump", "warning", (ref,),
                f"{report.template.label_for(ref)}：本年 {now}，{prev.year} 年度为 {before}，"
                f"变化为上年的 {ratio:.1f} 倍，请核对是否填错",
            ))
    return findings


def _stated_targets(report: Report, totals: Totals) -> dict[str, tuple[tuple[int, ...], tuple[str, ...], str]]:
    """For each kind of statement: the table values it may match, the cells, and how to name them."""
    rows = {r["id"]: r["short"] for r in report.template.table3_rows()}
    t4 = {g["id"]: g["label"] for g in report.template.tables["table4"]["groups"]}
    new = totals[f"table3.{NEW}.total"]
    carried = totals[f"table3.{CARRIED}.total"]
    review = totals["table4.review.total"]
    litigation = totals["table4.litigation_direct.total"] + totals["table4.litigation_after_review.total"]
    return {
        # "收到申请15件" is read either as new requests alone or as new plus carried over.
        "received": ((new, new + carried), (f"table3.{NEW}.total", f"table3.{CARRIED}.total"),
                     f"表三{rows[NEW]}总计为 {new}" + (f"（加{rows[CARRIED]}为 {new + carried}）" if carried else "")),
        "carried_forward": ((totals[f"table3.{FORWARD}.total"],), (f"table3.{FORWARD}.total",),
                            f"表三{rows[FORWARD]}总计为 {totals[f'table3.{FORWARD}.total']}"),
        "review": ((review,), ("table4.review.total",), f"表四{t4['review']}总计为 {review}"),
        "litigation": ((litigation,), ("table4.litigation_direct.total", "table4.litigation_after_review.total"),
                       f"表四行政诉讼总计为 {litigation}"),
    }


def narrative_numbers(report: Report, totals: Totals, _prev: Report | None) -> list[Finding]:
    findings = []
    targets: dict | None = None
    for ref, text in report.texts.items():
        for st in statements(text, report.year):
            targets = targets or _stated_targets(report, totals)
            accepted, cells, described = targets[st.kind]
            if st.value not in accepted:
                findings.append(Finding(
                    "narrative_numbers", "warning", (ref, *cells),
                    f"{report.template.label_for(ref)}：文字写“{st.quote}”，但{described}",
                ))
    return findings


def cross_year(report: Report, totals: Totals, prev: Report | None) -> list[Finding]:
    """Against last year's report: carry-over and the stock of valid documents must follow on."""
    if prev is None:
        return []
    findings = []
    rows = {r["id"]: r["short"] for r in report.template.table3_rows()}
    for col in report.template.table3_columns(inputs_only=True):
        c = col["id"]
        now, before = report.values[f"table3.{CARRIED}.{c}"], prev.values.get(f"table3.{FORWARD}.{c}", 0)
        if now != before:
            findings.append(Finding(
                "cross_year", "warning", (f"table3.{CARRIED}.{c}",),
                f"{col['label']}列：本年{rows[CARRIED]} {now}，但 {prev.year} 年度报告"
                f"{rows[FORWARD]} {before}，相差 {abs(now - before)}",
            ))
    for row in ("regulations", "normative_documents"):
        valid, made, repealed = (report.values[f"table2.{row}.{k}"] for k in ("valid", "made", "repealed"))
        last_valid = prev.values.get(f"table2.{row}.valid", 0)
        expected = last_valid + made - repealed
        if valid != expected:
            cells = report.template.cells
            label = {k: cells[f"table2.{row}.{k}"].column_label for k in ("valid", "made", "repealed")}
            findings.append(Finding(
                "cross_year", "warning",
                (f"table2.{row}.valid", f"table2.{row}.made", f"table2.{row}.repealed"),
                f"{cells[f'table2.{row}.valid'].row_label}：{prev.year} 年度{label['valid']} {last_valid}"
                f" + {label['made']} {made} − {label['repealed']} {repealed} = {expected}，"
                f"但本年{label['valid']}填为 {valid}，相差 {abs(valid - expected)}",
            ))
    return findings


def control_characters(report: Report, _totals: Totals, _prev: Report | None) -> list[Finding]:
    """Prose with control or bidi-override characters shows differently from what it holds."""
    from core.textguard import code_points, prose_control_chars

    findings = []
    for ref, text in report.texts.items():
        bad = prose_control_chars(text)
        if bad:
            findings.append(Finding("control_characters", "warning", (ref,),
                                    f"{report.template.label_for(ref)}：含有看不见的控制字符或文字方向控制符"
                                    f"（{code_points(bad)}），打印和发布时可能显示错乱，请删除"))
    return findings


RULES_2021: tuple[Rule, ...] = (
    template_year, identity, typed_total, fees_precision, missing_unit, missing_date, missing_text,
    narrative_numbers, word_residue, fee_statement, cross_year, copied_text, year_jump, control_characters,
)

RULES_BY_TEMPLATE: dict[str, tuple[Rule, ...]] = {"2021": RULES_2021}


def check(report: Report, previous: Report | None = None, totals: Totals | None = None) -> list[Finding]:
    """All findings for ``report``; ``previous`` is last year's report when the store has it."""
    if totals is None:
        totals = report.totals()
    findings: list[Finding] = []
    for rule in RULES_BY_TEMPLATE[report.template.id]:
        findings.extend(rule(report, totals, previous))
    return findings
