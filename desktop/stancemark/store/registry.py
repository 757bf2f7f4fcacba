"""SQL of the actor registry's bulk operations: listing, merge, split, delete, suggestions.

Every operation that an undo must reverse captures the exact rows it touches
(:class:`Rows`, whole rows with their ids and timestamps) so the revert can
put them back byte for byte. :class:`~stancemark.store.actors.ActorRepo` stays
the place for single-actor reads and writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import NotFoundError, ValidationError
from stancemark.core.text import fold

if TYPE_CHECKING:
    from stancemark.store.project import Store

#: Primary-key columns of the tables whose rows a snapshot may hold.
_KEYS: dict[str, tuple[str, ...]] = {
    "actors": ("id",),
    "actor_aliases": ("id",),
    "mentions": ("id",),
    "claims": ("id",),
    "actor_sentiments": ("article_id", "actor_id", "annotator_id"),
    "dismissed_suggestions": ("article_id", "kind", "start_offset", "end_offset"),
}


@dataclass(slots=True)
class Rows:
    """Whole rows of one table, as read: enough to put them back exactly."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.rows)


def read_rows(conn: sqlite3.Connection, table: str, where: str, params: Sequence[Any]) -> Rows:
    cur = conn.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid", params)
    return Rows(table, tuple(d[0] for d in cur.description), cur.fetchall())


def put_rows(conn: sqlite3.Connection, rows: Rows) -> None:
    """Insert the rows, overwriting any row with the same primary key.

    An upsert, not ``INSERT OR REPLACE``: a replace deletes the old row first,
    which would fire ``ON DELETE CASCADE`` on everything pointing at it.
    """
    if not rows.rows:
        return
    key = _KEYS[rows.table]
    cols = ", ".join(rows.columns)
    marks = ", ".join("?" * len(rows.columns))
    sets = ", ".join(f"{c} = excluded.{c}" for c in rows.columns if c not in key)
    conn.executemany(f"INSERT INTO {rows.table}({cols}) VALUES ({marks}) "
                     f"ON CONFLICT({', '.join(key)}) DO UPDATE SET {sets}", rows.rows)


# -- listing ----------------------------------------------------------------------------------

@dataclass(slots=True)
class RegistryRow:
    """One actor as the registry panel lists it."""

    id: int
    name: str
    type: str | None
    affiliation_id: int | None
    affiliation: str | None
    aliases: list[str]
    mentions: int
    claims: int
    articles: int
    note: str | None = None


_LISTING_SQL = """
SELECT a.id, a.name, a.type, a.affiliation_id, f.name, a.note,
       coalesce(m.n, 0), coalesce(cl.n, 0) + coalesce(tg.n, 0),
       (SELECT count(*) FROM (SELECT article_id FROM mentions WHERE actor_id = a.id
                              UNION SELECT article_id FROM claims WHERE claimant_id = a.id
                              UNION SELECT article_id FROM claims WHERE target_id = a.id))
FROM actors a
LEFT JOIN actors f ON f.id = a.affiliation_id
LEFT JOIN (SELECT actor_id, count(*) AS n FROM mentions GROUP BY actor_id) m ON m.actor_id = a.id
LEFT JOIN (SELECT claimant_id, count(*) AS n FROM claims WHERE claimant_id IS NOT NULL
           GROUP BY claimant_id) cl ON cl.claimant_id = a.id
LEFT JOIN (SELECT target_id, count(*) AS n FROM claims WHERE target_id IS NOT NULL
           GROUP BY target_id) tg ON tg.target_id = a.id
ORDER BY a.name COLLATE NOCASE
"""


def listing(store: Store) -> list[RegistryRow]:
    """Every actor with its counts, in one query.

    Counts come from GROUP BYs over covering indexes (no table row is read):
    ``claims`` is claims as claimant plus claims as target (a claim about its
    own claimant counts twice); ``articles`` counts distinct articles where the
    actor is mentioned, claimant or target. 5,000 actors over ~700,000
    annotations list in about half a second on a busy two-core machine.
    """
    aliases: dict[int, list[str]] = {}
    for actor_id, alias in store.conn.execute(
            "SELECT actor_id, alias FROM actor_aliases ORDER BY actor_id, id"):
        aliases.setdefault(actor_id, []).append(alias)
    return [RegistryRow(r[0], r[1], r[2], r[3], r[4], aliases.get(r[0], []), r[6], r[7], r[8],
                        r[5])
            for r in store.conn.execute(_LISTING_SQL)]


