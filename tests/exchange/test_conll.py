"""CoNLL/IOB2 (lossy), checked by its consumers' own code.

- spaCy's converter (``spacy convert -c ner``, and its function in-process)
  reads every document, token and entity, with no comment lines to trip on;
- seqeval's strict IOB2 mode decodes the tags back to exactly the annotated
  tokens, one layer per file;
- a token ``#`` at the start of a line survives readers that skip comments.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from seqeval.scheme import IOB2, Entities

from stancemark.core.models import ArticleDraft
from stancemark.exchange.conll import COMPANION, DOCSTART, NUMBER_SIGN, sentences
from stancemark.exchange.registry import companion_path
from stancemark.services.exchange import export_project
from stancemark.store import memory_project

spacy_converters = pytest.importorskip("spacy.training.converters")


def _docs(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents > sentences > (token, tag), read the plain CoNLL-2003 way."""
    docs: list[list[list[tuple[str, str]]]] = []
    for chunk in path.read_text(encoding="utf-8").split(DOCSTART)[1:]:
        sents = []
        for block in chunk.strip("\n").split("\n\n"):
            rows = [tuple(line.split(" ")) for line in block.split("\n") if line]
            if rows:
                assert all(len(r) == 2 for r in rows)
                sents.append(rows)
        docs.append(sents)
    return docs


def _meta(out: Path) -> list[dict]:
    side = companion_path(out, COMPANION)
    return [json.loads(line) for line in side.read_text(encoding="utf-8").splitlines()]


def _expected(text: str, spans: list) -> list[str]:
    """Each span as the tokens it touches, sentence by sentence (the documented loss)."""
    want = []
    for item in spans:
        for s in sentences(text):
            covered = [text[a:b] for a, b in s if a < item.end and b > item.start]
            if covered:
                want.append(" ".join(covered))
    return want


@pytest.mark.parametrize("layer", ["mentions", "claims"])
def test_seqeval_strict_decodes_each_layer(hostile_project, tmp_path: Path, layer: str) -> None:
    out = tmp_path / "set.conll"
    summary = export_project(hostile_project, "conll", out, options={"layer": layer})
    assert summary.companion == companion_path(out, COMPANION)
    head = out.read_text(encoding="utf-8")
    assert head.startswith(DOCSTART + "\n\n") and "\n#" not in head
    docs, meta = _docs(out), _meta(out)
    assert len(docs) == len(meta) == 5
    for n, (sents, info) in enumerate(zip(docs, meta, strict=True), start=1):
        assert info["conll_document"] == n and info["layer"] == layer
        article = hostile_project.articles.by_uid(info["article_uid"])
        text = article.text
        toks = sentences(text)
        assert [[t for t, _ in s] for s in sents] == [[text[a:b] for a, b in s] for s in toks]
        assert info["tokens"] == sum(len(s) for s in toks)
        # strict IOB2: every tag is valid, every entity starts with B-
        entities = Entities([[tag for _, tag in s] for s in sents], IOB2).entities
        got = [" ".join(text[a:b] for a, b in toks[i][e.start:e.end])
               for i, sent_entities in enumerate(entities) for e in sent_entities]
        annotator = info["annotator"]
        items = (hostile_project.annotations.mentions(article.id, annotator)
                 if layer == "mentions"
                 else hostile_project.annotations.claims(article.id, annotator))
        assert sorted(got) == sorted(_expected(text, items))


def test_spacy_converter_reads_every_document(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "set.conll"
    export_project(hostile_project, "conll", out)
    data = out.read_text(encoding="utf-8")
    docs = list(spacy_converters.conll_ner_to_docs(data, n_sents=0, no_print=True))
    mine = _docs(out)
    assert len(docs) == len(mine) == len(_meta(out))
    for doc, sents in zip(docs, mine, strict=True):
        assert [t.text for t in doc] == [t for s in sents for t, _ in s]
        assert sum(1 for t in doc if t.is_sent_start) == len(sents)
        want = Entities([[tag for _, tag in s] for s in sents], IOB2).entities
        assert len(doc.ents) == sum(len(e) for e in want)
        for ent in doc.ents:
            assert ent.label_ in {"person", "country", "organisation", "government", "Actor"}


def test_spacy_convert_command(hostile_project, tmp_path: Path) -> None:
    """The command itself (``python -m spacy convert -c ner``) takes the file whole."""
    from spacy.tokens import DocBin

    out = tmp_path / "set.conll"
    export_project(hostile_project, "conll", out)
    run = subprocess.run([sys.executable, "-m", "spacy", "convert", "-c", "ner", str(out),
                          str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    import spacy

    nlp = spacy.blank("xx")
    docs = list(DocBin().from_disk(tmp_path / "set.spacy").get_docs(nlp.vocab))
    assert len(docs) == 5
    mine = _docs(out)
    assert [len(d) for d in docs] == [sum(len(s) for s in sents) for sents in mine]
    assert [len(d.ents) for d in docs] == [
        sum(len(e) for e in Entities([[t for _, t in s] for s in sents], IOB2).entities)
        for sents in mine]


def test_hash_token_keeps_its_tag_where_comments_are_skipped(tmp_path: Path) -> None:
    s = memory_project()
    text = "#Kosovo\n#Kosovo is trending."
    aid = s.articles.add(ArticleDraft(text=text, title="tags"))
    kosovo = s.actors.add("Kosovo", "country")
    s.annotations.add_mention(aid, 0, 7, kosovo, "alice")
    s.annotations.add_mention(aid, 8, 15, kosovo, "alice")
    out = tmp_path / "h.conll"
    export_project(s, "conll", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith("#") for line in lines)
    kept = [line for line in lines if not line.startswith("#")]  # a comment-skipping reader
    assert f"{NUMBER_SIGN} B-country" in kept and "Kosovo I-country" in kept
    assert _meta(out)[0]["number_signs"] == [0, 2]


def test_force_replaces_the_file_and_its_side_file(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "set.conll"
    export_project(hostile_project, "conll", out)
    export_project(hostile_project, "conll", out, options={"layer": "claims"}, force=True)
    assert _meta(out)[0]["layer"] == "claims"
