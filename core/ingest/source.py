"""What a reader of a published report hands to the recogniser: tables and prose, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

Position = tuple[int, int]


@dataclass
class Table:
    """One table as a rectangular grid.

    ``rows`` has spans expanded: a merged cell's text stands in every position it covers, so each
    row can be read on its own. ``origins`` names, for every position, the top-left position of
    the cell it belongs to, so that a value spanning three columns is still one value.
    """

    rows: list[list[str]]
    origins: list[list[Position]]
    where: str = ""  # Chinese, for messages: "第 3 页"
    # Per row, how many positions the source's cells cover (the rest is padding); empty: all.
    ends: list[int] = field(default_factory=list)

    def row_end(self, i: int) -> int:
        return self.ends[i] if self.ends else self.width

    @classmethod
    def from_rows(cls, rows: list[list[str]], where: str = "") -> Table:
        """A table without merged cells (every position its own cell); short rows padded."""
        width = max((len(r) for r in rows), default=0)
        padded = [list(r) + [""] * (width - len(r)) for r in rows]
        origins = [[(i, j) for j in range(width)] for i in range(len(padded))]
        return cls(padded, origins, where)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


class SpanGrid:
    """Builds a :class:`Table` from cells with ``rowspan``/``colspan``, in document order."""

    def __init__(self) -> None:
        self._cells: dict[Position, tuple[str, Position]] = {}
        self._row = -1

    def new_row(self) -> None:
        self._row += 1

    def add(self, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        row = max(self._row, 0)
        col = 0
        while (row, col) in self._cells:
            col += 1
        for i in range(row, row + max(rowspan, 1)):
            for j in range(col, col + max(colspan, 1)):
                self._cells.setdefault((i, j), (text, (row, col)))

    def table(self, where: str = "") -> Table:
        if not self._cells:
            return Table([], [], where)
        height = max(i for i, _ in self._cells) + 1
        width = max(j for _, j in self._cells) + 1
        rows: list[list[str]] = []
        origins: list[list[Position]] = []
        ends = [0] * height
        for i, j in self._cells:
            ends[i] = max(ends[i], j + 1)
        for i in range(height):
            rows.append([self._cells.get((i, j), ("", (i, j)))[0] for j in range(width)])
            origins.append([self._cells.get((i, j), ("", (i, j)))[1] for j in range(width)])
        return Table(rows, origins, where, ends)


@dataclass
class Source:
    """A published report as read from its file, before any cell is recognised."""

    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # prose in reading order, tables left out
    title: str = ""            # the document's own title when the file names one (page meta, …)
    published_on: str = ""     # a date the file states (page meta), as printed
    kind: str = ""             # Chinese: "网页", "Word 文件", "PDF"
    notes: list[str] = field(default_factory=list)
