"""The project file's side of team sync: what changed locally, and applying the hub's rows.

Rows travel in the shape of :mod:`stancemark.core.team`. Local changes are read
from ``change_log`` (schema version 6) after the last sequence number pushed;
rows from the hub are applied in one transaction with ``change_origin`` set, so
they are logged as the hub's and never pushed back, and the pull cursor is saved in
the same transaction: a sync killed half-way leaves nothing half-applied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stancemark.core.team import (
    ADJUDICATIONS,
    ANNOTATION_KINDS,
    GOLD_ANNOTATOR,
    KINDS,
    WIRE_COLUMNS,
    Batch,
    key_of,
)

if TYPE_CHECKING:
    import sqlite3

    from stancemark.store.project import Store

#: meta keys of a project that has joined a team.
TEAM_URL, TEAM_ROLE, PUSHED_SEQ, PULL_CURSOR = ("team_url", "team_role", "sync_pushed_seq",
                                                "sync_pull_cursor")

_CHANGED = ("SELECT DISTINCT uuid FROM change_log WHERE tbl = ? AND seq > ? AND seq <= ? "
            "AND origin IS NULL")

#: Local rows in wire shape, for the identities in the ``_CHANGED`` sub-query.
_SELECT: dict[str, str] = {
    "articles": "SELECT uid, title, subtitle, source, url, author, published, language, meta, "
                "text FROM articles WHERE uid IN ({changed})",
    "actor_types": "SELECT uuid, key, label, color, shortcut, position FROM actor_types "
                   "WHERE uuid IN ({changed})",
    "categories": "SELECT uuid, key, label, parent, description, color, shortcut, position "
                  "FROM categories WHERE uuid IN ({changed})",
    "scale": "SELECT uuid, value, label, color, shortcut FROM scale WHERE uuid IN ({changed})",
    "actors": "SELECT a.uuid, a.name, a.type, f.uuid, a.note, (SELECT json_group_array(alias) "
              "FROM (SELECT alias FROM actor_aliases WHERE actor_id = a.id ORDER BY alias)) "
              "FROM actors a LEFT JOIN actors f ON f.id = a.affiliation_id "
              "WHERE a.uuid IN ({changed})",
    "mentions": "SELECT m.uuid, ar.uid, ac.uuid, m.start_offset, m.end_offset, m.text, n.name, "
                "m.created_at, m.updated_at FROM mentions m JOIN articles ar ON ar.id = "
                "m.article_id JOIN actors ac ON ac.id = m.actor_id JOIN annotators n ON "
                "n.id = m.annotator_id WHERE m.uuid IN ({changed}) AND n.name IN ({mine})",
    "claims": "SELECT c.uuid, ar.uid, c.start_offset, c.end_offset, c.text, cl.uuid, tg.uuid, "
              "c.category, c.stance, c.note, n.name, c.created_at, c.updated_at FROM claims c "
              "JOIN articles ar ON ar.id = c.article_id JOIN annotators n ON "
              "n.id = c.annotator_id LEFT JOIN actors cl ON cl.id = c.claimant_id "
              "LEFT JOIN actors tg ON tg.id = c.target_id "
              "WHERE c.uuid IN ({changed}) AND n.name IN ({mine})",
    "article_sentiments": "SELECT s.uuid, ar.uid, n.name, s.value, s.created_at, s.updated_at "
                          "FROM article_sentiments s JOIN articles ar ON ar.id = s.article_id "
                          "JOIN annotators n ON n.id = s.annotator_id "
                          "WHERE s.uuid IN ({changed}) AND n.name IN ({mine})",
    "actor_sentiments": "SELECT s.uuid, ar.uid, ac.uuid, n.name, s.value, s.created_at, "
                        "s.updated_at FROM actor_sentiments s JOIN articles ar ON "
                        "ar.id = s.article_id JOIN actors ac ON ac.id = s.actor_id "
                        "JOIN annotators n ON n.id = s.annotator_id "
                        "WHERE s.uuid IN ({changed}) AND n.name IN ({mine})",
    "adjudications": "SELECT d.uuid, n.name, ar.uid, d.layer, d.unit_key, d.outcome, "
                     "d.decided_by, d.sources, m.uuid, c.uuid, d.created_at "
                     "FROM adjudications d JOIN annotators n ON n.id = d.gold_id "
                     "JOIN articles ar ON ar.id = d.article_id "
                     "LEFT JOIN mentions m ON m.id = d.mention_id "
                     "LEFT JOIN claims c ON c.id = d.claim_id "
                     "WHERE d.uuid IN ({changed}) AND n.name IN ({mine})",
}

#: Layers of a decision whose ``sources`` name annotations (by row id here, by uuid on the
#: hub); the others name values.
_SPAN_LAYERS = ("mentions", "claims")

_TABLE_KEY = {"articles": "uid"}


def team_settings(store: Store) -> dict[str, str | None]:
    """The team URL (no password), role and sync positions kept in the project."""
    return {k: store.get_meta(k) for k in (TEAM_URL, TEAM_ROLE, PUSHED_SEQ, PULL_CURSOR)}


def member_name(store: Store) -> str | None:
    """The team role name this project syncs as (its annotator name), if it joined a team."""
    from urllib.parse import unquote, urlsplit

    url = store.get_meta(TEAM_URL)
    user = urlsplit(url).username if url else None
    return unquote(user) if user else None


def set_team(store: Store, url: str, role: str) -> None:
    """Record that the project belongs to a team; a new team starts both positions anew."""
    with store.write() as conn:
        old = conn.execute("SELECT value FROM meta WHERE key = ?", (TEAM_URL,)).fetchone()
        values = {TEAM_URL: url, TEAM_ROLE: role}
        if not old or old[0] != url:
            values |= {PUSHED_SEQ: "0", PULL_CURSOR: "0"}
        for key, value in values.items():
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                         "UPDATE SET value = excluded.value", (key, value))


def last_seq(store: Store) -> int:
    return int(store.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])


def local_changes(store: Store, annotators: list[str], kinds: tuple[str, ...]
                  ) -> tuple[Batch, int]:
    """Changes not yet pushed, of ``kinds`` (annotations only of ``annotators``).

    Returns them with the sequence number they reach; after the hub took them,
    :func:`mark_pushed` with that number.
    """
    conn = store.conn
    after = int(store.get_meta(PUSHED_SEQ) or 0)
    top = last_seq(store)
    batch = Batch()
    mine = ",".join("?" * len(annotators)) or "NULL"
    for kind in kinds:
        params: list[Any] = [kind, after, top]
        sql = _SELECT[kind].format(changed=_CHANGED, mine=mine)
        if kind in ANNOTATION_KINDS:
            params += annotators
        elif kind == ADJUDICATIONS:
            # only the team's gold set travels, and only a curator writes it
            sql = _SELECT[kind].format(changed=_CHANGED, mine="?")
            params.append(GOLD_ANNOTATOR)
        cols = WIRE_COLUMNS[kind]
        present: set[str] = set()
        for row in conn.execute(sql, params):
            item = dict(zip(cols, row, strict=True))
            if kind == "articles":
                item["meta"] = json.loads(item["meta"] or "{}")
            elif kind == "actors":
                item["aliases"] = json.loads(item["aliases"])
            elif kind == ADJUDICATIONS:
                item["sources"] = _sources_out(conn, str(item["layer"]),
                                               json.loads(str(item["sources"])))
            present.add(str(item[key_of(kind)]))
            batch.add(kind, item)
        table_key = _TABLE_KEY.get(kind, "uuid")
        for (uuid,) in conn.execute(
                f"SELECT DISTINCT c.uuid FROM change_log c WHERE c.tbl = ? AND c.seq > ? AND "
                f"c.seq <= ? AND c.origin IS NULL AND NOT EXISTS (SELECT 1 FROM {kind} x "
                f"WHERE x.{table_key} = c.uuid)", (kind, after, top)):
            if uuid not in present:
                batch.bury(kind, uuid)
    return batch, top


def _sources_out(conn: sqlite3.Connection, layer: str, sources: dict[str, Any]
                 ) -> dict[str, Any]:
    """A decision's sources with the annotations named by uuid (row ids differ per file)."""
    if layer not in _SPAN_LAYERS:
        return sources
    out = {}
    for who, row_id in sources.items():
        found = conn.execute(f"SELECT uuid FROM {layer} WHERE id = ?", (row_id,)).fetchone()
        if found:
            out[who] = found[0]
    return out


