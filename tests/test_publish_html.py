"""The web page: self-contained, semantic, every table cell read back by an HTML parser into its official
position, user text escaped, and the --fragment for website editors."""

from __future__ import annotations

import re
from html import unescape

from lxml import html as lxml_html

from core.cli import main
from core.exchange import write_report
from core.pdf.document import print_data
from core.plugins import ExportOptions, exporter
from core.publish.content import build_content
from core.publish.html import plain_text, report_html
from core.sample import full_report
from tests.publish_readback import expected, html_tables


def _page(tmp_path, report=None, **options) -> tuple[str, object]:
    out = tmp_path / "r.html"
    result = exporter("html").write(report or full_report(), out, ExportOptions(**options))
    return out.read_bytes().decode("utf-8"), result


def test_one_self_contained_utf8_page(tmp_path) -> None:
    page, _ = _page(tmp_path)
    root = lxml_html.fromstring(page)
    assert page.startswith("<!DOCTYPE html>")
    assert root.get("lang") == "zh-CN"
    assert root.xpath("//meta[@charset]")[0].get("charset").lower() == "utf-8"
    assert root.xpath("//head/style"), "the style sheet is inline"
    assert not root.xpath("//script|//link|//img|//iframe|//object|//embed")
    assert not root.xpath("//@src|//@href|//@srcset")
    assert "url(" not in page and "@import" not in page and "http" not in page


def test_semantic_outline_follows_the_report(tmp_path) -> None:
    report = full_report()
    page, _ = _page(tmp_path, report)
    root = lxml_html.fromstring(page)
    assert [h.text_content() for h in root.xpath("//h1")] == [report.effective_title]
    assert [h.text_content() for h in root.xpath("//h2")] == [s.heading for s in report.template.sections]
    parts = [p.heading for s in report.template.sections for p in s.parts if p.heading]
    assert [h.text_content() for h in root.xpath("//h3")] == parts
    assert report.texts["text.overview.active"].strip() in [p.text_content() for p in root.xpath("//p")]


def test_tables_have_caption_thead_scopes_and_the_official_spans(tmp_path) -> None:
    report = full_report()
    page, _ = _page(tmp_path, report)
    root = lxml_html.fromstring(page)
    grids = build_content(report).tables()
    tables = root.xpath("//table")
    assert [t.get("id") for t in tables] == list(grids)
    for table, section in zip(tables, [s for s in report.template.sections if s.kind == "table"], strict=True):
        assert table.xpath("./caption")[0].text_content() == section.heading
        assert all(th.get("scope") in ("col", "colgroup", "row", "rowgroup") for th in table.iter("th"))
        assert all(td.text_content().strip() for td in table.iter("td"))  # every value printed
        # Each table scrolls sideways inside its own wrapper.
        assert "overflow-x:auto" in table.getparent().get("style")
    for table_id in ("table3", "table4"):
        table = root.get_element_by_id(table_id)
        assert len(table.xpath("./thead/tr")) == grids[table_id].header_rows == 3
    # The contract's spans, as attributes a website editor keeps.
    t3, t4 = root.get_element_by_id("table3"), root.get_element_by_id("table4")
    assert sorted(int(th.get("rowspan")) for th in t3.xpath(".//th[@rowspan]") if th.get("scope") == "row") == [
        3, 3, 5, 8, 22]
    heads = [(th.text_content(), th.get("rowspan"), th.get("colspan")) for th in t4.xpath("./thead/tr[1]/th")]
    assert [(h[1], h[2]) for h in heads] == [(None, "5"), (None, "10")]
    assert [th.get("rowspan") for th in t4.xpath("./thead/tr[2]/th")][:5] == ["2"] * 5


def test_every_cell_reads_back_into_its_grid_position(tmp_path) -> None:
    report = full_report()
    page, _ = _page(tmp_path, report)
    read = html_tables(page)
    for table_id, grid in build_content(report).tables().items():
        assert read[table_id] == expected(grid), table_id
    assert read["table3"][(27, 9)][2] == str(report.get("table3.carried_forward.total"))
    assert read["table2"][(13, 1)][2] == format(report.values["table2.fees"], "f")


