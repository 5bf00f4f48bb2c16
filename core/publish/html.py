"""The report as one self-contained web page (or only its article body) for the government website.

Semantic markup from the content model: ``h1`` title, ``h2``/``h3`` headings, ``p`` paragraphs, tables
with ``caption``, ``thead``, ``th scope`` and the official ``rowspan``/``colspan``. Each table sits in a
wrapper that scrolls sideways, so a phone never gets a page wider than its screen. Tables carry their
rules as inline ``style`` attributes: the article body pasted into a website editor (or taken from the
clipboard) still draws a ruled table. No scripts, no external resources, every user text escaped.
"""

from __future__ import annotations

import re
from html import escape as _escape

from core.model import Report
from core.publish.content import (
    Closing,
    Content,
    Heading,
    Paragraph,
    Table,
    TableGrid,
    Title,
    build_content,
    publish_data,
)

# A rule of 1px everywhere, centred numbers; labels of single rows are left-aligned as in the PDF.
_WRAP = "overflow-x:auto;max-width:100%;margin:0 0 1em;position:relative"
_TABLE = "border-collapse:collapse;margin:0 auto;font-size:14px;line-height:1.4;min-width:100%"
_CELL = "border:1px solid #000;padding:4px 6px;vertical-align:middle"
_CAPTION = ("position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
            "white-space:nowrap;padding:0;margin:-1px")
_PARA = "text-indent:2em;margin:0 0 .6em;overflow-wrap:anywhere"

_PAGE_CSS = """
html{-webkit-text-size-adjust:100%}
body{margin:0;padding:16px;background:#fff;color:#000;
 font-family:"仿宋_GB2312","仿宋","FangSong","STFangsong","Noto Serif CJK SC","Songti SC",serif;
 font-size:18px;line-height:1.8}
article{max-width:52em;margin:0 auto}
h1{font-family:"方正小标宋简体","华文中宋","STZhongsong","Noto Serif CJK SC",serif;font-weight:normal;
 font-size:1.6em;line-height:1.4;text-align:center;margin:.5em 0 1em;overflow-wrap:anywhere}
h2{font-family:"黑体","SimHei","Noto Sans CJK SC",sans-serif;font-weight:normal;font-size:1em;
 margin:1em 0 .4em;text-indent:2em}
h3{font-family:"楷体_GB2312","楷体","KaiTi","STKaiti",serif;font-weight:normal;font-size:1em;
 margin:.6em 0 .3em;text-indent:2em}
th,td{font-family:"宋体","SimSun","Noto Serif CJK SC",serif}
.draft{color:#c00000;border:1px solid #c00000;padding:.3em .6em;text-align:center}
@media (max-width:600px){body{padding:10px;font-size:16px}}
""".strip()


# Controls are not characters of an HTML document (a stray BEL from a paste would be a parse error).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """User text as HTML text: markup characters escaped, controls dropped."""
    return _escape(_CONTROL.sub("", text), quote=True)


def _cell_style(align: str, header: bool) -> str:
    weight = ";font-weight:normal" if header else ""
    return f"{_CELL};text-align:{align}{weight}"


def label_html(text: str, allowed: frozenset[int] | None) -> str:
    """A label with ``<wbr>`` at the format data's word boundaries; with ``word-break:keep-all`` on its
    cell a browser breaks it only there (商业/企业), never inside a word."""
    if not allowed:
        return escape(text)
    cuts = sorted(k for k in allowed if 0 < k < len(text))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return "<wbr>".join(escape(piece) for piece in pieces)


def table_html(grid: TableGrid, min_width_em: float = 0) -> str:
    """One official table, wrapped to scroll sideways on a narrow screen.

    Column widths are the PDF's, as percentages; ``min_width_em`` keeps a wide table (table 3's long
    labels, table 4's fifteen columns) legible on a phone, where its wrapper then scrolls sideways.
    """
    total = sum(grid.widths) or 1.0
    width = f";min-width:{min_width_em:g}em" if min_width_em else ""
    out = [f'<div class="table-wrap" style="{_WRAP}">',
           f'<table id="{grid.id}" style="{_TABLE}{width}">',
           f'<caption style="{_CAPTION}">{escape(grid.caption)}</caption>',
           "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in grid.widths)
           + "</colgroup>"]
    by_row: dict[int, list] = {}
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        by_row.setdefault(cell.row, []).append(cell)

    def rows(start: int, stop: int) -> None:
        for r in range(start, stop):
            out.append("<tr>")
            for cell in by_row.get(r, []):
                tag = "th" if cell.header else "td"
                attrs = ""
                if cell.header and cell.scope:
                    attrs += f' scope="{cell.scope}"'
                if cell.rowspan > 1:
                    attrs += f' rowspan="{cell.rowspan}"'
                if cell.colspan > 1:
                    attrs += f' colspan="{cell.colspan}"'
                allowed = grid.breaks.get(cell.text) if cell.header else None
                keep = ";word-break:keep-all" if allowed else ""
                attrs += f' style="{_cell_style(cell.align, cell.header)}{keep}"'
                out.append(f"<{tag}{attrs}>{label_html(cell.text, allowed)}</{tag}>")
            out.append("</tr>")

    if grid.header_rows:
        out.append("<thead>")
        rows(0, grid.header_rows)
        out.append("</thead>")
    for start, stop in grid.groups or ((grid.header_rows, grid.rows),):
        out.append("<tbody>")
        rows(start, stop)
        out.append("</tbody>")
    out.append("</table></div>")
    return "\n".join(out)


