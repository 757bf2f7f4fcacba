"""Pushing rows to the hub and pulling what changed there, one transaction each.

A push upserts by identity, so sending the same rows twice (after a sync was cut
short) changes nothing. A pull reads in one repeatable-read snapshot every row
written by a transaction at or after the cursor, and returns the snapshot's
``xmin`` as the next cursor: every transaction before it had ended when the snapshot
was taken, so no row is ever missed (a few may come twice, which applying ignores).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pg8000.native

from stancemark.core.errors import TeamError
from stancemark.core.team import ANNOTATION_KINDS, KINDS, WIRE_COLUMNS, Batch, key_of
from stancemark.sync.connection import hub_error, message

#: The cursor of a project that has never pulled.
START = "0"


@dataclass
class PushResult:
    """What the hub took of one push."""

    sent: int = 0
    #: Keys of the shared entries whose change the hub refused (another member's actor, say)
    #: or whose hub version differs: the pull that follows brings the hub's version back.
    refused: dict[str, list[str]] = field(default_factory=dict)


def _run(conn: pg8000.native.Connection, sql: str, what: str, **params: object) -> list:
    try:
        return conn.run(sql, **params)  # type: ignore[no-any-return]
    except pg8000.native.DatabaseError as exc:
        raise hub_error(exc, what) from None


def whoami(conn: pg8000.native.Connection) -> tuple[str, str | None, bool]:
    """The login's role name, its team role (None: not a member) and the blind setting."""
    try:
        row = conn.run("SELECT current_user::text, stancemark.my_role(), stancemark.blind()")
    except pg8000.native.DatabaseError as exc:
        raise TeamError(f"This database has no Stancemark team, or this login may not use it "
                        f"({message(exc)}).", "Ask the team's manager for a URL made by "
                        "`stancemark team add-coder`.") from None
    return str(row[0][0]), row[0][1], bool(row[0][2])


def _upsert_sql(kind: str) -> str:
    cols = WIRE_COLUMNS[kind]
    key = key_of(kind)
    names = ", ".join(cols)
    sets = ", ".join(f"{c} = excluded.{c}" for c in cols if c != key)
    return (f"INSERT INTO stancemark.{kind} AS t ({names}, deleted) "
            f"SELECT {names}, false FROM jsonb_populate_recordset(NULL::stancemark.{kind}, "
            f"CAST(:rows AS jsonb)) ON CONFLICT ({key}) DO UPDATE SET {sets}, deleted = false")


def _update_then_insert(conn: pg8000.native.Connection, kind: str, rows: list) -> list[str]:
    """Write shared rows the policies allow; returns the keys of those they refused."""
    cols = WIRE_COLUMNS[kind]
    key = key_of(kind)
    names = ", ".join(cols)
    src = (f"jsonb_populate_recordset(NULL::stancemark.{kind}, CAST(:rows AS jsonb))")
    payload = json.dumps(rows)
    sets = ", ".join(f"{c} = r.{c}" for c in cols if c != key)
    differs = " OR ".join(f"t.{c} IS DISTINCT FROM r.{c}" for c in cols if c != key)
    _run(conn, f"UPDATE stancemark.{kind} AS t SET {sets}, deleted = false FROM {src} AS r "
               f"WHERE t.{key} = r.{key} AND (t.deleted OR {differs})",
         f"changes to {kind}", rows=payload)
    _run(conn, f"INSERT INTO stancemark.{kind} ({names}) SELECT {names} FROM {src} AS r "
               f"ON CONFLICT ({key}) DO NOTHING", f"new {kind}", rows=payload)
    # What is still not as sent was refused by a policy (or changed by someone since).
    left = _run(conn, f"SELECT r.{key}::text FROM {src} AS r LEFT JOIN stancemark.{kind} AS t "
                      f"ON t.{key} = r.{key} WHERE t.{key} IS NULL OR t.deleted OR "
                      f"{differs}", f"checking {kind}", rows=payload)
    return [str(r[0]) for r in left]


def push(conn: pg8000.native.Connection, batch: Batch) -> PushResult:
    """Send ``batch`` in one transaction: all of it is taken, or none."""
    result = PushResult()
    _run(conn, "BEGIN", "a transaction")
    try:
        for kind in KINDS:
            rows = batch.rows.get(kind, [])
            for start in range(0, len(rows), 5000):
                chunk = rows[start:start + 5000]
                if kind in ANNOTATION_KINDS:
                    _run(conn, _upsert_sql(kind), f"your {kind}", rows=json.dumps(chunk))
                else:
                    refused = _update_then_insert(conn, kind, chunk)
                    if refused:
                        result.refused.setdefault(kind, []).extend(refused)
                result.sent += len(chunk)
        for kind in reversed(KINDS):
            keys = batch.tombstones.get(kind, [])
            if keys:
                key = key_of(kind)
                cast = "text" if key == "uid" else "uuid"
                _run(conn, f"UPDATE stancemark.{kind} SET deleted = true WHERE {key} = ANY("
                           f"CAST(:keys AS {cast}[])) AND NOT deleted", f"deleting {kind}",
                     keys=keys)
                result.sent += len(keys)
        _run(conn, "COMMIT", "the push")
    except BaseException:
        try:
            conn.run("ROLLBACK")
        except Exception:  # noqa: BLE001 - the connection is gone: the server rolled back
            pass
        raise
    return result


