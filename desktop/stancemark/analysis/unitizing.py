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

Matching and span F1
--------------------
Spans of several coders are grouped into *units* (:func:`group_units`): every
pair of spans of different coders that share at least one character is a
candidate, taken in order of the largest overlap (Jaccard of the character
ranges; ties to the earlier span); two groups are joined only if they share no
coder and all their spans still share one common character. So a unit has at
most one span per coder. With two coders this is one-to-one best-overlap
matching. A span no one else marked is a unit of its own in which the other
coders have *missing* values: it is kept and counted, but as in any alpha a
unit with one value is not pairable. Units are formed once over all the
coders compared, and every pair is counted on these units.

``f1_exact``: a span of coder A matches one of coder B with the same start and
end (and category: the same actor, for mentions), one to one.
``f1_overlap``: the *overlap rule*: two spans match when they share at least
one character and the category; each span matches at most one, through the
grouping above done per category. F1 = 2 × matches / (|A| + |B|); ``None``
when neither coder has a span.
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


@dataclass(slots=True)
class _CoderUnits:
    """One coder's merged units, sorted along the continuum of (category, article) blocks."""

    cat: np.ndarray
    art: np.ndarray  # index into the continuum's articles
    start: np.ndarray
    end: np.ndarray
    x_start: np.ndarray  # position on the whole continuum: block * stride + start
    x_end: np.ndarray
    gap_before: np.ndarray  # gap before each unit inside its block (0 if none)
    gap_after: np.ndarray  # gap after the block's last unit (0 elsewhere)
    block_first: np.ndarray  # True at the first unit of each block

    def select(self, art_mask: np.ndarray) -> _CoderUnits:
        keep = art_mask[self.art]
        return _CoderUnits(*(getattr(self, f)[keep] for f in self.__slots__))  # type: ignore[attr-defined]


def _empty_units() -> _CoderUnits:
    z = np.zeros(0, dtype=np.int64)
    return _CoderUnits(z, z, z, z, z, z, z, z, np.zeros(0, dtype=bool))


def _keyed_gap_sums(gap_cat: np.ndarray, gap_len: np.ndarray, unit_cat: np.ndarray,
                    unit_len: np.ndarray) -> np.ndarray:
    """For each unit: sum over gaps of its category with length g >= l of (g - l + 1)."""
    if gap_len.size == 0 or unit_len.size == 0:
        return np.zeros(unit_len.shape, dtype=np.float64)
    big = int(max(gap_len.max(), unit_len.max())) + 2
    keys = gap_cat.astype(np.int64) * big + gap_len.astype(np.int64)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    prefix = np.concatenate([[0.0], np.cumsum(gap_len[order].astype(np.float64))])
    lo = np.searchsorted(keys, unit_cat.astype(np.int64) * big + unit_len.astype(np.int64))
    hi = np.searchsorted(keys, (unit_cat.astype(np.int64) + 1) * big)
    return (prefix[hi] - prefix[lo]) - (unit_len - 1.0) * (hi - lo)


def _pair_observed(a: _CoderUnits, b: _CoderUnits, n_cat: int) -> np.ndarray:
    """Per category: the sum of αu distances between two coders' units."""
    lo = np.searchsorted(b.x_end, a.x_start, side="right")  # first b ending after a starts
    hi = np.searchsorted(b.x_start, a.x_end, side="left")  # b starting before a ends
    count = np.maximum(hi - lo, 0)
    total = int(count.sum())
    ia = np.repeat(np.arange(a.x_start.size), count)
    offsets = np.repeat(np.cumsum(count) - count, count)
    ib = np.arange(total) - offsets + np.repeat(lo, count)
    out = np.zeros(n_cat)
    if total:
        d = ((a.x_start[ia] - b.x_start[ib]).astype(np.float64) ** 2
             + (a.x_end[ia] - b.x_end[ib]).astype(np.float64) ** 2)
        out += np.bincount(a.cat[ia], weights=d, minlength=n_cat)
    touched_b = np.zeros(b.x_start.size, dtype=bool)
    touched_b[ib] = True
    for units, touched in ((a, count > 0), (b, touched_b)):
        alone = ~touched
        if alone.any():
            sq = (units.end[alone] - units.start[alone]).astype(np.float64) ** 2
            out += np.bincount(units.cat[alone], weights=sq, minlength=n_cat)
    return out


