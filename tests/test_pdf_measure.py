"""The PDF measured from its character boxes (issue 12): what a supervisor holds a ruler to."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from core.model import Report
from core.pdf import FinalRefused, render_pdf, render_pdf_bytes
from core.pdf.document import BODY_SIZE, LEADING, TRACKING, label_breaks, print_data
from core.sample import full_report, seed_report
from core.template import load_template

TPL = load_template()
MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, (28 + 156) * MM, 37 * MM, (37 + 225) * MM
CHAR = BODY_SIZE + TRACKING
URL = "http://www.example.gov.cn/xxgk/zfxxgknb/2022-01/t20220120_1234567890.html"
LONG_UNIT = "某某省某某市某某区人民政府办公室（区大数据发展管理局）"


@dataclass
class TextLine:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str
    chars: list[dict]


def _lines(pdf: bytes, tail: int | None = None) -> list[list[TextLine]]:
    """Each page's lines of text, top to bottom (chars grouped by baseline and size); with
    ``tail``, only the last pages are read (the others are empty lists)."""
    pages: list[list[TextLine]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for n, page in enumerate(doc.pages):
            if tail is not None and n < len(doc.pages) - tail:
                pages.append([])
                continue
            rows: dict[tuple[float, float], list[dict]] = {}
            for ch in page.chars:
                # The draft mark (120 pt) and its note above the text block are not the report.
                if ch["text"].isspace() or ch["size"] > 30 or ch["bottom"] < TOP - 2:
                    continue
                key = (round(ch["bottom"], 0), round(ch["size"], 1))
                rows.setdefault(key, []).append(ch)
            lines = []
            for (_, size), chars in rows.items():
                chars.sort(key=lambda c: c["x0"])
                lines.append(TextLine(n, min(c["top"] for c in chars), max(c["bottom"] for c in chars),
                                      chars[0]["x0"], chars[-1]["x1"], size, "".join(c["text"] for c in chars), chars))
            pages.append(sorted(lines, key=lambda ln: (ln.top, ln.x0)))
    return pages


def _body(lines: list[TextLine]) -> list[TextLine]:
    """Lines of the text block in the body size (prose, headings, 落款), not the folio or tables."""
    return [ln for ln in lines if abs(ln.size - BODY_SIZE) < 0.3 and ln.bottom < BOTTOM + 1]


def _balanced(report: Report) -> Report:
    """Re-balance table 3 after changing values, so the report has no errors."""
    t3 = TPL.tables["table3"]
    cols = [c["id"] for c in t3["columns"] if not c.get("computed")]
    results = [r["id"] for r in t3["rows"] if r.get("result")]
    for c in cols:
        processed = sum(report.values[f"table3.{r}.{c}"] for r in results)
        report.values[f"table3.new_received.{c}"] = (
            processed + report.values[f"table3.carried_forward.{c}"] - report.values[f"table3.carried_over.{c}"])
    return report


def long_report(extra_lines: int = 0, *, unit: str = LONG_UNIT) -> Report:
    """A long report: URLs in （四）, a long unit name, nine- and ten-digit figures, more prose in 五."""
    report = full_report()
    report.unit = unit
    report.texts["text.overview.platform"] = (
        f"我局在门户网站{URL}发布年度报告，并在政务新媒体同步推送。" * 2)
    report.values["table3.granted.natural"] = 999_999_999
    report.values["table3.granted.commercial"] = 999_999_998
    report.values["table4.review.upheld"] = 999_999_999
    report.values["table2.licensing"] = 999_999_999
    # Each paragraph is one line, so the last section grows a line at a time.
    line = "无其他需要报告的事项，本单位持续推进标准化规范化。"
    report.texts["text.other_matters"] = "\n".join([line] * (1 + extra_lines))
    return _balanced(report)


def _closing_lines(report: Report, pages: list[list[TextLine]]) -> list[TextLine]:
    last = _body(pages[-1])
    date_line = next(i for i, ln in enumerate(last) if ln.text.endswith("日") and "年" in ln.text)
    first_unit = date_line
    while first_unit > 0 and last[first_unit - 1].text in report.unit:
        first_unit -= 1
    return last[first_unit:date_line + 1]


_RENDERED: dict[int, tuple[Report, bytes]] = {}


def _long(extra: int) -> tuple[Report, bytes]:
    if extra not in _RENDERED:
        report = long_report(extra)
        _RENDERED[extra] = (report, render_pdf_bytes(report)[0])
    return _RENDERED[extra]


def _page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def at_page_bottom() -> tuple[int, int, int]:
    """Grow the long report's last section a line at a time. Returns the lengths where (a) text and
    落款 fill the page exactly, (b) the 落款 first no longer fits, (c) the text alone ends on the
    page's last line."""
    pages = _page_count(_long(0)[1])
    for extra in range(1, 40):
        if _page_count(_long(extra)[1]) > pages:
            before = _body(_lines(_long(extra)[1], tail=2)[-2])
            free = round((BOTTOM - before[-1].bottom) / LEADING)
            # The lines left free on that page are the ones the text still needs to reach the bottom.
            return extra - 1, extra, extra + free
    pytest.fail("no length put the text at a page bottom")


