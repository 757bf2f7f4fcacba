"""The issue's soak of team sync: 30 coders x 1,000 edits, ~10 % offline, syncs SIGKILLed.

Needs ``STANCEMARK_TEST_PG_URL`` (an admin URL; `.ci/postgres.sh start DIR` prints one).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from tests.sync.conftest import drop_team, plain_connect, with_db
from tests.sync.soak import run_soak


def main() -> list[dict]:
    url = os.environ.get("STANCEMARK_TEST_PG_URL")
    if not url:
        return [{"benchmark": "team soak", "metric": "skipped (no STANCEMARK_TEST_PG_URL)",
                 "value": "", "unit": ""}]
    name = f"soak_{secrets.token_hex(4)}"
    admin = plain_connect(url)
    admin.run(f"CREATE DATABASE {name}")
    old_pgpass = os.environ.get("PGPASSFILE")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["PGPASSFILE"] = str(Path(tmp) / "pgpass")
            r = run_soak(with_db(url, name), Path(tmp), coders=30, edits=1000, rounds=10,
                         articles=300, kills=40)
    finally:
        if old_pgpass is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = old_pgpass
        drop_team(admin, name)
        admin.close()
    ok = (r.lost, r.duplicated, r.extra) == (0, 0, 0) and (
        r.curator_annotations == r.hub_annotations)
    return [
        {"benchmark": "team soak", "metric": f"{r.coders} coders x {r.edits // r.coders:,} "
         f"edits, {r.syncs} syncs, {r.offline_rounds} offline rounds, {r.killed} SIGKILLed",
         "value": r.seconds, "unit": "s"},
        {"benchmark": "team soak", "metric": f"annotations lost / duplicated / unexpected "
         f"(of {r.hub_annotations:,} at the hub; curator has {r.curator_annotations:,})",
         "value": f"{r.lost} / {r.duplicated} / {r.extra}", "unit": "", "target": "0 / 0 / 0",
         "ok": ok},
    ]
