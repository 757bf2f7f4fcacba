"""The study's charts and one self-contained HTML report.

``project_charts`` reads the project once and returns every chart as numbers
(``analysis.statistics``); ``render_report`` lays them out as one HTML file with
the charts inline as SVG (no script, no network, no fonts to fetch), the corpus
overview, the networks' key figures, and the agreement summary when several
coders annotated. ``write_report`` and ``write_charts`` write atomically and
refuse an existing output unless ``force``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from stancemark import APP_NAME, __version__
from stancemark.analysis import statistics as st
from stancemark.analysis.statistics import Series, StackedSeries
from stancemark.core.categories import CategoryTree
from stancemark.core.errors import StancemarkError, ValidationError
from stancemark.core.filters import StudyFilter
from stancemark.exchange.svg_charts import bar_chart, line_chart, stacked_bars
from stancemark.services.export_target import write_text_output
from stancemark.store import Store
from stancemark.store import statistics as srows

Chart = Series | StackedSeries


@dataclass
class StudyCharts:
    """Every chart of a project, by file-name key, in report order; plus the overview."""

    overview: st.Overview
    charts: dict[str, Chart] = field(default_factory=dict)
    networks: list[tuple[str, list[tuple[str, str, float]]]] = field(default_factory=list)
    agreement: list[tuple[str, str, float | None]] = field(default_factory=list)
    study_filter: StudyFilter | None = None  # what the charts were restricted to


def expand_filter(store: Store, f: StudyFilter | None,
                  tree: CategoryTree | None = None) -> StudyFilter | None:
    """``f`` with its categories' sub-categories added (what the counts need)."""
    if f is None or f.empty:
        return None
    if f.categories is None:
        return f
    tree = tree or CategoryTree(store.codebook.load())
    return replace(f, categories=tuple(sorted(tree.subtree(f.categories))))


def project_charts(store: Store, *, with_networks: bool = True,
                   with_agreement: bool = True,
                   study_filter: StudyFilter | None = None) -> StudyCharts:
    """Read the project's counts (aggregated by the store) and make every chart of them.

    ``study_filter`` restricts every chart (and the network figures) to the claims
    and ratings it keeps; the overview always describes the whole project.
    """
    book = store.codebook.load()
    tree = CategoryTree(book)
    f = expand_filter(store, study_filter, tree)
    labels = {c.key: tree.path(c.key) for c in book.categories}
    names = srows.actor_names(store)
    by_category_stance = srows.claims_by_category_and_stance(store, f)
    by_source_month = srows.claims_by_source_and_month(store, f)
    counts = store.counts()
    first, last = srows.date_range(store)
    overview = st.Overview(
        articles=counts["articles"], by_status=srows.status_counts(store),
        annotators=counts["annotators"], actors=counts["actors"],
        mentions=counts["mentions"], claims=counts["claims"],
        sentiments=counts["article_sentiments"] + counts["actor_sentiments"],
        first_date=first[:10] if first else None, last_date=last[:10] if last else None)
    out = StudyCharts(overview, study_filter=study_filter if f is not None else None)
    c = out.charts
    c["claims-per-actor"] = st.claims_per_actor(srows.claims_by_claimant(store, f), names)
    c["claims-per-category"] = st.claims_per_category(by_category_stance, labels)
    c["claims-per-outlet"] = st.claims_per_outlet(by_source_month)
    c["claims-per-month"] = st.claims_per_month(by_source_month)
    scale = [p.value for p in book.scale]
    c["stance-by-category"] = st.stance_by_category(by_category_stance, labels, scale)
    bounds = (float(min(scale)), float(max(scale))) if scale else None
    article_note = ""
    if f is not None and (f.categories is not None or f.actor_types is not None):
        article_note = "category and actor-type filters do not apply to article ratings"
    c["article-sentiment-over-time"] = replace(st.mean_over_time(
        "Article sentiment over time", srows.article_sentiment_by_month(store, f),
        bounds=bounds), note=article_note)
    for actor, name, _n in srows.most_rated_actors(store, 3, f):
        c[f"sentiment-towards-{_slug(name)}"] = st.mean_over_time(
            f"Sentiment towards {name} over time",
            srows.actor_sentiment_by_month(store, actor, f), bounds=bounds)
    annotated = srows.articles_annotated(store, f)
    total = counts["articles"] if f is None or not f.restricts_articles \
        else srows.articles_in(store, f)
    c["coder-coverage"] = st.coder_coverage(annotated, total)
    if with_networks and counts["claims"]:
        out.networks = _network_figures(store, f)
    if with_agreement and sum(1 for n in annotated.values() if n) >= 2:
        out.agreement = _agreement_figures(store)
    return out


