"""The content model both writers walk: 落款 layouts of GB/T 9704 and title breaks."""

from __future__ import annotations

import pytest

from core.pdf.printdata import print_data
from core.publish.content import build_content, closing_lines, publish_data, text_width, title_lines
from core.sample import full_report


def _params(kind: str) -> dict:
    return print_data()["closing_layouts"][kind]


def test_one_set_of_closing_layouts_and_page_furniture() -> None:
    """The 落款 layouts and the page furniture are the print data's, for the PDF, Word and the web."""
    assert not {"closing", "closing_layouts", "page_number", "page_furniture"} & set(publish_data())
    assert not {"folio_indent_chars", "folio_below_text_mm"} & set(publish_data()["word"])
    assert print_data()["closing_layout_for"] == {"sign_off": "sealed", "website": "unsealed"}


@pytest.mark.parametrize("unit", ["某局", "某区科学技术局", "某区科学技术局办", "某某省某某市某某区人民政府办公室"])
def test_unsealed_closing_shifts_the_date_two_characters_right_of_the_unit(unit) -> None:
    day = "2022年1月20日"
    (line,), date_right = closing_lines(unit, day, _params("unsealed"))
    assert line[0] == unit
    unit_right = line[1]
    unit_start, date_start = unit_right + text_width(unit), date_right + text_width(day)
    assert unit_start - date_start == pytest.approx(2)  # 日期首字比署名首字右移二字
    if text_width(day) > text_width(unit):  # GB/T 9704 7.3.5.2: a longer date 右空二字, the unit moves left
        assert date_right == 2 and unit_right > 2
    else:
        assert unit_right == 2  # 署名右空二字


def test_sealed_closing_centres_the_unit_over_a_date_four_characters_in() -> None:
    unit, day = "某区科学技术局", "2022年1月20日"
    ((_, unit_right),), date_right = closing_lines(unit, day, _params("sealed"))
    assert date_right == 4
    assert unit_right + text_width(unit) / 2 == pytest.approx(date_right + text_width(day) / 2)


def test_long_titles_break_after_the_unit_or_between_its_parts() -> None:
    breaks = tuple(print_data()["title_break_after"])
    assert title_lines("某局2021年政府信息公开工作年度报告", "某局", 20, breaks) == (
        "某局2021年政府信息公开工作年度报告",)
    unit = "某某省某某市某某区人民政府办公室（区大数据发展管理局）"
    lines = title_lines(unit + "2021年政府信息公开工作年度报告", unit, 20, breaks)
    assert "".join(lines[:-1]) == unit and all(text_width(line) <= 20 for line in lines)
    assert lines[0].endswith(("政府", "办公室")) or lines[1].startswith("（")


def test_blocks_follow_the_sections_and_sign_off_only_when_asked() -> None:
    report = full_report()
    content = build_content(report)
    headings = [b.text for b in content.blocks if type(b).__name__ == "Heading" and b.level == 1]
    assert headings == [s.heading for s in report.template.sections]
    closing = content.blocks[-1]
    assert type(closing).__name__ == "Closing" and not closing.sealed and not closing.sign_off
    sealed = build_content(report, sign_off=True).blocks[-1]
    assert sealed.sealed and [label for label, _ in sealed.sign_off] == [
        item["label"] for item in print_data()["sign_off"]]


def test_grids_of_tables_2_and_3_are_the_pdfs_cell_for_cell() -> None:
    """One grid builder (core.publish.grids, no ReportLab): the PDF's tables 2, 3 and 4 — after it has
    measured its widths and its figure size — have the very cells of the Word and web versions."""
    from core.pdf.document import Story
    from core.pdf.fonts import FontChooser

    report = full_report()
    story = Story(report, FontChooser(), sign_off=False)
    tables = build_content(report).tables()
    for table_id, pdf_grid in (("table2", story.table2()), ("table3", story.table3()),
                               ("table4", story.table4())):
        ours = tables[table_id]
        assert (ours.rows, ours.cols, ours.header_rows) == (pdf_grid.rows, len(pdf_grid.widths),
                                                            pdf_grid.header_rows)
        want = sorted((c.row, c.col, c.rowspan, c.colspan, c.text, c.align, c.number) for c in pdf_grid.cells)
        got = sorted((c.row, c.col, c.rowspan, c.colspan, c.text, c.align, c.number) for c in ours.cells)
        assert got == want, table_id


