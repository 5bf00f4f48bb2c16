"""The report as a Word document (python-docx) in the GB/T 9704-2012 layout, for the office's document
system and for editing in WPS/Word.

A4, margins 37/35/28/26 mm, 三号 body at an exact line pitch that gives 22 lines per page; named paragraph
styles (标题, 一级标题, 二级标题, 正文, 落款 — names and faces from ``2021-publish.json``) with the East-Asian
face in ``w:eastAsia`` and Latin letters and digits in Times New Roman; the three tables as real Word
tables with the official ``gridSpan``/``vMerge``, header rows repeated; page numbers ``— N —`` from a
PAGE field, odd pages right, even pages left.
"""

from __future__ import annotations

import io
import re
from typing import Any

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
    text_width,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MM_TWIPS = 1440 / 25.4
PAGE_W_MM, PAGE_H_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
LINES_PER_PAGE = 22
# The text block is 225 mm high: 12,756 twips; 22 lines of 579 twips (28.95 pt) fill it without a 23rd
# line and without losing the 22nd to rounding (580 would leave room for only 21).
LINE_TWIPS = int((PAGE_H_MM - TOP_MM - BOTTOM_MM) * MM_TWIPS / LINES_PER_PAGE)
TEXT_W_TWIPS = round((PAGE_W_MM - LEFT_MM - RIGHT_MM) * MM_TWIPS)
BODY_PT = 16
CHARS_PER_LINE = 28
# 28 三号 characters need 448 pt, the line has 442.2: each character is condensed by a quarter point
# (Word's 字符间距 紧缩 0.25 磅, in twentieths of a point) so that a line holds 28, as GB/T 9704 counts.
CONDENSE_TWENTIETHS = -5
CELL_MARGIN_TWIPS = 57  # 1 mm left and right in a table cell

# Characters XML 1.0 cannot hold: a stray control in the clerk's text must not make the file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# What follows w:snapToGrid inside w:pPr (ECMA-376 order; Word refuses a file out of order).
_AFTER_SNAP_TO_GRID = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
                       "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                       "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")

# What follows w:autoSpaceDE inside w:pPr.
_AFTER_AUTO_SPACE_DE = ("w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", *_AFTER_SNAP_TO_GRID)


# What follows w:spacing inside w:rPr.
_AFTER_CHAR_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                       "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                       "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _text(value: str) -> str:
    # Not xml.sax.saxutils.escape: importing it pulls in urllib.request and http.client (~25 ms).
    return _NOT_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, *, size_pt: float | None = None, underline: bool = False) -> str:
    props = ""
    if size_pt is not None:
        half = round(size_pt * 2)
        props += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    if underline:
        props += '<w:u w:val="single"/>'  # after w:sz, as the schema orders them
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


