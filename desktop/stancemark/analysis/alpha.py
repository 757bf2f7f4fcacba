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

The point value of alpha comes from the ``krippendorff`` package when its
dense ``units x values x values`` work fits in memory (every ordinal and
interval case here, nominal ones with few values); D_o and D_e are ours, and
the tests prove ``1 - D_o / D_e`` equal to the package's alpha to 1e-9 at every
level, with missing data. Alpha is ``None`` when it is undefined: fewer than
two pairable values, or no variation at all (``D_e == 0``).

The bootstrap resamples the *pairable units* with replacement (seeded,
``resamples`` times; drawn through their patterns, see :class:`ReliabilityData`),
recomputes alpha on each resample, and reports the 2.5th and 97.5th
percentiles of the defined values (a percentile interval).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from stancemark.core.coding import DEFAULT_RESAMPLES, DEFAULT_SEED  # noqa: F401 (re-export)

Level = Literal["nominal", "ordinal", "interval"]

#: Above this many ``units x values x values`` cells the package's dense
#: coincidence work would cost too much memory; alpha then comes from our own sums.
PACKAGE_CELL_LIMIT = 1_000_000



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
    often) are kept once, as a *pattern* with its frequency: alpha only sums over
    units, so this is exact, and a bootstrap can draw patterns by their
    frequencies instead of units one by one. Each row is one (pattern, value)
    with how many coders gave that value.
    """

    domain: tuple[object, ...]
    unit: npt.NDArray[np.int64]  # per row: index of the pattern
    value: npt.NDArray[np.int64]  # per row: index into domain
    count: npt.NDArray[np.float64]  # per row: coders giving that value
    unit_size: npt.NDArray[np.float64]  # per pattern: values in one such unit (m_u)
    freq: npt.NDArray[np.float64]  # per pattern: how many units look like this
    units_with_values: int

    @property
    def n_units(self) -> int:
        """Number of patterns."""
        return int(self.unit_size.shape[0])

    @property
    def pairable_units(self) -> int:
        return int(self.freq.sum())


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
    v = np.fromiter((index[x] for x in values), dtype=np.int64, count=len(values))
    return reliability_from_codes(np.asarray(units, dtype=np.int64), v, domain)


def reliability_from_codes(units: npt.NDArray[np.int64], values: npt.NDArray[np.int64],
                           domain: tuple[object, ...]) -> ReliabilityData:
    """Build :class:`ReliabilityData` from arrays of unit keys and value indexes into ``domain``."""
    width = max(len(domain), 1)
    if units.size:
        codes, counts = np.unique(units * width + values, return_counts=True)
        unit, value = codes // width, codes % width
    else:
        unit = value = counts = np.zeros(0, dtype=np.int64)
    ukeys, uinv = np.unique(unit, return_inverse=True)
    size = np.bincount(uinv, weights=counts, minlength=len(ukeys))
    keep = size[uinv] >= 2
    unit, value, counts = uinv[keep], value[keep], counts[keep]
    pairable = np.unique(unit)
    empty = np.zeros(0, dtype=np.int64)
    if pairable.size == 0:
        return ReliabilityData(domain, empty, empty, np.zeros(0), np.zeros(0), np.zeros(0),
                               int(len(ukeys)))
    unit = np.searchsorted(pairable, unit)
    radix = int(counts.max()) + 1
    if width * np.log2(radix) < 62:
        # a unit's pattern as one integer: its count of each value in base ``radix``
        place = radix ** np.arange(width, dtype=np.int64)
        key = np.zeros(pairable.size, dtype=np.int64)
        np.add.at(key, unit, counts.astype(np.int64) * place[value])
        keys, freq = np.unique(key, return_counts=True)
        digits = (keys[:, None] // place[None, :]) % radix
        p_unit, p_value = np.nonzero(digits)
        p_count = digits[p_unit, p_value]
    else:
        # rows are sorted by unit, then value: a unit's rows form its pattern key
        starts = np.flatnonzero(np.r_[True, unit[1:] != unit[:-1]])
        ends = np.r_[starts[1:], unit.size]
        index: dict[tuple[int, ...], int] = {}
        freq_list: list[int] = []
        p_rows: list[tuple[int, int, int]] = []
        vals, cnts = value.tolist(), counts.tolist()
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            pattern = tuple(vals[a:b]) + tuple(cnts[a:b])
            k = index.get(pattern)
            if k is None:
                k = index[pattern] = len(freq_list)
                freq_list.append(0)
                p_rows.extend((k, vals[i], cnts[i]) for i in range(a, b))
            freq_list[k] += 1
        rows = np.asarray(p_rows, dtype=np.int64)
        p_unit, p_value, p_count = rows[:, 0], rows[:, 1], rows[:, 2]
        freq = np.asarray(freq_list)
    p_size = np.bincount(p_unit, weights=p_count, minlength=len(freq))
    return ReliabilityData(domain, p_unit.astype(np.int64), p_value.astype(np.int64),
                           p_count.astype(np.float64), p_size.astype(np.float64),
                           np.asarray(freq, dtype=np.float64), int(len(ukeys)))


def _delta(level: Level, domain: tuple[object, ...],
           n_c: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Distance matrices, one per row of ``n_c`` (shape ``(B, V)`` → ``(B, V, V)``)."""
    size = len(domain)
    if level == "nominal":
        return np.broadcast_to(1.0 - np.eye(size), (n_c.shape[0], size, size))
    if level == "interval":
        vals = np.asarray(domain, dtype=np.float64)
        d = (vals[:, None] - vals[None, :]) ** 2
        return np.broadcast_to(d, (n_c.shape[0], size, size))
    # ordinal: (sum of n_g for g between c and k, inclusive, minus half of n_c and n_k)^2
    cum = np.concatenate([np.zeros((n_c.shape[0], 1)), np.cumsum(n_c, axis=1)], axis=1)
    lo = np.minimum.outer(np.arange(size), np.arange(size))
    hi = np.maximum.outer(np.arange(size), np.arange(size))
    between = cum[:, hi + 1] - cum[:, lo]
    return (between - (n_c[:, :, None] + n_c[:, None, :]) / 2.0) ** 2


