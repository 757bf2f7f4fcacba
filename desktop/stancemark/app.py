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
    _import_sqlite_utils_lean()
    from stancemark.ui.fonts import ensure_font
    from stancemark.ui.qt_app import launch, make_app

    ensure_font(make_app())  # text even on a machine without fonts
    return launch(project, read_only=read_only, screenshot=screenshot)


def _import_sqlite_utils_lean() -> None:
    """Import sqlite-utils without pandas and numpy, which it loads when installed.

    The window needs neither, and they cost over a second of start-up; other code
    may still import them later (only sqlite-utils' optional type mapping skips them).
    """
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes the import fail fast
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]
