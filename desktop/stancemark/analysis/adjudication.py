"""Adjudication strategies as pure functions: which version of a unit, if any, wins on its own.

A *unit* is what the agreement matcher groups: one span (mention, claim) or one
sentiment slot (the article, an actor in the article) as several coders coded it.
Each coder who coded the article casts one *vote* for the unit: the version they
gave (a hashable value: span and variables) or :data:`ABSENT` (they coded the
article and marked nothing here). A coder who never coded the article casts no
vote.

The thresholds count the chosen annotators, not the voters, so that an article
only some coders saw is never accepted "unanimously" by one of them:

* ``unanimous``: every chosen annotator gave the same version;
* ``majority``: more than half of the chosen annotators gave it;
* ``min:N``: at least ``N`` of them gave it.

The version with the most votes wins if it reaches the threshold and no other
version has as many votes (with ``min:N`` two versions can both reach ``N``; the
curator settles such a tie). When :data:`ABSENT` wins, the unit is closed
without a gold annotation: the coders agree there is nothing to mark.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Final

from stancemark.core.errors import ValidationError

#: The vote of a coder who coded the article but has no annotation in this unit.
ABSENT: Final = "(nothing marked)"

#: The layers adjudication works on, in the order they are shown.
LAYERS: Final = ("mentions", "claims", "article_sentiment", "actor_sentiment")

#: What a settled unit came to.
OUTCOMES: Final = ("accepted", "edited", "rejected")


@dataclass(frozen=True, slots=True)
class Strategy:
    """How many of the chosen annotators must give the same version for it to be accepted."""

    name: str  # "unanimous", "majority" or "min"
    n: int = 0  # for "min"

    @classmethod
    def parse(cls, text: str) -> Strategy:
        """``unanimous``, ``majority`` or ``min:N`` (raises ValidationError otherwise)."""
        value = text.strip().lower()
        if value in ("unanimous", "majority"):
            return cls(value)
        if value.startswith("min:"):
            try:
                n = int(value[4:])
            except ValueError:
                n = 0
            if n >= 1:
                return cls("min", n)
        raise ValidationError(f"Unknown strategy {text!r}.",
                              "Use unanimous, majority or min:N (N a whole number, 1 or more).")

    def threshold(self, chosen: int) -> int:
        """Votes a version needs when ``chosen`` annotators are curated."""
        if self.name == "unanimous":
            return chosen
        if self.name == "majority":
            return chosen // 2 + 1
        return self.n

    def check(self, chosen: int) -> None:
        if self.name == "min" and self.n > chosen:
            raise ValidationError(
                f"min:{self.n} asks for more annotators than the {chosen} chosen.",
                f"Use a number from 1 to {chosen}.")

    def __str__(self) -> str:
        return f"min:{self.n}" if self.name == "min" else self.name


def winner(votes: Mapping[str, Hashable], chosen: int, strategy: Strategy) -> Hashable | None:
    """The version ``strategy`` accepts from ``votes`` (coder → version), or None.

    The result may be :data:`ABSENT` (agreement that there is nothing to mark).
    """
    if not votes:
        return None
    ranked = Counter(votes.values()).most_common()
    best, count = ranked[0]
    if count < max(strategy.threshold(chosen), 1):
        return None
    if len(ranked) > 1 and ranked[1][1] == count:
        return None
    return best


@dataclass(frozen=True, slots=True)
class Decision:
    """A unit settled into a gold set: what was decided, by whom, and from whose versions.

    ``unit_key`` names the unit stably (see :func:`span_unit_key`); ``sources`` maps
    each annotator whose version the gold annotation came from to that version's
    annotation id (mentions, claims) or value (sentiments); it is empty for a unit
    rejected by the curator. ``mention_id`` / ``claim_id`` is the gold annotation
    made (None for sentiments, rejections, or once it was deleted).
    """

    id: int
    gold: str
    article_id: int
    layer: str
    unit_key: str
    outcome: str
    decided_by: str  # the curator's name, or "auto:<strategy>" for the automatic step
    sources: dict[str, int] = field(default_factory=dict)
    mention_id: int | None = None
    claim_id: int | None = None
    created_at: str = ""
    #: The decision's identity in team sync (kept when an undo writes the row back).
    uuid: str | None = None

    @property
    def automatic(self) -> bool:
        return self.decided_by.startswith("auto:")

    @property
    def source_ids(self) -> frozenset[int]:
        return frozenset(self.sources.values())


def span_unit_key(ids: list[int] | set[int] | frozenset[int]) -> str:
    """A span unit's name: its coders' annotation ids, sorted ("12,15,19").

    Annotation ids never change, so the same unit gets the same name on every
    run; a unit whose members changed is still found through any id it shares
    with a decision (:func:`matching_decision`).
    """
    return ",".join(str(i) for i in sorted(ids))


def sentiment_unit_key(actor_id: int | None) -> str:
    """A sentiment unit's name: ``article``, or ``actor:<id>`` for an actor in the article."""
    return "article" if actor_id is None else f"actor:{actor_id}"


def matching_decision(layer: str, key: str, source_ids: frozenset[int],
                      decisions: list[Decision]) -> Decision | None:
    """The decision of an article that settles this unit, if any.

    Sentiment units match by key. A span unit matches a decision of its layer
    with the same key, or failing that one that shares a source annotation with
    it (a coder added or moved a span after the decision: it stays decided).
    """
    same_layer = [d for d in decisions if d.layer == layer]
    for d in same_layer:
        if d.unit_key == key:
            return d
    if layer in ("mentions", "claims") and source_ids:
        for d in same_layer:
            if (_key_ids(d.unit_key) | d.source_ids) & source_ids:
                return d
    return None


def _key_ids(key: str) -> frozenset[int]:
    try:
        return frozenset(int(x) for x in key.split(",") if x)
    except ValueError:
        return frozenset()


def percent(done: int, total: int) -> float:
    """``done`` of ``total`` in per cent (100 when there is nothing to do)."""
    return 100.0 if total == 0 else 100.0 * done / total


__all__ = ["ABSENT", "LAYERS", "OUTCOMES", "Decision", "Strategy", "matching_decision",
           "percent", "sentiment_unit_key", "span_unit_key", "winner"]
