"""Flat rows for the charts and the report: articles' outlet, date and status, sentiments,
and how many articles each coder has annotated. One query each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancemark.store.project import Store

#: (article id, source, published, status)
ArticleFact = tuple[int, str | None, str | None, str]


def article_facts(store: Store) -> list[ArticleFact]:
    """Outlet, date and status of every article, from the listing index (no article text)."""
    return store.conn.execute(
        "SELECT id, source, published, status FROM articles INDEXED BY idx_articles_listing "
        "ORDER BY id").fetchall()


def article_sentiments(store: Store) -> list[tuple[int, int, int]]:
    """(article id, annotator id, value) of every article sentiment."""
    return store.conn.execute(
        "SELECT article_id, annotator_id, value FROM article_sentiments").fetchall()


def actor_sentiments(store: Store) -> list[tuple[int, int, int, int]]:
    """(article id, actor id, annotator id, value) of every actor sentiment."""
    return store.conn.execute(
        "SELECT article_id, actor_id, annotator_id, value FROM actor_sentiments").fetchall()


def articles_annotated(store: Store) -> dict[str, int]:
    """How many articles each annotator has annotated (a mention, claim or sentiment)."""
    return dict(store.conn.execute(
        "SELECT n.name, count(DISTINCT t.article_id) FROM annotators n JOIN ("
        " SELECT article_id, annotator_id FROM mentions UNION"
        " SELECT article_id, annotator_id FROM claims UNION"
        " SELECT article_id, annotator_id FROM article_sentiments UNION"
        " SELECT article_id, annotator_id FROM actor_sentiments) t ON t.annotator_id = n.id "
        "GROUP BY n.name").fetchall())


__all__ = ["ArticleFact", "actor_sentiments", "article_facts", "article_sentiments",
           "articles_annotated"]
