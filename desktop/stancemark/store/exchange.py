"""Streaming the annotation sets of a project for export.

Rows are read with one ordered query per table and merged by article, instead
of a handful of queries per article, so exporting 100,000 claims costs little
more than selecting them.

This is also the one place where every exported row is checked against its
article, so no format can write a span that does not match the text: offsets
must be whole numbers with ``0 <= start < end <= len(text)``, the stored span
text must equal ``text[start:end]``, and every actor a row names must exist.
Rows that fail are left out of the stream, and once it ends
:class:`SpanMismatchError` names them (the first few and a count), so the
export is refused before anything replaces its output.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import ValidationError
from stancemark.core.models import Actor, Article, Claim, Mention

if TYPE_CHECKING:
    from stancemark.core.annotation_set import AnnotationSet
    from stancemark.core.filters import ExportFilter
    from stancemark.store.project import Store

_ART_COLS = ("a.id, a.uid, a.title, a.subtitle, a.source, a.url, a.author, a.published, "
             "a.language, a.status, a.text, a.source_path, a.imported_at")


#: How many bad rows an error names before it just counts the rest.
SHOWN_BAD_ROWS = 5


class SpanMismatchError(ValidationError):
    """Rows of a project whose spans or references do not fit their article."""

    def __init__(self, problems: list[str], count: int) -> None:
        more = f"; and {count - len(problems)} more" if count > len(problems) else ""
        super().__init__(
            f"{count} annotation row(s) do not match their article's text or actors, so "
            f"nothing was exported: {'; '.join(problems)}{more}.",
            "The project was changed outside Stancemark. Delete or redo these annotations "
            "in the window (or restore a copy of the project), then export again.")
        self.count = count


class _RowCheck:
    """Collects the rows that fail the span and reference rules."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.count = 0

    def bad(self, table: str, row_id: int, article: Article, start: Any, end: Any,
            why: str) -> None:
        self.count += 1
        if len(self.problems) < SHOWN_BAD_ROWS:
            where = f"article {article.id}"
            if start is not None or end is not None:
                where += f", offsets {start!r}–{end!r}"
            self.problems.append(f"{table} id {row_id} ({where}): {why}")

    def span(self, table: str, row_id: int, article: Article, start: Any, end: Any,
             text: Any) -> bool:
        if type(start) is not int or type(end) is not int:
            self.bad(table, row_id, article, start, end, "offsets are not whole numbers")
            return False
        if not 0 <= start < end <= len(article.text):
            self.bad(table, row_id, article, start, end,
                     f"outside the text ({len(article.text)} characters)")
            return False
        if article.text[start:end] != text:
            self.bad(table, row_id, article, start, end,
                     "the stored text differs from the article's text there")
            return False
        return True

    def raise_if_bad(self) -> None:
        if self.count:
            raise SpanMismatchError(self.problems, self.count)


def _rows_by_article(store: Store, sql: str, params: list[Any]) -> Iterator[tuple[int, list[Any]]]:
    cur = store.conn.execute(sql, params)
    for article_id, rows in groupby(cur, key=lambda r: r[0]):
        yield article_id, list(rows)


def iter_annotation_sets(store: Store, flt: ExportFilter) -> Iterator[AnnotationSet]:
    """Yield one set per (article, annotator), articles in id order, annotators by name."""
    from stancemark.core.annotation_set import AnnotationSet

    where, params = store.articles._where(flt.articles)
    ann_clause = ""
    ann_params: list[Any] = []
    if flt.annotators is not None:
        ann_clause = f" AND n.name IN ({','.join('?' * len(flt.annotators))})"
        ann_params = list(flt.annotators)
    sel = f"x.article_id IN (SELECT a.id FROM articles a{where})"
    empty: Iterator[tuple[int, list[Any]]] = iter(())

    def stream(sql: str, kind: str) -> Iterator[tuple[int, list[Any]]]:
        if kind not in flt.kinds:
            return empty
        return _rows_by_article(store, sql, [*params, *ann_params])

    mentions = stream(
        "SELECT x.article_id, n.name, x.id, x.start_offset, x.end_offset, x.text, x.actor_id, "
        "x.created_at, x.updated_at FROM mentions x JOIN annotators n ON n.id = x.annotator_id "
        f"WHERE {sel}{ann_clause} ORDER BY x.article_id, x.start_offset, x.end_offset, x.id",
        "mentions")
    claims = stream(
        "SELECT x.article_id, n.name, x.id, x.start_offset, x.end_offset, x.text, x.claimant_id,"
        " x.target_id, x.category, x.stance, x.note, x.created_at, x.updated_at FROM claims x "
        f"JOIN annotators n ON n.id = x.annotator_id WHERE {sel}{ann_clause} "
        "ORDER BY x.article_id, x.start_offset, x.end_offset, x.id", "claims")
    art_sent = stream(
        "SELECT x.article_id, n.name, x.value FROM article_sentiments x JOIN annotators n "
        f"ON n.id = x.annotator_id WHERE {sel}{ann_clause} ORDER BY x.article_id", "sentiment")
    act_sent = stream(
        "SELECT x.article_id, n.name, x.actor_id, x.value FROM actor_sentiments x JOIN "
        f"annotators n ON n.id = x.annotator_id WHERE {sel}{ann_clause} "
        "ORDER BY x.article_id, x.actor_id", "sentiment")
    streams = [mentions, claims, art_sent, act_sent]
    heads: list[tuple[int, list[Any]] | None] = [next(s, None) for s in streams]
    actor_cache = _ActorCache(store)
    check = _RowCheck()

    articles = store.conn.execute(
        f"SELECT {_ART_COLS} FROM articles a{where} ORDER BY a.id", params)
    for row in articles:
        article = Article(*row)
        per_stream: list[list[Any]] = []
        for i, s in enumerate(streams):
            head = heads[i]
            while head is not None and head[0] < article.id:
                head = next(s, None)
            if head is not None and head[0] == article.id:
                per_stream.append(head[1])
                head = next(s, None)
            else:
                per_stream.append([])
            heads[i] = head
        m_rows, c_rows, as_rows, xs_rows = per_stream
        if not isinstance(article.text, str):
            check.bad("articles", article.id, article, None, None, "its text is not text")
            continue
        names = sorted({r[1] for rows in per_stream for r in rows})
        if not names:
            if flt.annotators is None:
                yield AnnotationSet(article, None)
            continue
        if not (_spans_fine(m_rows, article.text) and _spans_fine(c_rows, article.text)):
            # the rare case: keep the good rows, name the bad ones
            m_rows = [r for r in m_rows if check.span("mentions", r[2], article, *r[3:6])]
            c_rows = [r for r in c_rows if check.span("claims", r[2], article, *r[3:6])]
        for name in names:
            aset = AnnotationSet(article, name)
            aset.mentions = [
                Mention(r[2], article.id, r[3], r[4], r[5], r[6], name, r[7], r[8])
                for r in m_rows if r[1] == name]
            aset.claims = [
                Claim(r[2], article.id, r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], name,
                      r[11], r[12])
                for r in c_rows if r[1] == name]
            aset.article_sentiment = next((r[2] for r in as_rows if r[1] == name), None)
            aset.actor_sentiments = {r[2]: r[3] for r in xs_rows if r[1] == name}
            ids = {m.actor_id for m in aset.mentions} | set(aset.actor_sentiments)
            for c in aset.claims:
                ids.update(i for i in (c.claimant_id, c.target_id) if i is not None)
            aset.actors = actor_cache.closure(ids)
            if not ids <= aset.actors.keys() or not _values_ok(aset):
                _check_references(check, aset)
            yield aset
    check.raise_if_bad()