def assignments(store: Store) -> dict[int, bool]:
    """Article id -> still assigned to this member, for every article the hub assigned them
    (False: a manager took it back; the article and the member's work on it stay)."""
    return {int(a): bool(g) for a, g in store.conn.execute(
        "SELECT article_id, assigned FROM team_assignments ORDER BY article_id")}


def mark_pushed(store: Store, seq: int) -> None:
    with store.write() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                     "SET value = excluded.value", (PUSHED_SEQ, str(seq)))


@dataclass
class Applied:
    """What a pull changed in the project."""

    changed: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    #: Rows left out, with why (an article this project lacks, a span that does not fit).
    skipped: dict[str, int] = field(default_factory=dict)
    #: Articles newly assigned to this member, and taken back from them.
    assigned: int = 0
    unassigned: int = 0

    def count(self, what: dict[str, int], kind: str, n: int = 1) -> None:
        if n:
            what[kind] = what.get(kind, 0) + n


def apply_pulled(store: Store, batch: Batch, cursor: str) -> Applied:
    """Apply the hub's rows and tombstones and save ``cursor``, in one transaction."""
    done = Applied()
    with store.write() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('change_origin', 'hub') "
                     "ON CONFLICT(key) DO UPDATE SET value = 'hub'")
        pending = {r[0] for r in conn.execute(
            "SELECT DISTINCT uuid FROM change_log WHERE seq > ? AND origin IS NULL",
            (int(store.get_meta(PUSHED_SEQ) or 0),))}
        ids = _Ids(store, conn)
        for kind in KINDS:
            rows = [r for r in batch.rows.get(kind, []) if r[key_of(kind)] not in pending]
            for row in rows:
                if kind == ADJUDICATIONS:
                    outcome, replaced = _adjudication(conn, ids, row, pending)
                    # a decision of this project gone: the window forgets its history
                    done.count(done.deleted, kind, replaced)
                else:
                    outcome = _APPLY[kind](conn, ids, row)
                done.count(done.changed if outcome == "changed" else done.skipped, kind,
                           outcome != "same")
            if kind == "actors":
                _affiliations(conn, rows)
            if kind == "categories":
                _parents(conn, rows)
        for kind in reversed(KINDS):
            for key in batch.tombstones.get(kind, []):
                if key not in pending:
                    done.count(done.deleted, kind, _bury(conn, kind, key))
        stamp = _now()
        for uid, given in batch.assignments.items():
            article = ids.of("articles", uid)
            if article is None:
                continue
            cur = conn.execute(
                "INSERT INTO team_assignments(article_id, assigned, changed_at) VALUES (?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET assigned = excluded.assigned, "
                "changed_at = excluded.changed_at WHERE assigned IS NOT excluded.assigned",
                (article, int(given), stamp))
            if cur.rowcount:
                if given:
                    done.assigned += 1
                else:
                    done.unassigned += 1
        conn.execute("DELETE FROM meta WHERE key = 'change_origin'")
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                     "SET value = excluded.value", (PULL_CURSOR, cursor))
    return done


