"""A sync keeps the member's queue, and tells offline from refused (issue 17)."""

from __future__ import annotations

import pg8000.native
import pytest

from stancemark.core.errors import HubOfflineError, HubRefusedError
from stancemark.core.models import ArticleDraft
from stancemark.services import team_status
from stancemark.services.team import add_member, assign_articles, init_team, join, sync
from stancemark.store import open_project
from stancemark.store import team as local
from stancemark.store import team_status as kept
from tests.sync.conftest import plain_connect, with_user

TEXTS = [f"Report {i}\nThe council said the new tram line would open in spring."
         for i in range(5)]


@pytest.fixture
def team(hub_url, tmp_path):
    init_team(hub_url)
    urls = {}
    for name, role in (("mary", "manager"), ("alice", "coder"), ("bob", "coder")):
        _addr, password = add_member(hub_url, name, role)
        urls[name] = with_user(hub_url, name, password)
    paths = {n: tmp_path / f"{n}.stancemark" for n in urls}
    with open_project(paths["mary"], create=True) as s:
        s.articles.add_many(ArticleDraft(t, title=f"R{i}") for i, t in enumerate(TEXTS[:4]))
    for name, url in urls.items():
        join(paths[name], url)
    with open_project(paths["mary"]) as s:
        sync(s)
    assign_articles(urls["mary"], ["alice", "bob"], 1)
    return urls, paths


def assigned(hub_url: str, coder: str) -> list[str]:
    conn = plain_connect(hub_url)
    try:
        return sorted(r[0] for r in conn.run(
            "SELECT article_uid FROM stancemark.assignments WHERE coder = :c AND NOT deleted",
            c=coder))
    finally:
        conn.close()


def test_a_sync_keeps_the_queue_and_reads_it_again_only_when_it_changed(team, hub_url):
    urls, paths = team
    with open_project(paths["alice"]) as s:
        assert team_status.team_state(s).queue_total is None
        report = sync(s)
        assert report.queue == 2
        held = sorted(s.articles.get(i).uid for i in team_status.queue_article_ids(s))
        assert held == assigned(hub_url, "alice")
        assert sync(s).queue is None  # no assignment changed
    with open_project(paths["mary"]) as s:
        s.articles.add_many([ArticleDraft(TEXTS[4], title="R4")])
        sync(s)
    assign_articles(urls["mary"], ["alice", "bob"], 1)  # R4 goes to one of them
    who = "alice" if len(assigned(hub_url, "alice")) == 3 else "bob"
    with open_project(paths[who]) as s:
        assert sync(s).queue == 3
        state = team_status.team_state(s)
        assert (state.queue_total, state.queue_todo) == (3, 3)


def test_a_connection_lost_mid_sync_is_offline_and_nothing_is_half_applied(team, monkeypatch):
    from stancemark.sync import hub

    _urls, paths = team
    with open_project(paths["alice"]) as s:
        s.actors.add("Tram company", "organisation")
        before = (s.get_meta(local.PULL_CURSOR), s.counts())
        real_pull = hub.pull

        def drop(*_args, **_kwargs):
            raise pg8000.native.InterfaceError("network error")

        monkeypatch.setattr(hub, "pull", drop)
        with pytest.raises(HubOfflineError, match="connection to the team hub was lost"):
            team_status.sync_now(s)
        assert (s.get_meta(local.PULL_CURSOR), s.counts()) == before
        assert kept.synced_at(s) is None
        monkeypatch.setattr(hub, "pull", real_pull)
        team_status.sync_now(s)
        assert kept.synced_at(s) is not None
        assert team_status.team_state(s).pending == 0


def test_a_member_taken_off_the_team_is_refused(team, hub_url):
    _urls, paths = team
    conn = plain_connect(hub_url)
    try:
        conn.run("DELETE FROM stancemark.coders WHERE name = 'bob'")
    finally:
        conn.close()
    with open_project(paths["bob"]) as s, \
            pytest.raises(HubRefusedError, match="no longer a member.*Ask the team's manager"):
        team_status.sync_now(s)
