"""Join and sync on a real PostgreSQL hub: what each member sends and gets (issue 17)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.core.errors import TeamError
from stancemark.services import team as team_service
from stancemark.services.team import join, sync
from stancemark.store import open_project
from stancemark.store import team as local
from tests.sync.conftest import TEXTS, plain_connect, with_user


def hub_rows(hub_url: str, sql: str) -> list:
    conn = plain_connect(hub_url)
    try:
        return conn.run(sql)
    finally:
        conn.close()


def annotate(path: Path, who: str, stance: int = 1) -> None:
    with open_project(path) as s:
        sync(s)
        art = s.articles.summaries()[0].id
        nato = s.conn.execute("SELECT id FROM actors WHERE name = 'NATO'").fetchone()[0]
        kurti = s.actors.add(f"Albin Kurti ({who})", "person")
        start = TEXTS[0].index("Kurti")
        s.annotations.add_mention(art, start, start + 5, kurti, who)
        s.annotations.add_claim(art, start, start + 30, who, claimant_id=kurti, target_id=nato,
                                stance=stance)
        s.annotations.set_sentiment(art, None, who, -1)
        s.annotations.set_sentiment(art, nato, who, 2)


def test_a_coder_gets_articles_codebook_registry_and_sends_her_annotations(team, hub_url):
    urls, projects = team
    with open_project(projects["alice"]) as s:
        report = sync(s)
        assert s.counts()["articles"] == 4
        assert s.conn.execute("SELECT type FROM actors WHERE name = 'NATO'").fetchone() == (
            "organisation",)
        assert s.conn.execute("SELECT count(*) FROM actor_aliases WHERE alias = "
                              "'the alliance'").fetchone() == (1,)
        assert report.pulled["articles"] == 4
    annotate(projects["alice"], "alice")
    with open_project(projects["alice"]) as s:
        report = sync(s)
    assert report.pushed == 5  # her actor, a mention, a claim, two sentiments
    assert hub_rows(hub_url, "SELECT annotator, count(*) FROM stancemark.claims "
                             "GROUP BY annotator") == [["alice", 1]]
    # blind: bob gets nothing of hers; the curator gets all of it
    with open_project(projects["bob"]) as s:
        sync(s)
        assert s.counts()["claims"] == 0 and s.counts()["articles"] == 4
    with open_project(projects["carol"]) as s:
        sync(s)
        counts = s.counts()
        assert (counts["mentions"], counts["claims"], counts["article_sentiments"],
                counts["actor_sentiments"]) == (1, 1, 1, 1)
        assert s.annotators() == ["alice"]


def test_a_sync_with_nothing_new_changes_nothing_and_a_deletion_travels(team, hub_url):
    urls, projects = team
    annotate(projects["alice"], "alice")
    with open_project(projects["alice"]) as s:
        sync(s)
        again = sync(s)
        assert again.pushed == 0 and again.pulled == {} and again.deleted == {}
    with open_project(projects["carol"]) as s:
        sync(s)
    with open_project(projects["alice"]) as s:
        mention = s.conn.execute("SELECT id FROM mentions").fetchone()[0]
        s.annotations.delete_mention(mention)
        assert sync(s).pushed == 1
    with open_project(projects["carol"]) as s:
        report = sync(s)
        assert report.deleted == {"mentions": 1} and s.counts()["mentions"] == 0


def test_a_push_cut_short_after_the_hub_took_it_is_repeated_without_duplicates(
        team, hub_url, monkeypatch):
    urls, projects = team
    annotate(projects["alice"], "alice")

    def lost(*_args):
        raise TeamError("connection lost")

    real = local.mark_pushed
    monkeypatch.setattr(local, "mark_pushed", lost)
    with open_project(projects["alice"]) as s, pytest.raises(TeamError):
        sync(s)
    monkeypatch.setattr(local, "mark_pushed", real)
    with open_project(projects["alice"]) as s:
        # sent again: the annotations (written over themselves); the actor the hub already
        # holds exactly as sent is not counted as a change
        assert sync(s).pushed == 4
    assert hub_rows(hub_url, "SELECT count(*) FROM stancemark.mentions") == [[1]]
    assert hub_rows(hub_url, "SELECT count(*) FROM stancemark.claims") == [[1]]


def test_a_pull_cut_short_leaves_the_project_as_it_was(team, monkeypatch):
    urls, projects = team
    real = team_service.local.apply_pulled
    with open_project(projects["bob"]) as s:
        before = s.counts()
        # the whole pull is one transaction: an error inside it rolls all of it back
        monkeypatch.setattr(team_service.local, "apply_pulled",
                            lambda st, b, c: _inside(st, real, b, c))
        with pytest.raises(TeamError):
            sync(s)
        assert s.counts() == before
        assert s.get_meta(local.PULL_CURSOR) == "0"
        monkeypatch.setattr(team_service.local, "apply_pulled", real)
        assert sync(s).pulled["articles"] == 4


def _inside(store, real, batch, cursor):
    with store.write():
        real(store, batch, cursor)
        raise TeamError("killed mid-pull")


def test_a_manager_publishes_codebook_changes_and_coders_cannot(team, hub_url):
    urls, projects = team
    with open_project(projects["mary"]) as s:
        book = s.codebook.load()
        book.categories[0].label = "Renamed by the manager"
        s.codebook.save(book)
        sync(s)
    with open_project(projects["alice"]) as s:
        sync(s)
        assert s.codebook.load().categories[0].label == "Renamed by the manager"
        book = s.codebook.load()
        book.categories[0].label = "Changed by a coder"
        s.codebook.save(book)
        # a coder's codebook edit waits at the hub for a manager; here it is undone
        assert sync(s).refused == {"categories": 1}
        assert s.codebook.load().categories[0].label == "Renamed by the manager"
    assert hub_rows(hub_url, "SELECT count(*) FROM stancemark.categories "
                             "WHERE label = 'Changed by a coder'") == [[0]]


def test_not_a_team_project_and_a_bad_password_are_clear_errors(team, tmp_path, hub_url):
    with open_project(tmp_path / "solo.stancemark", create=True) as s, \
            pytest.raises(TeamError, match="not part of a team"):
        sync(s)
    with pytest.raises(TeamError, match="refused the login"):
        join(tmp_path / "x.stancemark", with_user(hub_url, "alice", "wrong"))


def test_the_commands(hub_url, tmp_path, capsys):
    assert main(["team", "init", hub_url]) == 0
    assert "blind: no" in capsys.readouterr().err  # a new hub is open
    assert main(["team", "init", hub_url, "--blind"]) == 0
    assert main(["team", "init", hub_url]) == 0  # a repeated init keeps the setting
    assert "blind: yes" in capsys.readouterr().err
    assert main(["team", "init", hub_url, "--no-blind"]) == 0
    assert "blind: no" in capsys.readouterr().err
    secret = tmp_path / "alice.pw"
    assert main(["team", "add-coder", hub_url, "alice", "--password-file", str(secret)]) == 0
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert main(["team", "add-coder", hub_url, "mary", "--role", "manager"]) == 0
    out = capsys.readouterr().out
    mary_url = out.strip().splitlines()[-1].split()[-1]
    manager = tmp_path / "mary.stancemark"
    assert main(["import", str(manager), *_article_files(tmp_path)]) == 0
    assert main(["team", "join", str(manager), mary_url]) == 0
    # the password went to the libpq password file, not the project
    with open_project(manager) as s:
        assert ":" not in (s.get_meta(local.TEAM_URL) or "").split("@")[0].removeprefix(
            "postgresql://")
    assert main(["sync", str(manager)]) == 0
    assert main(["team", "assign", mary_url, "--coders", "alice", "--per-article", "1"]) == 0
    alice_url = with_user(hub_url, "alice", secret.read_text().strip())
    coder = tmp_path / "alice.stancemark"
    assert main(["team", "join", str(coder), alice_url]) == 0
    assert main(["sync", str(coder)]) == 0
    err = capsys.readouterr().err
    assert "pulled 2 articles" in err
    assert main(["sync", str(tmp_path / "nothing.stancemark")]) == 1


def _article_files(tmp_path: Path) -> list[str]:
    paths = []
    for i in range(2):
        p = tmp_path / f"a{i}.txt"
        p.write_text(f"Headline {i}\n\nThe minister said on Monday that talks would go on.\n")
        paths.append(str(p))
    return paths


def test_a_change_the_hub_refuses_is_undone_here_and_reported(team, hub_url):
    urls, projects = team
    annotate(projects["alice"], "alice")  # adds her actor "Albin Kurti (alice)"
    with open_project(projects["alice"]) as s:
        sync(s)
    with open_project(projects["bob"]) as s:
        sync(s)
        theirs = s.conn.execute("SELECT id FROM actors WHERE name = 'Albin Kurti (alice)'"
                                ).fetchone()[0]
        s.actors.update(theirs, name="Kurti, renamed by bob")
        report = sync(s)
        assert report.refused == {"actors": 1}
        assert "kept its own version of 1 actors" in report.summary()
        assert s.conn.execute("SELECT name FROM actors WHERE id = ?", (theirs,)).fetchone() == (
            "Albin Kurti (alice)",)
        assert sync(s).refused == {}
    assert hub_rows(hub_url, "SELECT count(*) FROM stancemark.actors "
                             "WHERE name LIKE '%renamed%'") == [[0]]
