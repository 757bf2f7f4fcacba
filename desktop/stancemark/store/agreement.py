"""Reading the annotations of chosen annotators and articles for agreement, in a few queries.

One query per annotation table, filtered by annotator and article in SQL and
mapped straight to :mod:`stancemark.core.models` dataclasses; the articles'
lengths come from the stored ``length`` column, so no article text is read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stancemark.core.coding import CodedArticle, CodingData
from stancemark.core.models import Claim, Mention, Sentiment

if TYPE_CHECKING:
    from stancemark.store.project import Store


def annotator_names(store: Store) -> list[str]:
    """Every annotator known to the project, by name."""
    return [r[0] for r in store.conn.execute("SELECT name FROM annotators ORDER BY name")]


def annotators_with_annotations(store: Store) -> list[str]:
    """Annotators who made at least one annotation of any kind, by name."""
    sql = ("SELECT name FROM annotators n WHERE "
           "EXISTS (SELECT 1 FROM mentions x WHERE x.annotator_id = n.id) OR "
           "EXISTS (SELECT 1 FROM claims x WHERE x.annotator_id = n.id) OR "
           "EXISTS (SELECT 1 FROM article_sentiments x WHERE x.annotator_id = n.id) OR "
           "EXISTS (SELECT 1 FROM actor_sentiments x WHERE x.annotator_id = n.id) "
           "ORDER BY name")
    return [r[0] for r in store.conn.execute(sql)]


def existing_article_ids(store: Store, ids: Sequence[int]) -> set[int]:
    """Those of ``ids`` that are articles of the project."""
    found: set[int] = set()
    for k in range(0, len(ids), 500):
        chunk = list(ids[k:k + 500])
        sql = f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
        found.update(r[0] for r in store.conn.execute(sql, chunk))
    return found


def read_coding(store: Store, annotators: Sequence[str],
                article_ids: Sequence[int] | None = None) -> CodingData:
    """The annotations of ``annotators`` on ``article_ids`` (default: every article they coded)."""
    names = list(annotators)
    ann_in = ",".join("?" * len(names))
    params: list[Any] = list(names)
    art_clause = ""
    if article_ids is not None:
        # one JSON parameter instead of a temp table: works on a read-only project too
        art_clause = " AND x.article_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps([int(i) for i in article_ids]))
    join = f"JOIN annotators n ON n.id = x.annotator_id AND n.name IN ({ann_in})"
    mentions = [Mention(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in store.conn.execute(
        "SELECT x.id, x.article_id, x.start_offset, x.end_offset, x.text, x.actor_id, n.name "
        f"FROM mentions x {join} WHERE 1{art_clause} "
        "ORDER BY x.article_id, x.start_offset, x.end_offset, x.id", params)]
    claims = [Claim(*r) for r in store.conn.execute(
        "SELECT x.id, x.article_id, x.start_offset, x.end_offset, x.text, x.claimant_id, "
        "x.target_id, x.category, x.stance, x.note, n.name "
        f"FROM claims x {join} WHERE 1{art_clause} "
        "ORDER BY x.article_id, x.start_offset, x.end_offset, x.id", params)]
    sentiments = [Sentiment(r[0], None, r[1], r[2]) for r in store.conn.execute(
        f"SELECT x.article_id, x.value, n.name FROM article_sentiments x {join} "
        f"WHERE 1{art_clause} ORDER BY x.article_id, n.name", params)]
    sentiments += [Sentiment(*r) for r in store.conn.execute(
        f"SELECT x.article_id, x.actor_id, x.value, n.name FROM actor_sentiments x {join} "
        f"WHERE 1{art_clause} ORDER BY x.article_id, x.actor_id, n.name", params)]
    coded: dict[int, set[str]] = {}
    for seq in (mentions, claims, sentiments):
        for a in seq:
            coded.setdefault(a.article_id, set()).add(a.annotator)
    wanted = sorted(coded) if article_ids is None else sorted({int(i) for i in article_ids})
    articles: dict[int, CodedArticle] = {}
    for k in range(0, len(wanted), 500):
        chunk = wanted[k:k + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.conn.execute(
                f"SELECT id, title, length FROM articles WHERE id IN ({marks})", chunk):
            articles[r[0]] = CodedArticle(r[0], r[1], r[2])
    actor_ids = {m.actor_id for m in mentions}
    actor_ids.update(s.actor_id for s in sentiments if s.actor_id is not None)
    for c in claims:
        actor_ids.update(i for i in (c.claimant_id, c.target_id) if i is not None)
    actor_names: dict[int, str] = {}
    ids = sorted(actor_ids)
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        actor_names.update(store.conn.execute(
            f"SELECT id, name FROM actors WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return CodingData(names, articles, {a: coded.get(a, set()) for a in articles},
                      mentions, claims, sentiments, actor_names)
