"""Open and save dialogs, all through one helper, with every label Chinese.

Windows uses its own (already Chinese) dialog. Where Qt draws the dialog itself (UOS/Kylin,
other Linux desktops), Qt's Chinese translation leaves "Look in:" and "Files of type:" in English,
so the labels are set here — which the static ``QFileDialog.get*`` functions cannot do.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

FILE_FILTER = "年报交换文件 (*.json);;所有文件 (*)"
_Mode = QFileDialog.FileMode


def file_dialog(parent: QWidget | None, title: str, start: str, *, save: bool = False,
                name_filter: str = FILE_FILTER, suffix: str = ".json", mode: QFileDialog.FileMode | None = None,
                accept: str | None = None, qt_drawn: bool = False) -> QFileDialog:
    """The program's file dialog; ``qt_drawn`` when widgets are added to it (an option box)."""
    dialog = QFileDialog(parent, title, start, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(mode if mode is not None else _Mode.AnyFile if save else _Mode.ExistingFile)
    if save and suffix:
        dialog.setDefaultSuffix(suffix.lstrip("."))
    if qt_drawn:
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if mode == _Mode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    labels = {
        QFileDialog.DialogLabel.LookIn: "查找范围：",
        QFileDialog.DialogLabel.FileName: "文件夹：" if mode == _Mode.Directory else "文件名(&N)：",
        QFileDialog.DialogLabel.FileType: "文件类型：",
        QFileDialog.DialogLabel.Accept: accept or ("保存(&S)" if save else "选择" if mode == _Mode.Directory
                                                   else "打开(&O)"),
        QFileDialog.DialogLabel.Reject: "取消",
    }
    for label, text in labels.items():
        dialog.setLabelText(label, text)
    return dialog


def with_suffix(path: Path, suffix: str) -> Path:
    """The chosen name with the kind's suffix added when the clerk typed none (or another)."""
    return path if path.suffix.lower() == suffix.lower() else path.with_name(path.name + suffix)


def ask_open_path(parent: QWidget | None, title: str, start: str, *, name_filter: str = FILE_FILTER) -> Path | None:
    dialog = file_dialog(parent, title, start, name_filter=name_filter)
    if dialog.exec() and dialog.selectedFiles():
        return Path(dialog.selectedFiles()[0])
    return None


def ask_open_paths(parent: QWidget | None, title: str, start: str, *, name_filter: str = FILE_FILTER) -> list[Path]:
    dialog = file_dialog(parent, title, start, name_filter=name_filter, mode=_Mode.ExistingFiles)
    if dialog.exec():
        return [Path(p) for p in dialog.selectedFiles()]
    return []


def ask_save_path(parent: QWidget | None, title: str, suggested: str, *, name_filter: str = FILE_FILTER,
                  suffix: str = ".json") -> Path | None:
    dialog = file_dialog(parent, title, str(Path(suggested).parent), save=True, name_filter=name_filter,
                         suffix=suffix)
    dialog.selectFile(Path(suggested).name)
    if dialog.exec() and dialog.selectedFiles():
        return with_suffix(Path(dialog.selectedFiles()[0]), suffix)
    return None


def ask_folder(parent: QWidget | None, title: str, start: str) -> Path | None:
    dialog = file_dialog(parent, title, start, mode=_Mode.Directory, name_filter="")
    if dialog.exec() and dialog.selectedFiles():
        return Path(dialog.selectedFiles()[0])
    return None
