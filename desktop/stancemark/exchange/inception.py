"""INCEpTION project archive (``.zip``): layers, tag sets and the documents, imported in one step.

INCEpTION reads an XMI against the layers of the project it goes into, so a bare
XMI needs the layers built by hand first. This archive carries them: it has
the shape of INCEpTION's own project export (``exportedproject*.json`` with
``layers``, ``tag_sets`` and ``source_documents``, and the files under
``source/``), so *Administration › Import project* creates the project, its
layers and its documents at once. The JSON follows INCEpTION's export model
(``ExportedProject``, ``ExportedAnnotationLayer``, ``ExportedAnnotationFeature``,
``ExportedTagSet``, ``ExportedSourceDocument``; enum values as their constant
names, e.g. ``"ANY_OVERLAP"``).

Layers (all span layers, anchored on characters, any overlap, across sentences):

- ``webanno.custom.Actor`` per mention: ``actorName``, ``actorType`` (tag set
  of the codebook's actor types), ``affiliation``, ``annotator``;
- ``webanno.custom.Claim`` per claim: ``claimant`` and ``target`` are link
  features (INCEpTION's "link with role", an array of
  ``webanno.custom.ClaimClaimantLink`` / ``ClaimTargetLink`` whose ``target``
  is an Actor span), pointing at the actor's mention nearest the claim; the
  names are also in ``claimantName``/``targetName``, so an actor with no
  mention in the article is still named. Then ``category`` (tag set of
  category keys), ``categoryPath``, ``stance`` (integer), ``stanceLabel`` (tag
  set of the scale), ``note``, ``annotator``;
- ``webanno.custom.ArticleSentiment`` and ``webanno.custom.ActorSentiment``:
  spans over the whole text with ``value``, ``label`` (and ``actorName``),
  ``annotator``.

Documents: one per article and annotator, ``source/<title> (<annotator>)
<uid>.xmi`` in INCEpTION's ``xmi`` format, the work of that annotator in it;
INCEpTION adds sentences and tokens on import. Who annotated is in the
document's name and in every annotation's ``annotator`` feature. INCEpTION's
importer takes a user's own annotation layer only as a Java-serialised CAS
(``annotation_ser/…/<user>.ser``), which nothing outside the JVM writes, so the
work arrives as each document's initial annotations, not as INCEpTION users'.

The plain XMI export (``xmi``) stays for other UIMA tools.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.categories import CategoryTree
from stancemark.core.codebook import Codebook
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.exchange.common import nearest_mention, safe_name, xml_text
from stancemark.exchange.registry import Exporter

PROJECT_FILE = "exportedproject-stancemark.json"
SOURCE_FOLDER = "source"
FORMAT_ID = "xmi"  # INCEpTION's id of "UIMA CAS XMI (XML 1.0)"
T_META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
T_ACTOR = "webanno.custom.Actor"
T_CLAIM = "webanno.custom.Claim"
T_CLAIMANT_LINK = "webanno.custom.ClaimClaimantLink"
T_TARGET_LINK = "webanno.custom.ClaimTargetLink"
T_ARTICLE_SENTIMENT = "webanno.custom.ArticleSentiment"
T_ACTOR_SENTIMENT = "webanno.custom.ActorSentiment"
STRING, INTEGER = "uima.cas.String", "uima.cas.Integer"
TAGSET_TYPES = "Stancemark actor types"
TAGSET_CATEGORIES = "Stancemark categories"
TAGSET_STANCE = "Stancemark stance"

# (layer, ui name, description, [(feature, ui name, type, tag set or None)]);
# link features are added in _layer_json
_LAYERS: list[tuple[str, str, str, list[tuple[str, str, str, str | None]]]] = [
    (T_ACTOR, "Actor", "A mention of an actor", [
        ("actorName", "Actor", STRING, None),
        ("actorType", "Type", STRING, TAGSET_TYPES),
        ("affiliation", "Affiliation", STRING, None),
        ("annotator", "Annotator", STRING, None)]),
    (T_CLAIM, "Claim", "A claim: who claims what about whom, with which stance", [
        ("claimantName", "Claimant name", STRING, None),
        ("targetName", "Target name", STRING, None),
        ("category", "Category", STRING, TAGSET_CATEGORIES),
        ("categoryPath", "Category path", STRING, None),
        ("stance", "Stance", INTEGER, None),
        ("stanceLabel", "Stance label", STRING, TAGSET_STANCE),
        ("note", "Note", STRING, None),
        ("annotator", "Annotator", STRING, None)]),
    (T_ARTICLE_SENTIMENT, "Article sentiment", "The article's sentiment (whole text)", [
        ("value", "Value", INTEGER, None),
        ("label", "Label", STRING, TAGSET_STANCE),
        ("annotator", "Annotator", STRING, None)]),
    (T_ACTOR_SENTIMENT, "Actor sentiment", "Sentiment towards an actor (whole text)", [
        ("actorName", "Actor", STRING, None),
        ("value", "Value", INTEGER, None),
        ("label", "Label", STRING, TAGSET_STANCE),
        ("annotator", "Annotator", STRING, None)]),
]
# (feature on Claim, ui name, link type)
_LINKS = [("claimant", "Claimant", T_CLAIMANT_LINK), ("target", "Target", T_TARGET_LINK)]


def _feature_json(name: str, ui_name: str, ftype: str, tagset: str | None,
                  rank: int, link_type: str | None = None) -> dict[str, Any]:
    return {
        "name": name, "uiName": ui_name, "type": ftype, "description": None,
        "tag_set": {"name": tagset} if tagset else None,
        "enabled": True, "visible": True, "include_in_hover": False, "required": False,
        "remember": False, "hideUnconstraintFeature": False,
        "multi_value_mode": "ARRAY" if link_type else "NONE",
        "link_mode": "WITH_ROLE" if link_type else "NONE",
        "link_type_name": link_type,
        "link_type_role_feature_name": "role" if link_type else None,
        "link_type_target_feature_name": "target" if link_type else None,
        "traits": None, "curatable": True, "rank": rank,
    }


def _layer_json(name: str, ui_name: str, description: str,
                features: list[tuple[str, str, str, str | None]]) -> dict[str, Any]:
    feats: list[dict[str, Any]] = []
    if name == T_CLAIM:
        feats += [_feature_json(f, ui, T_ACTOR, None, len(feats) + i, link)
                  for i, (f, ui, link) in enumerate(_LINKS)]
    feats += [_feature_json(f, ui, t, tags, len(feats) + i)
              for i, (f, ui, t, tags) in enumerate(features)]
    return {
        "name": name, "uiName": ui_name, "type": "span", "description": description,
        "enabled": True, "built_in": False, "readonly": False,
        "attach_type": None, "attach_feature": None,
        "allow_stacking": True, "cross_sentence": True, "show_hover": True,
        "anchoring_mode": "CHARACTERS", "overlap_mode": "ANY_OVERLAP",
        "validation_mode": "NEVER", "lock_to_token_offset": False, "multiple_tokens": True,
        "linked_list_behavior": False, "traits": None, "features": feats,
    }


def _tagset_json(name: str, description: str, tags: Iterable[tuple[str, str]]) -> dict[str, Any]:
    return {"name": name, "description": description, "language": None, "create_tag": True,
            "tags": [{"tag_name": t, "tag_description": d} for t, d in tags]}


def project_json(codebook: Codebook, documents: list[str], name: str) -> dict[str, Any]:
    """The ``exportedproject`` JSON: layers, tag sets and the source documents."""
    tree = CategoryTree(codebook)
    return {
        "name": name, "slug": "stancemark-export", "mode": "annotation", "version": 1,
        "description": "Exported from Stancemark: one document per article and annotator.",
        "application_name": "Stancemark",
        "tag_sets": [
            _tagset_json(TAGSET_TYPES, "Actor types of the Stancemark codebook",
                         [(t.key, t.label) for t in codebook.actor_types]),
            _tagset_json(TAGSET_CATEGORIES, "Claim categories of the Stancemark codebook",
                         [(c.key, tree.path(c.key)) for c, _ in tree.walk()]),
            _tagset_json(TAGSET_STANCE, "The Stancemark scale",
                         [(codebook.scale_label(p.value), str(p.value))
                          for p in codebook.scale]),
        ],
        "layers": [_layer_json(*layer) for layer in _LAYERS],
        "source_documents": [{"name": d, "format": FORMAT_ID, "state": "NEW"}
                             for d in documents],
        "annotation_documents": [],
        "project_permissions": [],
    }


@cache
def typesystem() -> Any:
    """The UIMA type system INCEpTION derives from these layers (for the XMI files)."""
    from cassis import TypeSystem

    ts = TypeSystem()
    meta = ts.create_type(T_META, supertypeName="uima.tcas.DocumentAnnotation")
    for feat in ("documentTitle", "documentId", "documentUri", "collectionId",
                 "documentBaseUri"):
        ts.create_feature(meta, feat, STRING)
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    types = {name: ts.create_type(name, supertypeName="uima.tcas.Annotation")
             for name, *_ in _LAYERS}
    for name, _, _, features in _LAYERS:
        for feat, _, ftype, _ in features:
            ts.create_feature(types[name], feat, ftype)
    for feat, _, link_name in _LINKS:
        link = ts.create_type(link_name, supertypeName="uima.cas.TOP")
        ts.create_feature(link, "role", STRING)
        ts.create_feature(link, "target", types[T_ACTOR])
        ts.create_feature(types[T_CLAIM], feat, "uima.cas.FSArray", elementType=link)
    return ts


def build_cas(s: AnnotationSet, codebook: Codebook, tree: CategoryTree) -> Any:
    """The CAS of one article and annotator, in the layers above (code-point offsets)."""
    from cassis import Cas

    ts = typesystem()
    art = s.article
    text = xml_text(art.text)
    cas = Cas(typesystem=ts, sofa_string=text)
    cas.add(ts.get_type(T_META)(
        begin=0, end=len(text), documentTitle=xml_text(art.title or ""), documentId=art.uid,
        collectionId=xml_text(art.source or ""), documentUri=xml_text(art.url or "") or None,
        isLastSegment=False, language=art.language or "x-unspecified"))

    def name(actor_id: int | None) -> str | None:
        actor = s.actors.get(actor_id) if actor_id is not None else None
        return xml_text(actor.name) if actor else None

    actor_t, claim_t = ts.get_type(T_ACTOR), ts.get_type(T_CLAIM)
    fs_array = ts.get_type("uima.cas.FSArray")
    mention_fs: dict[int, Any] = {}
    for m in s.mentions:
        actor = s.actors.get(m.actor_id)
        fs = actor_t(begin=m.start, end=m.end, actorName=name(m.actor_id),
                     actorType=actor.type if actor else None,
                     affiliation=name(actor.affiliation_id) if actor else None,
                     annotator=s.annotator)
        cas.add(fs)
        mention_fs[m.id] = fs
    for c in s.claims:
        links: dict[str, Any] = {}
        for feat, _, link_name in _LINKS:
            actor_id = c.claimant_id if feat == "claimant" else c.target_id
            near = nearest_mention(s.mentions, actor_id, c.start, c.end)
            items = [] if near is None else [
                ts.get_type(link_name)(role=feat, target=mention_fs[near.id])]
            links[feat] = fs_array(elements=items)
        cas.add(claim_t(
            begin=c.start, end=c.end, **links, claimantName=name(c.claimant_id),
            targetName=name(c.target_id), category=c.category,
            categoryPath=tree.path(c.category) if c.category else None, stance=c.stance,
            stanceLabel=codebook.scale_label(c.stance) if c.stance is not None else None,
            note=xml_text(c.note) if c.note else None, annotator=s.annotator))
    if s.article_sentiment is not None:
        cas.add(ts.get_type(T_ARTICLE_SENTIMENT)(
            begin=0, end=len(text), value=s.article_sentiment,
            label=codebook.scale_label(s.article_sentiment), annotator=s.annotator))
    for actor_id, value in s.actor_sentiments.items():
        cas.add(ts.get_type(T_ACTOR_SENTIMENT)(
            begin=0, end=len(text), actorName=name(actor_id), value=value,
            label=codebook.scale_label(value), annotator=s.annotator))
    return cas


def document_name(s: AnnotationSet) -> str:
    """``<title> (<annotator>) <uid>.xmi``: readable in INCEpTION's list, unique, file-safe."""
    title = " ".join((s.article.title or "").split())[:50] or "article"
    who = s.annotator if s.annotator is not None else "unannotated"
    return f"{safe_name(f'{title} ({who})')} {s.article.uid[:8]}.xmi"


