"""Unitizing alpha against published worked examples; span F1 and matching by hand."""

from __future__ import annotations

import pytest

from stancemark.analysis.unitizing import (
    Span,
    _pair_distance,
    group_units,
    merge_overlaps,
    span_f1,
    unitizing_alpha,
)

# Krippendorff (2004), Content Analysis, 2nd ed., p. 254 (as DKPro Agreement's tests state it):
# continuum [150, 450), two observers, categories c and k; (begin, length, observer, category)
K2004 = [(225, 70, 0, "c"), (370, 30, 0, "c"), (220, 80, 1, "c"), (355, 20, 1, "c"),
         (400, 20, 1, "c"), (180, 60, 0, "k"), (300, 50, 0, "k"), (180, 60, 1, "k"),
         (300, 50, 1, "k")]

# Krippendorff (1995: 57): four pairs of observers on a continuum of 24, categories A-D
K1995 = [(2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
         (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
         (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
         (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C"),
         (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
         (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
         (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D")]


def _spans(rows, origin=0, stretch=1, article=1):
    return [Span(f"o{obs}", article, int((b - origin) * stretch),
                 int((b - origin) * stretch) + int(n * stretch), cat) for b, n, obs, cat in rows]


def test_krippendorff_2004_example():
    r = unitizing_alpha(_spans(K2004, origin=150), ["o0", "o1"], {1: 300})
    alpha_c, d_o_c, d_e_c = r.per_category["c"]
    assert d_o_c == pytest.approx(0.0144, abs=1e-4)
    assert d_e_c == pytest.approx(0.0532, abs=1e-4)
    assert alpha_c == pytest.approx(0.7286, abs=1e-4)
    alpha_k, d_o_k, d_e_k = r.per_category["k"]
    assert d_o_k == 0.0 and alpha_k == 1.0
    assert d_e_k == pytest.approx(0.0490, abs=1e-4)
    assert r.alpha == pytest.approx(0.8591, abs=5e-4)
    assert r.observed == pytest.approx(d_o_c + d_o_k)
    assert r.units == 9 and r.length == 300


def test_krippendorff_1995_observed_disagreement_is_exact():
    r = unitizing_alpha(_spans(K1995), ["o0", "o1"], {1: 24})
    observed = {c: v[1] for c, v in r.per_category.items()}
    assert observed == pytest.approx({"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715},
                                     abs=1e-5)


def test_krippendorff_1995_expected_disagreement_and_alpha_on_a_fine_continuum():
    # The paper's D_e has a small slip (see DKPro's note); its values hold on a
    # continuum stretched 50,000 times, to the tolerances DKPro uses.
    r = unitizing_alpha(_spans(K1995, stretch=50_000), ["o0", "o1"], {1: 24 * 50_000})
    expected = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    alphas = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for cat, (a, _d_o, d_e) in r.per_category.items():
        assert d_e == pytest.approx(expected[cat], abs=0.005)
        assert a == pytest.approx(alphas[cat], abs=0.02)


@pytest.mark.parametrize(("a", "b", "distance"), [
    ((5, 11), (4, 6), 26), ((5, 11), (5, 7), 16), ((5, 11), (6, 8), 10), ((5, 11), (7, 9), 8),
    ((5, 11), (6, 10), 2), ((5, 11), (5, 11), 0), ((225, 295), (220, 300), 50),
    ((370, 400), (355, 375), 850)])
def test_distance_of_two_overlapping_units(a, b, distance):
    # Krippendorff (2004: 252): (b_i - b_j)^2 + (e_i - e_j)^2
    assert _pair_distance([a], [b]) == distance


def test_a_unit_inside_the_others_gap_costs_its_squared_length():
    assert _pair_distance([(400, 420)], []) == 400
    assert _pair_distance([], [(2, 4), (5, 11)]) == 4 + 36


def test_article_order_does_not_matter_and_perfect_agreement_is_one():
    spans = [Span("x", 1, 0, 5, "a"), Span("y", 1, 1, 5, "a"), Span("x", 2, 10, 20, "a"),
             Span("y", 2, 12, 20, "a")]
    one = unitizing_alpha(spans, ["x", "y"], {1: 30, 2: 50})
    two = unitizing_alpha(list(reversed(spans)), ["x", "y"], {2: 50, 1: 30})
    assert one.alpha == pytest.approx(two.alpha)
    same = [Span(c, 1, 3, 9, "a") for c in ("x", "y", "z")]
    assert unitizing_alpha(same, ["x", "y", "z"], {1: 40}).alpha == 1.0


def test_no_units_at_all_is_undefined_and_coders_without_units_disagree():
    assert unitizing_alpha([], ["x", "y"], {1: 40}).alpha is None
    r = unitizing_alpha([Span("x", 1, 3, 9, "a")], ["x", "y"], {1: 40})
    assert r.alpha is not None and r.alpha < 0


def test_spans_outside_the_continuum_and_of_other_coders_are_ignored():
    spans = [Span("x", 1, 3, 9, "a"), Span("y", 1, 3, 9, "a"), Span("z", 1, 20, 30, "a"),
             Span("x", 2, 0, 4, "a")]
    assert unitizing_alpha(spans, ["x", "y"], {1: 40}).alpha == 1.0


def test_one_coders_overlapping_units_merge_but_touching_ones_stay_apart():
    assert merge_overlaps([(5, 9), (0, 6), (9, 12)]) == [(0, 9), (9, 12)]


# -- F1 ---------------------------------------------------------------------------------


def S(coder, start, end, cat=None, article=1):  # noqa: N802
    return Span(coder, article, start, end, cat)


def test_f1_by_hand():
    a = [S("a", 0, 10), S("a", 20, 30), S("a", 40, 50)]
    b = [S("b", 0, 10), S("b", 22, 30), S("b", 60, 70), S("b", 80, 90)]
    r = span_f1(a, b)
    assert (r.exact_matches, r.overlap_matches) == (1, 2)
    assert r.f1_exact == pytest.approx(2 * 1 / 7)
    assert r.f1_overlap == pytest.approx(2 * 2 / 7)


def test_f1_edge_cases():
    assert span_f1([], []).f1_exact is None and span_f1([], []).f1_overlap is None
    assert span_f1([S("a", 0, 5)], []).f1_overlap == 0.0
    assert span_f1([S("a", 0, 5)], [S("b", 0, 5)]).f1_exact == 1.0
    assert span_f1([S("a", 0, 5)], [S("b", 4, 9)]).f1_overlap == 1.0  # one shared character
    assert span_f1([S("a", 0, 5)], [S("b", 5, 9)]).f1_overlap == 0.0  # touching is not overlap
    # the same span in another article does not match
    assert span_f1([S("a", 0, 5, article=1)], [S("b", 0, 5, article=2)]).f1_exact == 0.0


def test_f1_needs_the_same_category_and_matches_one_to_one():
    assert span_f1([S("a", 0, 5, 1)], [S("b", 0, 5, 2)]).f1_overlap == 0.0
    # one long span of A covers two of B: one match, to the larger overlap
    r = span_f1([S("a", 0, 20)], [S("b", 0, 4), S("b", 5, 19)])
    assert r.overlap_matches == 1 and r.f1_overlap == pytest.approx(2 / 3)


def test_grouping_across_three_coders():
    spans = [S("a", 0, 10), S("b", 1, 10), S("c", 2, 11),  # one unit
             S("a", 20, 25), S("b", 24, 30), S("c", 29, 35)]  # a-b and b-c overlap, a-c not
    groups = group_units(spans)
    assert [sorted(s.coder for s in g) for g in groups[:1]] == [["a", "b", "c"]]
    rest = sorted(sorted(s.coder for s in g) for g in groups[1:])
    assert rest in (sorted([["a", "b"], ["c"]]), sorted([["a"], ["b", "c"]]))
    assert sum(len(g) for g in groups) == len(spans)  # nothing dropped


def test_grouping_takes_the_best_overlap_first_and_one_span_per_coder():
    spans = [S("a", 0, 10), S("a", 10, 20), S("b", 8, 20)]
    groups = group_units(spans)
    together = next(g for g in groups if len(g) == 2)
    assert {(s.coder, s.start) for s in together} == {("a", 10), ("b", 8)}


def test_observed_disagreement_is_the_sum_over_pairs_of_coders():
    import random

    rng = random.Random(4)
    for _ in range(50):
        merged = []
        for _c in range(rng.randint(3, 7)):
            pos, units = 0, []
            for _u in range(rng.randint(1, 4)):
                start = pos + rng.randint(0, 10)
                end = start + rng.randint(1, 12)
                units.append((start, end))
                pos = end
            merged.append(units)
        m = len(merged) + rng.randint(0, 3)
        by_pairs = sum(_pair_distance(a, b) for i, a in enumerate(merged)
                       for b in merged[i + 1:])
        by_pairs += (m - len(merged)) * sum((e - s) ** 2 for a in merged for s, e in a)
        spans = [Span(f"c{i}", 1, lo, hi, "x") for i, units in enumerate(merged)
                 for lo, hi in units]
        coders = [f"c{i}" for i in range(m)]
        got = unitizing_alpha(spans, coders, {1: 200}).observed
        assert got == pytest.approx(2 * by_pairs / (m * (m - 1) * 200 ** 2))


def test_dkpro_agreement_unitizing_examples():
    # DKPro Agreement's UnitizingAgreementTest: r0 -11111111-, r1 --1-1-1--- on 10 positions
    spans = [Span("r0", 1, 1, 9, "A"), Span("r1", 1, 2, 3, "A"), Span("r1", 1, 4, 5, "A"),
             Span("r1", 1, 6, 7, "A")]
    alpha_a, d_o, d_e = unitizing_alpha(spans, ["r0", "r1"], {1: 10}).per_category["A"]
    assert d_o == pytest.approx(0.9100, abs=1e-4)
    assert d_e == pytest.approx(0.5351, abs=1e-4)
    assert alpha_a == pytest.approx(-0.7003, abs=1e-4)
    # one unit of length 1 by one of three raters on 20 positions: D_o = D_e, alpha 0
    single = unitizing_alpha([Span("r0", 1, 0, 1, "X")], ["r0", "r1", "r2"], {1: 20})
    assert single.alpha == pytest.approx(0.0, abs=1e-12)
    assert unitizing_alpha([], ["r0", "r1", "r2"], {1: 20}).alpha is None
