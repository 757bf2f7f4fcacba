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
Missing values: a claim without category, claimant or stance has a missing
value there; a claim without a target has the value "no target" (the target is
optional by design). A unit one coder did not mark has a missing value for
that coder; it is counted in ``units`` and never dropped, but (as in any alpha)
it is pairable only with two values or more.

``kappa``: per pair, Cohen's kappa on the units both coders valued; overall,
Fleiss' kappa on the units every coder valued (the units used are reported). Its
variable: the actor (mentions), the category (claims), the value (sentiments).

Overall F1 pools all pairs (2 × all matches / all spans). Pairs compare two
coders on the articles both coded; overall αu uses the articles every coder
coded; overall alphas use everything (alpha handles missing data).

Intervals: a seeded percentile bootstrap over units (``resamples`` draws) for every
overall alpha, and for pair alphas when asked (``pair_intervals``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from stancemark.analysis.alpha import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    AlphaResult,
    Level,
    alpha,
    reliability_data,
)
from stancemark.analysis.kappa import KappaResult, cohen_kappa, fleiss_kappa
from stancemark.analysis.unitizing import Span, group_units, span_f1, unitizing_alpha
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
    "Matching for attribute alphas: spans of different coders form one unit, greedily by "
    "largest overlap, at most one span per coder, all spans sharing a character; a span "
    "no one else marked is a unit where the others have missing values (not pairable).",
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
class _Unit:
    """One unit of a layer: coder → value (a tuple of the unit's variables)."""

    layer: str
    article: int
    key: Hashable
    values: dict[str, tuple[Any, ...]]
    start: int | None = None
    end: int | None = None
    text: str = ""


def _mention_spans(data: CodingData) -> list[Span]:
    return [Span(m.annotator, m.article_id, m.start, m.end, m.actor_id, m)
            for m in data.mentions if m.article_id in data.articles]


def _claim_spans(data: CodingData) -> list[Span]:
    return [Span(c.annotator, c.article_id, c.start, c.end, None, c)
            for c in data.claims if c.article_id in data.articles]


def _span_units(layer: str, spans: Sequence[Span],
                value: Callable[[Any], tuple[Any, ...]]) -> list[_Unit]:
    units = []
    for g in group_units(spans):
        first = min(g, key=lambda s: (s.start, s.end))
        units.append(_Unit(layer, g[0].article, (g[0].article, first.start, first.end),
                           {s.coder: value(s.ref) for s in g}, min(s.start for s in g),
                           max(s.end for s in g), getattr(first.ref, "text", "")))
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


# -- measures over units --------------------------------------------------------------------

def _alpha_over(units: Iterable[_Unit], coders: Sequence[str], index: int, level: Level,
                resamples: int, seed: int) -> AlphaResult:
    keys: list[int] = []
    vals: list[Any] = []
    for k, u in enumerate(units):
        for c in coders:
            v = u.values.get(c)
            if v is not None and v[index] is not None:
                keys.append(k)
                vals.append(v[index])
    return alpha(reliability_data(keys, vals, level), level, resamples=resamples, seed=seed)


def _kappa_over(units: Sequence[_Unit], coders: Sequence[str], index: int) -> KappaResult:
    if len(coders) == 2:
        a, b = coders
        pairs = [(u.values[a][index], u.values[b][index]) for u in units
                 if a in u.values and b in u.values
                 and u.values[a][index] is not None and u.values[b][index] is not None]
        return cohen_kappa(pairs)
    rated = [{c: v[index] for c, v in u.values.items() if c in coders and v[index] is not None}
             for u in units]
    return fleiss_kappa(rated, coders)


