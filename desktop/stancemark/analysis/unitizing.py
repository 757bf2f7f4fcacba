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

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field


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
    """One coder's merged units, sorted along the continuum of (category, article) blocks.

    Per unit: its position on the whole continuum (``block * stride + start``
    and ``... + end``), category, length and article (an index into the
    continuum's articles). ``gaps`` lists the coder's real gaps of a category
    in the articles where it has units of it, with sign +1, and each such
    article's whole length with sign -1: the expected disagreement starts from
    every article being one gap for every coder and category, and this corrects it.
    """

    x_start: list[int]
    x_end: list[int]
    cat: list[int]
    length: list[int]
    art: list[int]
    gaps: list[tuple[int, int, int]]  # (category, gap length, +1 or -1)
    gap_art: list[int]  # the article of each gaps entry

    def select(self, articles: set[int]) -> _CoderUnits:
        keep = [i for i, a in enumerate(self.art) if a in articles]
        keep_gaps = [i for i, a in enumerate(self.gap_art) if a in articles]
        return _CoderUnits([self.x_start[i] for i in keep], [self.x_end[i] for i in keep],
                           [self.cat[i] for i in keep], [self.length[i] for i in keep],
                           [self.art[i] for i in keep], [self.gaps[i] for i in keep_gaps],
                           [self.gap_art[i] for i in keep_gaps])


def _empty_units() -> _CoderUnits:
    return _CoderUnits([], [], [], [], [], [], [])


def _pair_observed(a: _CoderUnits, b: _CoderUnits, out: list[float]) -> None:
    """Add, per category, the sum of αu distances between two coders' units to ``out``."""
    b_start, b_end, nb = b.x_start, b.x_end, len(b.x_start)
    touched_b = [False] * nb
    j0 = 0
    for xs, xe, c, ln in zip(a.x_start, a.x_end, a.cat, a.length, strict=True):
        while j0 < nb and b_end[j0] <= xs:
            j0 += 1
        j = j0
        while j < nb and b_start[j] < xe:
            out[c] += (xs - b_start[j]) ** 2 + (xe - b_end[j]) ** 2
            touched_b[j] = True
            j += 1
        if j == j0:
            out[c] += ln * ln
    for c, ln, t in zip(b.cat, b.length, touched_b, strict=True):
        if not t:
            out[c] += ln * ln


class _GapSums:
    """Sum over a signed multiset of gap lengths g >= l of (g - l + 1), for any l."""

    def __init__(self, weights: Mapping[int, int]) -> None:
        self.lengths = sorted(g for g, w in weights.items() if w)
        # suffix sums of w * g and of w, from each position to the end
        self.mass = [0.0] * (len(self.lengths) + 1)
        self.count = [0.0] * (len(self.lengths) + 1)
        for i in range(len(self.lengths) - 1, -1, -1):
            g = self.lengths[i]
            self.mass[i] = self.mass[i + 1] + weights[g] * g
            self.count[i] = self.count[i + 1] + weights[g]

    def __call__(self, length: int) -> float:
        i = bisect_left(self.lengths, length)
        return self.mass[i] - (length - 1) * self.count[i]


