"""PostgreSQL itself refuses what a member's role forbids (issue 17).

Each member logs in with a plain database client (pg8000, not Stancemark's sync
code) and tries every forbidden read and write directly.
"""

from __future__ import annotations

import pg8000.native
import pytest

from stancemark.services.team import add_member, init_team
from tests.sync.conftest import plain_connect, with_user

TEXT = "Kurti said the talks would resume."
U1, U2 = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"


def refused(conn: pg8000.native.Connection, sql: str, **params: object) -> str:
    with pytest.raises(pg8000.native.DatabaseError) as info:
        conn.run(sql, **params)
    return str(info.value.args[0].get("M"))


@pytest.fixture
def team(hub_url):
    init_team(hub_url, blind=True)
    init_team(hub_url)  # idempotent
    logins = {}
    for name, role in (("alice", "coder"), ("bob", "coder"), ("carol", "curator"),
                       ("mary", "manager")):
        _addr, password = add_member(hub_url, name, role)
        logins[name] = plain_connect(with_user(hub_url, name), password)
    mary = logins["mary"]
    for uid in ("a1", "a2"):
        mary.run("INSERT INTO stancemark.articles(uid, title, text) VALUES (:u, :u, :t)",
                 u=uid, t=TEXT)
    mary.run("INSERT INTO stancemark.assignments(article_uid, coder) VALUES "
             "('a1', 'alice'), ('a1', 'bob'), ('a2', 'bob')")
    logins["bob"].run("INSERT INTO stancemark.mentions(uuid, article_uid, start_offset, "
                      "end_offset, text, annotator) VALUES (:u, 'a1', 0, 5, 'Kurti', 'bob')",
                      u=U1)
    yield logins
    for conn in logins.values():
        conn.close()


def test_a_coder_reads_only_their_articles_and_in_blind_mode_only_their_annotations(team):
    alice = team["alice"]
    assert alice.run("SELECT uid FROM stancemark.articles") == [["a1"]]
    assert alice.run("SELECT count(*) FROM stancemark.mentions") == [[0]]
    assert alice.run("SELECT article_uid FROM stancemark.assignments") == [["a1"]]
    # the codebook and the registry are everyone's to read
    assert alice.run("SELECT count(*) FROM stancemark.categories") == [[0]]


def test_a_coder_writes_only_annotations_under_their_own_name(team):
    alice = team["alice"]
    assert "row-level security" in refused(
        alice, "INSERT INTO stancemark.mentions(uuid, article_uid, start_offset, end_offset, "
               "text, annotator) VALUES (:u, 'a1', 0, 5, 'Kurti', 'bob')", u=U2)
    assert "row-level security" in refused(
        alice, "INSERT INTO stancemark.claims(uuid, article_uid, start_offset, end_offset, "
               "text, annotator) VALUES (:u, 'a1', 0, 5, 'Kurti', 'gold')", u=U2)
    # bob's row is invisible to her: an update or a tombstone touches nothing
    alice.run("UPDATE stancemark.mentions SET deleted = true WHERE uuid = :u", u=U1)
    assert alice.row_count == 0
    assert "permission denied" in refused(alice, "DELETE FROM stancemark.mentions")
    # nor can she take bob's row over by writing her name into it through an upsert
    assert refused(alice, "INSERT INTO stancemark.mentions(uuid, article_uid, start_offset, "
                          "end_offset, text) VALUES (:u, 'a1', 0, 5, 'Kurti') ON CONFLICT (uuid) "
                          "DO UPDATE SET text = 'x'", u=U1)
    alice.run("INSERT INTO stancemark.mentions(uuid, article_uid, start_offset, end_offset, "
              "text) VALUES (:u, 'a1', 0, 5, 'Kurti')", u=U2)
    assert alice.run("SELECT annotator FROM stancemark.mentions") == [["alice"]]
    assert "row-level security" in refused(
        alice, "UPDATE stancemark.mentions SET annotator = 'bob' WHERE uuid = :u", u=U2)
    assert team["bob"].run("SELECT text FROM stancemark.mentions WHERE uuid = :u",
                           u=U1) == [["Kurti"]]


