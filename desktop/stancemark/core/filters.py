"""Which articles, annotators and kinds of annotation a listing or an export covers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from stancemark.core.changes import ANNOTATION_KINDS


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a listing (or export) covers."""

    status: str | None = None
    search: str | None = None
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None  # ISO date, inclusive
    ids: Sequence[int] | None = None


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which articles, annotators and kinds of annotation an export covers."""

    articles: ArticleFilter = field(default_factory=ArticleFilter)
    annotators: tuple[str, ...] | None = None  # None: everyone
    kinds: frozenset[str] = ANNOTATION_KINDS  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class StudyFilter:
    """Which claims and ratings the charts, the network view and the report count.

    Every field left ``None`` keeps everything. Dates are ISO days, both ends
    inclusive, compared with the article's date (an undated article is left out once
    a date is set). ``categories`` are taken with their sub-categories by whoever
    applies the filter; ``actor_types`` restricts the actor a count is about (a
    claim's claimant, a rating's actor).
    """

    date_from: str | None = None
    date_to: str | None = None
    annotators: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    actor_types: tuple[str, ...] | None = None

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__slots__)

    @property
    def restricts_articles(self) -> bool:
        return (self.date_from, self.date_to, self.sources) != (None, None, None)

    def describe(self) -> str:
        """The filter in words ("" when it keeps everything), for captions and notes."""
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'} to {self.date_to or '…'}")
        for label, values in (("coder", self.annotators), ("outlet", self.sources),
                              ("category", self.categories), ("actor type", self.actor_types)):
            if values is not None:
                plural = "s" if len(values) != 1 else ""
                parts.append(f"{label}{plural} {', '.join(values) or '(none)'}")
        return " · ".join(parts)


__all__ = ["ArticleFilter", "ExportFilter", "StudyFilter"]
