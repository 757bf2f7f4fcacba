"""The pure strategies: thresholds, ties, "nothing marked" and stable unit names."""

from __future__ import annotations

import pytest

from stancemark.analysis.adjudication import (
    ABSENT,
    Decision,
    Strategy,
    matching_decision,
    percent,
    sentiment_unit_key,
    span_unit_key,
    winner,
)
from stancemark.core.errors import ValidationError


def test_parse_and_thresholds() -> None:
    assert Strategy.parse(" Unanimous ").threshold(3) == 3
    assert Strategy.parse("majority").threshold(3) == 2
    assert Strategy.parse("majority").threshold(4) == 3
    assert Strategy.parse("min:2") == Strategy("min", 2) and str(Strategy("min", 2)) == "min:2"
    for bad in ("", "most", "min:", "min:0", "min:-1", "min:x"):
        with pytest.raises(ValidationError):
            Strategy.parse(bad)
    with pytest.raises(ValidationError, match="min:4"):
        Strategy("min", 4).check(3)


def test_winner_counts_the_chosen_annotators_not_the_voters() -> None:
    unanimous, majority = Strategy("unanimous"), Strategy("majority")
    assert winner({"a": 1, "b": 1, "c": 1}, 3, unanimous) == 1
    assert winner({"a": 1, "b": 1, "c": 2}, 3, unanimous) is None
    assert winner({"a": 1, "b": 1, "c": 2}, 3, majority) == 1
    # c never coded the article: two votes are not "all three"
    assert winner({"a": 1, "b": 1}, 3, unanimous) is None
    assert winner({"a": 1, "b": 1}, 3, majority) == 1
    assert winner({}, 3, majority) is None


def test_ties_and_nothing_marked() -> None:
    assert winner({"a": 1, "b": 2}, 2, Strategy("min", 1)) is None  # a tie: the curator decides
    assert winner({"a": 1, "b": ABSENT, "c": ABSENT}, 3, Strategy("majority")) == ABSENT
    assert winner({"a": 1, "b": ABSENT}, 2, Strategy("majority")) is None


def test_unit_names_and_matching() -> None:
    assert span_unit_key({19, 3, 12}) == "3,12,19" and span_unit_key([]) == ""
    assert sentiment_unit_key(None) == "article" and sentiment_unit_key(7) == "actor:7"
    accepted = Decision(1, "gold", 1, "mentions", "3,12", "accepted", "curator", {"a": 3})
    rejected = Decision(2, "gold", 1, "claims", "5", "rejected", "curator", {})
    both = [accepted, rejected]
    assert matching_decision("mentions", "3,12", frozenset({3, 12}), both) is accepted
    # a coder joined or moved a span: a shared annotation keeps the decision
    assert matching_decision("mentions", "3,12,40", frozenset({3, 12, 40}), both) is accepted
    assert matching_decision("claims", "5,41", frozenset({5, 41}), both) is rejected
    assert matching_decision("mentions", "5", frozenset({5}), both) is None  # other layer
    sentiment = Decision(3, "gold", 1, "actor_sentiment", "actor:7", "accepted", "curator",
                         {"a": 1})
    assert matching_decision("actor_sentiment", "actor:7", frozenset(), [sentiment]) is sentiment
    assert matching_decision("actor_sentiment", "actor:8", frozenset({1}), [sentiment]) is None
    assert percent(0, 0) == 100.0 and percent(1, 4) == 25.0
