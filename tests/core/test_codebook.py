"""The codebook travels as JSON and says exactly what is wrong with a bad one."""

from __future__ import annotations

import pytest

from stancemark.core.codebook import Codebook, default_codebook
from stancemark.core.errors import ValidationError


def test_default_round_trips() -> None:
    book = default_codebook()
    assert Codebook.from_dict(book.to_dict()) == book
    assert book.category_path("security-police") == "Security › Policing"
    assert book.scale_label(-2) == "-2 very negative"


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d.update(scale=[]), "at least one value"),
    (lambda d: d["categories"].append(dict(d["categories"][0])), "duplicate category"),
    (lambda d: d["categories"][1].update(parent="nope"), "unknown parent 'nope'"),
    (lambda d: d["actor_types"][0].update(color="red"), "not of the form #rrggbb"),
    (lambda d: d["scale"][0].update(value="high"), "must be an integer"),
    (lambda d: d["actor_types"][0].update(key="Has Space"), "may hold only"),
    (lambda d: d.update(categories="x"), "'categories' must be a list"),
])
def test_bad_codebooks_name_the_problem(mutate, message) -> None:
    data = default_codebook().to_dict()
    mutate(data)
    with pytest.raises(ValidationError, match=message):
        Codebook.from_dict(data)


def test_parent_cycle_is_reported() -> None:
    data = default_codebook().to_dict()
    data["categories"][0]["parent"] = "security-military"
    with pytest.raises(ValidationError, match="cycle"):
        Codebook.from_dict(data)


def test_not_an_object() -> None:
    with pytest.raises(ValidationError, match="JSON object"):
        Codebook.from_dict([1, 2])
