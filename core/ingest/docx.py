"""A Word file (.docx) → tables and prose, through python-docx.

python-docx hands a merged cell back once for every grid position it covers, with its text each
time; the underlying ``<w:tc>`` element is the same object, so positions sharing it are recorded
as one cell (its origin), and a value drawn across three columns is read once.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from core.errors import InvalidReportFile
from core.ingest.files import read_bounded
from core.ingest.labels import ingest_data, normalize
from core.ingest.source import Position, Source, Table

MAX_DOCX_BYTES = 50 * 1024 * 1024


def _table(tbl, parent, where: str) -> Table:  # type: ignore[no-untyped-def]
    from docx.table import Table as DocxTable

    table = DocxTable(tbl, parent)
    rows: list[list[str]] = []
    origins: list[list[Position]] = []
    first_seen: dict[object, Position] = {}  # <w:tc> → the first position it covers
    text_of: dict[object, str] = {}
    for i, row in enumerate(table.rows):
        texts: list[str] = []
        where_from: list[Position] = []
        for j, cell in enumerate(row.cells):
            tc = cell._tc
            where_from.append(first_seen.setdefault(tc, (i, j)))
            if tc not in text_of:
                text_of[tc] = cell.text
            texts.append(text_of[tc])
        rows.append(texts)
        origins.append(where_from)
    ends = [len(r) for r in rows]
    width = max(ends, default=0)
    for i, (r, o) in enumerate(zip(rows, origins, strict=True)):
        for j in range(len(r), width):
            r.append("")
            o.append((i, j))
    return Table(rows, origins, where, ends)


def read_source(path: str | Path) -> Source:
    read_bounded(path, MAX_DOCX_BYTES, "Word 文件")
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InvalidReportFile("不是有效的 Word 文件", [f"{path}：不是有效的 Word（.docx）文件"
                                                    f"（{type(err).__name__}），无法读取"]) from None
    except Exception as err:  # python-docx and lxml raise their own errors on damaged packages
        if type(err).__module__.startswith(("docx", "lxml")):
            raise InvalidReportFile("Word 文件已损坏", [f"{path}：Word 文件已损坏，无法读取"]) from None
        raise
    placeholders = {normalize(p) for p in ingest_data().placeholders}
    body = document.element.body
    tbl_tag, p_tag = qn("w:tbl"), qn("w:p")
    tables: list[Table] = []
    paragraphs: list[str] = []
    # Word files saved from web pages often wrap the whole article in a one-cell layout table: the
    # tables read are those holding no other table, and prose is whatever lies outside them.
    layout = {el for el in body.iter(tbl_tag) if el.find(f".//{tbl_tag}") is not None}
    for el in body.iter(tbl_tag, p_tag):
        if any(anc.tag == tbl_tag and anc not in layout for anc in el.iterancestors()):
            continue
        if el.tag == tbl_tag:
            if el not in layout:
                tables.append(_table(el, document._body, f"第 {len(tables) + 1} 个表格"))
            continue
        for line in Paragraph(el, document._body).text.split("\n"):
            line = line.strip()
            if line and normalize(line) not in placeholders:
                paragraphs.append(line)
    return Source(tables=[t for t in tables if t.rows], paragraphs=paragraphs, kind="Word 文件")
