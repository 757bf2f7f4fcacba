"""Property test: random Unicode texts and spans survive store, reload and every export.

Texts mix ASCII, Cyrillic, astral emoji (two UTF-16 units), skin-tone modifiers,
combining marks and line breaks that came in as CRLF. For each drawn project the
spans are stored, the file is closed and reopened, and every format is exported
and read back with its reader: the text at the exported offsets always equals
the span's text.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from stancemark.core.models import ArticleDraft
from stancemark.core.spans import line_fragments
from stancemark.core.text import normalize_newlines
from stancemark.services.exchange import export_project
from stancemark.store import open_project

PIECES = ["Kurti", "said", "Вучић", "рекао", "😀", "👍🏽", "e\u0301", "n\u0303o", "🇷🇸", " ",
          " ", ", ", ".", "\r\n", "\r\n\r\n", "“quoted”", "«цитат»", "=SUM(A1)", "&<>\"'"]


@st.composite
def projects(draw) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    raw = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=3, max_size=40)))
    text = normalize_newlines(raw)
    starts = [i for i, ch in enumerate(text) if not ch.isspace()]
    if not starts:
        text, starts = text + "x", [len(text)]

    def span() -> tuple[int, int]:
        start = draw(st.sampled_from(starts))
        ends = [j + 1 for j in range(start, len(text)) if not text[j].isspace()]
        return start, draw(st.sampled_from(ends))

    # distinct: the same mention twice by one annotator is refused (tested elsewhere)
    mentions = list(dict.fromkeys(span() for _ in range(draw(st.integers(1, 4)))))
    claims = [span() for _ in range(draw(st.integers(0, 3)))]
    return text, mentions, claims


def expected(text: str, spans: list[tuple[int, int]]) -> Counter:
    return Counter(text[a:b] for a, b in spans)


def check_jsonl(out: Path, text: str, spans: Counter) -> None:
    got: Counter = Counter()
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("kind") != "article":
            continue
        assert rec["article"]["text"] == text
        for item in rec["mentions"] + rec["claims"]:
            assert text[item["start"]:item["end"]] == item["text"]
            got[item["text"]] += 1
    assert got == spans


def check_doccano(out: Path, text: str, spans: Counter) -> None:
    got: Counter = Counter()
    data = text.encode("utf-16-le")
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for e in rec["entities"]:
            got[data[2 * e["start_offset"]:2 * e["end_offset"]].decode("utf-16-le")] += 1
    assert got == spans


def check_brat(out: Path, text: str, spans: list[tuple[int, int]]) -> None:
    """brat: each T line's text is its fragments' slices joined by a space (bioc agrees)."""
    import bioc.brat

    got: Counter = Counter()
    for ann in out.rglob("*.ann"):
        body = ann.with_suffix(".txt").read_text(encoding="utf-8")
        assert body == text
        doc = bioc.brat.loads(body, ann.read_text(encoding="utf-8"))
        assert len(doc.entities) == sum(1 for line in ann.read_text().splitlines()
                                        if line.startswith("T"))
        for line in ann.read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            _, kind_offsets, span_text = line.split("\t")
            frags = [tuple(map(int, f.split())) for f in kind_offsets.split(" ", 1)[1].split(";")]
            assert " ".join(text[a:b] for a, b in frags) == span_text
            assert all("\n" not in text[a:b] for a, b in frags)
            got[tuple(frags)] += 1
    assert got == Counter(tuple(line_fragments(text, a, b)) for a, b in spans)


def check_labelstudio(out: Path, text: str, spans: Counter) -> None:
    got: Counter = Counter()
    for task in json.loads((out / "tasks.json").read_text(encoding="utf-8")):
        assert task["data"]["text"] == text
        for ann in task["annotations"]:
            for r in ann["result"]:
                if r.get("type") == "labels":
                    v = r["value"]
                    assert text[v["start"]:v["end"]] == v["text"]
                    got[v["text"]] += 1
    assert got == spans


def check_xmi(out: Path, text: str, spans: Counter) -> None:
    from cassis import load_cas_from_xmi, load_typesystem

    with (out / "TypeSystem.xml").open("rb") as f:
        ts = load_typesystem(f)
    got: Counter = Counter()
    for xmi in out.glob("*.xmi"):
        with xmi.open("rb") as f:
            cas = load_cas_from_xmi(f, typesystem=ts)
        assert cas.sofa_string == text
        for type_name in ("webanno.custom.Actor", "webanno.custom.Claim"):
            for a in cas.select(type_name):
                got[a.get_covered_text()] += 1
    assert got == spans


def check_inception(out: Path, text: str, spans: Counter) -> None:
    """INCEpTION archive: every source/*.xmi read with the type system of its layers."""
    from cassis import load_cas_from_xmi

    from stancemark.exchange.inception import typesystem

    got: Counter = Counter()
    with zipfile.ZipFile(out) as zf:
        assert any(n.startswith("exportedproject") and n.endswith(".json")
                   for n in zf.namelist())
        for name in zf.namelist():
            if name.startswith("source/"):
                cas = load_cas_from_xmi(zf.read(name).decode("utf-8"), typesystem=typesystem())
                assert cas.sofa_string == text
                for type_name in ("webanno.custom.Actor", "webanno.custom.Claim"):
                    for a in cas.select(type_name):
                        got[a.get_covered_text()] += 1
    assert got == spans


def check_qdpx(out: Path, text: str, spans: Counter) -> None:
    ns = {"q": "urn:QDA-XML:project:1.0"}
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("project.qde"))
        got: Counter = Counter()
        for source in root.iterfind(".//q:TextSource", ns):
            path = source.get("plainTextPath").replace("internal://", "sources/")
            body = zf.read(path).decode("utf-8")
            assert body == text
            for sel in source.iterfind("q:PlainTextSelection", ns):
                got[body[int(sel.get("startPosition")):int(sel.get("endPosition"))]] += 1
    assert got == spans


def check_csv(out: Path, text: str, spans: Counter) -> None:
    got: Counter = Counter()
    for name in ("mentions.csv", "claims.csv"):
        rows = csv.DictReader(io.StringIO((out / name).read_text(encoding="utf-8-sig")))
        for row in rows:
            cell = row["text"]
            piece = text[int(row["start"]):int(row["end"])]
            assert cell == piece or (cell == "'" + piece and piece[:1] in "=+-@\t\r")
            got[piece] += 1
    assert got == spans


def check_graphml(out: Path, text: str, claims_with_both: int) -> None:
    import networkx as nx

    g = nx.read_graphml(out)
    assert g.number_of_edges() == claims_with_both


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(projects())
def test_offsets_agree_after_store_reload_and_every_export(drawn) -> None:
    text, mention_spans, claim_spans = drawn
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = tmp / "p.stancemark"
        with open_project(path, create=True) as s:
            aid = s.articles.add(ArticleDraft(text=text, title="T"))
            assert aid is not None
            a = s.actors.add("Kurti", "person")
            b = s.actors.add("Вучић", "person")
            for start, end in mention_spans:
                s.annotations.add_mention(aid, start, end, a, "alice")
            for start, end in claim_spans:
                s.annotations.add_claim(aid, start, end, "alice", claimant_id=a, target_id=b,
                                        category="politics", stance=-1)
        spans = expected(text, mention_spans + claim_spans)
        with open_project(path, read_only=True) as s:
            stored = s.articles.get(aid).text
            assert stored == text
            for m in [*s.annotations.mentions(aid), *s.annotations.claims(aid)]:
                assert stored[m.start:m.end] == m.text
            outs = {fmt: tmp / name for fmt, name in (
                ("jsonl", "a.jsonl"), ("doccano", "d.jsonl"), ("brat", "brat"),
                ("labelstudio", "ls"), ("xmi", "xmi"), ("qdpx", "q.qdpx"), ("csv", "csv"),
                ("graphml", "g.graphml"), ("conll", "c.conll"), ("inception", "i.zip"))}
            for fmt, out in outs.items():
                export_project(s, fmt, out)
        check_jsonl(outs["jsonl"], text, spans)
        check_doccano(outs["doccano"], text, spans)
        check_brat(outs["brat"], text, mention_spans + claim_spans)
        check_labelstudio(outs["labelstudio"], text, spans)
        check_xmi(outs["xmi"], text, spans)
        check_inception(outs["inception"], text, spans)
        check_qdpx(outs["qdpx"], text, spans)
        check_csv(outs["csv"], text, spans)
        check_graphml(outs["graphml"], text, len(claim_spans))
        assert outs["conll"].read_text(encoding="utf-8").strip()
