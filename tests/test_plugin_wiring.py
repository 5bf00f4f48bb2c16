"""Adding an exporter or a reader is one module plus one registry line: the command line and the
window's 文件 menu pick it up with no other code (``tests/example_plugins.py`` is such a module)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from core import plugins
from core.cli import main
from core.exchange import write_report
from core.sample import full_report
from tests.gui_helpers import record_boxes

EXPORTER_LINE = "tests.example_plugins:EXPORTER"
READER_LINE = "tests.example_plugins:READER"


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one line each a plug-in's author adds to core/plugins.py."""
    monkeypatch.setattr(plugins, "EXPORTER_MODULES", [*plugins.EXPORTER_MODULES, EXPORTER_LINE])
    monkeypatch.setattr(plugins, "READER_MODULES", [*plugins.READER_MODULES, READER_LINE])


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return record_boxes(monkeypatch)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "报告.json"
    write_report(full_report(), path)
    return path


def window(qtbot, tmp_path: Path, path: Path | None = None):  # type: ignore[no-untyped-def]
    from gui.app import create_application, create_main_window

    create_application()
    win = create_main_window(path, data_dir=str(tmp_path / "草稿库"))
    qtbot.addWidget(win)
    return win


def test_a_registered_exporter_is_a_command(registered: None, sample: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "合计.tsv"
    assert main(["totals", str(sample), "-o", str(out), "--data-dir", str(tmp_path / "草稿库")]) == 0
    assert "table3.new_received.total\t" in out.read_text("utf-8")
    assert f"已生成 {out}" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["totals", "--help"])
    assert "合计数一览" in capsys.readouterr().out


def test_without_the_line_there_is_no_such_command(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["totals", str(sample)])  # not a command: the window's parser takes one file only
    assert refused.value.code == 2
    assert "totals" not in capsys.readouterr().out


def test_a_registered_exporter_is_in_the_file_menu_and_writes(registered: None, qtbot, boxes: list[str],  # type: ignore[no-untyped-def]
                                                               sample: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from gui import export_actions

    win = window(qtbot, tmp_path, sample)
    file_menu = win.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert "导出合计表…" in texts and "导出定稿合计表…" in texts
    assert texts.index("导出定稿 PDF(&F)…") < texts.index("导出合计表…")  # the first exporter keeps its place
    target = tmp_path / "出" / "合计.tsv"
    target.parent.mkdir()
    asked: list[str] = []
    monkeypatch.setattr(export_actions, "_ask_target",
                        lambda parent, plugin, report, *, final: (asked.append(plugin.name), (target, False))[1])
    win.findChild(QAction, "actionExportTotals").trigger()
    assert asked == ["totals"]
    assert "table3.new_received.total\t" in target.read_text("utf-8")
    assert "已导出合计表。" in boxes[-1] and "共 " in boxes[-1]


def test_a_registered_reader_is_offered_by_the_published_import(registered: None, qtbot, boxes: list[str],  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """No menu entry of its own: 文件 › 导入已发布的年报… lists its suffix and reads its files."""
    from PySide6.QtWidgets import QFileDialog

    from gui.ingest_review import IngestReviewDialog

    published = tmp_path / "某局年报.xxgk"
    write_report(full_report(unit="某区审计局"), published)
    win = window(qtbot, tmp_path)
    filters: list[str] = []

    def choose_file(dialog: QFileDialog) -> int:
        filters.extend(dialog.nameFilters())
        dialog.selectFile(str(published))
        return 1

    def keep_as_draft(dialog: IngestReviewDialog) -> int:
        assert "读入" in dialog.notes.toPlainText()  # what the reader noted is shown for review
        dialog.as_draft.click()
        return int(dialog.result())

    monkeypatch.setattr(QFileDialog, "exec", choose_file)
    monkeypatch.setattr(IngestReviewDialog, "exec", keep_as_draft)
    before = len(win.store.list())
    win.findChild(QAction, "actionImportPublished").trigger()
    assert "*.xxgk" in filters[0] and any(f.startswith("示例格式 (") for f in filters)
    assert win.document.report.unit == "某区审计局"
    assert len(win.store.list()) == before + 1 and win.report_id is not None
    assert win.findChild(QAction, "actionImportXxgk") is None  # one entry, not one per reader


def test_a_reviewed_report_can_be_kept_as_last_years(qtbot, boxes: list[str], sample: Path,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    """What a reader's review dialog hands over when the clerk picks 作为上一年度报告."""
    win = window(qtbot, tmp_path, sample)
    this_year = win.document.report
    before = len(win.store.list())
    last = full_report(year=this_year.year - 1, unit=this_year.unit)
    assert win.files.take_report(last, source=tmp_path / "去年.html", as_previous=True)
    assert win.document.report is this_year  # the clerk stays on the report being filled in
    assert win.document.previous is not None and win.document.previous.year == this_year.year - 1
    assert len(win.store.list()) == before + 1
