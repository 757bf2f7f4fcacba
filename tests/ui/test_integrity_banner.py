"""A big project whose background integrity check fails: a banner, and editing off."""

from __future__ import annotations

import threading


class FailingCheck:
    """Stands in for store.project.IntegrityCheck: fails on its own thread."""

    state = "checking"
    detail = ""

    def __init__(self) -> None:
        self._listeners = []

    def add_listener(self, listener) -> None:
        self._listeners.append(listener)

    def fail_later(self) -> threading.Thread:
        def run() -> None:
            self.state, self.detail = "failed", "Page 7: btreeInitPage() returns error code 11"
            for listener in self._listeners:
                listener(self)

        thread = threading.Thread(target=run)
        thread.start()
        return thread


def test_failed_check_shows_banner_and_disables_editing(make_window, project, qtbot) -> None:
    check = FailingCheck()
    project.integrity_check = check  # what open_project sets for a big file
    win = make_window(project)
    assert not win.banner.isVisible()
    assert all(a.isEnabled() for a in win.window_actions.editing)
    with qtbot.waitSignal(win.integrity_failed, timeout=5000):
        check.fail_later().join()
    qtbot.waitUntil(win.banner.isVisible)
    assert "Damaged project" in win.banner.text() and "btreeInitPage" in win.banner.text()
    assert not any(a.isEnabled() for a in win.window_actions.editing)
    project.integrity_check = None


def test_repairs_made_on_opening_are_shown(make_window, tmp_path, qtbot) -> None:
    import sqlite3

    from stancemark.core.models import ArticleDraft
    from stancemark.store import open_project

    path = tmp_path / "p.stancemark"
    with open_project(path, create=True) as s:
        s.articles.add(ArticleDraft("Kurti spoke in Pristina.", title="One"))
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER articles_fts_au")
    con.commit()
    con.close()
    store = open_project(path)
    win = make_window(store)
    try:
        assert "Repaired on opening" in win.last_message
        assert "search index" in win.statusBar().currentMessage()
        assert not win.banner.isVisible()
    finally:
        win.close()  # first: its pending suggestion work still reads the project
        store.close()
