"""Open and save dialogs whose every label is Chinese.

Windows uses its own (already Chinese) dialog. Where Qt draws the dialog itself (UOS/Kylin,
other Linux desktops), Qt's Chinese translation leaves "Look in:" and "Files of type:" in English,
so the labels are set here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

FILE_FILTER = "年报交换文件 (*.json);;所有文件 (*)"


def _dialog(parent: QWidget | None, title: str, start: str, *, save: bool) -> QFileDialog:
    dialog = QFileDialog(parent, title, start, FILE_FILTER)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    if save:
        dialog.setDefaultSuffix("json")
    labels = {
        QFileDialog.DialogLabel.LookIn: "查找范围：",
        QFileDialog.DialogLabel.FileName: "文件名(&N)：",
        QFileDialog.DialogLabel.FileType: "文件类型：",
        QFileDialog.DialogLabel.Accept: "保存(&S)" if save else "打开(&O)",
        QFileDialog.DialogLabel.Reject: "取消",
    }
    for label, text in labels.items():
        dialog.setLabelText(label, text)
    return dialog


def ask_open_path(parent: QWidget | None, title: str, start: str) -> Path | None:
    dialog = _dialog(parent, title, start, save=False)
    if dialog.exec() and dialog.selectedFiles():
        return Path(dialog.selectedFiles()[0])
    return None


def ask_save_path(parent: QWidget | None, title: str, suggested: str) -> Path | None:
    dialog = _dialog(parent, title, str(Path(suggested).parent), save=True)
    dialog.selectFile(Path(suggested).name)
    if dialog.exec() and dialog.selectedFiles():
        target = Path(dialog.selectedFiles()[0])
        if target.suffix.lower() != ".json":
            target = target.with_name(target.name + ".json")
        return target
    return None
