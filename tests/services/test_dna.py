"""DNA 3 import and export: mapping, offsets, all-or-nothing, and networks rebuilt from DNA."""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from stancemark.analysis.networks import NetworkOptions
from stancemark.core.errors import ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.services.dna import export_dna, import_dna
from stancemark.services.networks import compute
from stancemark.store import Store, memory_project
from stancemark.store.dna import read_dna
from tests.store.dna_fixture import DOC1, STATEMENTS, make_dna


@pytest.fixture
def dna_file(tmp_path: Path) -> Path:
    return make_dna(tmp_path / "project.dna")


def test_import_maps_documents_coders_statements_and_entities(store: Store,
                                                              dna_file: Path) -> None:
    report = import_dna(store, dna_file)
    assert report.articles_added == 2 and report.claims_added == 6
    assert report.annotators == ["Mira"] and report.scale_set
    assert report.other_types == Counter({"NPF Story Element": 1})
    arts = [store.articles.get(i) for i in store.articles.ids()]
    assert arts[0].text == DOC1.replace("\r\n", "\n") and "\r" not in arts[1].text
    assert arts[0].published == "2024-01-01T00:00:00" and arts[0].source == "Daily"
    assert arts[0].author == "R. Writer"
    claims = [c for a in arts for c in store.annotations.claims(a.id)]
    by_text = {c.text: c for c in claims}
    # every span is the statement's piece of text, though the emoji and CRLF moved it
    for _doc, piece, person, org, concept, agree in STATEMENTS:
        c = by_text[piece]
        claimant = store.actors.get(c.claimant_id) if c.claimant_id else None
        assert claimant is not None and claimant.name == (person or org)
        assert c.stance == (1 if agree else -1) and c.annotator == "Mira"
        assert store.codebook.load().category(c.category).label == concept  # type: ignore[union-attr]
    ana = store.actors.get(by_text["the border must stay open"].claimant_id)  # type: ignore[arg-type]
    assert ana.aliases == ["A. Horvat"] and ana.note == "Minister since 2022"
    assert store.actors.get(ana.affiliation_id).name == "Government"  # type: ignore[arg-type]
    union = store.actors.by_name("Union")
    assert union is not None and union.type == "trade-union"
    book = store.codebook.load()
    assert [p.value for p in book.scale] == [-1, 1]
    assert book.category_path(by_text["the border must stay open"].category) == \
        "migration › open borders"
    note = by_text["Ivo Kos"].note
    assert note == "DNA NPF Story Element — hero: workers" and by_text["Ivo Kos"].category is None


def test_import_twice_adds_nothing_new(store: Store, dna_file: Path) -> None:
    import_dna(store, dna_file)
    again = import_dna(store, dna_file)
    assert again.articles_matched == 2 and again.claims_added == 0 and again.claims_present == 6
    assert store.counts()["claims"] == 6


def test_networks_rebuilt_from_dna_match_dna_counted_independently(store: Store,
                                                                    dna_file: Path) -> None:
    import_dna(store, dna_file)
    # DNA's boolean congruence/conflict at organisation level, straight from its tables
    conn = sqlite3.connect(dna_file)
    rows = conn.execute(
        "SELECT o.Value, c.Value, b.Value FROM STATEMENTS s "
        "JOIN DATASHORTTEXT so ON so.StatementId = s.ID AND so.VariableId = 2 "
        "JOIN ENTITIES o ON o.ID = so.Entity "
        "JOIN DATASHORTTEXT sc ON sc.StatementId = s.ID AND sc.VariableId = 3 "
        "JOIN ENTITIES c ON c.ID = sc.Entity "
        "JOIN DATABOOLEAN b ON b.StatementId = s.ID AND b.VariableId = 4 "
        "WHERE s.StatementTypeId = 1").fetchall()
    conn.close()
    counts = Counter(rows)
    orgs = sorted({o for o, _c, _a in rows})
    concepts = {c for _o, c, _a in rows}
    want_cong, want_conf = {}, {}
    for a, b in combinations(orgs, 2):
        cong = sum(counts[(a, k, q)] * counts[(b, k, q)] for k in concepts for q in (0, 1))
        conf = sum(counts[(a, k, q)] * counts[(b, k, 1 - q)] for k in concepts for q in (0, 1))
        want_cong[frozenset((a, b))] = cong
        want_conf[frozenset((a, b))] = conf
    for kind, want in (("congruence", want_cong), ("conflict", want_conf)):
        net = compute(store, NetworkOptions(type=kind, level="affiliation"))[0]
        labels = [n.label for n in net.rows]
        assert sorted(labels) == orgs
        got = {frozenset((labels[i], labels[j])): net.cell(i, j)
               for i, j in combinations(range(len(labels)), 2)}
        assert got == pytest.approx(want)
    aff = compute(store, NetworkOptions(type="affiliation", qualifier="subtract",
                                        level="affiliation"))[0].labelled()
    assert aff["Government"] == {"open borders": 1, "wages": -1}


