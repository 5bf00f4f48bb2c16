"""Reading published reports (web page, Word, PDF) back into the format's cells: exactly, or named."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.cli import main
from core.exchange import read_report
from core.ingest.labels import LabelSet, ingest_data, normalize
from core.ingest.pdf import _mend_wrapped
from core.ingest.readers import read_published
from core.ingest.source import Table
from core.template import load_template
from tests.ingest_pages import SAMPLES, expected_cells, fill_word_template, report_page, sample_values

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples/published 不在仓库旁边")


def _read(path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, dict]:
    code = main(["read", str(path), "-o", str(out), "--json"])
    summary = json.loads(capsys.readouterr().out)
    return code, json.loads(out.read_text("utf-8")), summary


def _numbers(cells: dict[str, str]) -> dict[str, Decimal]:
    return {ref: Decimal(v) for ref, v in cells.items()}


# -- the published samples: every table cell exactly as transcribed --------------------------


@needs_samples
@pytest.mark.parametrize("name", ["pingtan-2024.html", "pingtan-2025.html", "hongze-2024.pdf"])
def test_samples_read_every_cell_exactly(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, summary = _read(SAMPLES / name, tmp_path / "out.json", capsys)
    expected = json.loads((SAMPLES / name).with_suffix(".expected.json").read_text("utf-8"))
    assert code == 0 and summary["complete"] and summary["unread"] == []
    assert _numbers(expected_cells(doc)) == _numbers(expected_cells(expected))
    assert (doc["unit"], doc["year"]) == (expected["unit"], expected["year"])
    # The exchange file written is one the program itself reads back.
    report = read_report(tmp_path / "out.json")
    assert report.values["table2.fees"] == Decimal(str(expected["table2"]["fees"]))


@needs_samples
def test_six_decimal_fee_is_kept_as_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, doc, _ = _read(SAMPLES / "pingtan-2025.html", tmp_path / "out.json", capsys)
    assert doc["table2"]["fees"] == "4166.241619"


@needs_samples
def test_merged_other_row_in_the_pdf_goes_to_other_with_a_note(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    _, doc, summary = _read(SAMPLES / "hongze-2024.pdf", tmp_path / "out.json", capsys)
    other_group = load_template().tables["table3"]["rows"][-3]["path"][-2]
    assert any(other_group in note for note in summary["notes"])
    assert doc["table3"]["other_other"]["natural"] == 0 and doc["table3"]["other_fee_unpaid"]["natural"] == 0


@needs_samples
def test_prose_is_split_into_the_sections_and_parts(tmp_path: Path) -> None:
    result = read_published(SAMPLES / "hongze-2024.pdf")
    expected = json.loads((SAMPLES / "hongze-2024.expected.json").read_text("utf-8"))
    texts = result.report.texts
    assert texts["text.overview.active"] == expected["text"]["overview"]["active"]
    assert texts["text.overview.supervision"] == expected["text"]["overview"]["supervision"]
    assert texts["text.other_matters"] == expected["text"]["other_matters"]
    assert texts["text.problems"] == expected["text"]["problems"]


@needs_samples
def test_blank_word_template_reads_as_a_report_with_every_cell_noted_blank(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, summary = _read(SAMPLES / "template-2021-blank.docx", tmp_path / "out.json", capsys)
    tpl = load_template()
    assert code == 0
    assert sorted(summary["zero_from_blank"]) == sorted(tpl.cells)  # every input cell: noted, not invented
    assert all(v in ("0", "0.0", "0.000000", "0") for v in expected_cells(doc).values())
    assert "total" not in doc["table3"]["granted"]  # a blank printed total is no typed total
    assert any("空白" in note for note in summary["notes"])


@needs_samples
def test_word_file_filled_with_python_docx_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = sample_values("pingtan-2025")
    path = tmp_path / "filled.docx"
    fill_word_template(values, SAMPLES / "template-2021-blank.docx", path)

    code, doc, summary = _read(path, tmp_path / "out.json", capsys)
    assert code == 0 and summary["zero_from_blank"] == []
    assert _numbers(expected_cells(doc)) == _numbers(values)
    assert (doc["unit"], doc["year"]) == ("某区科学技术局", 2025)


@needs_samples
def test_word_file_with_its_tables_inside_a_layout_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    values = sample_values("pingtan-2025")
    filled = tmp_path / "filled.docx"
    fill_word_template(values, SAMPLES / "template-2021-blank.docx", filled)
    document = docx.Document(str(filled))
    body = document.element.body
    content = [el for el in body if not el.tag.endswith("sectPr")]
    outer = document.add_table(rows=1, cols=1)  # as Word saves a web page: the article in one cell
    cell = outer.cell(0, 0)._tc
    for el in content:
        cell.append(el)
    cell.append(cell.makeelement(cell.tag.replace("tc", "p"), {}))  # a cell ends with a paragraph
    path = tmp_path / "wrapped.docx"
    document.save(str(path))

    code, doc, _ = _read(path, tmp_path / "out.json", capsys)
    assert code == 0 and _numbers(expected_cells(doc)) == _numbers(values)
    assert doc["unit"] == "某区科学技术局"


# -- web pages: encodings, CMS wrappers, variants -------------------------------------------


@needs_samples
@pytest.mark.parametrize("declared", ["gbk", None])
def test_gbk_copy_of_a_page_reads_the_same(declared: str | None, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    text = (SAMPLES / "pingtan-2024.html").read_text("utf-8")
    text = text.replace('charset="utf-8"', f'charset="{declared}"' if declared else "")
    assert ("charset=" in text) == bool(declared)
    path = tmp_path / "page.html"
    path.write_bytes(text.encode("gbk", errors="xmlcharrefreplace"))
    code, doc, _ = _read(path, tmp_path / "out.json", capsys)
    expected = json.loads((SAMPLES / "pingtan-2024.expected.json").read_text("utf-8"))
    assert code == 0 and _numbers(expected_cells(doc)) == _numbers(expected_cells(expected))
    assert doc["unit"] == expected["unit"]


def test_page_without_known_wrapper_is_found_by_its_headings(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    values = sample_values()
    path = tmp_path / "page.html"
    path.write_text(report_page(values, wrapper="<div class=\"wz_nr\">"), "utf-8")
    code, doc, _ = _read(path, tmp_path / "out.json", capsys)
    assert code == 0 and _numbers(expected_cells(doc)) == _numbers(values)
    assert doc["text"]["other_matters"] == "本年度未收取信息处理费。"  # the site's footer stays out
    assert doc["text"]["overview"]["active"] == "本部分文字。"


def test_word_pasted_markup_is_tolerated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = sample_values()

    def wordish(m: re.Match[str]) -> str:  # every character its own span, Word's <o:p> after
        spans = "".join(f'<span lang=EN-US style="font-size:9pt">{ch}</span>' for ch in m.group(2))
        return f"<td{m.group(1)}><p class=MsoNormal align=center>{spans}<o:p></o:p></p></td>"

    page = re.sub(r"<td([^>]*)><p>([^<&]*)</p></td>", wordish, report_page(values))
    assert "<o:p>" in page
    path = tmp_path / "page.html"
    path.write_text('<html xmlns:o="urn:schemas-microsoft-com:office:office">' + page[page.index("<head>"):],
                    "utf-8")
    code, doc, _ = _read(path, tmp_path / "out.json", capsys)
    assert code == 0 and _numbers(expected_cells(doc)) == _numbers(values)


def test_table_split_in_two_on_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Copied from a paginated source: table 3 cut inside a group, its rowspan labels left behind."""
    values = sample_values()
    tpl = load_template()
    page = report_page(values)
    cut_label = html.escape(tpl.table3_rows()[8]["path"][-1])  # inside the third group
    at = page.rindex("<tr>", 0, page.index(cut_label))
    path = tmp_path / "page.html"
    path.write_text(page[:at] + "</table><p>（续表）</p><table>" + page[at:], "utf-8")
    code, doc, summary = _read(path, tmp_path / "out.json", capsys)
    assert code == 0, summary["problems"]
    assert _numbers(expected_cells(doc)) == _numbers(values)


