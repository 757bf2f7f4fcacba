"""Build a big, realistic project for the scale benchmarks (issue 7).

``python -m tests.benchmarks.generate_project OUT.stancemark [--articles N] [--annotations M]``

Defaults: 100,000 news-like articles of 2-4 KB and 1,000,000 annotations
(mentions, claims with claimant/target/category/stance, article and actor
sentiments) by 3 annotators over 5,000 actors with aliases, types and
affiliations. Everything comes from one seeded generator, so the same
parameters give the same file.

Texts are built sentence by sentence; where an actor's name (or alias) is put
into the text its code-point offsets are recorded, so every mention is a real
slice of the text, and every claim is a real sentence ("X said that ...").
Each span is checked against ``text[start:end]`` before it is written.

:func:`cached_project` keeps one generated file per parameter set under
``$STANCEMARK_BENCH_CACHE``, ``$XDG_CACHE_HOME/stancemark-bench`` or
``/tmp/stancemark-bench``, so repeated benchmark runs reuse it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

#: Bump when the generated shape changes, so stale cached files are not reused.
GENERATOR_VERSION = 2
N_ARTICLES = 100_000
N_ANNOTATIONS = 1_000_000
N_ACTORS = 5_000
ANNOTATORS = ("alice", "bojan", "chen")
CATEGORIES = ("security", "security-military", "security-police", "politics", "diplomacy",
              "rights", "economy", "other")
BATCH = 2_000

WORDS = """
the a of to in and for on with at by from as that this its their new after over about
minister government talks border police agreement statement official crisis parliament
opposition election vote budget protest security army treaty region capital president
spokesman envoy sanctions trade energy ceasefire negotiations community rights court ruling
coalition party leader press conference week month year report plan reform inflation prices
wages workers union strike farmers water drought flood storm school hospital health doctors
vaccine migration refugees asylum camp aid mission peacekeepers troops base drill exercise
airport railway bridge road tunnel pipeline gas oil grid power plant nuclear solar wind
investment bank loan debt deficit growth exports imports tariff customs fishing quota forest
mining license permit contract tender corruption investigation prosecutor judge verdict appeal
sentence prison arrest suspect charges detention journalist media broadcaster newspaper
website outlet censorship freedom speech assembly minority language church mosque monastery
heritage museum festival tourism season village town city district municipality council
mayor governor province county referendum constitution amendment decree law bill draft
committee hearing session majority minority vote count turnout ballot campaign rally poll
survey analysts experts observers diplomats delegation summit meeting visit dialogue
normalisation recognition sovereignty integration accession membership partnership
cooperation dispute tension incident clash escalation withdrawal deployment patrol checkpoint
barricade vehicle plates documents identity card passport visa travel crossing residents
citizens families children pupils students teachers pensioners veterans volunteers
""".split()
SYLLABLES = ("ka ri mo ta lu ve sa ne do pi ra zo be li mu na ko se ti vu ga le ro mi "
             "da po su ni ba fe ja ly sto vri ško dra lan mir gor vel bor").split()
VERBS = ("said", "stated", "told reporters", "announced", "warned", "insisted", "claimed",
         "argued", "declared", "added", "stressed", "repeated")
MENTION_FRAMES = (
    "{name} met {other} on {day} to discuss the {w1} and the {w2}.",
    "According to {name}, the {w1} {w2} remains {adj}.",
    "{name} visited the {w1} {w2} {when}.",
    "Officials close to {name} confirmed the {w1} {when}.",
    "The {w1} was welcomed by {name}, who spoke briefly about {w2}.",
)
ADJ = ("uncertain", "fragile", "stable", "tense", "calm", "unresolved", "promising", "stalled")
WHEN = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week",
        "this morning", "late on Sunday", "earlier this month")
FIRST = ("Marta Ivan Albin Ana Jonas Leila Tomás Ngozi Petra Milan Sofia Luka Elena Mehmet "
         "Arben Vesna Nikola Dragan Jelena Goran Fatmir Blerta Dimitri Olga Hans Greta "
         "Pierre Amélie Giulia Marco Katarzyna Piotr Zoran Snežana Đorđe Ljiljana Bujar "
         "Shpresa Alexei Natalia Yusuf Aylin Sven Ingrid Maria João Aisha Omar Chen Wei "
         "Hiroshi Yuki Kwame Amara Diego Lucía Pavel Irena Emil Hana Radu Ioana").split()
LAST = ("Kowalczyk Petrov Kurti Brnabić Lindqvist Haddad Ortega Adeyemi Novak Horvat "
        "Jovanović Petrović Nikolić Marković Đukić Krasniqi Gashi Berisha Hoxha Shala Müller "
        "Schmidt Dubois Laurent Rossi Bianchi Nowak Wiśniewski Ivanova Smirnov Yilmaz Demir "
        "Andersson Nilsson Silva Santos Khan Rahman Zhang Wang Tanaka Sato Mensah Okafor "
        "García Fernández Popescu Ionescu Kovač Babić Vuković Stojanović Ilić Pavlović "
        "Selimi Rexhepi Bytyqi Morina Dvořák Svoboda Horváth Nagy Tóth Papadopoulos").split()
ORG_A = ("Northern Southern Eastern Western Central United National Regional Free Civic "
         "Independent Democratic Social Green Blue New Old Royal Federal").split()
ORG_B = ("Energy Trade Water Media Rights Health Farmers Workers Transport Justice Security "
         "Science Heritage Youth Veterans Teachers Press Finance Peace Border").split()
ORG_C = ("Council Agency Institute Union Association Foundation Authority Commission "
         "Network Forum Office Service Bureau Alliance Chamber Initiative").split()
MEDIA_B = ("Daily Weekly Evening Morning Free Voice Herald Courier Observer Post Tribune "
           "Gazette Express Ledger Chronicle Monitor Review").split()


def _syllable_word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def _stamp(day: int, second: int) -> str:
    """An ISO timestamp in 2022-2023 (``day`` < 730)."""
    y, d = (2022, day) if day < 365 else (2023, day - 365)
    month_lengths = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    m = 0
    while d >= month_lengths[m]:
        d -= month_lengths[m]
        m += 1
    return (f"{y:04d}-{m + 1:02d}-{d + 1:02d}T{second // 3600 % 24:02d}:"
            f"{second // 60 % 60:02d}:{second % 60:02d}")


@dataclass
class GenActor:
    id: int
    name: str
    type: str
    aliases: list[str]
    affiliation_id: int | None = None


@dataclass
class GenArticle:
    """One generated article and its annotations (rows in the ``Bulk*`` column orders)."""

    text: str = ""
    mentions: list[tuple[int, int, int]] = field(default_factory=list)  # start, end, actor
    claims: list[tuple[int, int, int, int | None, str, int | None]] = field(
        default_factory=list)  # start, end, claimant, target, category, stance


class Generator:
    """Seeded source of actors and articles."""

    def __init__(self, seed: int = 7, n_actors: int = N_ACTORS) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        # Function words most frequent, then real and made-up content words mixed, so
        # searches range from very common to rare words.
        words = list(dict.fromkeys(WORDS))
        content = words[16:] + [_syllable_word(rng, rng.randint(2, 4)) for _ in range(4_000)]
        rng.shuffle(content)
        vocab = words[:16] + content
        weights = list(accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(vocab))))
        self.sentences = [self._filler(vocab, weights) for _ in range(40_000)]
        self.content_words = [w for w in dict.fromkeys(WORDS) if len(w) > 4]
        self.actors = self._actors(n_actors)
        # Popularity: a few actors appear everywhere, most rarely (Zipf-like).
        pop = [1.0 / (i + 1) ** 0.8 for i in range(len(self.actors))]
        rng.shuffle(pop)
        self._actor_cum = list(accumulate(pop))
        self.sources = [a.name for a in self.actors if a.type == "media"][:40] or ["Wire"]
        self.authors = [a.name for a in self.actors if a.type == "person"][:300]
        self.days = [_stamp(d, s) for d in range(730) for s in (3600 * 7 + d * 37 % 50000,)]

    def _filler(self, vocab: list[str], weights: list[float]) -> str:
        words = self.rng.choices(vocab, cum_weights=weights, k=self.rng.randint(9, 24))
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def _actors(self, n: int) -> list[GenActor]:
        rng = self.rng
        kinds = (["organisation"] * 12 + ["government"] * 8 + ["country"] * 5 + ["party"] * 5
                 + ["media"] * 5 + ["group"] * 5 + ["person"] * 60)
        names: set[str] = set()
        out: list[GenActor] = []
        # Non-persons first so persons can be affiliated to an earlier id.
        types = sorted((rng.choice(kinds) for _ in range(n)), key=lambda t: t == "person")
        for i, kind in enumerate(types, 1):
            while True:
                name, aliases = self._actor_name(kind)
                if name not in names:
                    break
            names.add(name)
            affiliation = None
            if kind == "person" and rng.random() < 0.3 and i > 1:
                affiliation = rng.randint(1, min(i - 1, int(n * 0.4)))
            out.append(GenActor(i, name, kind, aliases, affiliation))
        return out

    def _actor_name(self, kind: str) -> tuple[str, list[str]]:
        rng = self.rng
        if kind == "person":
            first, last = rng.choice(FIRST), rng.choice(LAST)
            middle = f" {rng.choice(FIRST)[0]}." if rng.random() < 0.5 else ""
            name = f"{first}{middle} {last}"
            if rng.random() < 0.25:
                name += f" {_syllable_word(rng, 2).capitalize()}"
            return name, [last] if rng.random() < 0.6 else []
        if kind == "country":
            stem = _syllable_word(rng, rng.randint(2, 3)).capitalize()
            return f"Republic of {stem}ia", [f"{stem}ia"]
        if kind == "party":
            name = f"{rng.choice(ORG_A)} {rng.choice(ORG_B)} Party {_syllable_word(rng, 2)}"
            return name.strip(), ["".join(w[0] for w in name.split()[:3]).upper() + "P"]
        if kind == "media":
            name = f"{_syllable_word(rng, 2).capitalize()} {rng.choice(MEDIA_B)}"
            return name, []
        if kind == "group":
            return (f"{_syllable_word(rng, 2).capitalize()} {rng.choice(ORG_B).lower()} "
                    f"{rng.choice(('activists', 'residents', 'protesters', 'workers'))}"), []
        name = (f"{rng.choice(ORG_A)} {rng.choice(ORG_B)} {rng.choice(ORG_C)} of "
                f"{_syllable_word(rng, 2).capitalize()}")
        acronym = "".join(w[0] for w in name.split() if w[0].isupper())
        return name, [acronym] if rng.random() < 0.7 else []

    def pick_actors(self, k: int) -> list[GenActor]:
        chosen = self.rng.choices(self.actors, cum_weights=self._actor_cum, k=k * 2)
        seen: dict[int, GenActor] = {}
        for a in chosen:
            seen.setdefault(a.id, a)
        return list(seen.values())[:k]

    def article(self, i: int, n_claims: int, n_mentions: int) -> tuple[str, GenArticle]:
        """Title and article with at least ``n_claims`` claims and ``n_mentions`` mentions."""
        rng = self.rng
        cast = self.pick_actors(rng.randint(3, 7))
        size = rng.randint(2_000, 4_000)
        # Plan the annotated sentences, then scatter them among filler. A claim
        # sentence names ~1.7 actors, a mention sentence ~1.8.
        plan = ["claim"] * n_claims
        plan += ["mention"] * max(0, round((n_mentions - 1.7 * n_claims) / 1.8))
        rng.shuffle(plan)
        g = GenArticle()
        parts: list[str] = []
        pos = 0
        para_len = 0

        def put(s: str) -> int:
            nonlocal pos
            start = pos
            parts.append(s)
            pos += len(s)
            return start

        def name_of(actor: GenActor) -> str:
            if actor.aliases and rng.random() < 0.3:
                return rng.choice(actor.aliases)
            return actor.name

        slots = max(1, size // 130)
        chance = len(plan) / slots
        while pos < size or plan:
            if para_len:
                put(" ")
            kind = plan.pop() if plan and (pos >= size or rng.random() < chance) else None
            if kind == "claim":
                self._claim_sentence(g, cast, put, name_of)
            elif kind == "mention":
                self._mention_sentence(g, cast, put, name_of)
            else:
                put(rng.choice(self.sentences))
            para_len += 1
            if para_len >= rng.randint(3, 6):
                put("\n\n")
                para_len = 0
        g.text = "".join(parts).rstrip() + "\n"
        title = " ".join(rng.choice(self.content_words).capitalize()
                         for _ in range(rng.randint(4, 8))) + f" ({i})"
        return title, g

    def _mention_sentence(self, g: GenArticle, cast: list[GenActor], put: Callable[[str], int],
                          name_of: Callable[[GenActor], str]) -> None:
        rng = self.rng
        frame = rng.choice(MENTION_FRAMES)
        actor = rng.choice(cast)
        other = rng.choice(cast)
        name, other_name = name_of(actor), name_of(other)
        words = rng.sample(self.content_words, 2)
        filled = frame.format(name="\0", other="\1", day=rng.choice(WHEN[:5])[3:], w1=words[0],
                              w2=words[1], adj=rng.choice(ADJ), when=rng.choice(WHEN))
        # Put the pieces in one by one so the names' offsets are known exactly.
        for piece in _split_keep(filled, "\0\1"):
            if piece == "\0":
                start = put(name)
                g.mentions.append((start, start + len(name), actor.id))
            elif piece == "\1":
                start = put(other_name)
                if other.id != actor.id:
                    g.mentions.append((start, start + len(other_name), other.id))
            else:
                put(piece)

    def _claim_sentence(self, g: GenArticle, cast: list[GenActor], put: Callable[[str], int],
                        name_of: Callable[[GenActor], str]) -> None:
        rng = self.rng
        claimant = rng.choice(cast)
        target = rng.choice(cast) if rng.random() < 0.7 else None
        if target is not None and target.id == claimant.id:
            target = None
        name = name_of(claimant)
        start = put(name)
        g.mentions.append((start, start + len(name), claimant.id))
        put(f" {rng.choice(VERBS)} that ")
        body = rng.choice(self.sentences)
        body = body[0].lower() + body[1:-1]
        if target is not None:
            cut = body.find(" ", len(body) // 2)
            cut = cut if cut > 0 else len(body)
            put(body[:cut] + " and that ")
            t_name = name_of(target)
            t_start = put(t_name)
            g.mentions.append((t_start, t_start + len(t_name), target.id))
            put(f" {rng.choice(('had failed', 'was responsible', 'must act', 'misled voters'))}")
        else:
            put(body)
        end = put(".") + 1
        stance = None if rng.random() < 0.1 else rng.randint(-2, 2)
        g.claims.append((start, end, claimant.id, target.id if target else None,
                         rng.choice(CATEGORIES), stance))


def _split_keep(text: str, marks: str) -> list[str]:
    out: list[str] = []
    buf = ""
    for ch in text:
        if ch in marks:
            if buf:
                out.append(buf)
            out.append(ch)
            buf = ""
        else:
            buf += ch
    if buf:
        out.append(buf)
    return out


def generate(path: Path, n_articles: int = N_ARTICLES, n_annotations: int = N_ANNOTATIONS,
             *, seed: int = 7, n_actors: int = N_ACTORS,
             log: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write a new project at ``path`` (must not exist); return the row counts."""
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

    say = log or (lambda _m: None)
    started = time.perf_counter()
    gen = Generator(seed, n_actors)
    rng = gen.rng
    say(f"vocabulary and {len(gen.actors):,} actors in {time.perf_counter() - started:.1f} s")
    created = "2022-01-01T00:00:00.000Z"
    per_article = n_annotations / max(1, n_articles)
    store = open_project(path, create=True)
    try:
        loader = BulkLoader(store)
        with loader.load(defer_fts=True):
            loader.annotators((i, n, created) for i, n in enumerate(ANNOTATORS, 1))
            loader.actors(BulkActor(a.id, a.name, a.type, a.affiliation_id, None, created,
                                    created) for a in gen.actors)
            loader.aliases((a.id, alias) for a in gen.actors for alias in a.aliases)
            mention_id = claim_id = 0
            done = 0  # annotations written so far
            for first in range(1, n_articles + 1, BATCH):
                arts: list[BulkArticle] = []
                ments: list[BulkMention] = []
                clms: list[BulkClaim] = []
                a_sent: list[BulkArticleSentiment] = []
                x_sent: list[BulkActorSentiment] = []
                for art_id in range(first, min(first + BATCH, n_articles + 1)):
                    annotated = rng.random() < 0.85
                    want = round(per_article * art_id) - done if annotated else 0
                    # ~1 article sentiment, ~20 % claims, ~55 % mentions, rest actor sentiments
                    n_claims = max(0, round(want * 0.2 * rng.uniform(0.6, 1.4))) \
                        if annotated else rng.randint(0, 1)
                    n_mentions = max(n_claims * 2, round(want * 0.55)) if annotated else 2
                    title, g = gen.article(art_id, n_claims, n_mentions)
                    text = g.text
                    day = rng.randrange(730)
                    stamp = gen.days[day] + ".000Z"
                    status = ("done" if rng.random() < 0.7 else "in_progress") if annotated \
                        else "new"
                    arts.append(BulkArticle(
                        art_id, hashlib.sha256(text.encode()).hexdigest(), title,
                        None, rng.choice(gen.sources), f"https://news.example/{art_id}",
                        rng.choice(gen.authors) if rng.random() < 0.6 else None,
                        gen.days[day], "en", status, len(text), stamp, stamp, text))
                    if not annotated:
                        continue
                    who = rng.randint(1, len(ANNOTATORS))
                    actors_here: dict[int, None] = {}
                    for start, end, actor in g.mentions:
                        span = text[start:end]
                        mention_id += 1
                        ments.append(BulkMention(mention_id, art_id, actor, start, end, span,
                                                 who, stamp, stamp))
                        actors_here[actor] = None
                    for start, end, claimant, target, cat, stance in g.claims:
                        claim_id += 1
                        clms.append(BulkClaim(claim_id, art_id, start, end, text[start:end],
                                              claimant, target, cat, stance, None, who, stamp,
                                              stamp))
                    a_sent.append(BulkArticleSentiment(art_id, who, rng.randint(-2, 2), stamp,
                                                       stamp))
                    n = len(g.mentions) + len(g.claims) + 1
                    room = max(0, round(per_article * art_id) - done - n)
                    for actor in list(actors_here)[:room]:
                        x_sent.append(BulkActorSentiment(art_id, actor, who, rng.randint(-2, 2),
                                                         stamp, stamp))
                        n += 1
                    done += n
                loader.articles(arts)
                loader.mentions(ments)
                loader.claims(clms)
                loader.article_sentiments(a_sent)
                loader.actor_sentiments(x_sent)
                last = arts[-1].id
                if last % 10_000 < BATCH or last == n_articles:
                    say(f"{last:,} articles, {done:,} annotations "
                        f"({time.perf_counter() - started:.0f} s)")
            say(f"rebuilding the full-text index ({time.perf_counter() - started:.0f} s)")
        counts = store.counts()
    finally:
        store.close()
    say(f"done in {time.perf_counter() - started:.0f} s: {path.stat().st_size / 2**20:,.0f} MiB")
    return counts


