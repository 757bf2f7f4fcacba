"""What a long job did, as plain values: the report of an import and of a merge.

Each says what it changed as a :class:`~stancemark.core.changes.Change`, like every
edit, so the session can tell its listeners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from stancemark.core.changes import Change, kinds
from stancemark.core.models import ImportOutcome


@dataclass
class ImportReport:
    """Per-file outcomes of an import batch, with counts by status."""

    outcomes: list[ImportOutcome] = field(default_factory=list)
    cancelled: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def change(self) -> Change:
        """What the import changed: the new articles (for the session's listeners)."""
        ids = frozenset(o.article_id for o in self.outcomes
                        if o.status == "imported" and o.article_id is not None)
        return Change(ids, kinds("articles") if ids else frozenset())

    def summary(self) -> str:
        order = ("imported", "duplicate", "empty", "binary", "too_large", "unreadable",
                 "refused", "unreachable")
        parts = [f"{self.count(s)} {s.replace('_', ' ')}" for s in order if self.count(s)]
        text = ", ".join(parts) if parts else "no files"
        return text + (" (cancelled)" if self.cancelled else "")


@dataclass
class MergeReport:
    """What a merge did and which conflicts it left alone (the project's value was kept)."""

    source: str
    articles_added: int = 0
    articles_matched: int = 0
    actors_added: int = 0
    mentions_added: int = 0
    claims_added: int = 0
    sentiments_added: int = 0
    duplicates: int = 0
    conflicts: list[str] = field(default_factory=list)
    backup: Path | None = None
    codebook_changes: list[str] = field(default_factory=list)

    @property
    def change(self) -> Change:
        """What the merge changed, for the session's listeners (any article may have gained)."""
        names = ["articles", "mentions", "claims", "sentiment", "actors", "status"]
        if self.codebook_changes:
            names.append("codebook")
        return Change(frozenset(), kinds(*names))

    def text(self) -> str:
        lines = [
            f"Merged {self.source}: {self.articles_added} article(s) added, "
            f"{self.articles_matched} matched, {self.actors_added} actor(s) added, "
            f"{self.mentions_added} mention(s), {self.claims_added} claim(s), "
            f"{self.sentiments_added} sentiment(s) added, {self.duplicates} duplicate(s) "
            f"skipped, {len(self.conflicts)} conflict(s) (project's value kept), "
            f"{len(self.codebook_changes)} codebook addition(s)."
        ]
        lines += [f"codebook: {c}" for c in self.codebook_changes]
        lines += [f"conflict: {c}" for c in self.conflicts]
        if self.backup:
            lines.append(f"A copy of the project before the merge: {self.backup}")
        return "\n".join(lines)


__all__ = ["ImportReport", "MergeReport"]
