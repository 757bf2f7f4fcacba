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


__all__ = ["ArticleFilter", "ExportFilter"]