def cache_dir() -> Path:
    env = os.environ.get("STANCEMARK_BENCH_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "stancemark-bench" if xdg else Path("/tmp/stancemark-bench")


def cached_project(n_articles: int = N_ARTICLES, n_annotations: int = N_ANNOTATIONS,
                   *, seed: int = 7, log: Callable[[str], None] | None = None) -> Path:
    """The generated project for these parameters, generating it on first use.

    Generated under a temporary name and renamed when complete, so an
    interrupted run never leaves a half-built file that a later run would trust.
    """
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    from stancemark.store.schema import CURRENT_VERSION

    # the schema version is in the key: an older file would be migrated (and copied) on open
    path = folder / (f"scale-g{GENERATOR_VERSION}-v{CURRENT_VERSION}-a{n_articles}"
                     f"-n{n_annotations}-s{seed}.stancemark")
    if path.exists():
        return path
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    for stale in (tmp, Path(f"{tmp}.lock")):
        stale.unlink(missing_ok=True)
    generate(tmp, n_articles, n_annotations, seed=seed, log=log)
    os.replace(tmp, path)
    for leftover in folder.glob(f"{tmp.name}*"):
        leftover.unlink(missing_ok=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.generate_project",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the project file to write (must not exist)")
    parser.add_argument("--articles", type=int, default=N_ARTICLES)
    parser.add_argument("--annotations", type=int, default=N_ANNOTATIONS)
    parser.add_argument("--actors", type=int, default=N_ACTORS)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists; give a new file name")
    counts = generate(args.out, args.articles, args.annotations, seed=args.seed,
                      n_actors=args.actors, log=lambda m: print(m, file=sys.stderr, flush=True))
    for table, n in counts.items():
        print(f"{table:20} {n:>10,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