def registry_version(store: Store) -> tuple[Any, ...]:
    """The registry's revision: triggers bump it on every change to actors or aliases."""
    row = store.conn.execute(
        "SELECT value FROM meta WHERE key = 'registry_revision'").fetchone()
    return (int(row[0]) if row else 0,)


# -- an actor's footprint (delete, merge) ----------------------------------------------------

@dataclass(slots=True)
class Footprint:
    """Every row that holds or points at one actor."""

    actor: Rows
    aliases: Rows
    mentions: Rows
    claims: Rows
    sentiments: Rows
    affiliated: Rows  # other actors whose affiliation is this actor

    def counts(self) -> dict[str, int]:
        return {"mentions": len(self.mentions), "claims": len(self.claims),
                "sentiments": len(self.sentiments), "affiliated": len(self.affiliated)}

    def parts(self) -> list[Rows]:
        return [self.actor, self.aliases, self.mentions, self.claims, self.sentiments,
                self.affiliated]


def footprint(store: Store, actor_id: int) -> Footprint:
    c = store.conn
    actor = read_rows(c, "actors", "id = ?", (actor_id,))
    if not actor.rows:
        raise NotFoundError(f"There is no actor {actor_id}.")
    return Footprint(
        actor,
        read_rows(c, "actor_aliases", "actor_id = ?", (actor_id,)),
        read_rows(c, "mentions", "actor_id = ?", (actor_id,)),
        read_rows(c, "claims", "claimant_id = ? OR target_id = ?", (actor_id, actor_id)),
        read_rows(c, "actor_sentiments", "actor_id = ?", (actor_id,)),
        read_rows(c, "actors", "affiliation_id = ? AND id != ?", (actor_id, actor_id)),
    )


def restore_footprint(store: Store, fp: Footprint) -> None:
    """Put an actor and everything that pointed at it back as captured."""
    with store.write() as conn:
        put_rows(conn, fp.actor)  # first: every other row refers to it
        for part in fp.parts()[1:]:
            put_rows(conn, part)


def delete_actor(store: Store, actor_id: int) -> Footprint:
    """Delete an actor with its mentions and sentiments (claims lose it); return what was there."""
    with store.write() as conn:
        fp = footprint(store, actor_id)
        conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
    return fp


# -- merge ------------------------------------------------------------------------------------

@dataclass(slots=True)
class MergeSnapshot:
    """Rows of both actors before a merge; reverting puts them all back."""

    keep: Footprint
    gone: Footprint


@dataclass(slots=True)
class MergeResult:
    """What a merge did; ``conflicts`` lists ``(article_id, annotator, kept, dropped)``."""

    mentions: int
    claims: int
    sentiments: int
    aliases_added: list[str]
    conflicts: list[tuple[int, str, int, int]]


