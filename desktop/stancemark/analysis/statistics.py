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


def _label(key: str | None, names: Mapping[str, str], none: str) -> str:
    return names.get(key, key) if key is not None else none


def claims_per_actor(by_claimant: Mapping[int | None, int], names: Mapping[int, str]) -> Series:
    counts: Counter[str] = Counter()
    for actor, n in by_claimant.items():
        counts[names.get(actor, f"actor {actor}") if actor is not None else "(no claimant)"] += n
    return ranking("Claims per actor", counts)


def claims_per_category(by_category_stance: Iterable[tuple[str | None, int | None, int]],
                        labels: Mapping[str, str]) -> Series:
    counts: Counter[str] = Counter()
    for category, _stance, n in by_category_stance:
        counts[_label(category, labels, "(no category)")] += n
    return ranking("Claims per category", counts)


def claims_per_outlet(by_source_month: Iterable[tuple[str | None, str | None, int]]) -> Series:
    counts: Counter[str] = Counter()
    for source, _month, n in by_source_month:
        counts[source or "(no source)"] += n
    return ranking("Claims per outlet", counts)


def _months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` ("YYYY-MM"), gaps included."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _is_month(value: str | None) -> bool:
    return bool(value) and len(value or "") == 7 and (value or "")[4] == "-" \
        and (value or "")[:4].isdigit() and (value or "")[5:].isdigit()


def claims_per_month(by_source_month: Iterable[tuple[str | None, str | None, int]]) -> Series:
    counts: Counter[str] = Counter()
    for _source, month, n in by_source_month:
        if month is not None and _is_month(month):
            counts[month] += n
    if not counts:
        return Series("Claims per month", [], [], note="no dated claims")
    months = _months(min(counts), max(counts))
    return Series("Claims per month", months, [counts.get(m, 0) for m in months])


def stance_by_category(by_category_stance: Iterable[tuple[str | None, int | None, int]],
                       labels: Mapping[str, str], scale: Sequence[int], *,
                       top: int = TOP) -> StackedSeries:
    """Claims per category split by stance (categories with most claims first)."""
    table: dict[str, Counter[int | None]] = defaultdict(Counter)
    for category, stance, n in by_category_stance:
        table[_label(category, labels, "(no category)")][stance] += n
    order = sorted(table, key=lambda k: (-sum(table[k].values()), k.casefold()))[:top]
    stacks = [f"{v:+d}" if v else "0" for v in scale] + ["no stance"]
    keys: list[int | None] = [*scale, None]
    values = [[float(table[name][k]) for k in keys] for name in order]
    note = f"top {top} of {len(table)} categories" if len(table) > top else ""
    return StackedSeries("Stance by category", order, stacks, values, note=note)


def mean_over_time(title: str, sums: Iterable[tuple[str | None, int, int]],
                   unit: str = "mean sentiment",
                   bounds: tuple[float, float] | None = None) -> Series:
    """The mean per month from (month, sum, count) rows; a month with no value is left
    out (no mean is invented for it), undated values too."""
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for month, value_sum, n in sums:
        if month is not None and _is_month(month) and n:
            total[month][0] += value_sum
            total[month][1] += n
    months = sorted(total)
    return Series(title, months, [round(total[m][0] / total[m][1], 3) for m in months],
                  unit=unit, bounds=bounds)


def coder_coverage(touched: Mapping[str, int], total_articles: int) -> StackedSeries:
    """Per coder: the articles they annotated, and those they have not yet."""
    coders = sorted(touched, key=str.casefold)
    values = [[float(touched[c]), float(max(total_articles - touched[c], 0))] for c in coders]
    note = f"of {total_articles} articles"
    return StackedSeries("Coder coverage", coders, ["annotated", "not yet"], values,
                         unit="articles", note=note)


__all__ = ["TOP", "Overview", "Series", "StackedSeries", "claims_per_actor",
           "claims_per_category", "claims_per_month", "claims_per_outlet", "coder_coverage",
           "mean_over_time", "ranking", "stance_by_category"]
