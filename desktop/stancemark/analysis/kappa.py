"""Cohen's kappa for two coders and Fleiss' kappa for several, on nominal values.

Both use the textbook chance term: for Cohen (1960) ``P_e = sum_c p_A(c) p_B(c)``
over every category (for two categories ``P_yes + P_no`` of the products, not
their product), and for Fleiss (1971) ``P_e = sum_c p_c^2`` with ``p_c`` the
share of all ratings in category ``c``. Kappa needs every unit rated by the
coders it compares: Cohen's kappa uses the units both coders rated, Fleiss'
kappa the units *all* coders rated; how many were used is reported beside the
value, nothing is dropped silently. Kappa is ``None`` when undefined: no units,
or chance agreement of 1 (everybody used one and the same category).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class KappaResult:
    """A kappa with its observed and chance agreement and the units it used."""

    kappa: float | None
    observed: float | None  # P_o (Cohen) or mean P_i (Fleiss)
    expected: float | None  # P_e
    units: int

    def as_dict(self) -> dict[str, object]:
        return {"kappa": self.kappa, "observed_agreement": self.observed,
                "expected_agreement": self.expected, "units": self.units}


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> KappaResult:
    """Cohen's kappa over ``(value_a, value_b)`` pairs, one per unit both coders rated."""
    n = len(pairs)
    if n == 0:
        return KappaResult(None, None, None, 0)
    p_o = sum(1 for a, b in pairs if a == b) / n
    count_a = Counter(a for a, _ in pairs)
    count_b = Counter(b for _, b in pairs)
    p_e = sum(count_a[c] * count_b.get(c, 0) for c in count_a) / (n * n)
    kappa = None if p_e >= 1.0 else (p_o - p_e) / (1.0 - p_e)
    return KappaResult(kappa, p_o, p_e, n)


def fleiss_kappa(units: Sequence[Mapping[str, Hashable]], coders: Sequence[str]) -> KappaResult:
    """Fleiss' kappa over the units (coder → value) that every coder in ``coders`` rated."""
    m = len(coders)
    complete = [u for u in units if all(c in u for c in coders)]
    n = len(complete)
    if n == 0 or m < 2:
        return KappaResult(None, None, None, n)
    totals: Counter[Hashable] = Counter()
    p_bar = 0.0
    for u in complete:
        counts = Counter(u[c] for c in coders)
        totals.update(counts)
        p_bar += (sum(k * k for k in counts.values()) - m) / (m * (m - 1))
    p_bar /= n
    p_e = sum((k / (n * m)) ** 2 for k in totals.values())
    kappa = None if p_e >= 1.0 else (p_bar - p_e) / (1.0 - p_e)
    return KappaResult(kappa, p_bar, p_e, n)


def cohen_kappa_codes(a: np.ndarray, b: np.ndarray) -> KappaResult:
    """:func:`cohen_kappa` over two coders' value codes per unit (-1 = no value)."""
    both = (a >= 0) & (b >= 0)
    a, b = a[both], b[both]
    n = int(a.size)
    if n == 0:
        return KappaResult(None, None, None, 0)
    width = int(max(a.max(), b.max())) + 1
    p_o = float((a == b).sum()) / n
    p_e = float((np.bincount(a, minlength=width) * np.bincount(b, minlength=width)).sum()) / (
        n * n)
    kappa = None if p_e >= 1.0 else (p_o - p_e) / (1.0 - p_e)
    return KappaResult(kappa, p_o, p_e, n)


def fleiss_kappa_codes(codes: np.ndarray) -> KappaResult:
    """:func:`fleiss_kappa` over a coders × units array of value codes (-1 = no value)."""
    m = codes.shape[0]
    complete = codes[:, (codes >= 0).all(axis=0)] if codes.size else codes
    n = int(complete.shape[1]) if complete.ndim == 2 else 0
    if n == 0 or m < 2:
        return KappaResult(None, None, None, n)
    width = int(complete.max()) + 1
    keys = (np.arange(n)[None, :] * width + complete).ravel()
    _, counts = np.unique(keys, return_counts=True)
    p_bar = (float((counts.astype(np.float64) ** 2).sum()) - n * m) / (n * m * (m - 1))
    p = np.bincount(complete.ravel(), minlength=width) / (n * m)
    p_e = float((p * p).sum())
    kappa = None if p_e >= 1.0 else (p_bar - p_e) / (1.0 - p_e)
    return KappaResult(kappa, p_bar, p_e, n)
