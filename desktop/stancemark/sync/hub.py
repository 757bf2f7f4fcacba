"""Pushing rows to the hub and pulling what changed there, one transaction each.

A push upserts by identity, so sending the same rows twice (after a sync was cut
short) changes nothing. A change to a shared entry (codebook, registry, article
metadata) that the member may not make, or that meets a change someone else made at
the hub since the member's last pull, is not written: it becomes a *proposal* that a
manager decides (:func:`decide`), and the member's project gets the hub's version back.

A pull reads in one repeatable-read snapshot every row
written by a transaction at or after the cursor, and returns the snapshot's
``xmin`` as the next cursor: every transaction before it had ended when the snapshot
was taken, so no row is ever missed (a few may come twice, which applying ignores).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pg8000.native

from stancemark.core.errors import TeamError
from stancemark.core.team import (
    ADJUDICATIONS,
    KEEP,
    KINDS,
    SHARED_KINDS,
    WIRE_COLUMNS,
    Batch,
    Proposal,
    differences,
    key_of,
    merged,
    shared_fields,
    with_values,
)
from stancemark.sync.connection import hub_error, message
from stancemark.sync.hub_schema import SCHEMA_VERSION, too_new

#: The cursor of a project that has never pulled.
START = "0"


@dataclass
class PushResult:
    """What the hub took of one push."""

    sent: int = 0
    #: Keys of the shared entries whose change the hub did not take but holds as a proposal
    #: for a manager (another member's actor, say, or an entry changed there meanwhile):
    #: the pull that follows brings the hub's version back.
    refused: dict[str, list[str]] = field(default_factory=dict)


def _run(conn: pg8000.native.Connection, sql: str, what: str, **params: object) -> list:
    try:
        return conn.run(sql, **params)  # type: ignore[no-any-return]
    except pg8000.native.DatabaseError as exc:
        raise hub_error(exc, what) from None


def whoami(conn: pg8000.native.Connection) -> tuple[str, str | None, bool]:
    """The login's role name, its team role (None: not a member) and the blind setting.

    Refuses a hub of another version than this Stancemark's, saying who must act.
    """
    try:
        row = conn.run("SELECT current_user::text, stancemark.my_role(), stancemark.blind(), "
                       "(SELECT value FROM stancemark.settings WHERE key = 'schema')")
    except pg8000.native.DatabaseError as exc:
        raise TeamError(f"This database has no Stancemark team, or this login may not use it "
                        f"({message(exc)}).", "Ask the team's manager for a URL made by "
                        "`stancemark team add-coder`.") from None
    version = int(row[0][3] or 1)
    if version > SCHEMA_VERSION:
        raise too_new(version)
    if version < SCHEMA_VERSION:
        raise TeamError(f"The hub is version {version}; this Stancemark needs version "
                        f"{SCHEMA_VERSION}.", "Ask the team's administrator to run `stancemark "
                        "team init ADMIN_URL`: it upgrades the hub and keeps its data.")
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


def push(conn: pg8000.native.Connection, batch: Batch, *, cursor: str = START,
         me: str | None = None, role: str | None = None) -> PushResult:
    """Send ``batch`` in one transaction: all of it is taken, or none.

    ``cursor`` is the member's last pull: a shared entry written at the hub by someone
    else since then is in conflict with the member's change to it.
    """
    if me is None or role is None:
        me, role, _blind = whoami(conn)
    result = PushResult()
    _run(conn, "BEGIN", "a transaction")
    try:
        proposals: list[dict[str, object]] = []
        for kind in KINDS:
            rows = batch.rows.get(kind, [])
            for start in range(0, len(rows), 5000):
                chunk = rows[start:start + 5000]
                if kind in SHARED_KINDS:
                    more, taken = _shared(conn, kind, chunk, cursor, me, str(role))
                    proposals += more
                    result.sent += taken
                    continue
                if kind == ADJUDICATIONS:
                    _one_decision_per_unit(conn, chunk)
                _run(conn, _upsert_sql(kind), f"your {kind}", rows=json.dumps(chunk))
                result.sent += len(chunk)
        for kind in reversed(KINDS):
            keys = batch.tombstones.get(kind, [])
            if keys and kind in SHARED_KINDS:
                more, taken = _shared_deletions(conn, kind, keys, cursor, me, str(role))
                proposals += more
                result.sent += taken
            elif keys:
                key = key_of(kind)
                _run(conn, f"UPDATE stancemark.{kind} SET deleted = true WHERE {key} = ANY("
                           f"CAST(:keys AS uuid[])) AND NOT deleted", f"deleting {kind}",
                     keys=keys)
                result.sent += len(keys)
        if proposals:
            _run(conn, "INSERT INTO stancemark.proposals AS p (kind, key, proposed, hub, reason) "
                       "SELECT x->>'kind', x->>'key', NULLIF(x->'proposed', 'null'::jsonb), "
                       "NULLIF(x->'hub', 'null'::jsonb), x->>'reason' "
                       "FROM jsonb_array_elements(CAST(:rows AS jsonb)) x "
                       "ON CONFLICT (kind, key, proposed_by) WHERE status = 'open' DO UPDATE "
                       "SET proposed = excluded.proposed, hub = excluded.hub, "
                       "reason = excluded.reason, proposed_at = now() "
                       "WHERE p.proposed IS DISTINCT FROM excluded.proposed",
                 "your proposals", rows=json.dumps(proposals))
            for p in proposals:
                result.refused.setdefault(str(p["kind"]), []).append(str(p["key"]))
        _run(conn, "COMMIT", "the push")
    except BaseException:
        try:
            conn.run("ROLLBACK")
        except Exception:  # noqa: BLE001 - the connection is gone: the server rolled back
            pass
        raise
    return result


def _hub_versions(conn: pg8000.native.Connection, kind: str, keys: list[str], cursor: str
                  ) -> dict[str, dict[str, object]]:
    """The hub's rows of ``kind`` for ``keys`` that this login can see, with who wrote them
    last and whether that was after ``cursor``."""
    key = key_of(kind)
    cols = ", ".join((key, *shared_fields(kind)))
    cast = "text" if key == "uid" else "uuid"
    owner = ", created_by" if kind == "actors" else ""
    text = _run(conn, f"SELECT coalesce(json_agg(r), '[]')::text FROM (SELECT {cols}, deleted, "
                      f"updated_by{owner}, txid >= CAST(:c AS xid8) AS recent "
                      f"FROM stancemark.{kind} WHERE {key} = ANY(CAST(:keys AS {cast}[]))) r",
                f"reading {kind}", c=cursor, keys=keys)[0][0]
    return {str(r[key]): r for r in json.loads(text)}


def _entry(kind: str, row: dict[str, object] | None) -> dict[str, object] | None:
    """Only the identity and the shared fields of a row (an article without its text)."""
    if row is None:
        return None
    return {c: row.get(c) for c in (key_of(kind), *shared_fields(kind))}


def _proposal(kind: str, key: str, proposed: dict[str, object] | None,
              hub: dict[str, object], reason: str) -> dict[str, object]:
    return {"kind": kind, "key": key, "proposed": _entry(kind, proposed),
            "hub": None if hub.get("deleted") else _entry(kind, hub), "reason": reason}


def _why_not(kind: str, hub: dict[str, object], me: str, role: str) -> str | None:
    """Why ``me`` may not write the hub's row ``hub`` now (None: they may)."""
    if hub.get("recent") and hub.get("updated_by") != me:
        return f"{hub.get('updated_by') or 'someone'} changed it on the hub since your last sync"
    if role == "manager":
        return None
    if kind == "actors":
        return None if hub.get("created_by") == me else (
            f"added by {hub.get('created_by')}; only they or a manager may change it")
    return "only a manager may change it"