class _Writer:
    def __init__(self, content: Content, template_id: str) -> None:
        from docx import Document

        self.content = content
        self.data = publish_data(template_id)["word"]
        self.furniture = content.page_furniture
        # The page number's size is the print data's page furniture, as in the PDF.
        self.styles: dict[str, Any] = {**self.data["styles"]}
        self.styles["folio"] = {**self.styles["folio"], "size": float(self.furniture["page_number_size_pt"])}
        self.doc = Document()
        self.body = self.doc.element.body

    # -- page and styles --------------------------------------------------------------------------

    def page(self) -> None:
        from docx.shared import Mm

        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
        sec.top_margin, sec.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        sec.left_margin, sec.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        sec.header_distance = Mm(15)
        # GB/T 9704 7.5: the folio's top sits 7 mm under the text block; Word measures the footer
        # from the page's bottom edge to the footer's last line.
        folio_pt = float(self.styles["folio"]["size"])
        below = float(self.furniture["page_number_below_block_mm"])
        sec.footer_distance = Mm(BOTTOM_MM - below - folio_pt * 1.3 * 25.4 / 72)
        self.doc.settings.odd_and_even_pages_header_footer = True
        sect_pr = sec._sectPr
        for old in sect_pr.findall(f"{{{W_NS}}}docGrid"):
            sect_pr.remove(old)
        # A line grid only: LibreOffice sets a character grid's 16 pt glyphs two cells apart.
        sect_pr.append(self._xml(f'<w:docGrid w:type="lines" w:linePitch="{LINE_TWIPS}"/>'))

    def _fonts(self, east_asia: str, latin: str) -> str:
        return (f'<w:rFonts w:ascii="{_text(latin)}" w:hAnsi="{_text(latin)}" w:cs="{_text(latin)}" '
                f'w:eastAsia="{_text(east_asia)}"/>')

    def define_styles(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor, Twips

        latin = self.data["latin_font"]
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        self._set_fonts(normal, self.styles["body"]["east_asia"], latin)
        rpr = normal.element.get_or_add_rPr()
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        rpr.append(self._xml('<w:lang w:val="en-US" w:eastAsia="zh-CN"/>'))
        # No automatic space between hanzi and figures (Word's default), as in the PDF: it widens
        # "2021年" and would push a full title's last character, or the 落款's date, out of place.
        ppr = normal.element.get_or_add_pPr()
        ppr.insert_element_before(self._xml('<w:autoSpaceDE w:val="0"/>'), *_AFTER_AUTO_SPACE_DE)
        ppr.insert_element_before(self._xml('<w:autoSpaceDN w:val="0"/>'), *_AFTER_AUTO_SPACE_DE[1:])
        aligns = {"center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
                  "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}
        for key, spec in self.styles.items():
            style = styles.add_style(spec["name"], WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = spec["id"]
            style.base_style = normal
            style.quick_style = key != "folio"
            style.font.size = Pt(float(spec["size"]))
            self._set_fonts(style, spec["east_asia"], spec.get("latin", latin))
            if "color" in spec:
                style.font.color.rgb = RGBColor.from_string(spec["color"])
            fmt = style.paragraph_format
            if "align" in spec:
                fmt.alignment = aligns[spec["align"]]
            fmt.space_before = Pt(0)
            fmt.space_after = Twips(LINE_TWIPS * int(spec.get("lines_after", 0)))
            if key in ("title", "heading1", "heading2", "body", "closing"):
                fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                fmt.line_spacing = Twips(round(LINE_TWIPS * float(spec.get("line_factor", 1))))
            elif "line_pt" in spec:
                fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                fmt.line_spacing = Pt(float(spec["line_pt"]))
            else:
                fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.widow_control = True
            if key not in ("heading1", "heading2", "body", "closing"):
                # Off the page's line grid: a 二号 title line or a table row would otherwise take
                # whole grid lines (29 pt) each.
                ppr = style.element.get_or_add_pPr()
                ppr.insert_element_before(self._xml('<w:snapToGrid w:val="0"/>'), *_AFTER_SNAP_TO_GRID)
            if spec.get("keep_with_next"):
                fmt.keep_with_next = True
            if key in ("heading1", "heading2", "body", "closing"):
                style.element.get_or_add_rPr().insert_element_before(
                    self._xml(f'<w:spacing w:val="{CONDENSE_TWENTIETHS}"/>'), *_AFTER_CHAR_SPACING)
            chars = int(spec.get("indent_chars", 0))
            if chars:
                fmt.first_line_indent = Pt(chars * float(spec["size"]))
                # Word and WPS keep a character-based indent when the clerk changes the size.
                ind = style.element.get_or_add_pPr().find(qn("w:ind"))
                ind.set(qn("w:firstLineChars"), str(chars * 100))
            else:
                fmt.first_line_indent = Pt(0)

    def _set_fonts(self, style: Any, east_asia: str, latin: str) -> None:
        from docx.oxml.ns import qn

        rpr = style.element.get_or_add_rPr()
        for old in rpr.findall(qn("w:rFonts")):
            rpr.remove(old)
        rpr.insert(0, self._xml(self._fonts(east_asia, latin)))

    def _xml(self, fragment: str) -> Any:
        from docx.oxml import parse_xml

        return parse_xml(_with_ns(fragment))

    # -- header and footer ----------------------------------------------------------------------

    def header_footer(self) -> None:
        sec = self.doc.sections[0]
        style = self.styles["folio"]
        before, _, after = self.content.page_number.partition("{n}")
        indent = round(float(self.furniture["page_number_inset_chars"]) * float(style["size"]) * 20)
        field = (f'{_run(before)}<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                 '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                 f'{_run("1")}<w:r><w:fldChar w:fldCharType="end"/></w:r>{_run(after)}')
        pstyle = f'<w:pStyle w:val="{style["id"]}"/>'
        # Odd pages: right, one character in; even pages: left, one character in (the outside of the
        # page, as the PDF), or right on both when the furniture says not outside.
        right = f'<w:p><w:pPr>{pstyle}<w:ind w:right="{indent}"/><w:jc w:val="right"/></w:pPr>{field}</w:p>'
        left = f'<w:p><w:pPr>{pstyle}<w:ind w:left="{indent}"/><w:jc w:val="left"/></w:pPr>{field}</w:p>'
        self._fill(sec.footer, right)
        self._fill(sec.even_page_footer, left if self.furniture.get("page_number_outside", True) else right)
        if self.content.draft:
            draft = (f'<w:p><w:pPr><w:pStyle w:val="{self.styles["header"]["id"]}"/></w:pPr>'
                     f'{_run(self.content.draft_note)}</w:p>')
            self._fill(sec.header, draft)
            self._fill(sec.even_page_header, draft)

    def _fill(self, part: Any, paragraph_xml: str) -> None:
        element = part._element
        for p in list(element):
            element.remove(p)
        element.append(self._xml(paragraph_xml))

    # -- blocks -----------------------------------------------------------------------------------

    def _para(self, style_key: str, inner: str, ppr: str = "") -> Any:
        p = self._xml(f'<w:p><w:pPr><w:pStyle w:val="{self.styles[style_key]["id"]}"/>{ppr}</w:pPr>{inner}</w:p>')
        self.body.insert(len(self.body) - 1, p)  # before the section properties, which stay last
        return p

    def blocks(self) -> None:
        blocks = self.content.blocks
        for i, block in enumerate(blocks):
            if isinstance(block, Title):
                runs = '<w:r><w:br/></w:r>'.join(_run(line) for line in block.lines)
                self._para("title", runs)
            elif isinstance(block, Heading):
                self._para("heading1" if block.level == 1 else "heading2", _run(block.text))
            elif isinstance(block, Paragraph):
                # The last paragraph keeps with the 落款 (GB/T 9704 7.3.5.4): never a signature alone.
                keep = "<w:keepNext/>" if i + 1 < len(blocks) and isinstance(blocks[i + 1], Closing) else ""
                self._para("body", _run(block.text), keep)
            elif isinstance(block, Table):
                self.table(block.grid)
            elif isinstance(block, Closing):
                self.closing(block)

    def closing(self, block: Closing) -> None:
        size = float(self.styles["closing"]["size"])

        def right(chars: float) -> str:
            return f'<w:ind w:right="{round(chars * size * 20)}" w:rightChars="{round(chars * 100)}"/>'

        for k, (line, offset) in enumerate(block.unit_lines):
            before = f'<w:spacing w:before="{LINE_TWIPS * block.blank_lines}"/>' if k == 0 else ""
            self._para("closing", _run(line), f"<w:keepNext/>{before}{right(offset)}")
        self._para("closing", _run(block.date), right(block.date_right))
        if block.sign_off:
            # 四号 like the PDF's, smaller when the labels and blanks would not fit on one line.
            natural = sum(text_width(label) + blank for label, blank in block.sign_off) + len(block.sign_off) - 1
            size = min(float(self.styles["folio"]["size"]), int(TEXT_W_TWIPS / 20 / natural * 2 * 0.97) / 2)
            runs = _run("　", size_pt=size).join(
                _run(label, size_pt=size) + _run("　" * blank, size_pt=size, underline=True)
                for label, blank in block.sign_off)
            self._para("closing", runs, f'<w:spacing w:before="{LINE_TWIPS // 2}"/><w:jc w:val="left"/>')

    def _label_runs(self, text: str, width_twips: int, breaks: dict[str, frozenset[int]]) -> str:
        """A label too wide for its cell, broken at the format data's word boundaries with line breaks
        in the cell, as the blank template offices use breaks 商业/企业: Word would cut 商业企/业."""
        allowed = breaks.get(text)
        if not allowed:
            return _run(text)
        from core.pdf.linebreak import break_lines

        size = float(self.styles["table"]["size"])
        # A tenth of a character to spare: CJK faces are one em wide, Latin figures about a half.
        room = (width_twips - 2 * CELL_MARGIN_TWIPS) / (size * 20) - 0.1
        lines = break_lines(text, room, text_width, allowed=allowed)
        return '<w:r><w:br/></w:r>'.join(_run(line.text) for line in lines)

    def table(self, grid: TableGrid) -> None:
        total = sum(grid.widths)
        cols = [round(w / total * TEXT_W_TWIPS) for w in grid.widths]
        cols[-1] += TEXT_W_TWIPS - sum(cols)
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        sides = "".join(border.format(s) for s in ("top", "left", "bottom", "right"))
        table_style = self.styles["table"]["id"]
        small_table = grid.rows <= 16  # tables 2 and 4 stay whole on one page
        out = [
            "<w:tbl><w:tblPr>",
            f'<w:tblW w:w="{TEXT_W_TWIPS}" w:type="dxa"/><w:jc w:val="center"/>',
            f"<w:tblBorders>{sides}{border.format('insideH')}{border.format('insideV')}</w:tblBorders>",
            '<w:tblLayout w:type="fixed"/>',
            f'<w:tblCellMar><w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
            f'<w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>',
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="1" w:noVBand="1"/>',
            "</w:tblPr><w:tblGrid>",
            *(f'<w:gridCol w:w="{w}"/>' for w in cols),
            "</w:tblGrid>",
        ]
        cover = grid.at()
        for r in range(grid.rows):
            header = '<w:tblHeader/>' if r < grid.header_rows else ""
            out.append(f'<w:tr><w:trPr><w:cantSplit/>{header}<w:jc w:val="center"/></w:trPr>')
            c = 0
            while c < grid.cols:
                cell = cover[(r, c)]
                span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
                merge = ""
                if cell.rowspan > 1:
                    merge = '<w:vMerge w:val="restart"/>' if cell.row == r else "<w:vMerge/>"
                width = sum(cols[cell.col:cell.col + cell.colspan])
                text = ""
                if cell.row == r:
                    text = self._label_runs(cell.text, width, grid.breaks) if cell.header else _run(cell.text)
                keep = "<w:keepNext/>" if small_table and r < grid.rows - 1 else ""
                out.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}'
                    f"<w:tcBorders>{sides}</w:tcBorders><w:vAlign w:val=\"center\"/></w:tcPr>"
                    f'<w:p><w:pPr><w:pStyle w:val="{table_style}"/>{keep}'
                    f'<w:jc w:val="{"left" if cell.align == "left" else "center"}"/></w:pPr>{text}</w:p></w:tc>')
                c += cell.colspan
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.body.insert(len(self.body) - 1, self._xml("".join(out)))
        # A table is followed by a paragraph (Word needs one between two tables; it also gives air).
        self._para("body", "", '<w:spacing w:line="240" w:lineRule="auto"/>')

    def metadata(self) -> None:
        props = self.doc.core_properties
        props.title = _NOT_XML.sub("", self.content.title)
        props.author = _NOT_XML.sub("", self.content.unit)
        props.subject = self.content.subject
        props.comments = self.content.creator
        props.last_modified_by = self.content.creator
        props.keywords = ""
        props.language = "zh-CN"

    def build(self) -> bytes:
        # The template's own first (empty) paragraph would start the document with a blank line.
        for p in self.body.findall(f"{{{W_NS}}}p"):
            self.body.remove(p)
        self.page()
        self.define_styles()
        self.header_footer()
        self.blocks()
        self.metadata()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _with_ns(fragment: str) -> str:
    """Declare the w: namespace on the fragment's first element."""
    end = fragment.index(">")
    if fragment[end - 1] == "/":
        end -= 1
    head = fragment[:end]
    if "xmlns:w=" in head:
        return fragment
    return f'{head} xmlns:w="{W_NS}"{fragment[end:]}'


def report_docx(report: Report, *, final: bool = False, sign_off: bool = False,
                previous: Report | None = None) -> tuple[bytes, Content]:
    content = build_content(report, final=final, sign_off=sign_off, previous=previous)
    return _Writer(content, report.template.id).build(), content
