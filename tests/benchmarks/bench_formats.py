"""Speed of the new readers: a 100-item Nexis-style DOCX bundle (goal ≤ 2 s) and a
100-page two-column PDF (goal ≤ 5 s), read and imported into an in-memory project.

Run: ``python -m tests.benchmarks.bench_formats`` (prints seconds; exits 1 over a goal).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from stancemark.articles import read_data
from tests.articles.batches import nexis_paragraphs, story
from tests.articles.builders import make_docx, make_pdf, pdf_page_lines

GOALS = {"nexis_docx_100": 2.0, "pdf_100_pages": 5.0}


def nexis_bundle() -> bytes:
    return make_docx(nexis_paragraphs(100))


def pdf_100_pages() -> bytes:
    pages = []
    for n in range(100):
        paragraphs = [p.replace("Monday", f"day {n}") for k in range(3)
                      for p in story(n * 3 + k)[1]]
        pages.append(pdf_page_lines(paragraphs, columns=2, header="THE COASTAL COURIER",
                                    footer=f"Page {n + 1} of 100", chars=48))
    return make_pdf(pages, size=8)


def measure(name: str, data: bytes, suffix: str) -> float:
    from stancemark.services.importing import import_paths
    from stancemark.store import open_project

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}{suffix}"
        path.write_bytes(data)
        started = time.perf_counter()
        items = read_data(data, name=path.name)
        read_s = time.perf_counter() - started
        with open_project(Path(folder) / "p.stancemark", create=True) as store:
            started = time.perf_counter()
            report = import_paths(store, [path])
            import_s = time.perf_counter() - started
    print(f"{name:<16} {len(data) / 1024:8.0f} KB  {len(items):4d} items  read {read_s:5.2f} s"
          f"  import {import_s:5.2f} s  (goal {GOALS[name]:.0f} s)  {report.summary()}")
    return import_s


def main() -> int:
    slow = 0
    slow += measure("nexis_docx_100", nexis_bundle(), ".docx") > GOALS["nexis_docx_100"]
    slow += measure("pdf_100_pages", pdf_100_pages(), ".pdf") > GOALS["pdf_100_pages"]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