def _shared(conn: pg8000.native.Connection, kind: str, rows: list[dict[str, object]],
            cursor: str, me: str, role: str) -> tuple[list[dict[str, object]], int]:
    """Write the shared rows ``me`` may write; return proposals for the others, and how
    many rows the hub took or holds (not those it already has as sent, nor a coder's new
    codebook entry or article, which stays in their project).

    An entry the hub does not have is added when the member may add it (a manager; any
    member for an actor).
    """
    key = key_of(kind)
    hub = _hub_versions(conn, kind, [str(r[key]) for r in rows], cursor)
    write, proposals = [], []
    for row in rows:
        found = hub.get(str(row[key]))
        if found is None:
            if role == "manager" or kind == "actors":
                write.append(row)
            continue
        if not found["deleted"] and not differences(kind, found, row):
            continue
        why = _why_not(kind, found, me, role)
        if why is None:
            write.append(row)
        else:
            proposals.append(_proposal(kind, str(row[key]), row, found, why))
    taken = len(write) + len(proposals)  # a write the hub refuses becomes a proposal below
    if write:
        for left in _update_then_insert(conn, kind, write):
            row = next(r for r in write if str(r[key]) == left)
            proposals.append(_proposal(kind, left, row, hub.get(left) or {"deleted": True},
                                       "the hub refused it"))
    return proposals, taken


