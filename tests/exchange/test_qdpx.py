"""REFI-QDA .qdpx: validated against the REFI Project.xsd, read back with pyrefiqda."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from stancemark.core.resources import resource
from tests.exchange.helpers4 import expected_spans, export

xmlschema = pytest.importorskip("xmlschema")
refi = pytest.importorskip("pyrefiqda")

# The official QDA-XML 1.0 Project.xsd (REFI, MIT licence); see its README.
XSD = resource("exchange", "refi-qda", "Project.xsd")


def _validate(path: Path) -> None:
    schema = xmlschema.XMLSchema(str(XSD))
    with zipfile.ZipFile(path) as zf:
        schema.validate(zf.read("project.qde"))


def _load(path: Path, tmp_path: Path):
    extract = tmp_path / "extract"
    project = refi.RefiProject.load(path, extract_dir=str(extract))
    return project, extract


def _codes(project):
    out = {}

    def walk(codes, trail):
        for c in codes:
            out[c.guid] = (*trail, c.name)
            walk(c.code, (*trail, c.name))

    walk(project.code_book.codes.code, ())
    return out


def _selections(project, extract, utf16=False):
    users = {u.guid: u.name for u in project.users.user}
    codes = _codes(project)
    for src in project.sources.text_source:
        path = refi.RefiProject.resolve_source_path(src.plain_text_path, extract)
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        for sel in src.plain_text_selection:
            if utf16:
                units = text.encode("utf-16-le")
                piece = units[2 * sel.start_position:2 * sel.end_position].decode("utf-16-le")
            else:
                piece = text[sel.start_position:sel.end_position]
            yield src, sel, users[sel.creating_user], piece, [
                codes[c.code_ref.target_guid] for c in sel.coding]


@pytest.mark.parametrize("unit", ["codepoint", "utf16"])
def test_qdpx_valid_and_spans_match(hostile_project, tmp_path, unit):
    path = export(hostile_project, "qdpx", tmp_path / "p.qdpx", position_unit=unit)
    _validate(path)
    project, extract = _load(path, tmp_path)
    assert len(project.sources.text_source) == 4
    got = set()
    for src, _sel, user, piece, codes in _selections(project, extract, utf16=unit == "utf16"):
        kind = "claim" if codes[0][0] == "Claims" else "mention"
        uid = src.description.rsplit("uid: ", 1)[1]
        got.add((uid, user, kind, piece))
    assert got == {(u, a, k, t) for u, a, k, _, _, t in expected_spans(hostile_project)}


def test_qdpx_codes_stance_links_and_variables(hostile_project, tmp_path):
    path = export(hostile_project, "qdpx", tmp_path / "p.qdpx")
    project, extract = _load(path, tmp_path)
    codes = _codes(project)
    by_text = {piece: (sel, codes_) for _, sel, _, piece, codes_ in _selections(project, extract)}
    sel, claim_codes = by_text["Вучић “lives in the past”"]
    assert claim_codes == [("Claims", "Security", "Policing", "Policing: -1 negative")]
    assert "claimant: Albin Kurti" in sel.description
    assert "target: Aleksandar Vučić" in sel.description
    _, mention_codes = by_text["Вучић"]
    assert mention_codes == [("Actors", "Person", "Aleksandar Vučić")]
    _, military = by_text["NATO.\nLine two: NATO said troops stay"]
    assert military == [("Claims", "Security", "Military deployment",
                        "Military deployment: +0 neutral")]

    links = {(link.name, codes.get(link.origin_guid), codes.get(link.target_guid))
             for link in project.links.link}
    assert ("claimant", ("Actors", "Person", "Albin Kurti"), None) in links
    assert ("target", None, ("Actors", "Person", "Aleksandar Vučić")) in links
    assert len(project.links.link) == 9  # 6 claimants + 3 targets

    variables = {v.guid: v.name for v in project.variables.variable}
    emoji = next(s for s in project.sources.text_source if s.name.startswith("Mayor"))
    values = {variables[v.variable_ref.target_guid]: v.integer_value
              for v in emoji.variable_value}
    assert values == {"Article sentiment (alice)": 0, "Article sentiment (bob)": -1,
                      "Sentiment towards Ana Petrović (alice)": 1}
    assert {u.name for u in project.users.user} == {"alice", "bob"}


def test_qdpx_source_text_is_the_article_text(hostile_project, tmp_path):
    from tests.exchange.helpers4 import all_sets

    path = export(hostile_project, "qdpx", tmp_path / "p.qdpx")
    texts = {s.article.text for s in all_sets(hostile_project)}
    with zipfile.ZipFile(path) as zf:
        stored = {zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("sources/")}
    assert stored == texts
    assert all("\r" not in t for t in stored)


def test_qdpx_bad_unit_refused(hostile_project, tmp_path):
    from stancemark.core.errors import ValidationError

    with pytest.raises(ValidationError):
        export(hostile_project, "qdpx", tmp_path / "p.qdpx", position_unit="bytes")


def test_qdpx_schema_check_has_teeth(hostile_project, tmp_path):
    path = export(hostile_project, "qdpx", tmp_path / "p.qdpx")
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    broken = qde.replace('isCodable="true"', 'isCodable="maybe"', 1)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xmlschema.XMLSchema(str(XSD)).validate(broken)


def test_qdpx_through_the_export_service(hostile_project, tmp_path):
    from stancemark.services.exchange import export_project

    export_project(hostile_project, "qdpx", tmp_path / "out.qdpx",
                   options={"position_unit": "utf16"})
    _validate(tmp_path / "out.qdpx")
    project, extract = _load(tmp_path / "out.qdpx", tmp_path)
    pieces = {piece for *_, piece, _ in _selections(project, extract, utf16=True)}
    assert pieces == {t for *_, t in expected_spans(hostile_project)}


def _qualcoder_import(path: Path) -> tuple[int, int]:
    """QualCoder's rule for a REFI-QDA codebook, replayed: (codings that arrive, all codings).

    As QualCoder's ``refi.py`` (``sub_codes``) does: a code with sub-codes
    becomes a code category and a leaf a code, each table keyed by a unique
    name; the first code of a name is made, a later one of the same name is
    not. Only codes (leaves) take codings: a coding that points at a category,
    or at a code that was not made, arrives without a code.
    """
    import xml.etree.ElementTree as ET

    ns = {"q": "urn:QDA-XML:project:1.0"}
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("project.qde"))
    made: set[str] = set()
    taken: dict[str, set[str]] = {"category": set(), "code": set()}
    for code in root.iter("{urn:QDA-XML:project:1.0}Code"):
        table = "category" if code.find("q:Code", ns) is not None else "code"
        if code.get("name") not in taken[table]:
            taken[table].add(code.get("name"))
            if table == "code":
                made.add(code.get("guid"))
    refs = [ref.get("targetGUID")
            for ref in root.iter("{urn:QDA-XML:project:1.0}CodeRef")]
    return sum(1 for r in refs if r in made), len(refs)


def test_qdpx_code_names_unique_so_qualcoder_keeps_every_coding(hostile_project, tmp_path):
    path = export(hostile_project, "qdpx", tmp_path / "p.qdpx")
    project, _ = _load(path, tmp_path)
    names = [path[-1] for path in _codes(project).values()]
    assert len(names) == len(set(names)) == len({n.casefold() for n in names})
    arrived, total = _qualcoder_import(path)
    assert total > 0 and arrived == total


def test_qdpx_repeated_names_get_a_number(tmp_path):
    from stancemark.core.models import ArticleDraft
    from stancemark.store import memory_project

    s = memory_project()
    text = "Claims: Actors say Claims."
    aid = s.articles.add(ArticleDraft(text=text, title="t"))
    a = s.actors.add("Claims", "person")  # an actor named like the top code
    s.annotations.add_mention(aid, 0, 6, a, "alice")
    s.annotations.add_claim(aid, 8, len(text), "alice", claimant_id=a, stance=-2)
    s.annotations.add_claim(aid, 8, 20, "alice", claimant_id=a, category="politics")
    path = export(s, "qdpx", tmp_path / "p.qdpx")
    _validate(path)
    arrived, total = _qualcoder_import(path)
    assert arrived == total == 3  # the claim without a stance too