def rated_actors(store: Store, study_filter: StudyFilter | None = None,
                 limit: int = 500) -> list[tuple[int, str, int]]:
    """(id, name, ratings) of the actors rated most (what the window offers to chart)."""
    return srows.most_rated_actors(store, limit, expand_filter(store, study_filter))


def actor_sentiment_chart(store: Store, actor_id: int,
                          study_filter: StudyFilter | None = None) -> tuple[str, Series]:
    """The chart key and the mean sentiment towards one actor per month."""
    name = store.actors.get(actor_id).name
    scale = [p.value for p in store.codebook.load().scale]
    bounds = (float(min(scale)), float(max(scale))) if scale else None
    f = expand_filter(store, study_filter)
    return f"sentiment-towards-{_slug(name)}", st.mean_over_time(
        f"Sentiment towards {name} over time",
        srows.actor_sentiment_by_month(store, actor_id, f), bounds=bounds)


def _slug(name: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    return "-".join(part for part in keep.split("-") if part)[:40] or "actor"


def _network_figures(store: Store, f: StudyFilter | None = None
                     ) -> list[tuple[str, list[tuple[str, str, float]]]]:
    """The strongest congruence and conflict ties among the 40 most active actors."""
    from stancemark.analysis.networks import ties_among_most_active
    from stancemark.services.networks import compute, network_input, options_for

    data = network_input(store)
    figures = []
    for kind in ("congruence", "conflict"):
        try:
            [net] = compute(store, options_for(store, f, type=kind), data=data)
        except StancemarkError:
            continue  # e.g. no stances yet: the section says so
        _nodes, ties = ties_among_most_active(net, 40)
        figures.append((kind, [(a.label, b.label, v) for a, b, v in ties[:10]]))
    return figures


def _agreement_figures(store: Store) -> list[tuple[str, str, float | None]]:
    """Layer, measure and value of the overall agreement (no intervals: quick)."""
    from stancemark.analysis.agreement import AgreementOptions
    from stancemark.services.agreement import project_agreement

    try:
        report = project_agreement(
            store, options=AgreementOptions(resamples=0, breakdowns=False)).as_dict()
    except StancemarkError:
        return []
    rows = []
    for layer, body in report.get("layers", {}).items():
        for measure, value in (body.get("overall") or {}).items():
            rows.append((layer, measure, value if isinstance(value, (int, float)) else None))
    return rows


def chart_svg(chart: Chart) -> str:
    """The chart drawn as SVG (bars, stacked bars, or a line over months)."""
    if isinstance(chart, StackedSeries):
        return stacked_bars(chart)
    if chart.unit != "claims" or chart.title.startswith("Claims per month"):
        return line_chart(chart)
    return bar_chart(chart)


def chart_csv(chart: Chart) -> str:
    """The numbers drawn, as CSV (UTF-8, header first)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(chart.rows())
    return buf.getvalue()


def render_report(store: Store, charts: StudyCharts | None = None,
                  study_filter: StudyFilter | None = None) -> str:
    """The whole report as one HTML document (charts inline as SVG)."""
    charts = charts or project_charts(store, study_filter=study_filter)
    o = charts.overview
    name = store.path.name if store.path else "project"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    status = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(o.by_status.items()))
    parts = [
        "<!DOCTYPE html>", "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(name)} — {APP_NAME} report</title>",
        "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:760px;margin:2em auto;"
        "color:#222}svg .chart-title{display:none}h1{font-size:1.5em}"
        "h2{font-size:1.15em;margin-top:2em}table{border-collapse:collapse}"
        "td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #ddd}"
        ".note{color:#666}svg{max-width:100%;height:auto}</style></head><body>",
        f"<h1>{escape(name)}</h1>",
        f"<p class='note'>{APP_NAME} {escape(__version__)}, {when}</p>",
        "<h2>The corpus</h2><table>",
        f"<tr><th>articles</th><td>{o.articles} ({escape(status)})</td></tr>",
        f"<tr><th>dates</th><td>{escape(o.first_date or '–')} to "
        f"{escape(o.last_date or '–')}</td></tr>",
        f"<tr><th>coders</th><td>{o.annotators}</td></tr>",
        f"<tr><th>actors</th><td>{o.actors}</td></tr>",
        f"<tr><th>mentions</th><td>{o.mentions}</td></tr>",
        f"<tr><th>claims</th><td>{o.claims}</td></tr>",
        f"<tr><th>sentiments</th><td>{o.sentiments}</td></tr></table>",
    ]
    if charts.study_filter is not None:
        parts.append(f"<p class='filter'><b>The charts and networks below count only:</b> "
                     f"{escape(charts.study_filter.describe())}.</p>")
    for chart in charts.charts.values():
        parts.append(f"<h2>{escape(chart.title)}</h2>")
        parts.append(chart_svg(chart))
    parts.append("<h2>Discourse networks</h2>")
    if not charts.networks:
        parts.append("<p class='note'>No claims with a stance yet.</p>")
    for kind, ties in charts.networks:
        parts.append(f"<h3>Strongest {escape(kind)} ties among the 40 most active actors</h3>")
        if not ties:
            parts.append("<p class='note'>none</p>")
            continue
        parts.append("<table><tr><th>actor</th><th>actor</th><th>weight</th></tr>")
        parts += [f"<tr><td>{escape(a)}</td><td>{escape(b)}</td><td>{v:g}</td></tr>"
                  for a, b, v in ties]
        parts.append("</table>")
    if charts.agreement:
        parts.append("<h2>Agreement between coders</h2>"
                     "<table><tr><th>layer</th><th>measure</th><th>value</th></tr>")
        parts += [f"<tr><td>{escape(layer)}</td><td>{escape(m)}</td><td>"
                  f"{'–' if v is None else f'{v:.3f}'}</td></tr>"
                  for layer, m, v in charts.agreement]
        parts.append("</table><p class='note'>Every figure with its interval: "
                     "<code>stancemark agreement</code>.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _is_report(head: bytes) -> bool:
    return head.startswith(b"<!DOCTYPE html>") and f"{APP_NAME} report".encode() in head[:2048]


def _is_chart(head: bytes) -> bool:
    return head.startswith(b"<svg xmlns='http://www.w3.org/2000/svg'") and \
        b"class='chart-title'" in head[:2048] or head.startswith(b"label,")


def write_report(store: Store, output: str | Path, *, force: bool = False,
                 progress: Callable[[str], None] | None = None,
                 study_filter: StudyFilter | None = None) -> Path:
    """Write the HTML report to ``output`` (a temporary file renamed into place)."""
    if Path(output).is_dir():
        raise ValidationError(f"{output} is a folder.", "Give a file name ending in .html.")
    if progress:
        progress("reading the project")
    html = render_report(store, study_filter=study_filter)
    return write_text_output(output, html, force=force, ours=_is_report, project=store.path)


def write_charts(store: Store, folder: str | Path, *, force: bool = False,
                 study_filter: StudyFilter | None = None) -> list[Path]:
    """Write every chart as ``KEY.svg`` and ``KEY.csv`` (the numbers drawn) into ``folder``."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ValidationError(f"{target} is a file, not a folder.", "Give a folder.")
    target.mkdir(parents=True, exist_ok=True)
    charts = project_charts(store, with_networks=False, with_agreement=False,
                            study_filter=study_filter)
    written = []
    for key, chart in charts.charts.items():
        for suffix, text in ((".svg", chart_svg(chart)), (".csv", chart_csv(chart))):
            written.append(write_text_output(target / f"{key}{suffix}", text, force=force,
                                             ours=_is_chart, project=store.path))
    return written


__all__ = ["StudyCharts", "actor_sentiment_chart", "chart_csv", "chart_svg", "expand_filter",
           "project_charts", "rated_actors", "render_report", "write_charts", "write_report"]
