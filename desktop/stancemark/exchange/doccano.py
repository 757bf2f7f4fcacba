"""doccano JSONL, relation-extraction variant: entities, relations, and our extras.

One line per article and annotator::

    {"id": 1, "text": "...", "entities": [{"id", "label", "start_offset", "end_offset"}],
     "relations": [{"id", "from_id", "to_id", "type"}], "annotator": "...", ...}

Offsets count **UTF-16 code units** (an emoji is 2), as doccano's browser
front end measures text; they are converted from our code-point offsets with
:class:`~stancemark.core.spans.Utf16Index`. Mentions are entities labelled by
actor type, claims are ``Claim`` entities; ``claimant``/``target`` relations
run from the claim to the nearest mention of that actor. Stance, category,
note and actor names, which doccano's relation schema has no place for, are in
``claims``/``mentions`` keys doccano keeps as metadata.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.codebook import Codebook
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.core.spans import Utf16Index
from stancemark.exchange.common import entity_label, nearest_mention
from stancemark.exchange.registry import Exporter

CLAIM = "Claim"


def record(n: int, s: AnnotationSet) -> dict[str, Any]:
    idx = Utf16Index(s.article.text)
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    mention_meta: list[dict[str, Any]] = []
    claim_meta: list[dict[str, Any]] = []
    ent_id: dict[int, int] = {}
    for m in s.mentions:
        actor = s.actors[m.actor_id]
        ent_id[m.id] = len(entities) + 1
        entities.append({"id": ent_id[m.id], "label": entity_label(actor.type),
                         "start_offset": idx.to_utf16(m.start),
                         "end_offset": idx.to_utf16(m.end)})
        mention_meta.append({"entity_id": ent_id[m.id], "actor": actor.name})
    for c in s.claims:
        cid = len(entities) + 1
        entities.append({"id": cid, "label": CLAIM, "start_offset": idx.to_utf16(c.start),
                         "end_offset": idx.to_utf16(c.end)})
        for role, actor_id in (("claimant", c.claimant_id), ("target", c.target_id)):
            near = nearest_mention(s.mentions, actor_id, c.start, c.end)
            if near is not None:
                relations.append({"id": len(relations) + 1, "from_id": cid,
                                  "to_id": ent_id[near.id], "type": role})
        claim_meta.append({
            "entity_id": cid,
            "claimant": s.actors[c.claimant_id].name if c.claimant_id is not None else None,
            "target": s.actors[c.target_id].name if c.target_id is not None else None,
            "category": c.category, "stance": c.stance, "note": c.note})
    a = s.article
    return {"id": n, "text": a.text, "entities": entities, "relations": relations,
            "annotator": s.annotator, "article_uid": a.uid, "title": a.title,
            "source": a.source, "published": a.published, "mentions": mention_meta,
            "claims": claim_meta,
            "sentiment": {"article": s.article_sentiment,
                          "actors": {s.actors[k].name: v
                                     for k, v in s.actor_sentiments.items()}}}


def write(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
          codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    with open(dest, "w", encoding="utf-8", newline="\n") as f:
        for n, s in enumerate(sets, 1):
            f.write(json.dumps(record(n, s), ensure_ascii=False) + "\n")


EXPORTER = Exporter(
    name="doccano",
    description="doccano JSONL, relation extraction (entities + relations; UTF-16 offsets)",
    multi_file=False,
    suffix=".jsonl",
    write=write,
)
