"""The Word document: GB/T 9704 page, named styles with East-Asian faces, real tables with the official
merged cells read back by python-docx, page numbers, draft header, 落款, and LibreOffice's reading."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn

from core.cli import main
from core.exchange import write_report
from core.pdf import FinalRefused
from core.pdf.document import print_data
from core.plugins import ExportOptions, exporter
from core.publish.content import build_content, publish_data
from core.publish.docx import LINE_TWIPS, report_docx
from core.sample import full_report
from tests.publish_readback import BLANK_TEMPLATE, docx_tables, expected, squash, topology

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _write(tmp_path, report=None, **options) -> tuple:
    report = report or full_report()
    out = tmp_path / "r.docx"
    result = exporter("docx").write(report, out, ExportOptions(**options))
    return out, Document(str(out)), result


def _broken(report=None):
    report = report or full_report()
    report.values["table3.new_received.natural"] += 5  # the identity no longer holds: an error
    return report


def test_page_setup_is_gb9704_with_22_lines(tmp_path) -> None:
    _out, doc, _ = _write(tmp_path)
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        37, 35, 28, 26]
    body = doc.styles[publish_data()["word"]["styles"]["body"]["name"]]
    fmt = body.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    text_height = sec.page_height - sec.top_margin - sec.bottom_margin
    assert int(text_height / fmt.line_spacing) == 22  # 22 lines fit, a 23rd does not
    assert fmt.line_spacing.twips == LINE_TWIPS
    assert body.font.size.pt == 16 and fmt.first_line_indent.pt == 32  # 三号, two characters


def test_named_styles_carry_the_official_faces(tmp_path) -> None:
    _out, doc, _ = _write(tmp_path)
    styles = publish_data()["word"]["styles"]
    for key in ("title", "heading1", "heading2", "body", "closing"):
        spec = styles[key]
        style = doc.styles[spec["name"]]
        fonts = style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == spec["east_asia"]
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    used = {p.style.name for p in doc.paragraphs if p.text.strip()}
    assert {styles[k]["name"] for k in ("title", "heading1", "heading2", "body", "closing")} <= used
    assert doc.styles[styles["title"]["name"]].font.size.pt == 22  # 二号


def test_paragraphs_follow_the_report_in_order(tmp_path) -> None:
    report = full_report()
    _out, doc, _ = _write(tmp_path, report)
    content = build_content(report)
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    headings = [s.heading for s in report.template.sections]
    positions = [texts.index(h) for h in headings]
    assert positions == sorted(positions)
    assert texts[0].replace("\n", "") == report.effective_title
    assert report.texts["text.problems"].splitlines()[0].strip() in texts
    assert texts[-2:] == [report.unit, content.blocks[-1].date]


def test_tables_read_back_cell_by_cell_into_the_official_grid(tmp_path) -> None:
    report = full_report()
    out, _doc, _ = _write(tmp_path, report)
    grids = build_content(report).tables()
    read = docx_tables(out)
    assert len(read) == 3
    for got, grid in zip(read, grids.values(), strict=True):
        # A line break inside a label (商业/企业) is how the cell is set, not what it says.
        assert {pos: (r, c, text.replace("\n", "")) for pos, (r, c, text) in got.items()} == expected(grid), grid.id
    # Spot checks against the contract, read from the file: 三、本年度办理结果 over 22 rows,
    # 行政复议 over one row and five columns, its 结果维持 over rows 2-3.
    t3, t4 = read[1], read[2]
    result_anchor = t3[(5, 0)][:2]
    assert sum(1 for pos, a in t3.items() if a[:2] == result_anchor) == 22
    assert {pos for pos, a in t4.items() if a[:2] == (0, 0)} == {(0, c) for c in range(5)}
    assert {pos for pos, a in t4.items() if a[:2] == (1, 0)} == {(1, 0), (2, 0)}
    assert t3[(3, 9)][2] == str(report.get("table3.new_received.total"))


def test_labels_break_only_between_words(tmp_path) -> None:
    """Word breaks Chinese anywhere (商业企/业 in a narrow column): labels too wide for their cell are
    broken with line breaks at the format data's word boundaries (label_breaks), and only there."""
    report = full_report()
    out, _doc, _ = _write(tmp_path, report)
    broken = 0
    for got, grid in zip(docx_tables(out), build_content(report).tables().values(), strict=True):
        for (r, c), (ar, ac, text) in got.items():
            if (r, c) != (ar, ac) or "\n" not in text:
                continue
            label = text.replace("\n", "")
            assert label in grid.breaks, label
            cuts = {len("".join(text.split("\n")[:k])) for k in range(1, text.count("\n") + 1)}
            assert cuts <= grid.breaks[label], text
            broken += 1
    assert broken >= 10  # 商业/企业, 科研/机构 … and table 4's 结果/维持 …


