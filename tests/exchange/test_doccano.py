"""doccano JSONL (relation variant): schema, and UTF-16 offsets checked against the text."""

from __future__ import annotations

import json
from pathlib import Path

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
