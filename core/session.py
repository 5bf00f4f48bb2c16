"""The clerk's use cases on the drafts store, without Qt: what the window and the command line both do.

The window asks these functions and shows their answers; it decides nothing about the store
itself. Every answer that the clerk must hear is a Chinese line in the result, never a swallowed
exception.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ReportError
from core.exchange import read_report, report_to_dict
from core.model import Report
from core.storage import StoreError
from core.store import Entry, Store

# What a clerk is told after a store problem at start-up: the consequence for their edits.
READ_ONLY_CONSEQUENCE = "如在本窗口中修改，关闭窗口前请用“文件 → 另存为”把修改保存为年报文件。"
NO_STORE_CONSEQUENCE = "本次修改不会自动保存：请用“文件 → 保存”或“另存为”把报告保存为年报文件。"
DEFAULT_FILE_STEM = "年度报告"
MAX_FILE_STEM = 80


@dataclass(frozen=True)
class Notice:
    """A message for the clerk once the window is on screen (or on stderr): title, text, details."""

    title: str
    text: str
    details: str = ""


# -- the store --------------------------------------------------------------------------------


def open_store(data_dir: str | os.PathLike[str] | None) -> tuple[Store | None, list[Notice]]:
    """The drafts store in the data folder, or ``None`` with the reason when it cannot be opened."""
    from core.datadir import resolve_data_dir

    folder = resolve_data_dir(data_dir)
    try:
        store = Store.open(folder)
    except ReportError as err:
        return None, [Notice("草稿库无法使用", err.message, NO_STORE_CONSEQUENCE)]
    notices: list[Notice] = []
    if store.read_only:
        notices.append(Notice("草稿库只读", store.read_only_reason or "草稿库以只读方式打开。", READ_ONLY_CONSEQUENCE))
    return store, notices


def find_or_import(store: Store, path: Path, report: Report) -> str:
    """The stored draft with exactly this content, or a new one imported from ``path``.

    Opening the same received file twice must not fill the drafts list with copies of it.
    """
    wanted = report_to_dict(report)
    for entry in store.list():
        if entry.unit != report.unit or entry.year != report.year:
            continue
        try:
            if report_to_dict(store.load(entry.id)) == wanted:
                return entry.id
        except ReportError:
            continue
    [outcome] = store.import_files([path])
    if outcome.id is None:
        raise StoreError("；".join(outcome.problems) or f"无法导入 {path}")
    return outcome.id


@dataclass
class Opened:
    """What to show: a report, its stored id (``None``: not in the store) and its linked file."""

    report: Report | None = None
    report_id: str | None = None
    link: Path | None = None
    error: ReportError | None = None      # the file asked for could not be read
    notices: list[Notice] = field(default_factory=list)
    outcome: str = "已打开一份空白报告。"  # what the window shows instead of a bad file


def open_or_import(store: Store | None, path: Path) -> Opened:
    """Read an exchange file and put it in the store (or find its identical draft there).

    A file that does not read gives ``error`` and no report; one that reads but cannot be stored
    is still shown, linked to its file, with a notice saying why autosave is off.
    """
    opened = Opened()
    try:
        opened.report = read_report(path)
    except ReportError as err:
        opened.error = err
        return opened
    opened.link = path
    if store is not None and not store.read_only:
        try:
            opened.report_id = find_or_import(store, path, opened.report)
        except ReportError as err:
            opened.notices.append(Notice("无法放入草稿库", f"“{path.name}”没能放入草稿库：{err.message}",
                                         NO_STORE_CONSEQUENCE))
    return opened


def latest(store: Store) -> tuple[str, Report] | None:
    """The most recently changed draft that reads (the store's recovery notes say what did not)."""
    for entry in store.list():
        try:
            return entry.id, store.load(entry.id)
        except ReportError:
            continue
    return None


def latest_or_new(store: Store, opened: Opened | None = None) -> Opened:
    """The most recently changed draft that reads, else a new one (none when the store is read-only)."""
    opened = opened or Opened()
    had_drafts = bool(store.list())
    found = latest(store)
    if found is not None:
        opened.report_id, opened.report = found
        opened.outcome = f"已打开最近编辑的报告“{opened.report.effective_title}”。"
        return opened
    if store.read_only:
        return opened
    report = Report.new()
    try:
        opened.report_id, opened.report = store.create(report), report
    except ReportError as err:
        opened.notices.append(Notice("无法新建草稿", err.message, NO_STORE_CONSEQUENCE))
        return opened
    if had_drafts:
        # Drafts there, none readable: a blank report, as the message says.
        opened.outcome = "已打开一份空白报告。"
    return opened


def start(store: Store | None, path: Path | None) -> Opened:
    """What the window shows at start: ``path`` when given and readable, else the latest draft."""
    opened = open_or_import(store, path) if path is not None else Opened()
    if opened.report is None and store is not None:
        latest_or_new(store, opened)
    return opened


# -- last year's report -------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviousLookup:
    """Last year's report for the cross-year rule, or why it could not be looked up."""

    report: Report | None
    problem: str | None = None  # Chinese: the cross-year check is off because of this


def previous_in_store(store: Store | None, report: Report, *, exclude: str | None = None) -> PreviousLookup:
    """Last year's report of the same unit from the drafts; a failure is said, not swallowed."""
    if store is None:
        return PreviousLookup(None)
    try:
        return PreviousLookup(store.previous_for(report, exclude=exclude))
    except ReportError as err:
        return PreviousLookup(None, f"没能读取上一年度的报告，本次不核对跨年度衔接：{err.message}")


def previous_for_file(report: Report, *, previous_file: str | os.PathLike[str] | None,
                      data_dir: str | os.PathLike[str] | None) -> Report | None:
    """The command line's lookup: ``--previous FILE``, else the local store read-only when there is one."""
    from core.datadir import resolve_data_dir
    from core.store import INDEX_FILE

    if previous_file:
        return read_report(previous_file)
    folder = resolve_data_dir(data_dir)
    if not (folder / INDEX_FILE).exists():
        return None
    # Read-only: checking a file must work while the window holds the drafts, and change nothing.
    with Store.open(folder, write=False) as store:
        return store.previous_for(report)


# -- next year, names ---------------------------------------------------------------------------


def next_year_clash(store: Store, report_id: str) -> Entry | None:
    """A stored report of the same unit for the year after ``report_id``'s, if there is one."""
    entry = store.entry(report_id)
    for other in store.list():
        if other.unit.strip() == entry.unit.strip() and other.year == entry.year + 1:
            return other
    return None


def safe_file_name(name: str) -> str:
    """A file name stem Windows and Linux both accept, from a report's title or display name.

    The program's one rule (:func:`core.fileio.safe_file_name`: controls, bidi overrides, reserved
    names), kept short enough that a suffix and a ``-id`` still fit.
    """
    from core.fileio import safe_file_name as one_rule

    return one_rule(name, fallback=DEFAULT_FILE_STEM)[:MAX_FILE_STEM].rstrip(" .") or DEFAULT_FILE_STEM


def export_names(store: Store, report_ids: Iterable[str], folder: Path, suffix: str = ".json") -> list[Path]:
    """One target per report in ``folder``, named for the report, never two alike nor an existing file."""
    targets: list[Path] = []
    used: set[str] = set()
    for report_id in report_ids:
        name = safe_file_name(store.entry(report_id).display_name)
        if name in used or (folder / f"{name}{suffix}").exists():
            name = f"{name}-{report_id[:6]}"
        used.add(name)
        targets.append(folder / f"{name}{suffix}")
    return targets


def export_file_name(report: Report, suffix: str) -> str:
    """The default name of an export of ``report``: the official 单位+年度 name with the kind's suffix."""
    from core.pdf import default_file_name

    return str(Path(default_file_name(report)).with_suffix(suffix))
