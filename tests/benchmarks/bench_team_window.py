"""What the window pays for a team project (issue 17), on 10,000 queued articles with 10,000
changes waiting to be sent: the status bar's count after each edit, the queue button, and
the article list filtered to the queue. No hub needed.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from stancemark.core.filters import ArticleFilter
from stancemark.core.models import ArticleDraft
from stancemark.core.team import Batch
from stancemark.services import team_status
from stancemark.store import open_project
from stancemark.store import team as local

N = 10_000


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp, \
            open_project(Path(tmp) / "alice.stancemark", create=True) as s:
        added = s.articles.add_many(
            ArticleDraft(f"Article {i}\nThe mayor said the harbour would open in spring.",
                         title=f"T{i}") for i in range(N + 2000))
        local.set_team(s, "postgresql://alice@127.0.0.1:1/team", "coder")
        local.mark_pushed(s, local.last_seq(s))
        local.apply_pulled(s, Batch(assignments=dict.fromkeys(
            (uid for _id, uid in added[:N]), True)), "7")  # a pull assigns her N articles
        local.mark_pushed(s, local.last_seq(s))
        actor = s.actors.add("The mayor", "person")
        with s.write():
            for art, _uid in added[:N]:
                s.annotations.add_mention(art, 11 + len(str(art)), 20 + len(str(art)), actor,
                                          "alice")
        state = team_status.team_state(s)
        assert state is not None and state.pending == N + 1 and state.queue_total == N
        ids = team_status.queue_article_ids(s)
        flt = ArticleFilter(ids=ids)
        rows = [
            ("changes waiting, counted after an edit", _best(
                lambda: team_status.pending_changes(s, "alice", "coder")), "<= 0.05"),
            ("the whole state (count + queue)", _best(lambda: team_status.team_state(s)), ""),
            ("queue ids for the list filter", _best(
                lambda: team_status.queue_article_ids(s)), ""),
            ("list filtered to the queue: count + first page", _best(
                lambda: (s.articles.count(flt), s.articles.summaries(flt, limit=200))), ""),
        ]
    out = []
    for metric, seconds, target in rows:
        row: dict = {"benchmark": "team window", "metric": f"{metric} ({N:,})",
                     "value": seconds * 1000, "unit": "ms"}
        if target:
            row["target"] = "<= 50"
            row["ok"] = seconds <= 0.05
        out.append(row)
    return out


if __name__ == "__main__":
    for r in main():
        print(r)
