"""Label Studio: ``tasks.json`` (one task per article) and the matching ``config.xml``.

Offsets are code points (Python string indices), which is what Label Studio's
Python side uses: its SDK converters slice ``text[start:end]`` with them, and
every region here carries ``text == data.text[start:end]``.

Each annotator's work is one entry of the task's ``annotations``. Label Studio
keeps a task's ``data`` and ``meta`` whole and an annotation's ``id`` as its
``import_id``, but drops other fields of an annotation, and credits it to the
importing user unless ``completed_by`` names a member of the organisation by
e-mail (``{"email": ...}``; an unknown e-mail fails the import). So:

- the names are always in ``data.annotators`` and ``meta.annotators`` (one per
  annotation, in the order of ``annotations``) and in ``data.annotator_by_id``
  (keyed by the annotation's ``id``);
- option ``ls_users``: ``names`` (default) writes no ``completed_by``;
  ``email`` writes ``completed_by: {"email": <annotator>}``, for teams whose
  annotator names are their Label Studio e-mail addresses (a name without
  ``@`` is refused), so each annotation arrives as that user's.

Results:

- a ``labels`` region per mention (label: the actor type) and per claim
  (label ``Claim``), ids ``m<id>`` / ``c<id>``;
- per-region results sharing the region's id: ``actor`` (text: the actor's
  name) on mentions; ``stance`` and ``category`` (choices), ``claimant``,
  ``target`` and ``note`` (text) on claims; ``actor_sentiment`` (choices) on
  the first mention of each actor with a sentiment;
- ``relation`` items: claimant mention → claim (``claimant``) and claim →
  target mention (``target``), anchored at the actor's mention nearest the
  claim; an actor with no mention is still named in the claim's text fields;
- the article sentiment as the task-level ``sentiment`` choice.

Lossy: an actor sentiment whose actor has no mention in the article has no
region to sit on and is left out.

The labelling config is written last, so it also lists any actor type,
category or stance value met in the data but missing from the codebook.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.categories import CategoryTree
from stancemark.core.codebook import Codebook
from stancemark.core.errors import ValidationError
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.exchange.common import by_article, nearest_mention
from stancemark.exchange.registry import Exporter, ExportOption

LS_USERS = ExportOption(
    name="ls_users", label="Label Studio &users",
    help="names: annotators named in the task data; email: annotator names are Label "
         "Studio e-mails and each annotation is credited to that user",
    choices=(("names", "Annotators named in the task data (imported as you)"),
             ("email", "Annotator names are Label Studio e-mails: credit each user")),
    default="names")
TASKS_FILE = "tasks.json"
CONFIG_FILE = "config.xml"
CLAIM_LABEL = "Claim"
UNTYPED_LABEL = "Actor"


class _Vocabulary:
    """The values the config must offer: the codebook's, then any others met in the data."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.labels: dict[str, str] = {t.label: t.color for t in codebook.actor_types}
        self.stances: list[str] = [codebook.scale_label(p.value) for p in codebook.scale]
        self.tree = CategoryTree(codebook)
        self.categories: list[str] = [self.tree.path(c.key) for c, _ in self.tree.walk()]
        self._category_set = set(self.categories)

    def actor_label(self, type_key: str | None) -> str:
        kind = self.codebook.actor_type(type_key)
        label = kind.label if kind else (type_key or UNTYPED_LABEL)
        self.labels.setdefault(label, kind.color if kind else "#bab0ac")
        return label

    def stance(self, value: int) -> str:
        label = self.codebook.scale_label(value)
        if label not in self.stances:
            self.stances.append(label)
        return label

    def category(self, key: str) -> str:
        label = self.tree.path(key)
        if label not in self._category_set:
            self._category_set.add(label)
            self.categories.append(label)
        return label


def labelling_config(vocab: _Vocabulary) -> str:
    """The ``<View>`` config matching the exported results."""

    def options(tag: str, values: Iterable[str]) -> str:
        return "".join(f"\n    <{tag} value={quoteattr(v)}/>" for v in values)

    labels = "".join(
        f"\n    <Label value={quoteattr(v)} background={quoteattr(c)}/>"
        for v, c in [*vocab.labels.items(), (CLAIM_LABEL, "#f28e2b")])
    per_region_text = "".join(
        f'\n  <TextArea name="{name}" toName="text" perRegion="true" editable="true" '
        f'maxSubmissions="1" placeholder={quoteattr(hint)}/>'
        for name, hint in (("actor", "actor name"), ("claimant", "claimant"),
                           ("target", "target"), ("note", "note")))
    return (
        "<View>\n"
        '  <Header value="$title"/>\n'
        f'  <Labels name="label" toName="text">{labels}\n  </Labels>\n'
        "  <Relations>\n"
        '    <Relation value="claimant"/>\n'
        '    <Relation value="target"/>\n'
        "  </Relations>\n"
        '  <Text name="text" value="$text"/>\n'
        '  <Choices name="sentiment" toName="text" choice="single" showInline="true">'
        f"{options('Choice', vocab.stances)}\n  </Choices>\n"
        '  <Choices name="stance" toName="text" perRegion="true" choice="single">'
        f"{options('Choice', vocab.stances)}\n  </Choices>\n"
        '  <Choices name="category" toName="text" perRegion="true" choice="single">'
        f"{options('Choice', vocab.categories)}\n  </Choices>\n"
        '  <Choices name="actor_sentiment" toName="text" perRegion="true" choice="single">'
        f"{options('Choice', vocab.stances)}\n  </Choices>"
        f"{per_region_text}\n"
        "</View>\n"
    )


