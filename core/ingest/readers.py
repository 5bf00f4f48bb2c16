"""The readers of published reports as plug-ins (``core.plugins.READER_MODULES``).

Each is a small object naming its module: finding the reader for a file imports none of lxml,
python-docx or pdfplumber; reading imports only the one it needs.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

from core.errors import InvalidReportFile
from core.plugins import ReadResult, reader_for, readers


@dataclass(frozen=True)
class PublishedReader:
    name: str
    suffixes: tuple[str, ...]
    label: str
    module: str

    def read(self, path: str | os.PathLike[str]) -> ReadResult:
        from core.ingest.recognise import recognise

        source = importlib.import_module(self.module).read_source(Path(path))
        return recognise(source)


HTML_READER = PublishedReader("html", (".html", ".htm"), "网页", "core.ingest.html")
DOCX_READER = PublishedReader("docx", (".docx",), "Word 文件", "core.ingest.docx")
PDF_READER = PublishedReader("pdf", (".pdf",), "PDF", "core.ingest.pdf")


def published_suffixes() -> list[str]:
    return [s for plugin in readers() for s in plugin.suffixes]


def read_published(path: str | os.PathLike[str]) -> ReadResult:
    """A published report read by the reader its suffix names; refused for other kinds."""
    plugin = reader_for(path)
    if plugin is None:
        known = "、".join(published_suffixes())
        raise InvalidReportFile(f"{path} 不是可读取的已发布年报",
                                [f"{path}：只能读取已发布年报的 {known} 文件"])
    return plugin.read(path)
