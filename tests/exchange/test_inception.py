"""INCEpTION project archive: checked against INCEpTION's published export model.

The rules come from INCEpTION's source (inception-project/inception):
``ImportUtil.isZipValidWebanno`` (an ``exportedproject*.json`` entry),
``ExportedProject``/``ExportedAnnotationLayer``/``ExportedAnnotationFeature``/
``ExportedTagSet``/``ExportedTag``/``ExportedSourceDocument`` (JSON property
names), the enums ``AnchoringMode``, ``OverlapMode``, ``ValidationMode``,
``MultiValueMode``, ``LinkMode``, ``SourceDocumentState`` (written by constant
name), ``SourceDocumentExporter`` (files under ``source/`` named as the
documents) and ``LayerExporter`` (a feature's tag set is looked up by name; a
link feature names its link type, role and target features). INCEpTION reads an
XMI against the type system its layers define, so each XMI is loaded here,
strictly, against a type system built from the archive's layers alone.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from stancemark.services.exchange import export_project
from tests.exchange.helpers4 import all_sets, expected_spans

cassis = pytest.importorskip("cassis")

PROJECT_KEYS = {"name", "mode", "layers", "tag_sets", "source_documents"}
LAYER_KEYS = {"name", "uiName", "type", "features", "enabled", "built_in", "readonly",
              "attach_type", "attach_feature", "cross_sentence", "anchoring_mode",
              "overlap_mode", "validation_mode"}
FEATURE_KEYS = {"name", "uiName", "type", "tag_set", "enabled", "visible",
                "multi_value_mode", "link_mode", "link_type_name",
                "link_type_role_feature_name", "link_type_target_feature_name"}
ENUMS = {
    "anchoring_mode": {"CHARACTERS", "SINGLE_TOKEN", "TOKENS", "SENTENCES"},
    "overlap_mode": {"NO_OVERLAP", "STACKING_ONLY", "OVERLAP_ONLY", "ANY_OVERLAP"},
    "validation_mode": {"NEVER", "ALWAYS"},
    "multi_value_mode": {"NONE", "ARRAY"},
    "link_mode": {"NONE", "SIMPLE", "WITH_ROLE"},
    "state": {"NEW", "ANNOTATION_IN_PROGRESS", "ANNOTATION_FINISHED",
              "CURATION_IN_PROGRESS", "CURATION_FINISHED"},
}
PRIMITIVES = {"uima.cas.String", "uima.cas.Integer", "uima.cas.Float", "uima.cas.Boolean"}


def _archive(store, tmp_path: Path) -> tuple[dict, dict[str, bytes]]:
    out = tmp_path / "project.zip"
    export_project(store, "inception", out)
    with zipfile.ZipFile(out) as zf:
        [meta] = [n for n in zf.namelist()
                  if n.replace("/", "").startswith("exportedproject") and n.endswith(".json")]
        project = json.loads(zf.read(meta))
        files = {n: zf.read(n) for n in zf.namelist() if n != meta}
    return project, files


def _typesystem_from_layers(project: dict):
    """What INCEpTION builds from the layers: span types, link types, DKPro metadata."""
    ts = cassis.TypeSystem()
    meta = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData",
                          supertypeName="uima.tcas.DocumentAnnotation")
    for f in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
        ts.create_feature(meta, f, "uima.cas.String")
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    types = {layer["name"]: ts.create_type(layer["name"]) for layer in project["layers"]}
    for layer in project["layers"]:
        for f in layer["features"]:
            if f["link_mode"] == "WITH_ROLE":
                link = ts.create_type(f["link_type_name"], supertypeName="uima.cas.TOP")
                ts.create_feature(link, f["link_type_role_feature_name"], "uima.cas.String")
                ts.create_feature(link, f["link_type_target_feature_name"], types[f["type"]])
                ts.create_feature(types[layer["name"]], f["name"], "uima.cas.FSArray",
                                  elementType=link)
            else:
                ts.create_feature(types[layer["name"]], f["name"], f["type"])
    return ts


def test_archive_follows_inceptions_export_model(hostile_project, tmp_path: Path) -> None:
    project, files = _archive(hostile_project, tmp_path)
    assert PROJECT_KEYS <= project.keys() and project["mode"] == "annotation"
    tagsets = {t["name"] for t in project["tag_sets"]}
    for t in project["tag_sets"]:
        assert {"name", "description", "language", "create_tag", "tags"} <= t.keys()
        assert all(set(tag) == {"tag_name", "tag_description"} for tag in t["tags"])
    layer_names = {layer["name"] for layer in project["layers"]}
    for layer in project["layers"]:
        assert LAYER_KEYS <= layer.keys() and layer["type"] == "span"
        assert layer["name"].startswith("webanno.custom.")
        for key in ("anchoring_mode", "overlap_mode", "validation_mode"):
            assert layer[key] in ENUMS[key]
        names = [f["name"] for f in layer["features"]]
        assert len(names) == len(set(names))
        for f in layer["features"]:
            assert FEATURE_KEYS <= f.keys()
            assert f["multi_value_mode"] in ENUMS["multi_value_mode"]
            assert f["link_mode"] in ENUMS["link_mode"]
            if f["tag_set"] is not None:
                assert f["tag_set"]["name"] in tagsets
            if f["link_mode"] == "WITH_ROLE":
                assert f["multi_value_mode"] == "ARRAY" and f["type"] in layer_names
                assert f["link_type_name"] and f["link_type_role_feature_name"] \
                    and f["link_type_target_feature_name"]
            else:
                assert f["type"] in PRIMITIVES and f["link_type_name"] is None
    # the Claim layer points at Actor spans: claimant and target are link features
    claim = next(x for x in project["layers"] if x["name"] == "webanno.custom.Claim")
    links = {f["name"]: f for f in claim["features"] if f["link_mode"] == "WITH_ROLE"}
    assert set(links) == {"claimant", "target"}
    assert {f["type"] for f in links.values()} == {"webanno.custom.Actor"}
    # every source document is a file under source/ named as the document
    docs = project["source_documents"]
    assert all(d["format"] == "xmi" and d["state"] in ENUMS["state"] for d in docs)
    assert {f"source/{d['name']}" for d in docs} == set(files)
    assert len(docs) == len(all_sets(hostile_project))


def test_every_annotation_and_annotator_arrives(hostile_project, tmp_path: Path) -> None:
    """Loaded strictly against the layers' type system: nothing outside the layers, nothing lost."""
    project, files = _archive(hostile_project, tmp_path)
    ts = _typesystem_from_layers(project)
    got = set()
    annotators = set()
    roles = set()
    sentiments = 0
    for name, data in files.items():
        cas = cassis.load_cas_from_xmi(data.decode("utf-8"), typesystem=ts)
        text = cas.sofa_string
        uid = cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")[
            0].documentId
        for kind, type_name in (("mention", "webanno.custom.Actor"),
                                ("claim", "webanno.custom.Claim")):
            for fs in cas.select(type_name):
                assert fs.get_covered_text() == text[fs.begin:fs.end]
                got.add((uid, fs.annotator, kind, fs.begin, fs.end, fs.get_covered_text()))
                annotators.add(fs.annotator)
                assert f"({fs.annotator})" in name
        for type_name in ("webanno.custom.ArticleSentiment", "webanno.custom.ActorSentiment"):
            for fs in cas.select(type_name):
                assert fs.annotator in name and fs.value is not None
                sentiments += 1
        for fs in cas.select("webanno.custom.Claim"):
            for feat in ("claimant", "target"):
                for link in fs[feat].elements:
                    assert link.role == feat
                    assert link.target.actorName == fs[f"{feat}Name"]
                    roles.add((feat, fs.get_covered_text(), link.target.get_covered_text()))
    assert got == expected_spans(hostile_project)
    assert sentiments == sum(len(s.actor_sentiments) + (s.article_sentiment is not None)
                             for s in all_sets(hostile_project))
    assert annotators == {"alice", "bob"}
    assert ("claimant", "Вучић “lives in the past”", "Albin Kurti") in roles
    assert ("target", "Вучић “lives in the past”", "Вучић") in roles


def test_force_replaces_only_our_archive(hostile_project, tmp_path: Path) -> None:
    from stancemark.services.export_target import TargetError

    out = tmp_path / "project.zip"
    export_project(hostile_project, "inception", out)
    export_project(hostile_project, "inception", out, force=True)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("thesis.docx", b"x")
    with pytest.raises(TargetError):
        export_project(hostile_project, "inception", other, force=True)
