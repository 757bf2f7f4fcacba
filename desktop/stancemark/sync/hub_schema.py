"""The hub's tables, roles and row-level-security policies (``team init``, ``team add-coder``).

Everything lives in the schema ``stancemark`` of the team's database and is owned by
the administrator who ran ``team init``. Each team member is a PostgreSQL login role
(SCRAM password) listed in ``stancemark.coders`` with a role of :data:`ROLES`, and a
member of one group role that holds the table privileges. The policies below then
decide row by row, inside PostgreSQL:

* a coder reads the articles assigned to them, the codebook, the registry and their
  own annotations, and others' annotations of their articles only when the team is
  not blind; they write only annotations whose annotator is their own role name, and
  add actors (changing only those they added);
* a curator reads everything and writes, besides their own, the gold annotator's;
* a manager reads everything and edits articles, assignments, codebook and registry.

Nobody but the administrator deletes rows: a deletion is a tombstone (``deleted``).
Every row carries ``txid``, the transaction that last wrote it, so a pull asks only
for rows written since its last snapshot.

Version 2 adds ``proposals`` (a member's change to a shared entry that a manager
decides: any member adds their own, only a manager decides), ``adjudications`` (the
curators' decisions behind the gold set) and ``updated_by`` on shared entries (who
wrote a row last, to tell a concurrent change from one's own). A proposal's row must
carry the proposal's own key, so a member cannot point one at another entry. The
policies are not part of the version: every ``team init`` re-makes them, so an
administrator who updates Stancemark runs ``team init`` again. The hub's version is
the setting ``schema``; ``team init`` applies the missing steps of :data:`MIGRATIONS`
in order, in the one transaction that also re-makes the policies.
"""

from __future__ import annotations

import re
import secrets

import pg8000.native
from pg8000.native import identifier, literal

from stancemark.core.errors import TeamError
from stancemark.core.team import ANNOTATION_KINDS, GOLD_ANNOTATOR, ROLES, SHARED_KINDS, key_of

