"""Charts and the network view on the scale project (100,000 articles, 216,000 claims).

Targets (issue 14): every chart of the Analysis view computed and drawn in ≤ 1 s;
the network view (congruence and conflict between 5,000 actors, the 40 most active
drawn) in ≤ 2 s. The report (HTML, every chart, network ties) is measured too.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from stancemark.core.filters import StudyFilter
from stancemark.services.report import chart_svg, project_charts, render_report
from stancemark.store import open_project
from tests.benchmarks.generate_project import N_ANNOTATIONS, N_ARTICLES, cached_project


def _log(message: str) -> None:
    print(f"   {message}", file=sys.stderr, flush=True)


def main() -> list[dict[str, Any]]:
    n_articles = int(os.environ.get("STANCEMARK_SCALE_ARTICLES", N_ARTICLES))
    n_annotations = int(os.environ.get("STANCEMARK_SCALE_ANNOTATIONS", N_ANNOTATIONS))
    path = cached_project(n_articles, n_annotations, log=_log)
    rows: list[dict[str, Any]] = []
    with open_project(path, read_only=True) as store:
        claims = store.counts()["claims"]
        t0 = time.perf_counter()
        charts = project_charts(store, with_networks=False, with_agreement=False)
        svgs = [chart_svg(c) for c in charts.charts.values()]
        took = time.perf_counter() - t0
        rows.append({"benchmark": "charts", "metric": f"{len(svgs)} charts of {claims:,} claims "
                     "(read, count, draw SVG)", "value": took, "unit": "s", "target": "≤ 1 s",
                     "ok": took <= 1.0})
        first = store.conn.execute("SELECT min(substr(published, 1, 10)) FROM articles"
                                   ).fetchone()[0] or "2020-01-01"
        year_on = f"{int(first[:4]) + 1}{first[4:]}"
        coder = store.conn.execute("SELECT name FROM annotators ORDER BY id").fetchone()[0]
        chosen = StudyFilter(date_from=first, date_to=year_on, annotators=(coder,))
        t0 = time.perf_counter()
        charts = project_charts(store, with_networks=False, with_agreement=False,
                                study_filter=chosen)
        svgs = [chart_svg(c) for c in charts.charts.values()]
        took = time.perf_counter() - t0
        rows.append({"benchmark": "charts", "metric": f"the same, filtered ({chosen.describe()})",
                     "value": took, "unit": "s", "target": "≤ 1 s", "ok": took <= 1.0})
        from PySide6.QtWidgets import QApplication

        from stancemark.ui.analysis_view import NetworkTab
        from stancemark.ui.session import ProjectSession

        app = QApplication.instance() or QApplication([])
        session = ProjectSession(store, "bench")
        tab = NetworkTab(session)
        t0 = time.perf_counter()
        tab.rebuild()
        app.processEvents()
        took = time.perf_counter() - t0
        rows.append({"benchmark": "charts", "metric": "network view: congruence + conflict of "
                     f"{store.counts()['actors']:,} actors, 40 drawn", "value": took,
                     "unit": "s", "target": "≤ 2 s", "ok": took <= 2.0})
        tab.forget()
        t0 = time.perf_counter()
        tab.windows.setCurrentIndex(tab.windows.findData(30))  # rebuilds with 30-day windows
        app.processEvents()
        took = time.perf_counter() - t0
        windows = tab.slider.maximum() + 1
        rows.append({"benchmark": "charts", "metric": f"network view in {windows} windows of 30 "
                     "days (read again; the first window drawn, the others computed when shown)",
                     "value": took, "unit": "s"})
        t0 = time.perf_counter()
        tab.slider.setValue(tab.slider.maximum() // 2)
        app.processEvents()
        took = time.perf_counter() - t0
        rows.append({"benchmark": "charts", "metric": "network view: move the time slider "
                     "(a window not yet computed)",
                     "value": took, "unit": "s", "target": "≤ 0.1 s", "ok": took <= 0.1})
        t0 = time.perf_counter()
        html = render_report(store)
        rows.append({"benchmark": "charts", "metric": f"HTML report ({len(html) / 1024:.0f} KiB: "
                     "charts, network ties, agreement of 3 coders)", "value":
                     time.perf_counter() - t0, "unit": "s"})
        tab.deleteLater()
    return rows
