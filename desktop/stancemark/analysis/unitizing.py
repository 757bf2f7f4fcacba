"""Agreement on *where* the units are: unitizing alpha, span F1 and the matching of spans.

Unitizing alpha (αu)
--------------------
We implement Krippendorff's αu for a continuum that coders cut into units of
categories and gaps: Krippendorff (1995), "On the reliability of unitizing
continuous data", Sociological Methodology 25: 47-76, in the form given in
Krippendorff (2004), *Content Analysis*, 2nd ed., section 12.4 (the measure
later called uα; not the cuα / |cuα variants of Krippendorff, Mathet, Bouvry
and Widlöcher 2016). For each category ``c`` every coder's continuum is a
sequence of units of ``c`` and gaps (everything else). Two overlapping
sections of coders ``i`` and ``j`` are at squared distance

* ``(b_i - b_j)^2 + (e_i - e_j)^2`` when both are units (b = begin, e = end);
* ``l^2`` when a unit of length ``l`` lies wholly inside the other's gap;
* ``0`` otherwise (two gaps; a unit that is only partly in a gap is already
  paid for by its unit-unit term).

With ``m`` coders and a continuum of length ``L``::

    uD_o(c) = 2 / (m (m-1) L^2) * sum_{i<j} sum of those distances
    uD_e(c) = 2/L * sum_{units u of c} [ (N_c - 1)(2 l^3 - 3 l^2 + l) / 3
                                        + l^2 * sum_{gaps g, |g| >= l} (|g| - l + 1) ]
              / ( m L (m L - 1) - sum_{units u of c} l (l - 1) )
    αu = 1 - sum_c uD_o(c) / sum_c uD_e(c)

where ``N_c`` counts the units of ``c`` of all coders and the gaps are all
coders' gaps of ``c``. The per-category αu(c) = 1 - uD_o(c)/uD_e(c) is reported
too. The tests check the worked examples of Krippendorff (2004: 254) and
(1995: 57) as DKPro Agreement's tests state them.

What we add for a corpus, and say in the output:

* the continuum is the articles laid end to end, and an article's end also
  ends a gap (no unit can sit across two articles), so the figure does not
  depend on the order of the articles; for one article it is exactly the
  formula above;
* only articles that *every* coder in the comparison has coded (any
  annotation of any kind) are on the continuum; the others are counted apart;
* one coder's overlapping units of the same category are merged into their
  union first (αu asks, position by position, "is this a unit of c?");
  touching units stay apart.

For mentions the category is the actor (identity); for claims there is one
category, so αu measures where claims are.

Span F1 and matching
--------------------
``f1_exact``: a span of coder A matches one of coder B with the same start,
end (and category, i.e. the same actor for mentions), one to one.
``f1_overlap``: spans match when they share at least one character (and
category); each span matches at most one, pairs taken greedily by the largest
overlap (Jaccard of the character ranges, ties to the earlier span).
F1 = 2 × matches / (|A| + |B|); ``None`` when neither coder has a span.

For attribute alphas, spans of several coders are grouped into *units* by the
same greedy rule, across coders and regardless of category: the two groups
whose best pair overlaps most are joined first, but only if they share no
coder and all their spans still share at least one common character. With two
coders this is one-to-one best-overlap matching. A span left alone is a unit
in which the other coders have *missing* values: it is kept and counted, but
as in any alpha a unit with one value is not pairable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, slots=True)
class Span:
    """One coder's unit: ``[start, end)`` in an article, with a category and an opaque ref."""

    coder: str
    article: int
    start: int
    end: int
    category: Hashable = None
    ref: object = None


