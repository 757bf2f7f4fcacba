"""The plain rules behind a manager's decision on a shared entry (issue 17)."""

from __future__ import annotations

import pytest

from stancemark.core.team import Proposal, conflict_report, differences, merged, with_values

HUB = {"uuid": "u", "name": "Albin Kurti", "type": "person", "affiliation": None,
       "note": None, "aliases": ["Kurti"]}


def test_merged_keeps_the_hubs_values_and_adds_what_it_lacks():
    proposed = {**HUB, "name": "A. Kurti", "note": "Prime minister", "type": "group",
                "aliases": ["Kurti", "AK"]}
    both = merged("actors", HUB, proposed)
    assert both["name"] == "Albin Kurti" and both["type"] == "person"
    assert both["note"] == "Prime minister"
    assert both["aliases"] == ["A. Kurti", "AK", "Kurti"]
    article = {"uid": "x", "title": "T", "meta": {"desk": "a"}, "source": None}
    assert merged("articles", article, {**article, "source": "Koha", "meta": {"desk": "b",
                                                                            "page": 3}}) == {
        "uid": "x", "title": "T", "source": "Koha", "meta": {"desk": "a", "page": 3}}
    with pytest.raises(ValueError):
        merged("actors", HUB, None)
    assert merged("actors", None, proposed) == proposed


def test_values_typed_by_a_manager_are_checked():
    row = with_values("actors", HUB, {"name": "Kurti, Albin", "aliases": "AK; Kurti ;",
                                      "note": ""})
    assert (row["name"], row["aliases"], row["note"]) == ("Kurti, Albin", ["AK", "Kurti"], None)
    assert with_values("categories", {"key": "k", "position": 1}, {"position": "4"})[
        "position"] == 4
    with pytest.raises(ValueError, match="no field 'text'"):
        with_values("articles", {"uid": "x"}, {"text": "new"})
    with pytest.raises(ValueError, match="whole number"):
        with_values("scale", {"value": 1}, {"value": "high"})


def test_a_proposal_reads_like_a_merge_conflict():
    p = Proposal(7, "actors", "u", {**HUB, "name": "A. Kurti", "aliases": []}, HUB, "bob",
                 "2026-11-30 15:00", "only a manager may change it")
    assert differences("actors", HUB, p.proposed) == [("name", "Albin Kurti", "A. Kurti"),
                                                     ("aliases", ["Kurti"], [])]
    assert p.text() == ('#7 actor "Albin Kurti": bob proposes name "Albin Kurti" -> '
                        '"A. Kurti"; aliases - "Kurti" (only a manager may change it)')
    gone = Proposal(8, "categories", "c", None, {"key": "economy"}, "ana", "", "x")
    assert gone.changes() == ["delete it"] and gone.label == 'category "economy"'
    report = conflict_report([p, gone])
    assert report.splitlines()[0] == "2 shared entries to decide."
    assert report.splitlines()[-1].startswith("Decide one with: stancemark team decide")
    assert p.as_json()["changes"][0] == {"field": "name", "hub": "Albin Kurti",
                                         "proposed": "A. Kurti"}
    assert conflict_report([]) == "0 shared entries to decide."
