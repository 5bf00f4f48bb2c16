"""Opening a file that is not an exchange file: say what can be opened, offer the published-report reader.

A clerk double-clicks the Word report of last year, or a ``.txt``: a JSON parser's complaint helps
nobody. The message names what 打开 takes (the exchange file this program saves, ``.json``) and,
for a kind a registered reader takes (``core.plugins.READER_MODULES``: web page, Word, PDF), offers
to bring the file in as a published report through the review dialog (``gui.ingest_review``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.plugins import readers
from gui.dialogs import Icon, choose

if TYPE_CHECKING:
    from gui.main_window import MainWindow

EXCHANGE_SUFFIX = ".json"
OPENABLE = "“打开”只能打开本程序保存的年报文件（*.json）。"


def _reader_kinds() -> str:
    return "、".join(f"{r.label} {' '.join('*' + s for s in r.suffixes)}" for r in readers())


def _import_action_text(window: MainWindow) -> str:
    """The menu entry's own words (导入已发布的年报…), so the message names exactly what to click."""
    from PySide6.QtGui import QAction

    action = window.findChild(QAction, "actionImportPublished")
    return action.text().replace("(&P)", "").replace("&", "") if action is not None else "导入"


def offer_other_file(window: MainWindow, path: Path, outcome: str) -> bool:
    """Handle ``path`` if it is not an exchange file at all; ``False`` leaves it to the usual message.

    ``outcome`` says what became of the window (``当前报告未受影响。``).
    """
    suffix = path.suffix.lower()
    if suffix == EXCHANGE_SUFFIX:
        return False
    reader = next((r for r in readers() if suffix in r.suffixes), None)
    how = f"已发布的年报（{_reader_kinds()}）可以读入：程序读出其中的数字和文字，核对后成为一份草稿。"
    if reader is None:
        where = f"请用“文件 › {_import_action_text(window)}”读入。"
        choose(window, Icon.Information, "无法打开文件",
               f"“{path.name}”不是年报文件，{outcome}", f"{OPENABLE}\n{how}\n{where}", ("确定",))
        return True
    answer = choose(window, Icon.Question, "这是一份已发布的年报吗？",
                    f"“{path.name}”是{reader.label}，不是年报文件，不能直接打开；{outcome}",
                    f"{OPENABLE}\n{how}\n要把这份{reader.label}作为已发布的年报读入吗？",
                    ("作为已发布的年报读入…", "取消"))
    if answer == 0:
        bring_in(window, path)
    return True


def bring_in(window: MainWindow, path: Path) -> bool:
    """Read ``path`` with the published-report reader, let the clerk review it, and take it."""
    from gui.ingest_review import AS_PREVIOUS, review_file

    reviewed = review_file(window, path)
    if reviewed is None:
        return False
    choice, report = reviewed
    return window.files.take_report(report, source=path, as_previous=choice == AS_PREVIOUS)
