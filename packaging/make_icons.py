"""Render ``resources/icons/stancemark.svg`` to the PNG sizes, ``.ico`` and ``.icns``.

Run by hand after changing the SVG (the results are committed, so a build needs
neither Qt's SVG renderer nor Pillow): ``python packaging/make_icons.py``.
Needs PySide6 (QtSvg) and Pillow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "stancemark.svg"))
    if not renderer.isValid():
        print("make_icons: the SVG does not render", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"stancemark-{size}.png"))
    big = Image.open(ICONS / "stancemark-512.png")
    big.save(ICONS / "stancemark.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    big.save(ICONS / "stancemark.icns")
    del app
    print(f"make_icons: wrote {len(SIZES)} PNGs, stancemark.ico and stancemark.icns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