def _project_counts(store: Store) -> dict[str, int]:
    return store.counts()


def test_a_span_outside_its_document_imports_nothing(store: Store, dna_file: Path) -> None:
    conn = sqlite3.connect(dna_file)
    with conn:
        conn.execute("UPDATE STATEMENTS SET Start = Start + 1000, Stop = Stop + 1000 "
                     "WHERE ID = 2")
    conn.close()
    before = _project_counts(store)
    with pytest.raises(ValidationError, match="broken references"):
        import_dna(store, dna_file)
    assert _project_counts(store) == before


def test_a_failing_statement_rolls_everything_back(store: Store, dna_file: Path) -> None:
    # a statement span that only covers the CR of a CRLF is empty once line ends are LF
    conn = sqlite3.connect(dna_file)
    cr = DOC1.index("\r")
    with conn:
        conn.execute("UPDATE STATEMENTS SET Start = ?, Stop = ? WHERE ID = 3",
                     (cr + 1, cr + 2))  # +1: the emoji is two UTF-16 units
    conn.close()
    before = _project_counts(store)
    book = store.codebook.load()
    with pytest.raises(ValidationError, match="DNA statement 3"):
        import_dna(store, dna_file)
    assert _project_counts(store) == before
    assert store.codebook.load() == book


def test_import_into_a_project_whose_scale_lacks_plus_minus_one(store: Store,
                                                                dna_file: Path) -> None:
    from stancemark.core.codebook import ScalePoint

    book = store.codebook.load()
    book.scale = [ScalePoint(0, "no"), ScalePoint(5, "yes")]
    store.codebook.save(book)
    with pytest.raises(ValidationError, match="−1 and \\+1"):
        import_dna(store, dna_file, new_project=False)
    assert store.counts()["articles"] == 0


def test_export_reads_back_with_utf16_offsets(store: Store, dna_file: Path,
                                              tmp_path: Path) -> None:
    import_dna(store, dna_file)
    out = tmp_path / "out.dna"
    report = export_dna(store, out, default_statements=True)
    # the NPF note has no stance: no default statement for it
    assert (report.statements, report.default_statements, report.no_stance) == (6, 5, 1)
    back = read_dna(out)
    docs = {d.id: d.text for d in back.documents}
    texts = {c.text for a in store.articles.ids() for c in store.annotations.claims(a)}
    for s in back.statements:
        raw = docs[s.document].encode("utf-16-le")[2 * s.start:2 * s.stop].decode("utf-16-le")
        assert raw in texts
    assert back.statement_types[4] == "Stancemark claim"
    # as DNA fills them: every entity has a row for each attribute of its variable
    with sqlite3.connect(out) as conn:
        missing = conn.execute(
            "SELECT count(*) FROM ENTITIES e JOIN ATTRIBUTEVARIABLES av "
            "ON av.VariableId = e.VariableId LEFT JOIN ATTRIBUTEVALUES v "
            "ON v.EntityId = e.ID AND v.AttributeVariableId = av.ID WHERE v.ID IS NULL"
        ).fetchone()[0]
        assert missing == 0
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with pytest.raises(Exception, match="already exists"):
        export_dna(store, out)


def test_export_then_import_gives_the_same_networks(store: Store, dna_file: Path,
                                                    tmp_path: Path) -> None:
    import_dna(store, dna_file)
    out = tmp_path / "round.dna"
    export_dna(store, out, default_statements=True)
    again = memory_project()
    import_dna(again, out)
    for kind in ("congruence", "conflict", "cooccurrence"):
        opts = NetworkOptions(type=kind, level="affiliation")
        assert compute(again, opts)[0].labelled() == compute(store, opts)[0].labelled()
    again.close()


def _claims(store: Store) -> list[tuple[object, ...]]:
    def name(actor_id: int | None) -> str | None:
        return store.actors.get(actor_id).name if actor_id else None

    book = store.codebook.load()
    out = []
    for a in store.articles.ids():
        art = store.articles.get(a)
        for c in store.annotations.claims(a):
            out.append((art.title, c.text, c.start, c.end, name(c.claimant_id),
                        name(c.target_id), book.category_path(c.category), c.stance, c.note,
                        c.annotator))
    return sorted(out, key=repr)


