"""doccano JSONL (relation variant): schema, and UTF-16 offsets checked against the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stancemark.services.exchange import export_project


def _u16(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def test_schema_and_utf16_offsets(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "doccano.jsonl"
    export_project(hostile_project, "doccano", out)
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 5
    seen = 0
    for r in recs:
        assert isinstance(r["id"], int) and isinstance(r["text"], str)
        ids = set()
        for e in r["entities"]:
            assert set(e) == {"id", "label", "start_offset", "end_offset"}
            assert isinstance(e["start_offset"], int) and e["start_offset"] < e["end_offset"]
            ids.add(e["id"])
        for rel in r["relations"]:
            assert set(rel) == {"id", "from_id", "to_id", "type"}
            assert rel["from_id"] in ids and rel["to_id"] in ids
            assert rel["type"] in ("claimant", "target")
        # every entity, sliced by UTF-16 units, is the annotated text
        spans = {e["id"]: _u16(r["text"], e["start_offset"], e["end_offset"])
                 for e in r["entities"]}
        seen += len(spans)
        for meta in r["mentions"]:
            assert spans[meta["entity_id"]]
        for e in r["entities"]:
            assert spans[e["id"]].strip() == spans[e["id"]]
    assert seen == 17
    emoji = recs[0]
    petrovic = [e for e in emoji["entities"] if e["label"] == "person"]
    # "Ana Petrović" comes after one emoji: UTF-16 offset = code-point offset + 1
    cp = emoji["text"].index("Ana Petrović")
    assert petrovic[0]["start_offset"] == cp + 1
    assert _u16(emoji["text"], petrovic[0]["start_offset"], petrovic[0]["end_offset"]) == \
        "Ana Petrović"


def test_span_texts_match_the_project(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "doccano.jsonl"
    export_project(hostile_project, "doccano", out)
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for r in recs:
        article = hostile_project.articles.by_uid(r["article_uid"])
        want = sorted([m.text for m in hostile_project.annotations.mentions(
            article.id, r["annotator"])] + [c.text for c in hostile_project.annotations.claims(
                article.id, r["annotator"])])
        got = sorted(_u16(r["text"], e["start_offset"], e["end_offset"])
                     for e in r["entities"])
        assert got == want
    kurti = next(c for r in recs for c in r["claims"] if c["claimant"] == "Albin Kurti")
    assert kurti["stance"] == -1 and kurti["category"] == "security-police"


def _doccano_default_project(rec: dict) -> tuple[int, int]:
    """doccano's rules for a default Sequence Labeling project, replayed on one line.

    Plain JSONL: ``label`` holds ``[start, end, label]`` triples (doccano's
    SpanLabel.parse order); with "Allow overlapping spans" off an overlapping
    span is refused. Returns (spans taken, spans refused).
    """
    taken: list[tuple[int, int]] = []
    refused = 0
    for start, end, label in rec["label"]:
        assert isinstance(start, int) and isinstance(end, int) and isinstance(label, str)
        assert 0 <= start < end
        if any(start < b and a < end for a, b in taken):
            refused += 1
        else:
            taken.append((start, end))
    return len(taken), refused


@pytest.mark.parametrize("layer", ["mentions", "claims"])
def test_one_layer_fits_a_default_project(hostile_project, tmp_path: Path, layer: str) -> None:
    out = tmp_path / "doccano.jsonl"
    summary = export_project(hostile_project, "doccano", out, options={"spans": layer})
    assert "default settings" in summary.text() and "'JSONL'" in summary.text()
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    n_spans = 0
    for rec in recs:
        assert "relations" not in rec and "entities" not in rec
        taken, refused = _doccano_default_project(rec)
        assert refused == 0
        n_spans += taken + len(rec["overlapping"])
        for (start, end, _), meta in zip(rec["label"], rec[layer], strict=True):
            assert (meta["start_offset"], meta["end_offset"]) == (start, end)
            piece = _u16(rec["text"], start, end)
            assert piece == _u16(rec["text"], meta["start_offset"], meta["end_offset"])
    kind = hostile_project.annotations.mentions if layer == "mentions" \
        else hostile_project.annotations.claims
    want = sum(len(kind(aid)) for aid in hostile_project.articles.ids())
    assert n_spans == want


def test_all_spans_needs_overlap_and_relations(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "doccano.jsonl"
    summary = export_project(hostile_project, "doccano", out)
    assert "Allow overlapping spans" in summary.text()
    assert "JSONL(Relation)" in summary.text()
