"""CoNLL-2003-style IOB2 tokens, one layer per file: LOSSY, for spaCy, seqeval and NER tools.

What is lost: exact span boundaries (a tag covers every token a span touches),
overlapping spans of the layer (the first one in text order wins a token), the
other layer, actor names, claimants, targets, stance, category, notes and
sentiment. Use Stancemark JSONL for anything that must come back.

Layout, as ``spacy convert -c ner`` and CoNLL-2003 readers read it: each
document (one article and annotator) starts with the line
``-DOCSTART- -X- O O`` and a blank line; then one token per line,
``TOKEN TAG`` (one space), with a blank line after each sentence (a line break
in the text or ``. ! ?``). There are no comment lines. Option ``layer`` picks
the spans: ``mentions`` (default; tags carry the actor type, ``B-person``) or
``claims`` (``B-Claim``). A tag never continues across a sentence break.

Tokens are runs of letters, digits and combining marks, or single other
characters. A token that begins with ``#`` is written with ``＃`` (U+FF03,
the same character under NFKC) in its place, so no reader that skips ``#``
comment lines drops it. Labels never hold whitespace (it becomes ``_``).

What a document is lives in the side file ``<name>.documents.jsonl``: one line
per document, in file order, with the article uid, title, annotator, layer,
token count and the indices of the tokens whose ``#`` was replaced. An
article with no tokens (empty text) has no document and no line.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.codebook import Codebook
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.exchange.common import entity_label
from stancemark.exchange.registry import Exporter, ExportOption, companion_path

DOCSTART = "-DOCSTART- -X- O O"  # the document separator spaCy's converter splits on
COMPANION = ".documents.jsonl"
NUMBER_SIGN = "\uff03"  # FULLWIDTH NUMBER SIGN, NFKC-equal to "#"
LAYER = ExportOption(
    name="layer", label="&Layer",
    help="which spans the file holds",
    choices=(("mentions", "Mentions (tag: actor type)"), ("claims", "Claims")),
    default="mentions")
_SENTENCE_END = {".", "!", "?"}


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.combining(ch) != 0


def tokenize(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each token of ``text``, and ``(-1, -1)`` at each sentence break."""
    i, n = 0, len(text)
    pending_break = False
    while i < n:
        ch = text[i]
        if ch == "\n":
            pending_break = True
            i += 1
            continue
        if ch.isspace():
            i += 1
            continue
        if pending_break:
            yield -1, -1
            pending_break = False
        j = i + 1
        if _wordish(ch):
            while j < n and _wordish(text[j]):
                j += 1
        yield i, j
        if ch in _SENTENCE_END and (j == n or text[j].isspace()):
            pending_break = True
        i = j


def tag_spans(tokens: list[tuple[int, int]], spans: list[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags of ``tokens`` (one sentence) for ``spans`` (start, end, label)."""
    tags = ["O"] * len(tokens)
    owner: list[int] = [-1] * len(tokens)
    for k, (start, end, label) in enumerate(spans):
        first = True
        for t, (a, b) in enumerate(tokens):
            if b <= start or a >= end:
                continue
            if owner[t] != -1:
                first = True  # another span holds this token: begin again after it
                continue
            owner[t] = k
            tags[t] = ("B-" if first else "I-") + label
            first = False
    return tags


def sentences(text: str) -> list[list[tuple[int, int]]]:
    out: list[list[tuple[int, int]]] = [[]]
    for tok in tokenize(text):
        if tok[0] == -1:
            if out[-1]:
                out.append([])
        else:
            out[-1].append(tok)
    return [s for s in out if s]


def label(text: str) -> str:
    """A tag label without whitespace (readers split columns on it)."""
    return "_".join(text.split()) or "_"


def layer_spans(s: AnnotationSet, layer: str) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of the spans of ``layer`` in ``s``, in text order."""
    if layer == "claims":
        spans = [(c.start, c.end, "Claim") for c in s.claims]
    else:
        spans = [(m.start, m.end, label(entity_label(s.actors[m.actor_id].type)))
                 for m in s.mentions]
    return sorted(spans, key=lambda x: (x[0], x[1]))


def document(s: AnnotationSet, layer: str = "mentions") -> tuple[list[str], list[int]]:
    """The lines of one document and the indices of tokens whose ``#`` was replaced."""
    text = s.article.text
    spans = layer_spans(s, layer)
    lines = [DOCSTART, ""]
    replaced: list[int] = []
    n = 0
    for sent in sentences(text):
        lo, hi = sent[0][0], sent[-1][1]
        tags = tag_spans(sent, [x for x in spans if x[0] < hi and x[1] > lo])
        for (a, b), tag in zip(sent, tags, strict=True):
            token = text[a:b]
            if token.startswith("#"):
                token = NUMBER_SIGN + token[1:]
                replaced.append(n)
            lines.append(f"{token} {tag}")
            n += 1
        lines.append("")
    return lines, replaced


def write(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
          codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    layer = LAYER.check(options.get("layer"), "conll")
    side = companion_path(dest, COMPANION)
    with open(dest, "w", encoding="utf-8", newline="\n") as f, \
            open(side, "w", encoding="utf-8", newline="\n") as meta:
        n = 0
        for s in sets:
            lines, replaced = document(s, layer)
            if len(lines) == 2:
                continue  # no tokens: readers would make no document of it
            n += 1
            f.write("\n".join(lines) + "\n")
            tokens = sum(1 for line in lines[2:] if line)
            meta.write(json.dumps({
                "conll_document": n, "article_uid": s.article.uid, "title": s.article.title,
                "annotator": s.annotator, "layer": layer, "tokens": tokens,
                "number_signs": replaced}, ensure_ascii=False) + "\n")


def note(options: Mapping[str, str]) -> str:
    return ("Read it with spacy convert -c ner (documents are split at -DOCSTART-); "
            f"what each document is: the {COMPANION} file beside it.")


EXPORTER = Exporter(
    name="conll",
    description="CoNLL-2003 IOB2 tokens for spaCy (spacy convert -c ner), seqeval and NER "
                "tools; one layer per file (lossy: tags only)",
    title="CoNLL / IOB2",
    options=(LAYER,),
    companion=COMPANION,
    note=note,
    multi_file=False,
    suffix=".conll",
    write=write,
    lossy=True,
)
