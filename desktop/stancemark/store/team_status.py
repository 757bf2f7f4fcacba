"""What the window shows of a team project: its queue, what is waiting to be sent, and
when it last synced (issue 17).

The queue is the articles the hub assigns to this member that the project holds
(``team_assignments``, written by each pull; an article taken back stays with the
member's work but leaves the queue); the last sync is a UTC timestamp in ``meta``;
what waits to be sent is counted from ``change_log`` after the last sequence number
pushed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from stancemark.store.team import PULL_CURSOR, PUSHED_SEQ

if TYPE_CHECKING:
    from stancemark.store.project import Store

#: meta key of the last good sync.
SYNCED_AT = "team_synced_at"


def queue_articles(store: Store) -> list[tuple[int, str]] | None:
    """(article id, status) of each article in this member's queue, in id order; None
    until a sync has read the member's assignments."""
    if store.get_meta(PULL_CURSOR) in (None, "0"):
        return None
    return [(int(r[0]), str(r[1])) for r in store.conn.execute(
        "SELECT a.id, a.status FROM team_assignments t JOIN articles a ON a.id = t.article_id "
        "WHERE t.assigned ORDER BY a.id")]


def set_synced_at(store: Store, stamp: str) -> None:
    store.set_meta(SYNCED_AT, stamp)


def synced_at(store: Store) -> str | None:
    """When this project last synced without an error (UTC, ISO 8601), if ever."""
    return store.get_meta(SYNCED_AT)


def pending_count(store: Store, tables: tuple[str, ...], annotators: list[str]) -> int:
    """How many rows changed here since the last push, of ``tables``, that a sync would send.

    A row changed several times counts once; annotations count only when made by one of
    ``annotators`` (or deleted: a deleted row's annotator is no longer known).
    """
    after = int(store.get_meta(PUSHED_SEQ) or 0)
    if not tables:
        return 0
    names = json.dumps(annotators)
    total = 0
    for table in tables:
        if table in ("mentions", "claims", "article_sentiments", "actor_sentiments"):
            sql = (f"SELECT count(DISTINCT c.uuid) FROM change_log c LEFT JOIN {table} x "
                   f"ON x.uuid = c.uuid LEFT JOIN annotators n ON n.id = x.annotator_id "
                   f"WHERE c.tbl = ? AND c.seq > ? AND c.origin IS NULL AND (x.uuid IS NULL "
                   f"OR n.name IN (SELECT value FROM json_each(?)))")
            params: tuple[object, ...] = (table, after, names)
        else:
            sql = ("SELECT count(DISTINCT uuid) FROM change_log WHERE tbl = ? AND seq > ? "
                   "AND origin IS NULL")
            params = (table, after)
        total += int(store.conn.execute(sql, params).fetchone()[0])
    return total


__all__ = ["SYNCED_AT", "pending_count", "queue_articles", "set_synced_at", "synced_at"]