def _shared_deletions(conn: pg8000.native.Connection, kind: str, keys: list[str],
                      cursor: str, me: str, role: str) -> tuple[list[dict[str, object]], int]:
    hub = _hub_versions(conn, kind, keys, cursor)
    gone, proposals = [], []
    for key in keys:
        found = hub.get(key)
        if found is None or found["deleted"]:
            continue
        why = _why_not(kind, found, me, role)
        if why is None:
            gone.append(key)
        else:
            proposals.append(_proposal(kind, key, None, found, why))
    if gone:
        cast = "text" if key_of(kind) == "uid" else "uuid"
        _run(conn, f"UPDATE stancemark.{kind} SET deleted = true WHERE {key_of(kind)} = ANY("
                   f"CAST(:keys AS {cast}[])) AND NOT deleted", f"deleting {kind}", keys=gone)
    return proposals, len(gone) + len(proposals)


def _one_decision_per_unit(conn: pg8000.native.Connection, rows: list[dict[str, object]]
                           ) -> None:
    """A unit settled again (by another curator, or after an undo) keeps only the newest."""
    _run(conn, "UPDATE stancemark.adjudications AS t SET deleted = true FROM "
               "jsonb_populate_recordset(NULL::stancemark.adjudications, CAST(:rows AS jsonb)) "
               "AS r WHERE t.gold = r.gold AND t.article_uid = r.article_uid AND "
               "t.layer = r.layer AND t.unit_key = r.unit_key AND t.uuid <> r.uuid AND "
               "NOT t.deleted", "your adjudications", rows=json.dumps(rows))


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
        for uid, gone in _run(
                conn, "SELECT article_uid, deleted FROM stancemark.assignments "
                      "WHERE coder = current_user AND txid >= CAST(:c AS xid8)",
                "your assignments", c=cursor):
            batch.assignments[str(uid)] = not gone
        fresh = [uid for uid, given in batch.assignments.items() if given]
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
        batch.decided = [_read_proposal(r) for r in json.loads(_run(
            conn, f"SELECT coalesce(json_agg(r), '[]')::text FROM ({_PROPOSALS} "
                  "WHERE proposed_by = current_user AND status = 'decided' "
                  "AND txid >= CAST(:c AS xid8) ORDER BY id) r", "your proposals",
            c=cursor)[0][0])]
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
        _known(conn, coders)
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


def unassign(conn: pg8000.native.Connection, coders: list[str], articles: list[str] | None
             ) -> int:
    """Take articles (uids, unique uid prefixes or exact titles; None: all) back from ``coders``.

    Returns how many assignments ended. The articles stay on the hub, and each coder's
    annotations stay theirs; their next sync marks the articles unassigned in their project.
    """
    _run(conn, "BEGIN", "a transaction")
    try:
        _known(conn, coders)
        uids: list[str] | None = None
        if articles is not None:
            uids = []
            for given in articles:
                by_uid = re.fullmatch(r"[0-9a-fA-F]{4,64}", given) is not None
                found = [r[0] for r in _run(
                    conn, "SELECT uid FROM stancemark.articles WHERE NOT deleted AND "
                          "(lower(title) = lower(:t) OR (:h AND uid LIKE :p || '%')) LIMIT 2",
                    "the articles", t=given, h=by_uid, p=given.lower())]
                if not found:
                    raise TeamError(f"No article on the hub has the id or title '{given}'.",
                                    "Give its uid (or the uid's first characters) or its "
                                    "exact title.")
                if len(found) > 1:
                    raise TeamError(f"'{given}' names more than one article.",
                                    "Give more of the uid.")
                uids.append(found[0])
        done = _run(conn, "UPDATE stancemark.assignments SET deleted = true "
                          "WHERE coder = ANY(CAST(:c AS text[])) AND NOT deleted AND "
                          "(CAST(:u AS text[]) IS NULL OR article_uid = ANY(CAST(:u AS text[]))) "
                          "RETURNING 1", "the assignments", c=coders, u=uids)
        _run(conn, "COMMIT", "the assignments")
    except BaseException:
        conn.run("ROLLBACK")
        raise
    return len(done)


