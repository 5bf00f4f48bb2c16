"""How long ``xxgk-report pdf`` of a full report takes, against two baselines in the same run.

Run: ``python bench/pdf_export.py [--runs 9] [--no-soffice]``

Each case is a fresh process, as the clerk (or a script) meets it — interpreter, imports, fonts,
layout, writing — and cases are run interleaved so that machine drift hits all alike:

* ``xxgk-report pdf``: the full report (``core.sample.full_report()``) to a PDF, via the CLI;
* baseline ``bare ReportLab``: a plain ReportLab platypus document of similar size and content —
  the same prose as ``Paragraph``s and the same three tables as ``Table``s, in one CJK TrueType face
  (the bundled body face), with none of the project's work (no checks, no 禁则 breaker, no merged
  cells, no per-character fallback);
* ``soffice --headless --convert-to pdf`` of the same content as a .docx (when LibreOffice is
  installed; its profile is warmed up once first, so its start-up is measured at its best).

Bars (issue 4): median of ``xxgk-report pdf`` ≤ 2.5 × the bare ReportLab median, and below soffice.
Prints median and spread (min–max) in seconds, and the ratios; without LibreOffice that baseline is
skipped with a note rather than failing the run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Bar, Measurement, print_table  # noqa: E402
from core.exchange import write_report  # noqa: E402
from core.pdf.fonts import bundled_path  # noqa: E402
from core.sample import full_report  # noqa: E402

OURS = "xxgk-report pdf"
BARE_NAME = "bare ReportLab document"
SOFFICE_NAME = "soffice --convert-to pdf (.docx)"
BARE_RATIO = 2.5

BARE = r'''
import sys, json
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
content = json.load(open(sys.argv[1], encoding="utf-8"))
pdfmetrics.registerFont(TTFont("Body", sys.argv[2]))
body = ParagraphStyle("b", fontName="Body", fontSize=16, leading=29, firstLineIndent=32, wordWrap="CJK")
head = ParagraphStyle("h", parent=body, firstLineIndent=0)
small = ParagraphStyle("s", fontName="Body", fontSize=9.5, leading=12, wordWrap="CJK")
story = [Paragraph(content["title"], head), Spacer(1, 29)]
for kind, value in content["blocks"]:
    if kind == "p":
        story.append(Paragraph(value, body))
    else:
        t = Table([[Paragraph(c, small) for c in row] for row in value], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "black"), ("FONT", (0, 0), (-1, -1), "Body", 9.5)]))
        story.append(t)
SimpleDocTemplate(sys.argv[3], pagesize=A4).build(story)
'''


def content_of(report) -> dict:  # type: ignore[no-untyped-def]
    """The report's words and numbers as plain paragraphs and table rows (for the baselines)."""
    tpl = report.template
    totals = report.totals()
    blocks: list[tuple[str, object]] = []
    for section in tpl.sections:
        blocks.append(("p", escape(section.heading)))
        for part in section.parts:
            if part.heading:
                blocks.append(("p", escape(part.heading)))
            for para in report.texts.get(part.ref, "").splitlines():
                if para.strip():
                    blocks.append(("p", escape(para.strip())))
        if section.table == "table2":
            blocks.append(("t", [[spec.row_label, spec.column_label or "", str(report.values[ref])]
                                 for ref, spec in tpl.cells.items() if spec.table == "table2"]))
        elif section.table == "table3":
            t3 = tpl.tables["table3"]
            rows = [["".join(r["path"])] + [str(report.get(f"table3.{r['id']}.{c['id']}")) for c in t3["columns"]]
                    for r in t3["rows"]]
            blocks.append(("t", [[t3["corner"], *[c["label"] for c in t3["columns"]]], *rows]))
        elif section.table == "table4":
            t4 = tpl.tables["table4"]
            blocks.append(("t", [[g["label"]] + [str(totals.get(f"table4.{g['id']}.{f['id']}",
                                                                report.values.get(f"table4.{g['id']}.{f['id']}", 0)))
                                                 for f in t4["fields"]] for g in t4["groups"]]))
    return {"title": escape(report.effective_title), "blocks": blocks}


