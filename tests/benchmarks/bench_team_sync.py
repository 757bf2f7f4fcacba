"""Team sync on a loopback PostgreSQL hub (issue 17): the three targets of the issue.

Needs ``STANCEMARK_TEST_PG_URL`` (an admin URL; `.ci/postgres.sh start DIR` prints one).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from stancemark.core.models import ArticleDraft
from stancemark.services.team import assign_articles, join, sync
from stancemark.store import open_project
from tests.benchmarks.scratch_hub import manager_and_coder, scratch_hub, skipped

N = 10_000
PARAGRAPH = ("The minister said on Monday that the talks with the union would resume next "
             "week, while the opposition accused the government of stalling. ")


def main() -> list[dict]:
    if not os.environ.get("STANCEMARK_TEST_PG_URL"):
        return skipped("team sync")
    with scratch_hub() as (hub, tmp):
        return _run(hub, tmp)


def _run(hub: str, tmp: Path) -> list[dict]:
    urls = manager_and_coder(hub)
    manager, coder = tmp / "mary.stancemark", tmp / "alice.stancemark"
    with open_project(manager, create=True) as s:
        s.articles.add_many(ArticleDraft(text=f"Article {i}. " + PARAGRAPH * 20, title=f"T{i}")
                            for i in range(N))
    join(manager, urls["mary"])
    rows = []
    with open_project(manager) as s:
        t = time.perf_counter()
        sync(s)
        rows.append({"benchmark": "team sync", "metric": f"publish {N:,} articles (manager)",
                     "value": time.perf_counter() - t, "unit": "s"})
    assign_articles(urls["mary"], ["alice"], 1)
    join(coder, urls["alice"])
    with open_project(coder) as s:
        t = time.perf_counter()
        sync(s)
        took = time.perf_counter() - t
        rows.append({"benchmark": "team sync", "metric": f"first pull of {N:,} articles",
                     "value": took, "unit": "s", "target": "<= 30", "ok": took <= 30})
        texts = s.conn.execute("SELECT id, text FROM articles ORDER BY id LIMIT 2500").fetchall()
        actor = s.actors.add("The minister", "person")
        with s.write():
            for art, text in texts:
                start = text.index("The minister")
                for k in range(4):
                    at = start + k * len(PARAGRAPH)
                    s.annotations.add_mention(art, at, at + 12, actor, "alice")
        t = time.perf_counter()
        report = sync(s)
        took = time.perf_counter() - t
        rows.append({"benchmark": "team sync", "metric": f"push {report.pushed - 1:,} new "
                     "annotations", "value": took, "unit": "s", "target": "<= 5",
                     "ok": took <= 5})
        times = []
        for _ in range(5):
            t = time.perf_counter()
            sync(s)
            times.append(time.perf_counter() - t)
        took = sorted(times)[2]
        rows.append({"benchmark": "team sync", "metric": "sync with nothing new (median of 5)",
                     "value": took * 1000, "unit": "ms", "target": "<= 200",
                     "ok": took <= 0.2})
    return rows
