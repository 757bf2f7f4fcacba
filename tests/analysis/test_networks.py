"""Discourse networks on hand-computed small examples, and against a naive reference."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest

from stancemark.analysis.networks import (
    ActorInfo,
    CategoryInfo,
    ClaimRecord,
    NetworkInput,
    NetworkOptions,
    Windows,
    build_network,
    build_windows,
)
from stancemark.core.errors import ValidationError

ACTORS = {1: ActorInfo(1, "A", "person", 4), 2: ActorInfo(2, "B", "person", 4),
          3: ActorInfo(3, "C", "organisation"), 4: ActorInfo(4, "P", "party")}
CATS = {"x": CategoryInfo("x", "x"), "y": CategoryInfo("y", "y"),
        "x1": CategoryInfo("x1", "x1", parent="x")}


def claim(i: int, who: int, cat: str, stance: int | None, *, article: int | None = None,
          day: date | None = date(2024, 1, 1), target: int | None = None,
          annotator: str = "ann") -> ClaimRecord:
    return ClaimRecord(i, article or i, day, who, target, cat, stance, annotator)


CLAIMS = [claim(1, 1, "x", 2), claim(2, 1, "x", 1), claim(3, 2, "x", -2), claim(4, 2, "y", 2),
          claim(5, 3, "y", 2), claim(6, 3, "x", 2)]
DATA = NetworkInput(CLAIMS, ACTORS, CATS, (-2, 2))


def net(data: NetworkInput = DATA, **kw: object) -> dict[str, dict[str, float]]:
    return build_network(data, NetworkOptions(**kw)).labelled()  # type: ignore[arg-type]


def approx(d: dict[str, dict[str, float]]) -> dict[str, dict[str, object]]:
    return {k: {kk: pytest.approx(vv) for kk, vv in v.items()} for k, v in d.items()}


def sym(pairs: dict[tuple[str, str], float], nodes: str = "ABC") -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {n: {} for n in nodes}
    for (a, b), v in pairs.items():
        if v:
            out[a][b] = out[b][a] = v
    return out


def test_affiliation_ignore_counts_claims() -> None:
    assert net(type="affiliation") == {"A": {"x": 2}, "B": {"x": 1, "y": 1},
                                       "C": {"x": 1, "y": 1}}


def test_affiliation_subtract_and_combine() -> None:
    assert net(type="affiliation", qualifier="subtract") == {
        "A": {"x": 3}, "B": {"x": -2, "y": 2}, "C": {"x": 2, "y": 2}}
    assert net(type="affiliation", qualifier="combine") == {
        "A": {"x": 1}, "B": {"x": 2, "y": 1}, "C": {"x": 1, "y": 1}}
    data = NetworkInput([*CLAIMS, claim(7, 1, "x", -1), claim(8, 3, "y", 0)], ACTORS, CATS)
    got = net(data, type="affiliation", qualifier="combine")
    assert got["A"]["x"] == 3 and got["C"]["y"] == 5


def test_affiliation_normalisations() -> None:
    assert net(type="affiliation", normalize="activity") == approx(
        {"A": {"x": 1}, "B": {"x": .5, "y": .5}, "C": {"x": .5, "y": .5}})
    assert net(type="affiliation", normalize="prominence") == approx(
        {"A": {"x": .5}, "B": {"x": .25, "y": .5}, "C": {"x": .25, "y": .5}})


def test_cooccurrence_sums_products_and_diagonal_is_zero() -> None:
    n = build_network(DATA, NetworkOptions(type="cooccurrence"))
    assert n.labelled() == sym({("A", "B"): 2, ("A", "C"): 2, ("B", "C"): 2})
    assert all(n.cell(i, i) == 0 for i in range(3))
    assert n.integer


def test_congruence_conflict_subtract_use_the_scale_range() -> None:
    assert net(type="congruence") == approx(sym({("A", "B"): .25, ("A", "C"): 1.75,
                                                 ("B", "C"): 1}))
    assert net(type="conflict") == approx(sym({("A", "B"): 1.75, ("A", "C"): .25,
                                               ("B", "C"): 1}))
    assert net(type="subtract") == approx(sym({("A", "B"): -1.5, ("A", "C"): 1.5}))


def test_similarity_divides_by_the_codebook_range_not_the_observed_one() -> None:
    # only stances 0 and +1 occur: DNA would divide by 1 and call them unrelated
    data = NetworkInput([claim(1, 1, "x", 0), claim(2, 2, "x", 1)], ACTORS, CATS, (-2, 2))
    assert net(data, type="congruence") == approx(sym({("A", "B"): .75}, "AB"))
    assert net(data, type="conflict") == approx(sym({("A", "B"): .25}, "AB"))


def test_boolean_scale_gives_dna_boolean_congruence() -> None:
    data = NetworkInput([claim(1, 1, "x", 1), claim(2, 2, "x", 1), claim(3, 3, "x", -1)],
                        ACTORS, CATS, (-1, 1))
    assert net(data, type="congruence") == approx(sym({("A", "B"): 1}))
    assert net(data, type="conflict") == approx(sym({("A", "C"): 1, ("B", "C"): 1}))


def test_one_mode_normalisations() -> None:
    assert net(type="cooccurrence", normalize="average") == approx(
        sym({("A", "B"): 1, ("A", "C"): 1, ("B", "C"): 1}))
    assert net(type="cooccurrence", normalize="cosine") == approx(
        sym({("A", "B"): 2 / (2 * math.sqrt(2)), ("A", "C"): 2 / (2 * math.sqrt(2)),
             ("B", "C"): 1}))
    assert net(type="cooccurrence", normalize="jaccard") == approx(
        sym({("A", "B"): 2 / 3, ("A", "C"): 2 / 3, ("B", "C"): 1}))
    # congruence A-C is 1.75, both have 2 claims
    assert net(type="congruence", normalize="average")["A"]["C"] == pytest.approx(1.75 / 2)


def test_category_network_via_shared_actors() -> None:
    assert net(type="cooccurrence", nodes="category") == sym({("x", "y"): 2}, "xy")


def test_affiliation_level_counts_for_the_party() -> None:
    got = net(type="affiliation", level="affiliation")
    assert got == {"P": {"x": 3, "y": 1}, "C": {"x": 1, "y": 1}}


def test_targets_as_an_option() -> None:
    data = NetworkInput([claim(1, 1, "x", 1, target=2), claim(2, 3, "x", 1)], ACTORS, CATS)
    assert net(data, type="affiliation", role="target") == {"B": {"x": 1}}
    assert net(data, type="affiliation", role="both") == {"A": {"x": 1}, "B": {"x": 1},
                                                          "C": {"x": 1}}


def test_duplicates_one_per_article_week_month_year() -> None:
    data = NetworkInput([claim(1, 1, "x", 2, article=1), claim(2, 1, "x", 2, article=1),
                         claim(3, 1, "x", 2, article=2, day=date(2024, 1, 3)),
                         claim(4, 1, "x", 2, article=3, day=date(2024, 2, 1)),
                         claim(5, 1, "x", 1, article=3, day=date(2024, 2, 1))],
                        ACTORS, CATS)
    count = {d: net(data, type="affiliation", duplicates=d)["A"]["x"]
             for d in ("none", "article", "week", "month", "year")}
    # stance ignored: identical = same actor and category
    assert count == {"none": 5, "article": 3, "week": 2, "month": 2, "year": 1}
    # the stance counts when the network uses it: +2 and +1 in one year are two claims
    assert net(data, type="affiliation", duplicates="year",
               qualifier="subtract")["A"]["x"] == 3
    assert net(data, type="affiliation", duplicates="article",
               qualifier="combine")["A"]["x"] == 1


def test_filters() -> None:
    assert net(type="affiliation", categories=frozenset({"y"})) == {"B": {"y": 1}, "C": {"y": 1}}
    assert net(type="affiliation", actor_types=frozenset({"organisation"})) == {
        "C": {"x": 1, "y": 1}}
    assert net(type="affiliation", articles=frozenset({1, 2})) == {"A": {"x": 2}}
    assert net(type="affiliation", annotators=frozenset({"ann"})) == net(type="affiliation")
    with pytest.raises(ValidationError, match="No claims by 'nobody'"):
        net(type="affiliation", annotators=frozenset({"nobody"}))
    with pytest.raises(ValidationError, match="No category 'z'"):
        net(type="affiliation", categories=frozenset({"z"}))
    data = NetworkInput([claim(1, 1, "x1", 1), claim(2, 1, "y", 1, day=date(2024, 3, 1))],
                        ACTORS, CATS)
    assert net(data, type="affiliation", categories=frozenset({"x"})) == {"A": {"x1": 1}}
    assert net(data, type="affiliation", date_from=date(2024, 2, 1)) == {"A": {"y": 1}}
    assert net(data, type="affiliation", date_to=date(2024, 2, 1)) == {"A": {"x1": 1}}


def test_claims_without_what_a_network_needs_are_skipped_and_counted() -> None:
    data = NetworkInput([claim(1, 1, "x", None), claim(2, 2, "x", 1),
                         ClaimRecord(3, 3, None, None, None, "x", 1, "ann")], ACTORS, CATS)
    n = build_network(data, NetworkOptions(type="congruence"))
    assert n.skipped == {"no stance": 1, "no claimant": 1}
    assert [r.label for r in n.rows] == ["B"]


def test_day_windows_consecutive_and_moving() -> None:
    data = NetworkInput([claim(1, 1, "x", 1, day=date(2024, 1, 1)),
                         claim(2, 2, "x", 1, day=date(2024, 1, 2)),
                         claim(3, 3, "x", 1, day=date(2024, 1, 5)),
                         claim(4, 3, "x", 1, day=None)], ACTORS, CATS)
    opts = NetworkOptions(type="cooccurrence")
    nets = build_windows(data, opts, Windows(2))
    assert [(n.start, n.end) for n in nets] == [
        (date(2024, 1, 1), date(2024, 1, 3)), (date(2024, 1, 3), date(2024, 1, 5)),
        (date(2024, 1, 5), date(2024, 1, 7))]
    assert [n.labelled() for n in nets] == [sym({("A", "B"): 1}, "AB"), {}, {"C": {}}]
    assert nets[0].skipped == {"no date (time windows)": 1}
    moving = build_windows(data, opts, Windows(4, 1))
    assert len(moving) == 5 and moving[1].labelled() == sym({("B", "C"): 1}, "BC")


def test_claim_windows() -> None:
    data = NetworkInput([claim(i, 1 + i % 3, "x", 1, day=date(2024, 1, i)) for i in range(1, 6)],
                        ACTORS, CATS)
    opts = NetworkOptions(type="affiliation")
    assert [n.claims for n in build_windows(data, opts, Windows(2, unit="claims"))] == [2, 2, 1]
    assert [n.claims for n in build_windows(data, opts, Windows(3, 1, unit="claims"))] == [3, 3, 3]


@pytest.mark.parametrize("kw", [
    {"type": "cooccurrence", "normalize": "activity"},
    {"type": "affiliation", "normalize": "jaccard"},
    {"type": "affiliation", "qualifier": "combine", "normalize": "activity"},
    {"type": "congruence", "qualifier": "subtract"},
    {"type": "bogus"},
])
def test_meaningless_options_are_refused(kw: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        build_network(DATA, NetworkOptions(**kw))  # type: ignore[arg-type]


# -- against a naive reference -------------------------------------------------

def reference(claims: list[ClaimRecord], kind: str, norm: str, scale: tuple[int, int]
              ) -> dict[tuple[int, int], float]:
    """Straight from the definitions: pairs of claims, no packing, no profiles."""
    r = scale[1] - scale[0]
    actors = sorted({c.claimant for c in claims if c.claimant is not None})
    by = {a: [c for c in claims if c.claimant == a] for a in actors}
    out = {}
    for a in actors:
        for b in actors:
            if a == b:
                continue
            total = 0.0
            for c1 in by[a]:
                for c2 in by[b]:
                    if c1.category != c2.category:
                        continue
                    assert c1.stance is not None and c2.stance is not None
                    d = abs(c1.stance - c2.stance) / r
                    total += {"cooccurrence": 1, "congruence": 1 - d, "conflict": d,
                              "subtract": 1 - 2 * d}[kind]
            cats = {c.category for c in by[a]} | {c.category for c in by[b]}
            na = {k: sum(c.category == k for c in by[a]) for k in cats}
            nb = {k: sum(c.category == k for c in by[b]) for k in cats}
            if norm == "average":
                total /= (len(by[a]) + len(by[b])) / 2
            elif norm == "cosine":
                total /= math.sqrt(sum(v * v for v in na.values())) * math.sqrt(
                    sum(v * v for v in nb.values()))
            elif norm == "jaccard":
                total /= sum(na[k] * nb[k] if na[k] and nb[k] else na[k] + nb[k] for k in cats)
            out[(a, b)] = total
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kind", ["cooccurrence", "congruence", "conflict", "subtract"])
@pytest.mark.parametrize("norm", ["none", "average", "cosine", "jaccard"])
def test_one_mode_matches_the_naive_reference(seed: int, kind: str, norm: str) -> None:
    rng = random.Random(seed)
    actors = {i: ActorInfo(i, f"actor {i:02d}") for i in range(1, 16)}
    cats = {k: CategoryInfo(k, k) for k in "abcde"}
    claims = [claim(i, rng.randint(1, 15), rng.choice("abcde"), rng.randint(-2, 2))
              for i in range(rng.randint(5, 120))]
    n = build_network(NetworkInput(claims, actors, cats, (-3, 3)),
                      NetworkOptions(type=kind, normalize=norm))
    want = reference(claims, kind, norm, (-3, 3))
    ids = [int(nd.id[1:]) for nd in n.rows]
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            assert n.cell(i, j) == pytest.approx(want.get((a, b), 0.0), abs=1e-9)


@pytest.mark.parametrize("width", [2, 4, 8, 9])
def test_every_field_width_gives_the_same_rows(monkeypatch: pytest.MonkeyPatch,
                                               width: int) -> None:
    from stancemark.analysis import networks

    want = {(k, nm): net(type=k, normalize=nm) for k in ("congruence", "subtract")
            for nm in ("none", "jaccard")}
    monkeypatch.setattr(networks, "_field_width", lambda bound: width)
    for (k, nm), value in want.items():
        assert net(type=k, normalize=nm) == approx(value)


def test_strengths_and_top_ties_for_the_analysis_view() -> None:
    from stancemark.analysis.networks import strengths, top_ties

    n = build_network(DATA, NetworkOptions(type="subtract"))
    assert [r.label for r in n.rows] == ["A", "B", "C"]
    assert strengths(n) == pytest.approx([0.0, -1.5, 1.5])
    ties = top_ties(n, 2)
    assert {(a.label, b.label) for a, b, _v in ties} == {("A", "B"), ("A", "C")}
    assert [v for _a, _b, v in top_ties(n, 1, absolute=False)] == pytest.approx([1.5])


def test_ties_among_a_fixed_set_follow_it_through_windows() -> None:
    from stancemark.analysis.networks import counted_claims, ties_among

    data = NetworkInput([claim(1, 1, "x", 2, day=date(2024, 1, 3)),
                         claim(2, 2, "x", 2, day=date(2024, 1, 5)),
                         claim(3, 1, "x", 2, day=date(2024, 2, 10)),
                         claim(4, 3, "x", -2, day=date(2024, 2, 12))], ACTORS, CATS, (-2, 2))
    opts = NetworkOptions(type="congruence")
    january, february = build_windows(data, opts, Windows(31))
    # A and B agree in January; in February B is silent: A stays drawn, with no tie
    nodes, ties = ties_among(january, ["a1", "a2", "a3"])
    assert [n.label for n in nodes] == ["A", "B"]  # C has no claim in January
    assert [(a.label, b.label, v) for a, b, v in ties] == [("A", "B", 1.0)]
    nodes, ties = ties_among(february, ["a2", "a1"])
    assert [n.label for n in nodes] == ["A"] and ties == []
    # what clicking a node lists: the claims that count for it, in the window asked for
    assert counted_claims(data, opts, "a1") == [1, 3]
    assert counted_claims(data, opts, "a1", february.start, february.end) == [3]
    assert counted_claims(data, NetworkOptions(type="congruence", level="affiliation"),
                          "a4") == [1, 2, 3]  # the party stands for its members
    assert counted_claims(data, opts, "c:x") == []


def test_windows_are_built_when_first_asked_for_and_equal_the_eager_ones() -> None:
    from stancemark.analysis.networks import WindowedNetworks

    data = NetworkInput([claim(i, 1 + i % 3, "x", (i % 5) - 2, day=date(2024, 1, 1 + i))
                         for i in range(1, 28)], ACTORS, CATS, (-2, 2))
    opts = NetworkOptions(type="congruence")
    lazy = WindowedNetworks(data, opts, Windows(7, 3))
    eager = build_windows(data, opts, Windows(7, 3))
    assert len(lazy) == len(eager) > 3 and not lazy._built
    last = lazy[-1]
    assert list(lazy._built) == [len(lazy) - 1]  # only the one asked for
    assert lazy[len(lazy) - 1] is last  # and kept
    for mine, theirs in zip(lazy, eager, strict=True):
        assert (mine.start, mine.end, mine.claims) == (theirs.start, theirs.end, theirs.claims)
        assert mine.labelled() == theirs.labelled()
    with pytest.raises(IndexError):
        lazy[len(lazy)]
