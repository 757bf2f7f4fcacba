"""Scale (issue 7): a year of coding in one project, measured against the issue's targets.

On the generated project of 100,000 articles and 1,000,000 annotations
(``generate_project.cached_project``; built once, then reused):

- startup: ``stancemark PROJECT`` in a subprocess with the startup probe, from
  process start to the window shown (and the probe's own in-process figure);
- article list: the real Qt model in the real window, scrolled end to end
  (every scroll to the bottom makes the view fetch the next page): the time of
  each such frame, and of plain page scrolls over fetched rows;
- search: what the list does for a query (count + first page), several queries;
- open article: get + mentions + claims + sentiments from the store, and in the
  window (text, highlights, tagging panel);
- actor registry: the registry service's listing of 5,000 actors;
- export: whole-project JSONL against a floor (the same rows selected with
  plain sqlite3, ``json.dumps`` per article, written);
- memory: peak RSS (VmHWM) of the app process after all of the above.

The UI figures come from a child process (``--child ui``) so the benchmark's
own memory does not count.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import groupby
from pathlib import Path
from typing import Any

from tests.benchmarks.generate_project import N_ANNOTATIONS, N_ARTICLES, cached_project

SEARCHES = ("ceasefire", "budget talks", "Kowalczyk", "pipeline tender", "minist",
            "Republic", "election turnout ballot", "vrivera")
RSS_LIMIT_MB = 400


def _log(msg: str) -> None:
    print(f"   {msg}", file=sys.stderr, flush=True)


def _ms(seconds: float) -> float:
    return seconds * 1000


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _row(metric: str, value: float | int | str, unit: str, target: str | None = None,
         ok: bool | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"benchmark": "scale", "metric": metric, "value": value, "unit": unit}
    if target is not None:
        row["target"] = target
        row["ok"] = bool(ok)
    return row


def _child_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_DATA_HOME=str(tmp / "data"), PYTHONUNBUFFERED="1")
    return env


def _run_child(cmd: list[str], env: dict[str, str], marker: str) -> tuple[float, str]:
    """Run ``cmd``; return (seconds until a stdout line starts with ``marker``, that line).

    No peak RSS from wait4: Linux carries the parent's high-water mark into a child
    across exec, so a child of this (large) benchmark process would report the parent's.
    Children read their own ``VmHWM`` instead.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout is not None
    seen_at, line = float("nan"), ""
    for out in proc.stdout:
        if out.startswith(marker) and not line:
            seen_at, line = time.perf_counter() - start, out.strip()
    proc.wait()
    err = proc.stderr.read() if proc.stderr else ""
    if not line:
        raise RuntimeError(f"{' '.join(cmd)} printed no {marker!r}: {err[-2000:]}")
    return seen_at, line


# -- startup ------------------------------------------------------------------------------------

def bench_startup(path: Path, tmp: Path, runs: int = 3) -> list[dict[str, Any]]:
    env = _child_env(tmp)
    env["STANCEMARK_STARTUP_PROBE"] = "1"
    walls, probes = [], []
    for _ in range(runs):
        wall, line = _run_child([sys.executable, "-m", "stancemark", str(path)], env, "shown ")
        walls.append(wall)
        probes.append(float(line.split()[1]))
        _log(f"startup: shown after {wall:.2f} s (probe {probes[-1]:.2f} s)")
    wall = statistics.median(walls)
    return [
        _row("open project + show window (process start to shown, median of 3)", wall, "s",
             "<= 1.5", wall <= 1.5),
        _row("  of which in launch() (startup probe)", statistics.median(probes), "s"),
    ]


# -- store-level figures --------------------------------------------------------------------------

def _time(fn: Any, *args: Any, **kw: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args, **kw)
    return time.perf_counter() - start, result


