"""The hub as phase 1 (hub version 1, commit 4056234) made it: a frozen copy for upgrade tests.

Its ``init_hub`` and ``add_coder`` build the version-1 tables, roles and policies exactly as
the first release of team sync did, so a test can upgrade a real old hub.
"""
# ruff: noqa


from __future__ import annotations

import re
import secrets

import pg8000.native
from pg8000.native import identifier, literal

from stancemark.core.errors import TeamError
from stancemark.core.team import ANNOTATION_KINDS, GOLD_ANNOTATOR, ROLES

SCHEMA_VERSION = 1

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
                       true) $$;
CREATE OR REPLACE FUNCTION stancemark.assigned(uid text) RETURNS boolean
    LANGUAGE sql STABLE AS
    $$ SELECT EXISTS (SELECT 1 FROM stancemark.assignments a
                      WHERE a.article_uid = uid AND a.coder = current_user AND NOT a.deleted) $$;
-- A write stamps the row with its transaction, whatever the client sent.
CREATE OR REPLACE FUNCTION stancemark.stamp() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN NEW.txid := pg_current_xact_id(); RETURN NEW; END $$;
"""

_STAMPED = ("settings", "articles", "assignments", "actor_types", "categories", "scale",
            "actors", *ANNOTATION_KINDS)


def _policies(team: str) -> list[str]:
    """Grants and row-level-security policies, re-made on every ``team init``."""
    g = identifier(team)
    gold = literal(GOLD_ANNOTATOR)
    reader = "stancemark.my_role() IN ('curator', 'manager')"
    manager = "stancemark.my_role() = 'manager'"
    out = [f"GRANT USAGE ON SCHEMA stancemark TO {g}",
           f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA stancemark TO {g}",
           f"GRANT SELECT ON stancemark.settings, stancemark.coders TO {g}"]
    policies: dict[str, list[tuple[str, str, str | None]]] = {
        "settings": [("read", "SELECT", "true")],
        "coders": [("read", "SELECT", "true")],
        "articles": [("read", "SELECT", f"{reader} OR stancemark.assigned(uid)"),
                     ("add", "INSERT", None), ("edit", "UPDATE", manager)],
        "assignments": [("read", "SELECT", f"coder = current_user OR {reader}"),
                        ("add", "INSERT", None), ("edit", "UPDATE", manager)],
        "actors": [("read", "SELECT", "true"), ("add", "INSERT", None),
                   ("edit", "UPDATE", f"created_by = current_user OR {manager}")],
    }
    checks = {"articles": manager, "assignments": manager,
              "actors": "created_by = current_user AND stancemark.my_role() IS NOT NULL"}
    for book in ("actor_types", "categories", "scale"):
        policies[book] = [("read", "SELECT", "true"), ("add", "INSERT", None),
                          ("edit", "UPDATE", manager)]
        checks[book] = manager
    own = (f"annotator = current_user OR (annotator = {gold} AND "
           "stancemark.my_role() = 'curator')")
    for kind in ANNOTATION_KINDS:
        policies[kind] = [
            ("read", "SELECT", f"annotator = current_user OR {reader} OR "
                               "(NOT stancemark.blind() AND stancemark.assigned(article_uid))"),
            ("add", "INSERT", None), ("edit", "UPDATE", own)]
        checks[kind] = own
    for table, rules in policies.items():
        t = f"stancemark.{table}"
        out.append(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        out.append(f"REVOKE ALL ON {t} FROM PUBLIC")
        for name, command, using in rules:
            out.append(f"DROP POLICY IF EXISTS {name} ON {t}")
            out.append(f"GRANT {command} ON {t} TO {g}")
            check = checks.get(table, "false")
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


def init_hub(conn: pg8000.native.Connection, blind: bool | None = None) -> dict[str, object]:
    """Create or bring up to date the schema, group role and policies (idempotent).

    ``blind`` None keeps the current setting (blind on a new hub).
    """
    database = conn.run("SELECT current_database()")[0][0]
    team = team_role(database)
    _run(conn, "BEGIN", "a transaction")
    try:
        # Roles are per cluster; two team inits racing may both try to make it.
        _run(conn, "SELECT pg_advisory_xact_lock(hashtext('stancemark team init'))", "a lock")
        if not conn.run("SELECT 1 FROM pg_roles WHERE rolname = :r", r=team):
            _run(conn, f"CREATE ROLE {identifier(team)} NOLOGIN", "creating the team role")
        for statement in _statements(_TABLES):
            _run(conn, statement, "creating the team tables")
        for table in _STAMPED:
            _run(conn, f"CREATE INDEX IF NOT EXISTS {table}_txid ON stancemark.{table}(txid)",
                 "an index")
            _run(conn, f"DROP TRIGGER IF EXISTS stamp ON stancemark.{table}", "a trigger")
            _run(conn, f"CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON stancemark.{table} "
                       "FOR EACH ROW EXECUTE FUNCTION stancemark.stamp()", "a trigger")
        for statement in _policies(team):
            _run(conn, statement, "setting the access rules")
        _run(conn, "INSERT INTO stancemark.settings(key, value) VALUES ('schema', :v) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
             "settings", v=str(SCHEMA_VERSION))
        if blind is not None or not conn.run(
                "SELECT 1 FROM stancemark.settings WHERE key = 'blind'"):
            _run(conn, "INSERT INTO stancemark.settings(key, value) VALUES ('blind', :v) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                       "WHERE stancemark.settings.value <> excluded.value",
                 "settings", v="false" if blind is False else "true")
        _run(conn, "COMMIT", "the team schema")
    except BaseException:
        conn.run("ROLLBACK")
        raise
    now_blind = conn.run("SELECT value FROM stancemark.settings WHERE key = 'blind'")[0][0]
    return {"database": database, "group_role": team, "blind": now_blind == "true"}


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