def pull(conn: pg8000.native.Connection, cursor: str,
         also: dict[str, list[str]] | None = None) -> tuple[Batch, str]:
    """Every row this login may read that was written at or after ``cursor``.

    ``also`` names rows to read whatever their age (kind -> keys): shared entries a push
    could not change, so the project gets the hub's version back.
    """
    batch = Batch()
    _run(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "a snapshot")
    try:
        nxt = str(_run(conn, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text",
                       "a snapshot")[0][0])
        if cursor != START and _run(
                conn, "SELECT 1 FROM stancemark.settings WHERE key = 'blind' "
                      "AND txid >= CAST(:c AS xid8)", "the settings", c=cursor):
            cursor = START  # what this login may read changed: read it all again
        # Articles newly assigned come whole, with what is visible of their annotations.
        fresh = [r[0] for r in _run(
            conn, "SELECT article_uid FROM stancemark.assignments WHERE coder = current_user "
                  "AND txid >= CAST(:c AS xid8)", "your assignments", c=cursor)]
        for kind in KINDS:
            cols = ", ".join(WIRE_COLUMNS[kind])
            article = "uid" if kind == "articles" else "article_uid"
            extra = f" OR {article} = ANY(CAST(:fresh AS text[]))" if kind not in (
                "actor_types", "categories", "scale", "actors") else ""
            params: dict[str, object] = {"c": cursor}
            if extra:
                params["fresh"] = fresh
            if also and also.get(kind):
                key = key_of(kind)
                extra += f" OR {key}::text = ANY(CAST(:also AS text[]))"
                params["also"] = also[kind]
            text = _run(conn, f"SELECT coalesce(json_agg(r), '[]')::text FROM (SELECT {cols}, "
                              f"deleted FROM stancemark.{kind} WHERE txid >= CAST(:c AS xid8)"
                              f"{extra}) r", f"reading {kind}", **params)[0][0]
            key = key_of(kind)
            for row in json.loads(text):
                if row.pop("deleted"):
                    batch.bury(kind, row[key])
                else:
                    batch.add(kind, row)
        _run(conn, "COMMIT", "the pull")
    except BaseException:
        try:
            conn.run("ROLLBACK")
        except Exception:  # noqa: BLE001 - the connection is gone
            pass
        raise
    return batch, nxt


def assign(conn: pg8000.native.Connection, coders: list[str], per_article: int) -> int:
    """Give each article without enough coders some of ``coders``, spreading the load.

    Returns how many assignments were made. Runs as a manager (the policies refuse
    anyone else).
    """
    if per_article < 1 or per_article > len(coders):
        raise TeamError(f"Cannot give each article {per_article} of {len(coders)} coders.",
                        "Use --per-article between 1 and the number of coders.")
    _run(conn, "BEGIN", "a transaction")
    try:
        known = {r[0] for r in _run(conn, "SELECT name FROM stancemark.coders "
                                          "WHERE name = ANY(CAST(:n AS text[]))",
                                    "the coders", n=coders)}
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise TeamError(f"Not in the team: {', '.join(unknown)}.",
                            "Add them with `stancemark team add-coder` first.")
        load = dict.fromkeys(coders, 0)
        for name, n in _run(conn, "SELECT coder, count(*) FROM stancemark.assignments "
                                  "WHERE NOT deleted AND coder = ANY(CAST(:n AS text[])) "
                                  "GROUP BY coder", "the assignments", n=coders):
            load[name] = int(n)
        have: dict[str, set[str]] = {}
        for uid, coder in _run(conn, "SELECT article_uid, coder FROM stancemark.assignments "
                                     "WHERE NOT deleted", "the assignments"):
            have.setdefault(uid, set()).add(coder)
        new: list[list[str]] = []
        for (uid,) in _run(conn, "SELECT uid FROM stancemark.articles WHERE NOT deleted "
                                 "ORDER BY uid", "the articles"):
            given = have.get(uid, set())
            for coder in sorted((c for c in coders if c not in given),
                                key=lambda c: (load[c], c))[:max(0, per_article - len(given))]:
                new.append([uid, coder])
                load[coder] += 1
        if new:
            _run(conn, "INSERT INTO stancemark.assignments(article_uid, coder) "
                       "SELECT x->>0, x->>1 FROM jsonb_array_elements(CAST(:rows AS jsonb)) x "
                       "ON CONFLICT (article_uid, coder) DO UPDATE SET deleted = false",
                 "the assignments", rows=json.dumps(new))
        _run(conn, "COMMIT", "the assignments")
    except BaseException:
        conn.run("ROLLBACK")
        raise
    return len(new)
