"""Importing from the web (issue 16): what fetching adds to reading the same pages from files.

A site on 127.0.0.1 serves 200 news pages (~1.5 KB of HTML each) and an RSS feed
listing them. Imported with no delay between requests, so the figure is our own
cost (HTTP, robots.txt, parsing the feed, trafilatura), not the politeness pause:
with the default one second per site, 200 pages from one site take 200 s by design.
The floor is the same 200 pages imported from saved files. Also measured: a 200 MB
gzip bomb stopped at the cap (time and peak memory of this process).
Run alone: ``python -m tests.benchmarks.bench_web_import``.
"""

from __future__ import annotations

import resource
import tempfile
import time
import zlib
from pathlib import Path

from stancemark.articles.web import WebPolicy
from tests.articles.batches import story
from tests.webserver import Reply, Site, page

PAGES = 200
POLICY = WebPolicy(delay=0.0, backoff=0.01)


def _rss(base: str) -> bytes:
    items = "".join(f"<item><title>{story(i)[0]}</title><link>{base}/story/{i}</link>"
                    "<pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate></item>"
                    for i in range(PAGES))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Towns'
            f"</title>{items}</channel></rss>").encode()


def _bomb(mib: int) -> bytes:
    """``mib`` MiB of zeros gzipped, built a MiB at a time (the peak stays low)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(mib)) + packer.flush()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> list[dict]:
    from stancemark.services.importing import import_sources
    from stancemark.store import open_project

    bodies = [page(*story(i), author="Desk", published="2026-03-03T09:00:00")
              for i in range(PAGES)]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as folder, Site() as site:
        root = Path(folder)
        for i, body in enumerate(bodies):
            site.routes[f"/story/{i}"] = Reply(body=body)
            (root / f"s{i:03d}.html").write_bytes(body)
        site.routes["/feed"] = Reply(body=_rss(site.base), content_type="application/rss+xml")
        with open_project(root / "warm.stancemark", create=True) as store:
            import_sources(store, [str(root / "s000.html")], workers=0)  # load the readers
        with open_project(root / "files.stancemark", create=True) as store:
            start = time.perf_counter()
            files = import_sources(store, [str(root / f"s{i:03d}.html") for i in range(PAGES)],
                                   workers=0)
            t_files = time.perf_counter() - start
        with open_project(root / "urls.stancemark", create=True) as store:
            start = time.perf_counter()
            urls = import_sources(store, [site.url(f"/story/{i}") for i in range(PAGES)],
                                  web=POLICY)
            t_urls = time.perf_counter() - start
        with open_project(root / "feed.stancemark", create=True) as store:
            start = time.perf_counter()
            feed = import_sources(store, [site.url("/feed")], web=POLICY)
            t_feed = time.perf_counter() - start
        site.routes["/bomb"] = Reply(body=_bomb(200),
                                     headers={"Content-Encoding": "gzip"})
        before = _peak_mib()
        with open_project(root / "bomb.stancemark", create=True) as store:
            start = time.perf_counter()
            bomb = import_sources(store, [site.url("/bomb")], web=POLICY)
            t_bomb = time.perf_counter() - start
        grew = _peak_mib() - before
    ok = files.imported == urls.imported == feed.imported == PAGES
    rows += [
        {"benchmark": "web_import", "metric": f"{PAGES} saved pages from files (the floor)",
         "value": t_files, "unit": "s"},
        {"benchmark": "web_import", "metric": f"the same {PAGES} pages from 127.0.0.1, no delay",
         "value": t_urls, "unit": "s", "target": "<= 3x floor",
         "ok": ok and t_urls <= 3 * t_files},
        {"benchmark": "web_import", "metric": f"an RSS feed of {PAGES} entries, each fetched",
         "value": t_feed, "unit": "s", "target": "<= 3x floor",
         "ok": ok and t_feed <= 3 * t_files},
        {"benchmark": "web_import", "metric": "200 MB gzip bomb refused (too_large)",
         "value": t_bomb, "unit": "s", "target": "<= 2",
         "ok": bomb.count("too_large") == 1 and t_bomb <= 2},
        {"benchmark": "web_import", "metric": "peak memory grew during the bomb",
         "value": max(grew, 0.0), "unit": "MiB", "target": "<= 64", "ok": grew <= 64},
    ]
    return rows


if __name__ == "__main__":
    from tests.benchmarks.__main__ import print_table

    print_table(main())