def test_a_coder_cannot_change_articles_codebook_assignments_or_the_team(team):
    alice = team["alice"]
    assert "row-level security" in refused(
        alice, "INSERT INTO stancemark.articles(uid, text) VALUES ('a3', 'x')")
    alice.run("UPDATE stancemark.articles SET title = 'mine'")
    assert alice.row_count == 0
    assert "row-level security" in refused(
        alice, "INSERT INTO stancemark.categories(uuid, key, label, color) "
               "VALUES (:u, 'k', 'K', '#000')", u=U2)
    assert "row-level security" in refused(
        alice, "INSERT INTO stancemark.assignments(article_uid, coder) VALUES ('a2', 'alice')")
    assert "permission denied" in refused(
        alice, "UPDATE stancemark.coders SET role = 'manager' WHERE name = 'alice'")
    assert "permission denied" in refused(
        alice, "UPDATE stancemark.settings SET value = 'false' WHERE key = 'blind'")
    assert "permission denied" in refused(alice, "SET ROLE mary")
    assert "must be owner" in refused(alice, "ALTER TABLE stancemark.mentions "
                                                 "DISABLE ROW LEVEL SECURITY")
    # an actor she adds is hers; one someone else added she cannot change
    alice.run("INSERT INTO stancemark.actors(uuid, name) VALUES (:u, 'Kurti')", u=U2)
    team["bob"].run("UPDATE stancemark.actors SET name = 'Bob was here'")
    assert team["bob"].row_count == 0
    assert "row-level security" in refused(
        team["bob"], "INSERT INTO stancemark.actors(uuid, name, created_by) "
                     "VALUES (:u, 'x', 'alice')", u=U1)


def test_curator_reads_all_and_writes_gold_manager_edits_shared_things(team):
    carol, mary = team["carol"], team["mary"]
    assert carol.run("SELECT annotator FROM stancemark.mentions") == [["bob"]]
    carol.run("INSERT INTO stancemark.mentions(uuid, article_uid, start_offset, end_offset, "
              "text, annotator) VALUES (:u, 'a1', 0, 5, 'Kurti', 'gold')", u=U2)
    carol.run("UPDATE stancemark.mentions SET text = 'x' WHERE annotator = 'bob'")
    assert carol.row_count == 0
    assert carol.run("SELECT text FROM stancemark.mentions WHERE annotator = 'bob'") == [["Kurti"]]
    assert "row-level security" in refused(
        carol, "INSERT INTO stancemark.articles(uid, text) VALUES ('a3', 'x')")
    mary.run("INSERT INTO stancemark.categories(uuid, key, label, color) "
             "VALUES (:u, 'k', 'K', '#000')", u=U1)
    mary.run("UPDATE stancemark.actors SET note = 'checked'")
    assert "row-level security" in refused(
        mary, "INSERT INTO stancemark.mentions(uuid, article_uid, start_offset, end_offset, "
              "text, annotator) VALUES (:u, 'a1', 0, 5, 'Kurti', 'bob')",
        u="33333333-3333-4333-8333-333333333333")


def test_without_blind_a_coder_reads_others_annotations_of_her_articles_only(team, hub_url):
    init_team(hub_url, blind=False)
    bob = team["bob"]
    bob.run("INSERT INTO stancemark.mentions(uuid, article_uid, start_offset, end_offset, "
            "text) VALUES (:u, 'a2', 0, 5, 'Kurti')", u=U2)
    assert team["alice"].run("SELECT article_uid FROM stancemark.mentions") == [["a1"]]


def test_passwords_are_scram_and_a_wrong_one_is_refused(team, hub_url):
    admin = plain_connect(hub_url)
    try:
        stored = admin.run("SELECT rolpassword FROM pg_authid WHERE rolname = 'alice'")[0][0]
    finally:
        admin.close()
    assert stored.startswith("SCRAM-SHA-256$")
    with pytest.raises(pg8000.native.DatabaseError):
        plain_connect(with_user(hub_url, "alice"), "not-the-password")


def test_a_role_of_the_server_that_is_not_a_member_is_never_taken_over(hub_url):
    from stancemark.core.errors import TeamError

    init_team(hub_url)
    admin = plain_connect(hub_url)
    try:
        admin.run("CREATE ROLE someone_else LOGIN PASSWORD 'theirs'")
        with pytest.raises(TeamError, match="already has a role"):
            add_member(hub_url, "someone_else")
        plain_connect(with_user(hub_url, "someone_else"), "theirs").close()
    finally:
        admin.run("DROP ROLE someone_else")
        admin.close()