_TABLES = """
CREATE SCHEMA IF NOT EXISTS stancemark;
CREATE TABLE IF NOT EXISTS stancemark.settings (
    key   text PRIMARY KEY,
    value text NOT NULL,
    txid  xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE IF NOT EXISTS stancemark.coders (
    name       text PRIMARY KEY,
    role       text NOT NULL CHECK (role IN ('coder', 'curator', 'manager')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS stancemark.articles (
    uid       text PRIMARY KEY,
    title     text, subtitle text, source text, url text, author text, published text,
    language  text,
    meta      jsonb NOT NULL DEFAULT '{}',
    text      text NOT NULL,
    deleted   boolean NOT NULL DEFAULT false,
    txid      xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE IF NOT EXISTS stancemark.assignments (
    article_uid text NOT NULL REFERENCES stancemark.articles(uid),
    coder       text NOT NULL REFERENCES stancemark.coders(name) ON DELETE CASCADE,
    deleted     boolean NOT NULL DEFAULT false,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (article_uid, coder)
);
CREATE INDEX IF NOT EXISTS assignments_coder ON stancemark.assignments(coder, article_uid);
CREATE TABLE IF NOT EXISTS stancemark.actor_types (
    uuid uuid PRIMARY KEY, key text NOT NULL, label text NOT NULL, color text NOT NULL,
    shortcut text, position integer NOT NULL DEFAULT 0,
    deleted boolean NOT NULL DEFAULT false, txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE IF NOT EXISTS stancemark.categories (
    uuid uuid PRIMARY KEY, key text NOT NULL, label text NOT NULL, parent text,
    description text NOT NULL DEFAULT '', color text NOT NULL, shortcut text,
    position integer NOT NULL DEFAULT 0,
    deleted boolean NOT NULL DEFAULT false, txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE IF NOT EXISTS stancemark.scale (
    uuid uuid PRIMARY KEY, value integer NOT NULL, label text NOT NULL, color text NOT NULL,
    shortcut text,
    deleted boolean NOT NULL DEFAULT false, txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE IF NOT EXISTS stancemark.actors (
    uuid uuid PRIMARY KEY, name text NOT NULL, type text, affiliation uuid, note text,
    aliases text[] NOT NULL DEFAULT '{}',
    created_by text NOT NULL DEFAULT current_user,
    deleted boolean NOT NULL DEFAULT false, txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE IF NOT EXISTS stancemark.mentions (
    uuid uuid PRIMARY KEY, article_uid text NOT NULL, actor uuid,
    start_offset integer CHECK (start_offset >= 0), end_offset integer, text text,
    annotator text NOT NULL DEFAULT current_user, created_at text, updated_at text,
    deleted boolean NOT NULL DEFAULT false, txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE IF NOT EXISTS stancemark.claims (
    uuid uuid PRIMARY KEY, article_uid text NOT NULL,
    start_offset integer CHECK (start_offset >= 0), end_offset integer, text text,
    claimant uuid, target uuid, category text, stance integer, note text,
    annotator text NOT NULL DEFAULT current_user, created_at text, updated_at text,
    deleted boolean NOT NULL DEFAULT false, txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE IF NOT EXISTS stancemark.article_sentiments (
    uuid uuid PRIMARY KEY, article_uid text NOT NULL,
    annotator text NOT NULL DEFAULT current_user, value integer,
    created_at text, updated_at text,
    deleted boolean NOT NULL DEFAULT false, txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE IF NOT EXISTS stancemark.actor_sentiments (
    uuid uuid PRIMARY KEY, article_uid text NOT NULL, actor uuid,
    annotator text NOT NULL DEFAULT current_user, value integer,
    created_at text, updated_at text,
    deleted boolean NOT NULL DEFAULT false, txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);

-- Who the current login is in the team, and the team's settings, for the policies.
CREATE OR REPLACE FUNCTION stancemark.my_role() RETURNS text
    LANGUAGE sql STABLE AS $$ SELECT role FROM stancemark.coders WHERE name = current_user $$;
CREATE OR REPLACE FUNCTION stancemark.blind() RETURNS boolean
    LANGUAGE sql STABLE AS
    $$ SELECT coalesce((SELECT value = 'true' FROM stancemark.settings WHERE key = 'blind'),
                       false) $$;
CREATE OR REPLACE FUNCTION stancemark.assigned(uid text) RETURNS boolean
    LANGUAGE sql STABLE AS
    $$ SELECT EXISTS (SELECT 1 FROM stancemark.assignments a
                      WHERE a.article_uid = uid AND a.coder = current_user AND NOT a.deleted) $$;
-- A write stamps the row with its transaction, whatever the client sent.
CREATE OR REPLACE FUNCTION stancemark.stamp() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN NEW.txid := pg_current_xact_id(); RETURN NEW; END $$;
"""

# Functions of version 2 and later, re-made by every ``team init``.
_FUNCTIONS = """
-- A shared entry also records who wrote it last.
CREATE OR REPLACE FUNCTION stancemark.stamp_shared() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN NEW.txid := pg_current_xact_id();
                              NEW.updated_by := current_user; RETURN NEW; END $$;
"""

_SHARED = ("articles", "actor_types", "categories", "scale", "actors")

_V2 = """
ALTER TABLE stancemark.articles ADD COLUMN IF NOT EXISTS updated_by text;
ALTER TABLE stancemark.actor_types ADD COLUMN IF NOT EXISTS updated_by text;
ALTER TABLE stancemark.categories ADD COLUMN IF NOT EXISTS updated_by text;
ALTER TABLE stancemark.scale ADD COLUMN IF NOT EXISTS updated_by text;
ALTER TABLE stancemark.actors ADD COLUMN IF NOT EXISTS updated_by text;
CREATE TABLE IF NOT EXISTS stancemark.proposals (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('articles', 'actor_types', 'categories', 'scale',
                                             'actors')),
    key         text NOT NULL,
    proposed    jsonb,
    hub         jsonb,
    reason      text NOT NULL DEFAULT '',
    proposed_by text NOT NULL DEFAULT current_user,
    proposed_at timestamptz NOT NULL DEFAULT now(),
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided')),
    kept        text CHECK (kept IN ('hub', 'proposed', 'merged')),
    decided_by  text,
    decided_at  timestamptz,
    result      jsonb,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE UNIQUE INDEX IF NOT EXISTS proposals_open ON stancemark.proposals(kind, key, proposed_by)
    WHERE status = 'open';
CREATE TABLE IF NOT EXISTS stancemark.adjudications (
    uuid uuid PRIMARY KEY, gold text NOT NULL, article_uid text NOT NULL,
    layer text NOT NULL, unit_key text NOT NULL, outcome text NOT NULL,
    decided_by text NOT NULL, sources jsonb NOT NULL DEFAULT '{}',
    mention uuid, claim uuid, created_at text,
    deleted boolean NOT NULL DEFAULT false, txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX IF NOT EXISTS adjudications_unit
    ON stancemark.adjudications(gold, article_uid, layer, unit_key);
"""

