"""Export 100,000 claims to JSONL and CSV and compare with a floor measured in the same run.

The floor selects the same rows with plain ``sqlite3`` and writes them with
``json.dumps`` / ``csv.writer`` and nothing else; the target is within 2× of it.
Peak Python memory (tracemalloc) is measured in a separate pass so it does not
slow the timed one.

Run: ``.venv/bin/python -m tests.benchmarks.bench_export [--claims N]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from itertools import groupby
from pathlib import Path

from stancemark.core.models import ArticleDraft
from stancemark.services.exchange import export_project
from stancemark.store import Store, open_project
from stancemark.store.merge import bulk_insert_claims

CLAIMS_PER_ARTICLE = 50
TARGET_RATIO = 2.0
WORDS = ("the minister said that talks would resume soon while critics warned of delays and "
         "Вучић answered 😀 that the bridge will open before winter").split()


def build(path: Path, n_claims: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    n_articles = max(1, n_claims // CLAIMS_PER_ARTICLE)
    with open_project(path, create=True) as store:
        drafts = []
        for i in range(n_articles):
            sentences = [" ".join(rng.choice(WORDS) for _ in range(12)) + "."
                         for _ in range(CLAIMS_PER_ARTICLE)]
            drafts.append(ArticleDraft(text=f"Article {i}.\n" + "\n".join(sentences),
                                       title=f"Article {i} =title", source="Bench Wire",
                                       published=None))
        store.articles.add_many(drafts)
        actors = [store.actors.add(f"Actor {k}", "person") for k in range(200)]
        ann = store.annotator_id("bench")
        rows = []
        for article_id, text in store.conn.execute("SELECT id, text FROM articles"):
            pos = text.index("\n") + 1
            for line in text[pos:].split("\n"):
                end = pos + len(line)
                rows.append((article_id, pos, end, line, rng.choice(actors),
                             rng.choice(actors), "politics", rng.randint(-2, 2), None, ann))
                pos = end + 1
        bulk_insert_claims(store, rows[:n_claims])


_FLOOR_SQL = (
    "SELECT c.article_id, a.uid, a.title, a.published, a.source, c.start_offset, "
    "c.end_offset, c.text, p.name, t.name, c.category, c.stance, c.note, n.name FROM claims c "
    "JOIN articles a ON a.id = c.article_id JOIN annotators n ON n.id = c.annotator_id "
    "LEFT JOIN actors p ON p.id = c.claimant_id LEFT JOIN actors t ON t.id = c.target_id "
    "ORDER BY c.article_id, c.start_offset, c.end_offset, c.id")


def floor_jsonl(db: Path, out: Path) -> None:
    """Article texts and claims in two ordered queries, one json.dumps per article."""
    conn = sqlite3.connect(db)
    texts = conn.execute("SELECT id, text FROM articles ORDER BY id")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for aid, rows in groupby(conn.execute(_FLOOR_SQL), key=lambda r: r[0]):
            tid, text = next(texts)
            while tid != aid:
                tid, text = next(texts)
            rows = list(rows)
            r0 = rows[0]
            f.write(json.dumps({"uid": r0[1], "title": r0[2], "text": text, "annotator": r0[13],
                                "claims": [{"start": r[5], "end": r[6], "text": r[7],
                                            "claimant": r[8], "target": r[9],
                                            "category": r[10], "stance": r[11], "note": r[12]}
                                           for r in rows]}, ensure_ascii=False) + "\n")
    conn.close()


def floor_csv(db: Path, out: Path) -> None:
    """The claim rows straight from sqlite3 into csv.writer."""
    conn = sqlite3.connect(db)
    out.mkdir()
    with open(out / "claims.csv", "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(r[1:] for r in conn.execute(_FLOOR_SQL))
    conn.close()


def _ours(db: Path, fmt: str) -> Callable[[Path], None]:
    def run(out: Path) -> None:
        with open_project(db, read_only=True) as store:
            export_project(store, fmt, out)
    return run


def _measure(fn: Callable[[Path], None], out: Path, *, memory: bool) -> tuple[float, int]:
    if memory:
        tracemalloc.start()
    t0 = time.perf_counter()
    fn(out)
    elapsed = time.perf_counter() - t0
    peak = 0
    if memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, peak


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    args = parser.parse_args(argv if argv is not None else [])
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        db = base / "bench.stancemark"
        t0 = time.perf_counter()
        build(db, args.claims)
        build_s = time.perf_counter() - t0
        with open_project(db, read_only=True) as store:
            n = Store.counts(store)["claims"]
        cases = [("jsonl", "floor", lambda o: floor_jsonl(db, o)),
                 ("jsonl", "stancemark", _ours(db, "jsonl")),
                 ("csv", "floor", lambda o: floor_csv(db, o)),
                 ("csv", "stancemark", _ours(db, "csv"))]
        floors: dict[str, float] = {}
        table = []
        for i, (fmt, who, fn) in enumerate(cases):
            best = min(_measure(fn, base / f"t{i}-{k}.{fmt}", memory=False)[0]
                       for k in range(2))
            _, peak = _measure(fn, base / f"m{i}.{fmt}", memory=True)
            if who == "floor":
                floors[fmt] = best
            ratio = best / floors[fmt]
            table.append((fmt, who, best, ratio, peak / 2**20))
            name = f"export {n:,} claims {fmt} ({who})"
            rows.append({"benchmark": name, "metric": "time", "value": round(best, 3),
                         "unit": "s"})
            rows.append({"benchmark": name, "metric": "peak memory",
                         "value": round(peak / 2**20, 1), "unit": "MiB"})
            if who != "floor":
                rows.append({"benchmark": name, "metric": "ratio to floor",
                             "value": round(ratio, 2), "unit": "x",
                             "target": f"<= {TARGET_RATIO}", "ok": ratio <= TARGET_RATIO})
    print(f"built {n:,} claims in {build_s:.1f} s (not timed below)")
    print(f"{'format':<7} {'who':<11} {'seconds':>8} {'ratio':>6} {'peak MiB':>9}")
    for fmt, who, best, ratio, peak_mib in table:
        print(f"{fmt:<7} {who:<11} {best:>8.3f} {ratio:>6.2f} {peak_mib:>9.1f}")
    return rows


if __name__ == "__main__":
    result = main(sys.argv[1:])
    sys.exit(0 if all(r.get("ok", True) for r in result) else 1)
