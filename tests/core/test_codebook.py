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


def test_category_depth_is_capped() -> None:
    from stancemark.core.codebook import MAX_CATEGORY_DEPTH

    data = default_codebook().to_dict()
    data["categories"] += [{"key": f"l{i}", "label": f"L{i}", "parent": f"l{i - 1}" if i else None}
                           for i in range(MAX_CATEGORY_DEPTH)]
    book = Codebook.from_dict(data)
    assert book.category_depths()[f"l{MAX_CATEGORY_DEPTH - 1}"] == MAX_CATEGORY_DEPTH
    data["categories"].append({"key": "one-more", "label": "X",
                               "parent": f"l{MAX_CATEGORY_DEPTH - 1}"})
    with pytest.raises(ValidationError, match="'one-more' is nested 9 levels deep"):
        Codebook.from_dict(data)


def test_shortcuts_are_unique_within_a_kind_only() -> None:
    book = default_codebook()  # categories and scale both use 1…5: different keys sets
    assert book.problems() == []
    data = book.to_dict()
    data["scale"][1]["shortcut"] = "1"
    with pytest.raises(ValidationError, match="scale value -1 has shortcut '1', which scale "
                                              "value -2 already uses"):
        Codebook.from_dict(data)


def test_merge_codebooks_adds_and_names_each_entry() -> None:
    from stancemark.core.codebook import ScalePoint, merge_codebooks

    mine = default_codebook()
    theirs = default_codebook()
    theirs.scale.append(ScalePoint(3, "glowing", "#123456", "6"))
    joined = merge_codebooks(mine, theirs)
    assert joined.changes == ["new scale point +3 (glowing, shortcut 6)"]
    assert [p.value for p in joined.book.scale] == [-2, -1, 0, 1, 2, 3]
    assert [p.value for p in mine.scale] == [-2, -1, 0, 1, 2]  # not changed in place
    assert merge_codebooks(mine, default_codebook()).changes == []
