"""A manager's decision writes the entry the proposal is about, as the manager read it
(issue 17 review): a coder with a plain database client can neither point a proposal at
another entry nor change it between the manager's listing and the decision."""

from __future__ import annotations

import json

import pg8000.native
import pytest

from stancemark.cli import main
from stancemark.core.errors import TeamError
from stancemark.services.team import conflicts, decide
from tests.sync.conftest import plain_connect
from tests.sync.test_sync import hub_rows

KURTI = "33333333-3333-4333-8333-333333333333"


def _actor(hub_url: str, uuid: str) -> list:
    return hub_rows(hub_url, f"SELECT name, note, deleted FROM stancemark.actors "
                             f"WHERE uuid = '{uuid}'")


def _nato(hub_url: str) -> str:
    return str(hub_rows(hub_url, "SELECT uuid::text FROM stancemark.actors "
                                 "WHERE name = 'NATO'")[0][0])


def _entry(uuid: str, name: str, note: str | None) -> dict[str, object]:
    return {"uuid": uuid, "name": name, "type": "organisation", "affiliation": None,
            "note": note, "aliases": ["the alliance"]}


@pytest.fixture
def kurti(team, hub_url):
    """The team of conftest with a second actor on the hub, added by the manager."""
    urls, _projects = team
    mary = plain_connect(urls["mary"])
    try:
        mary.run("INSERT INTO stancemark.actors(uuid, name, type) "
                 "VALUES (:u, 'Albin Kurti', 'person')", u=KURTI)
    finally:
        mary.close()
    return urls


def _propose(conn: pg8000.native.Connection, kind: str, key: str,
             proposed: dict[str, object] | None, **extra: str) -> None:
    names = ", ".join(extra)
    values = ", ".join(f":{n}" for n in extra)
    conn.run(f"INSERT INTO stancemark.proposals(kind, key, proposed, reason"
             f"{', ' + names if extra else ''}) VALUES (:kind, :key, CAST(:p AS jsonb), "
             f"'a plain client'{', ' + values if extra else ''})",
             kind=kind, key=key, p=None if proposed is None else json.dumps(proposed),
             **extra)


def _refused(conn: pg8000.native.Connection, sql: str, **params: object) -> str:
    with pytest.raises(pg8000.native.DatabaseError) as info:
        conn.run(sql, **params)
    return str(info.value.args[0].get("M"))


def test_a_proposal_cannot_name_another_entry_than_its_key(kurti, hub_url):
    urls = kurti
    nato = _nato(hub_url)
    alice = plain_connect(urls["alice"])
    try:
        # NATO's key with Kurti's row inside: the hub refuses it for every kind
        with pytest.raises(pg8000.native.DatabaseError, match="row-level security"):
            _propose(alice, "actors", nato, _entry(KURTI, "NATO", "harmless note"))
        for kind, key, inside in (("categories", KURTI, {"uuid": nato, "label": "x"}),
                                  ("scale", KURTI, {"uuid": nato, "value": 1}),
                                  ("articles", "a-1", {"uid": "a-2", "title": "x"}),
                                  ("actors", nato, {"name": "NATO"})):
            with pytest.raises(pg8000.native.DatabaseError, match="row-level security"):
                _propose(alice, kind, key, inside)
        # a deletion (no row) and a row of the key itself are fine
        _propose(alice, "actors", "44444444-4444-4444-8444-444444444444", None)
        _propose(alice, "actors", nato, _entry(nato, "NATO", "harmless note"))
        # nor can she point her open proposal elsewhere afterwards
        assert "row-level security" in _refused(
            alice, "UPDATE stancemark.proposals SET proposed = jsonb_set(proposed, '{uuid}', "
                   "to_jsonb(CAST(:k AS text))) WHERE key = :n", k=KURTI, n=nato)
        assert "row-level security" in _refused(
            alice, "UPDATE stancemark.proposals SET key = :k WHERE key = :n", k=KURTI, n=nato)
    finally:
        alice.close()


