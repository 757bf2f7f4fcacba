"""Start the window: choose the project, open it (read-only when it must), show, or screenshot."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def run(project: Path | None, *, read_only: bool = False, screenshot: Path | None = None) -> int:
    """Open the window on ``project`` (or the last/demo one); return the exit code."""
    if screenshot is not None and not os.environ.get("QT_QPA_PLATFORM") and \
            not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from stancemark.ui.fonts import ensure_font
    from stancemark.ui.qt_app import launch, make_app

    ensure_font(make_app())  # text even on a machine without fonts
    return launch(project, read_only=read_only, screenshot=screenshot)
