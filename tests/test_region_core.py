"""The county office's view without a window: roster, batch check, sum and workbook."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exchange import read_report, report_to_dict, write_report
from core.model import Report
from core.region.batch import (
    BAD_DUPLICATE,
    BAD_INVALID,
    BAD_SKIPPED,
    STATUS_ERRORS,
    STATUS_PASSED,
    load_inputs,
    run_batch,
)
from core.region.roster import RosterError, RosterUnit, read_roster
from core.region.sum import NOTE_REF, build_sum, sum_reports
from core.rules import check
from core.sample import full_report
from core.template import load_template

TPL = load_template()


def unit_report(i: int, year: int = 2022, unit: str | None = None) -> Report:
    return full_report(seed=1000 * year + i, unit=unit or f"某县第{i}局", year=year)


def unbalance(report: Report) -> Report:
    report.values["table3.granted.natural"] += 1
    return report


# -- roster ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_roster_csv_in_the_encodings_excel_writes(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("单位名称,简称\r\n某县教育局,教育局\r\n\r\n某县财政局\r\n某县 教育局,重复\r\n", encoding=encoding)
    assert read_roster(path) == [RosterUnit("某县教育局", "教育局"), RosterUnit("某县财政局", "")]


def test_roster_saved_as_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "名单.txt"
    path.write_text("某县教育局\t教育局\n", encoding="utf-16")
    assert read_roster(path) == [RosterUnit("某县教育局", "教育局")]


def test_roster_xlsx_with_header_and_short_names(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in (["单位", "简称"], ["某县民政局", "民政"], [None, None], ["某县人民政府某某街道办事处", None]):
        book.active.append(row)
    path = tmp_path / "名单.xlsx"
    book.save(path)
    assert read_roster(path) == [RosterUnit("某县民政局", "民政"), RosterUnit("某县人民政府某某街道办事处", "")]


@pytest.mark.parametrize("content, expected", [
    (b"", "没有单位名称"),
    ("单位名称\n".encode(), "没有单位名称"),
    (b"\x00\x01\x02 garbage", "二进制"),
    (b"\xff\xfe\x00\x00\x00", "编码无法识别"),
])
def test_roster_refused_with_a_chinese_reason(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(content)
    with pytest.raises(RosterError, match=expected):
        read_roster(path)


def test_roster_old_excel_is_named(tmp_path: Path) -> None:
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    with pytest.raises(RosterError, match="另存为"):
        read_roster(path)


# -- batch ----------------------------------------------------------------------------------------


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """A folder as an office collects it: good reports, one with errors, and three unusable files."""
    folder = tmp_path / "各单位"
    (folder / "乡镇").mkdir(parents=True)
    for i in range(3):
        write_report(unit_report(i), folder / f"u{i}.json")
    write_report(unbalance(unit_report(3)), folder / "乡镇" / "u3.json")
    (folder / "其他.json").write_text('{"name": "不是年报"}', encoding="utf-8")
    (folder / "坏.json").write_text('{"schema": "xxgk-annual-report/1", ', encoding="utf-8")
    write_report(unit_report(0), folder / "u0-重发.json")
    (folder / "说明.txt").write_text("请于1月10日前报送", encoding="utf-8")
    (folder / "~$名单.xlsx").write_bytes(b"lock")
    return folder


def test_batch_one_line_per_unit_and_every_bad_file_with_its_reason(county: Path) -> None:
    batch = run_batch([county])
    assert batch.year == 2022 and batch.year_guessed
    assert [r.unit for r in batch.results] == [f"某县第{i}局" for i in range(4)]
    assert [r.status for r in batch.results] == [STATUS_PASSED] * 3 + [STATUS_ERRORS]
    bad = {b.path.name: b for b in batch.bad}
    assert bad["其他.json"].kind == BAD_INVALID and "schema" in bad["其他.json"].reason
    assert bad["坏.json"].kind == BAD_INVALID and "JSON" in bad["坏.json"].reason
    # The duplicate is the one found second; the reason names the file that was used.
    assert bad["u0.json"].kind == BAD_DUPLICATE and "u0-重发.json" in bad["u0.json"].reason
    assert bad["说明.txt"].kind == BAD_SKIPPED
    assert "~$名单.xlsx" not in bad
    assert batch.has_errors


def test_first_problem_names_the_table(county: Path) -> None:
    result = run_batch([county]).results[3]
    assert result.errors == 2
    assert result.first_problem.startswith("[错误] 表三：自然人列：")


def test_roster_units_without_a_report_and_units_outside_it(county: Path) -> None:
    roster = [RosterUnit("某县第1局"), RosterUnit("某县第9局", "九局"), RosterUnit("零局全称", "某县第0局")]
    batch = run_batch([county], roster=roster)
    assert batch.missing == [RosterUnit("某县第9局", "九局")]
    # Roster order first (the short name matches too), then the units that are not on it.
    assert [(r.unit, r.in_roster) for r in batch.results] == [
        ("某县第1局", True), ("某县第0局", True), ("某县第2局", False), ("某县第3局", False)]
    assert batch.counts()["未提交"] == 1


def test_previous_year_among_the_inputs_feeds_the_cross_year_rules(tmp_path: Path) -> None:
    last = unit_report(1, year=2021)
    now = unit_report(1, year=2022)
    write_report(now, tmp_path / "2022.json")
    alone = run_batch([tmp_path / "2022.json"])
    assert not [f for f in alone.results[0].findings if f.rule == "cross_year"]
    write_report(last, tmp_path / "2021.json")
    both = run_batch([tmp_path], year=2022)
    assert [r.year for r in both.results] == [2022] and both.other_years == 1
    assert both.results[0].previous_path == tmp_path / "2021.json"
    assert [f for f in both.results[0].findings if f.rule == "cross_year"]
    # The older year is checked when asked for, against nothing older.
    assert run_batch([tmp_path], year=2021).results[0].previous_path is None


# -- sum ------------------------------------------------------------------------------------------


def hand_sum(docs: list[dict]) -> dict[str, object]:
    """Cell by cell from the exchange documents themselves, fees as decimal strings."""
    out: dict[str, object] = {}

    def walk(prefix: str, node: object) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(f"{prefix}.{k}", v)
        elif isinstance(node, str):
            out[prefix] = out.get(prefix, Decimal(0)) + Decimal(node)  # type: ignore[operator]
        else:
            out[prefix] = out.get(prefix, 0) + node  # type: ignore[operator]

    for doc in docs:
        for table in ("table2", "table3", "table4"):
            walk(table, doc[table])
    return out


def test_sum_equals_a_hand_sum_cell_by_cell() -> None:
    reports = [unit_report(i) for i in range(4)]
    reports[0].values["table2.fees"] = Decimal("24252.311082")
    reports[1].values["table2.fees"] = Decimal("0.000001")
    reports[2].values["table2.fees"] = Decimal("0.1")
    reports[3].values["table2.fees"] = Decimal("0.2")
    total = sum_reports(reports, unit="某县人民政府", year=2022)
    expected = hand_sum([report_to_dict(r) for r in reports])
    got = report_to_dict(total)
    for ref in TPL.cells:
        node: object = got
        for key in ref.split("."):
            node = node[key]  # type: ignore[index]
        assert (Decimal(node) if isinstance(node, str) else node) == expected[ref], ref
    assert got["table2"]["fees"] == "24252.611083"  # exact: 0.1 + 0.2 is not 0.30000000000000004
    assert all(not t for t in total.texts.values())


def test_units_with_errors_are_left_out_and_named(county: Path) -> None:
    batch = run_batch([county])
    total = build_sum(batch, unit="某县人民政府", year=2022)
    assert [r.unit for r in total.excluded] == ["某县第3局"]
    assert [r.unit for r in total.included] == ["某县第0局", "某县第1局", "某县第2局"]
    assert not total.has_errors
    note = total.report.texts[NOTE_REF]
    assert "某县第0局、某县第1局、某县第2局" in note and "未计入汇总的单位：某县第3局（2 项错误）" in note
    assert total.report.values["table3.granted.natural"] == sum(
        r.report.values["table3.granted.natural"] for r in total.included)


def test_included_on_request_and_then_the_sum_has_errors(county: Path) -> None:
    total = build_sum(run_batch([county]), unit="某县人民政府", year=2022, include_errors=True)
    assert len(total.included) == 4 and [r.unit for r in total.included_with_errors] == ["某县第3局"]
    assert {f.rule for f in total.findings if f.severity == "error"} == {"identity", "unit_errors"}
    assert "已计入汇总的单位：某县第3局" in total.report.texts[NOTE_REF]


def test_an_earlier_overall_report_in_the_folder_is_not_added_to_itself(county: Path) -> None:
    first = build_sum(run_batch([county]), unit="某县人民政府", year=2022)
    write_report(first.report, county / "汇总.json")
    again = build_sum(run_batch([county]), unit="某县人民政府", year=2022)
    assert again.report.values == first.report.values
    assert [r.path.name for r in again.own_reports] == ["汇总.json"]


@st.composite
def unit_sets(draw: st.DrawFn) -> list[tuple[Report, bool]]:
    """A few units; some with a column of table 3 off by a few requests."""
    units = []
    for i in range(draw(st.integers(1, 5))):
        report = full_report(seed=draw(st.integers(0, 10_000)), unit=f"单位{i}", year=2022)
        broken = draw(st.booleans()) and draw(st.booleans())
        if broken:
            col = draw(st.sampled_from([c["id"] for c in TPL.table3_columns(inputs_only=True)]))
            row = draw(st.sampled_from(["new_received", "carried_over", "granted", "carried_forward"]))
            report.values[f"table3.{row}.{col}"] += draw(st.integers(1, 3))
        units.append((report, broken))
    return units


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit_sets())
def test_a_sum_passes_the_identity_exactly_when_every_unit_does(units: list[tuple[Report, bool]]) -> None:
    reports = [r for r, _ in units]
    all_pass = all(not [f for f in check(r) if f.rule == "identity"] for r in reports)
    assert all_pass == (not any(broken for _, broken in units))
    raw = sum_reports(reports, unit="合计", year=2022)
    if all_pass:
        assert not [f for f in check(raw) if f.rule == "identity"]
    # Raw sums can cancel (+1 in one unit, −1 in another); the regional sum carries the units' errors,
    # so it fails exactly when one of them does.
    from core.region.batch import BatchResult, UnitResult

    batch = BatchResult(2022, [UnitResult(r.unit, 2022, Path(f"{r.unit}.json"), r, check(r)) for r in reports])
    total = build_sum(batch, unit="合计", include_errors=True)
    assert (not total.has_errors) == all_pass
    assert not [f for f in check(build_sum(batch, unit="合计").report) if f.rule == "identity"]


def test_previous_set_checks_the_overall_carry_over(tmp_path: Path) -> None:
    from core.store import next_year_report

    now_dir, last_dir = tmp_path / "2022", tmp_path / "2021"
    now_dir.mkdir()
    last_dir.mkdir()
    for i in range(3):
        last = unit_report(i, year=2021)
        write_report(last, last_dir / f"{i}.json")
        now = next_year_report(last)  # carry-over and valid stock follow on
        for col in TPL.table3_columns(inputs_only=True):  # nothing done this year: all carried forward
            now.values[f"table3.carried_forward.{col['id']}"] = now.values[f"table3.carried_over.{col['id']}"]
        write_report(now, now_dir / f"{i}.json")
    previous, _ = load_inputs([last_dir])
    ok = build_sum(run_batch([now_dir]), unit="某县", year=2022, previous=previous)
    assert ok.previous_units == ["某县第0局", "某县第1局", "某县第2局"]
    assert not [f for f in ok.findings if f.rule == "cross_year"] and not ok.carry_differences
    shifted = read_report(now_dir / "1.json")
    shifted.values["table3.carried_over.natural"] += 2
    shifted.values["table3.carried_forward.natural"] += 2  # still balanced: no error, only a carry gap
    write_report(shifted, now_dir / "1.json")
    off = build_sum(run_batch([now_dir]), unit="某县", year=2022, previous=previous)
    assert not off.excluded
    cross = [f for f in off.findings if f.rule == "cross_year"]
    assert any(f.cells == ("table3.carried_over.natural",) and "相差 2" in f.message for f in cross)
    assert len(off.carry_differences) == 1 and off.carry_differences[0].startswith("某县第1局")


# -- workbook -------------------------------------------------------------------------------------


def test_workbook_lists_every_unit_and_finding_and_lays_out_the_tables(county: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from core.region.xlsx import CHECK_SHEET, SUM_SHEET, write_workbook

    roster = [RosterUnit("某县第0局"), RosterUnit("某县第8局")]
    batch = run_batch([county], roster=roster)
    total = build_sum(batch, unit="某县人民政府", year=2022)
    path = tmp_path / "汇总.xlsx"
    write_workbook(path, batch, total)
    book = load_workbook(path)
    rows = [[c.value for c in row] for row in book[CHECK_SHEET].iter_rows()]
    flat = [str(v) for row in rows for v in row if v is not None]
    assert any(row[:4] == ["某县第8局", None, 2022, "未提交"] for row in rows)
    assert any(row[0] == "某县第3局" and row[3] == "有错误（不在名单中）" for row in rows)
    for f in batch.results[3].findings:
        assert f.message in flat
    assert any("u0.json" in v for v in flat) and any("坏.json" in v for v in flat)

    sheet = book[SUM_SHEET]
    values = {c.value: c.coordinate for row in sheet.iter_rows() for c in row if c.value is not None}
    merged = {str(r) for r in sheet.merged_cells.ranges}
    t3 = TPL.tables["table3"]
    corner = values[t3["corner"]]
    assert any(m.startswith(corner + ":") for m in merged)  # spans the header rows and label columns
    # Table 4 as the official header draws it: the review group spans its five fields on one row,
    # and its fields reach down over two rows.
    review = TPL.tables["table4"]["groups"][0]["label"]
    top = sheet[values[review]]
    assert f"{top.coordinate}:{sheet.cell(top.row, top.column + 4).coordinate}" in merged
    first_field = sheet.cell(top.row + 1, top.column)
    assert first_field.value == TPL.tables["table4"]["fields"][0]["label"]
    assert f"{first_field.coordinate}:{sheet.cell(top.row + 2, top.column).coordinate}" in merged
    # The summed figures are there: table 3's grand total and the fee.
    grand = total.report.totals()["table3.total_processed.total"]
    assert grand in [c.value for row in sheet.iter_rows() for c in row]
    assert float(total.report.values["table2.fees"]) in [c.value for row in sheet.iter_rows() for c in row]


def test_workbook_keeps_a_formula_like_unit_name_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from core.region.xlsx import CHECK_SHEET, write_workbook

    write_report(unit_report(1, unit="=HYPERLINK(\"x\")"), tmp_path / "a.json")
    path = tmp_path / "out.xlsx"
    write_workbook(path, run_batch([tmp_path / "a.json"]))
    cell = load_workbook(path)[CHECK_SHEET]["A4"]
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"


def test_sum_file_reads_back_as_a_report(county: Path, tmp_path: Path) -> None:
    total = build_sum(run_batch([county]), unit="某县人民政府", year=2022)
    write_report(total.report, tmp_path / "total.json")
    again = read_report(tmp_path / "total.json")
    assert again.values == total.report.values and again.unit == "某县人民政府"
    assert json.loads((tmp_path / "total.json").read_text("utf-8"))["text"]["other_matters"].startswith("【汇总说明")


# -- published reports, through whatever reader is registered --------------------------------------


class _FakeHtmlReader:
    """Stands in for the published-report reader being written on another branch."""

    name, suffixes, label = "html", (".html", ".htm"), "网页"

    def read(self, path):  # type: ignore[no-untyped-def]
        from core.plugins import ReadResult

        text = Path(path).read_text("utf-8")
        if text == "crash":
            raise ZeroDivisionError("reader bug")
        report = unit_report(int(text), unit=f"网页单位{text}")
        return ReadResult(report, problems=["表三 予以公开（自然人）：无法确定所在的行，未读取"])


FAKE_READER = _FakeHtmlReader()


def test_published_reports_are_read_through_the_registered_reader(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import core.plugins

    monkeypatch.setattr(core.plugins, "READER_MODULES", [f"{__name__}:FAKE_READER"])
    (tmp_path / "a.html").write_text("1", encoding="utf-8")
    (tmp_path / "b.htm").write_text("crash", encoding="utf-8")
    write_report(unit_report(2), tmp_path / "c.json")
    batch = run_batch([tmp_path])
    assert [r.unit for r in batch.results] == ["某县第2局", "网页单位1"]
    read = batch.results[1]
    assert read.status == "有提示" and read.notes and "未读取" in read.first_problem
    crashed = [b for b in batch.bad if b.path.name == "b.htm"]
    assert crashed and "ZeroDivisionError" in crashed[0].reason


# -- real published reports (their hand transcriptions) ----------------------------------------------

PUBLISHED = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "published"


@pytest.fixture
def transcriptions(tmp_path: Path) -> Path:
    files = sorted(PUBLISHED.glob("*.expected.json")) if PUBLISHED.is_dir() else []
    if len(files) < 3:
        pytest.skip(f"真实年报的转录文件不在 {PUBLISHED}")
    for f in files:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    return tmp_path


def test_real_reports_last_year_among_the_inputs_is_used(transcriptions: Path) -> None:
    batch = run_batch([transcriptions], year=2025)
    (pingtan,) = batch.results
    assert pingtan.previous_path == transcriptions / "pingtan-2024.expected.json"
    # The README's known real inconsistency: 现行有效 546 is not 440 + 58 − 45.
    cross = [f for f in pingtan.findings if f.rule == "cross_year" and "546" in f.message]
    assert cross and "2024" in cross[0].message


def test_real_reports_sum_to_their_hand_sum(transcriptions: Path) -> None:
    batch = run_batch([transcriptions], year=2024)
    assert {r.unit for r in batch.results} == {"平潭综合实验区", "淮安市洪泽区人民政府"}
    hongze = next(r for r in batch.results if r.unit.startswith("淮安"))
    # A warning, named by where it is: the PDF prints no date (missing_date comes first in the rule order).
    assert hongze.first_problem.startswith("[提示] 基本信息：")
    total = build_sum(batch, unit="某市", year=2024)
    docs = [json.loads(p.read_text("utf-8")) for p in sorted(transcriptions.glob("*-2024.expected.json"))]
    expected = hand_sum(docs)
    for ref in TPL.cells:
        assert total.report.values[ref] == expected.get(ref, 0), ref
    assert total.report.values["table2.fees"] == Decimal("18651.06") + Decimal("7545")


def test_an_exchange_file_is_preferred_to_a_published_copy_and_blank_reports_do_not_set_the_year(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.plugins

    monkeypatch.setattr(core.plugins, "READER_MODULES", [f"{__name__}:FAKE_READER"])
    (tmp_path / "a-网页.html").write_text("1", encoding="utf-8")  # 网页单位1, 2022, read with a gap
    exact = unit_report(1, unit="网页单位1")
    write_report(exact, tmp_path / "b-交换.json")
    blank = Report.new(TPL, unit="", year=2030)
    write_report(blank, tmp_path / "c-空白.json")
    batch = run_batch([tmp_path])
    assert batch.year == 2022
    assert [r.path.name for r in batch.results] == ["b-交换.json"]
    (dup,) = [b for b in batch.bad if b.kind == BAD_DUPLICATE]
    assert dup.path.name == "a-网页.html" and "采用的是" in dup.reason and "b-交换.json" in dup.reason


def test_workbook_tables_are_the_shared_grids_cell_for_cell(county: Path, tmp_path: Path) -> None:
    """The workbook lays its tables out with the builder the PDF, Word file and web page use."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from core.publish.grids import build_grid
    from core.region.xlsx import SUM_SHEET, write_workbook

    batch = run_batch([county])
    total = build_sum(batch, unit="某县人民政府", year=2022)
    write_workbook(tmp_path / "汇总.xlsx", batch, total)
    sheet = load_workbook(tmp_path / "汇总.xlsx")[SUM_SHEET]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    headings = {c.value: c.row for c in sheet["A"] if c.value}
    report = total.report
    value = {**report.values, **report.totals()}
    for section in TPL.sections:
        if section.kind != "table":
            continue
        top = headings[section.heading] + 1
        grid = build_grid(TPL, section.table, lambda ref: str(value[ref]))
        for cell in grid.cells:
            row, col = top + cell.row, 1 + cell.col
            shown = sheet.cell(row, col).value
            assert str(shown if not isinstance(shown, float) else report.values["table2.fees"]) == cell.text
            if cell.rowspan > 1 or cell.colspan > 1:
                corner = f"{get_column_letter(col)}{row}"
                far = f"{get_column_letter(col + cell.colspan - 1)}{row + cell.rowspan - 1}"
                assert f"{corner}:{far}" in merged
