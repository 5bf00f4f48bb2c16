"""A saved government web page → tables and prose.

The encoding comes from the byte-order mark or the page's own ``charset``, else it is detected
(charset-normalizer); GBK/GB2312 are read as GB18030, their superset, since sites declare the
narrower name and use the wider one. The article is found inside the CMS's wrapper (class/id from
the format's ingest data), or failing that as the element holding the report's own headings.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from core.errors import InvalidReportFile
from core.ingest.files import read_bounded
from core.ingest.labels import ingest_data, normalize
from core.ingest.source import Source, SpanGrid, Table
from core.template import load_template

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_WIDER = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "center", "blockquote", "tr", "table", "dd", "dt", "dl", "header", "footer", "pre", "form"}
_SKIP = {"script", "style", "noscript", "template", "head", "title", "select", "option", "button"}
MAX_PAGE_BYTES = 20 * 1024 * 1024


def decode(raw: bytes) -> str:
    """The page's text: BOM, then ``<meta charset>``, then detection."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(name, errors="replace")
    m = _META_CHARSET.search(raw[:8192])
    if m:
        name = m.group(1).decode("ascii").lower()
        try:
            return raw.decode(_WIDER.get(name, name))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: fall through to detection
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InvalidReportFile("网页的文字编码无法识别",
                                ["网页的文字编码无法识别（不是 UTF-8、GBK 或 GB18030），不是年报网页"])
    name = best.encoding.lower().replace("_", "")
    return raw.decode(_WIDER.get(name, best.encoding), errors="replace")


def _text(el: etree._Element, *, skip_tables: bool = False) -> str:
    """The text of an element with ``<br>`` and block boundaries as line breaks.

    ``skip_tables`` leaves out the data tables (tables holding no other table), not the layout
    tables old sites still wrap their articles in.
    """
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        # Word's own elements (<o:p>, <v:shape>, …) are inline: they never break a line of text.
        local = tag.rsplit("}", 1)[-1].lower()
        if ":" in local:
            local = "span"
        skipped = local in _SKIP or not tag or (
            skip_tables and local == "table" and node.find(".//table") is None)
        if not skipped:
            if local == "br" or local in _BLOCK:
                out.append("\n")
            if node.text:
                out.append(node.text)
            for child in node:
                walk(child)
        if local in _BLOCK:
            out.append("\n")
        if node.tail:
            out.append(node.tail)

    if el.text:
        out.append(el.text)
    for child in el:
        walk(child)
    return "".join(out).replace("\xa0", " ")


def _span(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), 1000))
    except ValueError:
        return 1


def _table(el: etree._Element, where: str) -> Table:
    grid = SpanGrid()
    for tr in el.iter("tr"):
        if _nearest_table(tr) is not el:
            continue
        grid.new_row()
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            grid.add(_text(cell).strip(), _span(cell.get("rowspan")), _span(cell.get("colspan")))
    return grid.table(where)


def _nearest_table(el: etree._Element) -> etree._Element | None:
    for anc in el.iterancestors():
        if anc.tag == "table":
            return anc
    return None


def _article(root: etree._Element) -> etree._Element:
    """The element holding the report: a known CMS wrapper, else the one holding its headings."""
    data = ingest_data()
    wanted = {c.lower() for c in data.article_containers}
    tpl = load_template()
    first, last = normalize(tpl.sections[0].heading), normalize(tpl.sections[-1].heading)
    matches: list[tuple[int, etree._Element]] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        names = {el.get("id", "").lower(), el.get("class", "").lower(), *el.get("class", "").lower().split()}
        if names & wanted:
            text = normalize(el.text_content())
            if first in text or el.find(".//table") is not None:
                matches.append((len(text), el))
    if matches:
        # Wrappers nest (a page column around the editor's div): the innermost holds only the article.
        return min(matches, key=lambda m: m[0])[1]
    # No known wrapper: the smallest element that holds both the first and the last heading.
    best = root
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        text = normalize(el.text_content())
        if first in text and last in text and len(text) < len(normalize(best.text_content())):
            best = el
    return best


def _paragraphs(article: etree._Element) -> list[str]:
    lines = [re.sub(r"[ \t\u3000]+", " ", line).strip() for line in _text(article, skip_tables=True).split("\n")]
    return [line for line in lines if line]


def _meta(root: etree._Element, name: str) -> str:
    for el in root.iter("meta"):
        if (el.get("name") or "").lower() == name.lower():
            return (el.get("content") or "").strip()
    return ""


def _page_title(root: etree._Element) -> str:
    """The report's title when the page has no ``ArticleTitle``: its heading, else ``<title>``'s first part."""
    for tag in ("h1", "h2"):
        for el in root.iter(tag):
            text = el.text_content().strip()
            if re.search(r"\d{4}", text):
                return text
    title = root.find(".//title")
    text = title.text_content().strip() if title is not None else ""
    return re.split(r"[_|]| - ", text)[0].strip()


def read_source(path: str | Path) -> Source:
    raw = read_bounded(path, MAX_PAGE_BYTES, "网页")
    text = decode(raw)
    try:
        root = lxml_html.document_fromstring(text.replace("\x00", "") or "<html></html>")
    except (etree.ParserError, ValueError):
        raise InvalidReportFile("网页无法解析", [f"{path}：无法解析为网页，不是年报网页"]) from None
    article = _article(root)
    tables = [
        _table(el, f"第 {n} 个表格")
        for n, el in enumerate((t for t in article.iter("table") if t.find(".//table") is None), 1)
    ]
    return Source(
        tables=[t for t in tables if t.rows],
        paragraphs=_paragraphs(article),
        title=_meta(root, "ArticleTitle") or _page_title(root),
        published_on=_meta(root, "PubDate"),
        kind="网页",
    )