class Continuum:
    """Every coder's units of one layer as arrays: αu for any coders and articles, fast.

    Built once per layer; :meth:`alpha` then costs a few array passes per pair
    of coders, so thirty coders' 435 pairs stay cheap.
    """

    def __init__(self, spans: Iterable[Span], lengths: Mapping[int, int]) -> None:
        self.article_ids = np.asarray(sorted(lengths), dtype=np.int64)
        art_pos = {a: i for i, a in enumerate(self.article_ids.tolist())}
        self.article_length = np.asarray([lengths[a] for a in self.article_ids.tolist()],
                                         dtype=np.int64)
        grouped: dict[tuple[str, Hashable, int], list[tuple[int, int]]] = defaultdict(list)
        for s in spans:
            if s.article in art_pos and s.end > s.start:
                grouped[(s.coder, s.category, s.article)].append((s.start, s.end))
        self.categories: list[Hashable] = sorted({k[1] for k in grouped}, key=repr)
        cat_pos = {c: i for i, c in enumerate(self.categories)}
        n_art = max(len(self.article_ids), 1)
        stride = int(self.article_length.max(initial=0)) + 1
        rows: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
        for (coder, cat, art), intervals in grouped.items():
            c, a = cat_pos[cat], art_pos[art]
            rows[coder].extend((c, a, lo, hi) for lo, hi in merge_overlaps(intervals))
        self._units: dict[str, _CoderUnits] = {}
        for coder, r in rows.items():
            t = np.asarray(r, dtype=np.int64)
            block = t[:, 0] * n_art + t[:, 1]
            order = np.lexsort((t[:, 2], block))
            t, block = t[order], block[order]
            cat, art, start, end = t[:, 0], t[:, 1], t[:, 2], t[:, 3]
            first = np.r_[True, block[1:] != block[:-1]]
            last = np.r_[block[1:] != block[:-1], True]
            prev_end = np.where(first, 0, np.r_[0, end[:-1]])
            self._units[coder] = _CoderUnits(
                cat, art, start, end, block * stride + start, block * stride + end,
                start - prev_end, np.where(last, self.article_length[art] - end, 0), first)

    def alpha(self, coders: Sequence[str], articles: Iterable[int] | None = None
              ) -> UnitizingResult:
        """αu for ``coders`` over ``articles`` (default: every article of the continuum)."""
        m = len(coders)
        art_mask: np.ndarray
        if articles is None:
            art_mask = np.ones(self.article_ids.size, dtype=bool)
        else:
            art_mask = np.isin(self.article_ids, np.fromiter(articles, dtype=np.int64))
        total_length = int(self.article_length[art_mask].sum())
        result = UnitizingResult(None, None, None, total_length, int(art_mask.sum()), m, 0)
        if m < 2 or total_length <= 0 or not self.categories:
            return result
        n_cat = len(self.categories)
        units = [self._units[c].select(art_mask) if c in self._units else _empty_units()
                 for c in coders]
        observed = np.zeros(n_cat)
        for i in range(m):
            for j in range(i + 1, m):
                observed += _pair_observed(units[i], units[j], n_cat)
        cat = np.concatenate([u.cat for u in units])
        ls = np.concatenate([u.end - u.start for u in units]).astype(np.float64)
        n_c = np.bincount(cat, minlength=n_cat).astype(np.float64)
        base = np.sort(np.repeat(self.article_length[art_mask], m)).astype(np.float64)
        suffix = np.concatenate([np.cumsum(base[::-1])[::-1], [0.0]])
        first = np.searchsorted(base, ls, side="left")
        gaps = suffix[first] - (ls - 1.0) * (base.size - first)
        # a coder with units of c in an article has its real gaps there, not the whole article
        removed_cat = np.concatenate([u.cat[u.block_first] for u in units])
        removed_len = np.concatenate([self.article_length[u.art[u.block_first]] for u in units])
        gaps -= _keyed_gap_sums(removed_cat, removed_len, cat, ls)
        added_cat = np.concatenate([np.r_[u.cat, u.cat] for u in units])
        added_len = np.concatenate([np.r_[u.gap_before, u.gap_after] for u in units])
        real = added_len > 0
        gaps += _keyed_gap_sums(added_cat[real], added_len[real], cat, ls)
        term = (n_c[cat] - 1.0) * (2 * ls ** 3 - 3 * ls ** 2 + ls) / 3.0 + ls ** 2 * gaps
        numerator = np.bincount(cat, weights=term, minlength=n_cat)
        ml = float(m * total_length)
        denominator = ml * (ml - 1.0) - np.bincount(cat, weights=ls * (ls - 1.0),
                                                    minlength=n_cat)
        with np.errstate(invalid="ignore", divide="ignore"):
            d_e = np.where(denominator > 0, 2.0 / total_length * numerator / denominator, 0.0)
        d_o = 2.0 * observed / (m * (m - 1) * float(total_length) ** 2)
        present = n_c > 0
        for k in np.flatnonzero(present).tolist():
            de_k, do_k = float(d_e[k]), float(d_o[k])
            result.per_category[self.categories[k]] = (
                1.0 - do_k / de_k if de_k > 0 else None, do_k, de_k)
        result.units = int(n_c.sum())
        if result.per_category:
            sum_do, sum_de = float(d_o[present].sum()), float(d_e[present].sum())
            result.observed, result.expected = sum_do, sum_de
            result.alpha = 1.0 - sum_do / sum_de if sum_de > 0 else None
        return result


