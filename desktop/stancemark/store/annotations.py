"""Mentions, claims and sentiments of articles.

Every insert accepts an explicit id so an undone deletion (or a redone
creation) brings the very same row back, and references to it stay valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import NotFoundError, ValidationError
from stancemark.core.models import Claim, Mention, Sentiment
from stancemark.core.spans import check_span

if TYPE_CHECKING:
    from stancemark.store.project import Store

_MENTION_SQL = (
    "SELECT m.id, m.article_id, m.start_offset, m.end_offset, m.text, m.actor_id, n.name, "
    "m.created_at, m.updated_at, m.uuid FROM mentions m JOIN annotators n ON n.id = m.annotator_id"
)
_CLAIM_SQL = (
    "SELECT c.id, c.article_id, c.start_offset, c.end_offset, c.text, c.claimant_id, "
    "c.target_id, c.category, c.stance, c.note, n.name, c.created_at, c.updated_at, c.uuid "
    "FROM claims c JOIN annotators n ON n.id = c.annotator_id"
)
CLAIM_FIELDS = ("claimant_id", "target_id", "category", "stance", "note")


class AnnotationRepo:
    """Annotations of articles; each write is one transaction."""

    def __init__(self, store: Store) -> None:
        self._s = store

    def _article_text(self, article_id: int) -> str:
        row = self._s.conn.execute("SELECT text FROM articles WHERE id = ?",
                                   (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article {article_id}.")
        return str(row[0])

    def _check_scale(self, value: int | None) -> None:
        if value is None:
            return
        ok = self._s.conn.execute("SELECT 1 FROM scale WHERE value = ?", (value,)).fetchone()
        if not ok:
            raise ValidationError(f"{value} is not a value of the codebook's scale.",
                                  "Pick a value from the scale.")

    # -- mentions ----------------------------------------------------------
    def add_mention(self, article_id: int, start: int, end: int, actor_id: int,
                    annotator: str, *, mention_id: int | None = None,
                    created_at: str | None = None, uuid: str | None = None) -> Mention:
        from stancemark.store.project import now

        text = check_span(self._article_text(article_id), start, end)
        stamp = now()
        with self._s.write() as conn:
            ann = self._s.annotator_id(annotator)
            if mention_id is None and conn.execute(
                    "SELECT 1 FROM mentions WHERE article_id = ? AND start_offset = ? AND "
                    "end_offset = ? AND actor_id = ? AND annotator_id = ?",
                    (article_id, start, end, actor_id, ann)).fetchone():
                raise ValidationError(f"'{text}' is already tagged as this actor.",
                                      "Select other text, or pick another actor.")
            cur = conn.execute(
                "INSERT INTO mentions(id, article_id, actor_id, start_offset, end_offset, text, "
                "annotator_id, created_at, updated_at, uuid) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (mention_id, article_id, actor_id, start, end, text, ann, created_at or stamp,
                 stamp, uuid or None))
            return self.mention(int(cur.lastrowid or 0))

    def mention(self, mention_id: int) -> Mention:
        row = self._s.conn.execute(_MENTION_SQL + " WHERE m.id = ?", (mention_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no mention {mention_id}.")
        return Mention(*row)

    def mentions(self, article_id: int, annotator: str | None = None) -> list[Mention]:
        sql = _MENTION_SQL + " WHERE m.article_id = ?"
        params: list[object] = [article_id]
        if annotator is not None:
            sql += " AND n.name = ?"
            params.append(annotator)
        return [Mention(*r) for r in self._s.conn.execute(
            sql + " ORDER BY m.start_offset, m.end_offset, m.id", params)]

    def update_mention(self, mention_id: int, *, start: int | None = None,
                       end: int | None = None, actor_id: int | None = None) -> Mention:
        """Change a mention's span or actor; returns the mention as it was before."""
        from stancemark.store.project import now

        old = self.mention(mention_id)
        start = old.start if start is None else start
        end = old.end if end is None else end
        text = check_span(self._article_text(old.article_id), start, end)
        with self._s.write() as conn:
            conn.execute(
                "UPDATE mentions SET start_offset = ?, end_offset = ?, text = ?, actor_id = ?, "
                "updated_at = ? WHERE id = ?",
                (start, end, text, old.actor_id if actor_id is None else actor_id, now(),
                 mention_id))
        return old

    def delete_mention(self, mention_id: int) -> Mention:
        old = self.mention(mention_id)
        with self._s.write() as conn:
            conn.execute("DELETE FROM mentions WHERE id = ?", (mention_id,))
        return old

    def restore_mention(self, m: Mention) -> Mention:
        return self.add_mention(m.article_id, m.start, m.end, m.actor_id, m.annotator,
                                mention_id=m.id, created_at=m.created_at, uuid=m.uuid)

    # -- claims ------------------------------------------------------------
    def add_claim(self, article_id: int, start: int, end: int, annotator: str, *,
                  claimant_id: int | None = None, target_id: int | None = None,
                  category: str | None = None, stance: int | None = None,
                  note: str | None = None, claim_id: int | None = None,
                  created_at: str | None = None, uuid: str | None = None) -> Claim:
        from stancemark.store.project import now

        text = check_span(self._article_text(article_id), start, end)
        self._check_scale(stance)
        stamp = now()
        with self._s.write() as conn:
            ann = self._s.annotator_id(annotator)
            cur = conn.execute(
                "INSERT INTO claims(id, article_id, start_offset, end_offset, text, claimant_id, "
                "target_id, category, stance, note, annotator_id, created_at, updated_at, uuid) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (claim_id, article_id, start, end, text, claimant_id, target_id, category,
                 stance, note, ann, created_at or stamp, stamp, uuid or None))
            return self.claim(int(cur.lastrowid or 0))

    def claim(self, claim_id: int) -> Claim:
        row = self._s.conn.execute(_CLAIM_SQL + " WHERE c.id = ?", (claim_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no claim {claim_id}.")
        return Claim(*row)

    def claims(self, article_id: int, annotator: str | None = None) -> list[Claim]:
        sql = _CLAIM_SQL + " WHERE c.article_id = ?"
        params: list[object] = [article_id]
        if annotator is not None:
            sql += " AND n.name = ?"
            params.append(annotator)
        return [Claim(*r) for r in self._s.conn.execute(
            sql + " ORDER BY c.start_offset, c.end_offset, c.id", params)]

    def claims_of_actor(self, actor_id: int, limit: int = 500) -> list[Claim]:
        """Claims the actor makes (as claimant), newest articles last, at most ``limit``."""
        return [Claim(*r) for r in self._s.conn.execute(
            _CLAIM_SQL + " WHERE c.claimant_id = ? ORDER BY c.article_id, c.start_offset "
            "LIMIT ?", (actor_id, limit))]

    def claims_by_ids(self, ids: Sequence[int], limit: int = 500) -> list[Claim]:
        """The claims with these ids (at most ``limit``), in article and text order."""
        wanted = list(ids)[:limit]
        out: list[Claim] = []
        for at in range(0, len(wanted), 500):  # SQLite's bound-parameter limit, with room
            chunk = wanted[at:at + 500]
            out += [Claim(*r) for r in self._s.conn.execute(
                _CLAIM_SQL + f" WHERE c.id IN ({', '.join('?' * len(chunk))})", chunk)]
        out.sort(key=lambda c: (c.article_id, c.start))
        return out

    def update_claim(self, claim_id: int, **fields: Any) -> Claim:
        """Change span (start/end) or any of CLAIM_FIELDS; returns the claim as it was."""
        from stancemark.store.project import now

        old = self.claim(claim_id)
        bad = set(fields) - set(CLAIM_FIELDS) - {"start", "end"}
        if bad:
            raise ValidationError(f"Cannot change {', '.join(sorted(bad))} of a claim.")
        if "stance" in fields:
            self._check_scale(fields["stance"])
        start = fields.pop("start", old.start)
        end = fields.pop("end", old.end)
        text = check_span(self._article_text(old.article_id), start, end)
        sets = "".join(f", {k} = ?" for k in fields)
        with self._s.write() as conn:
            conn.execute(
                f"UPDATE claims SET start_offset = ?, end_offset = ?, text = ?{sets}, "
                "updated_at = ? WHERE id = ?",
                [start, end, text, *fields.values(), now(), claim_id])
        return old

    def delete_claim(self, claim_id: int) -> Claim:
        old = self.claim(claim_id)
        with self._s.write() as conn:
            conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))
        return old

    def restore_claim(self, c: Claim) -> Claim:
        return self.add_claim(c.article_id, c.start, c.end, c.annotator,
                              claimant_id=c.claimant_id, target_id=c.target_id,
                              category=c.category, stance=c.stance, note=c.note,
                              claim_id=c.id, created_at=c.created_at, uuid=c.uuid)

    # -- sentiment ---------------------------------------------------------
    def sentiments(self, article_id: int, annotator: str | None = None) -> list[Sentiment]:
        """Article sentiment (actor_id None) and actor sentiments of one article."""
        params: list[Any] = [article_id]
        who = ""
        if annotator is not None:
            who = " AND n.name = ?"
            params.append(annotator)
        rows = self._s.conn.execute(
            "SELECT s.article_id, NULL, s.value, n.name, s.created_at, s.updated_at, s.uuid "
            "FROM article_sentiments s JOIN annotators n ON n.id = s.annotator_id "
            f"WHERE s.article_id = ?{who} UNION ALL "
            "SELECT s.article_id, s.actor_id, s.value, n.name, s.created_at, s.updated_at, "
            "s.uuid FROM actor_sentiments s JOIN annotators n ON n.id = s.annotator_id "
            f"WHERE s.article_id = ?{who}", params + params).fetchall()
        return [Sentiment(*r) for r in rows]

    def sentiment_row(self, article_id: int, actor_id: int | None,
                      annotator: str) -> Sentiment | None:
        for s in self.sentiments(article_id, annotator):
            if s.actor_id == actor_id:
                return s
        return None

    def sentiment(self, article_id: int, actor_id: int | None, annotator: str) -> int | None:
        row = self.sentiment_row(article_id, actor_id, annotator)
        return row.value if row else None

    def set_sentiment(self, article_id: int, actor_id: int | None, annotator: str,
                      value: int | None, *, created_at: str | None = None,
                      uuid: str | None = None) -> int | None:
        """Set (or with None clear) a sentiment; return the previous value.

        ``created_at`` is used when the row is new (an undo restoring a row exactly).
        """
        from stancemark.store.project import now

        self._check_scale(value)
        old = self.sentiment(article_id, actor_id, annotator)
        stamp = now()
        first = created_at or stamp
        with self._s.write() as conn:
            ann = self._s.annotator_id(annotator)
            if actor_id is None:
                if value is None:
                    conn.execute("DELETE FROM article_sentiments WHERE article_id = ? AND "
                                 "annotator_id = ?", (article_id, ann))
                else:
                    conn.execute(
                        "INSERT INTO article_sentiments(article_id, annotator_id, value, "
                        "created_at, updated_at, uuid) VALUES (?,?,?,?,?,?) ON CONFLICT DO "
                        "UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                        (article_id, ann, value, first, stamp, uuid or None))
            elif value is None:
                conn.execute("DELETE FROM actor_sentiments WHERE article_id = ? AND actor_id = ?"
                             " AND annotator_id = ?", (article_id, actor_id, ann))
            else:
                conn.execute(
                    "INSERT INTO actor_sentiments(article_id, actor_id, annotator_id, value, "
                    "created_at, updated_at, uuid) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO UPDATE "
                    "SET value = excluded.value, updated_at = excluded.updated_at",
                    (article_id, actor_id, ann, value, first, stamp, uuid or None))
        return old

    def count_for_article(self, article_id: int) -> int:
        row = self._s.conn.execute(
            "SELECT annotations FROM article_counts WHERE article_id = ?", (article_id,)
        ).fetchone()
        return int(row[0]) if row else 0