@pytest.mark.skipif(not BLANK_TEMPLATE.is_file(), reason="../shared/samples/published/template-2021-blank.docx absent")
def test_labels_break_where_the_blank_template_breaks_them(tmp_path) -> None:
    out, _doc, _ = _write(tmp_path)
    for mine, blank in zip(docx_tables(out), docx_tables(BLANK_TEMPLATE), strict=True):
        for pos, (ar, ac, text) in blank.items():
            if (ar, ac) == pos and "\n" in text.strip():  # 商业/企业, 科研/机构 in separate lines
                assert mine[pos][2] == text.strip(), pos


@pytest.mark.skipif(not BLANK_TEMPLATE.is_file(), reason="../shared/samples/published/template-2021-blank.docx absent")
def test_merged_cells_are_those_of_the_blank_template_offices_use(tmp_path) -> None:
    out, _doc, _ = _write(tmp_path)
    ours, theirs = docx_tables(out), docx_tables(BLANK_TEMPLATE)
    assert len(theirs) == 3
    for k, (mine, blank) in enumerate(zip(ours, theirs, strict=True)):
        assert topology(mine) == topology(blank), f"table {k + 2}"
        for pos, (ar, ac, text) in blank.items():
            if squash(text) and (ar, ac) == pos:  # the blank's labels, where it has one
                assert squash(mine[pos][2]) == squash(text), (k + 2, pos)


def test_header_rows_repeat_borders_everywhere_numbers_centred(tmp_path) -> None:
    _out, doc, _ = _write(tmp_path)
    grids = build_content(full_report()).tables()
    for table, grid in zip(doc.tables, grids.values(), strict=True):
        tbl = table._tbl
        rows = tbl.tr_lst
        repeated = [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in rows]
        assert repeated == [r < grid.header_rows for r in range(grid.rows)], grid.id
        borders = tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.tag.split("}")[1]: b.get(qn("w:val")) for b in borders} == {
            s: "single" for s in ("top", "left", "bottom", "right", "insideH", "insideV")}
        numbers = {(c.row, c.col) for c in grid.cells if c.number}
        for r, c in numbers:
            para = table.cell(r, c).paragraphs[0]
            assert para.paragraph_format.alignment == 1  # centred
    assert doc.tables[1]._tbl.tr_lst[0].trPr.find(qn("w:cantSplit")) is not None


