"""Claims with their article's date, and actors, as flat rows for the discourse networks.

One query each, no per-claim lookups: the networks of a 216,000-claim project
start from these rows. The services turn them into ``analysis`` input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancemark.store.project import Store

#: (claim id, article id, article published ISO or None, claimant id, target id,
#: category key, stance, annotator name)
ClaimRow = tuple[int, int, str | None, int | None, int | None, str | None, int | None, str]
#: (actor id, name, type key, affiliation id)
ActorRow = tuple[int, str, str | None, int | None]


def claim_rows(store: Store) -> list[ClaimRow]:
    """Every claim, in id order."""
    return store.conn.execute(
        "SELECT c.id, c.article_id, a.published, c.claimant_id, c.target_id, c.category, "
        "c.stance, n.name FROM claims c JOIN articles a ON a.id = c.article_id "
        "JOIN annotators n ON n.id = c.annotator_id ORDER BY c.id").fetchall()


def actor_rows(store: Store) -> list[ActorRow]:
    """Every actor (no aliases: the networks label nodes by name)."""
    return store.conn.execute(
        "SELECT id, name, type, affiliation_id FROM actors ORDER BY id").fetchall()