def _page_holds_only_closing(report: Report, pdf: bytes) -> bool:
    pages = _lines(pdf, tail=1)
    closing = _closing_lines(report, pages)
    return not [ln for ln in _body(pages[-1]) if ln.top < closing[0].top - 1]


def test_closing_never_stands_alone_on_a_page(at_page_bottom) -> None:
    for extra in at_page_bottom:
        report, pdf = _long(extra)
        assert not _page_holds_only_closing(report, pdf), extra
    # Where the text alone ends on the page's last line, lines of it go over with the 落款.
    report, pdf = _long(at_page_bottom[2])
    pages = _lines(pdf, tail=2)
    assert _body(pages[-2])[-1].bottom > BOTTOM - 2 * LEADING
    closing = _closing_lines(report, pages)
    assert [ln for ln in _body(pages[-1]) if ln.bottom < closing[0].top]
    for other in (seed_report(), full_report()):
        assert not _page_holds_only_closing(other, render_pdf_bytes(other)[0])


def test_closing_that_fits_exactly_stays_on_the_page(at_page_bottom) -> None:
    """One line shorter, the text and its 落款 fill the page exactly: the 落款 stays, its date on
    the block's last line (an exact fit used to be refused)."""
    report, pdf = _long(at_page_bottom[0])
    date = _closing_lines(report, _lines(pdf, tail=1))[-1]
    assert BOTTOM - LEADING < date.bottom <= BOTTOM + 0.5


def test_justified_lines_have_no_wide_gaps_and_the_url_copies_out() -> None:
    for report in (seed_report(), full_report(), long_report(3)):
        pdf, _ = render_pdf_bytes(report)
        for page in _lines(pdf):
            for line in _body(page):
                for a, b in zip(line.chars, line.chars[1:], strict=False):
                    assert b["x0"] - a["x1"] <= 1.5 * BODY_SIZE, (line.text, b["x0"] - a["x1"])
                assert line.x1 <= RIGHT + 0.5, line.text
    pdf, _ = render_pdf_bytes(long_report(3))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join((p.extract_text() or "").replace("\n", "") for p in doc.pages)
    assert URL in text
    # Broken only after / . ? & = _ - : every line that holds part of the URL ends at such a mark.
    for page in _lines(pdf):
        for line in _body(page):
            tail = line.text.rstrip("，。")
            if "http" in line.text and not line.text.endswith(("html", "发布年度报告，并在")) and URL not in line.text:
                assert tail[-1] in "/.?&=_-" or not tail[-1].isascii(), line.text


def _closing(report: Report, *, sign_off: bool) -> tuple[list[TextLine], list[TextLine]]:
    pdf, _ = render_pdf_bytes(report, sign_off=sign_off)
    pages = _lines(pdf)
    closing = _closing_lines(report, pages)
    before = [ln for ln in _body(pages[-1]) if ln.bottom < closing[0].top]
    return closing, before


