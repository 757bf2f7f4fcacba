"""Agreement (issue 13): 3 annotators × 1,000 articles in ≤ 5 s, 30 × 200 (all pairs) in ≤ 60 s.

Each project is generated once per run (seeded): news-like articles of ~12
sentences, each sentence a claim by a named actor. Every annotator codes every
article from one hidden "truth" with realistic noise: a claim or mention is
sometimes missed, its boundaries move by a few characters, its category,
claimant, stance or actor is sometimes another, a few claims are extra; article
and actor sentiments wobble by one step. The timed part is what ``stancemark
agreement`` does: read the annotations, compute every layer overall and for every
pair with the default 1,000-resample bootstrap for the overall alphas, and render
the table and the JSON. One more row times the 30-annotator case with intervals
for every pair as well (``--pair-intervals``), for information.

Run: ``python -m tests.benchmarks agreement``.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from stancemark.analysis.agreement import AgreementOptions
from stancemark.services.agreement import project_agreement, render
from stancemark.store import open_project
from stancemark.store.bulk import (
    BulkActor,
    BulkActorSentiment,
    BulkArticle,
    BulkArticleSentiment,
    BulkClaim,
    BulkLoader,
    BulkMention,
)

CATEGORIES = ("security", "politics", "diplomacy", "rights", "economy", "other")
WORDS = ("talks bridge border minister government budget protest election court treaty "
         "prices wages union strike energy grid sanctions trade region council mayor "
         "parliament reform vote police army envoy summit agreement crisis").split()
SENTENCES = 12
N_ACTORS = 60
STAMP = "2024-01-01T00:00:00"


def build(path: Path, n_annotators: int, n_articles: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    names = [f"Actor{k:02d} Name" for k in range(N_ACTORS)]
    with open_project(path, create=True) as store:
        loader = BulkLoader(store)
        with loader.load(defer_fts=True):
            loader.actors([BulkActor(k + 1, n, "person", None, None, STAMP, STAMP)
                           for k, n in enumerate(names)])
            loader.annotators([(i + 1, f"coder{i:02d}", STAMP) for i in range(n_annotators)])
            articles, mentions, claims, art_sent, act_sent = [], [], [], [], []
            mid = cid = 0
            for a in range(1, n_articles + 1):
                parts: list[str] = []
                truth: list[tuple[int, int, int, int, int, str, int, int | None]] = []
                pos = 0
                for _ in range(SENTENCES):
                    actor = rng.randrange(N_ACTORS)
                    target = rng.randrange(N_ACTORS) if rng.random() < 0.6 else None
                    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
                    sentence = f"{names[actor]} said that the {body}."
                    truth.append((pos, pos + len(sentence), pos, pos + len(names[actor]),
                                  actor + 1, rng.choice(CATEGORIES), rng.randint(-2, 2),
                                  None if target is None else target + 1))
                    parts.append(sentence)
                    pos += len(sentence) + 1
                text = " ".join(parts)
                articles.append(BulkArticle(a, f"{a:064x}", f"Article {a}", None, "Bench",
                                            None, None, None, "en", "new", len(text), STAMP,
                                            STAMP, text))
                tone = rng.randint(-2, 2)
                actors_here = sorted({t[4] for t in truth})
                for coder in range(1, n_annotators + 1):
                    for cs, ce, ms, me, actor, cat, stance, target in truth:
                        if rng.random() < 0.92:
                            mid += 1
                            who = actor if rng.random() < 0.95 else rng.randrange(N_ACTORS) + 1
                            mentions.append(BulkMention(mid, a, who, ms, me, text[ms:me], coder,
                                                        STAMP, STAMP))
                        if rng.random() < 0.9:
                            s = max(0, cs + (rng.randint(-4, 4) if rng.random() < 0.3 else 0))
                            e = min(len(text), ce + (rng.randint(-6, 2)
                                                     if rng.random() < 0.3 else 0))
                            cid += 1
                            claims.append(BulkClaim(
                                cid, a, s, e, text[s:e],
                                actor if rng.random() < 0.93 else rng.randrange(N_ACTORS) + 1,
                                target if rng.random() < 0.85 else None,
                                cat if rng.random() < 0.8 else rng.choice(CATEGORIES),
                                max(-2, min(2, stance + (rng.choice((-1, 1))
                                                         if rng.random() < 0.25 else 0))),
                                None, coder, STAMP, STAMP))
                    if rng.random() < 0.05:
                        s = rng.randrange(len(text) - 40)
                        cid += 1
                        claims.append(BulkClaim(cid, a, s, s + 30, text[s:s + 30], 1, None,
                                                rng.choice(CATEGORIES), 0, None, coder, STAMP,
                                                STAMP))
                    wobble = rng.choice((-1, 0, 0, 0, 1))
                    art_sent.append(BulkArticleSentiment(a, coder, max(-2, min(2, tone + wobble)),
                                                         STAMP, STAMP))
                    for actor in actors_here[:4]:
                        v = max(-2, min(2, (actor % 5) - 2 + rng.choice((-1, 0, 0, 1))))
                        act_sent.append(BulkActorSentiment(a, actor, coder, v, STAMP, STAMP))
            loader.articles(articles)
            loader.mentions(mentions)
            loader.claims(claims)
            loader.article_sentiments(art_sent)
            loader.actor_sentiments(act_sent)


def timed(path: Path, options: AgreementOptions) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one agreement run, and its number of pairs.

    The CPU time is given too because this 2-core machine is shared: under load the
    wall clock grows while the work done does not.
    """
    start, cpu = time.perf_counter(), time.process_time()
    with open_project(path, read_only=True) as store:
        report = project_agreement(store, options=options)
    render(report, "table")
    render(report, "json")
    return (time.perf_counter() - start, time.process_time() - cpu,
            len(report.layers["claims"]["pairs"]))


def main() -> list[dict]:
    rows = []
    cases = [("3 annotators × 1,000 articles", 3, 1000, 5.0),
             ("30 annotators × 200 articles, all pairs", 30, 200, 60.0)]
    with tempfile.TemporaryDirectory(prefix="bench-agreement-") as tmp:
        for label, coders, articles, target in cases:
            path = Path(tmp) / f"agree-{coders}x{articles}.stancemark"
            t0 = time.perf_counter()
            build(path, coders, articles)
            print(f"   built {label} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            seconds, cpu, pairs = timed(path, AgreementOptions())
            rows.append({"benchmark": "agreement", "metric": f"{label} ({pairs} pairs)",
                         "value": seconds, "unit": "s", "target": f"≤ {target:g}",
                         "ok": seconds <= target})
            rows.append({"benchmark": "agreement", "metric": f"{label}, CPU time",
                         "value": cpu, "unit": "s"})
            if coders == 30:
                seconds, cpu, _ = timed(path, AgreementOptions(pair_intervals=True))
                rows.append({"benchmark": "agreement",
                             "metric": f"{label}, intervals for every pair too",
                             "value": seconds, "unit": "s"})
    return rows


if __name__ == "__main__":
    from tests.benchmarks.__main__ import print_table

    print_table(main())
