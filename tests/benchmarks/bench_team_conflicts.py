"""Conflicts on shared entries (issue 17, second phase): a coder's sync that turns 1,000
changes to the manager's actors into proposals, the manager's list of them, and one
decision.

Needs ``STANCEMARK_TEST_PG_URL`` (an admin URL; `.ci/postgres.sh start DIR` prints one).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from stancemark.services.team import conflicts, decide, join, sync
from stancemark.store import open_project
from tests.benchmarks.scratch_hub import manager_and_coder, scratch_hub, skipped

N = 1_000


def main() -> list[dict]:
    if not os.environ.get("STANCEMARK_TEST_PG_URL"):
        return skipped("team conflicts")
    with scratch_hub() as (hub, tmp):
        return _run(hub, tmp)


def _run(hub: str, tmp: Path) -> list[dict]:
    urls = manager_and_coder(hub)
    manager, coder = tmp / "mary.stancemark", tmp / "alice.stancemark"
    with open_project(manager, create=True) as s:
        with s.write():
            for i in range(N):
                s.actors.add(f"Minister {i}", "person", aliases=[f"M{i}"])
    join(manager, urls["mary"])
    with open_project(manager) as s:
        sync(s)
    join(coder, urls["alice"])
    rows = []
    with open_project(coder) as s:
        sync(s)
        with s.write():
            for (actor_id,) in s.conn.execute("SELECT id FROM actors WHERE name LIKE "
                                              "'Minister %'").fetchall():
                s.actors.update(actor_id, note="seen in the press")
        t = time.perf_counter()
        report = sync(s)
        rows.append({"benchmark": "team conflicts",
                     "metric": f"sync turning {report.refused.get('actors', 0):,} actor "
                               "changes into proposals (and getting the hub's back)",
                     "value": time.perf_counter() - t, "unit": "s"})
    t = time.perf_counter()
    found = conflicts(urls["mary"])
    rows.append({"benchmark": "team conflicts", "metric": f"list {len(found):,} open conflicts",
                 "value": time.perf_counter() - t, "unit": "s"})
    t = time.perf_counter()
    decide(urls["mary"], found[0].id, "merged", revision=found[0].revision)
    rows.append({"benchmark": "team conflicts", "metric": "decide one (connect included)",
                 "value": (time.perf_counter() - t) * 1000, "unit": "ms"})
    return rows
