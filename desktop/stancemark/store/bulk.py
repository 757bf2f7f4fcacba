"""Bulk loading: many rows with explicit ids in few, large transactions.

The repositories insert one edit at a time (each its own transaction, each
checked); that is right for an analyst and far too slow for building a
100,000-article project for the scale benchmarks, or for any future bulk
import. :class:`BulkLoader` takes rows as plain tuples in the column order of
the ``Bulk*`` named tuples, inserts them with ``executemany`` and can defer the
full-text index: the FTS triggers are dropped for the load and the index is
rebuilt once at the end (one sorted pass instead of a merge per row).

The caller guarantees what the repositories would otherwise check: span texts
equal ``text[start:end]``, uids are the SHA-256 of the text, ids are unique.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from stancemark.store.project import Store


class BulkArticle(NamedTuple):
    id: int
    uid: str
    title: str | None
    subtitle: str | None
    source: str | None
    url: str | None
    author: str | None
    published: str | None
    language: str | None
    status: str
    length: int
    imported_at: str
    updated_at: str
    text: str


class BulkActor(NamedTuple):
    id: int
    name: str
    type: str | None
    affiliation_id: int | None
    note: str | None
    created_at: str
    updated_at: str


class BulkMention(NamedTuple):
    id: int
    article_id: int
    actor_id: int
    start_offset: int
    end_offset: int
    text: str
    annotator_id: int
    created_at: str
    updated_at: str


class BulkClaim(NamedTuple):
    id: int
    article_id: int
    start_offset: int
    end_offset: int
    text: str
    claimant_id: int | None
    target_id: int | None
    category: str | None
    stance: int | None
    note: str | None
    annotator_id: int
    created_at: str
    updated_at: str


class BulkArticleSentiment(NamedTuple):
    article_id: int
    annotator_id: int
    value: int
    created_at: str
    updated_at: str


class BulkActorSentiment(NamedTuple):
    article_id: int
    actor_id: int
    annotator_id: int
    value: int
    created_at: str
    updated_at: str


def _insert_sql(table: str, fields: tuple[str, ...]) -> str:
    return (f"INSERT INTO {table}({', '.join(fields)}) "
            f"VALUES ({', '.join('?' * len(fields))})")


_SQL = {
    "articles": _insert_sql("articles", BulkArticle._fields),
    "actors": _insert_sql("actors", BulkActor._fields),
    "mentions": _insert_sql("mentions", BulkMention._fields),
    "claims": _insert_sql("claims", BulkClaim._fields),
    "article_sentiments": _insert_sql("article_sentiments", BulkArticleSentiment._fields),
    "actor_sentiments": _insert_sql("actor_sentiments", BulkActorSentiment._fields),
    "actor_aliases": "INSERT INTO actor_aliases(actor_id, alias) VALUES (?, ?)",
    "annotators": "INSERT INTO annotators(id, name, created_at) VALUES (?, ?, ?)",
}


class BulkLoader:
    """Fast inserts into one store; use inside :meth:`load` (one transaction per call)."""

    def __init__(self, store: Store) -> None:
        self._s = store

    @contextmanager
    def load(self, *, defer_fts: bool = False) -> Iterator[BulkLoader]:
        """Relax durability for the load and, with ``defer_fts``, rebuild FTS once at the end.

        ``synchronous = OFF`` only for the load: a crash mid-load loses the
        load (the file is new or a copy), never rows committed before it.
        """
        conn = self._s.conn
        old_sync = conn.execute("PRAGMA synchronous").fetchone()[0]
        conn.execute("PRAGMA synchronous = OFF")
        old_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB while loading
        triggers: list[str] = []
        try:
            if defer_fts:
                with self._s.write() as c:
                    triggers = [r[1] for r in c.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                        "AND name LIKE 'articles_fts_%' ORDER BY name")]
                    for (name,) in c.execute(
                            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                            "AND name LIKE 'articles_fts_%'").fetchall():
                        c.execute(f"DROP TRIGGER {name}")
            yield self
        finally:
            if triggers:
                with self._s.write() as c:
                    c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
                    for sql in triggers:
                        c.execute(sql)
            conn.execute(f"PRAGMA cache_size = {int(old_cache)}")
            conn.execute(f"PRAGMA synchronous = {int(old_sync)}")

    def _many(self, table: str, rows: Iterable[tuple[object, ...]]) -> int:
        with self._s.write() as conn:
            cur = conn.executemany(_SQL[table], rows)
            return cur.rowcount

    def annotators(self, rows: Iterable[tuple[int, str, str]]) -> int:
        """``(id, name, created_at)`` rows."""
        return self._many("annotators", rows)

    def articles(self, rows: Iterable[BulkArticle]) -> int:
        return self._many("articles", rows)

    def actors(self, rows: Iterable[BulkActor]) -> int:
        """Actors; an affiliation must name an actor inserted earlier or in the same call
        (foreign keys are checked per row)."""
        return self._many("actors", rows)

    def aliases(self, rows: Iterable[tuple[int, str]]) -> int:
        """``(actor_id, alias)`` rows."""
        return self._many("actor_aliases", rows)

    def mentions(self, rows: Iterable[BulkMention]) -> int:
        return self._many("mentions", rows)

    def claims(self, rows: Iterable[BulkClaim]) -> int:
        return self._many("claims", rows)

    def article_sentiments(self, rows: Iterable[BulkArticleSentiment]) -> int:
        return self._many("article_sentiments", rows)

    def actor_sentiments(self, rows: Iterable[BulkActorSentiment]) -> int:
        return self._many("actor_sentiments", rows)


__all__ = ["BulkActor", "BulkActorSentiment", "BulkArticle", "BulkArticleSentiment",
           "BulkClaim", "BulkLoader", "BulkMention"]
