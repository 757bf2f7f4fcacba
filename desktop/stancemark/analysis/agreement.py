"""Inter-annotator agreement over every layer of a project: the figures behind issue 13.

A pure function, :func:`compute_agreement`, turns :class:`~stancemark.core.coding.CodingData`
into an :class:`AgreementReport` (plain dicts and lists, ready for JSON). What each
layer measures, and how:

* **mentions** (unit = a span naming an actor): αu over the text with the actor as
  the unit's category, span F1 exact and overlapping (same actor required), and
  nominal alpha on the actor of span-matched mentions;
* **claims** (unit = a claim's span): αu and span F1 on the spans; on matched
  claims, nominal alpha on category, claimant and target, ordinal and interval
  alpha on stance;
* **article_sentiment** (unit = article) and **actor_sentiment** (unit = article ×
  actor): ordinal and interval alpha on the value.

Matching, overlap rule and αu: see :mod:`stancemark.analysis.unitizing`.
Categories are compared by their key, nested or not: a claim coded
"security-military" by one coder and "security" by another disagrees.
Missing values: a claim without category, claimant or stance has a missing
value there; a claim without a target has the value "no target" (the target is
optional by design). A unit one coder did not mark has a missing value for
that coder; it is counted in ``units`` and never dropped, but (as in any alpha)
it is pairable only with two values or more.

``kappa``: per pair, Cohen's kappa on the units both coders valued; overall,
Fleiss' kappa on the units every coder valued (the units used are reported). Its
variable: the actor (mentions), the category (claims), the value (sentiments).

Overall F1 pools all pairs (2 × all matches / all spans). Pairs compare two
coders on the articles both coded, on the units formed over all compared
coders; overall αu uses the articles every coder coded; overall alphas use
everything (alpha handles missing data).

Intervals: a seeded percentile bootstrap over pairable units (``resamples``
draws) for every overall alpha, and for pair alphas when asked
(``pair_intervals``).

Breakdowns: per claim category, a category-specific nominal alpha (each value
recoded "is c" / "is not c") and the stance alpha of the units whose modal
category is c; per article, units and disagreeing units per layer and the mean
*disagreement share* of its units: for a unit, the share of pairs of the
article's coders who disagree on it (one has it and the other not, or their
values differ). The most disagreeing articles (with their own αu) and units are
listed.

The window's agreement view and adjudication can use :func:`compute_agreement`
as it is: every pair entry keeps its ``details`` (D_o, D_e, units, matches), and
``most_disagreed_units`` names article, span and each coder's values.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from stancemark.analysis.alpha import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    AlphaResult,
    Level,
    ReliabilityData,
    alpha,
    reliability_from_two,
    reliability_from_units,
)
from stancemark.analysis.kappa import cohen_kappa_codes, fleiss_kappa_codes
from stancemark.analysis.unitizing import Continuum, F1Result, Span, group_units
from stancemark.core.coding import CodingData

LAYERS = ("mentions", "claims", "article_sentiment", "actor_sentiment")

#: Measure keys of each layer, in output order.
MEASURES: dict[str, tuple[str, ...]] = {
    "mentions": ("alpha_u", "f1_exact", "f1_overlap", "alpha_nominal_actor", "kappa"),
    "claims": ("alpha_u", "f1_exact", "f1_overlap", "alpha_nominal_category",
               "alpha_nominal_claimant", "alpha_nominal_target", "alpha_ordinal_stance",
               "alpha_interval_stance", "kappa"),
    "article_sentiment": ("alpha_ordinal", "alpha_interval", "kappa"),
    "actor_sentiment": ("alpha_ordinal", "alpha_interval", "kappa"),
}

NO_TARGET = "(no target)"
TOP_ARTICLES = 10
TOP_UNITS = 20

LEGEND = (
    "alpha_u: Krippendorff's unitizing alpha (1995; 2004, sec. 12.4) over the text of the "
    "articles every compared coder coded; for mentions the actor is the unit's category.",
    "f1_exact: spans equal in start and end (and actor, for mentions); f1_overlap: spans "
    "sharing at least one character (and actor), one to one, largest overlap (Jaccard) first. "
    "Overall F1 pools all pairs.",
    "Matching (units for the attribute alphas): spans of different coders form one unit, "
    "greedily by largest overlap (Jaccard), at most one span per coder, all spans sharing a "
    "character; units are formed once over all compared coders and pairs are counted on "
    "them. A span no one else marked is a unit where the others have missing values (kept, "
    "not pairable).",
    "Pairs: the articles both coders coded. Overall alpha_u: the articles all coders coded.",
    "Missing: no category/claimant/stance is a missing value; no target is the value "
    "'(no target)'.",
    "kappa: Cohen's kappa per pair (units both valued), Fleiss' kappa overall (units all "
    "valued) on actor (mentions), category (claims) or value (sentiments).",
    "D_o / D_e: observed and expected disagreement; alpha = 1 - D_o/D_e; '-' = undefined "
    "(e.g. no variation).",
)


@dataclass(frozen=True, slots=True)
class AgreementOptions:
    """How to compute: bootstrap size and seed, intervals for pairs too or not."""

    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    pair_intervals: bool = False
    #: per category, per article and most-disagreed units (False: the overall and pair
    #: figures only, as the HTML report shows them)
    breakdowns: bool = True


@dataclass(slots=True)
class AgreementReport:
    """Everything :func:`compute_agreement` found; ``as_dict()`` is the JSON output."""

    annotators: list[str]
    articles: int
    layers: dict[str, dict[str, Any]]
    method: dict[str, Any]
    by_category: list[dict[str, Any]] = field(default_factory=list)
    by_article: list[dict[str, Any]] = field(default_factory=list)
    most_disagreed_articles: list[dict[str, Any]] = field(default_factory=list)
    most_disagreed_units: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"annotators": self.annotators, "articles": self.articles,
                "layers": self.layers, "method": self.method,
                "by_category": self.by_category, "by_article": self.by_article,
                "most_disagreed_articles": self.most_disagreed_articles,
                "most_disagreed_units": self.most_disagreed_units}


# -- units ---------------------------------------------------------------------------------

@dataclass(slots=True)
class AgreementUnit:
    """One unit of a layer as the coders coded it: what adjudication starts from.

    ``values`` maps each coder who has the unit to a tuple of the layer's
    variables (mentions: actor id; claims: category, claimant id, target id or
    :data:`NO_TARGET`, stance; sentiments: value). ``refs`` maps the coder to
    the annotation itself (a :class:`~stancemark.core.models.Mention` or
    :class:`~stancemark.core.models.Claim`; nothing for sentiments).
    """

    layer: str
    article: int
    key: Hashable
    values: dict[str, tuple[Any, ...]]
    start: int | None = None
    end: int | None = None
    text: str = ""
    refs: dict[str, Any] = field(default_factory=dict)


_Unit = AgreementUnit


def _mention_spans(data: CodingData) -> list[Span]:
    return [Span(m.annotator, m.article_id, m.start, m.end, m.actor_id, m)
            for m in data.mentions if m.article_id in data.articles]


def _claim_spans(data: CodingData) -> list[Span]:
    return [Span(c.annotator, c.article_id, c.start, c.end, None, c)
            for c in data.claims if c.article_id in data.articles]


def _span_units(layer: str, spans: Sequence[Span], value: Callable[[Any], tuple[Any, ...]],
                *, same_category: bool = False) -> list[_Unit]:
    units = []
    for g in group_units(spans, same_category=same_category):
        first = g[0]
        units.append(_Unit(layer, first.article, (first.article, first.start, first.end),
                           {s.coder: value(s.ref) for s in g}, first.start,
                           max(s.end for s in g), getattr(first.ref, "text", ""),
                           {s.coder: s.ref for s in g}))
    return units


def _mention_value(m: Any) -> tuple[Any, ...]:
    return (m.actor_id,)


def _claim_value(c: Any) -> tuple[Any, ...]:
    return (c.category, c.claimant_id, NO_TARGET if c.target_id is None else c.target_id,
            c.stance)


def _sentiment_units(data: CodingData) -> tuple[list[_Unit], list[_Unit]]:
    art: dict[Hashable, _Unit] = {}
    act: dict[Hashable, _Unit] = {}
    for s in data.sentiments:
        if s.article_id not in data.articles:
            continue
        if s.actor_id is None:
            u = art.setdefault(s.article_id, _Unit("article_sentiment", s.article_id,
                                                   s.article_id, {}))
        else:
            key = (s.article_id, s.actor_id)
            u = act.setdefault(key, _Unit("actor_sentiment", s.article_id, key, {},
                                          text=data.actor_names.get(s.actor_id, "")))
        u.values[s.annotator] = (s.value,)
    return list(art.values()), list(act.values())


def agreement_units(data: CodingData) -> dict[str, list[AgreementUnit]]:
    """Every layer's units, matched as the report matches them (see the module docstring).

    For the window's agreement view and for adjudication: each unit says who
    coded what, so disagreements can be shown and resolved one by one.
    """
    units = {"mentions": _span_units("mentions", _mention_spans(data), _mention_value),
             "claims": _span_units("claims", _claim_spans(data), _claim_value)}
    units["article_sentiment"], units["actor_sentiment"] = _sentiment_units(data)
    return units


# -- units as tables -----------------------------------------------------------------------

@dataclass(slots=True)
class _Table:
    """A layer's units as tables: for each variable, coders × units value codes."""

    units: list[_Unit]
    article_index: list[int]  # per unit: index into the report's sorted article ids
    present: list[list[bool]]  # coders × units: the coder has this unit (a span or a value)
    codes: list[list[list[int]]]  # per variable: coders × units, index into domains[k], -1 missing
    domains: list[tuple[Any, ...]]