def test_user_markup_is_shown_as_typed(tmp_path) -> None:
    report = full_report()
    report.unit = "某区<b>科学</b>&技术局"
    report.title = '<img src=x onerror="alert(1)">年报'
    evil = "一是 <script>alert('x')</script> & <a href=\"http://x\">链接</a> 需改进。"
    report.texts["text.problems"] = evil
    for fragment in (False, True):
        page, _ = _page(tmp_path, report, fragment=fragment)
        root = lxml_html.fromstring(page)
        assert not root.xpath("//script|//img|//a|//b")
        assert evil in [p.text_content() for p in root.xpath("//p")]
        assert root.xpath("//h1")[0].text_content() == report.title
        assert report.unit in [p.text_content() for p in root.xpath("//p")]


def test_fragment_is_only_the_article_body(tmp_path) -> None:
    page, _ = _page(tmp_path, fragment=True)
    assert page.lstrip().startswith("<article") and page.rstrip().endswith("</article>")
    lowered = page.lower()
    assert "<html" not in lowered and "<head" not in lowered and "<style" not in lowered
    root = lxml_html.fragment_fromstring(page)
    assert root.tag == "article" and len(root.xpath(".//table")) == 3


def test_draft_is_marked_and_final_refuses(tmp_path, capsys) -> None:
    report = full_report()
    report.values["table3.new_received.natural"] += 1
    page, result = _page(tmp_path, report)
    assert result.draft and print_data()["draft_note"] in page
    clean, result = _page(tmp_path)
    assert not result.draft and print_data()["draft_note"] not in clean
    write_report(report, tmp_path / "bad.json")
    out = tmp_path / "bad.html"
    store = ["--data-dir", str(tmp_path / "store")]
    assert main(["html", str(tmp_path / "bad.json"), "-o", str(out), "--final", *store]) == 1
    assert not out.exists()
    write_report(full_report(), tmp_path / "ok.json")
    assert main(["html", str(tmp_path / "ok.json"), "-o", str(out), "--fragment", *store]) == 0
    assert out.read_text("utf-8").startswith("<article")


def test_plain_text_puts_numbers_in_their_columns() -> None:
    report = full_report()
    content = build_content(report)
    rows = plain_text(content, "table3").splitlines()
    assert len(rows) == 28 and all(len(r.split("\t")) == 10 for r in rows)
    assert rows[3].split("\t")[-1] == str(report.get("table3.new_received.total"))
    whole = plain_text(content)
    assert whole.splitlines()[0] == report.effective_title and "\t" in whole


def test_sign_off_only_on_request() -> None:
    labels = [item["label"] for item in print_data()["sign_off"]]
    page, _ = report_html(full_report())
    assert not any(label in page for label in labels)
    page, _ = report_html(full_report(), sign_off=True)
    assert all(label in page for label in labels)


def test_labels_offer_line_breaks_only_between_words(tmp_path) -> None:
    """A browser breaks Chinese anywhere (商业企/业 in a narrow column): a label with word boundaries in
    the format data (label_breaks) gets <wbr> there and word-break:keep-all, so it breaks only there."""
    report = full_report()
    page, _ = _page(tmp_path, report)
    tables = build_content(report).tables()
    offered = 0
    for table_id, grid in tables.items():
        markup = page[page.index(f'<table id="{table_id}"'):]
        markup = markup[:markup.index("</table>")]
        # From the markup itself: libxml2's HTML parser does not know <wbr> as an empty element.
        for inner in re.findall(r"<th[^>]*>(.*?)</th>", markup):
            pieces = inner.split("<wbr>")
            label = unescape("".join(pieces))
            allowed = grid.breaks.get(label)
            if not allowed:
                assert len(pieces) == 1, label
                continue
            cuts = {len(unescape("".join(pieces[:k]))) for k in range(1, len(pieces))}
            assert cuts == {k for k in allowed if 0 < k < len(label)}, label
            offered += 1
    assert 'word-break:keep-all">商业<wbr>企业</th>' in page
    assert offered >= 20
    # The readers still see whole labels.
    assert html_tables(page)["table3"] == expected(tables["table3"])