_ATTRIBUTES: dict[str, tuple[tuple[str, int, Level], ...]] = {
    "mentions": (("alpha_nominal_actor", 0, "nominal"),),
    "claims": (("alpha_nominal_category", 0, "nominal"), ("alpha_nominal_claimant", 1, "nominal"),
               ("alpha_nominal_target", 2, "nominal"), ("alpha_ordinal_stance", 3, "ordinal"),
               ("alpha_interval_stance", 3, "interval")),
    "article_sentiment": (("alpha_ordinal", 0, "ordinal"), ("alpha_interval", 0, "interval")),
    "actor_sentiment": (("alpha_ordinal", 0, "ordinal"), ("alpha_interval", 0, "interval")),
}
_KAPPA_INDEX = {"mentions": 0, "claims": 0, "article_sentiment": 0, "actor_sentiment": 0}


def _measure_block(layer: str, units: Sequence[_Unit], coders: Sequence[str],
                   resamples: int, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Values and details of the attribute alphas and kappa of one layer for ``coders``."""
    values: dict[str, Any] = {}
    details: dict[str, Any] = {}
    for key, index, level in _ATTRIBUTES[layer]:
        r = _alpha_over(units, coders, index, level, resamples, seed)
        values[key] = r.alpha
        details[key] = r.as_dict()
    k = _kappa_over(units, coders, _KAPPA_INDEX[layer])
    values["kappa"] = k.kappa
    details["kappa"] = {**k.as_dict(), "statistic": "cohen" if len(coders) == 2 else "fleiss"}
    return values, details


def _coded_by_all(data: CodingData, coders: Sequence[str]) -> dict[int, int]:
    return {a: art.length for a, art in data.articles.items()
            if all(c in data.coded.get(a, ()) for c in coders)}


def _unitizing_block(spans: Sequence[Span], coders: Sequence[str],
                     lengths: Mapping[int, int]) -> tuple[float | None, dict[str, Any]]:
    r = unitizing_alpha(spans, coders, lengths)
    return r.alpha, r.as_dict()


# -- the report -------------------------------------------------------------------------------

def compute_agreement(data: CodingData, options: AgreementOptions | None = None,
                      progress: Callable[[int, int, str], None] | None = None) -> AgreementReport:
    """Agreement of ``data.annotators`` on every layer, overall and per pair."""
    opts = options or AgreementOptions()
    coders = list(data.annotators)
    pairs = list(combinations(coders, 2))
    total_steps = len(pairs) + 2
    step = 0

    def tick(message: str) -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total_steps, message)

    mention_spans = _mention_spans(data)
    claim_spans = _claim_spans(data)
    by_coder: dict[str, dict[str, list[Span]]] = {"mentions": defaultdict(list),
                                                  "claims": defaultdict(list)}
    for s in mention_spans:
        by_coder["mentions"][s.coder].append(s)
    for s in claim_spans:
        by_coder["claims"][s.coder].append(s)
    units: dict[str, list[_Unit]] = {
        "mentions": _span_units("mentions", mention_spans, _mention_value),
        "claims": _span_units("claims", claim_spans, _claim_value),
    }
    units["article_sentiment"], units["actor_sentiment"] = _sentiment_units(data)
    layers: dict[str, dict[str, Any]] = {
        name: {"units": len(units[name]), "overall": {}, "pairs": [], "details": {}}
        for name in LAYERS}

    # overall
    complete = _coded_by_all(data, coders)
    for name in LAYERS:
        values, details = _measure_block(name, units[name], coders, opts.resamples, opts.seed)
        layers[name]["overall"].update(values)
        layers[name]["details"].update(details)
    tick("overall")

    pair_f1: dict[str, list[tuple[int, int, int]]] = {"mentions": [], "claims": []}
    for a, b in pairs:
        both = {art for art, who in data.coded.items() if a in who and b in who}
        lengths = {art: data.articles[art].length for art in both}
        pair_resamples = opts.resamples if opts.pair_intervals else 0
        for name, spans_of in by_coder.items():
            sa = [s for s in spans_of.get(a, ()) if s.article in both]
            sb = [s for s in spans_of.get(b, ()) if s.article in both]
            f1 = span_f1(sa, sb)
            pair_f1[name].append((f1.exact_matches, f1.overlap_matches, f1.a_spans + f1.b_spans))
            au, au_detail = _unitizing_block([*sa, *sb], (a, b), lengths)
            pair_units = _span_units(name, [*sa, *sb],
                                     _mention_value if name == "mentions" else _claim_value)
            values, details = _measure_block(name, pair_units, (a, b), pair_resamples,
                                             opts.seed)
            entry = {"a": a, "b": b, "articles": len(both), "units": len(pair_units),
                     "alpha_u": au, "f1_exact": f1.f1_exact, "f1_overlap": f1.f1_overlap,
                     **values,
                     "details": {"alpha_u": au_detail,
                                 "f1": {"a_spans": f1.a_spans, "b_spans": f1.b_spans,
                                        "exact_matches": f1.exact_matches,
                                        "overlap_matches": f1.overlap_matches},
                                 **details}}
            layers[name]["pairs"].append(entry)
        for name in ("article_sentiment", "actor_sentiment"):
            values, details = _measure_block(name, units[name], (a, b), pair_resamples,
                                             opts.seed)
            shared = sum(1 for u in units[name] if a in u.values and b in u.values)
            layers[name]["pairs"].append({"a": a, "b": b, "units": shared, **values,
                                          "details": details})
        tick(f"{a} / {b}")

    for name in ("mentions", "claims"):
        au, au_detail = _unitizing_block(
            mention_spans if name == "mentions" else claim_spans, coders, complete)
        exact = sum(x[0] for x in pair_f1[name])
        overlap = sum(x[1] for x in pair_f1[name])
        spans = sum(x[2] for x in pair_f1[name])
        overall = layers[name]["overall"]
        overall["alpha_u"] = au
        overall["f1_exact"] = 2.0 * exact / spans if spans else None
        overall["f1_overlap"] = 2.0 * overlap / spans if spans else None
        layers[name]["details"]["alpha_u"] = {
            **au_detail, "articles_left_out": len(data.articles) - len(complete)}
        layers[name]["overall"] = {k: overall.get(k) for k in MEASURES[name]}
    for name in ("article_sentiment", "actor_sentiment"):
        layers[name]["overall"] = {k: layers[name]["overall"].get(k) for k in MEASURES[name]}

    report = AgreementReport(
        coders, len(data.articles), layers,
        {"bootstrap": {"resamples": opts.resamples, "seed": opts.seed,
                       "interval": "95% percentile, units resampled with replacement",
                       "pairs": opts.pair_intervals},
         "legend": list(LEGEND)})
    report.by_category = _by_category(units["claims"], coders, opts)
    report.by_article, report.most_disagreed_articles = _by_article(data, units, coders,
                                                                    mention_spans, claim_spans)
    report.most_disagreed_units = _most_disagreed_units(data, units)
    tick("breakdowns")
    return report


# -- breakdowns -------------------------------------------------------------------------------

def _by_category(claims: Sequence[_Unit], coders: Sequence[str],
                 opts: AgreementOptions) -> list[dict[str, Any]]:
    """Per category: category-specific nominal alpha (is c / is not c) and stance alphas."""
    categories = sorted({v[0] for u in claims for v in u.values.values() if v[0] is not None})
    out = []
    for cat in categories:
        keys, vals = [], []
        for k, u in enumerate(claims):
            for c in coders:
                v = u.values.get(c)
                if v is not None and v[0] is not None:
                    keys.append(k)
                    vals.append(v[0] == cat)
        binary = alpha(reliability_data(keys, vals, "nominal"), "nominal")
        own = [u for u in claims if _modal(v[0] for v in u.values.values()) == cat]
        stance = _alpha_over(own, coders, 3, "ordinal", 0, opts.seed)
        out.append({"category": cat,
                    "units": sum(1 for u in claims if any(v[0] == cat
                                                          for v in u.values.values())),
                    "alpha_nominal_is_category": binary.alpha,
                    "units_modal": len(own), "alpha_ordinal_stance": stance.alpha})
    return out


def _modal(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    best = max(counts.values())
    return sorted((v for v, n in counts.items() if n == best), key=repr)[0]


def _disagreement(unit: _Unit, coders_here: Sequence[str]) -> float:
    """Share of pairs of the article's coders who disagree on this unit (absent counts)."""
    k = len(coders_here)
    if k < 2:
        return 0.0
    sig = Counter(unit.values.get(c) for c in coders_here)
    agree = sum(n * (n - 1) // 2 for n in sig.values())
    return 1.0 - agree / (k * (k - 1) // 2)


def _by_article(data: CodingData, units: Mapping[str, Sequence[_Unit]], coders: Sequence[str],
                mention_spans: Sequence[Span], claim_spans: Sequence[Span]
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    per: dict[int, dict[str, list[_Unit]]] = defaultdict(lambda: defaultdict(list))
    for name, us in units.items():
        for u in us:
            per[u.article][name].append(u)
    spans: dict[int, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for s in mention_spans:
        spans[s.article]["mentions"].append(s)
    for s in claim_spans:
        spans[s.article]["claims"].append(s)
    rows = []
    for art_id, art in data.articles.items():
        here = [c for c in coders if c in data.coded.get(art_id, ())]
        row: dict[str, Any] = {"article": art_id, "title": art.title, "coders": len(here)}
        scores: list[float] = []
        for name in LAYERS:
            us = per[art_id][name]
            dis = [_disagreement(u, here) for u in us]
            scores.extend(dis)
            row[f"{name}_units"] = len(us)
            row[f"{name}_disagreeing"] = sum(1 for d in dis if d > 0)
        for name in ("mentions", "claims"):
            row[f"{name}_alpha_u"] = (unitizing_alpha(spans[art_id][name], here,
                                                      {art_id: art.length}).alpha
                                      if len(here) >= 2 else None)
        row["disagreement"] = sum(scores) / len(scores) if scores else 0.0
        rows.append(row)
    ranked = sorted((r for r in rows if r["coders"] >= 2 and r["disagreement"] > 0),
                    key=lambda r: (-r["disagreement"], r["article"]))
    top = [{"article": r["article"], "title": r["title"], "disagreement": r["disagreement"],
            "claims_alpha_u": r["claims_alpha_u"], "mentions_alpha_u": r["mentions_alpha_u"]}
           for r in ranked[:TOP_ARTICLES]]
    return rows, top


def _show(value: Any, data: CodingData, index: int, layer: str) -> Any:
    if layer == "mentions" or (layer == "claims" and index in (1, 2)):
        return data.actor_names.get(value, value) if isinstance(value, int) else value
    return value


def _most_disagreed_units(data: CodingData,
                          units: Mapping[str, Sequence[_Unit]]) -> list[dict[str, Any]]:
    scored = []
    for name, us in units.items():
        for u in us:
            here = [c for c in data.annotators if c in data.coded.get(u.article, ())]
            d = _disagreement(u, here)
            if d > 0:
                scored.append((d, name, u))
    scored.sort(key=lambda t: (-t[0], t[2].article, t[1], t[2].start or 0))
    out = []
    for d, name, u in scored[:TOP_UNITS]:
        fields = {"mentions": ("actor",), "claims": ("category", "claimant", "target", "stance"),
                  "article_sentiment": ("value",), "actor_sentiment": ("value",)}[name]
        coded = {c: ({f: _show(v, data, i, name) for i, (f, v) in enumerate(zip(fields, val,
                                                                                 strict=True))}
                     if (val := u.values.get(c)) is not None else None)
                 for c in data.annotators if c in data.coded.get(u.article, ())}
        out.append({"layer": name, "article": u.article, "start": u.start, "end": u.end,
                    "text": u.text, "disagreement": d, "values": coded})
    return out