def _table(units: list[_Unit], coders: Sequence[str], article_ids: Sequence[int],
           n_vars: int) -> _Table:
    m, n = len(coders), len(units)
    pos = {c: i for i, c in enumerate(coders)}
    present = [[False] * n for _ in range(m)]
    raw: list[list[Any]] = [[] for _ in range(n_vars)]
    where: list[tuple[int, int]] = []
    for j, u in enumerate(units):
        for c, vals in u.values.items():
            i = pos.get(c)
            if i is None:
                continue
            present[i][j] = True
            where.append((i, j))
            for k in range(n_vars):
                raw[k].append(vals[k])
    codes, domains = [], []
    for k in range(n_vars):
        seen = {v for v in raw[k] if v is not None}
        numeric = all(isinstance(v, int) and not isinstance(v, bool) for v in seen)
        domain = tuple(sorted(seen) if numeric else sorted(seen, key=repr))
        index = {v: i for i, v in enumerate(domain)}
        table = [[-1] * n for _ in range(m)]
        for (i, j), v in zip(where, raw[k], strict=True):
            if v is not None:
                table[i][j] = index[v]
        codes.append(table)
        domains.append(domain)
    art_pos = {a: i for i, a in enumerate(article_ids)}
    return _Table(units, [art_pos[u.article] for u in units], present, codes, domains)


