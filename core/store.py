"""The clerk's drafts: every report kept on disk, with its history, a 回收站 and crash recovery.

Layout of the data folder (see ``docs/store.md``)::

    store.lock              OS lock held by the running copy (dies with the process; core.store_lock)
    owner.json              who holds the lock, for the message a second copy shows
    index.json              TinyDB: one row per report (id, name, unit, year, modified, status, deleted)
    reports/<id>.json       TinyDB: the current report, stored as an exchange document
    history/<id>.json       TinyDB: the report's saved versions
    *.bak1 … *.bak3         rolling backups of each of those files

An autosave rewrites only ``reports/<id>.json``: its cost does not depend on how many reports the
store holds. The index row is rewritten at once only when what identifies the report in the list
changes (unit, year, name, title, 回收站); its time and check status follow within a minute, on
close, or — after a crash — from the report files themselves when the store is next opened.

This module is the repository; its neighbours hold the rest: :mod:`core.storage` (files that a crash
cannot tear, backups, recovery), :mod:`core.store_lock` (one writer), :mod:`core.store_checks` (what
makes each file usable), :mod:`core.store_records` (what the store hands out), :mod:`core.retention`
(how long versions are kept) and :mod:`core.next_year` (the carry-forward rule).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from core.errors import InvalidReportFile, ReportError
from core.exchange import read_report, report_from_json, report_to_dict, write_report
from core.findings import summary
from core.model import Report
from core.next_year import next_year_report
from core.retention import HISTORY_DAILY_DAYS, HISTORY_KEEP_LAST, versions_to_drop
from core.rules import check
from core.storage import (
    DAMAGED_MARK,
    AtomicJSONStorage,
    StoreError,
    StoreReadOnly,
    backup_paths,
    os_reason,
    remove_stale_temporaries,
)
from core.store_checks import (
    validate_history_file,
    validate_index_file,
    validate_report_file,
    version_problem,
)
from core.store_lock import READ_ONLY_CONSEQUENCE, LockFileNotUsable, StoreLock
from core.store_records import Entry, ImportOutcome, Now, Version, iso, local_now, parse_time
from core.textguard import line_field_problem

STORE_FORMAT = "xxgk-store/1"
INDEX_FILE = "index.json"
REPORTS_DIR = "reports"
HISTORY_DIR = "history"
# Listing data that only changes the "last change" column or the status may wait this long.
INDEX_FLUSH_SECONDS = 60.0
MAX_NAME_CHARS = 100
# The status shown for a stored report the rules could not check (it must never stop the window).
STATUS_UNCHECKED = "无法校验"

# Labels of the versions the store itself records (shown in the history dialog).
VERSION_CREATED = "新建"
VERSION_IMPORTED = "导入"
VERSION_SAVED = "手动保存"
VERSION_AUTO = "编辑中自动留存"
VERSION_BEFORE_RESTORE = "恢复旧版本前的内容"
VERSION_NEXT_YEAR = "由上一年度报告生成"
VERSION_DUPLICATED = "复制"

def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9999_9999 else 0


class Store:
    """The drafts of one data folder. Open with :meth:`Store.open`; close (or use ``with``)."""

    def __init__(self, folder: Path, *, read_only: bool, lock: StoreLock | None,
                 now: Now = local_now, clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = folder
        self.read_only = read_only
        self.read_only_reason: str | None = None
        self.recovery_notes: list[str] = []
        self._lock = lock
        self._now = now
        self._clock = clock
        self._rows: dict[str, dict[str, Any]] = {}
        self._doc_ids: dict[str, int] = {}
        self._dirty: set[str] = set()
        self._index_written_at = clock()
        self._index: TinyDB | None = None
        self._reports: dict[str, TinyDB] = {}
        self._histories: dict[str, TinyDB] = {}
        self._closed = False

    # -- opening and closing ----------------------------------------------------------------------

    @classmethod
    def open(cls, folder: str | os.PathLike[str], *, write: bool = True, now: Now = local_now,
             clock: Callable[[], float] = time.monotonic) -> Store:
        """Open the store in ``folder`` (created if needed).

        With ``write=False`` (the command line's ``list``/``export``/``check``) no lock is taken and
        nothing on disk is changed, so they work while the window has the drafts open. Otherwise a
        second running copy gets a read-only store whose :attr:`read_only_reason` says who has it.
        """
        # Absolute, so that every message names the folder in a way the clerk can find it.
        path = Path(folder).absolute()
        lock: StoreLock | None = None
        read_only = True
        reason: str | None = None
        if write:
            try:
                path.mkdir(parents=True, exist_ok=True)
                for sub in (REPORTS_DIR, HISTORY_DIR):
                    (path / sub).mkdir(exist_ok=True)
                lock = StoreLock(path)
                read_only = not lock.acquire()
                if read_only:
                    reason = lock.busy_message()
            except LockFileNotUsable as err:
                lock, reason = None, err.message()
            except OSError as err:
                if not (path / INDEX_FILE).exists():
                    raise StoreError(f"无法使用草稿库文件夹 {path}：{os_reason(err)}。"
                                     f"请用 --data-dir 或环境变量 XXGK_REPORT_HOME 指定可写的文件夹") from None
                # An existing store on a write-protected stick or a read-only share: still show it.
                lock = None
                reason = f"草稿库文件夹 {path} 不能写入（{os_reason(err)}），{READ_ONLY_CONSEQUENCE}"
        store = cls(path, read_only=read_only, lock=lock if lock and lock.held else None, now=now, clock=clock)
        store.read_only_reason = reason
        store._load_index(crashed=bool(lock and lock.held and lock.previous_owner))
        return store

    def close(self) -> None:
        if self._closed:
            return
        try:
            if not self.read_only:
                self.flush_index()
        finally:
            self._closed = True
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _storage_kwargs(self, describe: str, validate: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        return {"storage": AtomicJSONStorage, "describe": describe, "notes": self.recovery_notes,
                "read_only": self.read_only, "validate": validate}

    def _load_index(self, *, crashed: bool) -> None:
        index_path = self.folder / INDEX_FILE
        self._index = TinyDB(index_path, **self._storage_kwargs(f"草稿列表（{INDEX_FILE}）", validate_index_file))
        table = self._index.table("reports")
        notes_before = len(self.recovery_notes)
        for doc in table.all():
            self._rows[doc["id"]] = dict(doc)
            self._doc_ids[doc["id"]] = doc.doc_id
        # A restored backup of the index may predate the last reports saved: check it against them.
        # (A damaged index is moved aside as index.json.damaged-* by the storage; then the report
        # files themselves rebuild the list.)
        recovered = len(self.recovery_notes) > notes_before
        if crashed and not self.read_only:
            # The previous copy was killed: drop its half-written temporaries and bring the index
            # up to date with report files it saved but had not listed yet.
            for folder in (self.folder, self.folder / REPORTS_DIR, self.folder / HISTORY_DIR):
                remove_stale_temporaries(folder)
        if crashed or recovered or (not self._rows and not self.read_only):
            self._reconcile(announce=recovered)
        if self.read_only:
            return
        meta = self._index.table("store")
        if not meta.all():
            meta.insert({"format": STORE_FORMAT, "created": iso(self._now())})

    def _report_files(self) -> dict[str, Path]:
        found = {}
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder / REPORTS_DIR):
                name = entry.name
                if name.endswith(".json") and not name.startswith("."):
                    found[name[:-5]] = Path(entry.path)
        return found

    def _reconcile(self, *, announce: bool) -> None:
        """Make the index agree with ``reports/``: add reports it lacks, refresh rows it lags on."""
        added = 0
        for report_id, path in self._report_files().items():
            row = self._rows.get(report_id)
            if row is not None:
                try:
                    newer = path.stat().st_mtime > parse_time(row.get("modified")).timestamp() + 1
                except OSError:
                    newer = False
                if not newer:
                    continue
            try:
                report = self.load(report_id)
                saved_at = self._report_db(report_id).table("report").get(doc_id=1)["saved_at"]
            except Exception as err:
                if not isinstance(err, ReportError):
                    self.recovery_notes.append(f"报告文件 reports/{report_id}.json 无法读取，已跳过。")
                continue
            fields = self._listing_fields(report, parse_time(saved_at), exclude=report_id)
            if row is None:
                fields.update({"id": report_id, "name": "", "created": fields["modified"], "deleted": None})
                self._rows[report_id] = fields
                added += 1
            else:
                row.update(fields)
            self._dirty.add(report_id)
        # Rows whose report file is gone for good (purged, crash before the index caught up).
        files = self._report_files()
        for report_id in [i for i in self._rows if i not in files]:
            path = self.folder / REPORTS_DIR / f"{report_id}.json"
            if not any(p.exists() for p in backup_paths(path)):
                del self._rows[report_id]
                self._dirty.discard(report_id)
                doc_id = self._doc_ids.pop(report_id, None)
                if doc_id is not None and self._index is not None and not self.read_only:
                    self._index.table("reports").remove(doc_ids=[doc_id])
        if self._dirty:
            self.flush_index()
        if added and announce:
            self.recovery_notes.append(f"已根据报告文件重建草稿列表，找回 {added} 份报告。")

    # -- listing ----------------------------------------------------------------------------------

    @staticmethod
    def _entry(row: dict[str, Any]) -> Entry:
        # Rows are checked when the index is read (core.store_checks); the conversions stay lenient.
        return Entry(
            id=row["id"], name=row.get("name") or "", unit=row.get("unit") or "",
            year=_count(row.get("year")), title=row.get("title") or "",
            created=parse_time(row.get("created")), modified=parse_time(row.get("modified")),
            status=row.get("status") or "", errors=_count(row.get("errors")),
            warnings=_count(row.get("warnings")),
            deleted=parse_time(row["deleted"]) if row.get("deleted") else None,
        )

    def list(self) -> list[Entry]:
        """The reports not in the 回收站, most recently changed first."""
        entries = [self._entry(r) for r in self._rows.values() if not r.get("deleted")]
        return sorted(entries, key=lambda e: e.modified, reverse=True)

    def trash(self) -> list[Entry]:
        """The reports in the 回收站, most recently deleted first."""
        entries = [self._entry(r) for r in self._rows.values() if r.get("deleted")]
        return sorted(entries, key=lambda e: e.deleted or e.modified, reverse=True)

    def entry(self, report_id: str) -> Entry:
        return self._entry(self._row(report_id))

    def resolve_id(self, text: str) -> str:
        """An id from what a clerk typed: the whole id or an unambiguous beginning of it."""
        text = text.strip().lower()
        if text in self._rows:
            return text
        matches = [i for i in self._rows if text and i.startswith(text)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise StoreError(f"编号“{text}”对应多份报告（{'、'.join(sorted(matches))}），请写完整编号")
        raise StoreError(f"草稿库中没有编号为“{text}”的报告（可用 xxgk-report list 查看）")

    def _row(self, report_id: str) -> dict[str, Any]:
        try:
            return self._rows[report_id]
        except KeyError:
            raise StoreError(f"草稿库中没有编号为“{report_id}”的报告") from None

    # -- reading ----------------------------------------------------------------------------------

    def _report_db(self, report_id: str) -> TinyDB:
        return self._file_db(self._reports, REPORTS_DIR, report_id, "报告文件", validate_report_file)

    def _history_db(self, report_id: str) -> TinyDB:
        return self._file_db(self._histories, HISTORY_DIR, report_id, "历史版本文件", validate_history_file)

    def _file_db(self, cache: dict[str, TinyDB], folder: str, report_id: str, what: str,
                 validate: Callable[[dict[str, Any]], None]) -> TinyDB:
        """One report's own TinyDB file, opened once: an autosave touches no other report's file."""
        db = cache.get(report_id)
        if db is None:
            path = self.folder / folder / f"{report_id}.json"
            db = TinyDB(path, **self._storage_kwargs(f"{what} {folder}/{report_id}.json", validate))
            cache[report_id] = db
        return db

    def load(self, report_id: str) -> Report:
        """The stored report; a damaged file falls back on its backups, then on its newest version."""
        doc = self._report_db(report_id).table("report").get(doc_id=1)
        if doc is not None:
            return report_from_json(json.dumps(doc["document"], ensure_ascii=False))
        versions = self.history(report_id)
        if versions:
            report = self.load_version(report_id, versions[0].id)
            self.recovery_notes.append(
                f"报告“{self._display(report_id)}”已改用 {versions[0].at:%Y-%m-%d %H:%M} 的历史版本。")
            if not self.read_only:
                self._write_report(report_id, report)
            return report
        raise StoreError(f"报告“{self._display(report_id)}”的文件不存在或已损坏，且没有可用的备份或历史版本")

    def _display(self, report_id: str) -> str:
        row = self._rows.get(report_id)
        return self._entry(row).display_name if row else report_id

    def previous_for(self, report: Report, *, exclude: str | None = None) -> Report | None:
        """Last year's report of the same unit, if the store has one (the newest if several)."""
        unit = report.unit.strip()
        if not unit:
            return None
        candidates = [r for i, r in self._rows.items()
                      if i != exclude and not r.get("deleted") and r.get("year") == report.year - 1
                      and (r.get("unit") or "").strip() == unit]
        for row in sorted(candidates, key=lambda r: parse_time(r.get("modified")), reverse=True):
            try:
                return self.load(row["id"])
            except ReportError:
                continue
        return None

    def check(self, report_id: str, report: Report | None = None) -> list:  # type: ignore[type-arg]
        """The findings of a stored report, ``cross_year`` included when last year's is stored."""
        report = report or self.load(report_id)
        return check(report, previous=self.previous_for(report, exclude=report_id))

    # -- writing ----------------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self._closed:
            raise StoreError("草稿库已关闭")
        if self.read_only:
            raise StoreReadOnly(self.read_only_reason or "草稿库以只读方式打开，修改未保存")

    def _write_report(self, report_id: str, report: Report, at: datetime | None = None) -> dict[str, Any]:
        doc = report_to_dict(report)
        stamp = iso(at or self._now())
        table = self._report_db(report_id).table("report")
        record = Document({"id": report_id, "saved_at": stamp, "document": doc}, doc_id=1)
        # insert for a new file: upsert would first write an empty table, a file with no report in it.
        if table.contains(doc_id=1):
            table.update(record, doc_ids=[1])
        else:
            table.insert(record)
        return doc

    def _listing_fields(self, report: Report, at: datetime, *, exclude: str | None) -> dict[str, Any]:
        fields = {"unit": report.unit, "year": report.year, "title": report.effective_title, "modified": iso(at)}
        try:
            findings = check(report, previous=self.previous_for(report, exclude=exclude))
        except Exception:
            fields.update({"status": STATUS_UNCHECKED, "errors": 0, "warnings": 0})
            return fields
        errors = sum(1 for f in findings if f.severity == "error")
        fields.update({"status": summary(findings), "errors": errors, "warnings": len(findings) - errors})
        return fields

    def _update_row(self, report_id: str, fields: dict[str, Any]) -> None:
        row = self._row(report_id)
        changed = {k: v for k, v in fields.items() if row.get(k) != v}
        if not changed:
            return
        row.update(changed)
        self._dirty.add(report_id)
        urgent = any(k in changed for k in ("unit", "year", "name", "title", "deleted"))
        if urgent or self._clock() - self._index_written_at >= INDEX_FLUSH_SECONDS:
            self.flush_index()

    def flush_index(self) -> None:
        """Write listing changes that were allowed to wait (time, status) in one index write."""
        if self.read_only or self._index is None or not self._dirty:
            return
        table = self._index.table("reports")
        new = [i for i in self._dirty if i not in self._doc_ids]
        known = [i for i in self._dirty if i in self._doc_ids]
        if known:
            by_doc = {self._doc_ids[i]: i for i in known}

            def refresh(doc: dict[str, Any]) -> None:
                doc.update(self._rows[doc["id"]])

            table.update(refresh, doc_ids=list(by_doc))
        for report_id in new:
            self._doc_ids[report_id] = table.insert(dict(self._rows[report_id]))
        self._dirty.clear()
        self._index_written_at = self._clock()

    def save(self, report_id: str, report: Report, *, version: str | None = None, kind: str = "save") -> None:
        """Store ``report`` as the current content; with ``version``, also record it in the history."""
        self._require_writable()
        self._row(report_id)
        now = self._now()
        doc = self._write_report(report_id, report, now)
        if version is not None:
            self._add_version(report_id, doc, label=version, kind=kind, at=now)
        self._update_row(report_id, self._listing_fields(report, now, exclude=report_id))

    def create(self, report: Report, *, name: str = "", version: str = VERSION_CREATED,
               kind: str = "create") -> str:
        """Add a new report; returns its id."""
        self._require_writable()
        import secrets  # here: only a new draft needs it, and every import at the top delays the window

        report_id = secrets.token_hex(6)
        while report_id in self._rows or (self.folder / REPORTS_DIR / f"{report_id}.json").exists():
            report_id = secrets.token_hex(6)
        now = self._now()
        # The report file first: a crash before the index row leaves a report that the next
        # start finds and lists again, never an index row pointing at nothing. A write that fails
        # (disk full) takes back what was written, so no unlisted report stays behind.
        try:
            doc = self._write_report(report_id, report, now)
            self._add_version(report_id, doc, label=version, kind=kind, at=now)
            row = {"id": report_id, "name": name.strip()[:MAX_NAME_CHARS], "created": iso(now), "deleted": None}
            row.update(self._listing_fields(report, now, exclude=report_id))
            self._rows[report_id] = row
            self._dirty.add(report_id)
            self.flush_index()
        except BaseException:
            self._discard(report_id)
            raise
        return report_id

    def duplicate(self, report_id: str) -> str:
        original = self.entry(report_id)
        return self.create(self.load(report_id), name=f"{original.display_name}（副本）",
                           version=f"{VERSION_DUPLICATED}自“{original.display_name}”")

    def rename(self, report_id: str, name: str) -> None:
        """Set the name shown in the drafts list; a blank name shows the report's title again."""
        self._require_writable()
        name = " ".join(name.split())
        if len(name) > MAX_NAME_CHARS:
            raise StoreError(f"名称过长（{len(name)} 字，最多 {MAX_NAME_CHARS} 字）")
        problem = line_field_problem(name)
        if problem:
            raise StoreError(f"名称{problem}")
        self._update_row(report_id, {"name": name})

    def delete(self, report_id: str) -> None:
        """Move a report into the 回收站 (nothing is removed from disk)."""
        self._require_writable()
        self._row(report_id)
        self._update_row(report_id, {"deleted": iso(self._now())})

    def restore(self, report_id: str) -> None:
        """Bring a report back from the 回收站."""
        self._require_writable()
        self._update_row(report_id, {"deleted": None})

    def purge(self, report_id: str) -> None:
        """Remove a report from the 回收站 for good: its files and their backups are deleted."""
        self._require_writable()
        row = self._row(report_id)
        if not row.get("deleted"):
            raise StoreError("只能彻底删除回收站中的报告，请先删除")
        self.flush_index()
        self._discard(report_id)

    def _discard(self, report_id: str) -> None:
        """Remove a report's row and files (and their backups); the row first, so none points at nothing."""
        self._dirty.discard(report_id)
        self._rows.pop(report_id, None)
        doc_id = self._doc_ids.pop(report_id, None)
        try:
            if doc_id is not None and self._index is not None:
                self._index.table("reports").remove(doc_ids=[doc_id])
        finally:
            self._reports.pop(report_id, None)
            self._histories.pop(report_id, None)
            for sub in (REPORTS_DIR, HISTORY_DIR):
                path = self.folder / sub / f"{report_id}.json"
                for p in (path, *backup_paths(path)):
                    with contextlib.suppress(OSError):
                        p.unlink()

    # -- history ----------------------------------------------------------------------------------

    def _add_version(self, report_id: str, doc: dict[str, Any], *, label: str, kind: str,
                     at: datetime) -> int:
        table = self._history_db(report_id).table("versions")
        vid = table.insert({"at": iso(at), "label": label, "kind": kind, "document": doc})
        drop = versions_to_drop(((d.doc_id, parse_time(d["at"])) for d in table.all()), at)
        if drop:
            table.remove(doc_ids=list(drop))
        return vid

    def add_version(self, report_id: str, report: Report, label: str = VERSION_SAVED, kind: str = "save") -> int:
        """Record ``report`` in the history without changing the current content."""
        self._require_writable()
        self._row(report_id)
        return self._add_version(report_id, report_to_dict(report), label=label, kind=kind, at=self._now())

    def history(self, report_id: str) -> list[Version]:
        """The report's versions, newest first."""
        self._row(report_id)
        table = self._history_db(report_id).table("versions")
        versions = []
        bad = 0
        for d in table.all():
            if version_problem(d) is not None:
                bad += 1
                continue
            document = d["document"]
            versions.append(Version(id=d.doc_id, at=parse_time(d.get("at")), label=str(d.get("label", "")),
                                    kind=str(d.get("kind", "")), unit=str(document.get("unit", "")),
                                    year=_count(document.get("year"))))
        if bad:
            note = (f"报告“{self._display(report_id)}”的历史记录中有 {bad} 个版本已损坏，无法列出，已跳过"
                    f"（文件：{self.folder / HISTORY_DIR / f'{report_id}.json'}）。")
            if note not in self.recovery_notes:
                self.recovery_notes.append(note)
        return sorted(versions, key=lambda v: (v.at, v.id), reverse=True)

    def load_version(self, report_id: str, version_id: int) -> Report:
        doc = self._history_db(report_id).table("versions").get(doc_id=version_id)
        if doc is None:
            raise StoreError("该历史版本已不存在")
        return report_from_json(json.dumps(doc["document"], ensure_ascii=False))

    def restore_version(self, report_id: str, version_id: int) -> Report:
        """Make an old version current again; what was current is first kept as a version."""
        self._require_writable()
        old = self.load_version(report_id, version_id)
        self.add_version(report_id, self.load(report_id), VERSION_BEFORE_RESTORE, kind="restore")
        self.save(report_id, old)
        return old

    # -- exchange files ---------------------------------------------------------------------------

    def import_files(self, paths: Iterable[str | os.PathLike[str]], *,
                     all_or_nothing: bool = False) -> list[ImportOutcome]:
        """Add exchange files as new reports, one outcome per file.

        An invalid file is reported by name with its problems; the others still import, unless
        ``all_or_nothing`` (the command line), where one invalid file means nothing is imported.
        """
        self._require_writable()
        outcomes: list[ImportOutcome] = []
        reports: list[Report | None] = []
        for raw in paths:
            path = Path(raw)
            try:
                reports.append(read_report(path))
                outcomes.append(ImportOutcome(path))
            except InvalidReportFile as err:
                reports.append(None)
                outcomes.append(ImportOutcome(path, problems=err.lines()))
        if all_or_nothing and any(r is None for r in reports):
            for outcome, report in zip(outcomes, reports, strict=True):
                outcome.skipped = report is not None
            return outcomes
        created: list[str] = []
        try:
            for outcome, report in zip(outcomes, reports, strict=True):
                if report is not None:
                    outcome.id = self.create(report, version=f"{VERSION_IMPORTED}自 {outcome.path.name}",
                                             kind="import")
                    created.append(outcome.id)
        except ReportError:
            if all_or_nothing:
                # All or nothing on disk too: a disk that fills up on the second file takes the
                # first one back out, so the store is exactly as it was.
                for report_id in created:
                    with contextlib.suppress(ReportError, OSError):
                        self._discard(report_id)
            raise
        return outcomes

    def export(self, report_id: str, path: str | os.PathLike[str]) -> None:
        """Write the stored report as an exchange file (atomically, like every other file)."""
        write_report(self.load(report_id), path)

    # -- next year --------------------------------------------------------------------------------

    def next_year(self, report_id: str) -> str:
        """Start next year's report from this one: unit and prose, carry-over and valid counts."""
        report = next_year_report(self.load(report_id))
        return self.create(report, version=VERSION_NEXT_YEAR, kind="create")


__all__ = [
    "DAMAGED_MARK",
    "HISTORY_DAILY_DAYS",
    "HISTORY_KEEP_LAST",
    "Entry",
    "ImportOutcome",
    "Store",
    "Version",
    "next_year_report",
    "versions_to_drop",
]