def write_inception(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
                    codebook: Codebook, progress: ProgressCallback,
                    cancel: CancelFlag) -> None:
    """Write the project archive ``dest``: the documents as they stream, the JSON last."""
    tree = CategoryTree(codebook)
    names: list[str] = []
    taken: set[str] = set()
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for s in sets:
            name = document_name(s)
            stem, n = name[:-4], 1
            while name in taken:
                n += 1
                name = f"{stem}-{n}.xmi"
            taken.add(name)
            xmi = build_cas(s, codebook, tree).to_xmi()
            zf.writestr(f"{SOURCE_FOLDER}/{name}", xmi.encode("utf-8"))
            names.append(name)
        cancel.check()
        body = project_json(codebook, names, "Stancemark export")
        zf.writestr(PROJECT_FILE, json.dumps(body, ensure_ascii=False, indent=1))


def note(options: Mapping[str, str]) -> str:
    return ("INCEpTION: Administration › Import project (zip); layers and tag sets come "
            "with it.")


EXPORTER = Exporter(
    name="inception",
    description="INCEpTION project archive (.zip): layers, tag sets and one document per "
                "article and annotator, for INCEpTION's project import",
    title="INCEpTION project (.zip)",
    note=note,
    multi_file=False,
    suffix=".zip",
    write=write_inception,
)
