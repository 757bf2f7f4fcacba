"""Actors and their aliases."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import NotFoundError, ValidationError
from stancemark.core.models import Actor

if TYPE_CHECKING:
    from stancemark.store.project import Store


class ActorRepo:
    """The project's actor registry."""

    def __init__(self, store: Store) -> None:
        self._s = store

    def _aliases(self, ids: Iterable[int] | None = None) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        if ids is None:
            rows = self._s.conn.execute(
                "SELECT actor_id, alias FROM actor_aliases ORDER BY actor_id, id")
        else:
            id_list = list(ids)
            rows = self._s.conn.execute(
                "SELECT actor_id, alias FROM actor_aliases WHERE actor_id IN "
                f"({','.join('?' * len(id_list))}) ORDER BY actor_id, id", id_list)
        for actor_id, alias in rows:
            out.setdefault(actor_id, []).append(alias)
        return out

    def uuid(self, actor_id: int) -> str:
        """The actor's stable identity (team sync)."""
        row = self._s.conn.execute("SELECT uuid FROM actors WHERE id = ?",
                                   (actor_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no actor {actor_id}.")
        return str(row[0])

    def created_at(self, actor_id: int) -> str:
        row = self._s.conn.execute("SELECT created_at FROM actors WHERE id = ?",
                                   (actor_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no actor {actor_id}.")
        return str(row[0])

    def all(self) -> list[Actor]:
        aliases = self._aliases()
        return [Actor(r[0], r[1], r[2], r[3], aliases.get(r[0], []), r[4]) for r in
                self._s.conn.execute(
                    "SELECT id, name, type, affiliation_id, note FROM actors "
                    "ORDER BY name COLLATE NOCASE")]

    def get(self, actor_id: int) -> Actor:
        row = self._s.conn.execute(
            "SELECT id, name, type, affiliation_id, note FROM actors WHERE id = ?",
            (actor_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no actor {actor_id}.")
        return Actor(row[0], row[1], row[2], row[3], self._aliases([actor_id]).get(actor_id, []),
                     row[4])

    def by_name(self, name: str) -> Actor | None:
        """The actor whose name (or failing that, alias) is ``name``, case-insensitively."""
        row = self._s.conn.execute(
            "SELECT id FROM actors WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
        if row is None:
            row = self._s.conn.execute(
                "SELECT actor_id FROM actor_aliases WHERE alias = ? COLLATE NOCASE LIMIT 1",
                (name,)).fetchone()
        return self.get(row[0]) if row else None

    def add(
        self,
        name: str,
        type: str | None = None,
        *,
        aliases: Iterable[str] = (),
        affiliation_id: int | None = None,
        note: str | None = None,
        actor_id: int | None = None,
        created_at: str | None = None,
        uuid: str | None = None,
    ) -> int:
        """Create an actor (``actor_id``/``created_at``/``uuid`` restore one exactly).

        Returns its id.
        """
        from stancemark.store.project import now

        name = name.strip()
        if not name:
            raise ValidationError("An actor needs a name.", "Type a name for the actor.")
        if self._s.conn.execute("SELECT 1 FROM actors WHERE name = ?", (name,)).fetchone():
            raise ValidationError(f"There is already an actor called {name!r}.",
                                  "Pick that actor, or choose another name.")
        stamp = now()
        with self._s.write() as conn:
            cur = conn.execute(
                "INSERT INTO actors(id, name, type, affiliation_id, note, created_at, updated_at,"
                " uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (actor_id, name, type, affiliation_id, note, created_at or stamp, stamp,
                 uuid or None))
            new_id = int(cur.lastrowid or 0)
            self.set_aliases(new_id, aliases)
        return new_id

    def update(self, actor_id: int, **fields: Any) -> dict[str, Any]:
        """Change name/type/affiliation_id/note; return the previous values of those fields."""
        from stancemark.store.project import now

        allowed = {"name", "type", "affiliation_id", "note"}
        bad = set(fields) - allowed
        if bad:
            raise ValidationError(f"Cannot change {', '.join(sorted(bad))} of an actor.")
        actor = self.get(actor_id)
        old = {k: getattr(actor, k) for k in fields}
        if not fields:
            return old
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self._s.write() as conn:
            conn.execute(f"UPDATE actors SET {sets}, updated_at = ? WHERE id = ?",
                         [*fields.values(), now(), actor_id])
        return old

    def set_aliases(self, actor_id: int, aliases: Iterable[str]) -> list[str]:
        """Replace the aliases; return the previous list."""
        old = self._aliases([actor_id]).get(actor_id, [])
        clean = list(dict.fromkeys(a.strip() for a in aliases if a.strip()))
        with self._s.write() as conn:
            conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (actor_id,))
            conn.executemany("INSERT INTO actor_aliases(actor_id, alias) VALUES (?, ?)",
                             [(actor_id, a) for a in clean])
        return old

    def delete(self, actor_id: int) -> None:
        with self._s.write() as conn:
            conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))

    def usage(self, actor_id: int) -> dict[str, int]:
        """How many mentions, claims (as claimant or target) and sentiments use the actor."""
        c = self._s.conn
        return {
            "mentions": c.execute("SELECT count(*) FROM mentions WHERE actor_id = ?",
                                  (actor_id,)).fetchone()[0],
            "claims": c.execute(
                "SELECT count(*) FROM claims WHERE claimant_id = ? OR target_id = ?",
                (actor_id, actor_id)).fetchone()[0],
            "sentiments": c.execute("SELECT count(*) FROM actor_sentiments WHERE actor_id = ?",
                                    (actor_id,)).fetchone()[0],
        }