class _Ids:
    """Row ids of the identities pulled rows refer to, looked up once each."""

    def __init__(self, store: Store, conn: sqlite3.Connection) -> None:
        self._store, self._conn = store, conn
        self._cache: dict[tuple[str, str], int] = {}

    def of(self, table: str, key: str | None) -> int | None:
        if key is None:
            return None
        found = self._cache.get((table, key))
        if found is None:  # a row not found yet may be applied later in the same pull
            column = "uid" if table == "articles" else "uuid"
            row = self._conn.execute(f"SELECT id FROM {table} WHERE {column} = ?",
                                     (key,)).fetchone()
            found = int(row[0]) if row else None
            if found is not None:
                self._cache[(table, key)] = found
        return found

    def annotator(self, name: str) -> int:
        return self._store.annotator_id(name)

    def text(self, article_id: int) -> str:
        return str(self._conn.execute("SELECT text FROM articles WHERE id = ?",
                                      (article_id,)).fetchone()[0])


def _now() -> str:
    from stancemark.store.project import now

    return now()


def _write(conn: sqlite3.Connection, table: str, key: str, row: dict[str, Any],
           insert_extra: dict[str, Any] | None = None) -> str:
    """Update the row keyed ``key`` where it differs, else insert it: changed or same."""
    cols = [c for c in row if c != key]
    differs = " OR ".join(f"{c} IS NOT ?" for c in cols)
    cur = conn.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} "
                       f"WHERE {key} = ? AND ({differs})",
                       [row[c] for c in cols] + [row[key]] + [row[c] for c in cols])
    if cur.rowcount:
        return "changed"
    if conn.execute(f"SELECT 1 FROM {table} WHERE {key} = ?", (row[key],)).fetchone():
        return "same"
    full = {**row, **(insert_extra or {})}
    conn.execute(f"INSERT INTO {table}({', '.join(full)}) VALUES "
                 f"({', '.join('?' * len(full))})", list(full.values()))
    return "changed"