def merge_actors(store: Store, keep_id: int, gone_id: int) -> tuple[MergeResult, MergeSnapshot]:
    """Move everything of actor ``gone_id`` onto ``keep_id`` and delete it, in one transaction.

    Where both actors have a portrayal (sentiment) in the same article by the
    same annotator, ``keep_id``'s value stays and the conflict is reported.
    """
    if keep_id == gone_id:
        raise ValidationError("An actor cannot be merged into itself.",
                              "Choose two different actors.")
    with store.write() as conn:
        snap = MergeSnapshot(footprint(store, keep_id), footprint(store, gone_id))
        keep_name, keep_aff = conn.execute(
            "SELECT name, affiliation_id FROM actors WHERE id = ?", (keep_id,)).fetchone()
        gone_name = conn.execute("SELECT name FROM actors WHERE id = ?",
                                 (gone_id,)).fetchone()[0]
        mentions = conn.execute("UPDATE mentions SET actor_id = ? WHERE actor_id = ?",
                                (keep_id, gone_id)).rowcount
        conn.execute("UPDATE claims SET claimant_id = ? WHERE claimant_id = ?",
                     (keep_id, gone_id))
        conn.execute("UPDATE claims SET target_id = ? WHERE target_id = ?", (keep_id, gone_id))
        claims = len(snap.gone.claims)
        conflicts: list[tuple[int, str, int, int]] = [
            (r[0], r[1], r[2], r[3]) for r in conn.execute(
                "SELECT g.article_id, n.name, k.value, g.value FROM actor_sentiments g "
                "JOIN actor_sentiments k ON k.article_id = g.article_id "
                "AND k.annotator_id = g.annotator_id AND k.actor_id = ? "
                "JOIN annotators n ON n.id = g.annotator_id WHERE g.actor_id = ? "
                "ORDER BY g.article_id, n.name", (keep_id, gone_id))]
        conn.execute(
            "DELETE FROM actor_sentiments WHERE actor_id = ? AND EXISTS (SELECT 1 FROM "
            "actor_sentiments k WHERE k.actor_id = ? AND k.article_id = "
            "actor_sentiments.article_id AND k.annotator_id = actor_sentiments.annotator_id)",
            (gone_id, keep_id))
        sentiments = conn.execute("UPDATE actor_sentiments SET actor_id = ? WHERE actor_id = ?",
                                  (keep_id, gone_id)).rowcount
        conn.execute("UPDATE actors SET affiliation_id = ? WHERE affiliation_id = ? AND id != ?",
                     (keep_id, gone_id, keep_id))
        if keep_aff == gone_id:
            conn.execute("UPDATE actors SET affiliation_id = NULL WHERE id = ?", (keep_id,))
        have = {fold(keep_name)} | {fold(a) for (a,) in conn.execute(
            "SELECT alias FROM actor_aliases WHERE actor_id = ?", (keep_id,))}
        added: list[str] = []
        for alias in [gone_name] + [r[2] for r in snap.gone.aliases.rows]:
            if fold(alias) not in have:
                have.add(fold(alias))
                added.append(alias)
        conn.execute("DELETE FROM actors WHERE id = ?", (gone_id,))
        conn.executemany("INSERT INTO actor_aliases(actor_id, alias) VALUES (?, ?)",
                         [(keep_id, a) for a in added])
    return MergeResult(mentions, claims, sentiments, added, conflicts), snap


def unmerge(store: Store, snap: MergeSnapshot) -> None:
    """Revert :func:`merge_actors` exactly: the deleted actor and every moved row come back."""
    keep_id = snap.keep.actor.rows[0][0]
    with store.write() as conn:
        conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (keep_id,))
        conn.execute("DELETE FROM actor_sentiments WHERE actor_id = ?", (keep_id,))
        put_rows(conn, snap.gone.actor)
        put_rows(conn, snap.keep.actor)
        for fp in (snap.keep, snap.gone):
            for part in fp.parts()[1:]:
                put_rows(conn, part)


# -- split ------------------------------------------------------------------------------------

@dataclass(slots=True)
class SplitSnapshot:
    """What an alias split changed: the source actor's aliases and the mentions it moved."""

    actor_id: int
    aliases: Rows
    mentions: Rows
    new_id: int = 0


