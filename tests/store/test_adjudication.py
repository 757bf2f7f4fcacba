"""The decisions table (schema version 5): migration of a version-4 file, rows, constraints."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from stancemark.core.errors import NotFoundError
from stancemark.core.models import ArticleDraft
from stancemark.store import Store, open_project
from stancemark.store import adjudication as db
from stancemark.store.schema import APPLICATION_ID, CURRENT_VERSION, MIGRATIONS
from stancemark.store.schema_check import split_sql

TEXT = "Kurti said the talks would resume."


def version_4_file(path: Path) -> None:
    """A project as Stancemark wrote it before adjudication: migrations 1-4, some data."""
    con = sqlite3.connect(path)
    for sql in MIGRATIONS[:4]:
        for statement in split_sql(sql):
            con.execute(statement)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 4")
    con.execute("INSERT INTO articles(uid, title, length, imported_at, updated_at, text) "
                "VALUES ('u1', 'One', ?, 'now', 'now', ?)", (len(TEXT), TEXT))
    con.commit()
    con.close()


def test_a_version_4_file_gains_the_table_and_keeps_its_data(tmp_path: Path) -> None:
    p = tmp_path / "old.stancemark"
    version_4_file(p)
    with open_project(p) as s:
        assert s.schema_version == CURRENT_VERSION and s.counts()["articles"] == 1
        assert db.decisions(s, "gold") == []
        d = db.add_decision(s, "gold", 1, "claims", "3,4", "accepted", "curator",
                            {"alice": 3, "bojan": 4})
        assert db.decisions(s, "gold", [1]) == [d]
    assert (tmp_path / "old.stancemark.v4.bak").exists()
    with open_project(p) as s:  # and it opens again as it is
        assert s.repairs == [] and db.gold_sets(s) == ["gold"]


def test_a_lost_index_of_the_decisions_is_rebuilt(tmp_path: Path) -> None:
    p = tmp_path / "p.stancemark"
    with open_project(p, create=True):
        pass
    con = sqlite3.connect(p)
    con.execute("DROP INDEX idx_adjudications_article")
    con.commit()
    con.close()
    with open_project(p) as s:
        assert s.repairs and s.schema_version == CURRENT_VERSION
        assert s.conn.execute("SELECT 1 FROM sqlite_schema WHERE name = "
                              "'idx_adjudications_article'").fetchone()


def test_rows_round_trip_and_one_decision_per_unit(store: Store) -> None:
    a = store.articles.add(ArticleDraft(text=TEXT, title="One"))
    kurti = store.actors.add("Kurti", "person")
    m = store.annotations.add_mention(a, 0, 5, kurti, "gold")
    d = db.add_decision(store, "gold", a, "mentions", "1,2", "accepted", "auto:majority",
                        {"alice": 1, "bojan": 2}, mention_id=m.id)
    assert d.sources == {"alice": 1, "bojan": 2} and d.automatic and d.mention_id == m.id
    assert db.decision(store, d.id) == d
    with pytest.raises(sqlite3.IntegrityError):
        db.add_decision(store, "gold", a, "mentions", "1,2", "rejected", "curator", {})
    # another gold set may settle the same unit its own way
    db.add_decision(store, "gold2", a, "mentions", "1,2", "rejected", "curator", {})
    with pytest.raises(sqlite3.IntegrityError):
        db.add_decision(store, "gold", a, "mentions", "9", "maybe", "curator", {})
    # deleting the gold mention by hand keeps the decision (and its provenance)
    store.annotations.delete_mention(m.id)
    assert db.decision(store, d.id).mention_id is None
    # restoring a deleted row keeps its id, time and team-sync identity
    gone = db.delete_decision(store, d.id)
    assert gone.uuid
    with pytest.raises(NotFoundError):
        db.decision(store, d.id)
    back = db.add_decision(store, gone.gold, gone.article_id, gone.layer, gone.unit_key,
                           gone.outcome, gone.decided_by, gone.sources,
                           decision_id=gone.id, created_at=gone.created_at, uuid=gone.uuid)
    assert back == gone
    # an article's decisions go with it
    store.articles.delete(a)
    assert db.decisions(store, "gold") == [] and db.decisions(store, "gold2") == []


def test_a_version_6_team_project_gives_its_decisions_identities_and_pulls_anew(
        tmp_path: Path) -> None:
    """Migration 7: decisions get a uuid and a change-log entry (so a curator's next sync
    sends them), and a team project's pull starts over (assignments and decisions arrive
    whole)."""
    p = tmp_path / "v6.stancemark"
    con = sqlite3.connect(p)
    for sql in MIGRATIONS[:6]:
        for statement in split_sql(sql):
            con.execute(statement)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 6")
    con.execute("INSERT INTO articles(uid, title, length, imported_at, updated_at, text) "
                "VALUES ('u1', 'One', ?, 'now', 'now', ?)", (len(TEXT), TEXT))
    con.execute("INSERT INTO annotators(name, created_at) VALUES ('gold', 'now')")
    con.execute("INSERT INTO adjudications(gold_id, article_id, layer, unit_key, outcome, "
                "decided_by, created_at) VALUES (1, 1, 'claims', '3,4', 'rejected', 'carol', "
                "'now')")
    con.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                    [("sync_pull_cursor", "12345"), ("team_url", "postgresql://c@h/t")])
    con.commit()
    con.close()
    with open_project(p) as s:
        [d] = db.decisions(s, "gold")
        assert d.uuid and len(d.uuid) == 36
        assert s.conn.execute("SELECT op FROM change_log WHERE tbl = 'adjudications' "
                              "AND uuid = ?", (d.uuid,)).fetchall() == [("insert",)]
        assert s.get_meta("sync_pull_cursor") is None
        assert s.get_meta("team_url") == "postgresql://c@h/t"
        assert s.conn.execute("SELECT count(*) FROM team_assignments").fetchone() == (0,)
