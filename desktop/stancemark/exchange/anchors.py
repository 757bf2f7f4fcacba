"""Small helpers shared by the Label Studio, XMI, GraphML and REFI-QDA exporters.

File names for an article and annotator, XML-safe text, stable GUIDs, and the
mention a claim's claimant or target is anchored to in formats whose relations
join two spans (Label Studio, INCEpTION).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator
from itertools import groupby

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.models import Article, Claim, Mention

_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]+")
# Characters XML 1.0 cannot carry (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_GUID_NS = uuid.UUID("6f1b2c8e-53a4-4a0e-9d6b-7a1f3c2e5d90")


def safe_name(name: str) -> str:
    """``name`` as a file-name part; a short hash keeps names that differ only in symbols apart."""
    cleaned = _UNSAFE.sub("_", name).strip("_") or "x"
    if cleaned != name:
        cleaned += "-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return cleaned


def file_stem(article: Article, annotator: str | None) -> str:
    """``<uid prefix>-<annotator>``: unique per article and annotator, stable across exports."""
    stem = article.uid[:12]
    return f"{stem}-{safe_name(annotator)}" if annotator else stem


def xml_text(text: str) -> str:
    """Replace characters XML 1.0 forbids by U+FFFD one for one, so offsets stay valid."""
    return _NOT_XML.sub("\ufffd", text)


def stable_guid(*parts: object) -> str:
    """A GUID derived from ``parts``: the same project exports the same GUIDs every time."""
    return str(uuid.uuid5(_GUID_NS, "\x1f".join(str(p) for p in parts)))


def by_article(sets: Iterable[AnnotationSet]) -> Iterator[tuple[Article, list[AnnotationSet]]]:
    """Group the stream (ordered by article) into one article with all its annotators' sets."""
    for _, group in groupby(sets, key=lambda s: s.article.id):
        chunk = list(group)
        yield chunk[0].article, chunk


def anchor_mention(mentions: list[Mention], actor_id: int | None, claim: Claim) -> Mention | None:
    """The mention of ``actor_id`` nearest to ``claim`` (inside it first), or None."""
    if actor_id is None:
        return None
    best: Mention | None = None
    best_key: tuple[int, int] | None = None
    for m in mentions:
        if m.actor_id != actor_id:
            continue
        if m.end <= claim.start:
            gap = claim.start - m.end
        elif m.start >= claim.end:
            gap = m.start - claim.end
        else:
            gap = 0
        key = (gap, m.start)
        if best_key is None or key < best_key:
            best, best_key = m, key
    return best
