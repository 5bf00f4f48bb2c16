"""A text PDF (made by WPS or Word) → tables and prose, through pdfplumber.

Tables come from the ruling lines; their merged cells are rebuilt from the cell rectangles. A
table cut by a page break is joined back to the part on the page before, and a row whose label
was printed on one line and its numbers on the next (or on the next page) is put back together.
A PDF without a text layer (a scan) is refused: there is nothing to read without guessing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path
from typing import Any

from core.errors import InvalidReportFile
from core.ingest.files import read_bounded
from core.ingest.labels import ingest_data
from core.ingest.source import Source, Table

MAX_PDF_BYTES = 50 * 1024 * 1024
_NUMBER = re.compile(r"^[\d,.\s]+$")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$|^第\s*\d+\s*页")
_CJK = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]"
_CJK_GAP = re.compile(rf"(?<={_CJK})[ \t]+|[ \t]+(?={_CJK})")


class ScannedPdf(InvalidReportFile):
    """A PDF with no text layer."""


def _spans(bounds: list[float], lo: float, hi: float) -> int:
    """How many grid intervals a cell from ``lo`` to ``hi`` covers (ruling lines are a little off)."""
    first = bisect_left(bounds, lo - 1.0)
    last = bisect_left(bounds, hi - 1.0)
    return max(1, last - first)


def _table(found: Any, where: str) -> Table:
    """A pdfplumber table as a grid with its merged cells expanded."""
    texts = found.extract()
    xs = sorted({round(c[0], 1) for c in found.cells} | {round(c[2], 1) for c in found.cells})
    ys = sorted({round(c[1], 1) for c in found.cells} | {round(c[3], 1) for c in found.cells})
    height, width = len(texts), max((len(r) for r in texts), default=0)
    rows = [[""] * width for _ in range(height)]
    origins = [[(i, j) for j in range(width)] for i in range(height)]
    for i, prow in enumerate(found.rows):
        for j, bbox in enumerate(prow.cells):
            if bbox is None or j >= width:
                continue
            text = (texts[i][j] or "").strip()
            rowspan = _spans(ys, bbox[1], bbox[3])
            colspan = _spans(xs, bbox[0], bbox[2])
            for ii in range(i, min(i + rowspan, height)):
                for jj in range(j, min(j + colspan, width)):
                    if (ii, jj) == (i, j) or (origins[ii][jj] == (ii, jj) and not (texts[ii][jj] or "").strip()):
                        rows[ii][jj] = text
                        origins[ii][jj] = (i, j)
    return Table(rows, origins, where)


def _is_number(text: str) -> bool:
    return bool(text.strip()) and bool(_NUMBER.match(text))


def _mend_wrapped(table: Table) -> Table:
    """Join a row holding only a label to the next row holding only its numbers."""
    rows, origins = [list(r) for r in table.rows], [list(o) for o in table.origins]
    i = 0
    while i + 1 < len(rows):
        upper, lower = rows[i], rows[i + 1]
        up_filled = {j for j, t in enumerate(upper) if t.strip()}
        low_filled = {j for j, t in enumerate(lower) if t.strip()}
        if (up_filled and low_filled and not up_filled & low_filled
                and not any(_is_number(upper[j]) for j in up_filled)
                and all(_is_number(lower[j]) for j in low_filled)):
            for j in low_filled:
                upper[j] = lower[j]
                origins[i][j] = (i, j)
            del rows[i + 1], origins[i + 1]
            origins = [[(oi - 1 if oi > i else oi, oj) for oi, oj in row] for row in origins]
        i += 1
    return Table(rows, origins, table.where)


def _join(first: Table, second: Table) -> Table:
    """A table continued on the next page: the second part's rows below the first's."""
    shift = len(first.rows)
    rows = [list(r) for r in first.rows] + [list(r) for r in second.rows]
    origins = [list(o) for o in first.origins] + [[(oi + shift, oj) for oi, oj in o] for o in second.origins]
    return Table(rows, origins, first.where)


def _paragraphs(page_lines: list[list[dict[str, Any]]]) -> list[str]:
    """Lines → paragraphs: a line that starts right of the text's left edge opens a new one."""
    lefts = [round(line["x0"]) for lines in page_lines for line in lines]
    if not lefts:
        return []
    margin = max(set(lefts), key=lefts.count)
    paragraphs: list[str] = []
    for lines in page_lines:
        for line in lines:
            text = line["text"].strip()
            if not text or _PAGE_NUMBER.match(text):
                continue
            text = _CJK_GAP.sub("", text)
            if line["x0"] > margin + 8 or not paragraphs:
                paragraphs.append(text)
            else:
                paragraphs[-1] += text
    return paragraphs


def read_source(path: str | Path) -> Source:
    read_bounded(path, MAX_PDF_BYTES, "PDF 文件")  # the same messages as every reader for a bad path
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(str(path))
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as err:
        raise InvalidReportFile("不是有效的 PDF 文件",
                                [f"{path}：不是有效的 PDF 文件（{type(err).__name__}），无法读取"]) from None
    except Exception as err:  # pdfminer raises its own assorted errors on damaged files
        if type(err).__module__.startswith(("pdfminer", "pdfplumber", "pypdfium2")):
            raise InvalidReportFile("PDF 文件已损坏", [f"{path}：PDF 文件已损坏或加密，无法读取"]) from None
        raise
    with pdf:
        tables: list[Table] = []
        page_lines: list[list[dict[str, Any]]] = []
        has_text = False
        last_page = 0
        for n, page in enumerate(pdf.pages, 1):
            if page.chars:
                has_text = True
            page_lines.append(page.extract_text_lines())
            for k, found in enumerate(page.find_tables()):
                table = _table(found, f"第 {n} 页")
                if not table.rows:
                    continue
                previous = tables[-1] if tables else None
                if k == 0 and previous is not None and previous.width == table.width > 1 and last_page == n - 1:
                    tables[-1] = _join(previous, table)
                else:
                    tables.append(table)
                last_page = n
    if not has_text:
        message = ingest_data().scan_message
        raise ScannedPdf(message, [f"{path}：{message}"])
    return Source(tables=[_mend_wrapped(t) for t in tables], paragraphs=_paragraphs(page_lines), kind="PDF")
