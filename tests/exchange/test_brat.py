"""brat standoff read back with bioc's brat reader, plus a strict check of every T line."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bioc import brat

from stancemark.services.exchange import export_project


def _strict_check(text: str, ann: str) -> int:
    """Each T line's text equals its fragments' slices joined by a space; none crosses a line."""
    n = 0
    for line in ann.splitlines():
        if not line.startswith("T"):
            continue
        tid, type_locs, span_text = line.split("\t")
        locs = type_locs.split(" ", 1)[1]
        frags = [tuple(int(x) for x in loc.split(" ")) for loc in locs.split(";")]
        assert all("\n" not in text[a:b] for a, b in frags)
        assert " ".join(text[a:b] for a, b in frags) == span_text, tid
        n += 1
    return n


def test_read_back_with_bioc(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    export_project(hostile_project, "brat", out)
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "[entities]" in conf and "Claimant Arg1:Claim" in conf and "Stance Arg:Claim" in conf
    docs = sorted(out.glob("*/*.txt"))
    assert [p.parent.name for p in docs].count("alice") == 3
    assert [p.parent.name for p in docs].count("bob") == 2
    entities = 0
    for txt in docs:
        text = txt.read_text(encoding="utf-8")
        ann = txt.with_suffix(".ann").read_text(encoding="utf-8")
        doc = brat.loads(text, ann)
        for e in doc.entities:
            pieces = [text[iv.begin:iv.end] for iv in sorted(e.locations)]
            assert " ".join(pieces) == e.text
            entities += 1
        assert _strict_check(text, ann) == len(doc.entities)
        for r in doc.relations:
            assert r.type in ("Claimant", "Target")
            assert doc.get_annotation(r.arguments["Arg1"]).type == "Claim"
        for a in doc.attributes:
            assert a.type in ("Stance", "Category")
    assert entities == 17


def test_line_break_claim_is_fragments(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "brat.zip"
    export_project(hostile_project, "brat", out)
    with zipfile.ZipFile(out) as zf:
        anns = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".ann")}
        texts = {n: zf.read(n[:-4] + ".txt").decode("utf-8") for n in anns}
    frag_lines = [ln for a in anns.values() for ln in a.splitlines()
                  if ln.startswith("T") and ";" in ln.split("\t")[1]]
    assert len(frag_lines) == 2
    assert any(ln.endswith("\tthat protests would be banned") for ln in frag_lines)
    for n, ann in anns.items():
        _strict_check(texts[n], ann)
    notes = [ln for a in anns.values() for ln in a.splitlines() if ln.startswith("#")]
    assert any(ln.endswith('\tshe said "soon"') for ln in notes)
    assert any("AnnotatorNotes" in ln and "=Renée Dubois" in ln for ln in notes)