def test_keeping_a_proposal_writes_only_its_own_entry(kurti, hub_url):
    """A proposal made before the hub checked keys (or by an administrator) still cannot
    rewrite another entry: the decision writes the proposal's key, nothing else."""
    urls = kurti
    nato = _nato(hub_url)
    admin = plain_connect(hub_url)
    try:
        _propose(admin, "actors", nato, {**_entry(KURTI, "NATO", "harmless note"),
                                         "created_by": "mary", "deleted": True},
                 proposed_by="alice")
    finally:
        admin.close()
    [held] = conflicts(urls["mary"])
    assert held.label == 'actor "NATO"'
    assert held.changes() == ['note (none) -> "harmless note"']
    decide(urls["mary"], held.id, "proposed", revision=held.revision)
    assert _actor(hub_url, nato) == [["NATO", "harmless note", False]]
    assert _actor(hub_url, KURTI) == [["Albin Kurti", None, False]]
    assert hub_rows(hub_url, "SELECT result->>'uuid', result ? 'created_by' FROM "
                             "stancemark.proposals") == [[nato, False]]


def test_a_proposal_changed_after_the_listing_is_refused(kurti, hub_url, capsys):
    urls = kurti
    nato = _nato(hub_url)
    alice = plain_connect(urls["alice"])
    try:
        _propose(alice, "actors", nato, _entry(nato, "NATO", "harmless note"))
        [seen] = conflicts(urls["mary"])
        assert seen.revision and f"[revision {seen.revision}]" in seen.text()
        # she rewrites it after the manager read it (still her open proposal)
        alice.run("UPDATE stancemark.proposals SET proposed = CAST(:p AS jsonb) WHERE key = :n",
                  p=json.dumps(_entry(nato, "Kurti's party", "harmless note")), n=nato)
    finally:
        alice.close()
    with pytest.raises(TeamError, match=f"#{seen.id} changed after it was listed") as info:
        decide(urls["mary"], seen.id, "proposed", revision=seen.revision)
    assert "Kurti's party" in str(info.value)
    # keeping proposed or merged without a revision is refused too, showing what it holds
    for keep in ("proposed", "merged"):
        with pytest.raises(TeamError, match="needs the revision") as info:
            decide(urls["mary"], seen.id, keep)
        assert "Kurti's party" in str(info.value)
    assert _actor(hub_url, nato) == [["NATO", None, False]]
    assert conflicts(urls["mary"])[0].status == "open"
    # keeping the hub's version never takes anything from the proposal: no revision needed
    [now] = conflicts(urls["mary"])
    assert now.revision != seen.revision
    # through the command line: the listing shows the revision, decide takes it
    assert main(["team", "conflicts", urls["mary"]]) == 0
    text = capsys.readouterr().out
    assert f"[revision {now.revision}]" in text and "--revision REV" in text
    assert main(["team", "decide", urls["mary"], str(now.id), "--keep", "proposed"]) == 1
    err = capsys.readouterr().err
    assert "needs the revision" in err and f"--revision {now.revision}" in err
    assert main(["team", "decide", urls["mary"], str(now.id), "--keep", "proposed",
                 "--revision", now.revision]) == 0
    assert _actor(hub_url, nato) == [["Kurti's party", "harmless note", False]]
    # once decided she cannot change it any more
    alice = plain_connect(urls["alice"])
    try:
        alice.run("UPDATE stancemark.proposals SET reason = 'later' WHERE key = :n", n=nato)
        assert alice.row_count == 0
    finally:
        alice.close()


def test_keeping_the_hubs_version_needs_no_revision(kurti, hub_url):
    urls = kurti
    nato = _nato(hub_url)
    alice = plain_connect(urls["alice"])
    try:
        _propose(alice, "actors", nato, _entry(nato, "NATO", "harmless note"))
    finally:
        alice.close()
    [held] = conflicts(urls["mary"])
    decide(urls["mary"], held.id, "hub")
    assert _actor(hub_url, nato) == [["NATO", None, False]]
    assert conflicts(urls["mary"]) == []