def _columns(table: _Table, var: int, rows: Sequence[int],
             cols: Sequence[int] | None) -> Iterable[tuple[int, ...]]:
    """The value codes of ``rows`` (coders) per unit, for the units ``cols`` (default: all)."""
    picked = [table.codes[var][r] for r in rows]
    if cols is None:
        return zip(*picked, strict=True)
    return (tuple(row[j] for row in picked) for j in cols)


def _reliability(table: _Table, var: int, rows: Sequence[int],
                 cols: Sequence[int] | None) -> ReliabilityData:
    if len(rows) == 2 and cols is not None:
        a, b = (table.codes[var][r] for r in rows)
        return reliability_from_two(map(a.__getitem__, cols), map(b.__getitem__, cols),
                                    table.domains[var])
    valued = ([v for v in unit if v >= 0] for unit in _columns(table, var, rows, cols))
    return reliability_from_units(valued, table.domains[var])


def _alpha_codes(table: _Table, var: int, rows: Sequence[int], cols: Sequence[int] | None,
                 level: Level, resamples: int, seed: int) -> AlphaResult:
    data = _reliability(table, var, rows, cols)
    return alpha(data, level, resamples=resamples, seed=seed)


_ATTRIBUTES: dict[str, tuple[tuple[str, int, Level], ...]] = {
    "mentions": (("alpha_nominal_actor", 0, "nominal"),),
    "claims": (("alpha_nominal_category", 0, "nominal"), ("alpha_nominal_claimant", 1, "nominal"),
               ("alpha_nominal_target", 2, "nominal"), ("alpha_ordinal_stance", 3, "ordinal"),
               ("alpha_interval_stance", 3, "interval")),
    "article_sentiment": (("alpha_ordinal", 0, "ordinal"), ("alpha_interval", 0, "interval")),
    "actor_sentiment": (("alpha_ordinal", 0, "ordinal"), ("alpha_interval", 0, "interval")),
}
_N_VARS = {"mentions": 1, "claims": 4, "article_sentiment": 1, "actor_sentiment": 1}


