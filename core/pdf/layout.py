"""The flowables of the report: justified Chinese text and ruled tables with merged cells.

Both measure and draw with :class:`~core.pdf.fonts.FontChooser`, character by character, so a
rare character comes from a fallback face, and both break lines with :mod:`core.pdf.linebreak`.
Tables are drawn here rather than with ReportLab's ``Table`` because the format's row spans (the
22 rows of table 3's result block) must size rows by their content, split across pages with the
header repeated, and show their label on both sides of a page break.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from core.pdf.fonts import FontChooser
from core.pdf.linebreak import Line, balanced_lines, break_lines, clusters, stretch_gaps


class TextBlock(Flowable):
    """One paragraph: lines broken by 禁则, justified (or aligned), split between pages by line."""

    def __init__(
        self,
        text: str,
        chooser: FontChooser,
        *,
        role: str = "body",
        size: float = 16,
        leading: float = 20,
        indent: float = 0,
        align: str = "justify",
        tracking: float = 0,
        right_indent: float = 0,
        balanced: bool = False,
        keep_with_next: bool = False,
        max_stretch: float | None = None,
        lines: list[Line] | None = None,
        first_is_first: bool = True,
    ) -> None:
        super().__init__()
        self.text = text
        self.chooser = chooser
        self.role = role
        self.size = size
        self.leading = leading
        self.indent = indent
        self.align = align
        self.tracking = tracking
        self.right_indent = right_indent
        self.balanced = balanced
        # A justified line whose gaps would widen by more than this is set ragged instead.
        self.max_stretch = max_stretch if max_stretch is not None else size * 0.5
        self.keepWithNext = keep_with_next
        self._lines = lines
        self._first_is_first = first_is_first
        self._avail = 0.0

    def _advance(self, ch: str) -> float:
        return self.chooser.char_width(self.role, ch, self.size) + self.tracking

    def lines_for(self, avail: float) -> list[Line]:
        if self._lines is not None:
            return self._lines
        usable = avail - self.right_indent
        first = usable - (self.indent if self._first_is_first else 0)
        if self.balanced:
            return balanced_lines(self.text, usable, self._advance)
        return break_lines(self.text, [first, usable], self._advance)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._avail = avail_width
        self._lines = self.lines_for(avail_width)
        self.width = avail_width
        self.height = len(self._lines) * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self.lines_for(avail_width)
        fit = int((avail_height + 1e-6) // self.leading)
        if fit >= len(lines):
            return [self]
        # Never one line alone at a page foot or top: at least two on each side, so a piece of two
        # or three lines moves whole (ReportLab offers a piece the rest of the page again).
        fit = min(fit, len(lines) - 2)
        if fit < 2:
            return []
        head = self._copy(lines[:fit], first_is_first=self._first_is_first)
        tail = self._copy(lines[fit:], first_is_first=False)
        return [head, tail]

    def _copy(self, lines: list[Line], *, first_is_first: bool) -> TextBlock:
        return TextBlock(
            self.text, self.chooser, role=self.role, size=self.size, leading=self.leading,
            indent=self.indent, align=self.align, tracking=self.tracking,
            right_indent=self.right_indent, lines=lines, first_is_first=first_is_first,
            max_stretch=self.max_stretch,
        )

    def draw(self) -> None:
        lines = self._lines or []
        usable = self._avail - self.right_indent
        for i, line in enumerate(lines):
            indent = self.indent if (i == 0 and self._first_is_first) else 0
            room = usable - indent
            # Baseline so that the glyphs sit in the middle of the line's slot.
            y = self.height - i * self.leading - (self.leading + self.size * 0.76) / 2
            x = indent
            if self.align == "justify" and not line.last:
                gaps = stretch_gaps(line.text)
                extra = max(0.0, room - line.width) / gaps if gaps else 0.0
                if extra <= self.max_stretch:
                    self._draw_justified(line.text, x, y, extra)
                    continue
            elif self.align == "center":
                x = indent + (room - line.width + self.tracking) / 2
            elif self.align == "right":
                x = indent + room - line.width + self.tracking
            draw_runs(self.canv, self.chooser, self.role, line.text, x, y, self.size, self.tracking)

    def _draw_justified(self, text: str, x: float, y: float, extra: float) -> None:
        # Latin words, numbers and URLs keep their natural spacing; the gaps around them and
        # between hanzi take the stretch.
        pieces = [(piece, self.tracking, extra) if word else (piece, self.tracking + extra, 0.0)
                  for piece, word in clusters(text)]
        draw_pieces(self.canv, self.chooser, self.role, pieces, x, y, self.size)


def draw_runs(canv: Canvas, chooser: FontChooser, role: str, text: str, x: float, y: float,
              size: float, char_space: float = 0.0) -> float:
    """Draw ``text`` at (x, y) switching faces per character; returns the x after it."""
    return draw_pieces(canv, chooser, role, [(text, char_space, 0.0)], x, y, size)


def draw_pieces(canv: Canvas, chooser: FontChooser, role: str, pieces: list[tuple[str, float, float]],
                x: float, y: float, size: float) -> float:
    """Draw (text, character spacing, extra space after) pieces in one text object; returns the x after."""
    runs_of = [(chooser.runs(role, text), cs, after) for text, cs, after in pieces]
    first = next((runs[0][0] for runs, _, _ in runs_of if runs), None)
    if first is None:
        return x
    # Set the face before BT, or ReportLab opens the text object with its default Helvetica,
    # an unembedded font in the file.
    canv.setFont(first, size)
    tx = canv.beginText(x, y)
    for runs, char_space, after in runs_of:
        tx.setCharSpace(char_space)
        for font_name, run in runs:
            tx.setFont(font_name, size)
            font = pdfmetrics.getFont(font_name)
            # ReportLab drifts by a character space where a TrueType font changes subset (every
            # 256 glyphs) inside one string, so each subset's piece is placed at its computed x.
            start = 0
            for _subset, encoded in font.splitString(run, canv._doc):
                piece = run[start:start + len(encoded)]
                start += len(encoded)
                tx.setTextOrigin(x, y)
                tx.textOut(piece)
                x += pdfmetrics.stringWidth(piece, font_name, size) + char_space * len(piece)
        x += after
    canv.drawText(tx)
    return x


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    align: str = "center"  # center | left
    number: bool = False


@dataclass
class Grid:
    """A ruled table: column widths, cells with spans, and how many top rows are its header."""

    widths: list[float]
    cells: list[Cell]
    rows: int
    header_rows: int = 0
    size: float = 10
    leading: float = 13
    pad_x: float = 3
    pad_y: float = 3
    role: str = "body"
    # A table that fits on one page is moved whole to the next page rather than split.
    page_height: float = 0.0
    # Label → offsets its lines may break at (the format data's word boundaries).
    breaks: dict[str, frozenset[int]] = field(default_factory=dict)
    # One size for every figure of the table (None: the text size).
    number_size: float | None = None


class GridTable(Flowable):
    """A :class:`Grid` drawn with every cell ruled; splits between rows, repeating its header."""

    def __init__(self, grid: Grid, chooser: FontChooser, *, continued: bool = False) -> None:
        super().__init__()
        self.grid = grid
        self.chooser = chooser
        self.continued = continued
        self._heights: list[float] = []
        self._cell_lines: dict[int, tuple[list[Line], float]] = {}

    # -- measuring ------------------------------------------------------------------------------

    def _cell_width(self, cell: Cell) -> float:
        return sum(self.grid.widths[cell.col:cell.col + cell.colspan])

    def _layout_cell(self, idx: int, cell: Cell) -> tuple[list[Line], float]:
        g = self.grid
        inner = self._cell_width(cell) - 2 * g.pad_x
        size = g.size

        def adv(ch: str, s: float = size) -> float:
            return self.chooser.char_width(g.role, ch, s)

        if cell.number:
            # A number never wraps. The table's figure size was chosen to fit the widest one; only
            # a figure that still overflows (columns cannot widen further) is set smaller.
            size = g.number_size or size
            natural = sum(adv(ch, size) for ch in cell.text)
            if natural > inner > 0:
                size = max(4.0, size * inner / natural)
            return [Line(cell.text, sum(adv(ch, size) for ch in cell.text), True)], size
        return break_lines(cell.text, max(inner, size), adv, allowed=g.breaks.get(cell.text)), size

    def _measure(self) -> None:
        g = self.grid
        heights = [g.leading + 2 * g.pad_y] * g.rows
        self._cell_lines = {}
        for i, cell in enumerate(g.cells):
            self._cell_lines[i] = self._layout_cell(i, cell)
        # Single-row cells first, then spans grow their last rows if their text needs it.
        for i, cell in enumerate(g.cells):
            if cell.rowspan == 1:
                need = len(self._cell_lines[i][0]) * g.leading + 2 * g.pad_y
                heights[cell.row] = max(heights[cell.row], need)
        for i, cell in sorted(enumerate(g.cells), key=lambda ic: ic[1].rowspan):
            if cell.rowspan > 1:
                need = len(self._cell_lines[i][0]) * g.leading + 2 * g.pad_y
                have = sum(heights[cell.row:cell.row + cell.rowspan])
                if need > have:
                    share = (need - have) / cell.rowspan
                    for r in range(cell.row, cell.row + cell.rowspan):
                        heights[r] += share
        self._heights = heights

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if not self._heights:
            self._measure()
        self.width = sum(self.grid.widths)
        self.height = sum(self._heights)
        return self.width, self.height

    # -- splitting ------------------------------------------------------------------------------

    def _crossing(self, boundary: int) -> bool:
        """Whether a row span crosses the line between row ``boundary - 1`` and ``boundary``."""
        return any(c.row < boundary < c.row + c.rowspan for c in self.grid.cells)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        g = self.grid
        if self.height <= avail_height:
            return [self]
        # A table that fits a page goes whole to the next one, unless this page is (nearly) fresh
        # already: then moving it would only leave its heading behind.
        if self.height <= g.page_height and avail_height < 0.9 * g.page_height:
            return []
        head_h = sum(self._heights[:g.header_rows])
        # Candidate boundaries: after header + at least two body rows, as far down as fits.
        fits, used = [], head_h
        for r in range(g.header_rows, g.rows):
            used += self._heights[r]
            if used > avail_height + 1e-6:
                break
            fits.append(r + 1)
        fits = [b for b in fits if b - g.header_rows >= 2 and b < g.rows]
        if not fits:
            return []
        clean = [b for b in fits if not self._crossing(b)]
        # Prefer a clean break unless it wastes more than a third of the space.
        order = sorted(fits, reverse=True)
        if clean and sum(self._heights[:clean[-1]]) >= avail_height * 0.66:
            order.insert(0, clean[-1])
        for boundary in order:
            head = self._slice(0, boundary, continued=self.continued)
            # A span cut short may need taller rows for its label: measure the piece itself.
            if head.wrap(avail_width, avail_height)[1] <= avail_height + 1e-6:
                return [head, self._slice(boundary, g.rows, continued=True)]
        return []

    def _slice(self, start: int, stop: int, *, continued: bool) -> GridTable:
        """Rows ``start:stop`` under the header; spans cut at the edges keep their label."""
        g = self.grid
        h = g.header_rows
        cells: list[Cell] = []
        for c in g.cells:
            if c.row < h:
                cells.append(replace(c))
                continue
            top, bottom = max(c.row, start, h), min(c.row + c.rowspan, stop)
            if top >= bottom:
                continue
            offset = h if start > h else 0
            new_row = top - start + offset if start > h else top
            cells.append(replace(c, row=new_row, rowspan=bottom - top))
        rows = (stop - start + h) if start > h else stop
        return GridTable(replace(g, cells=cells, rows=rows), self.chooser, continued=continued)

    # -- drawing --------------------------------------------------------------------------------

    def draw(self) -> None:
        g = self.grid
        canv = self.canv
        tops = [self.height]
        for hgt in self._heights:
            tops.append(tops[-1] - hgt)
        lefts = [0.0]
        for w in g.widths:
            lefts.append(lefts[-1] + w)
        canv.saveState()
        canv.setLineWidth(0.6)
        for i, cell in enumerate(g.cells):
            x0, x1 = lefts[cell.col], lefts[cell.col + cell.colspan]
            y_top, y_bot = tops[cell.row], tops[cell.row + cell.rowspan]
            canv.rect(x0, y_bot, x1 - x0, y_top - y_bot, stroke=1, fill=0)
            lines, size = self._cell_lines[i]
            block = len(lines) * g.leading
            first_base = (y_top + y_bot) / 2 + block / 2 - (g.leading + size * 0.76) / 2
            for k, line in enumerate(lines):
                y = first_base - k * g.leading
                if cell.align == "left":
                    x = x0 + g.pad_x
                else:
                    x = x0 + (x1 - x0 - line.width) / 2
                draw_runs(canv, self.chooser, g.role, line.text, x, y, size)
        canv.restoreState()


class SignOffLine(Flowable):
    """``单位负责人（签字）：＿＿  经办人：＿＿  联系电话：＿＿`` — labels with ruled blanks to write on."""

    def __init__(self, items: list[tuple[str, float]], chooser: FontChooser, *, size: float,
                 leading: float) -> None:
        super().__init__()
        self.items = items
        self.chooser = chooser
        self.size = size
        self.leading = leading

    def _natural(self, size: float) -> float:
        total = 0.0
        for label, blank in self.items:
            total += sum(self.chooser.char_width("body", ch, size) for ch in label) + blank * size
        return total + size * (len(self.items) - 1)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.leading
        size = self.size
        # Shrink rather than wrap: the three blanks belong on one line.
        if self._natural(size) > avail_width:
            size = size * avail_width / self._natural(size)
        self._used_size = size
        return self.width, self.height

    def draw(self) -> None:
        size = self._used_size
        gap = (self.width - self._natural(size)) / max(1, len(self.items) - 1) + size
        y = (self.leading - size * 0.76) / 2
        x = 0.0
        for label, blank in self.items:
            x = draw_runs(self.canv, self.chooser, "body", label, x, y, size)
            self.canv.setLineWidth(0.6)
            self.canv.line(x, y - 2, x + blank * size, y - 2)
            x += blank * size + gap


class Gap(Flowable):
    """Vertical space that vanishes at the top of a page (a spacer there would push the page's
    first heading half a line down). With ``grid``, it also rounds the position down to the next
    line of the page's grid, so text after a table is back on the 22 lines."""

    def __init__(self, height: float, *, grid: float = 0.0, snap: bool = True) -> None:
        super().__init__()
        self.gap = height
        self.grid = grid
        self.snap = snap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        height = self.gap
        if frame is not None and self.snap:
            if frame._atTop:
                height = 0.0
            elif self.grid:
                used = frame._y2 - frame._topPadding - frame._y
                off = (used + self.gap) % self.grid
                height = self.gap + (self.grid - off if off > 1e-3 and self.grid - off > 1e-3 else 0.0)
        self.width, self.height = avail_width, min(height, max(0.0, avail_height))
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # a gap that does not fit is simply the page break

    def draw(self) -> None:
        pass


