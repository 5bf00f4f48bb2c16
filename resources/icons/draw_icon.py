"""Draws the application icon (a report sheet with a table and a check mark) as SVG, PNG and ICO.

Run once after changing the drawing: ``python resources/icons/draw_icon.py``. No emblem or
third-party artwork: plain shapes only.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <rect x="36" y="14" width="184" height="228" rx="14" fill="#ffffff" stroke="#2b4c7e" stroke-width="10"/>
  <rect x="36" y="14" width="184" height="46" rx="14" fill="#b3261e"/>
  <rect x="36" y="44" width="184" height="16" fill="#b3261e"/>
  <rect x="62" y="30" width="132" height="14" rx="7" fill="#ffffff"/>
  <g stroke="#2b4c7e" stroke-width="6" fill="none">
    <rect x="62" y="84" width="132" height="96"/>
    <line x1="62" y1="116" x2="194" y2="116"/>
    <line x1="62" y1="148" x2="194" y2="148"/>
    <line x1="106" y1="84" x2="106" y2="180"/>
    <line x1="150" y1="84" x2="150" y2="180"/>
  </g>
  <circle cx="186" cy="196" r="44" fill="#1e7b34"/>
  <path d="M164 197 L180 213 L210 180" stroke="#ffffff" stroke-width="12" fill="none"
        stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


def main() -> int:
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    (HERE / "app.svg").write_text(SVG, "utf-8")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(QByteArray(SVG.encode("utf-8")))
    images = {}
    for size in (16, 32, 48, 64, 256):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        images[size] = image
    for size in (32, 64, 256):
        images[size].save(str(HERE / f"app-{size}.png"))
    images[256].save(str(HERE / "app.ico"))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
