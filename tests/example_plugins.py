"""A whole new output kind and input kind, as small as they come: what "one module plus one registry
line" looks like. ``tests/test_plugin_wiring.py`` adds the registry line (as a plug-in's author would
add it to ``core/plugins.py``) and finds the command and the menu entries appear by themselves."""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import InvalidReportFile
from core.model import Report
from core.plugins import ExportOptions, ExportResult, ReadResult
from core.rules import check


class TotalsExporter:
    """Writes the report's totals as ``ref<TAB>value`` lines."""

    name = "totals"
    suffix = ".tsv"
    label = "合计表"
    description = "合计数一览（制表符分隔）"

    def write(self, report: Report, path: str | os.PathLike[str], options: ExportOptions) -> ExportResult:
        findings = check(report, previous=options.previous)
        draft = any(f.severity == "error" for f in findings)
        lines = [f"{ref}\t{value}" for ref, value in sorted(report.totals().items())]
        Path(path).write_text("\n".join(lines) + "\n", "utf-8")
        return ExportResult(draft=draft, findings=findings, notes=[f"共 {len(lines)} 个合计数"])


class SameFileReader:
    """Reads an exchange file renamed to ``.xxgk`` (a stand-in for a published web page or Word file)."""

    name = "xxgk"
    suffixes = (".xxgk",)
    label = "示例格式"

    def read(self, path: str | os.PathLike[str]) -> ReadResult:
        from core.exchange import read_report

        if Path(path).suffix.lower() not in self.suffixes:
            raise InvalidReportFile(f"“{Path(path).name}”不是示例格式的文件")
        report = read_report(path)
        return ReadResult(report, notes=[f"读入 {len(report.values)} 个数"])


EXPORTER = TotalsExporter()
READER = SameFileReader()