def _known(conn: pg8000.native.Connection, coders: list[str]) -> None:
    known = {r[0] for r in _run(conn, "SELECT name FROM stancemark.coders "
                                      "WHERE name = ANY(CAST(:n AS text[]))", "the coders",
                                n=coders)}
    unknown = [c for c in coders if c not in known]
    if unknown:
        raise TeamError(f"Not in the team: {', '.join(unknown)}.",
                        "Add them with `stancemark team add-coder` first.")


# -- proposals: shared entries a manager decides ---------------------------------------

_PROPOSALS = ("SELECT id, kind, key, proposed, hub, proposed_by, "
              "to_char(proposed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS proposed_at, "
              "reason, status, kept, decided_by, "
              "to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS decided_at, "
              "txid::text AS revision FROM stancemark.proposals")


def _read_proposal(row: dict[str, object]) -> Proposal:
    return Proposal(int(row["id"]), str(row["kind"]), str(row["key"]),  # type: ignore[call-overload]
                    row["proposed"], row["hub"],  # type: ignore[arg-type]
                    str(row["proposed_by"]), str(row["proposed_at"]), str(row["reason"]),
                    str(row["status"]), row["kept"], row["decided_by"],  # type: ignore[arg-type]
                    row["decided_at"], str(row["revision"]))  # type: ignore[arg-type]


def proposals(conn: pg8000.native.Connection, *, decided: bool = False) -> list[Proposal]:
    """The open proposals this login may read (a manager: all; a member: their own), each
    with the hub's version as it is now; ``decided`` adds the decided ones."""
    where = "" if decided else " WHERE status = 'open'"
    found = [_read_proposal(r) for r in json.loads(_run(
        conn, f"SELECT coalesce(json_agg(r), '[]')::text FROM ({_PROPOSALS}{where} "
              "ORDER BY id) r", "the proposals")[0][0])]
    by_kind: dict[str, list[Proposal]] = {}
    for p in found:
        if p.status == "open":
            by_kind.setdefault(p.kind, []).append(p)
    for kind, some in by_kind.items():
        now = _hub_versions(conn, kind, sorted({p.key for p in some}), START)
        for p in some:
            row = now.get(p.key)
            p.hub = None if row is None or row["deleted"] else _entry(kind, row)
    return found


