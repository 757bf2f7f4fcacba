"""A throw-away team database for the team benchmarks, on the server that
``STANCEMARK_TEST_PG_URL`` names (`.ci/postgres.sh start DIR` prints such a URL)."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.sync.conftest import drop_team, plain_connect, with_db, with_user


def skipped(benchmark: str) -> list[dict]:
    """The one row a team benchmark prints when there is no server."""
    return [{"benchmark": benchmark, "metric": "skipped (no STANCEMARK_TEST_PG_URL)",
             "value": "", "unit": ""}]


@contextlib.contextmanager
def scratch_hub(prefix: str = "bench") -> Iterator[tuple[str, Path]]:
    """(admin URL of a new database, a temporary folder); the passwords the run saves go
    to a password file in that folder; the database and its roles are dropped after."""
    url = os.environ["STANCEMARK_TEST_PG_URL"]
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = plain_connect(url)
    admin.run(f"CREATE DATABASE {name}")
    old_pgpass = os.environ.get("PGPASSFILE")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["PGPASSFILE"] = str(Path(tmp) / "pgpass")
            yield with_db(url, name), Path(tmp)
    finally:
        if old_pgpass is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = old_pgpass
        drop_team(admin, name)
        admin.close()


def manager_and_coder(hub: str) -> dict[str, str]:
    """A new team on ``hub``: mary (manager) and alice (coder), by name: their own URLs."""
    from stancemark.services.team import add_member, init_team

    init_team(hub)
    urls = {}
    for who, role in (("mary", "manager"), ("alice", "coder")):
        _addr, password = add_member(hub, who, role)
        urls[who] = with_user(hub, who, password)
    return urls
