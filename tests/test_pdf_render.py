"""The PDF read back: what a clerk (or the office that checks the report) would see on paper."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from core.errors import OutputError
from core.exchange import write_report
from core.pdf import FinalRefused, default_file_name, render_pdf, render_pdf_bytes
from core.pdf.document import print_data
from core.pdf.linebreak import CLOSING, OPENING
from core.sample import full_report, seed_report
from core.template import load_template

TPL = load_template()
BLOCK_BOTTOM = (37 + 225) / 25.4 * 72  # the text block ends 262 mm from the top


def _page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def full_pdf() -> tuple[bytes, object]:
    report = full_report()
    t3 = TPL.tables["table3"]
    # Distinct values in one row so that each can be found in its column.
    for k, col in enumerate(c for c in t3["columns"] if not c.get("computed")):
        report.values[f"table3.granted.{col['id']}"] = 1000 + k
    # Re-balance: new_received follows from the identity, so the report stays error-free.
    cols = [c["id"] for c in t3["columns"] if not c.get("computed")]
    results = [r["id"] for r in t3["rows"] if r.get("result")]
    for c in cols:
        processed = sum(report.values[f"table3.{r}.{c}"] for r in results)
        report.values[f"table3.new_received.{c}"] = (
            processed + report.values[f"table3.carried_forward.{c}"] - report.values[f"table3.carried_over.{c}"]
        )
    return render_pdf_bytes(report)


def test_full_report_is_a4_with_headings_in_order(full_pdf) -> None:
    pdf, result = full_pdf
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == result.pages >= 3
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.28) < 0.5
        assert abs(float(page.mediabox.height) - 841.89) < 0.5
    text = _flat("".join(_page_texts(pdf)))
    headings = [s.heading for s in TPL.sections] + [p.heading for s in TPL.sections for p in s.parts if p.heading]
    positions = [text.find(h) for h in [s.heading for s in TPL.sections]]
    assert all(p >= 0 for p in positions), headings
    assert positions == sorted(positions)
    assert not result.draft and result.missing_chars == []


def test_every_page_has_its_number_on_the_outside(full_pdf) -> None:
    pdf, _ = full_pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for n, page in enumerate(doc.pages, start=1):
            number = [w for w in page.extract_words() if w["text"] == str(n) and w["top"] > BLOCK_BOTTOM]
            assert number, f"page {n} has no number at its foot"
            x = number[0]["x0"]
            assert (x > page.width / 2) if n % 2 else (x < page.width / 2)
            assert "—" in (page.extract_text() or "").splitlines()[-1]


def test_table3_values_sit_in_their_row_and_column(full_pdf) -> None:
    pdf, _ = full_pdf
    t3 = TPL.tables["table3"]
    cols = [c for c in t3["columns"] if not c.get("computed")]
    granted_label = next(r for r in t3["rows"] if r["id"] == "granted")["path"][-1]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = page.extract_words()
            values = {w["text"]: w for w in words if w["text"] in {str(1000 + k) for k in range(len(cols))}}
            if len(values) < len(cols):
                continue
            label = next(w for w in words if w["text"].startswith(granted_label[:4]))
            row = [values[str(1000 + k)] for k in range(len(cols))]
            # Same row as the label, and left to right in the format's column order.
            assert all(abs(w["top"] - label["top"]) < 4 for w in row)
            xs = [w["x0"] for w in row]
            assert xs == sorted(xs) and all(x > label["x1"] for x in xs)
            # The total column follows, with the row sum.
            total = str(sum(1000 + k for k in range(len(cols))))
            assert any(w["text"] == total and abs(w["top"] - label["top"]) < 4 and w["x0"] > xs[-1]
                       for w in words)
            return
    pytest.fail("table 3 row not found")


def test_zero_prints_as_zero() -> None:
    pdf, _ = render_pdf_bytes(seed_report())
    text = _flat("".join(_page_texts(pdf)))
    label = TPL.tables["table4"]["groups"][0]["label"]
    assert label in text
    # Table 4 of the seed report: fifteen zeros, none left blank.
    assert "0" * 15 in text


def test_every_font_is_embedded_and_text_copies_out(full_pdf, tmp_path: Path) -> None:
    pdf, _ = full_pdf
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            desc = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in desc, font["/BaseFont"]
            assert "+" in font["/BaseFont"]  # subset
    if shutil.which("pdffonts"):
        path = tmp_path / "r.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows and all(" yes yes " in row for row in rows), out
    if shutil.which("pdftotext"):
        path = tmp_path / "r.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert TPL.tables["table3"]["corner"][1:10] in _flat(out)


def test_long_prose_keeps_punctuation_rules() -> None:
    report = full_report()
    sentence = "本机关（含下属单位）主动公开信息“三安全一稳定”，共65条；其中：工作动态39条、通知公告26条。"
    report.texts["text.problems"] = sentence * 12
    pdf, _ = render_pdf_bytes(report)
    checked = 0
    for text in _page_texts(pdf):
        folio = re.compile(r"^—\d+—$")
        lines = [line.replace(" ", "") for line in text.splitlines()]
        lines = [line for line in lines if not folio.match(line)]
        for i, line in enumerate(lines):
            if not line or "本机关" not in "".join(lines[max(0, i - 1):i + 2]):
                continue
            checked += 1
            assert line[0] not in CLOSING, line
            assert line[-1] not in OPENING, line
    assert checked > 10


def test_markup_and_emoji_print_literally() -> None:
    report = full_report()
    report.texts["text.other_matters"] = "<b>粗体</b> & <script>alert(1)</script> 😀 a<b"
    report.unit = "某区<科学>&技术局"
    pdf, result = render_pdf_bytes(report)
    text = _flat("".join(_page_texts(pdf)))
    assert "<b>粗体</b>&<script>alert(1)</script>" in text
    assert "某区<科学>&技术局" in text
    assert "😀" in result.missing_chars
    assert print_data()["missing_mark"] in text
    assert "😀" in result.missing_message()


def test_rare_character_is_drawn_from_a_fallback_face(tmp_path: Path, monkeypatch) -> None:
    wide = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    report = full_report()
    report.texts["text.other_matters"] = "朱镕基"  # 镕 is outside GB2312, so outside the bundled face
    monkeypatch.setenv("XXGK_REPORT_FONT_DIRS", str(tmp_path))
    _, result = render_pdf_bytes(report)
    assert result.missing_chars == ["镕"]
    if not wide.exists():
        pytest.skip("no wide system face here")
    shutil.copy(wide, tmp_path / wide.name)
    pdf, result = render_pdf_bytes(report)
    assert result.missing_chars == []
    assert "朱镕基" in _flat("".join(_page_texts(pdf)))


def test_official_face_is_used_when_installed(tmp_path: Path, monkeypatch) -> None:
    from core.pdf.fonts import bundled_path

    shutil.copy(bundled_path("heading1"), tmp_path / "SimHei.ttf")
    monkeypatch.setenv("XXGK_REPORT_FONT_DIRS", str(tmp_path))
    _, result = render_pdf_bytes(seed_report())
    assert Path(result.fonts["heading1"]).name == "SimHei.ttf"
    assert Path(result.fonts["body"]).parent == bundled_path("body").parent


def _broken() -> object:
    report = full_report()
    report.values["table3.new_received.natural"] += 1
    return report


def test_report_with_errors_is_a_draft_on_every_page() -> None:
    pdf, result = render_pdf_bytes(_broken())
    assert result.draft
    mark = print_data()["draft_mark"]
    assert all(mark in _flat(t) for t in _page_texts(pdf))
    clean, _ = render_pdf_bytes(full_report())
    assert not any(mark in _flat(t) for t in _page_texts(clean))


def test_final_refuses_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    with pytest.raises(FinalRefused) as err:
        render_pdf(_broken(), target, final=True)
    assert "错误" in err.value.message
    assert list(tmp_path.iterdir()) == []


def test_metadata(full_pdf) -> None:
    pdf, _ = full_pdf
    info = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    report = full_report()
    assert info.title == report.effective_title
    assert info.author == report.unit
    assert info.subject == print_data()["subject"]
    assert info.get("/CreationDate")


def test_sign_off_line_only_when_asked() -> None:
    words = [item["label"] for item in print_data()["sign_off"]]
    with_line = _flat("".join(_page_texts(render_pdf_bytes(full_report(), sign_off=True)[0])))
    without = _flat("".join(_page_texts(render_pdf_bytes(full_report())[0])))
    assert all(w in with_line for w in words)
    assert not any(w in without for w in words)
    assert "2022年1月20日" in without and full_report().unit in without


def test_unwritable_target_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as err:
        render_pdf(full_report(), tmp_path / "missing" / "r.pdf")
    assert "不存在" in err.value.message
    folder = tmp_path / "occupied.pdf"
    folder.mkdir()  # a folder where the file should go: replacing it fails like a locked file
    with pytest.raises(OutputError):
        render_pdf(full_report(), folder)
    assert [p.name for p in tmp_path.iterdir()] == ["occupied.pdf"]
    assert list(folder.iterdir()) == []


def test_cli_pdf_exit_codes(tmp_path: Path, capsys) -> None:
    from core.cli import main

    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    write_report(full_report(), good)
    write_report(_broken(), bad)
    assert main(["pdf", str(good), "-o", str(tmp_path / "good.pdf")]) == 0
    assert (tmp_path / "good.pdf").read_bytes()[:5] == b"%PDF-"
    assert main(["pdf", str(bad), "-o", str(tmp_path / "draft.pdf")]) == 1
    assert (tmp_path / "draft.pdf").exists()
    assert main(["pdf", str(bad), "-o", str(tmp_path / "final.pdf"), "--final"]) == 1
    assert not (tmp_path / "final.pdf").exists()
    assert "错误" in capsys.readouterr().err
    (tmp_path / "junk.json").write_text("{", encoding="utf-8")
    assert main(["pdf", str(tmp_path / "junk.json"), "-o", str(tmp_path / "junk.pdf")]) == 2
    assert "JSON" in capsys.readouterr().err
    assert not (tmp_path / "junk.pdf").exists()
    # Without -o: the default name beside the exchange file.
    assert main(["pdf", str(good)]) == 0
    assert (tmp_path / default_file_name(full_report())).exists()


def test_default_file_name() -> None:
    report = full_report()
    assert default_file_name(report) == f"{report.unit}{report.year}年政府信息公开工作年度报告.pdf"
    report.unit = "a/b:c"
    assert "/" not in default_file_name(report) and ":" not in default_file_name(report)


def test_naming_the_output_loads_no_pdf_engine(tmp_path) -> None:
    """`xxgk-report docx FILE` without -o names its file from the print data: no ReportLab for that."""
    import sys

    exchange = tmp_path / "r.json"
    write_report(full_report(), exchange)
    code = ("import sys\n"
            "from core.exchange import read_report\n"
            "from core.pdf import default_file_name\n"
            f"print(default_file_name(read_report({str(exchange)!r})))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab'))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    name, loaded = run.stdout.strip().splitlines()
    assert name.endswith("年政府信息公开工作年度报告.pdf") and loaded == "[]"


def test_fee_keeps_its_decimals() -> None:
    report = full_report()
    report.values["table2.fees"] = Decimal("12.3400")
    text = _flat("".join(_page_texts(render_pdf_bytes(report)[0])))
    assert "12.3400" in text


def test_everything_stays_inside_the_text_block(full_pdf) -> None:
    """GB/T 9704: 156 × 225 mm from 28 mm left and 37 mm top; only the folio sits below it."""
    pdf, _ = full_pdf
    pt = 72 / 25.4
    left, right, top = 28 * pt, (28 + 156) * pt, 37 * pt
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            body = [c for c in page.chars if c["top"] < BLOCK_BOTTOM]
            assert body
            assert min(c["x0"] for c in body) >= left - 0.5
            assert max(c["x1"] for c in body) <= right + 0.5
            assert min(c["top"] for c in body) >= top - 0.5
            lines = [ln for ln in page.lines + page.rects if ln["top"] < BLOCK_BOTTOM]
            for ln in lines:
                assert left - 1 <= ln["x0"] and ln["x1"] <= right + 1


def test_table_split_repeats_header_and_spanning_label() -> None:
    from core.pdf.document import BLOCK_W, Story
    from core.pdf.fonts import FontChooser

    table = Story(full_report(), FontChooser(), sign_off=False).table("table3")
    table.grid.page_height = 0  # as if the table were longer than a page
    parts = table.split(BLOCK_W, 320)
    assert len(parts) == 2
    corner = TPL.tables["table3"]["corner"]
    header_rows = parts[0].grid.header_rows
    for part in parts:
        texts = {c.text for c in part.grid.cells if c.row < header_rows}
        assert corner in texts and TPL.tables["table3"]["column_header"] in texts
        part.wrap(BLOCK_W, 10_000)
    assert parts[0].height <= 320
    # A row label spanning the break (the result block) appears on both sides of it.
    result_label = next(r for r in TPL.table3_rows() if r.get("result"))["path"][0]
    for part in parts:
        assert any(c.text == result_label for c in part.grid.cells if c.row >= header_rows)
    # Nothing lost: every value cell is in exactly one part.
    values = [c for c in table.grid.cells if c.number]
    split_values = [c for part in parts for c in part.grid.cells if c.number]
    assert len(split_values) == len(values)


def test_long_title_breaks_between_parts_of_the_unit_name() -> None:
    report = full_report()
    report.unit = "某某省某某市某某区人民政府办公室（区大数据发展管理局）"
    first_page = _page_texts(render_pdf_bytes(report)[0])[0].splitlines()
    head = [line.replace(" ", "") for line in first_page[:3]]
    assert head == ["某某省某某市某某区人民政府", "办公室（区大数据发展管理局）",
                    f"{report.year}年政府信息公开工作年度报告"]