def split_alias(store: Store, actor_id: int, alias: str, *, new_name: str | None = None,
                actor_type: str | None = None, move_mentions: bool = True,
                new_id: int | None = None) -> SplitSnapshot:
    """Make ``alias`` of ``actor_id`` an actor of its own (named ``new_name`` or the alias).

    With ``move_mentions``, the source actor's mentions whose text is that alias
    (case and diacritics folded) are moved to the new actor.
    """
    from stancemark.store.project import now

    with store.write() as conn:
        row = conn.execute("SELECT type FROM actors WHERE id = ?", (actor_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no actor {actor_id}.")
        aliases = read_rows(conn, "actor_aliases", "actor_id = ?", (actor_id,))
        col = aliases.columns.index("alias")
        match = [r for r in aliases.rows if r[col] == alias]
        if not match:
            raise ValidationError(f"{alias!r} is not an alias of this actor.",
                                  "Pick one of its aliases.")
        name = " ".join((new_name or alias).split())
        if conn.execute("SELECT 1 FROM actors WHERE name = ?", (name,)).fetchone():
            raise ValidationError(f"There is already an actor called {name!r}.",
                                  "Choose another name, or merge instead.")
        key = fold(alias)
        mentions = read_rows(conn, "mentions", "actor_id = ?", (actor_id,))
        tcol = mentions.columns.index("text")
        moved = Rows("mentions", mentions.columns,
                     [r for r in mentions.rows if fold(r[tcol]) == key] if move_mentions else [])
        stamp = now()
        cur = conn.execute(
            "INSERT INTO actors(id, name, type, affiliation_id, note, created_at, updated_at) "
            "VALUES (?, ?, ?, NULL, NULL, ?, ?)",
            (new_id, name, actor_type if actor_type is not None else row[0], stamp, stamp))
        created = int(cur.lastrowid or 0)
        conn.execute("DELETE FROM actor_aliases WHERE actor_id = ? AND alias = ?",
                     (actor_id, alias))
        if name != alias:
            conn.execute("INSERT INTO actor_aliases(actor_id, alias) VALUES (?, ?)",
                         (created, alias))
        idcol = moved.columns.index("id")
        conn.executemany("UPDATE mentions SET actor_id = ? WHERE id = ?",
                         [(created, r[idcol]) for r in moved.rows])
    return SplitSnapshot(actor_id, aliases, moved, created)


def unsplit(store: Store, snap: SplitSnapshot) -> None:
    """Revert :func:`split_alias` exactly."""
    with store.write() as conn:
        put_rows(conn, snap.mentions)  # back to the source actor, before the new one goes
        conn.execute("DELETE FROM actors WHERE id = ?", (snap.new_id,))
        conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (snap.actor_id,))
        put_rows(conn, snap.aliases)


# -- actor edits with exact revert ---------------------------------------------------------

def actor_rows(store: Store, actor_id: int) -> tuple[Rows, Rows]:
    """The actor's own row and its alias rows."""
    actor = read_rows(store.conn, "actors", "id = ?", (actor_id,))
    if not actor.rows:
        raise NotFoundError(f"There is no actor {actor_id}.")
    return actor, read_rows(store.conn, "actor_aliases", "actor_id = ?", (actor_id,))


def restore_actor_rows(store: Store, actor: Rows, aliases: Rows) -> None:
    actor_id = actor.rows[0][0]
    with store.write() as conn:
        put_rows(conn, actor)
        conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (actor_id,))
        put_rows(conn, aliases)


def affiliation_chain(store: Store, actor_id: int) -> list[int]:
    """``actor_id``, its affiliation, that one's affiliation … (stops at a repeat)."""
    chain: list[int] = []
    node: int | None = actor_id
    while node is not None and node not in chain:
        chain.append(node)
        row = store.conn.execute("SELECT affiliation_id FROM actors WHERE id = ?",
                                 (node,)).fetchone()
        node = row[0] if row else None
    return chain


def check_affiliation(store: Store, actor_id: int, affiliation_id: int) -> None:
    """Refuse making ``affiliation_id`` the affiliation of ``actor_id`` if that closes a loop.

    The one rule of affiliations, used by the registry's edits and by merges: an
    actor is never affiliated with itself, nor with an actor affiliated with it.
    """
    if actor_id in affiliation_chain(store, affiliation_id):
        row = store.conn.execute("SELECT name FROM actors WHERE id = ?", (actor_id,)).fetchone()
        name = row[0] if row else f"actor {actor_id}"
        raise ValidationError(
            f"{name} cannot be affiliated with itself or with an actor affiliated with it.",
            "Choose another affiliation.")


def claims_in_categories(store: Store, keys: Iterable[str]) -> list[tuple[int, str | None]]:
    """``(claim id, category)`` of every claim in one of ``keys``."""
    keys = sorted(keys)
    if not keys:
        return []
    return [(r[0], r[1]) for r in store.conn.execute(
        f"SELECT id, category FROM claims WHERE category IN ({','.join('?' * len(keys))})",
        keys)]


def actors_of_types(store: Store, keys: Iterable[str]) -> list[tuple[int, str | None]]:
    """``(actor id, type)`` of every actor of one of the types ``keys``."""
    keys = sorted(keys)
    if not keys:
        return []
    return [(r[0], r[1]) for r in store.conn.execute(
        f"SELECT id, type FROM actors WHERE type IN ({','.join('?' * len(keys))})", keys)]


