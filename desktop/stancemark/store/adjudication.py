"""The decisions of adjudication: which units of a gold set are settled, how, and from what.

One row per settled unit (table ``adjudications``, schema version 5). The gold
annotations are ordinary mentions, claims and sentiments of the gold annotator,
so every exporter and the JSONL merge see gold as one more annotator; this
table only adds provenance and the units closed without an annotation.
Inserts accept an explicit id and creation time so an undone decision comes
back as the very same row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stancemark.analysis.adjudication import Decision
from stancemark.core.errors import NotFoundError

if TYPE_CHECKING:
    from stancemark.store.project import Store

_SQL = ("SELECT d.id, n.name, d.article_id, d.layer, d.unit_key, d.outcome, d.decided_by, "
        "d.sources, d.mention_id, d.claim_id, d.created_at, d.uuid "
        "FROM adjudications d JOIN annotators n ON n.id = d.gold_id")


def _decision(row: Sequence[Any]) -> Decision:
    sources = {str(k): int(v) for k, v in json.loads(row[7]).items()}
    return Decision(row[0], row[1], row[2], row[3], row[4], row[5], row[6], sources,
                    row[8], row[9], row[10], row[11])


def decisions(store: Store, gold: str, article_ids: Sequence[int] | None = None
              ) -> list[Decision]:
    """The decisions of gold set ``gold`` (on ``article_ids``, default all), in article order."""
    sql = _SQL + " WHERE n.name = ?"
    params: list[Any] = [gold]
    if article_ids is not None:
        sql += " AND d.article_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps([int(i) for i in article_ids]))
    return [_decision(r) for r in store.conn.execute(
        sql + " ORDER BY d.article_id, d.layer, d.id", params)]


def decision(store: Store, decision_id: int) -> Decision:
    row = store.conn.execute(_SQL + " WHERE d.id = ?", (decision_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"There is no adjudication decision {decision_id}.")
    return _decision(row)


def add_decision(store: Store, gold: str, article_id: int, layer: str, unit_key: str,
                 outcome: str, decided_by: str, sources: dict[str, int], *,
                 mention_id: int | None = None, claim_id: int | None = None,
                 decision_id: int | None = None, created_at: str | None = None,
                 uuid: str | None = None) -> Decision:
    """Record a settled unit (one per unit and gold set: the table refuses a second)."""
    from stancemark.store.project import now

    with store.write() as conn:
        gold_id = store.annotator_id(gold)
        cur = conn.execute(
            "INSERT INTO adjudications(id, gold_id, article_id, layer, unit_key, outcome, "
            "decided_by, sources, mention_id, claim_id, created_at, uuid) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (decision_id, gold_id, article_id, layer, unit_key, outcome, decided_by,
             json.dumps(sources, sort_keys=True), mention_id, claim_id, created_at or now(),
             uuid))
        return decision(store, int(cur.lastrowid or 0))


def delete_decision(store: Store, decision_id: int) -> Decision:
    old = decision(store, decision_id)
    with store.write() as conn:
        conn.execute("DELETE FROM adjudications WHERE id = ?", (decision_id,))
    return old


def gold_sets(store: Store) -> list[str]:
    """Names of the annotators that hold a gold set (have at least one decision)."""
    return [r[0] for r in store.conn.execute(
        "SELECT DISTINCT n.name FROM adjudications d JOIN annotators n ON n.id = d.gold_id "
        "ORDER BY n.name")]


__all__ = ["add_decision", "decision", "decisions", "delete_decision", "gold_sets"]