def test_page_numbers_are_page_fields_odd_right_even_left(tmp_path) -> None:
    _out, doc, _ = _write(tmp_path)
    settings = doc.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    sec = doc.sections[0]
    furniture = print_data()["page_furniture"]
    before, _, after = furniture["page_number"].partition("{n}")
    folio = publish_data()["word"]["styles"]["folio"]
    for footer, side in ((sec.footer, "right"), (sec.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(W + "instrText"))
        assert p.text.startswith(before) and p.text.endswith(after)
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == side
        assert p.style.font.size.pt == furniture["page_number_size_pt"] == 14  # 四号, the PDF's size
        fonts = p.style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii")) == folio["east_asia"]
        assert 'fldCharType="begin"' in xml and 'fldCharType="end"' in xml


def test_a_draft_with_errors_gets_a_header_line_and_final_refuses(tmp_path) -> None:
    note = print_data()["draft_note"]
    _out, doc, result = _write(tmp_path, _broken())
    assert result.draft
    assert [p.text for p in doc.sections[0].header.paragraphs] == [note]
    assert [p.text for p in doc.sections[0].even_page_header.paragraphs] == [note]
    _out, clean, result = _write(tmp_path)
    assert not result.draft and not "".join(p.text for p in clean.sections[0].header.paragraphs)
    with pytest.raises(FinalRefused):
        report_docx(_broken(), final=True)


def test_cli_docx_final_refuses_without_writing(tmp_path, capsys) -> None:
    write_report(_broken(), tmp_path / "bad.json")
    out = tmp_path / "bad.docx"
    assert main(["docx", str(tmp_path / "bad.json"), "-o", str(out), "--final",
                 "--data-dir", str(tmp_path / "store")]) == 1
    assert not out.exists()
    assert main(["docx", str(tmp_path / "bad.json"), "-o", str(out), "--data-dir", str(tmp_path / "store")]) == 1
    assert zipfile.is_zipfile(out)
    write_report(full_report(), tmp_path / "ok.json")
    assert main(["docx", str(tmp_path / "ok.json"), "--data-dir", str(tmp_path / "store")]) == 0
    assert list(tmp_path.glob("*年度报告.docx"))


def _closing(doc):
    closing = publish_data()["word"]["styles"]["closing"]["name"]
    return [p for p in doc.paragraphs if p.style.name == closing]


def test_closing_unsealed_by_default_sealed_with_sign_off(tmp_path) -> None:
    report = full_report()
    _out, doc, _ = _write(tmp_path, report)
    unit, day = _closing(doc)
    size = 16
    # Unsealed (GB/T 9704 7.3.5.2): unit 右空二字 or more, the date's first character two characters
    # right of the unit's first character.
    unit_start = unit.paragraph_format.right_indent.pt / size + len(report.unit)
    assert unit.paragraph_format.right_indent.pt >= 2 * size - 0.5
    date_width = sum(1 if ord(ch) > 0x2E80 else 0.5 for ch in day.text)
    date_start = day.paragraph_format.right_indent.pt / size + date_width
    assert unit_start - date_start == pytest.approx(2, abs=0.05)
    sign_labels = [item["label"] for item in print_data()["sign_off"]]
    assert not any(label in p.text for p in doc.paragraphs for label in sign_labels)

    _out, sealed, _ = _write(tmp_path, report, sign_off=True)
    unit, day, sign = _closing(sealed)
    assert day.paragraph_format.right_indent.pt == pytest.approx(4 * size)  # 右空四字
    unit_mid = unit.paragraph_format.right_indent.pt / size + len(report.unit) / 2
    day_mid = day.paragraph_format.right_indent.pt / size + date_width / 2
    assert unit_mid == pytest.approx(day_mid, abs=0.05)  # the unit centred over the date
    assert all(label in sign.text for label in sign_labels)


def test_user_markup_and_controls_are_plain_text(tmp_path) -> None:
    report = full_report()
    report.unit = "某区<b>科学</b>&技术局"
    report.title = "<i>标题</i> & 年报\x07"
    report.texts["text.problems"] = "一是 <script>alert(1)</script> & 没有问题]]>\x01 的问题需要改进。"
    _out, doc, _ = _write(tmp_path, report)
    texts = [p.text for p in doc.paragraphs]
    assert "<i>标题</i> & 年报" in [t.replace("\n", "") for t in texts]
    assert "一是 <script>alert(1)</script> & 没有问题]]> 的问题需要改进。" in texts
    assert report.unit in texts


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None,
                    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui")
def test_libreoffice_reads_it_and_pages_match_the_pdf(tmp_path) -> None:
    from pypdf import PdfReader

    report = full_report()
    docx_path, _doc, _ = _write(tmp_path, report)
    pdf = exporter("pdf").write(report, tmp_path / "ours.pdf", ExportOptions())
    outdir = tmp_path / "lo"
    run = subprocess.run([_soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)],
                         capture_output=True, text=True, timeout=170, check=False)
    converted = outdir / "r.pdf"
    assert run.returncode == 0 and converted.is_file(), run.stderr
    reader = PdfReader(str(converted))
    assert abs(len(reader.pages) - pdf.pages) <= 1
    text = "".join(page.extract_text() for page in reader.pages)
    for section in report.template.sections:
        assert section.heading in text


