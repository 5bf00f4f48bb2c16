"""Exporters and readers as plug-ins: the window's export/import menus and the command line are
generated from this registry, so a new output or input kind is one module plus one line below.

Modules are named, not imported: start-up imports nothing of an exporter until it is used.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from core.findings import Finding
    from core.model import Report

# One line per plug-in: "module:attribute" of an object satisfying Exporter / Reader.
EXPORTER_MODULES: list[str] = [
    "core.pdf.exporter:EXPORTER",
    "core.publish.exporters:DOCX_EXPORTER",
    "core.publish.exporters:HTML_EXPORTER",
]
READER_MODULES: list[str] = [
    "core.ingest.readers:HTML_READER",
    "core.ingest.readers:DOCX_READER",
    "core.ingest.readers:PDF_READER",
]


@dataclass(frozen=True)
class ExportOptions:
    """What the clerk chose for one export (not every exporter uses every option)."""

    final: bool = False          # refuse (FinalRefused) while the report has errors
    sign_off: bool = False       # the sealed 落款 layout with the signature line (printed copy)
    fragment: bool = False       # web page: only the article body
    previous: Report | None = None  # last year's report, for the cross-year rules


@dataclass
class ExportResult:
    """What the clerk is told after an export."""

    draft: bool                       # the output is marked 草稿 (the report has errors)
    findings: list[Finding] = field(default_factory=list)
    pages: int | None = None
    notes: list[str] = field(default_factory=list)  # Chinese lines to show (missing characters, …)


@runtime_checkable
class Exporter(Protocol):
    name: str        # the command name and a stable id: "pdf", "docx", "html"
    suffix: str      # ".pdf"
    label: str       # Chinese, for menus and help: "PDF"
    description: str  # Chinese, one sentence for --help

    def write(self, report: Report, path: str | os.PathLike[str], options: ExportOptions) -> ExportResult:
        """Write the whole file or nothing; raise a ReportError subclass with a Chinese message."""
        ...


@dataclass
class ReadResult:
    """A published report read into the model, with every cell that could not be placed named."""

    report: Report
    problems: list[str] = field(default_factory=list)  # Chinese: cells not read, with where/why
    notes: list[str] = field(default_factory=list)     # Chinese: read with an assumption (blank as 0, …)
    unread: list[str] = field(default_factory=list)    # cell references that were not read
    zero_from_blank: list[str] = field(default_factory=list)  # cell references read as 0 from a blank

    @property
    def complete(self) -> bool:
        return not self.unread and not self.problems


@runtime_checkable
class Reader(Protocol):
    name: str                      # "html", "docx", "pdf"
    suffixes: tuple[str, ...]      # (".html", ".htm")
    label: str                     # Chinese, for the file dialog filter: "网页"

    def read(self, path: str | os.PathLike[str]) -> ReadResult:
        """Raise InvalidReportFile (a ReportError) when the file is not a report of this format."""
        ...


def _load(spec: str) -> object:
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def exporters() -> list[Exporter]:
    return [_load(spec) for spec in EXPORTER_MODULES]  # type: ignore[misc]


def exporter(name: str) -> Exporter:
    for spec in EXPORTER_MODULES:
        plugin = _load(spec)
        if plugin.name == name:  # type: ignore[attr-defined]
            return plugin  # type: ignore[return-value]
    raise KeyError(name)


def readers() -> list[Reader]:
    return [_load(spec) for spec in READER_MODULES]  # type: ignore[misc]


def reader_for(path: str | os.PathLike[str]) -> Reader | None:
    """The reader of a published report by file suffix (``None``: not a published-report kind)."""
    suffix = Path(path).suffix.lower()
    for plugin in readers():
        if suffix in plugin.suffixes:
            return plugin
    return None
