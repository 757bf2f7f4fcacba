"""Krippendorff's alpha for coded attributes, with its two disagreements and a bootstrap.

Reliability data arrive *sparse*: one entry per value a coder gave to a unit
(``units[i]`` got value ``values[i]``). A coder who gave a unit no value simply
has no entry there: that is a missing value, and a unit with fewer than two
values is not pairable, so it adds nothing (Krippendorff 2011, "Computing
Krippendorff's alpha-reliability"). From the coincidence matrix ``o`` and its
marginals ``n_c`` (``n`` pairable values in all)::

    D_o = sum_ck o_ck * delta_ck / n
    D_e = sum_ck n_c * n_k * delta_ck / (n * (n - 1))
    alpha = 1 - D_o / D_e

with ``delta`` nominal (0 or 1), ordinal (the squared rank-sum distance that
uses the marginals) or interval (the squared difference of values).

Everything here is plain Python (no numpy), so the one-file build stays small.
The tests check ``1 - D_o / D_e`` against the ``krippendorff`` package to 1e-9
at every level, with missing data. Alpha is ``None`` when it is undefined:
fewer than two pairable values, or no variation at all (``D_e == 0``).

The sums only need, per unit, how many coders gave each value, so units that
look alike are kept once as a *pattern* with its frequency (see
:class:`ReliabilityData`). Nominal alpha then needs the marginals and the sum
of the coincidence diagonal; interval alpha the marginals and each pattern's
own disagreement; ordinal alpha the marginals and the off-diagonal
coincidences (its distances depend on the marginals).

The bootstrap resamples the *pairable units* with replacement (seeded with
``random.Random(seed)``, ``resamples`` times), recomputes alpha on each resample,
and reports the 2.5th and 97.5th percentiles of the defined values (a
percentile interval, interpolated linearly between order statistics). A
resample is a multinomial draw over the patterns: frequent patterns get their
count from a binomial draw conditional on the ones before, the rare rest are
drawn unit by unit; both are exact.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from stancemark.core.coding import DEFAULT_RESAMPLES, DEFAULT_SEED  # noqa: F401 (re-export)

Level = Literal["nominal", "ordinal", "interval"]

#: A pattern this frequent gets its resample count from one binomial draw; rarer
#: patterns are drawn unit by unit (cheaper below this).
HEAVY_PATTERN = 16

Pattern = tuple[tuple[int, int], ...]  # (value index, coders giving it), by value index


@dataclass(frozen=True, slots=True)
class AlphaResult:
    """Alpha at one level of measurement, with what it was computed from."""

    level: str
    alpha: float | None
    observed: float | None  # D_o
    expected: float | None  # D_e
    units: int  # units with at least one value
    pairable: int  # pairable values (n)
    ci_low: float | None = None
    ci_high: float | None = None
    resamples: int = 0  # resamples in which alpha was defined (the interval is of these)

    def as_dict(self) -> dict[str, object]:
        return {"alpha": self.alpha, "observed_disagreement": self.observed,
                "expected_disagreement": self.expected, "units": self.units,
                "pairable_values": self.pairable,
                "ci95": None if self.ci_low is None else [self.ci_low, self.ci_high],
                "resamples_defined": self.resamples}


@dataclass(frozen=True, slots=True)
class ReliabilityData:
    """Sparse reliability data over a value domain, ready for alpha and its bootstrap.

    Pairable units (two values or more) that look alike (the same values, as
    often) are kept once, as a *pattern* with its frequency: alpha only sums
    over units, so this is exact, and a bootstrap can draw patterns by their
    frequencies instead of units one by one. Patterns come most frequent first
    (ties in pattern order), so the result does not depend on the input order.
    """

    domain: tuple[object, ...]
    patterns: tuple[Pattern, ...]
    freq: tuple[int, ...]  # per pattern: how many units look like this
    units_with_values: int

    @property
    def n_units(self) -> int:
        """Number of patterns."""
        return len(self.patterns)

    @property
    def pairable_units(self) -> int:
        return sum(self.freq)


def reliability_data(units: Sequence[int], values: Sequence[object],
                     level: Level = "nominal") -> ReliabilityData:
    """Build :class:`ReliabilityData` from parallel lists of unit keys and values.

    ``None`` values must be left out by the caller (they are missing data).
    For ordinal and interval levels the values must be numbers; their sorted
    distinct values form the domain.
    """
    if len(units) != len(values):
        raise ValueError("units and values differ in length")
    if level == "nominal":
        domain = tuple(sorted(set(values), key=repr))
    else:
        domain = tuple(sorted(set(values)))  # type: ignore[type-var]
    index = {v: i for i, v in enumerate(domain)}
    return reliability_from_codes(units, [index[x] for x in values], domain)


def reliability_from_codes(units: Iterable[int], values: Iterable[int],
                           domain: tuple[object, ...]) -> ReliabilityData:
    """Build :class:`ReliabilityData` from unit keys and value indexes into ``domain``."""
    per_unit: dict[int, list[int]] = {}
    for u, v in zip(units, values, strict=True):
        got = per_unit.get(u)
        if got is None:
            per_unit[u] = [v]
        else:
            got.append(v)
    return reliability_from_units(per_unit.values(), domain, len(per_unit))


def reliability_from_units(units: Iterable[Sequence[int]], domain: tuple[object, ...],
                           units_with_values: int | None = None) -> ReliabilityData:
    """Build :class:`ReliabilityData` from each unit's value indexes (one per coder who gave one).

    Empty units may be passed (they count as units without values) or left out
    with ``units_with_values`` given.
    """
    seen = 0
    pairable: list[tuple[int, ...]] = []
    for vals in units:
        if vals:
            seen += 1
            if len(vals) > 1:
                pairable.append(tuple(sorted(vals)))
    patterns: dict[Pattern, int] = {}
    for values, f in Counter(pairable).items():
        patterns[tuple(sorted(Counter(values).items()))] = f
    ordered = sorted(patterns.items(), key=lambda kv: (-kv[1], kv[0]))
    return ReliabilityData(domain, tuple(k for k, _ in ordered), tuple(f for _, f in ordered),
                           seen if units_with_values is None else units_with_values)


def reliability_from_two(a: Iterable[int], b: Iterable[int],
                         domain: tuple[object, ...]) -> ReliabilityData:
    """:func:`reliability_from_units` for two coders' value codes per unit (-1 = no value)."""
    seen = 0
    both: list[tuple[int, int]] = []
    for x, y in zip(a, b, strict=True):
        if x >= 0 or y >= 0:
            seen += 1
            if x >= 0 and y >= 0:
                both.append((x, y) if x <= y else (y, x))
    patterns = {(((x, 2),) if x == y else ((x, 1), (y, 1))): f
                for (x, y), f in Counter(both).items()}
    ordered = sorted(patterns.items(), key=lambda kv: (-kv[1], kv[0]))
    return ReliabilityData(domain, tuple(k for k, _ in ordered), tuple(f for _, f in ordered),
                           seen)


