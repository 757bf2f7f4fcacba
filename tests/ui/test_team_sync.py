"""Team sync in the window (issue 17): the Sync action, the status bar, the offline and
refused banners, edits made during a sync, and the coder's queue.

The tests that need a hub run on the test PostgreSQL server (``STANCEMARK_TEST_PG_URL``)
and skip without one; the offline ones need no server (the hub's port is closed).
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from stancemark.core.models import ArticleDraft
from stancemark.services.team import add_member, assign_articles, init_team, join, sync
from stancemark.store import open_project
from stancemark.store import team as local
from tests.sync import conftest as hub_fixtures
from tests.sync.conftest import plain_connect, with_user

# the test hub's fixtures (a fresh team database per test; skipped without a server)
pg_url = hub_fixtures.pg_url
hub_url = hub_fixtures.hub_url

TEXTS = [
    "Harbour deal\nThe mayor said the harbour deal would bring four hundred jobs.",
    "Rail strike\nThe union claimed the rail company had broken its promise on wages.",
    "School meals\nThe minister promised free school meals from the autumn onwards.",
    "Bridge closed\nEngineers warned that the old bridge could not carry lorries any more.",
]
SYNC_KEY = (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
QUEUE_KEY = (Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


@pytest.fixture(autouse=True)
def _quiet_team_settings(tmp_path, monkeypatch):
    """No automatic sync unless a test asks; passwords in a file of the test's own."""
    from stancemark.ui.qt_app import settings

    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    s = settings()
    s.setValue("team/sync_on_open", False)
    s.setValue("team/auto_sync_minutes", 0)
    s.sync()


@pytest.fixture
def projects():
    """Opens project files for windows; closes them after the windows have closed."""
    opened = []

    def open_(path: Path):
        store = open_project(path, create=True)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


def make_team(hub: str, tmp_path: Path, per_article: int) -> dict[str, Path]:
    """A hub in open mode: mary (manager) publishes TEXTS; alice and bob code them."""
    init_team(hub, blind=False)
    paths = {}
    for name, role in (("mary", "manager"), ("alice", "coder"), ("bob", "coder")):
        _addr, password = add_member(hub, name, role)
        paths[name] = tmp_path / f"{name}.stancemark"
        if name == "mary":
            with open_project(paths[name], create=True) as s:
                s.articles.add_many(ArticleDraft(t, title=t.split("\n")[0]) for t in TEXTS)
        join(paths[name], with_user(hub, name, password))
        if name == "mary":
            with open_project(paths[name]) as s:
                sync(s)
    assign_articles(with_user(hub, "mary"), ["alice", "bob"], per_article)
    return paths


def press(qtbot, win, key) -> None:
    qtbot.keyClick(win.article_view.text_edit, key[0], key[1])


def sync_by_key(qtbot, win) -> None:
    with qtbot.waitSignal(win.team_sync.ended, timeout=30000):
        press(qtbot, win, SYNC_KEY)


def hub_rows(hub: str, sql: str) -> list:
    conn = plain_connect(hub)
    try:
        return conn.run(sql)
    finally:
        conn.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def claim_by(store, article_id: int, annotator: str):
    return [c for c in store.annotations.claims(article_id) if c.annotator == annotator]


# -- with a hub ----------------------------------------------------------------------

def test_sync_now_sends_my_work_and_shows_a_second_coders(qtbot, hub_url, tmp_path, projects,
                                                          make_window):
    paths = make_team(hub_url, tmp_path, per_article=2)
    # bob codes the rail strike article on his own laptop and syncs
    with open_project(paths["bob"]) as s:
        sync(s)
        rail = next(a.id for a in s.articles.summaries() if a.title == "Rail strike")
        text = s.articles.get(rail).text
        start = text.index("The union")
        s.annotations.add_claim(rail, start, start + 40, "bob", stance=-1)
        sync(s)

    alice = projects(paths["alice"])
    win = make_window(alice, annotator="alice")
    assert win.team_sync.label.isVisible()
    assert win.team_sync.label.text() == "Not synced yet · nothing to send"
    assert win.window_actions["sync_now"].isEnabled()
    sync_by_key(qtbot, win)  # her first sync brings the articles assigned to her
    assert win.team_sync.outcome == "ok"
    assert win.article_list.model.total() == 4
    assert win.team_sync.label.text() == "Synced just now · nothing to send"
    assert win.last_message.startswith("Synced: 0 change(s) sent, ")

    # she codes the harbour article in the window: one claim waits to be sent
    harbour = next(a.id for a in alice.articles.summaries() if a.title == "Harbour deal")
    win.open_article(harbour)
    text = alice.articles.get(harbour).text
    start = text.index("The mayor")
    win.session.perform(win.session.service.add_claim(harbour, start, start + 30, stance=1))
    assert win.team_sync.label.text() == "Synced just now · 1 to send"

    sync_by_key(qtbot, win)
    assert win.team_sync.label.text() == "Synced just now · nothing to send"
    assert hub_rows(hub_url, "SELECT annotator, stance, text FROM stancemark.claims "
                             "ORDER BY annotator") == [
        ["alice", 1, text[start:start + 30]], ["bob", -1, TEXTS[1].split("\n")[1][:40]]]
    # open mode: bob's claim is in her project and on the rail article she opens
    rail = next(a.id for a in alice.articles.summaries() if a.title == "Rail strike")
    assert [c.stance for c in claim_by(alice, rail, "bob")] == [-1]
    win.open_article(rail)
    assert any(s.kind == "claim" for s in win.spans())
    row = win.article_list.model.row_of(rail)
    assert win.article_list.model.index(row, 4).data() == 1  # Ann. column
    win.resize(1200, 760)
    win.grab().save(str(tmp_path / "synced.png"))
    assert (tmp_path / "synced.png").stat().st_size > 0


