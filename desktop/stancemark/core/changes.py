"""What an edit or a job changed: the one value every view refreshes from.

A :class:`Change` names the articles touched and the kinds of data changed (a
closed set, :class:`ChangeKind`), the annotation to select afterwards, and who
started it (``origin``), so a panel can skip the echo of its own edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ChangeKind(StrEnum):
    """The kinds of data a change can touch (members compare equal to their strings)."""

    #: articles added or removed (an import, a merge)
    ARTICLES = "articles"
    MENTIONS = "mentions"
    CLAIMS = "claims"
    #: article and actor sentiment
    SENTIMENT = "sentiment"
    #: the actor registry: names, aliases, types, affiliations
    ACTORS = "actors"
    #: an article's workflow status (new, in progress, done)
    STATUS = "status"
    #: actor types, categories, the scale
    CODEBOOK = "codebook"
    #: dismissed suggestions
    SUGGESTIONS = "suggestions"


#: The kinds that are an analyst's annotations (the first one marks an article in progress).
ANNOTATION_KINDS = frozenset({ChangeKind.MENTIONS, ChangeKind.CLAIMS, ChangeKind.SENTIMENT})

Ref = tuple[str, int]
"""An annotation or actor to select: ("mention" | "claim" | "actor", id)."""


@dataclass(frozen=True, slots=True)
class Change:
    """What an edit changed, so every view can refresh just that."""

    articles: frozenset[int] = frozenset()
    kinds: frozenset[ChangeKind] = frozenset()
    focus: Ref | None = None  # ("mention" | "claim", id) to select afterwards
    #: who asked for it (a panel, a dialog); None for the command line and jobs
    origin: object | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # a misspelt kind fails here, where it is made, not in a view that never refreshes
        object.__setattr__(self, "kinds", frozenset(ChangeKind(k) for k in self.kinds))

    def __or__(self, other: Change) -> Change:
        return Change(self.articles | other.articles, self.kinds | other.kinds,
                      other.focus or self.focus, self.origin or other.origin)

    def with_origin(self, origin: object | None) -> Change:
        return Change(self.articles, self.kinds, self.focus, origin)

    @property
    def empty(self) -> bool:
        return not self.articles and not self.kinds


def kinds(*names: str) -> frozenset[ChangeKind]:
    """The set of the named kinds (an unknown name raises ValueError)."""
    return frozenset(ChangeKind(n) for n in names)


def change(article_id: int | None, *kinds: str, focus: Ref | None = None) -> Change:
    """A change of one article (or none) in the given kinds."""
    return Change(frozenset() if article_id is None else frozenset({article_id}),
                  frozenset(ChangeKind(k) for k in kinds), focus)


__all__ = ["ANNOTATION_KINDS", "Change", "ChangeKind", "Ref", "change", "kinds"]