#: MIGRATIONS[i] brings a hub at version i + 1 to i + 2 (version 1 is ``_TABLES``).
#: Never edit a step that has shipped; append one.
MIGRATIONS: list[str] = [_V2]

#: The hub version this Stancemark makes and speaks.
SCHEMA_VERSION = 1 + len(MIGRATIONS)

_STAMPED = ("settings", "articles", "assignments", "actor_types", "categories", "scale",
            "actors", *ANNOTATION_KINDS, "proposals", "adjudications")


def _policies(team: str) -> list[str]:
    """Grants and row-level-security policies, re-made on every ``team init``."""
    g = identifier(team)
    gold = literal(GOLD_ANNOTATOR)
    reader = "stancemark.my_role() IN ('curator', 'manager')"
    manager = "stancemark.my_role() = 'manager'"
    curator = "stancemark.my_role() = 'curator'"
    out = [f"GRANT USAGE ON SCHEMA stancemark TO {g}",
           f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA stancemark TO {g}",
           f"GRANT SELECT ON stancemark.settings, stancemark.coders TO {g}",
           f"GRANT USAGE ON SEQUENCE stancemark.proposals_id_seq TO {g}"]
    # table -> (policy, command, USING, WITH CHECK)
    policies: dict[str, list[tuple[str, str, str | None, str | None]]] = {
        "settings": [("read", "SELECT", "true", None)],
        "coders": [("read", "SELECT", "true", None)],
        "articles": [("read", "SELECT", f"{reader} OR stancemark.assigned(uid)", None),
                     ("add", "INSERT", None, manager), ("edit", "UPDATE", manager, manager)],
        "assignments": [("read", "SELECT", f"coder = current_user OR {reader}", None),
                        ("add", "INSERT", None, manager), ("edit", "UPDATE", manager, manager)],
    }
    mine = "created_by = current_user AND stancemark.my_role() IS NOT NULL"
    policies["actors"] = [("read", "SELECT", "true", None), ("add", "INSERT", None, mine),
                          ("edit", "UPDATE", f"created_by = current_user OR {manager}",
                           f"({mine}) OR {manager}")]
    for book in ("actor_types", "categories", "scale"):
        policies[book] = [("read", "SELECT", "true", None), ("add", "INSERT", None, manager),
                          ("edit", "UPDATE", manager, manager)]
    own = (f"annotator = current_user OR (annotator = {gold} AND "
           "stancemark.my_role() = 'curator')")
    for kind in ANNOTATION_KINDS:
        policies[kind] = [
            ("read", "SELECT", f"annotator = current_user OR {reader} OR "
                               "(NOT stancemark.blind() AND stancemark.assigned(article_uid))",
             None),
            ("add", "INSERT", None, own), ("edit", "UPDATE", own, own)]
    # A member proposes (and may revise their open proposal); only a manager decides. The
    # proposed row is the entry the proposal is about: its identity is the proposal's key.
    own_key = " OR ".join(f"(kind = {literal(kind)} AND proposed->>{literal(key_of(kind))} = key)"
                          for kind in SHARED_KINDS)
    proposing = ("proposed_by = current_user AND status = 'open' AND kept IS NULL AND "
                 "decided_by IS NULL AND stancemark.my_role() IS NOT NULL AND "
                 f"(proposed IS NULL OR {own_key})")
    deciding = (f"{manager} AND status = 'decided' AND kept IS NOT NULL AND "
                "decided_by = current_user")
    policies["proposals"] = [
        ("read", "SELECT", f"proposed_by = current_user OR {reader}", None),
        ("add", "INSERT", None, proposing),
        ("edit", "UPDATE", f"(proposed_by = current_user AND status = 'open') OR {manager}",
         f"({proposing}) OR ({deciding})")]
    settle = f"gold = {gold} AND {curator}"
    policies["adjudications"] = [("read", "SELECT", reader, None),
                                 ("add", "INSERT", None, settle),
                                 ("edit", "UPDATE", settle, settle)]
    for table, rules in policies.items():
        t = f"stancemark.{table}"
        out.append(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        out.append(f"REVOKE ALL ON {t} FROM PUBLIC")
        for name, command, using, check in rules:
            out.append(f"DROP POLICY IF EXISTS {name} ON {t}")
            out.append(f"GRANT {command} ON {t} TO {g}")
            if command == "SELECT":
                out.append(f"CREATE POLICY {name} ON {t} FOR SELECT TO {g} USING ({using})")
            elif command == "INSERT":
                out.append(f"CREATE POLICY {name} ON {t} FOR INSERT TO {g} WITH CHECK ({check})")
            else:
                out.append(f"CREATE POLICY {name} ON {t} FOR UPDATE TO {g} USING ({using}) "
                           f"WITH CHECK ({check})")
    return out


def team_role(database: str) -> str:
    """The group role holding the table privileges of the team in ``database``."""
    return f"stancemark_team_{database}"[:63]


def _run(conn: pg8000.native.Connection, sql: str, what: str, **params: object) -> list:
    try:
        return conn.run(sql, **params)  # type: ignore[no-any-return]
    except pg8000.native.DatabaseError as exc:
        from stancemark.sync.connection import hub_error

        raise hub_error(exc, what) from None


def hub_version(conn: pg8000.native.Connection) -> int | None:
    """The version of the team schema in this database (None: there is none)."""
    if not conn.run("SELECT to_regclass('stancemark.settings') IS NOT NULL")[0][0]:
        return None
    row = conn.run("SELECT value FROM stancemark.settings WHERE key = 'schema'")
    return int(row[0][0]) if row else 1


def too_new(version: int) -> TeamError:
    return TeamError(f"The hub is version {version}; this Stancemark knows up to "
                     f"{SCHEMA_VERSION}.", "Update Stancemark, then run the command again.")


def init_hub(conn: pg8000.native.Connection, blind: bool | None = None) -> dict[str, object]:
    """Create, or upgrade and bring up to date, the schema, group role and policies.

    Idempotent. A hub of an older version gets the missing steps of :data:`MIGRATIONS`
    in order; all of it is one transaction, so a failed upgrade leaves the hub as it
    was. ``blind`` None keeps the current setting (open on a new hub: coders see each
    other's work after sync).
    """
    database = conn.run("SELECT current_database()")[0][0]
    team = team_role(database)
    _run(conn, "BEGIN", "a transaction")
    try:
        # Roles are per cluster; two team inits racing may both try to make it.
        _run(conn, "SELECT pg_advisory_xact_lock(hashtext('stancemark team init'))", "a lock")
        before = hub_version(conn)
        if before is not None and before > SCHEMA_VERSION:
            raise too_new(before)
        if not conn.run("SELECT 1 FROM pg_roles WHERE rolname = :r", r=team):
            _run(conn, f"CREATE ROLE {identifier(team)} NOLOGIN", "creating the team role")
        for statement in _statements(_TABLES):
            _run(conn, statement, "creating the team tables")
        for step, script in enumerate(MIGRATIONS, start=2):
            if before is None or before < step:
                for statement in _statements(script):
                    _run(conn, statement, f"upgrading the hub to version {step}")
        for statement in _statements(_FUNCTIONS):
            _run(conn, statement, "creating the team functions")
        for table in _STAMPED:
            stamp = "stamp_shared" if table in _SHARED else "stamp"
            _run(conn, f"CREATE INDEX IF NOT EXISTS {table}_txid ON stancemark.{table}(txid)",
                 "an index")
            _run(conn, f"DROP TRIGGER IF EXISTS stamp ON stancemark.{table}", "a trigger")
            _run(conn, f"CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON stancemark.{table} "
                       f"FOR EACH ROW EXECUTE FUNCTION stancemark.{stamp}()", "a trigger")
        for statement in _policies(team):
            _run(conn, statement, "setting the access rules")
        if before != SCHEMA_VERSION:
            _run(conn, "INSERT INTO stancemark.settings(key, value) VALUES ('schema', :v) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 "settings", v=str(SCHEMA_VERSION))
        if blind is not None or not conn.run(
                "SELECT 1 FROM stancemark.settings WHERE key = 'blind'"):
            _run(conn, "INSERT INTO stancemark.settings(key, value) VALUES ('blind', :v) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                       "WHERE stancemark.settings.value <> excluded.value",
                 "settings", v="true" if blind is True else "false")
        _run(conn, "COMMIT", "the team schema")
    except BaseException:
        conn.run("ROLLBACK")
        raise
    now_blind = conn.run("SELECT value FROM stancemark.settings WHERE key = 'blind'")[0][0]
    return {"database": database, "group_role": team, "blind": now_blind == "true",
            "version": SCHEMA_VERSION, "upgraded_from": before if before != SCHEMA_VERSION
            else None}


def _statements(script: str) -> list[str]:
    """Split on semicolons that end a line outside ``$$`` bodies."""
    out, buf, quoted = [], "", False
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not quoted:
            continue
        buf += line
        quoted ^= line.count("$$") % 2 == 1
        if not quoted and line.rstrip().endswith(";"):
            out.append(buf.strip().rstrip(";"))
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")


def add_coder(conn: pg8000.native.Connection, name: str, role: str = "coder",
              password: str | None = None) -> str:
    """Create (or reset) the login role ``name`` with a new password; returns the password.

    The name is lower case (it is also the annotator name of the coder's annotations).
    """
    if not _NAME.match(name):
        raise TeamError(f"'{name}' cannot be a coder's name.",
                        "Use lower-case letters, digits, '_', '.' or '-', starting with a "
                        "letter (at most 63).")
    if role not in ROLES:
        raise TeamError(f"Unknown role '{role}'.", "Use coder, curator or manager.")
    if name == GOLD_ANNOTATOR:
        raise TeamError(f"'{name}' is the gold annotator's name.", "Choose another name.")
    if not conn.run("SELECT to_regclass('stancemark.coders') IS NOT NULL")[0][0]:
        raise TeamError("This database has no Stancemark team yet.",
                        "Run `stancemark team init ADMIN_URL` first.")
    database = conn.run("SELECT current_database()")[0][0]
    secret = password or secrets.token_urlsafe(24)
    who = identifier(name)
    _run(conn, "BEGIN", "a transaction")
    try:
        _run(conn, "SET LOCAL password_encryption = 'scram-sha-256'", "SCRAM passwords")
        exists = conn.run("SELECT 1 FROM pg_roles WHERE rolname = :n", n=name)
        if exists and not conn.run("SELECT 1 FROM stancemark.coders WHERE name = :n", n=name):
            # Roles belong to the whole server: never take over (or reset the password of)
            # one that is not this team's member.
            raise TeamError(f"The server already has a role named '{name}' that is not a "
                            "member of this team.", "Choose another name.")
        verb = "ALTER" if exists else "CREATE"
        _run(conn, f"{verb} ROLE {who} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                   f"NOBYPASSRLS PASSWORD {literal(secret)}", f"creating the role {name}")
        _run(conn, f"GRANT {identifier(team_role(database))} TO {who}", "the team role")
        _run(conn, f"GRANT CONNECT ON DATABASE {identifier(database)} TO {who}", "connect")
        _run(conn, "INSERT INTO stancemark.coders(name, role) VALUES (:n, :r) "
                   "ON CONFLICT (name) DO UPDATE SET role = excluded.role",
             "listing the coder", n=name, r=role)
        _run(conn, "COMMIT", "the new coder")
    except BaseException:
        conn.run("ROLLBACK")
        raise
    return secret
