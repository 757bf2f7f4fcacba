"""CSV: four tables (claims, mentions, actors, sentiment) for spreadsheets and R/pandas.

Each file is UTF-8 *with* a byte-order mark, so Excel opens Cyrillic and emoji
correctly; one row per item; actors by name, never by id; every row carries
the article's uid, title, date and source. A text cell that a spreadsheet
would run as a formula (starting with ``= + - @``, a tab or a carriage return)
is neutralised with a leading ``'``. ``sentiment.csv`` holds the article's
sentiment (empty ``actor``) and the sentiment towards each actor.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.categories import CategoryTree
from stancemark.core.codebook import Codebook
from stancemark.core.models import Actor
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.exchange.registry import Exporter

ENCODING = "utf-8-sig"
_DANGER = ("=", "+", "-", "@", "\t", "\r")

ARTICLE_COLS = ["article_uid", "article_title", "article_published", "article_source",
                "annotator"]
CLAIM_COLS = ARTICLE_COLS + ["start", "end", "text", "claimant", "target", "category",
                             "category_path", "stance", "stance_label", "note"]
MENTION_COLS = ARTICLE_COLS + ["start", "end", "text", "actor", "actor_type"]
SENTIMENT_COLS = ARTICLE_COLS + ["actor", "value", "value_label"]
ACTOR_COLS = ["name", "type", "aliases", "affiliation", "mentions", "claims_as_claimant",
              "claims_as_target"]


def neutralise(value: Any) -> Any:
    """Make a text cell inert in a spreadsheet: ``=1+1`` becomes ``'=1+1``."""
    if isinstance(value, str) and value.startswith(_DANGER):
        return "'" + value
    return value


def _row(values: list[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


def write(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
          codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    labels = {p.value: neutralise(p.label) for p in codebook.scale}
    paths: dict[str, str] = {}
    tree = CategoryTree(codebook)
    actors: dict[int, Actor] = {}
    counts: dict[int, list[int]] = {}  # actor id -> mentions, as claimant, as target
    files = {name: open(dest / f"{name}.csv", "w", encoding=ENCODING, newline="")
             for name in ("claims", "mentions", "sentiment", "actors")}
    try:
        w = {name: csv.writer(f) for name, f in files.items()}
        w["claims"].writerow(CLAIM_COLS)
        w["mentions"].writerow(MENTION_COLS)
        w["sentiment"].writerow(SENTIMENT_COLS)
        w["actors"].writerow(ACTOR_COLS)
        nz = neutralise
        for s in sets:
            a = s.article
            head = _row([a.uid, a.title, a.published, a.source, s.annotator])
            names: dict[int | None, str | None] = {None: None}
            for actor_id, actor in s.actors.items():
                actors.setdefault(actor_id, actor)
                names[actor_id] = nz(actor.name)
            rows = []
            for c in s.claims:
                key = c.category or ""
                path = paths.get(key)
                if path is None:
                    path = paths[key] = nz(tree.path(key)) if key else ""
                stance = c.stance
                rows.append(head + [c.start, c.end, nz(c.text), names[c.claimant_id],
                                    names[c.target_id], nz(c.category), path, stance,
                                    None if stance is None else labels.get(stance),
                                    nz(c.note)])
                for i, who in ((1, c.claimant_id), (2, c.target_id)):
                    if who is not None:
                        counts.setdefault(who, [0, 0, 0])[i] += 1
            w["claims"].writerows(rows)
            rows = []
            for m in s.mentions:
                actor = s.actors[m.actor_id]
                rows.append(head + [m.start, m.end, nz(m.text), names[m.actor_id],
                                    nz(actor.type)])
                counts.setdefault(m.actor_id, [0, 0, 0])[0] += 1
            w["mentions"].writerows(rows)
            if s.article_sentiment is not None:
                w["sentiment"].writerow(head + [None, s.article_sentiment,
                                                nz(labels.get(s.article_sentiment))])
            for actor_id, value in s.actor_sentiments.items():
                w["sentiment"].writerow(head + [names[actor_id], value, nz(labels.get(value))])
        for actor in sorted(actors.values(), key=lambda x: (x.name.casefold(), x.name)):
            n = counts.get(actor.id, [0, 0, 0])
            aff = actors.get(actor.affiliation_id) if actor.affiliation_id else None
            w["actors"].writerow(_row([actor.name, actor.type, "; ".join(actor.aliases),
                                       aff.name if aff else None, *n]))
    finally:
        for f in files.values():
            f.close()


EXPORTER = Exporter(
    name="csv",
    description="CSV tables for Excel, LibreOffice, R and pandas: claims, mentions, actors, "
                "sentiment (UTF-8 with BOM)",
    title="CSV tables",
    multi_file=True,
    suffix="",
    write=write,
)
