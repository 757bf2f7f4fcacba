"""Issue 11 in a real X window: where keys land on a fresh desktop of 1366×768.

The window must fit the screen; focus starts in the article text (a letter key
acts at once, no click first); Ctrl+Z typed in the search box undoes the last
edit, not the typed search, and Esc goes back to the text; the span keys reach
the window (the window manager takes Ctrl+Alt+arrows and Alt+Shift+arrows,
not Alt+arrows); Enter in the note saves it and hands the keys back, so the next
digit is a stance. Set ``STANCEMARK_REALWINDOW_SHOT=PATH`` to keep a screenshot.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.realwindow.test_smoke import ROOT, Desktop, desktop, pytestmark  # noqa: F401

SCREEN = (1366, 768)


def query(project: Path, sql: str) -> tuple:
    con = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


def wait_for(what: Callable[[], object], expected: object, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    got = what()
    while got != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        got = what()
    assert got == expected


def test_keys_land_where_the_analyst_looks(desktop: Desktop,  # noqa: F811 - the fixture
                                           tmp_path: Path) -> None:
    project = tmp_path / "keys.stancemark"
    article = tmp_path / "article.txt"
    article.write_text("Valmora accuses Ostria\n\nIrena Balaš said the blockade must end "
                       "before the harvest. Nobody else spoke.\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "stancemark", "import", str(project), str(article)],
                   check=True, env=desktop.env, capture_output=True)
    status = lambda: query(project, "SELECT status FROM articles")[0]  # noqa: E731
    with desktop.app(project) as app:
        window = desktop.wait_window("keys.stancemark")
        time.sleep(1.0)
        x, y, w, h = desktop.geometry(window)
        assert x >= 0 and y >= 0 and x + w <= SCREEN[0] and y + h <= SCREEN[1], (x, y, w, h)
        # no click: focus starts in the text, so D marks the article done
        desktop.key("d")
        wait_for(status, "done")
        # in the search box Ctrl+Z undoes the last edit; Esc goes back to the text
        desktop.key("ctrl+f")
        desktop.type("q")
        desktop.key("ctrl+z")
        wait_for(status, "new")
        desktop.key("Escape", "d")
        wait_for(status, "done")
        # tag "Irena Balaš", then Alt+Right widens it by a word
        desktop.key("ctrl+Home", "Down", "Down", "ctrl+shift+Right", "ctrl+shift+Right")
        desktop.key("a", "Return", "p")
        wait_for(lambda: query(project, "SELECT text FROM mentions"), ("Irena Balaš",))
        desktop.key("alt+Right")
        wait_for(lambda: query(project, "SELECT text FROM mentions"), ("Irena Balaš said",))
        # a claim, a note saved with Enter, then 4 is its stance, not more note
        desktop.key("End", "shift+Home", "c")
        wait_for(lambda: query(project, "SELECT count(*) FROM claims"), (1,))
        desktop.key("e")
        desktop.type("speaker")
        desktop.key("Return", "4")
        wait_for(lambda: query(project, "SELECT note, stance FROM claims"), ("speaker", 1))
        shot = os.environ.get("STANCEMARK_REALWINDOW_SHOT")
        if shot:
            subprocess.run(f"xwd -root -silent -display {desktop.display} | convert xwd:- "
                           f"{shot}", shell=True, check=False, env=desktop.env)
        desktop.quit(app)
