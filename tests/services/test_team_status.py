"""What the window shows of a team project, without Qt: the status bar's words, what waits
to be sent, the queue, and a sync on a second connection (issue 17)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest

from stancemark.core.errors import HubOfflineError
from stancemark.core.models import ArticleDraft
from stancemark.core.team import Batch
from stancemark.services import team_status
from stancemark.services.team_status import TeamState, ago, queue_text, status_text
from stancemark.store import open_project
from stancemark.store import team as local
from stancemark.store import team_status as kept
from stancemark.store.project import open_alongside

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def stamp(minutes: float) -> str:
    return (NOW - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_the_status_bar_says_when_and_how_much():
    state = TeamState("alice", "coder", 3, stamp(2.5), 12, 9)
    assert status_text(state, at=NOW) == "Synced 2 min ago · 3 to send"
    assert status_text(state, syncing=True, at=NOW) == "Syncing… · 3 to send"
    assert status_text(state, offline=True, at=NOW) == "Offline · 3 to send"
    assert status_text(state, refused=True, at=NOW) == "Sync refused · 3 to send"
    fresh = TeamState("alice", "coder", 0, None, None, 0)
    assert status_text(fresh, at=NOW) == "Not synced yet · nothing to send"
    assert [ago(stamp(m), NOW) for m in (0.2, 59, 61, 60 * 5, 60 * 30, 60 * 24 * 3)] == [
        "just now", "59 min ago", "1 h ago", "5 h ago", "yesterday", "3 days ago"]
    assert ago(None, NOW) == "never"
    assert ago("garbled", NOW) == "at an unknown time"


def test_the_queue_button_says_what_is_left():
    assert queue_text(TeamState("a", "coder", 0, None, None, 0)) == "My queue"
    assert queue_text(TeamState("a", "coder", 0, None, 12, 9)) == "My queue: 9 to do"
    assert queue_text(TeamState("a", "coder", 0, None, 4, 0)) == "My queue: all 4 done"
    assert queue_text(TeamState("a", "coder", 0, None, 0, 0)) == "My queue: 0 to do"


@pytest.fixture
def member(tmp_path):
    """A coder's project (alice) with three articles, two of them in her queue."""
    with open_project(tmp_path / "alice.stancemark", create=True) as s:
        ids = [i for i, _uid in s.articles.add_many(
            ArticleDraft(f"Text {n}\nThe mayor spoke about the harbour {n}.", title=f"A{n}")
            for n in range(3))]
        local.set_team(s, "postgresql://alice@127.0.0.1:1/team", "coder")
        yield s, ids


def test_what_waits_to_be_sent_counts_each_row_of_mine_once(member):
    s, ids = member
    state = team_status.team_state(s)
    assert state is not None and state.member == "alice" and state.pending == 0
    kurti = s.actors.add("Kurti", "person")
    m = s.annotations.add_mention(ids[0], 0, 4, kurti, "alice")
    s.annotations.set_sentiment(ids[0], None, "alice", 1)
    s.annotations.set_sentiment(ids[0], None, "alice", 2)  # the same row again
    s.annotations.set_sentiment(ids[1], None, "bob", 1)  # not hers: never sent
    assert team_status.team_state(s).pending == 3  # the actor, the mention, one sentiment
    s.annotations.delete_mention(m.id)  # still one change of that mention: its deletion
    assert team_status.team_state(s).pending == 3
    local.mark_pushed(s, local.last_seq(s))
    assert team_status.team_state(s).pending == 0


def test_a_project_outside_a_team_has_no_team_state(tmp_path):
    with open_project(tmp_path / "solo.stancemark", create=True) as s:
        assert team_status.team_state(s) is None


def test_the_queue_is_the_assigned_articles_this_project_holds(member):
    s, ids = member
    assert team_status.team_state(s).queue_total is None  # not read from the hub yet
    uids = [s.articles.get(i).uid for i in ids]
    # a pull brings her assignments: two articles, one taken back, one not here yet
    local.apply_pulled(s, Batch(assignments={uids[0]: True, uids[1]: True, uids[2]: False,
                                             "f" * 64: True}), "7")
    s.articles.set_status(ids[1], "done")
    state = team_status.team_state(s)
    assert (state.queue_total, state.queue_todo) == (2, 1)
    assert team_status.queue_article_ids(s) == ids[:2]


def test_a_second_connection_sees_and_makes_commits_and_leaves_the_lock(member):
    s, ids = member
    twin = open_alongside(s)
    try:
        assert twin is not s and twin.alongside
        twin.set_meta("probe", "from the worker")
        assert s.get_meta("probe") == "from the worker"
        s.articles.set_status(ids[2], "done")
        assert twin.articles.status(ids[2]) == "done"
    finally:
        twin.close()
    s.set_meta("probe", "still writable")  # closing the twin kept the file open and locked
    with pytest.raises(Exception, match="open for writing in another"):
        open_project(s.path)


def test_an_unreachable_hub_is_offline_and_changes_nothing(member):
    s, _ids = member
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    local.set_team(s, f"postgresql://alice@127.0.0.1:{port}/team", "coder")
    before = s.counts()
    with pytest.raises(HubOfflineError, match="Cannot reach the team hub"):
        team_status.sync_now(s)
    assert s.counts() == before and kept.synced_at(s) is None


def test_waiting_follows_what_a_sync_would_send(member):
    s, ids = member
    assert team_status.team_state(s).pending == 0  # her new project's codebook is not hers
    local.apply_pulled(s, Batch(), "7")  # a first pull
    local.mark_pushed(s, local.last_seq(s))
    book = s.codebook.load()
    book.categories[0].label = "Security, defence"
    s.codebook.save(book)
    assert team_status.team_state(s).pending == 1  # sent as a proposal for a manager
    s.articles.set_status(ids[0], "done")  # her status is her own: nothing to send
    assert team_status.team_state(s).pending == 1
    local.set_team(s, "postgresql://alice@127.0.0.1:1/team", "manager")
    assert team_status.team_state(s).pending == 2  # a manager's article rows are sent
