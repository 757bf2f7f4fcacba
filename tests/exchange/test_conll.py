"""CoNLL/IOB2 (lossy): seqeval decodes the tags back to exactly the annotated tokens."""

from __future__ import annotations

from pathlib import Path

from seqeval.metrics.sequence_labeling import get_entities

from stancemark.exchange.conll import HEADER, sentences
from stancemark.services.exchange import export_project


def _docs(path: Path) -> list[tuple[str, str, list[list[list[str]]]]]:
    docs: list[tuple[str, str, list[list[list[str]]]]] = []
    sent: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            docs.append(("", "", []))
            continue
        if line.startswith("# article = "):
            uid = line.split(" ")[3]
            annotator = line.split("annotator = ")[1]
            docs[-1] = (uid, annotator, [])
            continue
        if line.startswith("#"):
            continue
        if not line:
            if sent:
                docs[-1][2].append(sent)
            sent = []
            continue
        sent.append(line.split("\t"))
    return docs


def test_tags_decode_to_the_annotated_tokens(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "set.conll"
    export_project(hostile_project, "conll", out)
    assert out.read_text(encoding="utf-8").startswith(HEADER)
    docs = _docs(out)
    assert len(docs) == 5
    for uid, annotator, sents in docs:
        article = hostile_project.articles.by_uid(uid)
        text = article.text
        toks = sentences(text)
        assert [[t[0] for t in s] for s in sents] == [[text[a:b] for a, b in s] for s in toks]
        for col, items in ((1, hostile_project.annotations.mentions(article.id, annotator)),
                           (2, hostile_project.annotations.claims(article.id, annotator))):
            got = []
            for s, sent in zip(toks, sents, strict=True):
                for _label, i, j in get_entities([row[col] for row in sent]):
                    got.append(" ".join(text[a:b] for a, b in s[i:j + 1]))
            want = []
            for item in items:
                for s in toks:
                    covered = [text[a:b] for a, b in s if a < item.end and b > item.start]
                    if covered:
                        want.append(" ".join(covered))
            assert sorted(got) == sorted(want)
            # the decoded tokens spell the span (modulo whitespace): nothing shifted
            for item in items:
                assert "".join(item.text.split()) in "".join("".join(got).split())
