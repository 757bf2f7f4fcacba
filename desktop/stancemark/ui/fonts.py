"""A font that is always there: the bundled DejaVu Sans, used when the system has none.

A minimal Linux (a container, a fresh server image with a desktop forwarded)
may have no fonts at all, and Qt then draws every character as a box. The
bundled ``resources/fonts/DejaVuSans.ttf`` is registered with the application
font database only when the system offers no usable family, so a normal
desktop keeps its own look.
"""

from __future__ import annotations

import os

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from stancemark.core.resources import resource

BUNDLED_FONT = ("fonts", "DejaVuSans.ttf")
# fontconfig lists these aliases even when it has no font file to back them.
_ALIASES = {"Monospace", "Sans Serif", "Serif", "Sans", "Mono", "System-ui", "Cursive",
            "Fantasy", "Emoji", "Math"}


def system_has_fonts() -> bool:
    """Whether the system offers at least one real font family (not only aliases)."""
    return any(f not in _ALIASES for f in QFontDatabase.families())


def ensure_font(app: QApplication | None = None) -> str | None:
    """Make sure text can be drawn; return the bundled family if it had to be used.

    Set ``STANCEMARK_BUNDLED_FONT=1`` to use the bundled font even when the system
    has fonts (to check how the program looks on a bare machine).
    """
    forced = os.environ.get("STANCEMARK_BUNDLED_FONT") == "1"
    if system_has_fonts() and not forced:
        return None
    font_id = QFontDatabase.addApplicationFont(str(resource(*BUNDLED_FONT)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    family = families[0]
    target = app or QApplication.instance()
    if isinstance(target, QApplication):
        font = QFont(family)
        font.setPointSizeF(max(target.font().pointSizeF(), 9.0))
        target.setFont(font)
    return family
