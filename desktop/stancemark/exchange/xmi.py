"""UIMA CAS XMI: one ``.xmi`` per article and annotator, plus ``TypeSystem.xml``.

For UIMA tools that read a type system beside the XMI (DKPro Core, cassis, the
UIMA reference reader). INCEpTION ignores that type system and reads against
its project's layers: for INCEpTION use the project archive (``inception``).

The CAS is built with dkpro-cassis, which takes Python (code-point) offsets and
writes UIMA's UTF-16 offsets into the XMI itself. Layers follow INCEpTION's
conventions (``resources/exchange/uima/TypeSystem.xml``):

- ``webanno.custom.Actor`` span per mention (actorName, actorType, affiliation);
- ``webanno.custom.Claim`` span per claim (claimant and target names, category
  and its path, stance and its label, note);
- ``webanno.custom.ClaimRelation`` (Governor → Dependent, spanning the Dependent):
  claimant mention → claim with role ``claimant``, claim → target mention with
  role ``target``, anchored at the actor's mention nearest the claim. A claimant
  or target with no mention in the article has no relation, but is still named
  on the claim;
- document-level ``webanno.custom.ArticleSentiment`` and ``ActorSentiment``;
- DKPro ``DocumentMetaData`` with the title, the article uid as documentId and
  the source as collectionId.

``--output x.zip`` zips the folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.categories import CategoryTree
from stancemark.core.codebook import Codebook
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.core.resources import resource
from stancemark.exchange.common import file_stem, nearest_mention, xml_text
from stancemark.exchange.registry import Exporter

TYPESYSTEM_FILE = "TypeSystem.xml"
T_META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
T_ACTOR = "webanno.custom.Actor"
T_CLAIM = "webanno.custom.Claim"
T_RELATION = "webanno.custom.ClaimRelation"
T_ARTICLE_SENTIMENT = "webanno.custom.ArticleSentiment"
T_ACTOR_SENTIMENT = "webanno.custom.ActorSentiment"


def typesystem_path() -> Path:
    """The shipped UIMA type system."""
    return resource("exchange", "uima", TYPESYSTEM_FILE)


@cache
def _typesystem() -> Any:
    from cassis import load_typesystem

    with typesystem_path().open("rb") as fh:
        return load_typesystem(fh)


def build_cas(s: AnnotationSet, codebook: Codebook, tree: CategoryTree | None = None) -> Any:
    """The CAS of one annotation set (offsets given in code points; cassis converts)."""
    tree = tree or CategoryTree(codebook)
    from cassis import Cas

    ts = _typesystem()
    art = s.article
    text = xml_text(art.text)
    cas = Cas(typesystem=ts, sofa_string=text)
    cas.add(ts.get_type(T_META)(
        begin=0, end=len(text), language=art.language or "x-unspecified",
        documentTitle=xml_text(art.title or ""), documentId=art.uid,
        collectionId=xml_text(art.source or ""), documentUri=xml_text(art.url or "") or None,
        isLastSegment=False))

    def actor_name(actor_id: int | None) -> str | None:
        actor = s.actors.get(actor_id) if actor_id is not None else None
        return xml_text(actor.name) if actor else None

    actor_t, claim_t, rel_t = ts.get_type(T_ACTOR), ts.get_type(T_CLAIM), ts.get_type(T_RELATION)
    mention_fs: dict[int, Any] = {}
    for m in s.mentions:
        actor = s.actors.get(m.actor_id)
        affiliation = actor_name(actor.affiliation_id) if actor else None
        fs = actor_t(begin=m.start, end=m.end, actorName=actor_name(m.actor_id),
                     actorType=actor.type if actor else None, affiliation=affiliation,
                     annotator=s.annotator)
        cas.add(fs)
        mention_fs[m.id] = fs
    for c in s.claims:
        fs = claim_t(begin=c.start, end=c.end, claimant=actor_name(c.claimant_id),
                     target=actor_name(c.target_id), category=c.category,
                     categoryPath=tree.path(c.category) if c.category else None,
                     stance=c.stance,
                     stanceLabel=codebook.scale_label(c.stance) if c.stance is not None else None,
                     note=xml_text(c.note) if c.note else None, annotator=s.annotator)
        cas.add(fs)
        claimant = nearest_mention(s.mentions, c.claimant_id, c.start, c.end)
        if claimant is not None:
            dep = fs
            cas.add(rel_t(begin=dep.begin, end=dep.end, Governor=mention_fs[claimant.id],
                          Dependent=dep, role="claimant"))
        target = nearest_mention(s.mentions, c.target_id, c.start, c.end)
        if target is not None:
            dep = mention_fs[target.id]
            cas.add(rel_t(begin=dep.begin, end=dep.end, Governor=fs, Dependent=dep,
                          role="target"))
    if s.article_sentiment is not None:
        cas.add(ts.get_type(T_ARTICLE_SENTIMENT)(
            value=s.article_sentiment, label=codebook.scale_label(s.article_sentiment),
            annotator=s.annotator))
    for actor_id, value in s.actor_sentiments.items():
        cas.add(ts.get_type(T_ACTOR_SENTIMENT)(
            actorName=actor_name(actor_id), value=value, label=codebook.scale_label(value),
            annotator=s.annotator))
    return cas


def write_xmi(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
              codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    """Write one XMI per set into the folder ``dest``, then the type system."""
    dest.mkdir(parents=True, exist_ok=True)
    tree = CategoryTree(codebook)
    for s in sets:
        cas = build_cas(s, codebook, tree)
        cas.to_xmi(dest / f"{file_stem(s.article, s.annotator)}.xmi")
    (dest / TYPESYSTEM_FILE).write_bytes(typesystem_path().read_bytes())


EXPORTER = Exporter(
    name="xmi",
    description="UIMA CAS XMI with type system, for DKPro, cassis and other UIMA tools (one "
                "file per article and annotator)",
    title="UIMA CAS XMI",
    multi_file=True,
    suffix="",
    write=write_xmi,
)
