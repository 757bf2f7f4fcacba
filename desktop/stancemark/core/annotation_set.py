"""What every exporter reads: one :class:`AnnotationSet` per article and annotator.

The store streams these (``store.exchange.iter_annotation_sets``) so memory does
not grow with the size of the export.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stancemark.core.models import Actor, Article, Claim, Mention


@dataclass(slots=True)
class AnnotationSet:
    """The annotations one annotator made in one article.

    ``annotator`` is None for an article nobody has annotated yet (it is still
    exported, with empty lists). ``actors`` holds every actor referenced by the
    mentions, claims and sentiments, and the actors they are affiliated with.
    """

    article: Article
    annotator: str | None
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    article_sentiment: int | None = None
    actor_sentiments: dict[int, int] = field(default_factory=dict)
    actors: dict[int, Actor] = field(default_factory=dict)


__all__ = ["AnnotationSet"]