def test_long_unit_in_the_sealed_closing_is_broken_between_words_and_centred_over_the_date() -> None:
    report = long_report(0)
    closing, _ = _closing(report, sign_off=True)
    *units, date = closing
    assert [u.text for u in units] == ["某某省某某市某某区人民政府", "办公室（区大数据发展管理局）"]
    centre = (date.x0 + date.x1) / 2
    for unit in units:
        assert abs((unit.x0 + unit.x1) / 2 - centre) < 1 * MM
    assert abs((RIGHT - date.x1) - 4 * CHAR) < 1 * MM  # 成文日期右空四字
    report = long_report(0, unit="某某省某某市某某县综合行政执法局")
    *units, _date = _closing(report, sign_off=True)[0]
    assert all("综合行政执法局" in u.text or "综合" not in u.text for u in units)


def test_sealed_and_unsealed_closing_layouts() -> None:
    report = full_report()
    sealed, before = _closing(report, sign_off=True)
    # Two blank lines above the unit for the seal.
    assert abs(sealed[0].top - before[-1].top - 3 * LEADING) < 1
    unsealed, before = _closing(report, sign_off=False)
    unit, date = unsealed
    assert abs(unit.top - before[-1].top - 2 * LEADING) < 1  # one blank line
    assert abs((RIGHT - unit.x1) - 2 * CHAR) < 1 * MM  # 署名右空二字
    assert abs((date.x0 - unit.x0) - 2 * CHAR) < 1 * MM  # 日期首字比署名首字右移二字


def test_table4_header_as_the_official_table() -> None:
    pdf, _ = render_pdf_bytes(seed_report())
    t4 = TPL.tables["table4"]
    review = t4["groups"][0]["path"][-1]
    direct = t4["groups"][1]["path"][-1]
    field = t4["fields"][0]["label"]
    for page in _lines(pdf):
        texts = [ln for ln in page if ln.size < 12]
        words = _cell_words(texts)
        heads = [w for w in words if w["text"] == review]
        if not heads:
            continue
        direct_w = next(w for w in words if w["text"] == direct)
        # The field heads: broken in two lines (结果/维持) in 15 narrow columns; take their tops.
        first = [w for w in words if field.startswith(w["text"]) and w["x0"] < direct_w["x0"] - 40]
        under_direct = [w for w in words
                        if field.startswith(w["text"]) and direct_w["x0"] - 2 <= w["x0"] < direct_w["x1"]]
        assert first and under_direct
        review_field_top = min(w["top"] for w in first)
        assert heads[0]["bottom"] <= review_field_top  # 行政复议 spans one row only
        # Its field heads sit between the rows of 未经复议直接起诉 and that group's field heads.
        assert direct_w["top"] - 2 < review_field_top < min(w["top"] for w in under_direct)
        assert min(w["top"] for w in under_direct) > direct_w["bottom"] - 1
        return
    pytest.fail("table 4 not found")


def _cell_words(lines: list[TextLine]) -> list[dict]:
    """The lines of table cells: a cell's line is a run of chars with no gap (cells are padded)."""
    words = []
    for line in lines:
        run: list[dict] = []
        for ch in line.chars:
            if run and ch["x0"] - run[-1]["x1"] > 1.5:
                words.append(_word(run))
                run = []
            run.append(ch)
        if run:
            words.append(_word(run))
    return words


def _word(run: list[dict]) -> dict:
    return {"text": "".join(c["text"] for c in run), "x0": run[0]["x0"], "x1": run[-1]["x1"],
            "top": min(c["top"] for c in run), "bottom": max(c["bottom"] for c in run),
            "size": max(c["size"] for c in run)}


def test_no_label_line_ends_inside_a_word() -> None:
    breaks = label_breaks()
    assert "商业企业" in breaks
    pdf, _ = render_pdf_bytes(long_report(0))
    checked = 0
    for page in _lines(pdf):
        for word in _cell_words([ln for ln in page if ln.size < 12]):
            w = word["text"]
            if w in breaks or w.isdigit():
                continue
            places = [(label, i) for label in breaks for i in range(len(label)) if label.startswith(w, i)]
            if not places:
                continue
            checked += 1
            assert any({i, i + len(w)} <= (breaks[label] | {0, len(label)}) for label, i in places), w
    assert checked > 20


