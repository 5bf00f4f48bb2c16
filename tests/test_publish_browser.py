"""The web page in a real browser (Debian's headless Chromium): each table cell's row and column after the
browser applied the spans, no element wider than the screen at 375 px and 1280 px, and a screenshot.

Headless Chromium lays a page out at least 500 px wide whatever ``--window-size`` says, so the page is
shown in an ``<iframe srcdoc>`` of exactly the width under test. A small script in that test wrapper
(the exported page itself has none) reads what the layout engine computed inside the frame and writes
it into the DOM, which ``--dump-dom`` prints. Set ``XXGK_SCREENSHOTS=folder`` to keep the screenshots.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest

from core.publish.content import build_content
from core.publish.html import report_html
from core.sample import full_report

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (Debian: apt-get install chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]

# Column/row of a cell = the index of its left/top edge among all cells' edges; span = edges it covers.
PROBE = """
<script>
document.getElementById('page').addEventListener('load', function () {
  var frame = document.getElementById('page');
  var doc = frame.contentDocument;
  function edges(values) {
    var out = [];
    values.sort(function (a, b) { return a - b; }).forEach(function (v) {
      if (!out.length || v - out[out.length - 1] > 2) out.push(v);
    });
    return out;
  }
  function index(list, v) {
    for (var i = 0; i < list.length; i++) if (Math.abs(list[i] - v) <= 2) return i;
    return -1;
  }
  var result = {tables: {}, offenders: [], viewport: doc.documentElement.clientWidth,
                scrollWidth: doc.documentElement.scrollWidth, wrappers: []};
  doc.querySelectorAll('table').forEach(function (t) {
    var cells = Array.prototype.slice.call(t.querySelectorAll('th,td'));
    var rects = cells.map(function (c) { return c.getBoundingClientRect(); });
    var xs = edges(rects.map(function (r) { return r.left; }));
    var ys = edges(rects.map(function (r) { return r.top; }));
    result.tables[t.id] = cells.map(function (c, i) {
      var r = rects[i];
      var col = index(xs, r.left), row = index(ys, r.top);
      var colspan = xs.filter(function (x) { return x > r.left + 2 && x < r.right - 2; }).length + 1;
      var rowspan = ys.filter(function (y) { return y > r.top + 2 && y < r.bottom - 2; }).length + 1;
      return [row, col, rowspan, colspan, c.textContent];
    });
  });
  var vw = result.viewport;
  doc.querySelectorAll('body *').forEach(function (el) {
    if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) return;  // scrolls inside its wrapper
    var r = el.getBoundingClientRect();
    if (r.right > vw + 0.5 || r.left < -0.5) result.offenders.push(el.tagName + ' ' + r.left + '..' + r.right);
  });
  doc.querySelectorAll('.table-wrap').forEach(function (w) {
    result.wrappers.push([w.clientWidth, w.scrollWidth]);
  });
  var pre = document.createElement('pre');
  pre.id = 'probe-result';
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
});
</script>
"""


def _framed(page: str, width: int, *, probe: bool) -> str:
    """The page in a frame exactly ``width`` px wide (tall enough never to scroll vertically)."""
    frame = (f'<iframe id="page" style="display:block;border:0;width:{width}px;height:9000px" '
             f'srcdoc="{escape(page, quote=True)}"></iframe>')
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">{frame}'
            f'{PROBE if probe else ""}</body></html>')


def _chromium(tmp_path: Path, width: int, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{width}"
    cmd = [CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={profile}", f"--window-size={max(width, 500)},1400",
           *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def _report():
    report = full_report()
    # An unbreakable run (a URL as clerks paste it) must wrap, not widen the page on a phone.
    report.texts["text.overview.platform"] += "网址：" + "https://www.example.gov.cn/" + "x" * 120
    return report


def _probe(tmp_path: Path, width: int, *, sign_off: bool = False) -> dict:
    page, _ = report_html(_report(), sign_off=sign_off)
    assert "<script" not in page  # the exported page has none; only this test copy gets the probe
    test_copy = tmp_path / f"probe-{width}.html"
    test_copy.write_text(_framed(page, width, probe=True), encoding="utf-8")
    run = _chromium(tmp_path, width, "--dump-dom", test_copy.as_uri())
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', run.stdout, re.S)
    assert found, run.stderr[-2000:]
    return json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


@pytest.mark.parametrize(("width", "sign_off"), [(375, False), (1280, False), (375, True)])
def test_browser_places_every_cell_and_nothing_overflows(tmp_path, width, sign_off) -> None:
    result = _probe(tmp_path, width, sign_off=sign_off)
    assert result["viewport"] == width
    grids = build_content(_report()).tables()
    for table_id, grid in grids.items():
        want = sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells)
        got = sorted(tuple(cell) for cell in result["tables"][table_id])
        assert got == want, table_id
    assert result["offenders"] == []
    assert result["scrollWidth"] <= width
    if width == 375:
        # Table 3 is wider than a phone: its wrapper scrolls sideways instead of the page.
        assert any(scroll > client for client, scroll in result["wrappers"])
    else:
        assert all(scroll <= client for client, scroll in result["wrappers"])


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshot(tmp_path, width) -> None:
    page, _ = report_html(_report())
    source = tmp_path / "page.html"
    source.write_text(_framed(page, width, probe=False), encoding="utf-8")
    shot = tmp_path / f"page-{width}.png"
    run = _chromium(tmp_path, width, f"--screenshot={shot}", source.as_uri())
    assert shot.is_file(), run.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a rendered page, not a blank one
    keep = os.environ.get("XXGK_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
