"""Shared entries on a real hub: a change a member may not make, or one that crosses
someone else's, waits as a proposal that a manager decides; assignments taken back
(issue 17, second phase)."""

from __future__ import annotations

import json

import pytest

from stancemark.cli import main
from stancemark.core.errors import TeamError
from stancemark.services.team import conflicts, decide, sync
from stancemark.store import open_project
from stancemark.store import team as local
from tests.sync.test_sync import annotate, hub_rows

KURTI = "Albin Kurti (alice)"


def actor(path, name: str) -> tuple[str, str | None, list[str]]:
    """(name, note, aliases) of the actor that has ``name`` as name or alias in a project."""
    with open_project(path) as s:
        row = s.conn.execute(
            "SELECT id, name, note FROM actors WHERE name = ? OR id IN "
            "(SELECT actor_id FROM actor_aliases WHERE alias = ?)", (name, name)).fetchone()
        aliases = [r[0] for r in s.conn.execute(
            "SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY alias", (row[0],))]
    return row[1], row[2], aliases


def test_a_coder_renaming_anothers_actor_proposes_and_the_manager_merges(team, capsys):
    urls, projects = team
    annotate(projects["alice"], "alice")
    with open_project(projects["alice"]) as s:
        sync(s)
    with open_project(projects["bob"]) as s:
        sync(s)
        theirs = s.conn.execute("SELECT id FROM actors WHERE name = ?", (KURTI,)).fetchone()[0]
        s.actors.update(theirs, name="Kurti")
        s.actors.set_aliases(theirs, ["A. Kurti"])
        report = sync(s)
        assert report.refused == {"actors": 1}
        assert "proposal for a manager" in report.summary()
    # bob has the hub's version again until a manager decides
    assert actor(projects["bob"], KURTI) == (KURTI, None, [])

    assert main(["team", "conflicts", urls["mary"], "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["kind"], listed["proposed_by"], listed["status"]) == ("actors", "bob", "open")
    assert listed["label"] == f'actor "{KURTI}"'
    assert {c["field"]: (c["hub"], c["proposed"]) for c in listed["changes"]} == {
        "name": (KURTI, "Kurti"), "aliases": ([], ["A. Kurti"])}
    assert main(["team", "conflicts", urls["mary"]]) == 0
    text = capsys.readouterr().out
    assert text.startswith("1 shared entry to decide.")
    assert (f'conflict: #{listed["id"]} actor "{KURTI}": bob proposes name "{KURTI}" -> '
            '"Kurti"; aliases + "A. Kurti"') in text
    assert "team decide" in text
    # a member sees only their own proposals; only a manager decides
    assert conflicts(urls["alice"]) == [] and len(conflicts(urls["bob"])) == 1
    assert main(["team", "decide", urls["bob"], str(listed["id"]), "--keep", "proposed"]) == 1
    assert "only a manager decides" in capsys.readouterr().err

    assert main(["team", "decide", urls["mary"], str(listed["id"]), "--keep", "merged",
                 "--revision", listed["revision"]]) == 0
    assert "kept both, merged" in capsys.readouterr().err
    # the decision reaches every replica on its next sync
    for name in ("alice", "bob", "carol", "mary"):
        with open_project(projects[name]) as s:
            report = sync(s)
        assert actor(projects[name], KURTI) == (KURTI, None, ["A. Kurti", "Kurti"]), name
        if name == "bob":
            assert report.decided == [f'#{listed["id"]} actor "{KURTI}": mary kept merged']
    assert conflicts(urls["mary"]) == []
    [done] = conflicts(urls["mary"], decided=True)
    assert (done.status, done.kept, done.decided_by) == ("decided", "merged", "mary")
    assert main(["team", "decide", urls["mary"], str(done.id), "--keep", "hub"]) == 1
    assert "decided already" in capsys.readouterr().err


def test_an_edit_crossing_the_managers_is_held_and_the_manager_takes_it(team, hub_url):
    urls, projects = team
    annotate(projects["alice"], "alice")
    with open_project(projects["alice"]) as s:
        sync(s)
    with open_project(projects["mary"]) as s:
        sync(s)
        mine = s.conn.execute("SELECT id FROM actors WHERE name = ?", (KURTI,)).fetchone()[0]
        s.actors.update(mine, note="checked by mary")
        sync(s)
    # alice edits her own actor without having pulled mary's change
    with open_project(projects["alice"]) as s:
        mine = s.conn.execute("SELECT id FROM actors WHERE name = ?", (KURTI,)).fetchone()[0]
        s.actors.update(mine, note="Prime minister since 2021")
        report = sync(s)
        assert report.refused == {"actors": 1}
    assert actor(projects["alice"], KURTI)[1] == "checked by mary"
    [held] = conflicts(urls["mary"])
    assert held.reason == "mary changed it on the hub since your last sync"
    assert held.changes() == ['note "checked by mary" -> "Prime minister since 2021"']
    decide(urls["mary"], held.id, "proposed", revision=held.revision)
    for name in ("alice", "bob"):
        with open_project(projects[name]) as s:
            sync(s)
        assert actor(projects[name], KURTI)[1] == "Prime minister since 2021"
    # once she has pulled, her own actor is hers to change again, without a proposal
    with open_project(projects["alice"]) as s:
        s.actors.update(mine, note="again")
        assert sync(s).refused == {}
    assert hub_rows(hub_url, "SELECT note FROM stancemark.actors WHERE note = 'again'") == [
        ["again"]]


def test_codebook_edits_and_deletions_by_a_coder_are_proposals(team, hub_url, capsys):
    urls, projects = team
    with open_project(projects["alice"]) as s:
        sync(s)
        book = s.codebook.load()
        was = book.categories[0].label
        book.categories[0].label = "Changed by a coder"
        s.codebook.save(book)
        nato = s.conn.execute("SELECT id FROM actors WHERE name = 'NATO'").fetchone()[0]
        s.actors.delete(nato)
        report = sync(s)
        assert report.refused == {"categories": 1, "actors": 1}
        # both are back as the hub has them
        assert s.codebook.load().categories[0].label == was
        assert s.conn.execute("SELECT count(*) FROM actors WHERE name = 'NATO'").fetchone() == (1,)
    held = {p.kind: p for p in conflicts(urls["mary"])}
    assert held["actors"].changes() == ["delete it"]
    assert held["categories"].changes() == [f'label "{was}" -> "Changed by a coder"']
    # the manager keeps the hub's label but types a better one, and refuses the deletion
    assert main(["team", "decide", urls["mary"], str(held["categories"].id), "--keep", "hub",
                 "--set", "label=Security and defence"]) == 0
    assert main(["team", "decide", urls["mary"], str(held["actors"].id), "--keep", "hub"]) == 0
    assert main(["team", "decide", urls["mary"], "999", "--keep", "hub"]) == 1
    assert "no proposal #999" in capsys.readouterr().err
    with open_project(projects["bob"]) as s:
        sync(s)
        assert s.codebook.load().categories[0].label == "Security and defence"
        assert s.conn.execute("SELECT count(*) FROM actors WHERE name = 'NATO'").fetchone() == (1,)
    assert hub_rows(hub_url, "SELECT count(*) FROM stancemark.actors WHERE deleted") == [[0]]


def test_a_bad_set_is_a_clear_error(team):
    urls, projects = team
    with open_project(projects["alice"]) as s:
        sync(s)
        book = s.codebook.load()
        book.categories[0].label = "Mine"
        s.codebook.save(book)
        sync(s)
    [held] = conflicts(urls["mary"])
    with pytest.raises(TeamError, match="has no field 'colour'"):
        decide(urls["mary"], held.id, "proposed", {"colour": "red"}, revision=held.revision)
    with pytest.raises(TeamError, match="whole number"):
        decide(urls["mary"], held.id, "proposed", {"position": "first"},
               revision=held.revision)
    assert conflicts(urls["mary"])[0].status == "open"


def test_unassigning_keeps_the_coders_article_and_work_and_marks_it(team, hub_url, capsys):
    urls, projects = team
    annotate(projects["alice"], "alice")
    with open_project(projects["alice"]) as s:
        sync(s)
        assert set(local.assignments(s).values()) == {True} and len(local.assignments(s)) == 4
        first = s.articles.summaries()[0]
        uid = s.conn.execute("SELECT uid FROM articles WHERE id = ?", (first.id,)).fetchone()[0]
    assert main(["team", "unassign", urls["mary"], "--coders", "alice",
                 "--articles", uid[:10]]) == 0
    assert "ended 1 assignment" in capsys.readouterr().err
    with open_project(projects["alice"]) as s:
        before = s.counts()
        report = sync(s)
        assert report.unassigned == 1
        assert "1 taken back (kept here with your work" in report.summary()
        marks = local.assignments(s)
        assert marks[first.id] is False and sum(marks.values()) == 3
        assert s.counts() == before  # the article and her annotations stay
    # her work stays hers on the hub too; bob keeps the article
    assert hub_rows(hub_url, "SELECT count(*) FROM stancemark.claims "
                             "WHERE annotator = 'alice' AND NOT deleted") == [[1]]
    with open_project(projects["bob"]) as s:
        sync(s)
        assert sum(local.assignments(s).values()) == 4
    assert main(["team", "unassign", urls["mary"], "--coders", "bob", "--all"]) == 0
    assert "ended 4 assignment" in capsys.readouterr().err
    assert main(["team", "unassign", urls["mary"], "--coders", "zoe", "--all"]) == 1
    assert "Not in the team: zoe" in capsys.readouterr().err
    assert main(["team", "unassign", urls["mary"], "--coders", "alice",
                 "--articles", "zzzz"]) == 1
    assert "No article on the hub has the id or title 'zzzz'" in capsys.readouterr().err
    # by title (a title may hold commas and spaces)
    two = [t for t in ("T0", "T1", "T2") if t != first.title][:2]
    assert main(["team", "unassign", urls["mary"], "--coders", "alice", "--articles",
                 two[0].lower(), two[1]]) == 0
    assert "ended 2 assignment" in capsys.readouterr().err
    # a coder cannot take assignments back: PostgreSQL filters the rows away
    assert main(["team", "unassign", urls["alice"], "--coders", "alice", "--all"]) == 0
    assert "ended 0 assignment" in capsys.readouterr().err


def test_article_metadata_changed_by_a_coder_is_proposed_and_status_is_not(team, hub_url):
    urls, projects = team
    with open_project(projects["alice"]) as s:
        sync(s)
        first = s.articles.summaries()[0].id
        text = s.articles.get(first).text
        s.articles.set_status(first, "done")  # her own progress: nothing for the hub
        assert sync(s).refused == {}
        with s.write() as conn:  # as a merge of a set with better metadata would
            conn.execute("UPDATE articles SET source = 'Koha Ditore' WHERE id = ?", (first,))
        assert sync(s).refused == {"articles": 1}
        assert s.conn.execute("SELECT source, status FROM articles WHERE id = ?",
                              (first,)).fetchone() == (None, "done")
    [held] = conflicts(urls["mary"])
    assert held.changes() == ['source (none) -> "Koha Ditore"'] and "text" not in held.proposed
    decide(urls["mary"], held.id, "merged", revision=held.revision)
    with open_project(projects["bob"]) as s:
        sync(s)
        assert s.conn.execute("SELECT text FROM articles WHERE source = 'Koha Ditore'"
                              ).fetchall() == [(text,)]
