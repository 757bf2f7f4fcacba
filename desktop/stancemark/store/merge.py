"""The SQL of merging an annotation set: lookups by span and annotator, and raw inserts.

Callers run these inside one ``store.write()`` transaction; the checks (spans,
scale, references) were made by ``exchange.merge`` before, so nothing here
validates again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stancemark.core.models import Article

if TYPE_CHECKING:
    from stancemark.store.project import Store


def insert_article(store: Store, art: dict[str, Any]) -> int:
    """Insert an article read from a set (its uid already checked against its text)."""
    from stancemark.store.project import now

    stamp = now()
    cur = store.conn.execute(
        "INSERT INTO articles(uid, title, subtitle, source, url, author, published, language, "
        "status, length, format, imported_at, updated_at, text) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,'text',?,?,?)",
        (art["uid"], art.get("title"), art.get("subtitle"), art.get("source"), art.get("url"),
         art.get("author"), art.get("published"), art.get("language"),
         art.get("status") or "new", len(art["text"]), stamp, stamp, art["text"]))
    return int(cur.lastrowid or 0)


def article_by_uid(store: Store, uid: str) -> Article | None:
    return store.articles.by_uid(uid)


def mentions_at(store: Store, article_id: int, annotator_id: int, start: int,
                end: int) -> list[tuple[int, int]]:
    """``(id, actor_id)`` of the annotator's mentions exactly on ``[start, end)``."""
    return [(r[0], r[1]) for r in store.conn.execute(
        "SELECT id, actor_id FROM mentions WHERE article_id = ? AND annotator_id = ? "
        "AND start_offset = ? AND end_offset = ? ORDER BY id",
        (article_id, annotator_id, start, end))]


def claims_at(store: Store, article_id: int, annotator_id: int, start: int,
              end: int) -> list[tuple[Any, ...]]:
    """``(id, claimant_id, target_id, category, stance, note)`` of claims on ``[start, end)``."""
    return list(store.conn.execute(
        "SELECT id, claimant_id, target_id, category, stance, note FROM claims "
        "WHERE article_id = ? AND annotator_id = ? AND start_offset = ? AND end_offset = ? "
        "ORDER BY id", (article_id, annotator_id, start, end)))


def insert_mention(store: Store, article_id: int, annotator_id: int, start: int, end: int,
                   text: str, actor_id: int) -> int:
    from stancemark.store.project import now

    stamp = now()
    cur = store.conn.execute(
        "INSERT INTO mentions(article_id, actor_id, start_offset, end_offset, text, "
        "annotator_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        (article_id, actor_id, start, end, text, annotator_id, stamp, stamp))
    return int(cur.lastrowid or 0)


def insert_claim(store: Store, article_id: int, annotator_id: int, start: int, end: int,
                 text: str, claimant_id: int | None, target_id: int | None,
                 category: str | None, stance: int | None, note: str | None) -> int:
    from stancemark.store.project import now

    stamp = now()
    cur = store.conn.execute(
        "INSERT INTO claims(article_id, start_offset, end_offset, text, claimant_id, target_id,"
        " category, stance, note, annotator_id, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (article_id, start, end, text, claimant_id, target_id, category, stance, note,
         annotator_id, stamp, stamp))
    return int(cur.lastrowid or 0)


def article_sentiment(store: Store, article_id: int, annotator_id: int) -> int | None:
    row = store.conn.execute(
        "SELECT value FROM article_sentiments WHERE article_id = ? AND annotator_id = ?",
        (article_id, annotator_id)).fetchone()
    return None if row is None else int(row[0])


def actor_sentiment(store: Store, article_id: int, actor_id: int,
                    annotator_id: int) -> int | None:
    row = store.conn.execute(
        "SELECT value FROM actor_sentiments WHERE article_id = ? AND actor_id = ? "
        "AND annotator_id = ?", (article_id, actor_id, annotator_id)).fetchone()
    return None if row is None else int(row[0])


def insert_article_sentiment(store: Store, article_id: int, annotator_id: int,
                             value: int) -> None:
    from stancemark.store.project import now

    stamp = now()
    store.conn.execute(
        "INSERT INTO article_sentiments(article_id, annotator_id, value, created_at, "
        "updated_at) VALUES (?,?,?,?,?)", (article_id, annotator_id, value, stamp, stamp))


def insert_actor_sentiment(store: Store, article_id: int, actor_id: int, annotator_id: int,
                           value: int) -> None:
    from stancemark.store.project import now

    stamp = now()
    store.conn.execute(
        "INSERT INTO actor_sentiments(article_id, actor_id, annotator_id, value, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?)",
        (article_id, actor_id, annotator_id, value, stamp, stamp))


def bulk_insert_claims(store: Store, rows: list[tuple[Any, ...]]) -> None:
    """Insert many claims at once (benchmarks, large merges).

    Each row is ``(article_id, start, end, text, claimant_id, target_id, category,
    stance, note, annotator_id)``; the spans must already be checked.
    """
    from stancemark.store.project import now

    stamp = now()
    with store.write() as conn:
        conn.executemany(
            "INSERT INTO claims(article_id, start_offset, end_offset, text, claimant_id, "
            "target_id, category, stance, note, annotator_id, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [(*r, stamp, stamp) for r in rows])
