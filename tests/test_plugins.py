"""The plug-in registry: every named exporter loads and satisfies the protocol."""

from __future__ import annotations

from core.plugins import Exporter, ExportOptions, exporter, exporters
from core.sample import full_report


def test_every_registered_exporter_satisfies_the_protocol() -> None:
    found = exporters()
    assert found and all(isinstance(e, Exporter) for e in found)
    assert len({e.name for e in found}) == len(found)


def test_the_pdf_exporter_writes_a_pdf(tmp_path) -> None:
    out = tmp_path / "r.pdf"
    result = exporter("pdf").write(full_report(), out, ExportOptions())
    assert out.read_bytes().startswith(b"%PDF") and result.pages and not result.draft
