"""The Stancemark annotation-set JSONL (lossless, re-importable; see design.md).

Line 1 carries the codebook; every other line is one article with the
annotations of one annotator. Ids (``a1``, ``m1``, ``c1``) are local to a line.
Actors are listed by name so the same set exported from two projects with
different actor ids is byte-identical, which the round-trip test relies on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.codebook import Codebook
from stancemark.core.models import Actor
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.exchange.registry import Exporter

VERSION = 1


def codebook_record(codebook: Codebook) -> dict[str, Any]:
    return {"stancemark": VERSION, "kind": "codebook", **codebook.to_dict()}


def _actor_key(actor: Actor) -> tuple[str, str, int]:
    return (actor.name.casefold(), actor.name, actor.id)


def set_record(aset: AnnotationSet,
               keys: dict[int, tuple[str, str, int]] | None = None) -> dict[str, Any]:
    """The JSON object of one annotation set (``keys`` caches actor sort keys across sets)."""
    a = aset.article
    if keys is None:
        actors = sorted(aset.actors.values(), key=_actor_key)
    else:
        for actor_id, actor in aset.actors.items():
            if actor_id not in keys:
                keys[actor_id] = _actor_key(actor)
        actors = [aset.actors[i] for i in sorted(aset.actors, key=keys.__getitem__)]
    local = {actor.id: f"a{i}" for i, actor in enumerate(actors, 1)}
    return {
        "stancemark": VERSION,
        "kind": "article",
        "annotator": aset.annotator,
        "article": {"uid": a.uid, "title": a.title, "subtitle": a.subtitle, "source": a.source,
                    "url": a.url, "author": a.author, "published": a.published,
                    "language": a.language, "status": a.status, "text": a.text},
        "actors": [{"id": local[x.id], "name": x.name, "type": x.type,
                    "aliases": list(x.aliases),
                    "affiliation": local.get(x.affiliation_id)
                    if x.affiliation_id is not None else None} for x in actors],
        "mentions": [{"id": f"m{i}", "start": m.start, "end": m.end, "text": m.text,
                      "actor": local[m.actor_id]} for i, m in enumerate(aset.mentions, 1)],
        "claims": [{"id": f"c{i}", "start": c.start, "end": c.end, "text": c.text,
                    "claimant": local.get(c.claimant_id) if c.claimant_id is not None else None,
                    "target": local.get(c.target_id) if c.target_id is not None else None,
                    "category": c.category, "stance": c.stance, "note": c.note}
                   for i, c in enumerate(aset.claims, 1)],
        "sentiment": {"article": aset.article_sentiment,
                      "actors": {local[k]: v for k, v in
                                 sorted(aset.actor_sentiments.items(),
                                        key=lambda kv: int(local[kv[0]][1:]))}},
    }


def dumps(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def write(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
          codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    with open(dest, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(codebook_record(codebook)) + "\n")
        keys: dict[int, tuple[str, str, int]] = {}
        for aset in sets:
            f.write(dumps(set_record(aset, keys)) + "\n")


EXPORTER = Exporter(
    name="jsonl",
    description="Stancemark annotation set for another Stancemark project (JSON Lines, "
                "lossless; can be merged back)",
    title="Stancemark JSONL",
    multi_file=False,
    suffix=".jsonl",
    write=write,
)
