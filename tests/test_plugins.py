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


def test_check_and_pdf_take_last_years_report_from_a_file(tmp_path, capsys) -> None:
    """A reviewer holding two files gets the cross-year rules without any drafts store."""
    from core.cli import main
    from core.exchange import write_report

    last, this = full_report(year=2021), full_report(year=2022)
    this.values["table3.carried_over.natural"] = last.values["table3.carried_forward.natural"] + 7
    write_report(last, tmp_path / "2021.json")
    write_report(this, tmp_path / "2022.json")
    empty_store = ["--data-dir", str(tmp_path / "store")]
    main(["check", str(tmp_path / "2022.json"), "--json", *empty_store])
    assert '"cross_year"' not in capsys.readouterr().out
    main(["check", str(tmp_path / "2022.json"), "--json", "--previous", str(tmp_path / "2021.json"), *empty_store])
    assert '"cross_year"' in capsys.readouterr().out
    main(["pdf", str(tmp_path / "2022.json"), "-o", str(tmp_path / "r.pdf"),
          "--previous", str(tmp_path / "2021.json"), *empty_store])
    assert "提示" in capsys.readouterr().out
