"""The format data file carries the official format exactly, and the model computes from it."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

from core.model import Report
from core.template import load_template

ROOT = Path(__file__).resolve().parent.parent


def test_sections_in_report_order_with_official_headings() -> None:
    tpl = load_template()
    assert [s.heading for s in tpl.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert [p.ref for p in tpl.section("overview").parts] == [
        "text.overview.active", "text.overview.requests", "text.overview.management",
        "text.overview.platform", "text.overview.supervision",
    ]


def test_table3_labels_are_character_exact() -> None:
    tpl = load_template()
    rows = {r["id"]: r["path"] for r in tpl.table3_rows()}
    assert len(rows) == 25
    # Curly quotes, full-width brackets and the long 其他处理 labels as the format prints them.
    assert rows["denied_security_stability"][-1] == "3.危及“三安全一稳定”"
    assert rows["partially_granted"][-1] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert rows["other_fee_unpaid"][-1] == (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    assert rows["denied_state_secret"][:2] == ["三、本年度办理结果", "（三）不予公开"]
    assert tpl.tables["table3"]["corner"] == (
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    )
    groups = [c["path"][0] for c in tpl.table3_columns()]
    assert groups.count("法人或其他组织") == 5


def test_result_rows_span_the_official_counts() -> None:
    rows = load_template().table3_rows()
    assert sum(1 for r in rows if r["path"][0] == "三、本年度办理结果") == 22
    assert sum(1 for r in rows if r["path"][1:2] == ["（三）不予公开"]) == 8


def test_cell_references_follow_the_spec() -> None:
    tpl = load_template()
    for ref in ("table2.regulations.made", "table2.fees", "table2.licensing", "table3.granted.natural",
                "table4.review.pending", "table3.carried_forward.other_org"):
        assert ref in tpl.cells, ref
    for ref in ("table3.total_processed.total", "table3.granted.total", "table4.litigation_direct.total"):
        assert ref in tpl.computed, ref
        assert ref not in tpl.cells
    assert tpl.cells["table2.fees"].kind == "money"
    # To the 分: 1 分 = 0.000001 万元, as real reports print (24252.311082).
    assert tpl.cells["table2.fees"].places == 6
    # 25 table-3 rows: 24 typed (one is computed) × 6 typed columns.
    assert sum(1 for r in tpl.cells if r.startswith("table3.")) == 24 * 6


def test_totals_are_computed_from_inputs() -> None:
    report = Report.new(unit="某区科学技术局", year=2021)
    report.set("table3.granted.natural", 3)
    report.set("table3.denied_state_secret.research", 2)
    report.set("table3.other_other.other_org", 5)
    totals = report.totals()
    assert totals["table3.granted.total"] == 3
    assert totals["table3.total_processed.natural"] == 3
    assert totals["table3.total_processed.research"] == 2
    assert totals["table3.total_processed.total"] == 10
    report.set("table4.litigation_after_review.pending", 4)
    assert report.get("table4.litigation_after_review.total") == 4
    assert report.values["table2.fees"] == Decimal(0)


def test_default_title_follows_the_pattern() -> None:
    report = Report.new(unit="某区科学技术局", year=2022)
    assert report.effective_title == "某区科学技术局2022年政府信息公开工作年度报告"
    report.title = "自定标题"
    assert report.effective_title == "自定标题"


def _python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_core_never_imports_qt() -> None:
    for path in _python_files("core"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("PySide6", "shiboken6")), f"{path} imports {name}"


def test_no_official_label_is_spelled_in_code() -> None:
    """Labels live in the format data file; a second copy in code would drift from it."""
    tpl = load_template()
    labels = {s.heading for s in tpl.sections}
    labels |= {p.heading for s in tpl.sections for p in s.parts if p.heading}
    labels |= {seg for r in tpl.table3_rows() for seg in r["path"]}
    labels |= {c["label"] for block in tpl.tables["table2"]["blocks"] for c in block["columns"]}
    labels |= {g["label"] for g in tpl.tables["table4"]["groups"]}
    long_labels = {label for label in labels if len(label) >= 6}
    for folder in ("core", "gui"):
        for path in _python_files(folder):
            source = path.read_text("utf-8")
            for label in long_labels:
                assert label not in source, f"{path} spells the label {label!r}"


def test_path_runs_give_the_official_merged_cells() -> None:
    from core.template import path_runs

    tpl = load_template()
    rows = [r["path"] for r in tpl.table3_rows()]
    assert (2, 22) in path_runs(rows, 0)  # 三、本年度办理结果 over its 22 rows
    assert (4, 8) in path_runs(rows, 1)  # （三）不予公开 over its 8
    assert path_runs(rows, 0)[:2] == [(0, 1), (1, 1)]  # 一、 and 二、 are rows of their own
    cols = [c["path"] for c in tpl.table3_columns()]
    assert path_runs(cols, 0) == [(0, 1), (1, 5), (6, 1)]  # 法人或其他组织 over five columns
    groups = [g["path"] for g in tpl.tables["table4"]["groups"]]
    assert path_runs(groups, 0) == [(0, 1), (1, 2)] and path_runs(groups, 1) == [(1, 1), (2, 1)]
    # Equal leaf labels stay separate cells: only labels that continue below them merge.
    assert path_runs([["甲", "乙"], ["甲", "乙"], ["甲"]], 1) == [(0, 1), (1, 1)]