def write_docx(content: dict, path: Path) -> None:
    """A minimal WordprocessingML document: the same paragraphs and tables as the baseline."""
    def run(text: str, size: int) -> str:
        return (f'<w:r><w:rPr><w:rFonts w:eastAsia="FangSong"/><w:sz w:val="{size}"/></w:rPr>'
                f'<w:t xml:space="preserve">{text}</w:t></w:r>')

    parts = [f"<w:p>{run(content['title'], 44)}</w:p>"]
    for kind, value in content["blocks"]:
        if kind == "p":
            parts.append(f'<w:p><w:pPr><w:ind w:firstLineChars="200"/></w:pPr>{run(value, 32)}</w:p>')
        else:
            rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p>{run(escape(c), 19)}</w:p></w:tc>" for c in row) + "</w:tr>"
                           for row in value)
            border = "".join(f'<w:{b} w:val="single" w:sz="4"/>' for b in ("top", "left", "bottom", "right",
                                                                            "insideH", "insideV"))
            parts.append(f"<w:tbl><w:tblPr><w:tblBorders>{border}</w:tblBorders></w:tblPr>{rows}</w:tbl><w:p/>")
    body = "".join(parts)
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f'<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                   "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/officeDocument" Target="word/document.xml"/>'
                   "</Relationships>")
        z.writestr("word/document.xml", doc)


def timed(cmd: list[str], out: Path) -> float:
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"{Path(cmd[0]).name} wrote no {out.name} (exit {proc.returncode}):\n"
                           f"{proc.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def measure(runs: int = 9, soffice: bool = True) -> list[Measurement]:
    """``xxgk-report pdf`` against bare ReportLab and (if installed) soffice, interleaved fresh processes."""
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-pdf-"))
    try:
        report = full_report()
        exchange = work / "full.json"
        write_report(report, exchange)
        content = work / "content.json"
        content.write_text(json.dumps(content_of(report), ensure_ascii=False), encoding="utf-8")
        bare_script = work / "bare.py"
        bare_script.write_text(BARE, encoding="utf-8")
        docx = work / "full.docx"
        write_docx(content_of(report), docx)

        # The installed entry point when there is one (as the clerk's script runs it), else the module.
        entry = shutil.which("xxgk-report", path=str(Path(sys.executable).parent)) or shutil.which("xxgk-report")
        cli = [entry] if entry else [sys.executable, "-m", "core.cli"]
        cases: dict[str, tuple[list[str], Path]] = {
            OURS: ([*cli, "pdf", str(exchange), "-o", str(work / "ours.pdf")], work / "ours.pdf"),
            BARE_NAME: ([sys.executable, str(bare_script), str(content), str(bundled_path("body")),
                         str(work / "bare.pdf")], work / "bare.pdf"),
        }
        office = shutil.which("soffice")
        skipped = ""
        if not soffice:
            skipped = "not measured (--no-soffice)"
        elif not office:
            skipped = "LibreOffice (soffice) is not installed on this machine: baseline skipped"
        else:
            profile = (work / "lo-profile").as_uri()
            cmd = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(work), str(docx)]
            timed(cmd, work / "full.pdf")  # builds the fresh profile, so soffice is measured at its best
            cases[SOFFICE_NAME] = (cmd, work / "full.pdf")
        for cmd, out in cases.values():  # warm the OS file cache once
            timed(cmd, out)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, (cmd, out) in cases.items():
                times[name].append(timed(cmd, out))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    note = f"{runs} fresh processes per case, interleaved, after one untimed warm-up each"
    results = [Measurement(f"{OURS} (full report, whole process)", "s", times[OURS], BARE_NAME, times[BARE_NAME],
                           Bar(BARE_RATIO), note=note)]
    if SOFFICE_NAME in times:
        results.append(Measurement(f"{OURS} against LibreOffice", "s", times[OURS], SOFFICE_NAME,
                                   times[SOFFICE_NAME], Bar(1.0, strict=True), note=note))
    else:
        results.append(Measurement(f"{OURS} against LibreOffice", "s", [], SOFFICE_NAME,
                                   bar=Bar(1.0, strict=True), skipped=skipped))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-soffice", action="store_true")
    args = parser.parse_args()
    print_table(measure(args.runs, soffice=not args.no_soffice))


if __name__ == "__main__":
    main()