def test_our_own_claims_survive_a_dna_round_trip(store: Store, tmp_path: Path) -> None:
    """A −2…+2 project with targets, notes, emoji and affiliations, out to DNA and back."""
    text = "Vučić 🙂 said the bridge opens.\nKurti said it must wait. Both spoke 🙂🙂 twice."
    aid = store.articles.add(ArticleDraft(text, title="Bridge", source="Wire"))
    assert aid is not None
    party = store.actors.add("SNS", "party")
    vucic = store.actors.add("Vučić", "person", affiliation_id=party, aliases=["A. Vučić"])
    kurti = store.actors.add("Kurti")
    spans = [("said the bridge opens", vucic, kurti, "security-police", 2, "firm"),
             ("Kurti said it must wait", kurti, vucic, "security-police", -1, None),
             ("Both spoke 🙂🙂 twice", vucic, None, "diplomacy", 0, None)]
    for piece, who, whom, cat, stance, note in spans:
        start = text.index(piece)
        store.annotations.add_claim(aid, start, start + len(piece), "alice", claimant_id=who,
                                    target_id=whom, category=cat, stance=stance, note=note)
    out = tmp_path / "ours.dna"
    export_dna(store, out)
    again = memory_project()
    report = import_dna(again, out)
    assert report.claims_added == 3 and not report.other_types
    assert _claims(again) == _claims(store)
    assert [p.value for p in again.codebook.load().scale] == [-2, -1, 0, 1, 2]
    back = again.actors.by_name("Vučić")
    assert back is not None and back.aliases == ["A. Vučić"]
    assert again.actors.get(back.affiliation_id).name == "SNS"  # type: ignore[arg-type]
    assert [(a.name, a.type) for a in again.actors.all()] == [
        (a.name, a.type) for a in store.actors.all()]
    for kind in ("affiliation", "cooccurrence", "congruence", "conflict", "subtract"):
        for role in ("claimant", "both"):
            opts = NetworkOptions(type=kind, role=role)
            assert compute(again, opts)[0].labelled() == compute(store, opts)[0].labelled()
    again.close()


def test_an_affiliation_loop_imports_nothing(store: Store, dna_file: Path) -> None:
    # "Union" is also a person, named with the organisation "Ivo Kos": Ivo Kos → Union → Ivo Kos
    conn = sqlite3.connect(dna_file)
    with conn:
        union = conn.execute("INSERT INTO ENTITIES (VariableId, Value) VALUES (1, 'Union')"
                             ).lastrowid
        ivo = conn.execute("INSERT INTO ENTITIES (VariableId, Value) VALUES (2, 'Ivo Kos')"
                           ).lastrowid
        conn.execute("UPDATE DATASHORTTEXT SET Entity = ? WHERE StatementId = 3 AND "
                     "VariableId = 1", (union,))
        conn.execute("UPDATE DATASHORTTEXT SET Entity = ? WHERE StatementId = 3 AND "
                     "VariableId = 2", (ivo,))
    conn.close()
    before = store.counts()
    with pytest.raises(ValidationError, match="cannot be affiliated"):
        import_dna(store, dna_file)
    assert store.counts() == before


def test_a_cancelled_import_leaves_nothing(store: Store, dna_file: Path) -> None:
    from stancemark.core.errors import Cancelled
    from stancemark.core.progress import CancelFlag

    flag = CancelFlag()
    flag.cancel()
    with pytest.raises(Cancelled):
        import_dna(store, dna_file, cancel=flag)
    assert store.counts()["articles"] == 0 and store.counts()["actors"] == 0


@pytest.mark.skipif(not os.environ.get("STANCEMARK_DNA_SAMPLE"),
                    reason="set STANCEMARK_DNA_SAMPLE to DNA's sample/sample.dna")
def test_dnas_own_sample_gives_the_figures_rdna_tests_for(store: Store) -> None:
    """DNA's sample file (github.com/leifeld/dna, sample/sample.dna) and the numbers its
    own R package checks (rDNA tests/testthat/test-network.R): a 7 × 6 organisation ×
    concept network summing to 40, a 7 × 7 one-mode network summing to 276 with the
    Environmental Protection Agency row starting 10, 2."""
    report = import_dna(store, os.environ["STANCEMARK_DNA_SAMPLE"])
    assert report.claims_added == 41 and report.other_types == Counter({"Annotation": 1})
    two = compute(store, NetworkOptions(type="affiliation", level="affiliation"))[0]
    assert (len(two.rows), len(two.cols)) == (7, 6)
    assert sum(map(sum, two.matrix())) == 40
    one = compute(store, NetworkOptions(type="cooccurrence", level="affiliation"))[0]
    labels = [n.label for n in one.rows]
    assert len(labels) == 7 and sum(map(sum, one.matrix())) == 276
    assert labels[:2] == ["Alliance to Save Energy", "Energy and Environmental Analysis, Inc."]
    assert list(one.row(labels.index("Environmental Protection Agency")))[:2] == [10, 2]