class _Sums:
    """Each pattern's share of D_o and of the marginals at one level, ready to be weighted."""

    def __init__(self, data: ReliabilityData, level: Level) -> None:
        self.level = level
        self.size = len(data.domain)
        self.patterns = data.patterns
        self.own: list[float] = []  # nominal: coincidence diagonal; interval: D_o numerator
        self.pairs: list[list[tuple[int, float]]] = []  # ordinal: (c * size + k, o_ck), c < k
        if level == "interval":
            self.points = [float(x) for x in data.domain]  # type: ignore[arg-type]
        for pattern in data.patterns:
            m_u = sum(x for _, x in pattern)
            inv = 1.0 / (m_u - 1.0)
            if level == "nominal":
                self.own.append(sum(x * (x - 1.0) for _, x in pattern) * inv)
            elif level == "interval":
                # sum over c != k of x_c x_k (v_c - v_k)^2 = 2 m_u sum_c x_c (v_c - mean)^2
                if len(pattern) == 1:  # one value: no spread (a float mean would leave dust)
                    self.own.append(0.0)
                    continue
                mean = sum(x * self.points[v] for v, x in pattern) / m_u
                spread = sum(x * (self.points[v] - mean) ** 2 for v, x in pattern)
                self.own.append(2.0 * m_u * spread * inv)
            else:
                self.pairs.append([(c * self.size + k, xc * xk * inv)
                                   for i, (c, xc) in enumerate(pattern)
                                   for k, xk in pattern[i + 1:]])

    def disagreements(self, counts: Iterable[tuple[int, float]]) -> tuple[float, float, float]:
        """D_o, D_e and n over the patterns weighted as ``counts`` says ((pattern, weight))."""
        marg = [0.0] * self.size
        patterns, own, level = self.patterns, self.own, self.level
        total_own = 0.0
        o: dict[int, float] = {}
        if level == "ordinal":
            pairs = self.pairs
            for p, w in counts:
                for v, x in patterns[p]:
                    marg[v] += w * x
                for cell, val in pairs[p]:
                    o[cell] = o.get(cell, 0.0) + w * val
        else:
            for p, w in counts:
                for v, x in patterns[p]:
                    marg[v] += w * x
                total_own += w * own[p]
        n = sum(marg)
        if n < 2.0:
            return math.nan, math.nan, n
        if level == "nominal":
            d_o = 1.0 - total_own / n
            d_e = (n * n - sum(x * x for x in marg)) / (n * (n - 1.0))
        elif level == "interval":
            d_o = total_own / n
            if sum(1 for x in marg if x) < 2:
                d_e = 0.0  # one value used: no variation (exactly, not a float mean's dust)
            else:
                mean = sum(x * v for x, v in zip(marg, self.points, strict=True)) / n
                spread = sum(x * (v - mean) ** 2 for x, v in zip(marg, self.points,
                                                                  strict=True))
                d_e = 2.0 * spread / (n - 1.0)
        else:
            d_o, d_e = self._ordinal(marg, o, n)
        return d_o, d_e, n

    def _ordinal(self, marg: list[float], o: dict[int, float], n: float) -> tuple[float, float]:
        size = self.size
        cum = [0.0]
        for x in marg:
            cum.append(cum[-1] + x)
        used = [c for c in range(size) if marg[c] > 0.0]
        expected = 0.0
        for i, c in enumerate(used):
            nc = marg[c]
            for k in used[i + 1:]:
                nk = marg[k]
                expected += nc * nk * (cum[k + 1] - cum[c] - (nc + nk) / 2.0) ** 2
        observed = 0.0
        for cell, val in o.items():
            c, k = divmod(cell, size)
            observed += val * (cum[k + 1] - cum[c] - (marg[c] + marg[k]) / 2.0) ** 2
        # o and delta are symmetric: the sums over c < k count each cell once of two
        return 2.0 * observed / n, 2.0 * expected / (n * (n - 1.0))


