"""Stable UUIDs and the local change log (schema version 6, issue 17)."""

from __future__ import annotations

import re
import sqlite3

import pytest

from stancemark.core.models import ArticleDraft
from stancemark.store import Store

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TEXT = "Kurti said the talks would resume next week."


def log(store: Store, after: int = 0) -> list[tuple[str, str, str, str | None]]:
    return store.conn.execute("SELECT tbl, uuid, op, origin FROM change_log WHERE seq > ? "
                              "ORDER BY seq", (after,)).fetchall()


def last_seq(store: Store) -> int:
    return int(store.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])


def test_every_synchronised_row_gets_a_version_4_uuid(store: Store) -> None:
    art = store.articles.add(ArticleDraft(text=TEXT, title="T"))
    assert art is not None
    actor = store.actors.add("Albin Kurti", "person", aliases=["Kurti"])
    store.annotations.add_mention(art, 0, 5, actor, "alice")
    store.annotations.add_claim(art, 0, 20, "alice", claimant_id=actor, stance=1)
    store.annotations.set_sentiment(art, None, "alice", -1)
    store.annotations.set_sentiment(art, actor, "alice", 2)
    for table in ("actor_types", "categories", "scale", "actors", "mentions", "claims",
                  "article_sentiments", "actor_sentiments"):
        uuids = [r[0] for r in store.conn.execute(f"SELECT uuid FROM {table}")]
        assert uuids and all(UUID.match(u) for u in uuids), table
        assert len(set(uuids)) == len(uuids)


def test_inserts_updates_and_deletes_are_logged_in_order(store: Store) -> None:
    art = store.articles.add(ArticleDraft(text=TEXT, title="T"))
    assert art is not None
    start = last_seq(store)
    actor = store.actors.add("Albin Kurti", "person")
    actor_uuid = store.conn.execute("SELECT uuid FROM actors WHERE id = ?", (actor,)).fetchone()[0]
    m = store.annotations.add_mention(art, 0, 5, actor, "alice")
    m_uuid = store.conn.execute("SELECT uuid FROM mentions WHERE id = ?", (m.id,)).fetchone()[0]
    store.actors.set_aliases(actor, ["Kurti"])
    store.annotations.update_mention(m.id, end=4)
    store.annotations.delete_mention(m.id)
    assert log(store, start) == [
        ("actors", actor_uuid, "insert", None),
        ("mentions", m_uuid, "insert", None),
        ("actors", actor_uuid, "update", None),
        ("mentions", m_uuid, "update", None),
        ("mentions", m_uuid, "delete", None),
    ]


def test_a_row_given_its_uuid_keeps_it_and_sync_marks_its_own_changes(store: Store) -> None:
    start = last_seq(store)
    with store.write() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('change_origin', 'hub')")
        conn.execute("INSERT INTO actors(name, created_at, updated_at, uuid) "
                     "VALUES ('NATO', 'now', 'now', '00000000-0000-4000-8000-000000000001')")
        conn.execute("DELETE FROM meta WHERE key = 'change_origin'")
    store.actors.add("EU", "organisation")
    rows = log(store, start)
    assert rows[0] == ("actors", "00000000-0000-4000-8000-000000000001", "insert", "hub")
    assert rows[1][2:] == ("insert", None)


def test_the_change_log_is_append_only(store: Store) -> None:
    store.actors.add("NATO", "organisation")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"), store.write() as conn:
        conn.execute("UPDATE change_log SET op = 'delete'")


def test_a_lost_change_log_trigger_is_restored_and_every_row_is_logged_again(tmp_path) -> None:
    from stancemark.store import open_project

    p = tmp_path / "p.stancemark"
    with open_project(p, create=True) as s:
        s.articles.add(ArticleDraft(text=TEXT, title="T"))
    con = sqlite3.connect(p)
    con.execute("DROP TRIGGER change_log_actors_ai")
    con.execute("INSERT INTO actors(name, created_at, updated_at) VALUES ('NATO', 'x', 'x')")
    con.commit()
    con.close()
    with open_project(p) as s:
        assert any("sent again" in r for r in s.repairs)
        uuid = s.conn.execute("SELECT uuid FROM actors WHERE name = 'NATO'").fetchone()[0]
        assert UUID.match(uuid)
        assert s.conn.execute("SELECT count(*) FROM change_log WHERE uuid = ?",
                              (uuid,)).fetchone() == (1,)
        s.actors.add("EU")  # the trigger is back
        assert s.conn.execute("SELECT uuid FROM actors WHERE name = 'EU'").fetchone()[0]
