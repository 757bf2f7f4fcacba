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

TEXTS = [f"Article {i}: Kurti said the talks with NATO would resume." for i in range(4)]


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


def member(hub_url: str, name: str, role: str) -> str:
    """Add a member; their URL with the password."""
    from stancemark.services.team import add_member

    _addr, password = add_member(hub_url, name, role)
    return with_user(hub_url, name, password)


@pytest.fixture
def team(hub_url, tmp_path):
    """A hub with a manager who published 4 articles, and coders alice, bob, curator carol."""
    from stancemark.core.models import ArticleDraft
    from stancemark.services.team import assign_articles, init_team, join, sync
    from stancemark.store import open_project

    init_team(hub_url, blind=True)
    urls = {name: member(hub_url, name, role) for name, role in (
        ("mary", "manager"), ("alice", "coder"), ("bob", "coder"), ("carol", "curator"))}
    projects = {name: tmp_path / f"{name}.stancemark" for name in urls}
    with open_project(projects["mary"], create=True) as s:
        s.articles.add_many(ArticleDraft(text=t, title=f"T{i}") for i, t in enumerate(TEXTS))
        s.actors.add("NATO", "organisation", aliases=["the alliance"])
    for name, url in urls.items():
        join(projects[name], url)
    with open_project(projects["mary"]) as s:
        sync(s)
    assert assign_articles(urls["mary"], ["alice", "bob"], 2) == 8
    return urls, projects
