"""Reading and writing the codebook tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stancemark.core.codebook import ActorType, Category, Codebook, ScalePoint

if TYPE_CHECKING:
    from stancemark.store.project import Store


def _only_if_changed(*columns: str) -> str:
    """An upsert's condition: update (and so log a change for team sync) only a row
    whose values differ, so saving a codebook touches only what was edited."""
    return " WHERE " + " OR ".join(f"{c} IS NOT excluded.{c}" for c in columns)


class CodebookRepo:
    """The project's codebook; :meth:`save` replaces it in one transaction."""

    def __init__(self, store: Store) -> None:
        self._s = store

    def load(self) -> Codebook:
        c = self._s.conn
        return Codebook(
            actor_types=[ActorType(*r) for r in c.execute(
                "SELECT key, label, color, shortcut FROM actor_types ORDER BY position, key")],
            categories=[Category(*r) for r in c.execute(
                "SELECT key, label, parent, description, color, shortcut FROM categories "
                "ORDER BY position, key")],
            scale=[ScalePoint(*r) for r in c.execute(
                "SELECT value, label, color, shortcut FROM scale ORDER BY value")],
        )

    def save(self, book: Codebook, renames: dict[str, str] | None = None) -> None:
        """Replace the codebook with ``book``.

        Category keys in ``renames`` (old → new) are renamed in place so claims
        keep their category; categories and types that disappear are set to
        NULL on the claims and actors that used them.
        """
        with self._s.write() as conn:
            for old, new in (renames or {}).items():
                conn.execute("UPDATE categories SET key = ? WHERE key = ?", (new, old))
            keep_types = [t.key for t in book.actor_types]
            keep_cats = [c.key for c in book.categories]
            conn.execute(
                f"DELETE FROM actor_types WHERE key NOT IN ({','.join('?' * len(keep_types))})",
                keep_types)
            conn.execute(
                f"DELETE FROM categories WHERE key NOT IN ({','.join('?' * len(keep_cats))})",
                keep_cats)
            for i, t in enumerate(book.actor_types):
                conn.execute(
                    "INSERT INTO actor_types(key, label, color, shortcut, position) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET label = excluded.label,"
                    " color = excluded.color, shortcut = excluded.shortcut, "
                    "position = excluded.position" + _only_if_changed(
                        "label", "color", "shortcut", "position"),
                    (t.key, t.label, t.color, t.shortcut, i))
            # parents last: a child may be listed before its parent
            for i, cat in enumerate(book.categories):
                conn.execute(
                    "INSERT INTO categories(key, label, parent, description, color, shortcut, "
                    "position) VALUES (?, ?, NULL, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                    "label = excluded.label, description = excluded.description, "
                    "color = excluded.color, shortcut = excluded.shortcut, "
                    "position = excluded.position" + _only_if_changed(
                        "label", "description", "color", "shortcut", "position"),
                    (cat.key, cat.label, cat.description, cat.color, cat.shortcut, i))
            for cat in book.categories:
                conn.execute("UPDATE categories SET parent = ? WHERE key = ? AND parent IS NOT ?",
                             (cat.parent, cat.key, cat.parent))
            # Points kept keep their row (and so their uuid, which team sync knows them by).
            keep_points = [p.value for p in book.scale]
            conn.execute(
                f"DELETE FROM scale WHERE value NOT IN ({','.join('?' * len(keep_points))})",
                keep_points)
            conn.executemany(
                "INSERT INTO scale(value, label, color, shortcut) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(value) DO UPDATE SET label = excluded.label, "
                "color = excluded.color, shortcut = excluded.shortcut"
                + _only_if_changed("label", "color", "shortcut"),
                [(p.value, p.label, p.color, p.shortcut) for p in book.scale])

    def category_usage(self) -> dict[str, int]:
        """How many claims use each category key."""
        return {k: n for k, n in self._s.conn.execute(
            "SELECT category, count(*) FROM claims WHERE category IS NOT NULL GROUP BY category")}

    def move_claims(self, old: str, new: str | None) -> int:
        """Give every claim in category ``old`` the category ``new``; returns how many."""
        with self._s.write() as conn:
            return conn.execute("UPDATE claims SET category = ? WHERE category = ?",
                                (new, old)).rowcount