def _spans_fine(rows: list[Any], text: str) -> bool:
    """Whether every row's ``[3]:[4]`` slice of ``text`` is its ``[5]`` (the fast path)."""
    n = len(text)
    try:
        for r in rows:
            start, end = r[3], r[4]
            if not 0 <= start < end <= n or text[start:end] != r[5]:
                return False
    except TypeError:  # an offset that is not a number (floats fail at the slice)
        return False
    return True


def _is_int(value: Any) -> bool:
    return type(value) is int


def _values_ok(aset: AnnotationSet) -> bool:
    return (all(c.stance is None or _is_int(c.stance) for c in aset.claims)
            and (aset.article_sentiment is None or _is_int(aset.article_sentiment))
            and all(_is_int(v) for v in aset.actor_sentiments.values()))


def _check_references(check: _RowCheck, aset: AnnotationSet) -> None:
    """Name the rows of ``aset`` that point at missing actors or hold non-numeric values.

    Called only when a cheap test found something, so the common case costs nothing.
    """
    known, art = aset.actors, aset.article
    for m in aset.mentions:
        if m.actor_id not in known:
            check.bad("mentions", m.id, art, m.start, m.end, f"unknown actor {m.actor_id!r}")
    for c in aset.claims:
        for role, actor_id in (("claimant", c.claimant_id), ("target", c.target_id)):
            if actor_id is not None and actor_id not in known:
                check.bad("claims", c.id, art, c.start, c.end, f"unknown {role} {actor_id!r}")
        if c.stance is not None and not _is_int(c.stance):
            check.bad("claims", c.id, art, c.start, c.end, f"stance {c.stance!r} is not a number")
    if aset.article_sentiment is not None and not _is_int(aset.article_sentiment):
        check.bad("article_sentiments", art.id, art, None, None,
                  f"value {aset.article_sentiment!r} is not a number")
    for actor_id, value in aset.actor_sentiments.items():
        if actor_id not in known or not _is_int(value):
            check.bad("actor_sentiments", art.id, art, None, None,
                      f"actor {actor_id!r}, value {value!r}")
    # keep the stream well formed for the exporters until the error is raised
    aset.mentions = [m for m in aset.mentions if m.actor_id in known]
    aset.claims = [c for c in aset.claims
                   if all(i is None or i in known for i in (c.claimant_id, c.target_id))
                   and (c.stance is None or _is_int(c.stance))]
    if aset.article_sentiment is not None and not _is_int(aset.article_sentiment):
        aset.article_sentiment = None
    aset.actor_sentiments = {k: v for k, v in aset.actor_sentiments.items()
                             if k in known and _is_int(v)}


class _ActorCache:
    """All actors loaded once (5,000 actors is small); affiliation closure per set."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._all: dict[int, Actor] | None = None

    def closure(self, ids: set[int]) -> dict[int, Actor]:
        if self._all is None:
            self._all = {a.id: a for a in self._store.actors.all()}
        out: dict[int, Actor] = {}
        todo = list(ids)
        while todo:
            actor_id = todo.pop()
            if actor_id in out or actor_id not in self._all:
                continue
            actor = self._all[actor_id]
            out[actor_id] = actor
            if actor.affiliation_id is not None:
                todo.append(actor.affiliation_id)
        return dict(sorted(out.items()))