def decide(conn: pg8000.native.Connection, proposal_id: int, keep: str,
           values: dict[str, str] | None = None, *, revision: str | None = None) -> Proposal:
    """Settle proposal ``proposal_id`` as a manager: keep the hub's version, the proposed one
    or both merged (``values`` then sets fields by hand). One transaction; the entry's new
    version reaches every member on their next sync.

    Keeping the proposed or merged version needs ``revision``, the one the listing showed
    (:attr:`Proposal.revision`): the proposer can still rewrite an open proposal, and a
    decision applies only what the manager read. Whatever the proposal holds, only the
    entry named by its key is written, and only its shared fields.
    """
    if keep not in KEEP:
        raise TeamError(f"Unknown choice '{keep}'.", "Use --keep hub, proposed or merged.")
    _run(conn, "BEGIN", "a transaction")
    try:
        me, role, _blind = whoami(conn)
        if role != "manager":
            raise TeamError(f"{me} is a {role or 'stranger'} here; only a manager decides "
                            "shared entries.", "Ask a manager of the team.")
        rows = json.loads(_run(conn, f"SELECT coalesce(json_agg(r), '[]')::text FROM "
                                     f"({_PROPOSALS} WHERE id = :i FOR UPDATE) r",
                               "the proposal", i=proposal_id)[0][0])
        if not rows:
            raise TeamError(f"There is no proposal #{proposal_id}.",
                            "List them with `stancemark team conflicts MANAGER_URL`.")
        p = _read_proposal(rows[0])
        if p.status != "open":
            raise TeamError(f"Proposal #{p.id} was decided already by {p.decided_by} "
                            f"(kept {p.kept}).", "Nothing to do.")
        kind, key = p.kind, key_of(p.kind)
        current = _hub_versions(conn, kind, [p.key], START).get(p.key)
        p.hub = None if current is None or current["deleted"] else _entry(kind, current)
        _check_revision(p, keep, revision)
        if p.proposed is not None:  # the entry of the proposal's key, whatever the row says
            p.proposed = {**(_entry(kind, p.proposed) or {}), key: p.key}
        try:
            result = {"hub": p.hub, "proposed": p.proposed}.get(keep) if keep != "merged" \
                else merged(kind, p.hub, p.proposed)
            if values:
                if result is None:
                    raise ValueError("a deletion has no fields to set")
                result = with_values(kind, result, values)
        except ValueError as exc:
            raise TeamError(f"Cannot decide #{p.id} that way: {exc}.",
                            "Choose another --keep, or other --set fields.") from None
        if result != p.hub:
            _write_decided(conn, kind, key, p.key, result, current)
        _run(conn, "UPDATE stancemark.proposals SET status = 'decided', kept = :k, "
                   "decided_by = current_user, decided_at = now(), "
                   "result = CAST(:r AS jsonb) WHERE id = :i", "deciding the proposal",
             k=keep, r=json.dumps(result), i=p.id)
        _run(conn, "COMMIT", "the decision")
    except BaseException:
        try:
            conn.run("ROLLBACK")
        except Exception:  # noqa: BLE001 - the connection is gone
            pass
        raise
    p.status, p.kept, p.decided_by = "decided", keep, me
    return p


def _check_revision(p: Proposal, keep: str, revision: str | None) -> None:
    """Refuse to keep anything of ``p`` unless the manager read it as it is now."""
    if revision is None and keep == "hub":
        return  # the hub's version (and --set values) take nothing from the proposal
    now = f"It now reads: {p.text()}."
    if revision is None:
        raise TeamError(f"Keeping the {keep} version of #{p.id} needs the revision "
                        "`team conflicts` listed with it.",
                        f"{now} If that is what you mean to keep, decide again with "
                        f"--revision {p.revision}.")
    if revision.strip() != p.revision:
        raise TeamError(f"Proposal #{p.id} changed after it was listed (revision "
                        f"{p.revision}, you read {revision.strip()}).",
                        f"{now} Check it, then decide again with --revision {p.revision}.")


def _write_decided(conn: pg8000.native.Connection, kind: str, key: str, value: str,
                   result: dict[str, object] | None, current: dict[str, object] | None
                   ) -> None:
    cast = "text" if key == "uid" else "uuid"
    if result is None:
        _run(conn, f"UPDATE stancemark.{kind} SET deleted = true WHERE {key} = "
                   f"CAST(:k AS {cast})", "deleting the entry", k=value)
        return
    fields = shared_fields(kind)
    src = f"jsonb_populate_record(NULL::stancemark.{kind}, CAST(:row AS jsonb))"
    if current is not None:
        sets = ", ".join(f"{c} = r.{c}" for c in fields)
        _run(conn, f"UPDATE stancemark.{kind} AS t SET {sets}, deleted = false FROM {src} AS r "
                   f"WHERE t.{key} = CAST(:k AS {cast})", "writing the entry",
             row=json.dumps(result), k=value)
    elif kind == "articles":
        raise TeamError("The article is not on the hub any more.",
                        "Publish it again from a manager's project, then decide.")
    else:
        names = ", ".join((key, *fields))
        _run(conn, f"INSERT INTO stancemark.{kind} ({names}) SELECT {names} FROM {src}",
             "adding the entry", row=json.dumps(result))