def test_an_import_asked_for_during_a_sync_starts_when_the_sync_ends(
        qtbot, hub_url, tmp_path, projects, make_window, monkeypatch):
    from stancemark.sync import hub as hub_module

    paths = make_team(hub_url, tmp_path, per_article=2)
    mary = projects(paths["mary"])
    win = make_window(mary, annotator="mary")
    article = tmp_path / "ferry.txt"
    article.write_text("Ferry fares rise\n\nThe operator said fares would rise in May.\n",
                       encoding="utf-8")
    entered, release = threading.Event(), threading.Event()
    real_pull = hub_module.pull

    def slow_pull(*args, **kwargs):
        entered.set()
        release.wait(30)
        return real_pull(*args, **kwargs)

    monkeypatch.setattr(hub_module, "pull", slow_pull)
    before = mary.articles.count()
    with qtbot.waitSignal(win.import_finished, timeout=30000) as done:
        press(qtbot, win, SYNC_KEY)
        qtbot.waitUntil(entered.is_set, timeout=10000)
        win.project_files.import_paths([article])
        assert win.jobs.busy and win.jobs.waiting  # held: the two never share the lock
        qtbot.wait(200)
        assert mary.articles.count() == before
        assert not win.team_sync.sync_now()  # and no second sync starts meanwhile
        release.set()
    assert [o.status for o in done.args[0].outcomes] == ["imported"]
    assert mary.articles.count() == before + 1
    assert win.team_sync.outcome == "ok"


