"""A fresh team database on the test PostgreSQL server for each test.

`.ci/run` starts a throw-away server and exports its admin URL in
``STANCEMARK_TEST_PG_URL``; without it these tests are skipped.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pg8000.native
import pytest
from pg8000.native import identifier

ENV = "STANCEMARK_TEST_PG_URL"


def plain_connect(url: str, password: str | None = None) -> pg8000.native.Connection:
    """A plain database client session (not Stancemark's code) as the URL's role."""
    parts = urlsplit(url)
    return pg8000.native.Connection(
        parts.username, host=parts.hostname, port=parts.port or 5432,
        database=parts.path.lstrip("/"), password=password or parts.password)


def with_db(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def with_user(url: str, user: str, password: str | None = None) -> str:
    parts = urlsplit(url)
    host = f"{parts.hostname}:{parts.port}"
    auth = f"{user}:{password}" if password else user
    return urlunsplit(parts._replace(netloc=f"{auth}@{host}"))


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get(ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server for the tests ({ENV} is not set; .ci/run sets it)")
    try:
        plain_connect(url).close()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"the test PostgreSQL server does not answer: {exc}")
    return url


@pytest.fixture
def hub_url(pg_url: str) -> Iterator[str]:
    """The admin URL of a new, empty database; dropped after the test."""
    name = f"team_{secrets.token_hex(4)}"
    admin = plain_connect(pg_url)
    admin.run(f"CREATE DATABASE {name}")
    try:
        yield with_db(pg_url, name)
    finally:
        drop_team(admin, name)
        admin.close()


def drop_team(admin: pg8000.native.Connection, database: str) -> None:
    """Drop a team database and its roles (roles belong to the whole server)."""
    from stancemark.sync.hub_schema import team_role

    group = team_role(database)
    members = [r[0] for r in admin.run(
        "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
        "JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = :g", g=group)]
    admin.run(f"DROP DATABASE {database} WITH (FORCE)")
    for role in [*members, group]:
        admin.run(f"DROP ROLE IF EXISTS {identifier(role)}")


@pytest.fixture(autouse=True)
def _own_password_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
