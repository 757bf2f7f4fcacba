"""Small helpers several formats share: labels, file names, linking a claim to a mention."""

from __future__ import annotations

import re
import unicodedata

from stancemark.core.models import Mention

UNTYPED = "Actor"  # entity label of an actor without a type


def entity_label(actor_type: str | None) -> str:
    return actor_type or UNTYPED


def safe_name(name: str) -> str:
    """A file-name-safe form of an annotator name (ASCII letters, digits, ``-_.``)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "_", folded).strip("._")
    return clean or "annotator"


def nearest_mention(mentions: list[Mention], actor_id: int | None, start: int,
                    end: int) -> Mention | None:
    """The mention of ``actor_id`` closest to ``[start, end)`` (inside it first).

    Formats whose relations join two spans (brat, doccano) link a claim to a
    mention of its claimant or target; an actor with no mention in the article
    cannot be linked and is written as a note instead.
    """
    if actor_id is None:
        return None
    best: tuple[int, int, Mention] | None = None
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
        if best is None or key < best[:2]:
            best = (gap, m.start, m)
    return best[2] if best else None
