"""The issue's soak of team sync: 30 coders x 1,000 edits, ~10 % offline, syncs SIGKILLed.

Needs ``STANCEMARK_TEST_PG_URL`` (an admin URL; `.ci/postgres.sh start DIR` prints one).
"""

from __future__ import annotations

import os

from tests.benchmarks.scratch_hub import scratch_hub, skipped
from tests.sync.soak import run_soak


def main() -> list[dict]:
    if not os.environ.get("STANCEMARK_TEST_PG_URL"):
        return skipped("team soak")
    with scratch_hub("soak") as (hub, tmp):
        r = run_soak(hub, tmp, coders=30, edits=1000, rounds=10, articles=300, kills=40)
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