class Closing(Flowable):
    """落款: blank lines, the unit's lines and the date at given x positions, then the sign-off line."""

    def __init__(self, rows: list[tuple[str, float]], chooser: FontChooser, *, size: float, leading: float,
                 tracking: float, blank_lines: float, min_blank_lines: float,
                 after: list[Flowable] | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.chooser = chooser
        self.size = size
        self.leading = leading
        self.tracking = tracking
        self.blank_lines = blank_lines
        self.min_blank_lines = min_blank_lines
        self.after = after or []
        self.tight = False

    def height_for(self, *, tight: bool) -> float:
        blank = self.min_blank_lines if tight else self.blank_lines
        extra = sum(self.leading * 0.5 + f.wrap(10_000, 10_000)[1] for f in self.after)
        return (blank + len(self.rows)) * self.leading + extra

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.height_for(tight=self.tight)
        for f in self.after:
            f.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        blank = self.min_blank_lines if self.tight else self.blank_lines
        top = self.height - blank * self.leading
        for i, (text, x) in enumerate(self.rows):
            y = top - i * self.leading - (self.leading + self.size * 0.76) / 2
            draw_runs(self.canv, self.chooser, "body", text, x, y, self.size, self.tracking)
        y = top - len(self.rows) * self.leading
        for f in self.after:
            y -= self.leading * 0.5 + f.height
            f.drawOn(self.canv, 0, y)


class KeepTail(Flowable):
    """The report's last section and its 落款, which must not stand alone on a page.

    When both do not fit, the space above the 落款 is tightened first (never below its minimum);
    failing that, the page breaks inside the text so that at least a line of it goes over with the
    落款 (a heading never ends a page, a paragraph never leaves a single line behind)."""

    def __init__(self, blocks: list[TextBlock], closing: Closing) -> None:
        super().__init__()
        self.blocks = blocks
        self.closing = closing

    def _wrap_blocks(self, avail_width: float) -> float:
        return sum(b.wrap(avail_width, 1e9)[1] for b in self.blocks)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        text = self._wrap_blocks(avail_width)
        self.closing.wrap(avail_width, avail_height)
        # A hair less than the exact sum, so that a page the text and 落款 fill exactly accepts them.
        self.height = text + self.closing.height - 0.01
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        text = self._wrap_blocks(avail_width)
        eps = 0.05
        if text + self.closing.height_for(tight=False) <= avail_height + eps:
            return [self]
        if text + self.closing.height_for(tight=True) <= avail_height + eps:
            self.closing.tight = True
            return [self]
        entries = [(bi, li) for bi, b in enumerate(self.blocks) for li in range(len(b._lines or []))]
        leading = [b.leading for b in self.blocks]
        used, fit = 0.0, 0
        for bi, _li in entries:
            if used + leading[bi] > avail_height + eps:
                break
            used += leading[bi]
            fit += 1
        for k in range(min(fit, len(entries) - 1), 0, -1):
            bi, li = entries[k - 1]
            block = self.blocks[bi]
            if block.role != "body" and li == len(block._lines or []) - 1:
                continue  # a heading never ends a page
            nbi, nli = entries[k]
            if nbi == bi:
                n = len(block._lines or [])
                if nli < 2 or n - nli < 2:
                    continue  # no single line left behind or carried over
            head: list[Flowable] = list(self.blocks[:bi])
            rest: list[TextBlock] = list(self.blocks[nbi + 1:]) if nbi != bi else list(self.blocks[bi + 1:])
            if nbi == bi:
                lines = block._lines or []
                head.append(block._copy(lines[:nli], first_is_first=block._first_is_first))
                rest.insert(0, block._copy(lines[nli:], first_is_first=False))
            else:
                head.append(block)
                rest.insert(0, self.blocks[nbi])
            return [*head, KeepTail(rest, self.closing)]
        return []

    def draw(self) -> None:
        y = self.height + 0.01
        for b in self.blocks:
            y -= b.height
            b.drawOn(self.canv, 0, y)
        self.closing.drawOn(self.canv, 0, y - self.closing.height)