def test_table4_header_follows_field_header_in_the_format_data() -> None:
    """Without ``field_header: under_group`` the group labels span down to one row of result heads."""
    import copy
    import dataclasses

    from core.publish.grids import table4

    base = full_report().template
    tpl = dataclasses.replace(base, tables=copy.deepcopy(base.tables))
    fields = tpl.tables["table4"]["fields"]
    official = table4(tpl, lambda ref: "0")
    assert {(c.row, c.col): c.rowspan for c in official.cells if c.header and c.text == fields[0]["label"]} == {
        (1, 0): 2, (2, 5): 1, (2, 10): 1}
    tpl.tables["table4"].pop("field_header")
    plain = table4(tpl, lambda ref: "0")
    heads = {(c.row, c.col): (c.text, c.rowspan) for c in plain.cells if c.header}
    assert heads[(0, 0)] == (tpl.tables["table4"]["groups"][0]["path"][0], 2)  # 行政复议 rows 1–2
    assert [heads[(2, c)][0] for c in range(15)] == [f["label"] for f in fields] * 3


def test_table4_header_is_the_contracts() -> None:
    grid = build_content(full_report()).tables()["table4"]
    heads = {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in grid.cells if c.header}
    groups = full_report().template.tables["table4"]["groups"]
    fields = full_report().template.tables["table4"]["fields"]
    assert heads[(0, 0)] == (groups[0]["path"][0], 1, 5)   # 行政复议: one row, five columns
    assert heads[(0, 5)] == (groups[1]["path"][0], 1, 10)  # 行政诉讼: one row, ten columns
    assert [heads[(1, c)] for c in range(5)] == [(f["label"], 2, 1) for f in fields]  # rows 2-3
    assert heads[(1, 5)] == (groups[1]["label"], 1, 5) and heads[(1, 10)] == (groups[2]["label"], 1, 5)
    assert [heads[(2, c)][0] for c in range(5, 15)] == [f["label"] for f in fields] * 2
    assert (grid.rows, grid.cols, grid.header_rows) == (4, 15, 3)


@pytest.mark.parametrize("text", ["一是\r\n\u3000\u3000二是\t三\x07是\u200b。\n\n  ", "", "无", " \u00a0甲\r乙"])
def test_paragraphs_and_numbers_print_as_in_the_pdf(text) -> None:
    from decimal import Decimal

    from core.pdf import document as pdf
    from core.publish import content

    assert content.paragraphs(text) == pdf.paragraphs(text)
    for value in (0, 7, Decimal(0), Decimal("0.0000"), Decimal("24252.311082"), Decimal("32.80")):
        assert content.format_value(value) == pdf.format_value(value)
    assert content.print_data() is pdf.print_data()


def test_word_and_web_exports_do_not_load_the_pdf_engine(tmp_path) -> None:
    """ReportLab costs ≈ 80 ms of CPU per process: the Word and web exports must not pay it."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from core.sample import full_report\n"
            "from core.publish.docx import report_docx\n"
            "from core.publish.html import report_html\n"
            "report_docx(full_report()); report_html(full_report())\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab'))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("sign_off", [False, True])
def test_a_long_unit_in_the_closing_breaks_between_its_parts_as_in_the_pdf(sign_off) -> None:
    """Word and the web take the PDF's 落款 lines: a unit too long for its room breaks after a level of
    government, never inside a word (综合/行政执法局), each line placed as the layout says."""
    report = full_report()
    report.unit = "某某省某某市某某县综合行政执法局"
    closing = build_content(report, sign_off=sign_off).blocks[-1]
    lines = [text for text, _ in closing.unit_lines]
    # Sealed: a line may reach twice the room right of the date's centre; unsealed has 23 characters.
    assert "".join(lines) == report.unit and len(lines) == (2 if sign_off else 1)
    assert lines[-1].endswith("综合行政执法局") and lines[0].endswith(("省", "市", "县", "局"))
    date_mid = closing.date_right + text_width(closing.date) / 2
    for text, right in closing.unit_lines:
        if sign_off:  # each line centred over the date
            assert right + text_width(text) / 2 == pytest.approx(date_mid)
        else:  # right-aligned, 右空二字
            assert right == pytest.approx(2)