def _disagreements(data: ReliabilityData, level: Level,
                   weights: Iterable[Sequence[float]]) -> tuple[list[float], ...]:
    """D_o, D_e and n for each row of pattern ``weights`` (one weight per pattern)."""
    sums = _Sums(data, level)
    out: tuple[list[float], list[float], list[float]] = ([], [], [])
    for row in weights:
        for target, x in zip(out, sums.disagreements(enumerate(row)), strict=True):
            target.append(x)
    return out


def _alpha_of(d_o: float, d_e: float, n: float) -> float | None:
    if not math.isfinite(d_o) or not math.isfinite(d_e) or n < 2 or d_e <= 0.0:
        return None
    return 1.0 - d_o / d_e


def alpha(data: ReliabilityData, level: Level, *, resamples: int = 0,
          seed: int = DEFAULT_SEED) -> AlphaResult:
    """Krippendorff's alpha of ``data`` at ``level``, with D_o, D_e and an optional interval."""
    if data.n_units == 0 or len(data.domain) < 1:
        return AlphaResult(level, None, None, None, data.units_with_values, 0)
    sums = _Sums(data, level)
    d_o, d_e, n = sums.disagreements(enumerate(data.freq))
    value = _alpha_of(d_o, d_e, n)
    lo = hi = None
    used = 0
    if resamples > 0 and value is not None:
        samples = sorted(_bootstrap(sums, data, resamples, seed))
        used = len(samples)
        if used:
            lo, hi = percentile(samples, 2.5), percentile(samples, 97.5)
    return AlphaResult(level, value, _finite(d_o), _finite(d_e), data.units_with_values,
                       int(n), lo, hi, used)


