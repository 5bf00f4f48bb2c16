"""A report without a unit: the window flags the unit field and its finding leads there."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from core.exchange import write_report
from core.sample import full_report
from gui.app import create_application, create_main_window
from gui.main_window import settings


def test_missing_unit_is_flagged_on_the_field_and_clicking_it_focuses_the_field(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda box: int(QMessageBox.StandardButton.Ok.value))
    report = full_report()
    report.unit = ""
    path = tmp_path / "no-unit.json"
    write_report(report, path)
    create_application()
    settings().remove("window/tab")
    win = create_main_window(path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    unit = win.editor.widget_for("unit")
    assert unit is not None
    assert unit.property("finding") == "warning"
    assert "单位名称" in unit.toolTip()
    win.tabs.setCurrentIndex(win.tabs.count() - 1)
    finding = next(f for f in win.editor.findings or [] if f.rule == "missing_unit")
    win.editor.go_to_finding(finding)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is unit)
    assert win.tabs.currentIndex() == 0
    unit.setText("某区科学技术局")
    qtbot.waitUntil(lambda: unit.property("finding") in (None, ""))
    win.document.mark_saved()
