"""Small helpers several formats share: labels, file names, XML-safe text, GUIDs, anchors.

- :func:`safe_name` is the one way an annotator name becomes part of a file name:
  readable in any script, safe on every system, distinct for distinct names.
- :func:`nearest_mention` is the one way a claim's claimant or target is anchored
  to a mention, in formats whose relations join two spans (brat, doccano,
  Label Studio).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from itertools import groupby

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.models import Article, Mention

UNTYPED = "Actor"  # entity label of an actor without a type

# Characters no file system takes (Windows' list is the longest) besides controls.
_FORBIDDEN = frozenset('/\\:*?"<>|')
_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
_MAX_NAME = 80  # characters of a name kept in a file name (before the hash)
# Characters XML 1.0 cannot carry (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_GUID_NS = uuid.UUID("6f1b2c8e-53a4-4a0e-9d6b-7a1f3c2e5d90")


def entity_label(actor_type: str | None) -> str:
    return actor_type or UNTYPED


def _unsafe(ch: str) -> bool:
    return ch in _FORBIDDEN or unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn",
                                                            "Zl", "Zp"}


def safe_name(name: str) -> str:
    """``name`` as a file-name part: readable (any script), safe everywhere, distinct.

    Letters of every script, digits, marks, spaces and most punctuation are kept
    (``Боян Петровић`` stays ``Боян Петровић``); path separators, characters
    Windows forbids, control and format characters become ``_``, as do leading
    and trailing dots and spaces, and a leading ``-``. Whenever anything had to change (or the name
    is long, or one Windows reserves), a short hash of the original is added, so
    two names never share a file name.
    """
    nfc = unicodedata.normalize("NFC", name)
    cleaned = "".join("_" if _unsafe(ch) else ch for ch in nfc)
    cleaned = re.sub(r"\s", " ", cleaned)
    cleaned = cleaned.strip(" .") or "_"
    if cleaned.startswith("-"):  # would read as an option to command-line tools
        cleaned = "_" + cleaned[1:]
    changed = cleaned != name
    if len(cleaned) > _MAX_NAME:
        cleaned, changed = cleaned[:_MAX_NAME].rstrip(" ."), True
    if _WINDOWS_RESERVED.fullmatch(cleaned):
        changed = True
    if changed:
        cleaned = f"{cleaned}-{hashlib.sha1(name.encode('utf-8', 'surrogatepass')).hexdigest()[:6]}"
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


def nearest_mention(mentions: list[Mention], actor_id: int | None, start: int,
                    end: int) -> Mention | None:
    """The mention of ``actor_id`` closest to ``[start, end)`` (inside it first), or None.

    An actor with no mention in the article cannot be anchored; formats then
    name it in the claim's own fields instead.
    """
    if actor_id is None:
        return None
    best: Mention | None = None
    best_key: tuple[int, int] | None = None
    for m in mentions:
        if m.actor_id != actor_id:
            continue
        if m.end <= start:
            gap = start - m.end
        elif m.start >= end:
            gap = m.start - end
        else:
            gap = 0
        key = (gap, m.start)
        if best_key is None or key < best_key:
            best, best_key = m, key
    return best