def _measure_block(layer: str, table: _Table, rows: Sequence[int], cols: Sequence[int] | None,
                   resamples: int, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Values and details of the attribute alphas and kappa of one layer for some coders."""
    values: dict[str, Any] = {}
    details: dict[str, Any] = {}
    built: dict[int, ReliabilityData] = {}  # stance and sentiments serve two levels
    for key, var, level in _ATTRIBUTES[layer]:
        data = built.get(var)
        if data is None:
            data = built[var] = _reliability(table, var, rows, cols)
        r = alpha(data, level, resamples=resamples, seed=seed)
        values[key] = r.alpha
        details[key] = r.as_dict()
    if cols is None:
        sub = [table.codes[0][r] for r in rows]
    else:
        sub = [[table.codes[0][r][j] for j in cols] for r in rows]
    k = cohen_kappa_codes(sub[0], sub[1]) if len(rows) == 2 else fleiss_kappa_codes(sub)
    values["kappa"] = k.kappa
    details["kappa"] = {**k.as_dict(), "statistic": "cohen" if len(rows) == 2 else "fleiss"}
    return values, details


# -- the report -------------------------------------------------------------------------------

def compute_agreement(data: CodingData, options: AgreementOptions | None = None,
                      progress: Callable[[int, int, str], None] | None = None) -> AgreementReport:
    """Agreement of ``data.annotators`` on every layer, overall and per pair."""
    opts = options or AgreementOptions()
    coders = list(data.annotators)
    m = len(coders)
    pairs = list(combinations(range(m), 2))
    total_steps = len(pairs) + 2
    step = 0

    def tick(message: str) -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total_steps, message)

    article_ids = sorted(data.articles)
    lengths = {a: art.length for a, art in data.articles.items()}
    coded = [[c in data.coded.get(a, ()) for a in article_ids] for c in coders]
    spans = {"mentions": _mention_spans(data), "claims": _claim_spans(data)}
    units: dict[str, list[_Unit]] = {
        "mentions": _span_units("mentions", spans["mentions"], _mention_value),
        "claims": _span_units("claims", spans["claims"], _claim_value),
    }
    units["article_sentiment"], units["actor_sentiment"] = _sentiment_units(data)
    # agreement_units(data) gives the same units; built here from the spans kept for αu
    tables = {name: _table(units[name], coders, article_ids, _N_VARS[name]) for name in LAYERS}
    # F1 overlap counts units of the same category (actor) for mentions; claims have none
    f1_tables = {"claims": tables["claims"],
                 "mentions": _table(_span_units("mentions", spans["mentions"], _mention_value,
                                                same_category=True),
                                    coders, article_ids, 1)}
    continua = {name: Continuum(spans[name], lengths) for name in ("mentions", "claims")}
    exact_keys: dict[str, list[Counter[tuple[int, int, int, Hashable]]]] = {}
    for name in ("mentions", "claims"):
        per = [Counter[tuple[int, int, int, Hashable]]() for _ in coders]
        pos = {c: i for i, c in enumerate(coders)}
        for s in spans[name]:
            if s.coder in pos:
                per[pos[s.coder]][(s.article, s.start, s.end, s.category)] += 1
        exact_keys[name] = per

    layers: dict[str, dict[str, Any]] = {
        name: {"units": len(units[name]), "overall": {}, "pairs": [], "details": {}}
        for name in LAYERS}
    everyone = list(range(m))
    for name in LAYERS:
        values, details = _measure_block(name, tables[name], everyone, None, opts.resamples,
                                         opts.seed)
        layers[name]["overall"].update(values)
        layers[name]["details"].update(details)
    complete = [a for a, *by in zip(article_ids, *coded, strict=True) if all(by)]
    for name in ("mentions", "claims"):
        r = continua[name].alpha(coders, complete)
        layers[name]["overall"]["alpha_u"] = r.alpha
        layers[name]["details"]["alpha_u"] = {
            **r.as_dict(), "articles_left_out": len(article_ids) - len(complete)}
    tick("overall")

    pair_resamples = opts.resamples if opts.pair_intervals else 0
    f1_sums = {"mentions": [0, 0, 0], "claims": [0, 0, 0]}
    for a, b in pairs:
        both_articles = [x and y for x, y in zip(coded[a], coded[b], strict=True)]
        both_ids = [art for art, ok in zip(article_ids, both_articles, strict=True) if ok]
        both_set = set(both_ids)
        for name in LAYERS:
            table = tables[name]
            cols = [j for j, (art, in_a, in_b) in enumerate(zip(
                        table.article_index, table.present[a], table.present[b], strict=True))
                    if (in_a or in_b) and both_articles[art]]
            values, details = _measure_block(name, table, (a, b), cols, pair_resamples,
                                             opts.seed)
            entry: dict[str, Any] = {"a": coders[a], "b": coders[b],
                                     "articles": len(both_ids), "units": len(cols)}
            if name in ("mentions", "claims"):
                au = continua[name].alpha((coders[a], coders[b]), both_ids)
                f1t = f1_tables[name]
                n_a = n_b = overlap = 0
                for art, in_a, in_b in zip(f1t.article_index, f1t.present[a], f1t.present[b],
                                           strict=True):
                    if (in_a or in_b) and both_articles[art]:
                        n_a += in_a
                        n_b += in_b
                        overlap += in_a and in_b
                ka, kb = exact_keys[name][a], exact_keys[name][b]
                small, large = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
                exact = sum(min(n, large.get(key, 0)) for key, n in small.items()
                            if key[0] in both_set)
                f1 = F1Result(n_a, n_b, exact, overlap)
                sums = f1_sums[name]
                sums[0] += exact
                sums[1] += overlap
                sums[2] += n_a + n_b
                entry.update({"alpha_u": au.alpha, "f1_exact": f1.f1_exact,
                              "f1_overlap": f1.f1_overlap})
                details = {"alpha_u": au.as_dict(),
                           "f1": {"a_spans": n_a, "b_spans": n_b, "exact_matches": exact,
                                  "overlap_matches": overlap}, **details}
            entry.update(values)
            entry["details"] = details
            layers[name]["pairs"].append(entry)
        tick(f"{coders[a]} / {coders[b]}")

    for name in LAYERS:
        overall = layers[name]["overall"]
        if name in f1_sums:
            exact, overlap, total = f1_sums[name]
            overall["f1_exact"] = 2.0 * exact / total if total else None
            overall["f1_overlap"] = 2.0 * overlap / total if total else None
        layers[name]["overall"] = {k: overall.get(k) for k in MEASURES[name]}

    report = AgreementReport(
        coders, len(data.articles), layers,
        {"articles_shared": sum(1 for by in zip(*coded, strict=True) if sum(by) >= 2),
         "articles_coded_by_all": len(complete),
         "bootstrap": {"resamples": opts.resamples, "seed": opts.seed,
                       "interval": "95% percentile, pairable units resampled with replacement",
                       "pairs": opts.pair_intervals},
         "legend": list(LEGEND)})
    if not opts.breakdowns:
        tick("breakdowns")
        return report
    report.by_category = _by_category(tables["claims"], opts)
    shares = {name: _disagreement_shares(tables[name], coded) for name in LAYERS}
    report.by_article, report.most_disagreed_articles = _by_article(
        data, article_ids, tables, shares, coded, continua)
    report.most_disagreed_units = _most_disagreed_units(data, tables, shares, coded)
    tick("breakdowns")
    return report


# -- breakdowns -------------------------------------------------------------------------------

def _by_category(table: _Table, opts: AgreementOptions) -> list[dict[str, Any]]:
    """Per category: category-specific nominal alpha (is c / is not c) and stance alpha."""
    domain = table.domains[0]
    m, n = len(table.codes[0]), len(table.units)
    out: list[dict[str, Any]] = []
    if n == 0 or not domain:
        return out
    rows = list(range(m))
    valued = [[v for v in unit if v >= 0] for unit in _columns(table, 0, rows, None)]
    counts = [Counter(vals) for vals in valued]
    # the modal category; ties go to the first in domain order
    modal = [min((-n, k) for k, n in c.items())[1] if c else -1 for c in counts]
    for k, key in enumerate(domain):
        binary = reliability_from_units([[int(v == k) for v in vals] for vals in valued],
                                        (False, True))
        own = [j for j, mk in enumerate(modal) if mk == k]
        stance = _alpha_codes(table, 3, rows, own, "ordinal", 0, opts.seed)
        out.append({"category": key, "units": sum(1 for c in counts if c[k] > 0),
                    "alpha_nominal_is_category": alpha(binary, "nominal").alpha,
                    "units_modal": len(own), "alpha_ordinal_stance": stance.alpha})
    return out


def _disagreement_shares(table: _Table, coded: Sequence[Sequence[bool]]) -> list[float]:
    """Per unit: the share of pairs of the article's coders who disagree on it.

    A coder who coded the article but has not this unit disagrees with one who
    has it; two coders who both lack it agree.
    """
    m, n = len(table.present), len(table.units)
    shares = [0.0] * n
    if n == 0:
        return shares
    codes = table.codes
    for j, art in enumerate(table.article_index):
        seen: Counter[object] = Counter()
        for i in range(m):
            if coded[i][art]:
                seen[tuple(var[i][j] for var in codes) if table.present[i][j] else None] += 1
        k = sum(seen.values())
        total = k * (k - 1) / 2.0
        if total > 0:
            agree = sum(c * (c - 1) / 2.0 for c in seen.values())
            shares[j] = 1.0 - agree / total
    return shares


def _by_article(data: CodingData, article_ids: Sequence[int], tables: Mapping[str, _Table],
                shares: Mapping[str, list[float]], coded: Sequence[Sequence[bool]],
                continua: Mapping[str, Continuum]
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    n_art = len(article_ids)
    total = [0.0] * n_art
    count = [0] * n_art
    per: dict[str, tuple[list[int], list[int]]] = {}
    for name in LAYERS:
        units, disagreeing, summed = [0] * n_art, [0] * n_art, [0.0] * n_art
        for art, share in zip(tables[name].article_index, shares[name], strict=True):
            units[art] += 1
            disagreeing[art] += share > 0
            summed[art] += share
        for j in range(n_art):  # summed layer by layer, so equal shares stay equal
            total[j] += summed[j]
            count[j] += units[j]
        per[name] = (units, disagreeing)
    rows = []
    for j, art_id in enumerate(article_ids):
        row: dict[str, Any] = {"article": art_id, "title": data.articles[art_id].title,
                               "coders": sum(1 for by in coded if by[j])}
        for name in LAYERS:
            row[f"{name}_units"] = per[name][0][j]
            row[f"{name}_disagreeing"] = per[name][1][j]
        row["disagreement"] = total[j] / count[j] if count[j] > 0 else 0.0
        rows.append(row)
    ranked = sorted((r for r in rows if r["coders"] >= 2 and r["disagreement"] > 0),
                    key=lambda r: (-r["disagreement"], r["article"]))
    top = []
    for r in ranked[:TOP_ARTICLES]:
        here = [c for c in data.annotators if c in data.coded.get(r["article"], ())]
        entry = {"article": r["article"], "title": r["title"], "disagreement": r["disagreement"]}
        for name in ("claims", "mentions"):
            entry[f"{name}_alpha_u"] = continua[name].alpha(here, [r["article"]]).alpha
        top.append(entry)
    return rows, top


def _show(value: Any, data: CodingData, index: int, layer: str) -> Any:
    if layer == "mentions" or (layer == "claims" and index in (1, 2)):
        return data.actor_names.get(value, value) if isinstance(value, int) else value
    return value


_FIELDS = {"mentions": ("actor",), "claims": ("category", "claimant", "target", "stance"),
           "article_sentiment": ("value",), "actor_sentiment": ("value",)}


def _most_disagreed_units(data: CodingData, tables: Mapping[str, _Table],
                          shares: Mapping[str, list[float]],
                          coded: Sequence[Sequence[bool]]) -> list[dict[str, Any]]:
    scored: list[tuple[float, int, str, int]] = []
    for name in LAYERS:
        sh = shares[name]
        top = heapq.nlargest(TOP_UNITS, range(len(sh)), key=sh.__getitem__)  # stable on ties
        scored.extend((sh[j], tables[name].units[j].article, name, j) for j in top if sh[j] > 0)
    scored.sort(key=lambda t: (-t[0], t[1], LAYERS.index(t[2]), t[3]))
    out = []
    for d, _art, name, j in scored[:TOP_UNITS]:
        u = tables[name].units[j]
        fields = _FIELDS[name]
        values = {c: ({f: _show(v, data, i, name)
                       for i, (f, v) in enumerate(zip(fields, val, strict=True))}
                      if (val := u.values.get(c)) is not None else None)
                  for c in data.annotators if c in data.coded.get(u.article, ())}
        out.append({"layer": name, "article": u.article, "start": u.start, "end": u.end,
                    "text": u.text, "disagreement": d, "values": values})
    return out