def _propose(conn: pg8000.native.Connection, key: str, by: str | None = None) -> None:
    who = ", proposed_by" if by else ""
    conn.run(f"INSERT INTO stancemark.proposals(kind, key, proposed, reason{who}) VALUES "
             f"('actors', :k, CAST(:p AS jsonb), 'test'{', :b' if by else ''})",
             k=key, p=f'{{"uuid": "{key}", "name": "x"}}', **({"b": by} if by else {}))


def test_any_member_proposes_only_a_manager_decides(team):
    alice, bob, carol, mary = (team[n] for n in ("alice", "bob", "carol", "mary"))
    _propose(alice, U1)
    _propose(bob, U2)
    # a coder cannot propose in someone else's name, nor see others' proposals
    assert "row-level security" in refused(
        alice, "INSERT INTO stancemark.proposals(kind, key, reason, proposed_by) "
               "VALUES ('actors', :k, 'x', 'bob')", k=U2)
    assert alice.run("SELECT proposed_by FROM stancemark.proposals") == [["alice"]]
    # nor decide, not even her own: the new row fails the policy
    assert "row-level security" in refused(
        alice, "UPDATE stancemark.proposals SET status = 'decided', kept = 'proposed', "
               "decided_by = 'alice' WHERE key = :k", k=U1)
    assert "row-level security" in refused(
        alice, "UPDATE stancemark.proposals SET status = 'decided', kept = 'proposed', "
               "decided_by = 'mary' WHERE key = :k", k=U1)
    alice.run("UPDATE stancemark.proposals SET status = 'decided', kept = 'hub', "
              "decided_by = 'alice' WHERE key = :k", k=U2)
    assert alice.row_count == 0  # bob's proposal is invisible to her
    assert "permission denied" in refused(alice, "DELETE FROM stancemark.proposals")
    # she may still revise her own open proposal (of the same entry)
    alice.run("UPDATE stancemark.proposals SET proposed = CAST(:p AS jsonb) WHERE key = :k",
              p=f'{{"uuid": "{U1}", "name": "y"}}', k=U1)
    assert alice.row_count == 1
    # a curator reads them all but decides none
    assert len(carol.run("SELECT id FROM stancemark.proposals")) == 2
    carol.run("UPDATE stancemark.proposals SET status = 'decided', kept = 'hub', "
              "decided_by = 'carol'")
    assert carol.row_count == 0
    # a manager decides, as herself only
    assert "row-level security" in refused(
        mary, "UPDATE stancemark.proposals SET status = 'decided', kept = 'hub', "
              "decided_by = 'bob' WHERE key = :k", k=U2)
    mary.run("UPDATE stancemark.proposals SET status = 'decided', kept = 'hub', "
             "decided_by = 'mary' WHERE key = :k", k=U2)
    assert mary.row_count == 1
    # a decided proposal is closed to its author
    bob.run("UPDATE stancemark.proposals SET proposed = NULL WHERE key = :k", k=U2)
    assert bob.row_count == 0


def test_only_a_curator_writes_decisions_and_only_for_gold(team):
    alice, carol, mary = team["alice"], team["carol"], team["mary"]
    row = ("INSERT INTO stancemark.adjudications(uuid, gold, article_uid, layer, unit_key, "
           "outcome, decided_by) VALUES (:u, :g, 'a1', 'mentions', 'k', 'accepted', 'carol')")
    assert "row-level security" in refused(alice, row, u=U1, g="gold")
    assert "row-level security" in refused(mary, row, u=U1, g="gold")
    assert "row-level security" in refused(carol, row, u=U1, g="carol")
    carol.run(row, u=U1, g="gold")
    assert alice.run("SELECT count(*) FROM stancemark.adjudications") == [[0]]
    assert mary.run("SELECT gold FROM stancemark.adjudications") == [["gold"]]
    mary.run("UPDATE stancemark.adjudications SET outcome = 'rejected'")
    assert mary.row_count == 0
