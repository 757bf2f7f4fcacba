"""Krippendorff's alpha: our D_o and D_e against the krippendorff package; edge cases; bootstrap."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest

from stancemark.analysis.alpha import (
    _disagreements,
    alpha,
    bootstrap,
    reliability_data,
)

LEVELS = ("nominal", "ordinal", "interval")


def _sparse(matrix: np.ndarray) -> tuple[list[int], list[int]]:
    units, values = [], []
    for row in matrix:
        for j, v in enumerate(row):
            if not math.isnan(v):
                units.append(j)
                values.append(int(v))
    return units, values


def _ours(units: list[int], values: list[int], level: str) -> float | None:
    data = reliability_data(units, values, level)
    if data.n_units == 0:
        return None
    d_o, d_e, n = _disagreements(data, level, [data.freq])
    return None if d_e[0] <= 0 else float(1.0 - d_o[0] / d_e[0])


def _package(matrix: np.ndarray, level: str) -> float | None:
    try:
        with np.errstate(invalid="ignore", divide="ignore"):
            value = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
    except ValueError:  # one value in the domain, or nothing pairable
        return None
    return None if not np.isfinite(value) else float(value)


@pytest.mark.parametrize("level", LEVELS)
def test_d_o_and_d_e_give_the_packages_alpha_on_random_data_with_missing_values(level):
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(300):
        coders, units = int(rng.integers(2, 7)), int(rng.integers(1, 40))
        matrix = rng.integers(-2, 3, size=(coders, units)).astype(float)
        matrix[rng.random((coders, units)) < rng.uniform(0, 0.6)] = np.nan
        expected = _package(matrix, level)
        got = _ours(*_sparse(matrix), level)
        if expected is None:
            assert got is None
        else:
            assert got == pytest.approx(expected, abs=1e-9)
            checked += 1
    assert checked > 200


def test_krippendorff_2011_worked_example():
    # "Computing Krippendorff's alpha-reliability" (2011), 4 coders, 12 units, missing data
    nan = np.nan
    matrix = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
                       [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
                       [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
                       [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]])
    units, values = _sparse(matrix)
    nominal = alpha(reliability_data(units, values, "nominal"), "nominal")
    interval = alpha(reliability_data(units, values, "interval"), "interval")
    ordinal = alpha(reliability_data(units, values, "ordinal"), "ordinal")
    assert nominal.alpha == pytest.approx(0.743, abs=5e-4)
    assert interval.alpha == pytest.approx(0.849, abs=5e-4)
    assert ordinal.alpha == pytest.approx(0.815, abs=5e-4)
    for r in (nominal, interval, ordinal):
        assert r.alpha == pytest.approx(1 - r.observed / r.expected, abs=1e-9)
        assert r.units == 12 and r.pairable == 40  # unit 12's one value is not pairable


def test_no_variation_and_nothing_pairable_are_undefined_not_errors():
    same = alpha(reliability_data([0, 0, 1, 1], ["a", "a", "a", "a"]), "nominal")
    assert same.alpha is None and same.observed == 0.0 and same.expected == 0.0
    lonely = alpha(reliability_data([0, 1, 2], [1, 2, 3], "ordinal"), "ordinal")
    assert lonely.alpha is None and lonely.units == 3 and lonely.pairable == 0
    empty = alpha(reliability_data([], [], "interval"), "interval")
    assert empty.alpha is None and empty.units == 0


def test_one_unit_with_two_different_values_is_zero():
    r = alpha(reliability_data([0, 0], [1, -1], "interval"), "interval")
    assert r.alpha == pytest.approx(0.0)


def test_large_nominal_domains_skip_the_dense_package_path_and_agree():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 3000, size=2500)
    units, values = [], []
    for u, t in enumerate(truth):
        for _ in range(3):
            units.append(u)
            values.append(int(t) if rng.random() < 0.8 else int(rng.integers(0, 3000)))
    r = alpha(reliability_data(units, values, "nominal"), "nominal")
    assert r.alpha == pytest.approx(1 - r.observed / r.expected, abs=1e-12)
    assert 0.6 < r.alpha < 0.8


def test_bootstrap_is_seeded_and_its_interval_holds_the_value():
    rng = np.random.default_rng(11)
    units, values = [], []
    for u in range(200):
        t = int(rng.integers(-2, 3))
        for _ in range(2):
            units.append(u)
            values.append(max(-2, min(2, t + int(rng.choice([-1, 0, 0, 0, 1])))))
    data = reliability_data(units, values, "ordinal")
    a = alpha(data, "ordinal", resamples=500, seed=5)
    b = alpha(data, "ordinal", resamples=500, seed=5)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert a.ci_low < a.alpha < a.ci_high and a.resamples == 500
    c = alpha(data, "ordinal", resamples=500, seed=6)
    assert (c.ci_low, c.ci_high) != (a.ci_low, a.ci_high)
    # each resample's alpha is the package's alpha on the resampled units
    samples = bootstrap(data, "ordinal", 3, seed=9)
    assert len(samples) == 3


def test_patterns_of_alike_units_change_nothing():
    rng = np.random.default_rng(2)
    for width in (5, 300):  # dense and dictionary paths
        units, values = [], []
        for u in range(400):
            t = int(rng.integers(0, width))
            for _ in range(int(rng.integers(1, 4))):
                units.append(u)
                values.append(t if rng.random() < 0.7 else int(rng.integers(0, width)))
        data = reliability_data(units, values, "nominal")
        assert data.n_units < data.pairable_units
        matrix = np.full((3, 400), np.nan)
        filled: dict[int, int] = {}
        for u, v in zip(units, values, strict=True):
            matrix[filled.get(u, 0), u] = v
            filled[u] = filled.get(u, 0) + 1
        expected = _package(matrix, "nominal")
        assert alpha(data, "nominal").alpha == pytest.approx(expected, abs=1e-9)


def test_two_coders_fast_path_builds_the_same_data():
    from stancemark.analysis.alpha import reliability_from_two, reliability_from_units

    rng = np.random.default_rng(4)
    for _ in range(50):
        a, b = (rng.integers(-1, 4, size=int(rng.integers(0, 60))).tolist() for _ in "ab")
        b = (b + [-1] * len(a))[:len(a)]
        domain = (0, 1, 2, 3)
        units = [[v for v in (x, y) if v >= 0] for x, y in zip(a, b, strict=True)]
        assert reliability_from_two(a, b, domain) == reliability_from_units(units, domain)


def test_one_float_value_everywhere_has_no_interval_alpha():
    # a float mean of equal values leaves rounding dust (1e-32), never a variation
    assert alpha(reliability_data([1, 1, 1], [0.1, 0.1, 0.1], "interval"), "interval").alpha \
        is None
    value = 1.6510441048780136
    units = [u for u in range(10) for _ in range(16)]
    assert alpha(reliability_data(units, [value] * len(units), "interval"),
                 "interval").alpha is None
    # one unit with the value, the others with another: defined, and as the package says
    mixed = reliability_data([0, 0, 1, 1, 2, 2], [0.1, 0.1, 0.1, 0.1, 0.7, 0.3], "interval")
    assert alpha(mixed, "interval").alpha == pytest.approx(
        _package([[0.1, 0.1, 0.7], [0.1, 0.1, 0.3]], "interval"), abs=1e-9)