def _article(conn: sqlite3.Connection, ids: _Ids, row: dict[str, Any]) -> str:
    fields = {c: row[c] for c in WIRE_COLUMNS["articles"] if c != "text"}
    fields["meta"] = json.dumps(row.get("meta") or {}, ensure_ascii=False, sort_keys=True)
    if ids.of("articles", row["uid"]) is not None:
        return _write(conn, "articles", "uid", fields)
    stamp = _now()
    return _write(conn, "articles", "uid", fields, {
        "text": row["text"], "length": len(row["text"]), "format": "text",
        "imported_at": stamp, "updated_at": stamp})


def _by_natural_key(table: str, natural: str) -> Any:
    def apply(conn: sqlite3.Connection, ids: _Ids, row: dict[str, Any]) -> str:
        fields = {c: row[c] for c in WIRE_COLUMNS[table] if c != "parent"}
        if conn.execute(f"SELECT 1 FROM {table} WHERE uuid = ?", (row["uuid"],)).fetchone():
            return _write(conn, table, "uuid", fields)
        # The same entry made in another project (the default codebook): adopt the hub's uuid.
        return _write(conn, table, natural, fields)
    return apply


def _actor(conn: sqlite3.Connection, ids: _Ids, row: dict[str, Any]) -> str:
    kind = row["type"]
    if kind is not None and not conn.execute("SELECT 1 FROM actor_types WHERE key = ?",
                                             (kind,)).fetchone():
        kind = None
    fields = {"uuid": row["uuid"], "name": row["name"], "type": kind, "note": row["note"]}
    clash = conn.execute("SELECT uuid FROM actors WHERE name = ?", (row["name"],)).fetchone()
    if clash and clash[0] != row["uuid"]:
        # Two members added the same name: keep both until a manager merges them.
        fields["name"] = f"{row['name']} ({row['uuid'][:8]})"
    stamp = _now()
    outcome = _write(conn, "actors", "uuid", fields, {"created_at": stamp, "updated_at": stamp})
    actor_id = ids.of("actors", row["uuid"])
    want = sorted(set(row.get("aliases") or []))
    have = [r[0] for r in conn.execute(
        "SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY alias", (actor_id,))]
    if have != want:
        conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (actor_id,))
        conn.executemany("INSERT INTO actor_aliases(actor_id, alias) VALUES (?, ?)",
                         [(actor_id, a) for a in want])
        outcome = "changed"
    return outcome


