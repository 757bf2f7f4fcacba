"""CoNLL / IOB2 tokens with B-/I-/O tags: LOSSY, for sequence-labelling tools.

What is lost: exact span boundaries (a tag covers every token a span touches),
overlapping spans (the first one in text order wins a token), claimants,
targets, stance, category, notes and sentiment. Use Stancemark JSONL for
anything that must come back.

Layout: a ``#`` comment header; per article and annotator a ``-DOCSTART-``
line and a ``# article = ... annotator = ...`` comment; then one token per
line ``TOKEN<TAB>MENTION_TAG<TAB>CLAIM_TAG``, with a blank line after each
sentence (a line break in the text or ``. ! ?``). Mention tags carry the
actor type (``B-person``), claim tags ``B-Claim``; a tag never continues
across a sentence break, so a claim over two lines is two entities. Tokens are
runs of letters, digits and combining marks, or single other characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.codebook import Codebook
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.exchange.common import entity_label
from stancemark.exchange.registry import Exporter

HEADER = ("# Stancemark CoNLL/IOB2 export. LOSSY: spans are widened to whole tokens, overlaps\n"
          "# keep the first span, and claimant/target/stance/category/notes/sentiment are not\n"
          "# included. Columns: TOKEN, MENTION (actor type), CLAIM.\n")
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


def document(s: AnnotationSet) -> list[str]:
    text = s.article.text
    mentions = [(m.start, m.end, entity_label(s.actors[m.actor_id].type)) for m in s.mentions]
    claims = [(c.start, c.end, "Claim") for c in s.claims]
    lines = ["-DOCSTART-\tO\tO", f"# article = {s.article.uid} annotator = {s.annotator or ''}",
             ""]
    for sent in sentences(text):
        lo, hi = sent[0][0], sent[-1][1]
        m_tags = tag_spans(sent, [x for x in mentions if x[0] < hi and x[1] > lo])
        c_tags = tag_spans(sent, [x for x in claims if x[0] < hi and x[1] > lo])
        for (a, b), mt, ct in zip(sent, m_tags, c_tags, strict=True):
            lines.append(f"{text[a:b]}\t{mt}\t{ct}")
        lines.append("")
    return lines


def write(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
          codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    with open(dest, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER + "\n")
        for s in sets:
            f.write("\n".join(document(s)) + "\n")


EXPORTER = Exporter(
    name="conll",
    description="CoNLL / IOB2 tokens (lossy: tags only, no claimant, stance or category)",
    multi_file=False,
    suffix=".conll",
    write=write,
    lossy=True,
)