def _region(rid: str, name: str, kind: str, span: dict[str, Any], key: str,
            value: Any) -> dict[str, Any]:
    return {"id": rid, "from_name": name, "to_name": "text", "type": kind, "origin": "manual",
            "value": {**span, key: value}}


def annotation_result(s: AnnotationSet, vocab: _Vocabulary) -> list[dict[str, Any]]:
    """The ``result`` list of one annotator's annotation of one article."""
    result: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    sentiment_placed: set[int] = set()

    def name(actor_id: int | None) -> str | None:
        actor = s.actors.get(actor_id) if actor_id is not None else None
        return actor.name if actor else None

    for m in s.mentions:
        rid = f"m{m.id}"
        span = {"start": m.start, "end": m.end}
        actor = s.actors.get(m.actor_id)
        label = vocab.actor_label(actor.type if actor else None)
        result.append(_region(rid, "label", "labels", {**span, "text": m.text}, "labels",
                              [label]))
        if actor is not None:
            result.append(_region(rid, "actor", "textarea", span, "text", [actor.name]))
        value = s.actor_sentiments.get(m.actor_id)
        if value is not None and m.actor_id not in sentiment_placed:
            sentiment_placed.add(m.actor_id)
            result.append(_region(rid, "actor_sentiment", "choices", span, "choices",
                                  [vocab.stance(value)]))
    for c in s.claims:
        rid = f"c{c.id}"
        span = {"start": c.start, "end": c.end}
        result.append(_region(rid, "label", "labels", {**span, "text": c.text}, "labels",
                              [CLAIM_LABEL]))
        if c.stance is not None:
            result.append(_region(rid, "stance", "choices", span, "choices",
                                  [vocab.stance(c.stance)]))
        if c.category:
            result.append(_region(rid, "category", "choices", span, "choices",
                                  [vocab.category(c.category)]))
        for field, actor_id in (("claimant", c.claimant_id), ("target", c.target_id)):
            actor_name = name(actor_id)
            if actor_name:
                result.append(_region(rid, field, "textarea", span, "text", [actor_name]))
        if c.note:
            result.append(_region(rid, "note", "textarea", span, "text", [c.note]))
        claimant = nearest_mention(s.mentions, c.claimant_id, c.start, c.end)
        if claimant is not None:
            relations.append({"type": "relation", "from_id": f"m{claimant.id}", "to_id": rid,
                              "direction": "right", "labels": ["claimant"]})
        target = nearest_mention(s.mentions, c.target_id, c.start, c.end)
        if target is not None:
            relations.append({"type": "relation", "from_id": rid, "to_id": f"m{target.id}",
                              "direction": "right", "labels": ["target"]})
    if s.article_sentiment is not None:
        result.append({"id": "sentiment", "from_name": "sentiment", "to_name": "text",
                       "type": "choices", "origin": "manual",
                       "value": {"choices": [vocab.stance(s.article_sentiment)]}})
    return result + relations


def _credit(annotator: str) -> dict[str, str]:
    if "@" not in annotator:
        raise ValidationError(
            f"Label Studio users by e-mail: the annotator {annotator!r} is not an e-mail "
            "address.", "Export with --ls-users names, or name annotators by their Label "
            "Studio e-mail.")
    return {"email": annotator}


def task(group: list[AnnotationSet], vocab: _Vocabulary,
         users: str = "names") -> dict[str, Any]:
    """One Label Studio task: an article and every annotator's annotation of it."""
    art = group[0].article
    annotated = [s for s in group if s.annotator is not None]
    annotations = [
        {"id": n, "result": annotation_result(s, vocab), "was_cancelled": False,
         "ground_truth": False, "stancemark": {"annotator": s.annotator},
         **({"completed_by": _credit(s.annotator)}
            if users == "email" and s.annotator is not None else {})}
        for n, s in enumerate(annotated, start=1)
    ]
    return {
        "data": {"text": art.text, "title": art.title or "", "uid": art.uid,
                 "source": art.source, "url": art.url, "published": art.published,
                 "language": art.language,
                 "annotators": [s.annotator for s in annotated],
                 "annotator_by_id": {str(n): s.annotator
                                     for n, s in enumerate(annotated, start=1)}},
        "meta": {"annotators": [s.annotator for s in annotated]},
        "annotations": annotations,
    }


def write_labelstudio(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
                      codebook: Codebook, progress: ProgressCallback,
                      cancel: CancelFlag) -> None:
    """Stream the tasks into ``dest/tasks.json``, then write ``dest/config.xml``."""
    users = LS_USERS.check(options.get("ls_users"), "labelstudio")
    dest.mkdir(parents=True, exist_ok=True)
    vocab = _Vocabulary(codebook)
    with (dest / TASKS_FILE).open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        for n, (_, group) in enumerate(by_article(sets)):
            fh.write(",\n" if n else "\n")
            fh.write(json.dumps(task(group, vocab, users), ensure_ascii=False))
        fh.write("\n]\n")
    (dest / CONFIG_FILE).write_text(labelling_config(vocab), encoding="utf-8", newline="\n")


EXPORTER = Exporter(
    name="labelstudio",
    description="Label Studio tasks (JSON) with the matching labelling config, for Label "
                "Studio's import",
    title="Label Studio JSON",
    options=(LS_USERS,),
    multi_file=True,
    suffix="",
    write=write_labelstudio,
)
