"""doccano JSONL, relation-extraction variant: entities, relations, and our extras.

One line per article and annotator::

    {"id": 1, "text": "...", "entities": [{"id", "label", "start_offset", "end_offset"}],
     "relations": [{"id", "from_id", "to_id", "type"}], "annotator": "...", ...}

Option ``spans`` decides what a line holds, and with it which doccano project
settings the file needs (the export summary says so too):

- ``all`` (default): mentions and claims as entities, ``claimant``/``target``
  relations. Needs a *Sequence Labeling* project with **Allow overlapping
  spans** and **Use relation labeling** on, because a claim contains the
  mentions of its claimant or target; a default project drops the overlapping
  spans and then refuses the relations that point at them.
- ``mentions`` or ``claims``: that layer only, in doccano's plain *JSONL*
  shape (``"label": [[start, end, label], ...]``), no relations and no two
  spans overlapping, which a default *Sequence Labeling* project takes. Where
  spans of the layer overlap, the first in text order is kept and the others
  are listed in ``overlapping`` (offsets and text) so nothing goes unnoticed.
  doccano keeps the other keys of a line as the example's metadata.

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
from stancemark.exchange.registry import Exporter, ExportOption

CLAIM = "Claim"
SPANS = ExportOption(
    name="spans", label="&Spans",
    help="all (needs overlapping spans and relation labeling on), or one layer for a "
         "default project",
    choices=(("all", "Mentions, claims and relations (project settings needed)"),
             ("mentions", "Mentions only (a default project takes it)"),
             ("claims", "Claims only (a default project takes it)")),
    default="all")


def record(n: int, s: AnnotationSet, spans: str = "all") -> dict[str, Any]:
    if spans != "all":
        return layer_record(n, s, spans)
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


def _article_fields(s: AnnotationSet) -> dict[str, Any]:
    a = s.article
    return {"annotator": s.annotator, "article_uid": a.uid, "title": a.title,
            "source": a.source, "published": a.published}


def layer_record(n: int, s: AnnotationSet, layer: str) -> dict[str, Any]:
    """One layer's spans as non-overlapping entities, no relations (a default project)."""
    idx = Utf16Index(s.article.text)
    items: list[tuple[int, int, str, dict[str, Any]]] = []
    if layer == "claims":
        for c in s.claims:
            items.append((c.start, c.end, CLAIM, {
                "claimant": s.actors[c.claimant_id].name if c.claimant_id is not None else None,
                "target": s.actors[c.target_id].name if c.target_id is not None else None,
                "category": c.category, "stance": c.stance, "note": c.note}))
    else:
        for m in s.mentions:
            actor = s.actors[m.actor_id]
            items.append((m.start, m.end, entity_label(actor.type), {"actor": actor.name}))
    items.sort(key=lambda x: (x[0], x[1]))
    labels: list[list[Any]] = []
    meta: list[dict[str, Any]] = []
    overlapping: list[dict[str, Any]] = []
    reach = -1
    for start, end, label, extra in items:
        a, b = idx.to_utf16(start), idx.to_utf16(end)
        if start < reach:
            overlapping.append({"start_offset": a, "end_offset": b, "label": label,
                                "text": s.article.text[start:end], **extra})
            continue
        reach = end
        labels.append([a, b, label])
        meta.append({"start_offset": a, "end_offset": b, **extra})
    return {"id": n, "text": s.article.text, "label": labels,
            **_article_fields(s), layer: meta, "overlapping": overlapping,
            "sentiment": {"article": s.article_sentiment,
                          "actors": {s.actors[k].name: v
                                     for k, v in s.actor_sentiments.items()}}}


def write(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
          codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    spans = SPANS.check(options.get("spans"), "doccano")
    with open(dest, "w", encoding="utf-8", newline="\n") as f:
        for n, s in enumerate(sets, 1):
            f.write(json.dumps(record(n, s, spans), ensure_ascii=False) + "\n")


def note(options: Mapping[str, str]) -> str:
    if options.get("spans", "all") == "all":
        return ("doccano: import into a Sequence Labeling project with 'Allow overlapping "
                "spans' and 'Use relation labeling' on, file format 'JSONL(Relation)'.")
    return ("doccano: import into a Sequence Labeling project with the default settings, "
            "file format 'JSONL' (column label: label); overlapping spans of the layer are "
            "listed under 'overlapping'.")


EXPORTER = Exporter(
    name="doccano",
    description="doccano JSONL for doccano's Sequence Labeling import (entities and "
                "relations, or one layer for a default project; UTF-16 offsets)",
    title="doccano JSONL",
    options=(SPANS,),
    note=note,
    multi_file=False,
    suffix=".jsonl",
    write=write,
)