def test_an_edit_made_while_a_sync_runs_is_kept_and_sent_next(qtbot, hub_url, tmp_path,
                                                               projects, make_window,
                                                               monkeypatch):
    from stancemark.sync import hub as hub_module

    paths = make_team(hub_url, tmp_path, per_article=2)
    alice = projects(paths["alice"])
    win = make_window(alice, annotator="alice")
    sync_by_key(qtbot, win)
    harbour = next(a.id for a in alice.articles.summaries() if a.title == "Harbour deal")
    win.open_article(harbour)
    start = TEXTS[0].index("The mayor")
    win.session.perform(win.session.service.add_claim(harbour, start, start + 30, stance=1))
    sync_by_key(qtbot, win)
    claim = claim_by(alice, harbour, "alice")[0]
    win.session.perform(win.session.service.update_claim(claim, stance=-1))

    # the next sync pushes stance -1, then waits before pulling (which brings that row
    # back) while she changes her mind in the window
    entered, release = threading.Event(), threading.Event()
    real_pull = hub_module.pull

    def slow_pull(*args, **kwargs):
        entered.set()
        release.wait(30)
        return real_pull(*args, **kwargs)

    monkeypatch.setattr(hub_module, "pull", slow_pull)
    with qtbot.waitSignal(win.team_sync.ended, timeout=30000):
        press(qtbot, win, SYNC_KEY)
        qtbot.waitUntil(entered.is_set, timeout=10000)
        assert win.team_sync.label.text().startswith("Syncing…")
        assert win.centralWidget().isEnabled()  # the window is not locked
        win.session.select(("claim", claim.id))
        qtbot.keyClick(win.article_view.text_edit, Qt.Key.Key_5)  # very positive: +2
        assert claim_by(alice, harbour, "alice")[0].stance == 2
        assert not win.team_sync.sync_now()  # never two at once
        release.set()
    assert win.team_sync.outcome == "ok"
    assert claim_by(alice, harbour, "alice")[0].stance == 2  # the pull did not undo it
    assert win.team_sync.label.text() == "Synced just now · 1 to send"
    assert hub_rows(hub_url, "SELECT stance FROM stancemark.claims") == [[-1]]
    sync_by_key(qtbot, win)
    assert hub_rows(hub_url, "SELECT stance FROM stancemark.claims") == [[2]]
    assert claim_by(alice, harbour, "alice")[0].stance == 2
    # and undo still works on her edit
    press(qtbot, win, (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
    assert claim_by(alice, harbour, "alice")[0].stance == -1


def test_a_wrong_password_shows_the_refused_banner(qtbot, hub_url, tmp_path, projects,
                                                   make_window, monkeypatch):
    paths = make_team(hub_url, tmp_path, per_article=2)
    monkeypatch.setenv("PGPASSWORD", "not-her-password")
    alice = projects(paths["alice"])
    win = make_window(alice, annotator="alice")
    sync_by_key(qtbot, win)
    banner = win.sync_banner
    assert banner.isVisible() and banner.kind == "refused"
    assert "Sync refused:" in banner.label.text()
    assert "refused the login of 'alice'" in banner.label.text()
    assert "Check the password" in banner.label.text()
    assert win.team_sync.label.text() == "Sync refused · nothing to send"
    assert not win.team_sync._auto.isActive()  # no automatic retry of a refused login
    # fixed: the banner's button syncs again and the banner goes
    monkeypatch.delenv("PGPASSWORD")
    with qtbot.waitSignal(win.team_sync.ended, timeout=30000):
        qtbot.mouseClick(banner.retry_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert win.article_list.model.total() == 4


def test_the_queue_lists_only_my_articles_with_how_many_are_left(qtbot, hub_url, tmp_path,
                                                                 projects, make_window):
    paths = make_team(hub_url, tmp_path, per_article=1)  # two articles each
    alice = projects(paths["alice"])
    # a practice article she imported herself before joining the team
    alice.articles.add_many([ArticleDraft("Practice\nA text to learn the keys on.",
                                          title="Practice")])
    win = make_window(alice, annotator="alice")
    button = win.article_list.queue_button
    assert button.isVisible() and button.text() == "My queue"
    sync_by_key(qtbot, win)
    assert win.article_list.model.total() == 3
    assert button.text() == "My queue: 2 to do"
    press(qtbot, win, QUEUE_KEY)
    assert button.isChecked()
    titles = {win.article_list.model.index(r, 0).data()
              for r in range(win.article_list.model.rowCount())}
    assert titles == {"Harbour deal", "School meals"}
    assert win.article_list.count_label.text() == "2 articles in my queue"
    win.open_article(next(a.id for a in alice.articles.summaries() if a.title == "School meals"))
    press(qtbot, win, (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier))  # mark as done
    assert button.text() == "My queue: 1 to do"
    win.resize(1200, 760)
    win.grab().save(str(tmp_path / "queue.png"))
    press(qtbot, win, QUEUE_KEY)
    assert not button.isChecked() and win.article_list.model.total() == 3


def test_the_window_syncs_by_itself_on_opening(qtbot, hub_url, tmp_path, projects,
                                               make_window):
    from stancemark.ui.qt_app import settings

    settings().setValue("team/sync_on_open", True)
    paths = make_team(hub_url, tmp_path, per_article=2)
    alice = projects(paths["alice"])
    win = make_window(alice, annotator="alice")
    with qtbot.waitSignal(win.team_sync.ended, timeout=30000):
        pass
    assert win.team_sync.outcome == "ok" and win.article_list.model.total() == 4


def test_the_window_sends_my_edits_by_itself_every_few_minutes(qtbot, hub_url, tmp_path,
                                                               projects, make_window):
    from stancemark.ui.qt_app import settings

    settings().setValue("team/auto_sync_minutes", 0.01)  # every 0.6 s for the test
    paths = make_team(hub_url, tmp_path, per_article=2)
    alice = projects(paths["alice"])
    with open_project(paths["bob"]) as s:  # assigned the same articles
        sync(s)
    win = make_window(alice, annotator="alice")
    with qtbot.waitSignal(win.team_sync.ended, timeout=30000):
        pass  # the first automatic sync brings her articles
    harbour = next(a.id for a in alice.articles.summaries() if a.title == "Harbour deal")
    win.open_article(harbour)
    win.session.perform(win.session.service.set_article_sentiment(harbour, -1))
    assert win.team_sync.label.text().endswith("1 to send")
    with qtbot.waitSignal(win.team_sync.ended, timeout=30000):
        pass
    assert win.team_sync.label.text().endswith("nothing to send")
    assert hub_rows(hub_url, "SELECT annotator, value FROM stancemark.article_sentiments"
                    ) == [["alice", -1]]
    assert not win.sync_banner.isVisible()


# -- without a hub ----------------------------------------------------------------------

def offline_project(path: Path):
    store = open_project(path, create=True)
    local.set_team(store, f"postgresql://alice@127.0.0.1:{closed_port()}/team", "coder")
    return store


def test_an_unreachable_hub_shows_the_offline_banner_and_work_goes_on(qtbot, tmp_path,
                                                                      make_window):
    store = offline_project(tmp_path / "alice.stancemark")
    try:
        store.articles.add_many([ArticleDraft(TEXTS[0], title="Harbour deal")])
        win = make_window(store, annotator="alice")
        win.open_article(store.articles.summaries()[0].id)
        win.session.perform(win.session.service.set_article_sentiment(
            win.session.article.id, 1))
        sync_by_key(qtbot, win)
        banner = win.sync_banner
        assert banner.isVisible() and banner.kind == "offline"
        assert banner.label.text() == ("Offline: your work is kept here and sent on the "
                                       "next sync.")
        assert "Cannot reach the team hub" in banner.label.toolTip()
        assert win.team_sync.label.text() == "Offline · 1 to send"
        win.resize(1200, 760)
        win.grab().save(str(tmp_path / "offline.png"))
        # tagging goes on while offline
        win.session.perform(win.session.service.set_article_sentiment(
            win.session.article.id, 2))
        assert win.team_sync.label.text() == "Offline · 1 to send"  # the same row, once
        win.close()
        assert not win.isVisible()
    finally:
        store.close()


def test_a_project_outside_a_team_has_no_sync(qtbot, tmp_path, make_window):
    store = open_project(tmp_path / "solo.stancemark", create=True)
    try:
        win = make_window(store, annotator="alice")
        assert not win.team_sync.active
        assert not win.team_sync.label.isVisible()
        assert not win.article_list.queue_button.isVisible()
        assert not win.window_actions["sync_now"].isEnabled()
        assert "stancemark team join" in win.window_actions["sync_now"].statusTip()
        assert not win.sync_now()
    finally:
        win.close()
        store.close()


def test_a_pulled_decision_replacing_mine_clears_the_undo_history(qtbot, hub_url, tmp_path,
                                                                 projects, make_window):
    """Carol settles a unit in the window and sends it; dave, another curator, settles the
    same unit (the hub keeps his, the newest). Her next sync replaces her decision with
    his, so her undo history goes: undoing her step must not remove his decision."""
    from stancemark.services.adjudication import Curation
    from stancemark.services.session import Session
    from stancemark.store.adjudication import decisions

    paths = make_team(hub_url, tmp_path, per_article=2)
    for name in ("carol", "dave"):
        _addr, password = add_member(hub_url, name, "curator")
        paths[name] = tmp_path / f"{name}.stancemark"
        join(paths[name], with_user(hub_url, name, password))
    start = TEXTS[0].index("The mayor")
    for name, stance in (("alice", 1), ("bob", -1)):
        with open_project(paths[name]) as s:
            sync(s)
            harbour = next(a.id for a in s.articles.summaries() if a.title == "Harbour deal")
            s.annotations.add_claim(harbour, start, start + 30, name, stance=stance)
            sync(s)
    with open_project(paths["dave"]) as s:
        sync(s)

    carol = projects(paths["carol"])
    win = make_window(carol, annotator="carol")
    sync_by_key(qtbot, win)
    curation = Curation(win.session, ["alice", "bob"])
    unit = next(u for u in curation.units() if u.layer == "claims")
    curation.accept(unit, "alice")
    assert win.session.undo_stack.canUndo()
    sync_by_key(qtbot, win)
    assert hub_rows(hub_url, "SELECT outcome, decided_by FROM stancemark.adjudications "
                             "WHERE NOT deleted") == [["accepted", "carol"]]

    with open_project(paths["dave"]) as s:  # he has not pulled hers
        theirs = Curation(Session(s, "dave"), ["alice", "bob"])
        theirs.reject(next(u for u in theirs.units() if u.layer == "claims"))
        sync(s)
    assert hub_rows(hub_url, "SELECT outcome, decided_by FROM stancemark.adjudications "
                             "WHERE NOT deleted") == [["rejected", "dave"]]

    sync_by_key(qtbot, win)
    assert win.team_sync.outcome == "ok"
    settled = [(d.outcome, d.decided_by) for d in decisions(carol, "gold")]
    assert settled == [("rejected", "dave")]
    assert not win.session.undo_stack.canUndo()
    press(qtbot, win, (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
    assert [(d.outcome, d.decided_by) for d in decisions(carol, "gold")] == settled