def _affiliations(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        conn.execute("UPDATE actors SET affiliation_id = (SELECT id FROM actors WHERE uuid = ?) "
                     "WHERE uuid = ? AND affiliation_id IS NOT (SELECT id FROM actors "
                     "WHERE uuid = ?)", (row["affiliation"], row["uuid"], row["affiliation"]))


def _parents(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        conn.execute("UPDATE categories SET parent = (SELECT key FROM categories WHERE key = ?) "
                     "WHERE uuid = ? AND parent IS NOT (SELECT key FROM categories "
                     "WHERE key = ?)", (row["parent"], row["uuid"], row["parent"]))


def _span(kind: str) -> Any:
    def apply(conn: sqlite3.Connection, ids: _Ids, row: dict[str, Any]) -> str:
        article = ids.of("articles", row["article_uid"])
        if article is None:
            return "skipped"
        fields: dict[str, Any] = {"uuid": row["uuid"], "article_id": article,
                                  "annotator_id": ids.annotator(row["annotator"]),
                                  "created_at": row["created_at"] or _now(),
                                  "updated_at": row["updated_at"] or _now()}
        if kind in ("mentions", "claims"):
            start, end = row["start_offset"], row["end_offset"]
            if ids.text(article)[start:end] != row["text"]:
                return "skipped"
            fields |= {"start_offset": start, "end_offset": end, "text": row["text"]}
        if kind == "mentions" or kind == "actor_sentiments":
            actor = ids.of("actors", row["actor"])
            if actor is None:
                return "skipped"
            fields["actor_id"] = actor
        if kind == "claims":
            category = row["category"]
            if category is not None and not conn.execute(
                    "SELECT 1 FROM categories WHERE key = ?", (category,)).fetchone():
                category = None
            fields |= {"claimant_id": ids.of("actors", row["claimant"]),
                       "target_id": ids.of("actors", row["target"]), "category": category,
                       "stance": row["stance"], "note": row["note"]}
        if kind.endswith("sentiments"):
            fields["value"] = row["value"]
            # One value per article (and actor) and annotator: the hub's replaces ours.
            where = "article_id = ? AND annotator_id = ?" + (
                " AND actor_id = ?" if kind == "actor_sentiments" else "")
            args = [article, fields["annotator_id"]] + (
                [fields["actor_id"]] if kind == "actor_sentiments" else [])
            conn.execute(f"DELETE FROM {kind} WHERE {where} AND uuid IS NOT ?",
                         [*args, row["uuid"]])
        return _write(conn, kind, "uuid", fields)
    return apply


def _adjudication(conn: sqlite3.Connection, ids: _Ids, row: dict[str, Any],
                  pending: set[str]) -> tuple[str, int]:
    """Apply the hub's decision of a unit; returns the outcome and how many decisions made
    here it replaced.

    A decision made here and not yet sent (``pending``: a curator settled the unit during
    this sync) is kept instead: the next push sends it, and the hub keeps the newest.
    """
    article = ids.of("articles", row["article_uid"])
    if article is None:
        return "skipped", 0
    layer = row["layer"]
    sources: dict[str, Any] = {}
    for who, value in (row.get("sources") or {}).items():
        if layer in _SPAN_LAYERS:
            local = ids.of(layer, value)
            if local is not None:
                sources[who] = local
        else:
            sources[who] = value
    gold = ids.annotator(row["gold"])
    fields = {"uuid": row["uuid"], "gold_id": gold, "article_id": article, "layer": layer,
              "unit_key": row["unit_key"], "outcome": row["outcome"],
              "decided_by": row["decided_by"], "sources": json.dumps(sources, sort_keys=True),
              "mention_id": ids.of("mentions", row["mention"]),
              "claim_id": ids.of("claims", row["claim"]),
              "created_at": row["created_at"] or _now()}
    # One decision per unit of a gold set: the hub's replaces one sent from here before.
    unit = (gold, article, layer, row["unit_key"], row["uuid"])
    others = [str(r[0]) for r in conn.execute(
        "SELECT uuid FROM adjudications WHERE gold_id = ? AND article_id = ? AND layer = ? "
        "AND unit_key = ? AND uuid IS NOT ?", unit)]
    if any(uuid in pending for uuid in others):
        return "same", 0
    replaced = conn.execute("DELETE FROM adjudications WHERE gold_id = ? AND article_id = ? "
                            "AND layer = ? AND unit_key = ? AND uuid IS NOT ?", unit).rowcount
    return _write(conn, "adjudications", "uuid", fields), replaced


_APPLY: dict[str, Any] = {
    "articles": _article,
    "actor_types": _by_natural_key("actor_types", "key"),
    "categories": _by_natural_key("categories", "key"),
    "scale": _by_natural_key("scale", "value"),
    "actors": _actor,
    **{kind: _span(kind) for kind in ANNOTATION_KINDS},
}


def _bury(conn: sqlite3.Connection, kind: str, key: str) -> int:
    """Delete what the hub deleted, unless that would take annotations with it."""
    if kind == "articles":
        used = "SELECT 1 FROM article_counts c JOIN articles a ON a.id = c.article_id " \
               "WHERE a.uid = ? AND c.annotations > 0"
    elif kind == "actors":
        used = ("SELECT 1 FROM actors a WHERE a.uuid = ? AND (EXISTS (SELECT 1 FROM mentions "
                "WHERE actor_id = a.id) OR EXISTS (SELECT 1 FROM claims WHERE claimant_id = a.id "
                "OR target_id = a.id) OR EXISTS (SELECT 1 FROM actor_sentiments "
                "WHERE actor_id = a.id))")
    elif kind == "categories":
        used = ("SELECT 1 FROM categories g JOIN claims c ON c.category = g.key "
                "WHERE g.uuid = ?")
    else:
        used = ""
    if used and conn.execute(used, (key,)).fetchone():
        return 0
    return conn.execute(f"DELETE FROM {kind} WHERE {key_of(kind)} = ?", (key,)).rowcount


__all__ = ["Applied", "apply_pulled", "assignments", "last_seq", "local_changes", "mark_pushed",
           "member_name", "set_team", "team_settings"]
