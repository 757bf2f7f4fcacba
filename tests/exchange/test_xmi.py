"""INCEpTION XMI export read back with dkpro-cassis, offsets checked as UTF-16 in the raw XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.exchange.helpers4 import all_sets, expected_spans, export

cassis = pytest.importorskip("cassis")

XMI_NS = "http://www.omg.org/XMI"
CAS_NS = "http:///uima/cas.ecore"
CUSTOM_NS = "http:///webanno/custom.ecore"


def _load(folder: Path) -> dict[str, object]:
    with (folder / "TypeSystem.xml").open("rb") as fh:
        ts = cassis.load_typesystem(fh)
    cases = {}
    for f in sorted(folder.glob("*.xmi")):
        with f.open("rb") as fh:
            cases[f.name] = cassis.load_cas_from_xmi(fh, typesystem=ts)
    return cases


def test_xmi_spans_match_after_cassis_load(hostile_project, tmp_path):
    out = export(hostile_project, "xmi", tmp_path / "xmi")
    cases = _load(out)
    assert len(cases) == len(all_sets(hostile_project)) == 5
    got = set()
    for cas in cases.values():
        meta = cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")[0]
        for kind, type_name in (("mention", "webanno.custom.Actor"),
                                ("claim", "webanno.custom.Claim")):
            for fs in cas.select(type_name):
                text = fs.get_covered_text()
                assert cas.sofa_string[fs.begin:fs.end] == text
                got.add((meta.documentId, fs.annotator, kind, fs.begin, fs.end, text))
    assert got == expected_spans(hostile_project)


def test_xmi_raw_offsets_are_utf16(hostile_project, tmp_path):
    out = export(hostile_project, "xmi", tmp_path / "xmi")
    meta_tag = "{http:///de/tudarmstadt/ukp/dkpro/core/api/metadata/type.ecore}DocumentMetaData"
    got = set()
    for f in out.glob("*.xmi"):
        root = etree.parse(str(f)).getroot()
        sofa = root.find(f"{{{CAS_NS}}}Sofa").get("sofaString")
        uid = root.find(meta_tag).get("documentId")
        units = sofa.encode("utf-16-le")
        for el in root:
            if el.tag in (f"{{{CUSTOM_NS}}}Actor", f"{{{CUSTOM_NS}}}Claim"):
                b, e = int(el.get("begin")), int(el.get("end"))
                # Java-style slicing of UTF-16 units, as INCEpTION does
                got.add((uid, el.get("annotator"), units[2 * b:2 * e].decode("utf-16-le")))
    assert got == {(u, a, t) for u, a, _, _, _, t in expected_spans(hostile_project)}


def test_xmi_features_relations_and_metadata(hostile_project, tmp_path):
    out = export(hostile_project, "xmi", tmp_path / "xmi")
    cases = _load(out)
    claims = {}
    roles = []
    for cas in cases.values():
        for fs in cas.select("webanno.custom.Claim"):
            claims[fs.get_covered_text()] = fs
        for rel in cas.select("webanno.custom.ClaimRelation"):
            dep = rel.Dependent
            assert (rel.begin, rel.end) == (dep.begin, dep.end)  # INCEpTION: spans the dependent
            roles.append((rel.role, rel.Governor.get_covered_text(), dep.get_covered_text()))
    c = claims["Вучић “lives in the past”"]
    assert (c.claimant, c.target, c.category, c.stance) == (
        "Albin Kurti", "Aleksandar Vučić", "security-police", -1)
    assert c.categoryPath == "Security › Policing"
    assert claims["called the ban =SUM(A1) \"a disgrace\""].note == "=HYPERLINK(\"http://x\")"
    assert ("claimant", "Albin Kurti", "Вучић “lives in the past”") in roles
    assert ("target", "Вучић “lives in the past”", "Вучић") in roles
    assert ("claimant", "NATO", "NATO.\nLine two: NATO said troops stay") in roles
    # the claimant-less claim about Ana has only its target relation
    assert ("target", "Petrović had promised it twice", "Petrović") in roles

    alice = next(cas for name, cas in cases.items()
                 if name.endswith("-alice.xmi") and "😀" in cas.sofa_string)
    meta = alice.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")[0]
    assert meta.documentTitle.startswith("Mayor 😀")
    assert [fs.value for fs in alice.select("webanno.custom.ArticleSentiment")] == [0]
    [sent] = alice.select("webanno.custom.ActorSentiment")
    assert (sent.actorName, sent.value) == ("Ana Petrović", 1)


def test_xmi_control_characters_do_not_break_xml(tmp_path):
    from stancemark.core.models import ArticleDraft
    from stancemark.store import memory_project

    s = memory_project()
    text = "Bell\x07 rings 😀 for Ana."
    aid = s.articles.add(ArticleDraft(text=text, title="t"))
    ana = s.actors.add("Ana", "person")
    s.annotations.add_mention(aid, text.index("Ana"), text.index("Ana") + 3, ana, "alice")
    out = export(s, "xmi", tmp_path / "xmi")
    [cas] = _load(out).values()
    [fs] = cas.select("webanno.custom.Actor")
    assert fs.get_covered_text() == "Ana"
    s.close()


def test_xmi_zip_through_the_export_service(hostile_project, tmp_path):
    import zipfile

    from stancemark.services.exchange import export_project

    summary = export_project(hostile_project, "xmi", tmp_path / "inception.zip")
    assert summary.zipped
    with zipfile.ZipFile(tmp_path / "inception.zip") as zf:
        names = zf.namelist()
        zf.extractall(tmp_path / "unzipped")
    assert sum(n.endswith(".xmi") for n in names) == 5
    assert any(n.endswith("TypeSystem.xml") for n in names)
    folder = next((tmp_path / "unzipped").rglob("TypeSystem.xml")).parent
    got = set()
    for cas in _load(folder).values():
        uid = cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")[0]
        for fs in cas.select("webanno.custom.Actor") + cas.select("webanno.custom.Claim"):
            got.add((uid.documentId, fs.get_covered_text()))
    assert got == {(u, t) for u, _, _, _, _, t in expected_spans(hostile_project)}