def bench_store(path: Path) -> list[dict[str, Any]]:
    from stancemark.core.filters import ArticleFilter
    from stancemark.services.registry import RegistryService
    from stancemark.store import open_project

    rows: list[dict[str, Any]] = []
    opens = []
    for _ in range(3):
        t, store = _time(open_project, path)
        opens.append(t)
        store.close()
    store = open_project(path)
    try:
        counts = store.counts()
        n_ann = sum(counts[k] for k in ("mentions", "claims", "article_sentiments",
                                        "actor_sentiments"))
        rows.append(_row(f"project: {counts['articles']:,} articles, {counts['actors']:,} "
                         f"actors, {counts['annotators']} annotators; size",
                         round(path.stat().st_size / 2**20), "MiB"))
        rows.append(_row(f"annotations ({counts['mentions']:,} mentions, {counts['claims']:,} "
                         f"claims, {counts['article_sentiments'] + counts['actor_sentiments']:,}"
                         " sentiments)", n_ann, "rows"))
        rows.append(_row("open_project (store only, median of 3)", _ms(statistics.median(opens)),
                         "ms"))
        if store.integrity_check is not None:
            start = time.perf_counter()
            store.integrity_check.wait()
            rows.append(_row("  whole quick_check, in the background after opening",
                             time.perf_counter() - start, "s", "ok", store.integrity == "ok"))

        # the list's first page and deep pages through the store (what fetchMore asks)
        for order in ("id", "title"):
            page = []
            for offset in (0, counts["articles"] // 2, counts["articles"] - 200):
                t, _ = _time(store.articles.summaries, None, order=order, limit=200,
                             offset=offset)
                page.append(t)
            rows.append(_row(f"list page of 200 sorted by {order}: first / middle / last",
                             " / ".join(f"{_ms(t):.0f}" for t in page), "ms"))

        # search: what the list does for a query (count + first page)
        per_query = []
        for q in SEARCHES:
            times = []
            for _ in range(3):
                flt = ArticleFilter(search=q)
                start = time.perf_counter()
                hits = store.articles.count(flt)
                store.articles.summaries(flt, limit=200)
                times.append(time.perf_counter() - start)
            per_query.append(statistics.median(times))
            _log(f"search {q!r}: {hits:,} hits, {_ms(per_query[-1]):.0f} ms")
        med, worst = statistics.median(per_query), max(per_query)
        rows.append(_row(f"search, {len(SEARCHES)} queries (count + first page): median",
                         _ms(med), "ms", "<= 100", med <= 0.1))
        rows.append(_row("search: worst query", _ms(worst), "ms", "<= 100", worst <= 0.1))

        # open an article
        rng = random.Random(11)
        ids = rng.sample(range(1, counts["articles"] + 1), 300)
        times = []
        spans_ok = True
        for article_id in ids:
            start = time.perf_counter()
            article = store.articles.get(article_id)
            mentions = store.annotations.mentions(article_id)
            claims = store.annotations.claims(article_id)
            store.annotations.sentiments(article_id)
            times.append(time.perf_counter() - start)
            spans_ok &= all(article.text[s.start:s.end] == s.text for s in [*mentions, *claims])
        rows.append(_row("open article (get + mentions + claims + sentiments): median",
                         _ms(statistics.median(times)), "ms", "<= 50",
                         statistics.median(times) <= 0.05))
        rows.append(_row("open article: p95", _ms(_p(times, 0.95)), "ms", "<= 50",
                         _p(times, 0.95) <= 0.05))
        rows.append(_row("spans of 300 random articles equal text[start:end]",
                         "all" if spans_ok else "NOT ALL", "", "all", spans_ok))

        # actor registry
        service = RegistryService(store)
        reg_times = []
        for _ in range(3):
            t, listing = _time(service.listing)
            reg_times.append(t)
        reg = statistics.median(reg_times)
        rows.append(_row(f"actor registry listing ({len(listing):,} actors, median of 3)",
                         _ms(reg), "ms", "<= 500", reg <= 0.5))
    finally:
        store.close()
    return rows


# -- export ---------------------------------------------------------------------------------------

def export_floor(path: Path, dest: Path) -> float:
    """The same rows as the JSONL export, selected with plain sqlite3 and ``json.dumps``-ed.

    One ordered query per table merged by article id (as the exporter does), one
    JSON object per article with its annotations and the names of its actors.
    """
    start = time.perf_counter()
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    actors = {r[0]: r[1:] for r in con.execute(
        "SELECT id, name, type, affiliation_id FROM actors")}
    aliases: dict[int, list[str]] = {}
    for actor_id, alias in con.execute("SELECT actor_id, alias FROM actor_aliases"):
        aliases.setdefault(actor_id, []).append(alias)

    def by_article(sql: str) -> Any:
        return groupby(con.execute(sql), key=lambda r: r[0])

    streams = [
        by_article("SELECT article_id, annotator_id, start_offset, end_offset, text, actor_id "
                   "FROM mentions ORDER BY article_id, start_offset"),
        by_article("SELECT article_id, annotator_id, start_offset, end_offset, text, "
                   "claimant_id, target_id, category, stance, note FROM claims "
                   "ORDER BY article_id, start_offset"),
        by_article("SELECT article_id, annotator_id, value FROM article_sentiments "
                   "ORDER BY article_id"),
        by_article("SELECT article_id, annotator_id, actor_id, value FROM actor_sentiments "
                   "ORDER BY article_id"),
    ]
    heads: list[Any] = [next(s, None) for s in streams]
    with open(dest, "w", encoding="utf-8") as f:
        for row in con.execute("SELECT id, uid, title, subtitle, source, url, author, "
                               "published, language, status, text FROM articles ORDER BY id"):
            parts = []
            for i, s in enumerate(streams):
                head = heads[i]
                if head is not None and head[0] == row[0]:
                    parts.append(list(head[1]))
                    heads[i] = next(s, None)
                else:
                    parts.append([])
            ids = {r[5] for r in parts[0]} | {r[2] for r in parts[3]}
            ids |= {r[k] for r in parts[1] for k in (5, 6) if r[k] is not None}
            record = {
                "article": dict(zip(("id", "uid", "title", "subtitle", "source", "url",
                                     "author", "published", "language", "status", "text"),
                                    row, strict=True)),
                "actors": [[i, *actors[i], aliases.get(i, [])] for i in sorted(ids)],
                "mentions": [r[1:] for r in parts[0]],
                "claims": [r[1:] for r in parts[1]],
                "sentiment": [r[1:] for r in parts[2]] + [r[1:] for r in parts[3]],
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    con.close()
    return time.perf_counter() - start


def bench_export(path: Path, tmp: Path) -> list[dict[str, Any]]:
    from stancemark.services.exchange import export_project
    from stancemark.store import open_project

    floor_file = tmp / "floor.jsonl"
    t_floor = export_floor(path, floor_file)
    floor_size = floor_file.stat().st_size
    floor_file.unlink()
    _log(f"export floor {t_floor:.1f} s")
    out = tmp / "export.jsonl"
    with open_project(path) as store:
        t_ours, summary = _time(export_project, store, "jsonl", out)
    size = out.stat().st_size
    out.unlink()
    _log(f"export {t_ours:.1f} s, {summary.sets:,} sets")
    ratio = t_ours / t_floor
    return [
        _row(f"export floor (sqlite3 + json.dumps, {floor_size / 2**20:,.0f} MiB)", t_floor, "s"),
        _row(f"JSONL export of the whole project ({size / 2**20:,.0f} MiB, {summary.sets:,} "
             "lines)", t_ours, "s"),
        _row("JSONL export / floor", ratio, "x", "<= 2", ratio <= 2),
    ]


# -- the app in a child process: list scrolling, article view, memory -----------------------------

def bench_ui(path: Path, tmp: Path) -> list[dict[str, Any]]:
    _wall, line = _run_child(
        [sys.executable, "-m", "tests.benchmarks.bench_scale", "--child", "ui", str(path)],
        _child_env(tmp), "RESULT ")
    r = json.loads(line[len("RESULT "):])
    fetch = r["fetch_frames"]
    scroll = r["scroll_frames"]
    opens = r["open_article"]
    peak = r["vmhwm_kb"] / 1024
    rows = [
        _row("window shown in the child (MainWindow built + first paint)", _ms(r["show"]), "ms"),
        _row(f"scroll list end to end: {r['rows']:,} rows in {len(fetch)} fetches, total",
             r["scroll_total"], "s"),
        _row("  frame that fetches a page (scroll to bottom + fetchMore + paint): median",
             _ms(statistics.median(fetch)), "ms", "<= 16.7 (60 fps)",
             statistics.median(fetch) <= 1 / 60),
        _row("  fetching frame: p95 / max",
             f"{_ms(_p(fetch, 0.95)):.1f} / {_ms(max(fetch)):.1f}", "ms", "p95 <= 50",
             _p(fetch, 0.95) <= 0.05),
        _row("  frame of a page scroll over fetched rows: median / max",
             f"{_ms(statistics.median(scroll)):.1f} / {_ms(max(scroll)):.1f}", "ms",
             "<= 16.7", statistics.median(scroll) <= 1 / 60),
        _row("  sort the list by title (reload)", _ms(r["sort_title"]), "ms"),
        _row("  search in the list (type, filter, repaint): worst", _ms(max(r["search"])),
             "ms", "<= 100", max(r["search"]) <= 0.1),
        _row("open article in the window (text, highlights, panel): median",
             _ms(statistics.median(opens)), "ms", "<= 50", statistics.median(opens) <= 0.05),
        _row("open article in the window: p95", _ms(_p(opens, 0.95)), "ms", "<= 50",
             _p(opens, 0.95) <= 0.05),
        _row("peak RSS of the app after all of the above (VmHWM)", round(peak), "MB",
             f"<= {RSS_LIMIT_MB}", peak <= RSS_LIMIT_MB),
    ]
    return rows


def _child_ui(path: Path) -> None:
    from stancemark.store import open_project
    from stancemark.ui.main_window import MainWindow
    from stancemark.ui.qt_app import make_app

    app = make_app()
    start = time.perf_counter()
    store = open_project(path)
    window = MainWindow(store, "bench", owns_store=True)
    window.persist_state = False
    window.resize(1440, 900)
    window.show()
    app.processEvents()
    show = time.perf_counter() - start

    panel = window.article_list
    model, table = panel.model, panel.table
    bar = table.verticalScrollBar()
    fetch_frames: list[float] = []
    started = time.perf_counter()
    while model.canFetchMore():
        before = model.rowCount()
        t0 = time.perf_counter()
        bar.setValue(bar.maximum())
        app.processEvents()
        if model.rowCount() == before:  # the view did not ask (yet): ask as it would
            model.fetchMore()
            app.processEvents()
        table.viewport().repaint()
        fetch_frames.append(time.perf_counter() - t0)
    scroll_total = time.perf_counter() - started
    fetched = model.rowCount()

    scroll_frames: list[float] = []
    bar.setValue(0)
    app.processEvents()
    step = bar.pageStep() * 25
    value = 0
    while value < bar.maximum() and len(scroll_frames) < 400:
        value += step
        t0 = time.perf_counter()
        bar.setValue(value)
        table.viewport().repaint()
        app.processEvents()
        scroll_frames.append(time.perf_counter() - t0)

    rng = random.Random(5)
    ids = rng.sample(range(1, model.total() + 1), 100)
    opens = []
    for article_id in ids:
        t0 = time.perf_counter()
        window.open_article(article_id)
        window.article_view.repaint()
        app.processEvents()
        opens.append(time.perf_counter() - t0)

    searches = []
    for q in SEARCHES:
        t0 = time.perf_counter()
        panel.search_edit.setText(q)
        panel._apply_filter()
        table.viewport().repaint()
        app.processEvents()
        searches.append(time.perf_counter() - t0)
    panel.search_edit.setText("")
    panel._apply_filter()

    t0 = time.perf_counter()
    model.sort(0)
    table.viewport().repaint()
    app.processEvents()
    sort_title = time.perf_counter() - t0

    vmhwm = 0
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                vmhwm = int(line.split()[1])
    result = {"show": show, "rows": fetched, "fetch_frames": fetch_frames,
              "scroll_total": scroll_total, "scroll_frames": scroll_frames,
              "open_article": opens, "search": searches, "sort_title": sort_title,
              "vmhwm_kb": vmhwm}
    window.close()
    print("RESULT " + json.dumps(result), flush=True)


def main() -> list[dict[str, Any]]:
    n_articles = int(os.environ.get("STANCEMARK_SCALE_ARTICLES", N_ARTICLES))
    n_annotations = int(os.environ.get("STANCEMARK_SCALE_ANNOTATIONS", N_ANNOTATIONS))
    started = time.perf_counter()
    path = cached_project(n_articles, n_annotations, log=_log)
    _log(f"project {path} ready in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory(prefix="stancemark-scale-") as name:
        tmp = Path(name)
        rows = bench_startup(path, tmp)
        rows += bench_store(path)
        rows += bench_ui(path, tmp)
        rows += bench_export(path, tmp)
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child" and sys.argv[2] == "ui":
        _child_ui(Path(sys.argv[3]))
    else:
        from tests.benchmarks.__main__ import print_table

        print_table(main())