def _disagreements(data: ReliabilityData, level: Level,
                   weights: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], ...]:
    """D_o, D_e and n for each row of unit ``weights`` (shape ``(B, units)``)."""
    size = len(data.domain)
    batch = weights.shape[0]
    w_row = weights[:, data.unit] * data.count  # (B, rows): weighted count per (unit, value)
    flat = (np.arange(batch)[:, None] * size + data.value[None, :]).ravel()
    n_c = np.bincount(flat, weights=w_row.ravel(), minlength=batch * size).reshape(
        batch, size).astype(np.float64)
    n = n_c.sum(axis=1)
    inv = 1.0 / (data.unit_size - 1.0)
    if level == "nominal":
        # D_o needs only the diagonal of o: sum_u w_u * sum_c x_uc (x_uc - 1) / (m_u - 1)
        same = np.bincount(data.unit, weights=data.count * (data.count - 1.0),
                           minlength=data.n_units) * inv
        diag = weights @ same
        with np.errstate(invalid="ignore", divide="ignore"):
            d_o = 1.0 - diag / n
            d_e = (n * n - (n_c * n_c).sum(axis=1)) / (n * (n - 1.0))
        return d_o, d_e, n
    # o_ck = sum_u w_u x_uc (x_uk - [c == k]) / (m_u - 1), from each unit's own rows
    dense = np.zeros((data.n_units, size))
    dense[data.unit, data.value] = data.count
    per_unit = dense[:, :, None] * dense[:, None, :]
    per_unit[:, np.arange(size), np.arange(size)] -= dense
    per_unit *= inv[:, None, None]
    o = (weights @ per_unit.reshape(data.n_units, size * size)).reshape(batch, size, size)
    delta = _delta(level, data.domain, n_c)
    with np.errstate(invalid="ignore", divide="ignore"):
        d_o = (o * delta).sum(axis=(1, 2)) / n
        d_e = (n_c[:, :, None] * n_c[:, None, :] * delta).sum(axis=(1, 2)) / (n * (n - 1.0))
    return d_o, d_e, n


def _alpha_of(d_o: float, d_e: float, n: float) -> float | None:
    if not np.isfinite(d_o) or not np.isfinite(d_e) or n < 2 or d_e <= 0.0:
        return None
    return float(1.0 - d_o / d_e)


def _package_alpha(data: ReliabilityData, level: Level) -> float | None:
    """Alpha from the ``krippendorff`` package, or None when its dense work is too big."""
    size = len(data.domain)
    if data.pairable_units * size * size > PACKAGE_CELL_LIMIT:
        return None
    import krippendorff

    patterns = np.zeros((data.n_units, size))
    patterns[data.unit, data.value] = data.count
    counts = np.repeat(patterns, data.freq.astype(np.int64), axis=0)
    domain: Any = (list(range(size)) if level == "nominal"
                      else np.asarray(data.domain, dtype=np.float64))
    return float(krippendorff.alpha(value_counts=counts, value_domain=domain,
                                    level_of_measurement=level))


def alpha(data: ReliabilityData, level: Level, *, resamples: int = 0,
          seed: int = DEFAULT_SEED) -> AlphaResult:
    """Krippendorff's alpha of ``data`` at ``level``, with D_o, D_e and an optional interval."""
    if data.n_units == 0 or len(data.domain) < 1:
        return AlphaResult(level, None, None, None, data.units_with_values, 0)
    d_o_a, d_e_a, n_a = _disagreements(data, level, data.freq[None, :])
    d_o, d_e, n = float(d_o_a[0]), float(d_e_a[0]), float(n_a[0])
    value = _alpha_of(d_o, d_e, n)
    if value is not None and len(data.domain) > 1:
        packaged = _package_alpha(data, level)
        if packaged is not None:
            value = packaged
    lo = hi = None
    used = 0
    if resamples > 0 and value is not None:
        samples = bootstrap(data, level, resamples, seed)
        used = int(samples.size)
        if used:
            lo, hi = (float(x) for x in np.percentile(samples, [2.5, 97.5]))
    return AlphaResult(level, value, _finite(d_o), _finite(d_e), data.units_with_values,
                       int(n), lo, hi, used)


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def resample_weights(data: ReliabilityData, resamples: int,
                     rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """How many units of each pattern each of ``resamples`` draws (with replacement) takes."""
    total = data.pairable_units
    return rng.multinomial(total, data.freq / total, size=resamples).astype(np.float64)


def bootstrap(data: ReliabilityData, level: Level, resamples: int,
              seed: int = DEFAULT_SEED, chunk: int = 250) -> npt.NDArray[np.float64]:
    """Alpha on ``resamples`` unit resamples (the undefined ones left out)."""
    rng = np.random.default_rng(seed)
    out: list[npt.NDArray[np.float64]] = []
    done = 0
    while done < resamples:
        batch = min(chunk, resamples - done)
        weights = resample_weights(data, batch, rng)
        d_o, d_e, n = _disagreements(data, level, weights)
        with np.errstate(invalid="ignore", divide="ignore"):
            a = 1.0 - d_o / d_e
        ok = np.isfinite(a) & (d_e > 0) & (n >= 2)
        out.append(a[ok])
        done += batch
    return np.concatenate(out) if out else np.zeros(0)
