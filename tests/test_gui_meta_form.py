"""The 基本信息 fields: the wheel scrolls the page unless the field is being edited, and the year
range is the one the exchange file accepts."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from core.exchange import YEAR_RANGE
from core.template import load_template
from gui.meta_form import MetaForm


def _wheel(widget) -> None:  # type: ignore[no-untyped-def]
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_wheel_over_an_unfocused_year_does_not_change_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = MetaForm(load_template())
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.year.setValue(2021)
    form.unit.setFocus()
    _wheel(form.year)
    assert form.year.value() == 2021
    form.activateWindow()
    form.year.setFocus()
    qtbot.waitUntil(form.year.hasFocus)
    _wheel(form.year)
    assert form.year.value() == 2022


def test_year_range_matches_the_exchange_file() -> None:
    form = MetaForm(load_template())
    assert (form.year.minimum(), form.year.maximum()) == YEAR_RANGE