class Continuum:
    """Every coder's units of one layer, ready for αu over any coders and articles.

    Built once per layer; :meth:`alpha` then costs one pass over the units of
    the coders compared, so thirty coders' 435 pairs stay cheap.
    """

    def __init__(self, spans: Iterable[Span], lengths: Mapping[int, int]) -> None:
        self.article_ids = sorted(lengths)
        self._art_pos = {a: i for i, a in enumerate(self.article_ids)}
        self.article_length = [lengths[a] for a in self.article_ids]
        grouped: dict[tuple[str, Hashable, int], list[tuple[int, int]]] = defaultdict(list)
        for s in spans:
            if s.article in self._art_pos and s.end > s.start:
                grouped[(s.coder, s.category, s.article)].append((s.start, s.end))
        self.categories: list[Hashable] = sorted({k[1] for k in grouped}, key=repr)
        cat_pos = {c: i for i, c in enumerate(self.categories)}
        n_art = max(len(self.article_ids), 1)
        stride = max(self.article_length, default=0) + 1
        blocks: dict[str, list[tuple[int, int, list[tuple[int, int]]]]] = defaultdict(list)
        for (coder, cat, art), intervals in grouped.items():
            c, a = cat_pos[cat], self._art_pos[art]
            blocks[coder].append((c * n_art + a, c, merge_overlaps(intervals)))
        self._units: dict[str, _CoderUnits] = {}
        for coder, rows in blocks.items():
            u = _empty_units()
            for block, c, merged in sorted(rows):
                a = block - c * n_art
                offset = block * stride
                prev = 0
                for lo, hi in merged:
                    u.x_start.append(offset + lo)
                    u.x_end.append(offset + hi)
                    u.cat.append(c)
                    u.length.append(hi - lo)
                    u.art.append(a)
                    if lo > prev:
                        u.gaps.append((c, lo - prev, 1))
                        u.gap_art.append(a)
                    prev = hi
                if self.article_length[a] > prev:
                    u.gaps.append((c, self.article_length[a] - prev, 1))
                    u.gap_art.append(a)
                u.gaps.append((c, self.article_length[a], -1))
                u.gap_art.append(a)
            self._units[coder] = u

    def alpha(self, coders: Sequence[str], articles: Iterable[int] | None = None
              ) -> UnitizingResult:
        """αu for ``coders`` over ``articles`` (default: every article of the continuum)."""
        m = len(coders)
        if articles is None:
            chosen = None
            lengths = self.article_length
        else:
            chosen = {self._art_pos[a] for a in articles if a in self._art_pos}
            lengths = [self.article_length[a] for a in sorted(chosen)]
        total_length = sum(lengths)
        result = UnitizingResult(None, None, None, total_length, len(lengths), m, 0)
        if m < 2 or total_length <= 0 or not self.categories:
            return result
        n_cat = len(self.categories)
        units = [self._units.get(c, _empty_units()) for c in coders]
        if chosen is not None and len(chosen) < len(self.article_ids):
            units = [u.select(chosen) for u in units]
        observed = [0.0] * n_cat
        for i in range(m):
            for j in range(i + 1, m):
                _pair_observed(units[i], units[j], observed)
        n_c = [0] * n_cat
        sizes: Counter[tuple[int, int]] = Counter()  # (category, unit length): units
        signed: list[Counter[int]] = [Counter() for _ in range(n_cat)]  # per category
        for u in units:
            sizes.update(zip(u.cat, u.length, strict=True))
            for c, g, sign in u.gaps:
                signed[c][g] += sign
        # every coder starts with each article as one gap of every category
        base = _GapSums(Counter({g: k * m for g, k in Counter(lengths).items()}))
        numerator = [0.0] * n_cat
        self_pairs = [0.0] * n_cat
        for (c, _ln), k in sizes.items():
            n_c[c] += k
        corrections: dict[int, _GapSums] = {}
        for (c, ln), k in sizes.items():
            fix = corrections.get(c)
            if fix is None:
                fix = corrections[c] = _GapSums(signed[c])
            gaps = base(ln) + fix(ln)
            numerator[c] += k * ((n_c[c] - 1) * (2 * ln ** 3 - 3 * ln ** 2 + ln) / 3.0
                                 + ln * ln * gaps)
            self_pairs[c] += k * ln * (ln - 1)
        ml = float(m * total_length)
        for c in range(n_cat):
            if not n_c[c]:
                continue
            denominator = ml * (ml - 1.0) - self_pairs[c]
            de_c = 2.0 / total_length * numerator[c] / denominator if denominator > 0 else 0.0
            do_c = 2.0 * observed[c] / (m * (m - 1) * float(total_length) ** 2)
            result.per_category[self.categories[c]] = (
                1.0 - do_c / de_c if de_c > 0 else None, do_c, de_c)
        result.units = sum(n_c)
        if result.per_category:
            sum_do = sum(v[1] for v in result.per_category.values())
            sum_de = sum(v[2] for v in result.per_category.values())
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
