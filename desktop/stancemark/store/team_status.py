"""What the window shows of a team project: its queue, what is waiting to be sent, and
when it last synced (issue 17).

All three live in the ``meta`` table, so no migration is needed: the queue is the list
of article uids the hub assigns to this member (written by a sync), the last sync is a
UTC timestamp, and what waits to be sent is counted from ``change_log`` after the last
sequence number pushed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from stancemark.store.team import PUSHED_SEQ

if TYPE_CHECKING:
    from stancemark.store.project import Store

#: meta keys: the member's queue (a JSON list of article uids) and the last good sync.
QUEUE, SYNCED_AT = "team_queue", "team_synced_at"


def save_queue(store: Store, uids: list[str]) -> None:
    """Keep the uids of the articles assigned to this member."""
    store.set_meta(QUEUE, json.dumps(sorted(set(uids))))


def queue_uids(store: Store) -> list[str] | None:
    """The uids of this member's queue; None if no sync has read it yet."""
    text = store.get_meta(QUEUE)
    if text is None:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return [str(u) for u in found] if isinstance(found, list) else None


def queue_articles(store: Store) -> list[tuple[int, str]]:
    """(article id, status) of each queued article this project holds, in id order."""
    text = store.get_meta(QUEUE)
    if not text:
        return []
    return [(int(r[0]), str(r[1])) for r in store.conn.execute(
        "SELECT a.id, a.status FROM articles a WHERE a.uid IN (SELECT value FROM json_each(?)) "
        "ORDER BY a.id", (text,))]


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


__all__ = ["QUEUE", "SYNCED_AT", "pending_count", "queue_articles", "queue_uids", "save_queue",
           "set_synced_at", "synced_at"]
