"""A soak of team sync: many coders editing, some offline, some syncs SIGKILLed.

Used by ``tests/sync/test_soak.py`` (small) and ``tests/benchmarks/bench_team_soak.py``
(the issue's 30 coders x 1,000 edits). At the end every coder syncs once more, and
each coder's annotations at the hub must be exactly those in their project (none
lost, none duplicated), and a curator's project must hold all of them.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from stancemark.core.errors import ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.services.team import add_member, assign_articles, init_team, join, sync
from stancemark.store import open_project
from tests.sync.conftest import plain_connect, with_user

ROOT = Path(__file__).parents[2]
WORDS = ("The minister said on Monday that the talks with the union would resume next week "
         "while the opposition accused the government of stalling the reform").split()


@dataclass
class SoakResult:
    coders: int
    edits: int
    syncs: int = 0
    killed: int = 0
    offline_rounds: int = 0
    seconds: float = 0.0
    lost: int = 0
    duplicated: int = 0
    extra: int = 0
    hub_annotations: int = 0
    curator_annotations: int = 0
    problems: list[str] = field(default_factory=list)


def _article(i: int) -> str:
    rng = random.Random(i)
    return " ".join(rng.choice(WORDS) for _ in range(120)) + f" (article {i})."


def _local_sets(path: Path, who: str) -> dict[str, set[tuple]]:
    with open_project(path, read_only=True) as s:
        q = s.conn.execute
        return {
            "mentions": set(q("SELECT m.uuid, a.uid, m.start_offset, m.end_offset FROM mentions m "
                              "JOIN articles a ON a.id = m.article_id JOIN annotators n ON "
                              "n.id = m.annotator_id WHERE n.name = ?", (who,)).fetchall()),
            "claims": set(q("SELECT c.uuid, a.uid, c.start_offset, c.stance FROM claims c JOIN "
                            "articles a ON a.id = c.article_id JOIN annotators n ON "
                            "n.id = c.annotator_id WHERE n.name = ?", (who,)).fetchall()),
            "article_sentiments": set(q(
                "SELECT s.uuid, a.uid, s.value FROM article_sentiments s JOIN articles a ON "
                "a.id = s.article_id JOIN annotators n ON n.id = s.annotator_id "
                "WHERE n.name = ?", (who,)).fetchall()),
        }


def _hub_rows(hub, who: str) -> dict[str, list[tuple]]:
    return {
        "mentions": [tuple(r) for r in hub.run(
            "SELECT uuid::text, article_uid, start_offset, end_offset FROM stancemark.mentions "
            "WHERE annotator = :w AND NOT deleted", w=who)],
        "claims": [tuple(r) for r in hub.run(
            "SELECT uuid::text, article_uid, start_offset, stance FROM stancemark.claims "
            "WHERE annotator = :w AND NOT deleted", w=who)],
        "article_sentiments": [tuple(r) for r in hub.run(
            "SELECT uuid::text, article_uid, value FROM stancemark.article_sentiments "
            "WHERE annotator = :w AND NOT deleted", w=who)],
    }


def _edit(store, who: str, rng: random.Random, articles: list[tuple[int, str]],
          actors: list[int]) -> None:
    art, text = rng.choice(articles)
    roll = rng.random()
    q = store.conn.execute
    me = store.annotator_id(who)
    if roll < 0.4:
        start = rng.randrange(0, len(text) - 20)
        try:
            store.annotations.add_mention(art, start, start + rng.randint(3, 15),
                                          rng.choice(actors), who)
        except ValidationError:
            pass
    elif roll < 0.65:
        start = rng.randrange(0, len(text) - 40)
        store.annotations.add_claim(art, start, start + 30, who, claimant_id=rng.choice(actors),
                                    stance=rng.randint(-2, 2))
    elif roll < 0.75:
        row = q("SELECT id FROM mentions WHERE annotator_id = ? ORDER BY random() LIMIT 1",
                (me,)).fetchone()
        if row:
            store.annotations.delete_mention(row[0])
    elif roll < 0.85:
        row = q("SELECT id FROM claims WHERE annotator_id = ? ORDER BY random() LIMIT 1",
                (me,)).fetchone()
        if row:
            store.annotations.update_claim(row[0], stance=rng.randint(-2, 2))
    else:
        store.annotations.set_sentiment(art, None, who, rng.choice([-2, -1, 0, 1, 2, None]))


def _killed_sync(path: Path, rng: random.Random) -> bool:
    """Run ``stancemark sync`` in a process and SIGKILL it part-way; True if it was killed.

    The kill comes 0-150 ms after the sync said it is connecting, so it lands while it
    connects, pushes or pulls (it is not counted if the sync was already done).
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    proc = subprocess.Popen([sys.executable, "-m", "stancemark", "sync", str(path)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    seen = b""
    while b"connecting" not in seen:
        chunk = proc.stderr.read1(256)
        if not chunk:
            break
        seen += chunk
    time.sleep(rng.uniform(0, 0.15))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        return True
    proc.wait()
    proc.stderr.close()
    return False


def run_soak(hub_url: str, tmp: Path, *, coders: int, edits: int, rounds: int,
             articles: int = 60, offline: float = 0.1, kills: int = 3,
             seed: int = 17) -> SoakResult:
    rng = random.Random(seed)
    started = time.perf_counter()
    result = SoakResult(coders, coders * edits)
    init_team(hub_url, blind=True)
    # roles belong to the whole server: names of this run only
    tag = secrets.token_hex(3)
    names = [f"coder{i:02d}_{tag}" for i in range(coders)]
    mary, carol = f"mary_{tag}", f"carol_{tag}"
    urls = {"mary": with_user(hub_url, mary, add_member(hub_url, mary, "manager")[1]),
            "carol": with_user(hub_url, carol, add_member(hub_url, carol, "curator")[1])}
    for name in names:
        urls[name] = with_user(hub_url, name, add_member(hub_url, name, "coder")[1])
    paths = {name: tmp / f"{name}.stancemark" for name in urls}
    with open_project(paths["mary"], create=True) as s:
        s.articles.add_many(ArticleDraft(text=_article(i), title=f"A{i}")
                            for i in range(articles))
        s.actors.add("The minister", "person")
        s.actors.add("The union", "organisation")
    for name, url in urls.items():
        join(paths[name], url)
    with open_project(paths["mary"]) as s:
        sync(s)
    assign_articles(urls["mary"], names, min(3, coders))
    kill_rounds = {(rng.randrange(rounds), rng.choice(names)) for _ in range(kills)}
    per_round = max(1, edits // rounds)
    for r in range(rounds):
        for name in names:
            with open_project(paths[name]) as s:
                if r == 0:
                    sync(s)
                    result.syncs += 1
                mine = s.conn.execute("SELECT id, text FROM articles").fetchall()
                actors = [a[0] for a in s.conn.execute("SELECT id FROM actors")]
                if r == 0:
                    actors.append(s.actors.add(f"Spokesperson of {name}", "person"))
                with s.write():
                    for _ in range(per_round):
                        _edit(s, name, rng, mine, actors)
            if (r, name) in kill_rounds:
                result.killed += _killed_sync(paths[name], rng)
            if rng.random() < offline:
                result.offline_rounds += 1
                continue
            with open_project(paths[name]) as s:
                sync(s)
                result.syncs += 1
    hub = plain_connect(hub_url)
    try:
        for name in names:  # back online: the last sync of everyone
            with open_project(paths[name]) as s:
                sync(s)
                result.syncs += 1
            local = _local_sets(paths[name], name)
            remote = _hub_rows(hub, name)
            for kind, rows in remote.items():
                have = set(rows)
                result.duplicated += len(rows) - len(have)
                result.lost += len(local[kind] - have)
                result.extra += len(have - local[kind])
                result.hub_annotations += len(rows)
    finally:
        hub.close()
    with open_project(paths["carol"]) as s:
        sync(s)
        counts = s.counts()
        result.curator_annotations = (counts["mentions"] + counts["claims"]
                                      + counts["article_sentiments"])
    result.seconds = time.perf_counter() - started
    return result