def test_a_line_holds_28_characters_and_a_long_sign_off_still_fits(tmp_path) -> None:
    from core.publish.docx import CHARS_PER_LINE, TEXT_W_TWIPS

    _out, doc, _ = _write(tmp_path, full_report(), sign_off=True)
    body = doc.styles[publish_data()["word"]["styles"]["body"]["name"]]
    condense = int(body.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert CHARS_PER_LINE * (16 + condense) <= TEXT_W_TWIPS / 20 < (CHARS_PER_LINE + 1) * (16 + condense)
    sign = _closing(doc)[-1]
    sizes = {r.font.size.pt for r in sign.runs}
    chars = sum(1 if ord(ch) > 0x2E80 else 0.5 for ch in sign.text)
    assert len(sizes) == 1 and chars * sizes.pop() <= TEXT_W_TWIPS / 20


def test_a_long_unit_breaks_the_title_between_its_parts(tmp_path) -> None:
    report = full_report()
    report.unit = "某某省某某市某某区人民政府办公室（区大数据发展管理局）"
    _out, doc, _ = _write(tmp_path, report)
    title = doc.paragraphs[0]
    assert title.text.replace("\n", "") == report.effective_title
    assert len(title.text.split("\n")) == 3



def test_a_title_that_only_just_fits_breaks_after_the_unit(tmp_path) -> None:
    """区科技局2021年度政府信息公开工作年度报告 fills a 二号 line to 0.1 character: with Word's Latin
    figures its last character went alone to a second line. It breaks after the unit instead, and Word
    adds no automatic space between hanzi and figures (the PDF adds none either)."""
    from core.sample import seed_report

    report = seed_report()
    _out, doc, _ = _write(tmp_path, report)
    title = doc.paragraphs[0]
    assert title.text.split("\n") == [report.unit, report.effective_title[len(report.unit):]]
    normal = doc.styles["Normal"].element.pPr
    assert [normal.find(qn(f"w:autoSpace{k}")).get(qn("w:val")) for k in ("DE", "DN")] == ["0", "0"]


# ECMA-376 sequences (transitional) of the property elements the writer emits: Word refuses a file whose
# children are out of this order ("unreadable content"), although LibreOffice and python-docx accept it.
_ORDER = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"],
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
            "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
            "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
            "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"],
    # Header and footer references are one choice group: any order among themselves.
    "sectPr": ["headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings"],
}


def test_properties_are_in_the_order_word_requires(tmp_path) -> None:
    from lxml import etree

    out, _doc, _ = _write(tmp_path, _broken(), sign_off=True)
    with zipfile.ZipFile(out) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        checked = 0
        for name in parts:
            root = etree.fromstring(z.read(name))
            for tag, order in _ORDER.items():
                for element in root.iter(W + tag):
                    children = [c.tag.split("}")[1] for c in element if c.tag.startswith(W)]
                    children = [c if c in order else next((o for o in order if c in o.split("|")), c)
                                for c in children]
                    positions = [order.index(c) for c in children if c in order]
                    assert [c for c in children if c not in order] == [], (name, tag, children)
                    assert positions == sorted(positions), (name, tag, children)
                    checked += 1
    assert checked > 500