def _closing_html(block: Closing) -> list[str]:
    style = "text-indent:0;text-align:right;margin:0"
    out = [f'<p class="closing" style="{style};margin-top:{1.8 * block.blank_lines if k == 0 else 0:.1f}em;'
           f'margin-right:{offset:.2f}em">{escape(line)}</p>' for k, (line, offset) in enumerate(block.unit_lines)]
    out.append(f'<p class="closing" style="{style};margin-right:{block.date_right:.2f}em">{escape(block.date)}</p>')
    if block.sign_off:
        # A blank is a ruled box rather than underlined spaces: spaces would hang past a phone's edge.
        line = "display:inline-block;vertical-align:bottom;height:1.2em;border-bottom:1px solid #000;margin-right:1em"
        blanks = "".join(f'{escape(label)}<span class="blank" style="{line};width:{blank}em"></span>'
                         for label, blank in block.sign_off)
        out.append(f'<p class="sign-off" style="text-indent:0;margin-top:1em">{blanks}</p>')
    return out


def table_min_width(content: Content, table_id: str) -> float:
    return float(publish_data(content.template_id)["html"]["table_min_width_em"].get(table_id, 0))


def article_html(content: Content) -> str:
    """The article body: what a website editor (TRS, UEditor, KindEditor) takes."""
    out = ['<article class="xxgk-report">']
    for block in content.blocks:
        if isinstance(block, Title):
            out.append(f"<h1>{escape(block.text)}</h1>")
            if content.draft:
                out.append(f'<p class="draft" style="text-indent:0">{escape(content.draft_note)}</p>')
        elif isinstance(block, Heading):
            tag = "h2" if block.level == 1 else "h3"
            out.append(f"<{tag}>{escape(block.text)}</{tag}>")
        elif isinstance(block, Paragraph):
            out.append(f'<p style="{_PARA}">{escape(block.text)}</p>')
        elif isinstance(block, Table):
            out.append(table_html(block.grid, table_min_width(content, block.grid.id)))
        elif isinstance(block, Closing):
            out += _closing_html(block)
    out.append("</article>")
    return "\n".join(out)


def page_html(content: Content) -> str:
    """The whole web page: UTF-8, lang zh-CN, the style sheet inline, nothing fetched from elsewhere."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(content.title)}</title>",
        f'<meta name="author" content="{escape(content.unit)}">',
        f'<meta name="generator" content="{escape(content.creator)}">',
        f"<style>\n{_PAGE_CSS}\n</style>",
        "</head>",
        "<body>",
        article_html(content),
        "</body>",
        "</html>",
        "",
    ])


def report_html(report: Report, *, fragment: bool = False, final: bool = False, sign_off: bool = False,
                previous: Report | None = None) -> tuple[str, Content]:
    content = build_content(report, final=final, sign_off=sign_off, previous=previous)
    return (article_html(content) + "\n" if fragment else page_html(content)), content


def plain_text(content: Content, table_id: str | None = None) -> str:
    """The report (or one table) as plain text: tables as tab-separated rows, a merged cell's text
    at its top-left position, so pasting into a spreadsheet keeps every number in its column."""
    lines: list[str] = []
    for block in content.blocks:
        if isinstance(block, Table):
            if table_id is None or block.grid.id == table_id:
                lines += ["\t".join(row) for row in block.grid.text_rows()]
        elif table_id is not None:
            continue
        elif isinstance(block, Title | Heading | Paragraph):
            lines.append(block.text)
        elif isinstance(block, Closing):
            lines += [block.unit, block.date]
    return "\n".join(lines) + "\n"
