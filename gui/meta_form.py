"""The 基本信息 tab: unit, report year, publication date and title (default shown as a placeholder)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.exchange import YEAR_RANGE
from core.model import Report
from core.template import Template

# The earliest date the field accepts doubles as "not filled in" (shown as 未填写).
_NO_DATE = QDate(2000, 1, 1)


class _WheelOnlyWhenFocused(QObject):
    """Scrolling the page over the year or the date must scroll the page, not change the report."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()
            return True
        return False


class _CalendarOpensAtPublishing(QObject):
    """With no date yet, the calendar opens at January after the report year (reports are published
    then), not at the field's "未填写" sentinel in 2000."""

    def __init__(self, form: MetaForm) -> None:
        super().__init__(form)
        self.form = form
        self._hooked = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.form.published_on:
            # The calendar is built when first needed (building it with the form slows start-up):
            # hook it before the press or key that opens it is handled.
            if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress) and not self._hooked:
                self._hooked = True
                self.form.published_on.calendarWidget().installEventFilter(self)
            return False
        if kind == QEvent.Type.Show and self.form.published_on.date() == _NO_DATE:
            calendar = self.form.published_on.calendarWidget()
            calendar.setCurrentPage(self.form.year.value() + 1, 1)
        return False


class MetaForm(QScrollArea):
    """Edits the meta fields; ``edited(ref, value)`` reports each change."""

    edited = Signal(str, object)

    def __init__(self, template: Template, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template = template
        self.setWidgetResizable(True)
        body = QWidget()
        body.setMaximumWidth(960)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(16, 10, 16, 10)
        title = QLabel("基本信息")
        title.setProperty("role", "sectionTitle")
        outer.addWidget(title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(4)
        outer.addLayout(form)
        outer.addStretch(1)
        self.setWidget(body)

        self.unit = QLineEdit()
        self.year = QSpinBox()
        # The same years the exchange file accepts, so whatever is typed here can be exported and read back.
        self.year.setRange(*YEAR_RANGE)
        self.year.setMaximumWidth(120)
        self.year.setSuffix(" 年")
        self.published_on = QDateEdit()
        self.published_on.setCalendarPopup(True)
        self.published_on.setDisplayFormat("yyyy-MM-dd")
        self.published_on.setMinimumDate(_NO_DATE)
        self.published_on.setSpecialValueText("未填写")
        self.published_on.setMaximumWidth(160)
        # Right-aligned, so that a finding's badge (at the left of a field) does not hide 未填写.
        self.published_on.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._calendar_guard = _CalendarOpensAtPublishing(self)
        self.published_on.installEventFilter(self._calendar_guard)
        self._wheel_guard = _WheelOnlyWhenFocused(self)
        for spin in (self.year, self.published_on):
            spin.installEventFilter(self._wheel_guard)
        self.title = QLineEdit()
        self.title.setClearButtonEnabled(True)
        self.widgets: dict[str, QWidget] = {
            "unit": self.unit, "year": self.year, "published_on": self.published_on, "title": self.title,
        }
        for meta in template.meta:
            widget = self.widgets[meta["ref"]]
            widget.setObjectName(meta["ref"])
            label = QLabel(meta["label"] + "：")
            label.setBuddy(widget)
            # Field and its hint in one cell, so the hint wraps at the field's width, not a sliver.
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 6)
            column.setSpacing(2)
            if widget.maximumWidth() < 1000:
                # A short field keeps its size; a stretch (not an alignment) fills the rest of the row,
                # since an aligned widget would hand its narrow width to the hint below.
                row = QHBoxLayout()
                row.addWidget(widget)
                row.addStretch(1)
                column.addLayout(row)
            else:
                column.addWidget(widget)
            hint = QLabel(meta["hint"])
            hint.setProperty("role", "hint")
            hint.setWordWrap(True)
            column.addWidget(hint)
            form.addRow(label, cell)
            widget.setToolTip(meta["hint"])
        self._updating = False
        self.unit.textChanged.connect(lambda t: self._emit("unit", t.strip()))
        self.year.valueChanged.connect(lambda v: self._emit("year", v))
        self.published_on.dateChanged.connect(self._date_changed)
        self.title.textChanged.connect(lambda t: self._emit("title", t.strip() or None))

    def _emit(self, ref: str, value: object) -> None:
        if not self._updating:
            self.edited.emit(ref, value)

    def _date_changed(self, qdate: QDate) -> None:
        value = None if qdate == _NO_DATE else date(qdate.year(), qdate.month(), qdate.day())
        self._emit("published_on", value)

    def show_report(self, report: Report) -> None:
        self._updating = True
        try:
            if self.unit.text().strip() != report.unit:
                self.unit.setText(report.unit)
            self.year.setValue(report.year)
            d = report.published_on
            self.published_on.setDate(QDate(d.year, d.month, d.day) if d else _NO_DATE)
            if (self.title.text().strip() or None) != report.title:
                self.title.setText(report.title or "")
            self.show_default_title(report)
        finally:
            self._updating = False

    def show_default_title(self, report: Report) -> None:
        self.title.setPlaceholderText(self.template.default_title(report.unit, report.year))


__all__ = ["MetaForm"]
