"""Counts and means behind the charts: claims per actor, category, outlet and month,
stance by category, sentiment over time, and each coder's progress.

Pure functions over plain rows (no SQL, no Qt). Each returns a :class:`Series` (or
:class:`StackedSeries`): the exact numbers a chart draws and a CSV lists, so the
picture and the table can never disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

#: How many bars a ranking chart shows; the rest is summed as "other".
TOP = 15


@dataclass(frozen=True)
class Series:
    """One value per label, in drawing order."""

    title: str
    labels: list[str]
    values: list[float]
    unit: str = "claims"
    note: str = ""
    #: the value axis' ends when they are fixed (a scale), else from the values
    bounds: tuple[float, float] | None = None

    def rows(self) -> list[list[object]]:
        """The numbers drawn, as table rows (header first)."""
        return [["label", self.unit], *([label, value] for label, value in
                                        zip(self.labels, self.values, strict=True))]


@dataclass(frozen=True)
class StackedSeries:
    """Per label, one value per stack (e.g. per stance value), in drawing order."""

    title: str
    labels: list[str]
    stacks: list[str]
    values: list[list[float]]  # values[label][stack]
    unit: str = "claims"
    note: str = ""

    def rows(self) -> list[list[object]]:
        return [["label", *self.stacks],
                *([label, *row] for label, row in zip(self.labels, self.values, strict=True))]


@dataclass(frozen=True)
class ClaimFact:
    """What the charts need of one claim."""

    claimant: int | None
    category: str | None
    stance: int | None
    source: str | None
    month: str | None  # "YYYY-MM" of the article's date
    annotator: str


@dataclass
class Overview:
    """The corpus at a glance."""

    articles: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    annotators: int = 0
    actors: int = 0
    mentions: int = 0
    claims: int = 0
    sentiments: int = 0
    first_date: str | None = None
    last_date: str | None = None


def ranking(title: str, counts: Mapping[str, float], *, top: int = TOP,
            unit: str = "claims") -> Series:
    """The largest ``top`` counts, highest first (ties by label), the rest as "other"."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    shown, rest = ordered[:top], ordered[top:]
    labels = [k for k, _ in shown]
    values = [v for _, v in shown]
    note = ""
    if rest:
        labels.append(f"other ({len(rest)})")
        values.append(sum(v for _, v in rest))
        note = f"{len(rest)} more summed as other"
    return Series(title, labels, values, unit, note)


def claims_per_actor(claims: Iterable[ClaimFact], names: Mapping[int, str]) -> Series:
    counts = Counter(names.get(c.claimant, f"actor {c.claimant}") if c.claimant is not None
                     else "(no claimant)" for c in claims)
    return ranking("Claims per actor", counts)


def claims_per_category(claims: Iterable[ClaimFact], labels: Mapping[str, str]) -> Series:
    counts = Counter(labels.get(c.category, c.category) if c.category else "(no category)"
                     for c in claims)
    return ranking("Claims per category", counts)


def claims_per_outlet(claims: Iterable[ClaimFact]) -> Series:
    return ranking("Claims per outlet", Counter(c.source or "(no source)" for c in claims))


def _months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` ("YYYY-MM"), gaps included."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def claims_per_month(claims: Iterable[ClaimFact]) -> Series:
    counts = Counter(c.month for c in claims if c.month)
    if not counts:
        return Series("Claims per month", [], [], note="no dated claims")
    months = _months(min(counts), max(counts))
    return Series("Claims per month", months, [counts.get(m, 0) for m in months])


def stance_by_category(claims: Iterable[ClaimFact], labels: Mapping[str, str],
                       scale: Sequence[int], *, top: int = TOP) -> StackedSeries:
    """Claims per category split by stance (categories with most claims first)."""
    table: dict[str, Counter[int | None]] = defaultdict(Counter)
    for c in claims:
        name = labels.get(c.category, c.category) if c.category else "(no category)"
        table[name][c.stance] += 1
    order = sorted(table, key=lambda k: (-sum(table[k].values()), k.casefold()))[:top]
    stacks = [f"{v:+d}" if v else "0" for v in scale] + ["no stance"]
    keys: list[int | None] = [*scale, None]
    values = [[float(table[name][k]) for k in keys] for name in order]
    note = f"top {top} of {len(table)} categories" if len(table) > top else ""
    return StackedSeries("Stance by category", order, stacks, values, note=note)


def mean_over_time(title: str, values: Iterable[tuple[str | None, int]],
                   unit: str = "mean sentiment",
                   bounds: tuple[float, float] | None = None) -> Series:
    """The mean of the values per month ("YYYY-MM"); a month with no value is left out
    (no mean is invented for it)."""
    sums: dict[str, list[int]] = defaultdict(list)
    for month, value in values:
        if month:
            sums[month].append(value)
    months = sorted(sums)
    return Series(title, months, [round(sum(sums[m]) / len(sums[m]), 3) for m in months],
                  unit=unit, bounds=bounds)


def coder_coverage(touched: Mapping[str, int], total_articles: int) -> StackedSeries:
    """Per coder: the articles they annotated, and those they have not yet."""
    coders = sorted(touched, key=str.casefold)
    values = [[float(touched[c]), float(max(total_articles - touched[c], 0))] for c in coders]
    note = f"of {total_articles} articles"
    return StackedSeries("Coder coverage", coders, ["annotated", "not yet"], values,
                         unit="articles", note=note)


__all__ = ["TOP", "ClaimFact", "Overview", "Series", "StackedSeries", "claims_per_actor",
           "claims_per_category", "claims_per_month", "claims_per_outlet", "coder_coverage",
           "mean_over_time", "ranking", "stance_by_category"]