@dataclass(slots=True)
class UnitizingResult:
    """αu with its disagreements, overall and per category."""

    alpha: float | None
    observed: float | None
    expected: float | None
    length: int  # L, in code points
    articles: int
    coders: int
    units: int  # (merged) units on the continuum, all coders
    per_category: dict[Hashable, tuple[float | None, float, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"alpha": self.alpha, "observed_disagreement": self.observed,
                "expected_disagreement": self.expected, "continuum_length": self.length,
                "articles": self.articles, "units": self.units}


def merge_overlaps(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted intervals with overlapping ones joined (touching ones kept apart)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(intervals):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _pair_distance(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    """Sum of αu distances between two coders' units of one category in one article."""
    total = 0.0
    touched_a = [False] * len(a)
    touched_b = [False] * len(b)
    j0 = 0
    for i, (sa, ea) in enumerate(a):
        while j0 < len(b) and b[j0][1] <= sa:
            j0 += 1
        j = j0
        while j < len(b) and b[j][0] < ea:
            sb, eb = b[j]
            total += (sa - sb) ** 2 + (ea - eb) ** 2
            touched_a[i] = touched_b[j] = True
            j += 1
    total += sum((e - s) ** 2 for (s, e), t in zip(a, touched_a, strict=True) if not t)
    total += sum((e - s) ** 2 for (s, e), t in zip(b, touched_b, strict=True) if not t)
    return total


def _gap_sums(gaps: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """For each unit length l: sum over gaps g >= l of (g - l + 1)."""
    if gaps.size == 0 or lengths.size == 0:
        return np.zeros(lengths.shape, dtype=np.float64)
    g = np.sort(gaps.astype(np.float64))
    suffix = np.concatenate([np.cumsum(g[::-1])[::-1], [0.0]])
    first = np.searchsorted(g, lengths, side="left")
    count = g.size - first
    return suffix[first] - (lengths - 1.0) * count


def unitizing_alpha(spans: Iterable[Span], coders: Sequence[str],
                    lengths: Mapping[int, int]) -> UnitizingResult:
    """αu over the articles in ``lengths`` (id → length), for ``coders`` (two or more).

    Spans of other coders or articles are ignored. See the module docstring.
    """
    m = len(coders)
    coder_set = set(coders)
    total_length = int(sum(lengths.values()))
    grouped: dict[Hashable, dict[int, dict[str, list[tuple[int, int]]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list)))
    for s in spans:
        if s.coder in coder_set and s.article in lengths and s.end > s.start:
            grouped[s.category][s.article][s.coder].append((s.start, s.end))
    result = UnitizingResult(None, None, None, total_length, len(lengths), m, 0)
    if m < 2 or total_length <= 0:
        return result
    base_gaps = np.repeat(np.fromiter(lengths.values(), dtype=np.float64, count=len(lengths)), m)
    base_sorted = np.sort(base_gaps)
    base_suffix = np.concatenate([np.cumsum(base_sorted[::-1])[::-1], [0.0]])
    ml = float(m * total_length)
    sum_do = sum_de = 0.0
    for category, by_article in grouped.items():
        pair_sum = 0.0
        unit_lengths: list[int] = []
        removed: list[int] = []
        added: list[int] = []
        for article, by_coder in by_article.items():
            art_len = lengths[article]
            merged = [merge_overlaps(by_coder[c]) for c in coders if by_coder.get(c)]
            empty = m - len(merged)
            for k, a in enumerate(merged):
                sq = float(sum((hi - lo) ** 2 for lo, hi in a))
                pair_sum += empty * sq  # against each coder with no unit here: all in a gap
                for b in merged[k + 1:]:
                    pair_sum += _pair_distance(a, b)
                unit_lengths.extend(hi - lo for lo, hi in a)
                removed.append(art_len)
                pos = 0
                for lo, hi in a:
                    if lo > pos:
                        added.append(lo - pos)
                    pos = hi
                if art_len > pos:
                    added.append(art_len - pos)
        ls = np.asarray(unit_lengths, dtype=np.float64)
        n_c = ls.size
        first = np.searchsorted(base_sorted, ls, side="left")
        base_part = base_suffix[first] - (ls - 1.0) * (base_sorted.size - first)
        gap_part = (base_part - _gap_sums(np.asarray(removed), ls)
                    + _gap_sums(np.asarray(added), ls))
        numerator = float(((n_c - 1) * (2 * ls ** 3 - 3 * ls ** 2 + ls) / 3.0
                           + ls ** 2 * gap_part).sum())
        denominator = ml * (ml - 1.0) - float((ls * (ls - 1.0)).sum())
        d_e = 2.0 / total_length * numerator / denominator if denominator > 0 else 0.0
        d_o = 2.0 * pair_sum / (m * (m - 1) * float(total_length) ** 2)
        result.per_category[category] = ((1.0 - d_o / d_e) if d_e > 0 else None, d_o, d_e)
        result.units += n_c
        sum_do += d_o
        sum_de += d_e
    if result.per_category:
        result.observed, result.expected = sum_do, sum_de
        result.alpha = 1.0 - sum_do / sum_de if sum_de > 0 else None
    return result


# -- matching and F1 -------------------------------------------------------------------


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _candidate_pairs(spans: Sequence[Span], same_category: bool) -> list[tuple[float, int, int]]:
    """(−Jaccard, i, j) for every pair of spans of different coders that overlap."""
    by_article: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(spans):
        by_article[s.article].append(i)
    out: list[tuple[float, int, int]] = []
    for idx in by_article.values():
        idx.sort(key=lambda i: (spans[i].start, spans[i].end, i))
        active: list[int] = []
        for i in idx:
            a = spans[i]
            active = [j for j in active if spans[j].end > a.start]
            for j in active:
                b = spans[j]
                if b.coder == a.coder or (same_category and b.category != a.category):
                    continue
                inter = _overlap(a, b)
                union = max(a.end, b.end) - min(a.start, b.start)
                out.append((-inter / union, j, i) if j < i else (-inter / union, i, j))
            active.append(i)
    out.sort(key=lambda t: (t[0], spans[t[1]].start, t[1], t[2]))
    return out


def group_units(spans: Sequence[Span], *, same_category: bool = False) -> list[list[Span]]:
    """Group spans of different coders into units (see the module docstring).

    Each group has at most one span per coder, and all its spans share a
    character. Groups come in article and start order; within a group, spans
    keep the order of ``spans``.
    """
    parent = list(range(len(spans)))
    coders: list[set[str]] = [{s.coder} for s in spans]
    common: list[tuple[int, int]] = [(s.start, s.end) for s in spans]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in _candidate_pairs(spans, same_category):
        ri, rj = find(i), find(j)
        if ri == rj or coders[ri] & coders[rj]:
            continue
        lo = max(common[ri][0], common[rj][0])
        hi = min(common[ri][1], common[rj][1])
        if lo >= hi:
            continue
        parent[rj] = ri
        coders[ri] |= coders[rj]
        common[ri] = (lo, hi)
    groups: dict[int, list[Span]] = defaultdict(list)
    for i, s in enumerate(spans):
        groups[find(i)].append(s)
    out = list(groups.values())
    out.sort(key=lambda g: (g[0].article, min(s.start for s in g), max(s.end for s in g)))
    return out


@dataclass(frozen=True, slots=True)
class F1Result:
    """Pairwise span F1, exact and overlapping."""

    a_spans: int
    b_spans: int
    exact_matches: int
    overlap_matches: int

    @staticmethod
    def _f1(matches: int, total: int) -> float | None:
        return None if total == 0 else 2.0 * matches / total

    @property
    def f1_exact(self) -> float | None:
        return self._f1(self.exact_matches, self.a_spans + self.b_spans)

    @property
    def f1_overlap(self) -> float | None:
        return self._f1(self.overlap_matches, self.a_spans + self.b_spans)


def span_f1(a: Sequence[Span], b: Sequence[Span]) -> F1Result:
    """F1 between two coders' spans (exact, and overlapping with the same category)."""
    key_counts: dict[tuple[int, int, int, Hashable], int] = defaultdict(int)
    for s in a:
        key_counts[(s.article, s.start, s.end, s.category)] += 1
    exact = 0
    for s in b:
        k = (s.article, s.start, s.end, s.category)
        if key_counts.get(k, 0) > 0:
            key_counts[k] -= 1
            exact += 1
    both = [*a, *b]
    if {s.coder for s in a} & {s.coder for s in b}:
        raise ValueError("span_f1 compares two different coders")
    overlap = sum(1 for g in group_units(both, same_category=True) if len(g) == 2)
    return F1Result(len(a), len(b), exact, overlap)
