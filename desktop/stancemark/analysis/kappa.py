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


def cohen_kappa_codes(a: Sequence[int], b: Sequence[int]) -> KappaResult:
    """:func:`cohen_kappa` over two coders' value codes per unit (-1 = no value)."""
    return cohen_kappa([(x, y) for x, y in zip(a, b, strict=True) if x >= 0 and y >= 0])


def fleiss_kappa_codes(codes: Sequence[Sequence[int]]) -> KappaResult:
    """:func:`fleiss_kappa` over coders × units value codes (-1 = no value)."""
    m = len(codes)
    complete = [unit for unit in zip(*codes, strict=True) if min(unit) >= 0] if m else []
    n = len(complete)
    if n == 0 or m < 2:
        return KappaResult(None, None, None, n)
    totals: Counter[int] = Counter()
    agree = 0
    for unit in complete:
        counts = Counter(unit)
        totals.update(counts)
        agree += sum(k * k for k in counts.values())
    p_bar = (agree - n * m) / (n * m * (m - 1))
    p_e = sum((k / (n * m)) ** 2 for k in totals.values())
    kappa = None if p_e >= 1.0 else (p_bar - p_e) / (1.0 - p_e)
    return KappaResult(kappa, p_bar, p_e, n)
