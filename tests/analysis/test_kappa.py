"""Cohen's and Fleiss' kappa, hand-computed and from published examples."""

from __future__ import annotations

import pytest

from stancemark.analysis.kappa import cohen_kappa, fleiss_kappa


def test_cohen_by_hand_with_the_textbook_chance_term():
    # 50 units: yes/yes 20, yes/no 5, no/yes 10, no/no 15
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    r = cohen_kappa(pairs)
    # P_o = 35/50 = 0.7; P_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5 (a sum, not 0.5 * 0.6 * ...)
    assert r.observed == pytest.approx(0.7)
    assert r.expected == pytest.approx(0.5)
    assert r.kappa == pytest.approx(0.4)


def test_cohen_on_krippendorff_1995_pair_a_digitized():
    # Bertha and Bill (Krippendorff 1995: 57), one item per position: kappa 0.385
    bertha = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    bill = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert cohen_kappa(list(zip(bertha, bill, strict=True))).kappa == pytest.approx(0.385,
                                                                                  abs=1e-3)


def test_cohen_edge_cases():
    assert cohen_kappa([]).kappa is None
    assert cohen_kappa([("a", "a")]).kappa is None  # chance agreement 1: undefined
    assert cohen_kappa([("a", "a"), ("a", "a")]).kappa is None
    single = cohen_kappa([("a", "b")])
    assert single.kappa == pytest.approx(0.0) and single.units == 1
    assert cohen_kappa([("a", "a"), ("b", "b")]).kappa == pytest.approx(1.0)
    assert cohen_kappa([("a", "b"), ("b", "a")]).kappa == pytest.approx(-1.0)


def test_fleiss_1971_example():
    # Fleiss (1971) as in most textbooks: 10 subjects, 14 raters, 5 categories: 0.210
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
             [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
             [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    coders = [f"r{i}" for i in range(14)]
    units = []
    for row in table:
        values = [cat for cat, n in enumerate(row) for _ in range(n)]
        units.append(dict(zip(coders, values, strict=True)))
    r = fleiss_kappa(units, coders)
    assert r.observed == pytest.approx(0.378, abs=1e-3)
    assert r.expected == pytest.approx(0.213, abs=1e-3)
    assert r.kappa == pytest.approx(0.210, abs=1e-3)


def test_fleiss_uses_only_units_every_coder_rated():
    coders = ["a", "b", "c"]
    units = [{"a": 1, "b": 1, "c": 1}, {"a": 2, "b": 2, "c": 1}, {"a": 1, "b": 2}]
    r = fleiss_kappa(units, coders)
    assert r.units == 2
    assert fleiss_kappa([], coders).kappa is None
    assert fleiss_kappa([{"a": 1, "b": 1, "c": 1}], coders).kappa is None  # no variation


def test_fleiss_for_two_coders_is_scotts_pi():
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    r = fleiss_kappa([{"a": x, "b": y} for x, y in pairs], ["a", "b"])
    # Scott's pi: P_e from pooled shares (0.55, 0.45): 0.505; (0.7 - 0.505) / 0.495
    assert r.kappa == pytest.approx((0.7 - 0.505) / 0.495)


def test_array_versions_agree_with_the_plain_ones():
    import numpy as np

    from stancemark.analysis.kappa import cohen_kappa_codes, fleiss_kappa_codes

    rng = np.random.default_rng(8)
    for _ in range(100):
        m, n = int(rng.integers(2, 6)), int(rng.integers(1, 30))
        codes = rng.integers(-1, 4, size=(m, n))
        pairs = [(int(x), int(y)) for x, y in zip(codes[0], codes[1], strict=True)
                 if x >= 0 and y >= 0]
        assert cohen_kappa_codes(codes[0], codes[1]) == cohen_kappa(pairs) or (
            cohen_kappa_codes(codes[0], codes[1]).kappa == pytest.approx(cohen_kappa(pairs).kappa))
        coders = [str(i) for i in range(m)]
        units = [{str(i): int(codes[i, j]) for i in range(m) if codes[i, j] >= 0}
                 for j in range(n)]
        plain, arr = fleiss_kappa(units, coders), fleiss_kappa_codes(codes)
        assert arr.units == plain.units
        if plain.kappa is None:
            assert arr.kappa is None
        else:
            assert arr.kappa == pytest.approx(plain.kappa)
