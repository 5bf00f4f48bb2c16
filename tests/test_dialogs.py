"""The one dialog layer: user text is plain text, buttons are Chinese, file dialogs keep Chinese labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from gui import dialogs
from gui.dialogs import files

UNIT = "<b>某区</b>财政局 &amp; 审计局"


@pytest.fixture
def shown(qapp, monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:  # type: ignore[no-untyped-def]
    boxes: list[QMessageBox] = []

    def record(box: QMessageBox) -> int:
        boxes.append(box)
        return int(QMessageBox.StandardButton.Cancel.value)

    monkeypatch.setattr(QMessageBox, "exec", record)
    return boxes


def test_user_text_is_shown_as_typed_never_as_rich_text(shown: list[QMessageBox]) -> None:
    dialogs.message(None, dialogs.Icon.Warning, "标题", f"“{UNIT}”无法保存", f"单位：{UNIT}")
    [box] = shown
    assert box.textFormat() == Qt.TextFormat.PlainText
    details = box.findChild(QLabel, "qt_msgbox_informativelabel")
    assert details is not None and details.textFormat() == Qt.TextFormat.PlainText
    assert details.text() == f"单位：{UNIT}"
    assert box.button(QMessageBox.StandardButton.Ok).text() == "确定"


def test_the_save_question_has_the_clerks_words_and_escape_cancels(shown: list[QMessageBox]) -> None:
    answer = dialogs.ask_save(None, "填报助手", f"“{UNIT}”有尚未保存的修改。", "是否保存修改？",
                              ("另存为…", "不保存", "取消"))
    assert answer is dialogs.Answer.CANCEL
    [box] = shown
    assert [box.button(b).text() for b in (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard,
                                           QMessageBox.StandardButton.Cancel)] == ["另存为…", "不保存", "取消"]
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.Cancel)


def test_a_confirmation_defaults_to_cancel(shown: list[QMessageBox]) -> None:
    assert not dialogs.confirm(None, "删除报告", f"删除“{UNIT}”？", "删除")
    assert shown[0].defaultButton() is shown[0].button(QMessageBox.StandardButton.Cancel)


def test_the_drafts_manager_asks_for_files_with_chinese_labels(qapp, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from core.store import Store
    from gui.drafts_dialog import DraftsDialog

    seen: list[dict[str, str]] = []

    def answer(dialog: QFileDialog) -> int:
        seen.append({"look_in": dialog.labelText(QFileDialog.DialogLabel.LookIn),
                     "accept": dialog.labelText(QFileDialog.DialogLabel.Accept),
                     "reject": dialog.labelText(QFileDialog.DialogLabel.Reject),
                     "filter": ";;".join(dialog.nameFilters())})
        return 0

    monkeypatch.setattr(QFileDialog, "exec", answer)
    with Store.open(tmp_path / "草稿库") as store:
        dialog = DraftsDialog(store)
        assert dialog.ask_open_files() == []
        assert dialog.ask_folder() is None
        assert dialog.ask_save_file("某局.json") is None
    assert [s["look_in"] for s in seen] == ["查找范围："] * 3
    assert seen[0]["accept"] == "打开(&O)" and seen[2]["accept"] == "保存(&S)"
    assert all(s["reject"] == "取消" for s in seen)
    assert files.FILE_FILTER.split(";;")[0] in seen[0]["filter"]


def test_the_drafts_manager_shows_a_folder_name_as_typed(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from core.store import Store
    from gui.drafts_dialog import DraftsDialog

    with Store.open(tmp_path / "<i>科室</i>草稿") as store:
        dialog = DraftsDialog(store)
        [where] = [label for label in dialog.findChildren(QLabel) if "<i>科室</i>" in label.text()]
        assert where.textFormat() == Qt.TextFormat.PlainText
