"""Articles: insert (with duplicate detection), list, search, read, status."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from stancemark.core.errors import NotFoundError, ValidationError
from stancemark.core.filters import ArticleFilter
from stancemark.core.models import STATUSES, Article, ArticleDraft, ArticleSummary
from stancemark.core.text import normalize_newlines, text_hash

if TYPE_CHECKING:
    from stancemark.store.project import Store

_ARTICLE_COLS = ("id, uid, title, subtitle, source, url, author, published, language, status, "
                 "text, source_path, imported_at")

SORT_COLUMNS = {
    "title": "a.title COLLATE NOCASE",
    "published": "a.published",
    "source": "a.source COLLATE NOCASE",
    "status": "a.status",
    "annotations": "k.annotations",
    "id": "a.id",
}


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must appear, prefix match."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    return " ".join(f'"{w}"*' for w in words)


class ArticleRepo:
    """Articles of the project."""

    def __init__(self, store: Store) -> None:
        self._s = store

    # -- writing -----------------------------------------------------------
    def add_many(self, drafts: Iterable[ArticleDraft]) -> list[tuple[int | None, str]]:
        """Insert drafts in one transaction; return ``(id, uid)`` per draft, id None if a duplicate.

        A draft whose text hash is already in the project (or earlier in the same
        batch) is a duplicate and is not inserted; so is a draft cleaned from a file
        (its ``raw`` differs from its text) when an article came from the same path
        with the same text as read, however it was cleaned then.
        """
        from stancemark.store.project import now

        stamp = now()
        rows: list[tuple[object, ...]] = []
        raws: dict[str, str] = {}
        uids: list[str] = []
        cleaned: dict[str, tuple[str, str]] = {}  # uid -> (path, text as read)
        for d in drafts:
            text = normalize_newlines(d.text)
            uid = text_hash(text)
            uids.append(uid)
            if uid in raws:
                continue  # a duplicate within the batch
            raws[uid] = d.raw if d.raw and d.raw != text else ""
            if raws[uid] and d.source_path:
                cleaned[uid] = (d.source_path, raws[uid])
            rows.append((uid, d.title, d.subtitle, d.source, d.url, d.author,
                         d.published.isoformat() if d.published else None, d.language,
                         len(text), d.fmt, d.encoding, d.source_path,
                         json.dumps(d.meta, ensure_ascii=False, default=str), stamp, stamp,
                         text))
        with self._s.write() as conn:
            existing = self._ids_of(conn, list(raws))
            existing.update(self._same_file(conn, cleaned))
            rows = [r for r in rows if r[0] not in existing]
            # executemany: one statement for the batch, the costliest part of an import
            conn.executemany(
                "INSERT INTO articles(uid, title, subtitle, source, url, author, published, "
                "language, status, length, format, encoding, source_path, meta, imported_at,"
                " updated_at, text) VALUES (?,?,?,?,?,?,?,?,'new',?,?,?,?,?,?,?,?)", rows)
            new_ids = self._ids_of(conn, [str(r[0]) for r in rows])
            conn.executemany("INSERT INTO article_raw(article_id, raw) VALUES (?, ?)",
                             [(new_ids[uid], raws[uid]) for uid in new_ids if raws[uid]])
        results: list[tuple[int | None, str]] = []
        claimed: set[str] = set()
        for uid in uids:
            if uid in new_ids and uid not in claimed:
                claimed.add(uid)
                results.append((new_ids[uid], uid))
            else:
                results.append((None, uid))
        return results

    @staticmethod
    def _same_file(conn: sqlite3.Connection, cleaned: dict[str, tuple[str, str]]
                   ) -> dict[str, int]:
        """Of ``cleaned`` (uid -> path, text as read), those an article already came from:
        the same path, the same text as read (kept beside the article, or its text)."""
        paths = sorted({path for path, _raw in cleaned.values()})
        known: dict[tuple[str, str], int] = {}
        for i in range(0, len(paths), 500):
            chunk = paths[i:i + 500]
            for article_id, path, raw in conn.execute(
                    "SELECT a.id, a.source_path, coalesce(r.raw, a.text) FROM articles a "
                    "INDEXED BY idx_articles_source_path LEFT JOIN article_raw r "
                    f"ON r.article_id = a.id WHERE a.source_path IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                known[(path, raw)] = article_id
        return {uid: known[pair] for uid, pair in cleaned.items() if pair in known}

    @staticmethod
    def _ids_of(conn: sqlite3.Connection, uids: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in range(0, len(uids), 500):
            chunk = uids[i:i + 500]
            out.update(conn.execute(
                f"SELECT uid, id FROM articles WHERE uid IN ({','.join('?' * len(chunk))})",
                chunk))
        return out

    def web_addresses(self) -> dict[str, int]:
        """Every web address an article came from (its url, and the address it was
        imported from when that was a URL), with the article's id: one pass over the table."""
        rows = self._s.conn.execute(
            "SELECT url, id FROM articles WHERE url IS NOT NULL UNION ALL "
            "SELECT source_path, id FROM articles WHERE source_path LIKE 'http%'").fetchall()
        return {str(url): int(aid) for url, aid in rows}

    def add(self, draft: ArticleDraft) -> int | None:
        return self.add_many([draft])[0][0]

    def set_status(self, article_id: int, status: str) -> str:
        """Set the status; return the previous one."""
        if status not in STATUSES:
            raise ValidationError(f"Unknown status {status!r}.",
                                  f"Use one of: {', '.join(STATUSES)}.")
        from stancemark.store.project import now

        with self._s.write() as conn:
            old = self.status(article_id)
            conn.execute("UPDATE articles SET status = ?, updated_at = ? WHERE id = ?",
                         (status, now(), article_id))
        return old

    def delete(self, article_id: int) -> None:
        with self._s.write() as conn:
            conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    # -- reading -----------------------------------------------------------
    def status(self, article_id: int) -> str:
        row = self._s.conn.execute("SELECT status FROM articles WHERE id = ?",
                                   (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article {article_id}.")
        return str(row[0])

    def get(self, article_id: int) -> Article:
        row = self._s.conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?",
                                   (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article {article_id}.",
                                "List the project's articles to see which exist.")
        return Article(*row)

    def by_uid(self, uid: str) -> Article | None:
        row = self._s.conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE uid = ?",
                                   (uid,)).fetchone()
        return Article(*row) if row else None

    def raw(self, article_id: int) -> str:
        row = self._s.conn.execute("SELECT raw FROM article_raw WHERE article_id = ?",
                                   (article_id,)).fetchone()
        return str(row[0]) if row else self.get(article_id).text

    def _where(self, flt: ArticleFilter | None) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if flt is None:
            return "", params
        if flt.status:
            clauses.append("a.status = ?")
            params.append(flt.status)
        if flt.search and fts_query(flt.search):
            clauses.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts_query(flt.search))
        if flt.date_from:
            clauses.append("a.published >= ?")
            params.append(flt.date_from)
        if flt.date_to:
            clauses.append("a.published < date(?, '+1 day')")
            params.append(flt.date_to)
        if flt.ids is not None and len(flt.ids) > 500:
            # one parameter, however long the list (SQLite limits their number)
            clauses.append("a.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(flt.ids)))
        elif flt.ids is not None:
            clauses.append(f"a.id IN ({','.join('?' * len(flt.ids))})")
            params.extend(flt.ids)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count(self, flt: ArticleFilter | None = None) -> int:
        where, params = self._where(flt)
        return int(self._s.conn.execute(f"SELECT count(*) FROM articles a{where}",
                                        params).fetchone()[0])

    def ids(self, flt: ArticleFilter | None = None, order: str = "id") -> list[int]:
        where, params = self._where(flt)
        col = SORT_COLUMNS.get(order, "a.id")
        return [r[0] for r in self._s.conn.execute(
            f"SELECT a.id FROM articles a JOIN article_counts k ON k.article_id = a.id{where} "
            f"ORDER BY {col}, a.id", params)]

    def summaries(
        self,
        flt: ArticleFilter | None = None,
        *,
        order: str = "id",
        descending: bool = False,
        limit: int = -1,
        offset: int = 0,
    ) -> list[ArticleSummary]:
        """One page of the article list (no text is read)."""
        where, params = self._where(flt)
        col = SORT_COLUMNS.get(order, "a.id")
        direction = "DESC" if descending else "ASC"
        sql = (
            "SELECT a.id, a.title, a.published, a.source, a.status, k.annotations, a.length "
            f"FROM articles a JOIN article_counts k ON k.article_id = a.id{where} "
            f"ORDER BY {col} {direction}, a.id {direction} LIMIT ? OFFSET ?"
        )
        return [ArticleSummary(*r) for r in
                self._s.conn.execute(sql, [*params, limit, offset])]

    def summary(self, article_id: int) -> ArticleSummary:
        rows = self.summaries(ArticleFilter(ids=[article_id]))
        if not rows:
            raise NotFoundError(f"There is no article {article_id}.")
        return rows[0]

    def neighbour(self, article_id: int, step: int, *, unfinished: bool = False,
                  order: str = "id") -> int | None:
        """The next (step=+1) or previous (-1) article id, optionally skipping done ones."""
        ids = self.ids(order=order)
        if not ids:
            return None
        try:
            i = ids.index(article_id)
        except ValueError:
            i = -1 if step > 0 else len(ids)
        statuses = dict(self._s.conn.execute("SELECT id, status FROM articles")) \
            if unfinished else {}
        j = i + step
        while 0 <= j < len(ids):
            if not unfinished or statuses.get(ids[j]) != "done":
                return ids[j]
            j += step
        return None


