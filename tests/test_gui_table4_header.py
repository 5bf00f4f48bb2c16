"""The window's table 4 draws the official header the format data describes (issue 12, point 4)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from core.template import load_template
from gui.grids import build_table4


def _spans(grid) -> dict[str, list[tuple[int, int, int, int]]]:  # type: ignore[no-untyped-def]
    spans: dict[str, list[tuple[int, int, int, int]]] = {}
    layout = grid.grid
    for i in range(layout.count()):
        widget = layout.itemAt(i).widget()
        if isinstance(widget, QLabel):
            spans.setdefault(widget.text(), []).append(layout.getItemPosition(i))
    return spans


def test_review_spans_one_row_and_its_fields_rows_two_and_three(qtbot) -> None:
    tpl = load_template()
    t4 = tpl.tables["table4"]
    assert t4["field_header"] == "under_group"
    grid = build_table4(tpl)
    qtbot.addWidget(grid)
    spans = _spans(grid)
    review, litigation = t4["groups"][0]["path"][0], t4["groups"][1]["path"][0]
    direct = t4["groups"][1]["path"][1]
    nf = len(t4["fields"])
    assert spans[review] == [(0, 0, 1, nf)]  # row 1 only, over its five columns
    assert spans[litigation] == [(0, nf, 1, 2 * nf)]
    assert spans[direct] == [(1, nf, 1, nf)]
    for k, field in enumerate(t4["fields"]):
        cells = sorted(spans[field["label"]], key=lambda s: s[1])
        # Under 行政复议: rows 2–3 (grid rows 1–2); under each litigation group: row 3 only.
        assert cells[0] == (1, k, 2, 1)
        assert cells[1] == (2, nf + k, 1, 1) and cells[2] == (2, 2 * nf + k, 1, 1)
