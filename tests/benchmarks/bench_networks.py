"""Discourse networks on the generated scale project (issue 14).

On the full generated project (100,000 articles, 216,000 claims, 5,000 actors):
reading the claims, each network type built and all its rows computed (a
one-mode actor network is a 5,000 × 5,000 matrix, 25 million cells), 30-day
windows, and writing a few files. Target: one network from 216k claims × 5,000
actors, read to last cell, in a few seconds (5 s).

Run: ``.venv/bin/python -m tests.benchmarks.bench_networks``; a smaller project:
``STANCEMARK_SCALE_ARTICLES=10000 STANCEMARK_SCALE_ANNOTATIONS=100000``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from stancemark.analysis.networks import Network, NetworkOptions, Windows
from stancemark.services.networks import compute, export_networks, network_input
from stancemark.store import open_project
from tests.benchmarks.generate_project import N_ANNOTATIONS, N_ARTICLES, cached_project

TARGET_S = 5.0


def _log(message: str) -> None:
    print(f"   {message}", file=sys.stderr, flush=True)


def _all_rows(net: Network) -> int:
    return sum(len(row) for _node, row in net.iter_rows())


def main() -> list[dict[str, Any]]:
    n_articles = int(os.environ.get("STANCEMARK_SCALE_ARTICLES", N_ARTICLES))
    n_annotations = int(os.environ.get("STANCEMARK_SCALE_ANNOTATIONS", N_ANNOTATIONS))
    path = cached_project(n_articles, n_annotations, log=_log)
    rows: list[dict[str, Any]] = []

    def row(metric: str, value: float, unit: str = "s", **extra: Any) -> None:
        rows.append({"benchmark": "networks", "metric": metric, "value": value, "unit": unit,
                     **extra})

    with open_project(path, read_only=True) as store:
        t0 = time.perf_counter()
        data = network_input(store)
        read = time.perf_counter() - t0
        row(f"read {len(data.claims):,} claims, {len(data.actors):,} actors", read)
        for kind, normalize, nodes in (("affiliation", "none", "actor"),
                                       ("cooccurrence", "none", "actor"),
                                       ("congruence", "none", "actor"),
                                       ("conflict", "none", "actor"),
                                       ("subtract", "jaccard", "actor"),
                                       ("congruence", "average", "actor"),
                                       ("congruence", "none", "category")):
            t0 = time.perf_counter()
            net = compute(store, NetworkOptions(type=kind, normalize=normalize, nodes=nodes),
                          data=data)[0]
            built = time.perf_counter() - t0
            cells = _all_rows(net)
            total = time.perf_counter() - t0
            plural = "actors" if nodes == "actor" else "categories"
            name = f"{kind}/{normalize} {len(net.rows):,} {plural}, {cells:,} cells"
            if kind == "congruence" and normalize == "none" and nodes == "actor":
                row(f"{name}: read + build + every row", read + total, target=f"< {TARGET_S}",
                    ok=read + total < TARGET_S)
            row(f"{name}: build", built)
            row(f"{name}: build + every row", total)
        t0 = time.perf_counter()
        nets = compute(store, NetworkOptions(type="congruence"), Windows(30), data=data)
        cells = sum(_all_rows(n) for n in nets)
        row(f"congruence, {len(nets)} windows of 30 days, {cells:,} cells",
            time.perf_counter() - t0)
        with tempfile.TemporaryDirectory(prefix="stancemark-net-") as name:
            tmp = Path(name)
            for kind, fmt in (("affiliation", "graphml"), ("congruence", "csv")):
                t0 = time.perf_counter()
                s = export_networks(store, NetworkOptions(type=kind), fmt, tmp / f"n.{fmt}")
                size = (tmp / f"n.{fmt}").stat().st_size / 2**20
                row(f"write {kind} {fmt} ({s.edges:,} ties, {size:,.0f} MiB), from the file",
                    time.perf_counter() - t0)
            t0 = time.perf_counter()
            s = export_networks(store, NetworkOptions(type="affiliation"), "gexf",
                                tmp / "w.gexf", Windows(30))
            row(f"write affiliation gexf, {s.networks} windows of 30 days",
                time.perf_counter() - t0)
    return rows


if __name__ == "__main__":
    from tests.benchmarks.__main__ import print_table

    print_table(main())
