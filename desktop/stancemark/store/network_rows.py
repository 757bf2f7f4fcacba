"""Claims with their article's date, and actors, as flat rows for the discourse networks.

One query each, no per-claim lookups: the networks of a 216,000-claim project
start from these rows. The services turn them into ``analysis`` input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancemark.store.project import Store

#: (claim id, article id, claimant id, target id, category key, stance, annotator id)
ClaimRow = tuple[int, int, int | None, int | None, str | None, int | None, int]
#: (actor id, name, type key, affiliation id)
ActorRow = tuple[int, str, str | None, int | None]


def claim_rows(store: Store) -> list[ClaimRow]:
    """Every claim, in id order (no join: the dates come from :func:`article_dates`)."""
    return store.conn.execute(
        "SELECT id, article_id, claimant_id, target_id, category, stance, annotator_id "
        "FROM claims ORDER BY id").fetchall()


def article_dates(store: Store) -> dict[int, str | None]:
    """``published`` of every article, from the listing index (never the article pages)."""
    return dict(store.conn.execute(
        "SELECT id, published FROM articles INDEXED BY idx_articles_listing"))


def annotator_names(store: Store) -> dict[int, str]:
    return dict(store.conn.execute("SELECT id, name FROM annotators"))


def actor_rows(store: Store) -> list[ActorRow]:
    """Every actor (no aliases: the networks label nodes by name)."""
    return store.conn.execute(
        "SELECT id, name, type, affiliation_id FROM actors ORDER BY id").fetchall()
