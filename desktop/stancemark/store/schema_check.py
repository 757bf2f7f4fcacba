"""Compare a project file's schema with what its version promises, and repair the derived parts.

A hand-edited or half-loaded file can lose a trigger (search then misses new
articles, counts go stale) or a table (commands fail with ``no such table``).
The expected schema of version *n* is what :data:`MIGRATIONS` ``[:n]`` build in an
empty in-memory database; any object missing or changed is either *derived*
(indexes, triggers, the search index, the count table: rebuilt from the data) or
*primary* (a table of the user's data: the file is refused).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from stancemark.store.schema import CURRENT_VERSION, MIGRATIONS

#: Tables whose rows are computed from the others; they can be rebuilt when lost.
_DERIVED_TABLES = {"articles_fts", "article_counts"}

#: The trigger name prefixes and what must be recomputed when one was missing.
_REBUILD_BY_TRIGGER = (
    ("articles_fts_", "search"),
    ("article_counts_", "counts"),
    ("registry_revision_", "registry"),
    ("change_log_", "changes"),
)

#: The tables whose rows team sync knows by a uuid (schema versions 6 and 7).
_UUID_TABLES = ("actor_types", "categories", "scale", "actors", "mentions", "claims",
                "article_sentiments", "actor_sentiments", "adjudications")

#: What a user is told each rebuild does.
_REBUILD_TEXT = {
    "search": "rebuilt the search index",
    "counts": "recounted the annotations of every article",
    "registry": "marked the actor registry as changed",
    "changes": "marked every row to be sent again on the next team sync",
}


@dataclass(frozen=True)
class SchemaObject:
    """One entry of ``sqlite_schema``: its type, the table it belongs to, its SQL."""

    type: str
    table: str
    sql: str


@dataclass
class SchemaDiff:
    """How a file's schema differs from its version's."""

    version: int
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    #: Names of missing or changed objects that cannot be rebuilt from the data.
    fatal: list[str] = field(default_factory=list)
    #: Objects the file has that only a later version makes (its number was lowered).
    ahead: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.changed

    @property
    def exact(self) -> bool:
        """The file has this version's schema, neither less nor more."""
        return self.ok and not self.ahead

    def describe(self) -> str:
        parts = []
        if self.missing:
            parts.append("missing: " + _names(self.missing))
        if self.changed:
            parts.append("changed: " + _names(self.changed))
        return "; ".join(parts)


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:6])
    return shown + (f" and {len(names) - 6} more" if len(names) > 6 else "")


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def read_schema(conn: sqlite3.Connection) -> dict[str, SchemaObject]:
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {name: SchemaObject(kind, table, _normal(sql)) for kind, name, table, sql in rows}


@cache
def expected_schema(version: int) -> dict[str, SchemaObject]:
    """The schema that migrations 1 … ``version`` build (cached per version)."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS[:version]:
            for statement in split_sql(script):
                conn.execute(statement)
        return read_schema(conn)
    finally:
        conn.close()


def split_sql(script: str) -> Iterator[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


def _derived_table(name: str) -> bool:
    return name in _DERIVED_TABLES or name.startswith("articles_fts_")


def _is_fatal(name: str, obj: SchemaObject) -> bool:
    return obj.type == "table" and not _derived_table(name)


def compare(conn: sqlite3.Connection, version: int) -> SchemaDiff:
    """What of version ``version``'s schema the file lacks or has changed.

    Objects the file has beyond it (an analyst's own index or view) are left alone.
    """
    have = read_schema(conn)
    diff = SchemaDiff(version)
    expected = expected_schema(version)
    diff.ahead = [n for n in expected_schema(CURRENT_VERSION) if n in have and n not in expected]
    for name, want in expected.items():
        got = have.get(name)
        if got is None:
            diff.missing.append(name)
        elif got.type != want.type or (got.sql != want.sql and want.sql):
            diff.changed.append(name)
        else:
            continue
        if _is_fatal(name, want):
            diff.fatal.append(name)
    return diff


def matching_version(conn: sqlite3.Connection) -> int | None:
    """The schema version whose objects the file has exactly, if any (for a tampered number)."""
    for version in range(CURRENT_VERSION, 0, -1):
        if compare(conn, version).exact:
            return version
    return None


def repair(conn: sqlite3.Connection, diff: SchemaDiff) -> list[str]:
    """Rebuild the derived objects ``diff`` names, inside the caller's transaction.

    Returns what was done, in words for the user. ``diff.fatal`` must be empty.
    """
    if diff.fatal:
        raise ValueError(f"cannot repair {diff.fatal}")
    want = expected_schema(diff.version)
    broken = [*diff.missing, *diff.changed]
    rebuild: set[str] = set()
    tables = {n for n in broken if want[n].type == "table"}
    if any(n.startswith("articles_fts") for n in tables):
        # FTS5 owns its shadow tables: drop them with it and make it all anew.
        conn.execute("DROP TABLE IF EXISTS articles_fts")
        for shadow in ("data", "idx", "docsize", "config", "content"):
            conn.execute(f"DROP TABLE IF EXISTS articles_fts_{shadow}")
        conn.execute(want["articles_fts"].sql)
        rebuild.add("search")
    if "article_counts" in tables:
        conn.execute("DROP TABLE IF EXISTS article_counts")
        conn.execute(want["article_counts"].sql)
        rebuild.add("counts")
    # Indexes and triggers: whatever is still missing or different (a table made anew
    # above lost its own indexes with it).
    have = read_schema(conn)
    for name, obj in want.items():
        if obj.type not in ("index", "trigger") or have.get(name) == obj:
            continue
        conn.execute(f"DROP {obj.type.upper()} IF EXISTS {name}")
        conn.execute(obj.sql)
        for prefix, what in _REBUILD_BY_TRIGGER:
            if obj.type == "trigger" and name.startswith(prefix):
                rebuild.add(what)
    if "search" in rebuild:
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    if "counts" in rebuild:
        conn.execute("DELETE FROM article_counts")
        conn.execute(
            "INSERT INTO article_counts(article_id, annotations) "
            "SELECT a.id, (SELECT count(*) FROM mentions m WHERE m.article_id = a.id)"
            " + (SELECT count(*) FROM claims c WHERE c.article_id = a.id) FROM articles a")
    if "registry" in rebuild:
        conn.execute("INSERT INTO meta(key, value) VALUES ('registry_revision', '1') "
                     "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
    if "changes" in rebuild:
        _log_everything(conn)
    done = [f"restored {_names(broken)}"]
    done += [_REBUILD_TEXT[w] for w in ("search", "counts", "registry", "changes")
             if w in rebuild]
    return done


def _log_everything(conn: sqlite3.Connection) -> None:
    """After a change-log trigger was lost, log every row as changed.

    Rows written meanwhile may lack their uuid or their log entry; a push is an upsert by
    uuid, so sending everything again is safe. (A deletion made meanwhile stays unsent.)
    """
    from stancemark.store.schema import _UUID_SQL

    for table in _UUID_TABLES:
        conn.execute(f"UPDATE {table} SET uuid = {_UUID_SQL} WHERE uuid IS NULL")
        conn.execute(f"INSERT INTO change_log(tbl, uuid, op) SELECT '{table}', uuid, 'update' "
                     f"FROM {table}")
    conn.execute("INSERT INTO change_log(tbl, uuid, op) SELECT 'articles', uid, 'update' "
                 "FROM articles ORDER BY id")


__all__ = ["SchemaDiff", "compare", "expected_schema", "matching_version", "read_schema",
           "repair", "split_sql"]