def test_figures_one_size_per_table_never_tiny() -> None:
    pdf, _ = render_pdf_bytes(long_report(0))
    sizes: list[float] = []
    for page in _lines(pdf):
        for word in _cell_words([ln for ln in page if ln.size < 12]):
            if word["text"].isdigit():
                sizes.append(round(word["size"], 2))
                assert word["x1"] <= RIGHT + 0.5
    assert min(sizes) >= 7.5
    # Tables 2, 3 and 4 each use one size: at most three sizes in the whole report.
    assert len(set(sizes)) <= 3
    words = [w for page in _lines(pdf) for w in _cell_words([ln for ln in page if ln.size < 12])]
    big = [w for w in words if w["text"] in ("999999999", "1999999997")]
    assert big, "the nine- and ten-digit figures are printed whole"


def test_page_numbers_7mm_under_the_block_in_a_serif_face() -> None:
    pdf, _ = render_pdf_bytes(full_report())
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            folio = [c for c in page.chars if c["top"] > BOTTOM and not c["text"].isspace()]
            assert folio
            gap_mm = (min(c["top"] for c in folio) - BOTTOM) / MM
            assert abs(gap_mm - 7) <= 0.5, gap_mm
            digits = [c for c in folio if c["text"].isdigit()]
            assert all(("Serif" in c["fontname"] or "SimSun" in c["fontname"]) for c in digits), digits[0]["fontname"]


def test_text_layer_starts_with_the_report_and_title_is_shown() -> None:
    broken = full_report()
    broken.values["table3.new_received.natural"] += 1
    for report, draft in ((full_report(), False), (broken, True)):
        pdf, result = render_pdf_bytes(report)
        assert result.draft is draft
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        # pypdf reads in content order, as copying and screen readers do.
        first_lines = [page.extract_text().strip().splitlines()[0] for page in reader.pages]
        assert first_lines[0].replace(" ", "").startswith(report.effective_title[:6])
        mark = print_data()["draft_mark"]
        for line in first_lines:
            assert not line.startswith(("—", mark[0])), line
        assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])
        assert (mark in reader.metadata.title) is draft


def test_pages_start_on_the_grid_after_a_table() -> None:
    """Every body line sits on the 22-line grid; a page that starts with text starts on its first line."""
    for pdf in (render_pdf_bytes(full_report())[0], _long(0)[1], _long(7)[1]):
        pages = _lines(pdf)
        for page in pages[1:]:
            body = _body(page)
            if not body:
                continue
            for line in body:
                offset = (line.top - TOP) % LEADING
                assert min(offset, LEADING - offset) < 0.6 or offset < 6.5, (line.text, offset)
            if body[0].top < TOP + LEADING:
                first = body[0].top - TOP
                assert first < 0.5 * LEADING, (body[0].text, first / MM)


def test_heading_after_a_table_that_ends_a_page_sits_on_the_first_line() -> None:
    """Issue 12 point 6: in the full report table 3 ends page 4; 四、 was 44.4 mm from the top."""
    heading = next(s.heading for s in TPL.sections if s.table == "table4")
    pdf, _ = render_pdf_bytes(full_report())
    pages = _lines(pdf)
    found = [(n, ln) for n, page in enumerate(pages) for ln in _body(page) if ln.text == heading]
    assert found
    n, line = found[0]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        previous = doc.pages[n - 1]
        table_bottom = max(r["bottom"] for r in previous.rects)
        last_text = max(c["bottom"] for c in previous.chars if c["top"] < BOTTOM and c["size"] < 30)
    assert table_bottom >= last_text - 1 and table_bottom > BOTTOM - LEADING  # a table ended that page
    assert line is _body(pages[n])[0]
    # The glyph top of the page's first line: 37 mm + (leading − 16 pt) / 2 = 39.3 mm.
    expected = (TOP + (LEADING - BODY_SIZE) / 2) / MM
    assert abs(line.top / MM - expected) < 0.3, line.top / MM


