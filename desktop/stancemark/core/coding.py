"""The coding of a set of articles by several annotators, as plain data for agreement.

The store fills :class:`CodingData`; ``analysis.agreement`` reads it. It holds
no text but what the annotations keep, so a thousand articles stay light.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stancemark.core.models import Claim, Mention, Sentiment

#: Bootstrap defaults of the agreement report (here, so the command line can show
#: them without importing the agreement code).
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20240613


@dataclass(frozen=True, slots=True)
class CodedArticle:
    """An article on the agreement continuum: its id, title and length in code points."""

    id: int
    title: str | None
    length: int


@dataclass(slots=True)
class CodingData:
    """All annotations of the chosen annotators on the chosen articles.

    ``coded`` says which annotators coded each article (any annotation of any
    kind): an annotator who coded an article and tagged nothing in it says
    "nothing here", one who never touched it says nothing at all.
    """

    annotators: list[str]
    articles: dict[int, CodedArticle]
    coded: dict[int, set[str]]
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    sentiments: list[Sentiment] = field(default_factory=list)
    actor_names: dict[int, str] = field(default_factory=dict)