def unitizing_alpha(spans: Iterable[Span], coders: Sequence[str],
                    lengths: Mapping[int, int]) -> UnitizingResult:
    """αu over the articles in ``lengths`` (id → length), for ``coders`` (two or more).

    Spans of other coders or articles are ignored. See the module docstring.
    """
    wanted = set(coders)
    return Continuum((s for s in spans if s.coder in wanted), lengths).alpha(coders)


# -- matching and F1 -------------------------------------------------------------------


def _candidate_pairs(spans: Sequence[Span],
                     same_category: bool) -> list[tuple[float, int, int, int]]:
    """(−Jaccard, start, i, j) for every pair of overlapping spans of different coders."""
    recs = sorted((s.article, s.start, s.end, i, s.coder, s.category if same_category else None)
                  for i, s in enumerate(spans))
    out: list[tuple[float, int, int, int]] = []
    append = out.append
    active: list[tuple[int, int, int, int, str, Hashable]] = []
    article = None
    for rec in recs:
        art, start, end, i, coder, cat = rec
        if art != article:
            article, active = art, []
        elif active:
            active = [r for r in active if r[2] > start]
        for _a, b_start, b_end, j, b_coder, b_cat in active:
            if b_coder == coder or b_cat != cat:
                continue
            # b started first (sorted by start): overlap from this start to the first end
            inter = (b_end if b_end < end else end) - start
            union = (b_end if b_end > end else end) - b_start
            if j < i:
                append((-inter / union, b_start, j, i))
            else:
                append((-inter / union, start, i, j))
        active.append(rec)
    out.sort()
    return out


def group_units(spans: Sequence[Span], *, same_category: bool = False) -> list[list[Span]]:
    """Group spans of different coders into units (see the module docstring).

    Each group has at most one span per coder, and all its spans share a
    character. Groups come in article and start order, and the spans of a group
    in start and end order.
    """
    parent = list(range(len(spans)))
    members: dict[int, set[str]] = {}  # coders of each group of more than one span
    common: dict[int, tuple[int, int]] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, _start, i, j in _candidate_pairs(spans, same_category):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        ci = members.get(ri) or {spans[ri].coder}
        cj = members.get(rj) or {spans[rj].coder}
        if ci & cj:
            continue
        si = common.get(ri) or (spans[ri].start, spans[ri].end)
        sj = common.get(rj) or (spans[rj].start, spans[rj].end)
        lo, hi = max(si[0], sj[0]), min(si[1], sj[1])
        if lo >= hi:
            continue
        parent[rj] = ri
        members[ri] = ci | cj
        common[ri] = (lo, hi)
    groups: dict[int, list[Span]] = defaultdict(list)
    for i, s in enumerate(spans):
        groups[find(i)].append(s)
    out = list(groups.values())
    for g in out:
        if len(g) > 1:
            g.sort(key=lambda s: (s.start, s.end))
    out.sort(key=lambda g: (g[0].article, g[0].start, g[0].end))
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
