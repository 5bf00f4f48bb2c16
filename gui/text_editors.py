"""The prose sections (一、五、六): one editor per sub-paragraph, with its hint and a character count."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCursor, QTextOption
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QTextEdit, QVBoxLayout, QWidget

from core.prose import IDENTICAL, CarriedParagraph
from core.template import Section, TextSpec
from gui.style import BANNER_STYLE, CARRIED_COLOR


def count_characters(text: str) -> int:
    """Characters as a clerk counts them (字数): spaces and line breaks do not count."""
    return sum(1 for ch in text if not ch.isspace())


class ReportTextEdit(QPlainTextEdit):
    """A sub-paragraph editor; Tab moves to the next field, as in a form."""

    def __init__(self, spec: TextSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ref = spec.ref
        self.setObjectName(spec.ref)
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setPlaceholderText(spec.hint)

    def mark_paragraphs(self, indexes: list[int]) -> None:
        """Shade the non-empty lines numbered ``indexes`` (0-based, empty lines not counted).

        Extra selections colour the background only: the clerk's text stays plain text.
        """
        wanted = set(indexes)
        selections = []
        block = self.document().firstBlock()
        number = 0
        while block.isValid():
            if block.text().strip():
                if number in wanted:
                    selection = QTextEdit.ExtraSelection()
                    selection.format.setBackground(QColor(CARRIED_COLOR))
                    # The whole paragraph, every wrapped line of it (a full-width selection shades one line).
                    cursor = QTextCursor(block)
                    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                    selection.cursor = cursor
                    selections.append(selection)
                number += 1
            block = block.next()
        self.setExtraSelections(selections)

    def marked_paragraphs(self) -> list[int]:
        """The block numbers shaded now (for tests and the self-test)."""
        return [s.cursor.blockNumber() for s in self.extraSelections()]

    def show_text(self, text: str) -> None:
        """Show text from the report (opening a file) without it counting as an edit."""
        if self.toPlainText() != text:
            self.blockSignals(True)
            try:
                self.setPlainText(text)
            finally:
                self.blockSignals(False)


class TextPart(QWidget):
    """Heading, hint, editor and character count of one sub-paragraph."""

    edited = Signal(str, str)  # ref, text

    def __init__(self, spec: TextSpec, *, min_lines: int = 5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 8)
        lay.setSpacing(3)
        if spec.heading:
            heading = QLabel(spec.heading)
            heading.setProperty("role", "partTitle")
            heading.setStyleSheet("font-weight: bold;")
            lay.addWidget(heading)
        hint = QLabel(spec.hint)
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.carried_note = QLabel()
        self.carried_note.setObjectName(f"carried_{spec.ref}")
        self.carried_note.setTextFormat(Qt.TextFormat.PlainText)
        self.carried_note.setWordWrap(True)
        self.carried_note.setStyleSheet(BANNER_STYLE)
        self.carried_note.hide()
        lay.addWidget(self.carried_note)
        self.carried: list[CarriedParagraph] = []
        self.editor = ReportTextEdit(spec)
        line = self.editor.fontMetrics().lineSpacing()
        self.editor.setMinimumHeight(line * min_lines + 12)
        lay.addWidget(self.editor, 1)
        self.count = QLabel()
        self.count.setProperty("role", "count")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        lay.addWidget(self.count)
        if spec.heading:
            hint.setBuddy(self.editor)
        self.editor.textChanged.connect(self._on_text)
        self._update_count()

    def _on_text(self) -> None:
        self._update_count()
        self.edited.emit(self.spec.ref, self.editor.toPlainText())

    def _update_count(self) -> None:
        self.count.setText(f"{count_characters(self.editor.toPlainText())} 字")

    def show_text(self, text: str) -> None:
        self.editor.show_text(text)
        self._update_count()

    def show_carried(self, carried: list[CarriedParagraph]) -> None:
        """Mark the paragraphs that still carry last year's text: a note above, the lines shaded."""
        self.carried = list(carried)
        self.editor.mark_paragraphs([c.index for c in carried])
        if not carried:
            self.carried_note.hide()
            return
        which = "、".join(f"第 {c.index + 1} 段" for c in carried)
        same = any(c.reason == IDENTICAL for c in carried)
        quotes = "、".join(f"“{c.quote}”" for c in carried if c.quote)
        why = "与上年报告相同" if same and not quotes else \
            f"仍写着上年的年份（{quotes}）" if not same else f"与上年报告相同或仍写着上年的年份（{quotes}）"
        self.carried_note.setText(f"沿用上年文字：{which}{why}，请按本年度情况改写（底色标出，改写后标记消失）。")
        self.carried_note.show()


class TextSectionPage(QScrollArea):
    """A tab holding a prose section: its heading and one :class:`TextPart` per sub-paragraph.

    With ``fill=False`` the page starts empty and :meth:`fill` builds it (the window builds the
    pages not shown at start-up later).
    """

    def __init__(self, section: Section, parent: QWidget | None = None, *, fill: bool = True) -> None:
        super().__init__(parent)
        self.section = section
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.parts: dict[str, TextPart] = {}
        if fill:
            self.fill()

    def fill(self) -> None:
        if self.parts:
            return
        section = self.section
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(16, 10, 16, 10)
        title = QLabel(section.heading)
        title.setProperty("role", "sectionTitle")
        lay.addWidget(title)
        many = len(section.parts) > 2
        for spec in section.parts:
            part = TextPart(spec, min_lines=5 if many else 10)
            self.parts[spec.ref] = part
            lay.addWidget(part, 1)
        if many:
            lay.addStretch(0)
        self.setWidget(body)
