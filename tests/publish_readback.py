"""Reading published tables back into grids, independently of the writers: python-docx for Word,
lxml for HTML. Each grid maps (row, col) → (anchor row, anchor col, text) after spans are applied."""

from __future__ import annotations

import re
from pathlib import Path

from core.publish.grids import TableGrid

Grid = dict[tuple[int, int], tuple[int, int, str]]

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BLANK_TEMPLATE = SHARED / "samples" / "published" / "template-2021-blank.docx"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u3000", " ").replace("\xa0", " "))


def expected(grid: TableGrid) -> Grid:
    return {pos: (cell.row, cell.col, cell.text) for pos, cell in grid.at().items()}


def docx_tables(path: str | Path) -> list[Grid]:
    """Every table of a .docx as a grid, from its gridSpan/vMerge, cross-checked with python-docx's
    own ``table.cell(r, c)`` (which resolves merged cells to the same cell object)."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(path))
    grids: list[Grid] = []
    for table in doc.tables:
        grid: Grid = {}
        for r, tr in enumerate(table._tbl.tr_lst):
            c = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
                continued = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
                text = "\n".join(p.text for p in table.cell(r, c).paragraphs)
                for k in range(span):
                    if continued:
                        grid[(r, c + k)] = grid[(r - 1, c + k)]
                    else:
                        grid[(r, c + k)] = (r, c, text)
                c += span
        # python-docx's own view of every position must name the same merged cell.
        for (r, c), (ar, ac, _text) in grid.items():
            assert table.cell(r, c)._tc is table.cell(ar, ac)._tc, (r, c)
        grids.append(grid)
    return grids


def html_tables(markup: str) -> dict[str, Grid]:
    """Every table of a web page by id, with rowspan/colspan expanded (the HTML table model)."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(markup)
    out: dict[str, Grid] = {}
    for n, table in enumerate(root.iter("table")):
        grid: Grid = {}
        for r, tr in enumerate(table.xpath("./thead/tr|./tbody/tr|./tr")):
            c = 0
            for cell in tr.xpath("./th|./td"):
                while (r, c) in grid:
                    c += 1
                rs, cs = int(cell.get("rowspan", "1")), int(cell.get("colspan", "1"))
                text = cell.text_content()
                for dr in range(rs):
                    for dc in range(cs):
                        assert (r + dr, c + dc) not in grid, f"overlap at {(r + dr, c + dc)}"
                        grid[(r + dr, c + dc)] = (r, c, text)
                c += cs
        out[table.get("id") or str(n)] = grid
    return out


def topology(grid: Grid) -> dict[tuple[int, int], tuple[int, int]]:
    return {pos: (ar, ac) for pos, (ar, ac, _t) in grid.items()}
