"""Accuracy and speed of suggestions on the hand-annotated fixture corpus.

Run: ``.venv/bin/python -m tests.benchmarks.bench_suggest`` (or call :func:`main`).

Actor suggestions are right when span *and* actor equal a gold mention.
A claim candidate matches a gold claim when the spans overlap by at least half
of the shorter one (each gold claim matched at most once). Timing: one
20,000-word article, 5,000 actors in the registry (generated names plus the
real ones), median of repeated runs of the whole service call.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

from stancemark.analysis.suggest import overlap_ratio
from stancemark.core.models import ArticleDraft
from stancemark.services.suggestions import ALL_KINDS, SuggestionService, forget_scans
from stancemark.store import Store, memory_project

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
from corpus import (  # noqa: E402
    GoldArticle,
    load_corpus,
    load_news,
    load_news_registry,
    load_registry,
)

GOALS = {"actors": (0.95, 0.90), "claims": (0.6, 0.6)}
LATENCY_GOAL_MS = 30.0


def build_project(corpus: list[GoldArticle], registry: dict[str, dict]) -> tuple[
        Store, dict[str, int], dict[str, int]]:
    store = memory_project()
    ids = {key: store.actors.add(a["name"], a["type"], aliases=a["aliases"])
           for key, a in registry.items()}
    arts = {}
    for g in corpus:
        arts[g.name] = store.articles.add(ArticleDraft(text=g.text, title=g.title))
    return store, ids, arts


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(corpus: list[GoldArticle] | None = None,
             registry: dict[str, dict] | None = None) -> dict[str, dict]:
    corpus = corpus or load_corpus()
    registry = registry or load_registry()
    store, ids, arts = build_project(corpus, registry)
    key_of = {v: k for k, v in ids.items()}
    svc = SuggestionService(store, "bench")
    a_tp = a_pred = a_gold = 0
    c_tp = c_pred = c_gold = 0
    claimant_ok = claimant_known = 0
    errors: dict[str, list[str]] = {"actor_fp": [], "actor_fn": [], "claim_fp": [],
                                    "claim_fn": [], "claimant": []}
    for g in corpus:
        sugg = svc.suggestions(arts[g.name])
        actors = {(s.start, s.end, key_of[s.actor_id]) for s in sugg if s.kind == "actor"}
        gold = set(g.mentions)
        a_tp += len(actors & gold)
        a_pred += len(actors)
        a_gold += len(gold)
        errors["actor_fp"] += [f"{g.name}: {g.text[s:e]!r}->{k}" for s, e, k in actors - gold]
        errors["actor_fn"] += [f"{g.name}: {g.text[s:e]!r}->{k}" for s, e, k in gold - actors]
        cands = [s for s in sugg if s.kind == "claim"]
        free = list(g.claims)
        c_pred += len(cands)
        c_gold += len(g.claims)
        for c in cands:
            best = max(free, key=lambda x: overlap_ratio((c.start, c.end), x[:2]), default=None)
            if best is not None and overlap_ratio((c.start, c.end), best[:2]) >= 0.5:
                free.remove(best)
                c_tp += 1
                if best[2] in ids:  # named sources registered as actors
                    claimant_known += 1
                    claimant_ok += key_of.get(c.actor_id) == best[2] if c.actor_id else 0
                    if key_of.get(c.actor_id) != best[2]:
                        errors["claimant"].append(
                            f"{g.name}: {c.text[:50]!r} got {key_of.get(c.actor_id)} "
                            f"want {best[2]} ({c.reason})")
            else:
                errors["claim_fp"].append(f"{g.name}: {c.text[:70]!r}")
        errors["claim_fn"] += [f"{g.name}: {g.text[s:e][:70]!r}" for s, e, _ in free]
    store.close()
    ap, ar, af = _prf(a_tp, a_pred, a_gold)
    cp, cr, cf = _prf(c_tp, c_pred, c_gold)
    return {
        "actors": {"precision": ap, "recall": ar, "f1": af, "tp": a_tp, "predicted": a_pred,
                   "gold": a_gold},
        "claims": {"precision": cp, "recall": cr, "f1": cf, "tp": c_tp, "predicted": c_pred,
                   "gold": c_gold},
        "claimant": {"accuracy": claimant_ok / claimant_known if claimant_known else 0.0,
                     "right": claimant_ok, "known": claimant_known},
        "errors": errors,
    }


def claimant_guess(corpus: list[GoldArticle] | None = None,
                   registry: dict[str, dict] | None = None) -> dict[str, float | int]:
    """How often the claimant filled in when the analyst tags a gold claim (key C) is right.

    Every gold mention is tagged first, as an analyst works; then each gold claim with
    a registry claimant is added the way the window adds it, and its guessed claimant
    compared with the gold one. ``nearest`` is the former rule (the nearest mention
    before the claim in its paragraph, else the first one in it), on the same claims.
    """
    from stancemark.core.spans import paragraph_bounds
    from stancemark.services.annotation import AnnotationService

    corpus = corpus or load_corpus()
    store, ids, arts = build_project(corpus, registry or load_registry())
    svc = AnnotationService(store, "bench")
    right = nearest_right = known = 0
    for g in corpus:
        art = arts[g.name]
        for s, e, key in g.mentions:
            if key in ids:
                store.annotations.add_mention(art, s, e, ids[key], "bench")
        mentions = store.annotations.mentions(art)
        for s, e, key in g.claims:
            if key is None or key not in ids:
                continue
            known += 1
            right += svc.guess_claimant(art, s, e) == ids[key]
            p_start, p_end = paragraph_bounds(g.text, s)
            before = [m for m in mentions if p_start <= m.start and m.end <= s]
            inside = [m for m in mentions if s <= m.start < p_end]
            old = max(before, key=lambda m: m.end) if before else min(
                inside, key=lambda m: m.start, default=None)
            nearest_right += old is not None and old.actor_id == ids[key]
    store.close()
    return {"accuracy": right / known if known else 0.0, "right": right, "known": known,
            "nearest": nearest_right / known if known else 0.0}


_SYL = ["ka", "ri", "mo", "ve", "lu", "dra", "ši", "ćo", "na", "tel", "berg", "son", "ov",
        "ić", "an", "el", "mir", "žu", "pe", "tra", "lin", "dor", "vik", "sa"]


def _generated_name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{word()} {word()}"


def long_article(n_actors: int = 5000, n_words: int = 20000) -> tuple[Store, int, str]:
    """The timing case: a project of ``n_actors`` actors and one ``n_words``-word article."""
    rng = random.Random(4)
    corpus = load_corpus()
    store = memory_project()
    for a in load_registry().values():
        store.actors.add(a["name"], a["type"], aliases=a["aliases"])
    names: set[str] = set()
    while len(names) < n_actors - len(load_registry()):
        names.add(_generated_name(rng))
    with store.write():
        for name in sorted(names):
            store.actors.add(name, "person", aliases=[name.split()[1]])
    paragraphs = [p for g in corpus for p in g.text.split("\n") if p.strip()]
    words: list[str] = []
    out: list[str] = []
    gen = sorted(names)
    while len(words) < n_words:
        para = rng.choice(paragraphs)
        if rng.random() < 0.3:  # sprinkle generated actors in too
            para = f"{rng.choice(gen)} said {para[0].lower()}{para[1:]}"
        out.append(para)
        words.extend(para.split())
    text = "\n".join(out)
    text = " ".join(text.split(" ")[:n_words]) if len(text.split()) > n_words else text
    art = store.articles.add(ArticleDraft(text=text, title="long"))
    return store, art, text


def timing(n_actors: int = 5000, n_words: int = 20000, runs: int = 15) -> dict[str, float]:
    """Median ms of listing all suggestions of one long article, matcher already built."""
    store, art, text = long_article(n_actors, n_words)
    svc = SuggestionService(store, "bench")
    t0 = time.perf_counter()
    svc.matcher()
    build_ms = (time.perf_counter() - t0) * 1000
    result: dict[str, float] = {"words": float(len(text.split())), "actors": float(n_actors),
                                "matcher_build_ms": build_ms}
    for label, kinds, cold in (("actors_ms", ("actor",), True), ("claims_ms", ("claim",), True),
                               ("new_actors_ms", ("new_actor",), True),
                               ("default_ms", ("actor", "claim"), True),
                               ("all_ms", ("actor", "claim", "new_actor"), True),
                               ("warm_default_ms", ("actor", "claim"), False),
                               ("warm_all_ms", ("actor", "claim", "new_actor"), False)):
        times, cpu = [], []
        svc.suggestions(art, kinds, text=text)
        for _ in range(runs):
            if cold:  # the first listing of the article: words and matches not yet cached
                forget_scans()
            t0, c0 = time.perf_counter(), time.process_time()
            svc.suggestions(art, kinds, text=text)
            cpu.append((time.process_time() - c0) * 1000)
            times.append((time.perf_counter() - t0) * 1000)
        result[label] = statistics.median(times)
        # CPU time of this process: what the work costs when other processes compete for cores
        result[label.replace("_ms", "_cpu_ms")] = statistics.median(cpu)
    result["suggestions"] = float(len(svc.suggestions(art, ALL_KINDS, text=text)))
    store.close()
    return result


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("MET" if met else "missed")




# -- the real-shaped evaluation set (issue 18) ----------------------------------------------

NEWS_GOALS = {"claims": (0.80, 0.75), "claimant": 0.85, "new_actors": 0.8}


def news_rows(split: str = "heldout") -> list[dict]:
    """Claim P/R and claimant accuracy on the news set, overall and per language and genre."""
    corpus = load_news(split)
    registry = load_news_registry(registered_only=True)
    groups: list[tuple[str, list[GoldArticle]]] = [(f"{split}: all", corpus)]
    for field_name in ("genre", "lang"):
        for value in sorted({g.meta[field_name] for g in corpus}):
            groups.append((f"{split}: {value}",
                           [g for g in corpus if g.meta[field_name] == value]))
    rows = []
    for label, arts in groups:
        ev = evaluate(arts, registry)
        guess = claimant_guess(arts, registry)
        rows.append({"what": label, "articles": len(arts), **{
            k: ev["claims"][k] for k in ("precision", "recall", "tp", "predicted", "gold")},
            "claimant": ev["claimant"]["accuracy"], "claimant_n": ev["claimant"]["known"],
            "on_c": guess["accuracy"], "on_c_n": guess["known"], "errors": ev["errors"]})
    return rows


def print_news(rows: list[dict]) -> None:
    gp, gr = NEWS_GOALS["claims"]
    print(f"\n{'news set (claims)':<22} {'arts':>4} {'P':>6} {'R':>6} {'tp':>4} {'pred':>4} "
          f"{'gold':>4} {'claimant':>8} {'n':>4} {'on C':>6} {'n':>4}")
    for r in rows:
        print(f"{r['what']:<22} {r['articles']:>4} {r['precision']:6.3f} {r['recall']:6.3f} "
              f"{r['tp']:>4} {r['predicted']:>4} {r['gold']:>4} {r['claimant']:8.3f} "
              f"{r['claimant_n']:>4} {r['on_c']:6.3f} {r['on_c_n']:>4}")
    top = rows[0]
    print(f"goal P>={gp} R>={gr}: {_verdict(top['precision'] >= gp and top['recall'] >= gr)}; "
          f"claimant >= {NEWS_GOALS['claimant']}: "
          f"{_verdict(top['claimant'] >= NEWS_GOALS['claimant'])}")




def new_actor_eval(split: str | None = "heldout") -> dict:
    """New-actor suggestions on the news set, the registry holding only registered actors.

    A suggestion is right when it overlaps (by half of the shorter span) a gold mention
    that the registry did not find: a name the analyst would tag. Recall counts the
    gold mentions of the actors left out of the registry.
    """
    corpus = load_news(split)
    full = load_news_registry()
    registry = load_news_registry(registered_only=True)
    store, ids, arts = build_project(corpus, registry)
    svc = SuggestionService(store, "bench")
    right = offered = found = wanted = 0
    wrong: list[str] = []
    missed: list[str] = []
    by_group: dict[str, list[int]] = {}
    by_genre: dict[str, list[int]] = {}
    recall_by_lang: dict[str, list[int]] = {}
    for g in corpus:
        sugg = svc.suggestions(arts[g.name], ("actor", "new_actor"))
        known = [(s.start, s.end) for s in sugg if s.kind == "actor"]
        new = [s for s in sugg if s.kind == "new_actor"]
        gold = [(s, e, k) for s, e, k in g.mentions
                if not any(overlap_ratio((s, e), x) > 0 for x in known)]
        counts = by_group.setdefault(g.meta["lang"], [0, 0])
        genre = by_genre.setdefault(g.meta["genre"], [0, 0])
        for s in new:
            ok = any(overlap_ratio((s.start, s.end), x[:2]) >= 0.5 for x in gold)
            right += ok
            counts[0] += ok
            counts[1] += 1
            genre[0] += ok
            genre[1] += 1
            if not ok:
                wrong.append(f"{g.name}: {s.text!r} ({s.reason})")
        offered += len(new)
        for s, e, k in gold:
            if full[k]["registered"]:
                continue
            wanted += 1
            hit = any(overlap_ratio((n.start, n.end), (s, e)) >= 0.5 for n in new)
            found += hit
            lang_r = recall_by_lang.setdefault(g.meta["lang"], [0, 0])
            lang_r[0] += hit
            lang_r[1] += 1
            if not hit:
                missed.append(f"{g.name}: {g.text[s:e]!r}")
    store.close()
    return {"precision": right / offered if offered else 0.0, "right": right,
            "offered": offered, "recall": found / wanted if wanted else 0.0, "found": found,
            "wanted": wanted, "wrong": wrong, "missed": missed,
            "by_lang": {k: (v[0] / v[1] if v[1] else 0.0, v[1]) for k, v in by_group.items()},
            "by_genre": {k: (v[0] / v[1] if v[1] else 0.0, v[1]) for k, v in by_genre.items()},
            "recall_by_lang": {k: (v[0] / v[1], v[1]) for k, v in recall_by_lang.items()}}


def old_corpus_new_actors() -> dict[str, float | int]:
    """New-actor precision on the development corpus with every third actor left out."""
    corpus = load_corpus()
    registry = load_registry()
    kept = {k: v for i, (k, v) in enumerate(sorted(registry.items())) if i % 3}
    store, ids, arts = build_project(corpus, kept)
    svc = SuggestionService(store, "bench")
    right = offered = 0
    for g in corpus:
        sugg = svc.suggestions(arts[g.name], ("actor", "new_actor"))
        known = [(x.start, x.end) for x in sugg if x.kind == "actor"]
        gold = [(s, e) for s, e, _ in g.mentions
                if not any(overlap_ratio((s, e), x) > 0 for x in known)]
        for x in sugg:
            if x.kind == "new_actor":
                offered += 1
                right += any(overlap_ratio((x.start, x.end), y) >= 0.5 for y in gold)
    store.close()
    return {"precision": right / offered if offered else 0.0, "right": right,
            "offered": offered}


def _row(metric: str, value: float, unit: str = "", target: str = "",
         ok: bool | None = None, **extra: object) -> dict:
    row: dict = {"benchmark": "suggest", "metric": metric, "value": value, "unit": unit,
                 "target": target, **extra}
    if ok is not None:
        row["ok"] = ok
    return row


def main() -> list[dict]:
    """Every figure of the suggestions, as rows of the benchmark table."""
    rows: list[dict] = []
    ev = evaluate()
    guess = claimant_guess()
    a, c = ev["actors"], ev["claims"]
    rows += [
        _row("dev corpus: actor suggestions P", a["precision"], "", "≥ 0.95",
             a["precision"] >= GOALS["actors"][0]),
        _row("dev corpus: actor suggestions R", a["recall"], "", "≥ 0.90",
             a["recall"] >= GOALS["actors"][1]),
        _row("dev corpus: claim candidates P", c["precision"]),
        _row("dev corpus: claim candidates R", c["recall"]),
        _row("dev corpus: claimant pre-filled right", ev["claimant"]["accuracy"]),
        _row("dev corpus: claimant guessed on C", guess["accuracy"], "", "≥ 0.905 (before)",
             guess["accuracy"] >= 0.905),
    ]
    gp, gr = NEWS_GOALS["claims"]
    # dev: tuned on from the start; heldout: reported blind at 8b78cd9, tuned on since;
    # heldout2: written after that, reported blind at 4ee639c, tuned on since b2a2eae;
    # heldout3: written before the German new-actor rules, measured blind, not tuned on;
    # dev has five more articles (fr, ru, sr, sr-Cyrl, en) for the title/body and
    # lower-case organisation rules, which were tuned on dev only
    for split in ("dev", "heldout", "heldout2", "heldout3"):
        for r in news_rows(split):
            if split == "dev" and not r["what"].endswith(": all"):
                continue
            top = r["what"].endswith(": all")
            label = f"news {r['what']} ({r['articles']} art., {r['gold']} claims)"
            rows.append(_row(f"{label}: claims P", r["precision"], "",
                             f"≥ {gp}" if top else "", r["precision"] >= gp if top else None))
            rows.append(_row(f"{label}: claims R", r["recall"], "",
                             f"≥ {gr}" if top else "", r["recall"] >= gr if top else None))
            rows.append(_row(f"{label}: claimant right (n={r['claimant_n']})", r["claimant"],
                             "", f"≥ {NEWS_GOALS['claimant']}" if top else "",
                             r["claimant"] >= NEWS_GOALS["claimant"] if top else None))
            if top:
                rows.append(_row(f"{label}: claimant guessed on C (n={r['on_c_n']})",
                                 r["on_c"]))
    goal = NEWS_GOALS["new_actors"]
    for split in ("dev", "heldout", "heldout2", "heldout3"):
        na = new_actor_eval(split)
        rows.append(_row(f"news {split}: new actors P ({na['right']}/{na['offered']})",
                         na["precision"], "", f"≥ {goal}", na["precision"] >= goal))
        rows.append(_row(f"news {split}: new actors R ({na['found']}/{na['wanted']})",
                         na["recall"]))
        for group in ("by_lang", "by_genre"):
            for value, (p, n) in sorted(na[group].items()):
                if n:
                    rows.append(_row(f"news {split} {value}: new actors P (n={n})", p))
        for value, (r, n) in sorted(na["recall_by_lang"].items()):
            rows.append(_row(f"news {split} {value}: new actors R (n={n})", r))
    old = old_corpus_new_actors()
    rows.append(_row(f"dev corpus, 1/3 of actors unknown: new actors P "
                     f"({old['right']}/{old['offered']})", old["precision"], "", f"≥ {goal}",
                     old["precision"] >= goal))
    t = timing()
    rows.append(_row("latency: all suggestions (actor, claim, new_actor), 20k words, "
                     "5k actors, wall", t["all_ms"], "ms", f"≤ {LATENCY_GOAL_MS}",
                     t["all_ms"] <= LATENCY_GOAL_MS))
    rows.append(_row("latency: the same, CPU time of this process", t["all_cpu_ms"], "ms",
                     f"≤ {LATENCY_GOAL_MS}", t["all_cpu_ms"] <= LATENCY_GOAL_MS))
    rows.append(_row("latency: the default listing (actor, claim), CPU", t["default_cpu_ms"],
                     "ms", f"≤ {LATENCY_GOAL_MS}", t["default_cpu_ms"] <= LATENCY_GOAL_MS))
    rows.append(_row("latency: all kinds again after an edit (scan cached), CPU",
                     t["warm_all_cpu_ms"], "ms", f"≤ {LATENCY_GOAL_MS}",
                     t["warm_all_cpu_ms"] <= LATENCY_GOAL_MS))
    rows.append(_row("latency: default listing again after an edit, CPU",
                     t["warm_default_cpu_ms"], "ms"))
    for part in ("actors", "claims", "new_actors"):
        rows.append(_row(f"latency: {part.replace('_', ' ')} only, CPU", t[f"{part}_cpu_ms"],
                         "ms"))
    rows.append(_row(f"latency: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
                     "CPU(s)", os.getloadavg()[0]))
    if "-v" in sys.argv:
        split = "dev" if "--dev" in sys.argv else "heldout"
        for k, v in news_rows(split)[0]["errors"].items():
            if not k.startswith("actor"):
                print(f"\n{k} ({len(v)}):")
                for line in v:
                    print("  ", line)
    return rows


if __name__ == "__main__":
    from tests.benchmarks.__main__ import print_table

    print_table(main())