def percentile(ordered: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of sorted values, linear between order statistics."""
    pos = (len(ordered) - 1) * q / 100.0
    below = math.floor(pos)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (pos - below)


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


# -- resampling ---------------------------------------------------------------------------

def binomial(rng: random.Random, n: int, p: float) -> int:
    """One draw from Binomial(n, p), exact: inversion for small means, else BTRS.

    BTRS is the transformed rejection with squeeze of Hörmann (1993), "The
    generation of binomial random variates", J. Stat. Comput. Simul. 46: 101-110.
    """
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if p > 0.5:
        return n - binomial(rng, n, 1.0 - p)
    q = 1.0 - p
    if n * p < 10.0:
        # walk up the distribution: P(k) / P(k - 1) = ((n + 1) / k - 1) * p / q
        ratio = p / q
        step = (n + 1) * ratio
        prob = q ** n
        u = rng.random()
        k = 0
        while u > prob:
            u -= prob
            k += 1
            if k > n:  # rounding left a sliver above the last term: draw again
                u, k, prob = rng.random(), 0, q ** n
                continue
            prob *= step / k - ratio
        return k
    spq = math.sqrt(n * p * q)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    h = None  # the exact test's constants, needed in few draws
    while True:
        u = rng.random() - 0.5
        v = rng.random()
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        if h is None:
            alpha_ = (2.83 + 5.1 / b) * spq
            lpq = math.log(p / q)
            mode = math.floor((n + 1) * p)
            h = math.lgamma(mode + 1) + math.lgamma(n - mode + 1)
        v = math.log(v * alpha_ / (a / (us * us) + b))
        if v <= h - math.lgamma(k + 1) - math.lgamma(n - k + 1) + (k - mode) * lpq:
            return k


class _Resampler:
    """Draws how many units of each pattern a resample (with replacement) takes."""

    def __init__(self, data: ReliabilityData, rng: random.Random) -> None:
        self.rng = rng
        self.total = data.pairable_units
        freq = data.freq
        heavy = 0
        while heavy < len(freq) and freq[heavy] >= HEAVY_PATTERN:
            heavy += 1
        self.heavy = freq[:heavy]
        # the rest, one entry per unit: given how many draws are left for them,
        # those draws are uniform over these units
        self.tail = [p for p in range(heavy, len(freq)) for _ in range(freq[p])]

    def draw(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        left, mass = self.total, self.total
        for p, f in enumerate(self.heavy):
            if not left:
                return counts
            k = left if f >= mass else binomial(self.rng, left, f / mass)
            if k:
                counts[p] = k
            left -= k
            mass -= f
        if left:
            counts.update(Counter(self.rng.choices(self.tail, k=left)))
        return counts


def resample_weights(data: ReliabilityData, resamples: int,
                     rng: random.Random) -> list[dict[int, int]]:
    """How many units of each pattern each of ``resamples`` draws (with replacement) takes."""
    sampler = _Resampler(data, rng)
    return [sampler.draw() for _ in range(resamples)]


def _bootstrap(sums: _Sums, data: ReliabilityData, resamples: int, seed: int) -> list[float]:
    sampler = _Resampler(data, random.Random(seed))
    out = []
    for _ in range(resamples):
        d_o, d_e, n = sums.disagreements(sampler.draw().items())
        a = _alpha_of(d_o, d_e, n)
        if a is not None and math.isfinite(a):
            out.append(a)
    return out


def bootstrap(data: ReliabilityData, level: Level, resamples: int,
              seed: int = DEFAULT_SEED) -> list[float]:
    """Alpha on ``resamples`` unit resamples (the undefined ones left out)."""
    if data.n_units == 0:
        return []
    return _bootstrap(_Sums(data, level), data, resamples, seed)