def type_usage(store: Store) -> dict[str, int]:
    """How many actors have each actor type."""
    return {k: n for k, n in store.conn.execute(
        "SELECT type, count(*) FROM actors WHERE type IS NOT NULL GROUP BY type")}


def scale_usage(store: Store) -> dict[int, int]:
    """How often each scale value is used by stances and sentiments."""
    out: dict[int, int] = {}
    for v, n in store.conn.execute(
            "SELECT v, count(*) FROM (SELECT stance AS v FROM claims WHERE stance IS NOT NULL "
            "UNION ALL SELECT value FROM article_sentiments "
            "UNION ALL SELECT value FROM actor_sentiments) GROUP BY v"):
        out[v] = n
    return out


def actor_id_named(store: Store, name: str) -> int | None:
    """Id of the actor whose name is exactly ``name``."""
    row = store.conn.execute("SELECT id FROM actors WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else None


def set_claim_categories(store: Store, pairs: Iterable[tuple[int, str | None]]) -> None:
    """Give claims (by id) these categories again, leaving their timestamps alone (undo)."""
    with store.write() as conn:
        conn.executemany("UPDATE claims SET category = ? WHERE id = ?",
                         [(cat, cid) for cid, cat in pairs])


def set_actor_types(store: Store, pairs: Iterable[tuple[int, str | None]]) -> None:
    """Give actors (by id) these types again, leaving their timestamps alone (undo)."""
    with store.write() as conn:
        conn.executemany("UPDATE actors SET type = ? WHERE id = ?",
                         [(t, aid) for aid, t in pairs])


# -- dismissed suggestions --------------------------------------------------------------------

def dismissed(store: Store, article_id: int, kind: str) -> set[tuple[int, int]]:
    return {(s, e) for s, e in store.conn.execute(
        "SELECT start_offset, end_offset FROM dismissed_suggestions WHERE article_id = ? "
        "AND kind = ?", (article_id, kind))}


def dismiss(store: Store, article_id: int, kind: str,
            spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Record dismissed suggestions; return the spans that were not dismissed before."""
    new: list[tuple[int, int]] = []
    with store.write() as conn:
        for s, e in spans:
            cur = conn.execute(
                "INSERT OR IGNORE INTO dismissed_suggestions(article_id, kind, start_offset, "
                "end_offset) VALUES (?, ?, ?, ?)", (article_id, kind, s, e))
            if cur.rowcount:
                new.append((s, e))
    return new


def undismiss(store: Store, article_id: int, kind: str,
              spans: Iterable[tuple[int, int]]) -> None:
    with store.write() as conn:
        conn.executemany(
            "DELETE FROM dismissed_suggestions WHERE article_id = ? AND kind = ? AND "
            "start_offset = ? AND end_offset = ?", [(article_id, kind, s, e) for s, e in spans])


def mention_spans(store: Store, article_id: int) -> list[tuple[int, int, int]]:
    """``(start, end, actor_id)`` of every mention of the article, any annotator."""
    return [tuple(r) for r in store.conn.execute(  # type: ignore[misc]
        "SELECT start_offset, end_offset, actor_id FROM mentions WHERE article_id = ? "
        "ORDER BY start_offset", (article_id,))]


def mention_texts(store: Store, actor_id: int) -> list[str]:
    return [t for (t,) in store.conn.execute("SELECT text FROM mentions WHERE actor_id = ?",
                                             (actor_id,))]


def claim_spans(store: Store, article_id: int) -> list[tuple[int, int]]:
    return [(s, e) for s, e in store.conn.execute(
        "SELECT start_offset, end_offset FROM claims WHERE article_id = ?", (article_id,))]


__all__ = [
    "Footprint",
    "MergeResult",
    "MergeSnapshot",
    "RegistryRow",
    "Rows",
    "SplitSnapshot",
    "delete_actor",
    "dismiss",
    "dismissed",
    "footprint",
    "listing",
    "merge_actors",
    "registry_version",
    "restore_footprint",
    "split_alias",
    "undismiss",
    "unmerge",
    "unsplit",
]
