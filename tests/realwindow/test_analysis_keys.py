"""The Analysis window in a real X window, by keys alone: it opens with Ctrl+Shift+A,
fits a 1366×768 screen, Alt+C reaches the coder filter, and Alt+S saves the CSV of
exactly the (filtered) numbers drawn through the file dialog."""

from __future__ import annotations

import csv
import time
from datetime import datetime
from pathlib import Path

from stancemark.core.models import ArticleDraft
from stancemark.store import open_project
from tests.realwindow.test_everyday_keys import SCREEN
from tests.realwindow.test_smoke import Desktop, desktop, pytestmark  # noqa: F401


def make_study(path: Path) -> None:
    text = "Ana Petrov said the bridge must wait. The Port Guild rejected the delay."
    with open_project(path, create=True) as s:
        art = s.articles.add(ArticleDraft(text, title="Bridge", source="North Ledger",
                                          published=datetime(2024, 1, 10)))
        ana = s.actors.add("Ana Petrov", "person")
        guild = s.actors.add("Port Guild", "organisation")
        said, rejected = text.index("the bridge"), text.index("rejected")
        for coder in ("alice", "bojan"):
            s.annotations.add_claim(art, said, said + 10, coder, claimant_id=ana,
                                    category="security", stance=2)
        s.annotations.add_claim(art, rejected, rejected + 8, "alice", claimant_id=guild,
                                category="security", stance=-2)


def test_analysis_by_keys_in_a_real_window(desktop: Desktop,  # noqa: F811 - the fixture
                                          tmp_path: Path) -> None:
    project = tmp_path / "study.stancemark"
    make_study(project)
    out = tmp_path / "bojan.csv"
    with desktop.app(project) as app:
        time.sleep(1.0)
        desktop.key("ctrl+shift+a")
        window = desktop.wait_window("^Analysis$")
        time.sleep(0.5)
        x, y, w, h = desktop.geometry(window)
        assert x >= 0 and y >= 0 and x + w <= SCREEN[0] and y + h <= SCREEN[1], (x, y, w, h)
        desktop.key("alt+c", "b")  # the coder filter; typing picks "bojan"
        time.sleep(0.5)
        desktop.key("alt+s")
        desktop.wait_window("Save chart as CSV")
        time.sleep(0.5)
        desktop.key("ctrl+a")
        desktop.type(str(out))
        desktop.key("Return")
        deadline = time.monotonic() + 20
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
        assert rows == [["label", "claims"], ["Ana Petrov", "1"]]
        desktop.key("Escape")
        time.sleep(0.5)
        desktop.quit(app)
