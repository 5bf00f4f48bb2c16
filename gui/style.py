"""The window's style sheet: tables drawn like the official ones, and the finding marks."""

from __future__ import annotations

# The cells keep their (invisible, zero-width) step buttons: with NoButtons and a styled border,
# Qt 6 shrinks the spin box's edit field to one pixel and the figure disappears.
# Grid lines come from the 1-pixel gaps of the grid layout over the table's dark background, so
# merged (spanned) cells get correct borders without drawing each line.
STYLE_SHEET = """
QWidget#tableGrid { background: #7a7a7a; }
QLabel[cellRole="header"] {
    background: #eef1f5; padding: 3px 4px; font-weight: bold;
}
QLabel[cellRole="label"] { background: #ffffff; padding: 2px 6px; }
QLabel[cellRole="block"] { background: #e2e8f0; padding: 4px 6px; font-weight: bold; }
QWidget[cellRole="holder"] { background: #ffffff; }
QAbstractSpinBox[cellRole="input"] {
    background: #ffffff; border: 1px solid transparent; padding: 1px 4px; min-height: 22px;
}
QAbstractSpinBox[cellRole="input"]::up-button, QAbstractSpinBox[cellRole="input"]::down-button {
    width: 0px; border: none; image: none;
}
QAbstractSpinBox[cellRole="input"]:focus { border: 2px solid #1f5fbf; background: #f4f8ff; }
QLineEdit[cellRole="total"] {
    background: #d9d9d9; color: #202020; border: 1px solid transparent; padding: 1px 4px;
    font-weight: bold; min-height: 22px;
}
*[finding="error"] { border: 3px solid #c00000; }
*[finding="warning"] { border: 3px dashed #b36b00; }
QAbstractSpinBox[cellRole="input"][finding="error"], QLineEdit[cellRole="total"][finding="error"] {
    border: 3px solid #c00000;
}
QAbstractSpinBox[cellRole="input"][finding="warning"], QLineEdit[cellRole="total"][finding="warning"] {
    border: 3px dashed #b36b00;
}
QLabel#xxgkFindingBadge {
    border: none; font-weight: bold; padding: 0px 3px; border-radius: 3px;
}
QLabel#xxgkFindingBadge[finding="error"] { background: #c00000; color: #ffffff; }
QLabel#xxgkFindingBadge[finding="warning"] { background: #ffd27a; color: #000000; }
QLabel[role="hint"] { color: #555555; }
QLabel[role="count"] { color: #555555; }
QLabel[role="sectionTitle"] { font-size: 15px; font-weight: bold; padding: 4px 0px; }
"""

# Colours used outside the style sheet (item foregrounds, banners), named here once.
STATUS_COLORS = {"error": "#b00000", "warning": "#8a5a00", "ok": "#1d6b2a"}
FINDING_COLORS = {"error": "#a00000", "warning": "#7a4a00"}
ALARM_LABEL_STYLE = "QLabel { color: #b00000; font-weight: bold; }"
CARRIED_COLOR = "#fff1c2"  # background of a paragraph still carrying last year's text
BANNER_STYLE = "QLabel { background: #fff4d6; border: 1px solid #e0b050; padding: 6px; }"


class StatusTime:
    """How long a status-bar line stays, in ms: longer the more there is to read or act on."""

    BRIEF = 5_000    # a plain confirmation: 已保存, 已打开
    HINT = 6_000     # why a key was refused
    DONE = 8_000     # an action with a consequence to read (pasted N cells, imported, printed)
    NOTE = 10_000    # a finding's message, an export's result, the open report changed under the clerk
    LONG = 12_000    # a sentence with two facts (new year made, version restored)
    ALARM = 15_000   # something failed: autosave, last year's report
