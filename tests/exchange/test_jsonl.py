"""Stancemark JSONL: the shape of design.md, and export → merge → export is byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

from stancemark.core.text import text_hash
from stancemark.services.exchange import export_project, merge_set
from stancemark.store import memory_project


def test_shape_follows_design(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "set.jsonl"
    summary = export_project(hostile_project, "jsonl", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert first["kind"] == "codebook" and first["stancemark"] == 1
    assert {"actor_types", "categories", "scale"} <= set(first)
    recs = [json.loads(x) for x in lines[1:]]
    assert [(r["article"]["title"][:5], r["annotator"]) for r in recs] == [
        ("Mayor", "alice"), ("Mayor", "bob"), ("Предс", "alice"), ("The m", "alice"),
        ("Line ", "bob")]
    assert summary.articles == 4 and summary.claims == 7 and summary.mentions == 10
    assert summary.sentiments == 4
    for r in recs:
        text = r["article"]["text"]
        assert r["article"]["uid"] == text_hash(text)
        ids = {a["id"] for a in r["actors"]}
        assert [a["id"] for a in r["actors"]] == [f"a{i}" for i in range(1, len(ids) + 1)]
        for m in r["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"] and m["actor"] in ids
        for c in r["claims"]:
            assert text[c["start"]:c["end"]] == c["text"]
            assert {c["claimant"], c["target"]} - {None} <= ids
        assert set(r["sentiment"]["actors"]) <= ids
    cyr = recs[2]
    vucic = next(a for a in cyr["actors"] if a["name"] == "Aleksandar Vučić")
    serbia = next(a for a in cyr["actors"] if a["name"] == "Serbia")
    assert vucic["affiliation"] == serbia["id"] and vucic["aliases"] == ["Vucic", "Вучић"]
    assert cyr["sentiment"] == {"article": None, "actors": {vucic["id"]: -1}}


def test_round_trip_is_byte_identical(hostile_project, tmp_path: Path) -> None:
    first = tmp_path / "one.jsonl"
    export_project(hostile_project, "jsonl", first)
    fresh = memory_project()
    report = merge_set(fresh, first)
    assert report.conflicts == [] and report.duplicates == 0
    assert report.articles_added == 4 and report.claims_added == 7
    second = tmp_path / "two.jsonl"
    export_project(fresh, "jsonl", second)
    assert first.read_bytes() == second.read_bytes()
    # merging the same set again changes nothing: everything is a duplicate
    again = merge_set(fresh, first)
    assert again.articles_added == 0 and again.mentions_added == again.claims_added == 0
    assert again.duplicates == 10 + 7 + 4 and again.conflicts == []
    third = tmp_path / "three.jsonl"
    export_project(fresh, "jsonl", third)
    assert third.read_bytes() == first.read_bytes()