def test_no_page_starts_with_a_single_line_of_a_paragraph() -> None:
    pdfs = [render_pdf_bytes(seed_report())[0], render_pdf_bytes(full_report())[0]]
    for pdf in pdfs + [_long(n)[1] for n in range(0, 24, 3)]:
        pages = _lines(pdf)
        for page in pages[1:]:
            body = [ln for ln in _body(page) if ln.bottom < BOTTOM]
            if len(body) < 2 or abs(body[0].x0 - LEFT) > 1:
                continue  # the page starts with a heading or a new paragraph
            # A continued paragraph: its next line is not a new paragraph or heading (indented).
            assert abs(body[1].x0 - LEFT) < 1 or body[1].top - body[0].top > 1.5 * LEADING, body[0].text


def test_character_no_font_has_refuses_a_final_and_marks_the_draft(tmp_path: Path) -> None:
    report = full_report()
    report.texts["text.other_matters"] = "无。\U0001F600"
    with pytest.raises(FinalRefused) as err:
        render_pdf(report, tmp_path / "final.pdf", final=True)
    assert "U+1F600" in err.value.message
    assert not (tmp_path / "final.pdf").exists()
    pdf, result = render_pdf_bytes(report)
    assert result.draft and result.missing_chars == ["\U0001F600"]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        first = "".join((doc.pages[0].extract_text() or "").split())
    assert print_data()["draft_mark"] in first and "U+1F600" in first
    report.values["table3.new_received.natural"] += 1  # errors as well: the note names both
    pdf, _ = render_pdf_bytes(report)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        first = "".join((doc.pages[0].extract_text() or "").split())
    assert "U+1F600" in first and "错误" in first


def test_cli_names_the_missing_character(tmp_path: Path, capsys) -> None:
    from core.cli import main
    from core.exchange import write_report

    report = full_report()
    report.texts["text.other_matters"] = "无。\U0001F600"
    source = tmp_path / "r.json"
    write_report(report, source)
    assert main(["pdf", str(source), "-o", str(tmp_path / "final.pdf"), "--final"]) == 1
    assert "U+1F600" in capsys.readouterr().err
    assert not (tmp_path / "final.pdf").exists()
    assert main(["pdf", str(source), "-o", str(tmp_path / "draft.pdf")]) == 1
    assert "U+1F600" in capsys.readouterr().err
    assert (tmp_path / "draft.pdf").exists()


def test_label_breaks_data_names_real_labels_and_keeps_words_whole() -> None:
    """The format data's break points belong to labels of the format, and every narrow label of
    tables 3 and 4 has them (a new label without them would break anywhere again)."""
    breaks = label_breaks()
    t3, t4 = TPL.tables["table3"], TPL.tables["table4"]
    labels = {seg for r in t3["rows"] for seg in r["path"]} | {seg for c in t3["columns"] for seg in c["path"]}
    labels |= {t3["corner"], t3["column_header"]} | {seg for g in t4["groups"] for seg in g["path"]}
    labels |= {f["label"] for f in t4["fields"]}
    t2 = TPL.tables["table2"]
    labels |= {c["label"] for b in t2["blocks"] for c in b["columns"]} | {t2["row_header"]}
    labels |= {r["label"] for b in t2["blocks"] for r in b["rows"]} | {b["label"] for b in t2["blocks"]}
    assert set(breaks) <= labels, set(breaks) - labels
    narrow = {seg for r in t3["rows"] for seg in r["path"] if len(seg) > 3}
    narrow |= {seg for c in t3["columns"] for seg in c["path"] if len(seg) > 3}
    narrow |= {f["label"] for f in t4["fields"] if len(f["label"]) > 3}
    assert narrow <= set(breaks), narrow - set(breaks)


def test_sealed_closing_tightens_to_one_blank_line_before_moving(at_page_bottom) -> None:
    """With the seal's two blank lines the 落款 would not fit; with one it does: it stays."""
    gaps = set()
    for extra in range(max(0, at_page_bottom[0] - 3), at_page_bottom[1] + 1):
        report = long_report(extra)
        pdf, _ = render_pdf_bytes(report, sign_off=True)
        pages = _lines(pdf, tail=1)
        closing = _closing_lines(report, pages)
        before = [ln for ln in _body(pages[-1]) if ln.bottom < closing[0].top]
        assert before, extra
        gaps.add(round((closing[0].top - before[-1].top) / LEADING))
    assert gaps == {2, 3}  # one blank line (tightened) and the normal two