@pytest.mark.parametrize(("sign_off", "day"), [
    (("某区科学技术局", "2026年1月20日"), "2026-01-20"),
    (("某区科学技术局", "二〇二六年一月二十日"), "2026-01-20"),
    (("2026年1月9日",), "2026-01-09"),
])
def test_sign_off_is_the_date_not_prose(sign_off: tuple[str, ...], day: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.html"
    path.write_text(report_page(sample_values(), sign_off=sign_off), "utf-8")
    _, doc, _ = _read(path, tmp_path / "out.json", capsys)
    assert doc["published_on"] == day
    assert doc["text"]["other_matters"] == "本年度未收取信息处理费。"


def test_merged_other_row_on_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = sample_values()
    path = tmp_path / "page.html"
    path.write_text(report_page(values, merged_other=True), "utf-8")
    code, doc, summary = _read(path, tmp_path / "out.json", capsys)
    assert code == 0
    for col in ("natural", "commercial", "total"):
        assert doc["table3"]["other_other"][col] == int(values[f"table3.other_other.{col}"])
        assert doc["table3"]["other_no_correction"][col] == 0
    assert any("按 0 读取" in n and "印为一行" in n for n in summary["notes"])


def test_slash_and_dash_cells_read_as_zero_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = sample_values()
    marks = {"table2.regulations.made": "/", "table3.denied_state_secret.natural": "—",
             "table4.review.other": "", "table2.fees": "无", "table3.granted.research": "／"}
    path = tmp_path / "page.html"
    path.write_text(report_page(values, text_of=lambda ref, v: marks.get(ref, v)), "utf-8")
    code, doc, summary = _read(path, tmp_path / "out.json", capsys)
    assert code == 0
    assert sorted(summary["zero_from_blank"]) == sorted(marks)
    assert doc["table2"]["regulations"]["made"] == 0 and doc["table2"]["fees"] == "0"
    assert doc["table3"]["denied_state_secret"]["natural"] == 0
    assert any("按 0 读取" in n for n in summary["notes"])


def test_label_variants_and_widths_are_tolerated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = sample_values()
    aliases = ingest_data().label_aliases
    variant = {label: alts[0] for label, alts in aliases.items()}

    def label_of(label: str) -> str:
        label = variant.get(label, label)  # the listed variants
        label = re.sub(r"（[^（）]*）$", "", label) or label  # a trailing note left out
        label = re.sub(r"^(\d+)\.", r"(\1)", label)  # (1) for 1.
        return label.replace("（", "(").replace("）", ") ")  # half-width brackets, spaces

    full_width = str.maketrans("0123456789", "０１２３４５６７８９")

    def text_of(ref: str, value: str) -> str:
        if ref == "table2.fees":
            return value + "万元"
        return value.translate(full_width) if ref.startswith("table4") else value

    path = tmp_path / "page.html"
    path.write_text(report_page(values, label_of=label_of, text_of=text_of,
                                title="某区科学技术局关于2025年政府信息公开工作年度报告"), "utf-8")
    code, doc, _ = _read(path, tmp_path / "out.json", capsys)
    assert code == 0 and _numbers(expected_cells(doc)) == _numbers(values)
    assert doc["unit"] == "某区科学技术局"


def test_unreadable_cells_are_left_out_and_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = sample_values()
    odd = {"table3.granted.natural": "约50", "table2.licensing": "12 34"}
    path = tmp_path / "page.html"
    path.write_text(report_page(values, text_of=lambda ref, v: odd.get(ref, v)), "utf-8")
    code, doc, summary = _read(path, tmp_path / "out.json", capsys)
    assert code == 1
    assert sorted(summary["unread"]) == sorted(odd)
    assert "natural" not in doc["table3"]["granted"] and "licensing" not in doc["table2"]
    assert any("约50" in p for p in summary["problems"])
    # Everything else is still exact.
    rest = {k: v for k, v in values.items() if k not in odd}
    assert _numbers({k: v for k, v in expected_cells(doc).items() if k in rest}) == _numbers(rest)


def test_a_missing_row_is_named_not_invented(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = sample_values()
    tpl = load_template()
    strange = tpl.tables["table3"]["rows"][4]["path"][-1]  # a row label nobody could recognise
    path = tmp_path / "page.html"
    path.write_text(report_page(values, label_of=lambda label: "甲乙丙丁" if label == strange else label), "utf-8")
    code, doc, summary = _read(path, tmp_path / "out.json", capsys)
    row_id = tpl.tables["table3"]["rows"][4]["id"]
    assert code == 1
    assert {f"table3.{row_id}.{c}" for c in ("natural", "commercial", "other_org")} <= set(summary["unread"])
    assert any("甲乙丙丁" in p for p in summary["problems"])
    assert row_id not in doc["table3"] or "natural" not in doc["table3"][row_id]


# -- not a report of this format ------------------------------------------------------------


def test_page_that_is_not_a_report_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "news.html"
    path.write_text("<html><body><table><tr><td>姓名</td><td>电话</td></tr><tr><td>张三</td><td>123</td></tr>"
                    "</table><p>通知公告</p></body></html>", "utf-8")
    assert main(["read", str(path), "-o", str(tmp_path / "out.json")]) == 2
    assert "不是" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def _pdf(path: Path, draw) -> None:  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    draw(c)
    c.showPage()
    c.save()


def test_pdf_that_is_not_a_report_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "letter.pdf"
    _pdf(path, lambda c: c.drawString(72, 700, "Meeting notes 2025: nothing about reports."))
    assert main(["read", str(path), "-o", str(tmp_path / "out.json")]) == 2
    assert "不是" in capsys.readouterr().err


def test_scanned_pdf_is_refused_with_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "scan.pdf"
    _pdf(path, lambda c: c.rect(72, 72, 400, 600, fill=1))
    assert main(["read", str(path), "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert "没有文字" in err and "扫描" in err


@pytest.mark.parametrize("content", [b"", b"\x00\x01garbage", b"%PDF-1.4 broken"])
def test_damaged_files_exit_2_with_chinese(content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for suffix in (".pdf", ".docx", ".html"):
        path = tmp_path / f"bad{suffix}"
        path.write_bytes(content)
        assert main(["read", str(path), "-o", str(tmp_path / "out.json")]) == 2, suffix
        err = capsys.readouterr().err
        assert err.strip() and "Traceback" not in err


def test_missing_file_and_unknown_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read", str(tmp_path / "nope.html"), "-o", str(tmp_path / "o.json")]) == 2
    assert "不存在" in capsys.readouterr().err
    (tmp_path / "a.txt").write_text("x", "utf-8")
    assert main(["read", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.json")]) == 2
    assert ".docx" in capsys.readouterr().err


# -- import ---------------------------------------------------------------------------------


def test_import_accepts_a_published_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(report_page(sample_values()), "utf-8")
    data = tmp_path / "data"
    assert main(["import", str(page), "--data-dir", str(data)]) == 0
    assert "某区科学技术局" in capsys.readouterr().out
    assert main(["list", "--data-dir", str(data)]) == 0
    assert "2025年度" in capsys.readouterr().out


def test_import_with_one_bad_published_file_imports_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(report_page(sample_values()), "utf-8")
    bad = tmp_path / "scan.pdf"
    _pdf(bad, lambda c: c.rect(72, 72, 400, 600, fill=1))
    data = tmp_path / "data"
    assert main(["import", str(page), str(bad), "--data-dir", str(data)]) == 2
    assert "未导入任何文件" in capsys.readouterr().err
    assert not data.exists()


# -- the pieces -----------------------------------------------------------------------------


def test_label_matching_tolerates_a_typo_but_never_guesses() -> None:
    tpl = load_template()
    labels = LabelSet(ingest_data())
    rows = tpl.table3_rows()
    for row in rows:
        labels.add(row["path"][-1], row["id"])
    target = rows[5]["path"][-1]  # 2.其他法律行政法规禁止公开
    assert labels.match(target.replace("法规禁", "")) == rows[5]["id"]       # a dropped word
    assert labels.match(target[:2] + " " + target[2:]) == rows[5]["id"]        # a space
    assert labels.match("9" + target[1:]) is None                              # another item's number
    assert labels.match("其他") is None and labels.match("甲乙丙丁戊") is None
    assert normalize("（一）予以 公开") == normalize("(一)予以公开")


def test_wrapped_label_joined_to_its_numbers_on_the_next_line() -> None:
    table = Table.from_rows([
        ["一、本年新收", "", ""],
        ["", "3", "4"],
        ["二、上年结转", "0", "0"],
    ])
    mended = _mend_wrapped(table)
    assert mended.rows == [["一、本年新收", "3", "4"], ["二、上年结转", "0", "0"]]
    # A header above a row of numbers in the same columns is not a wrapped label.
    header = Table.from_rows([["甲", "乙"], ["1", "2"]])
    assert _mend_wrapped(header).rows == header.rows
