"""Speed of the document readers (issue 16): a 100-item Nexis-style DOCX bundle is read
and imported in ≤ 2 s, a 100-page two-column PDF in ≤ 5 s.

The bundle is written the way Word writes text: every few words a run with its own
font, size and language properties, so the XML is as heavy as a real download's
(about 13 KB of XML per article). Run alone: ``python -m tests.benchmarks.bench_formats``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.articles.batches import TOWNS, nexis_paragraphs, story
from tests.articles.builders import make_docx, make_pdf, pdf_page_lines

DOCX_TARGET = 2.0
PDF_TARGET = 5.0


def nexis_bundle() -> bytes:
    return make_docx(nexis_paragraphs(100), words_per_run=3)


def pdf_pages(n: int = 100) -> bytes:
    pages = []
    for page in range(n):
        paragraphs = [p.replace("Monday", f"the {TOWNS[k % 6]} meeting of week {page}")
                      for k in range(3) for p in story(page * 3 + k)[1]]
        pages.append(pdf_page_lines(paragraphs, columns=2, header="THE COASTAL COURIER",
                                    footer=f"Page {page + 1} of {n}", chars=48))
    return make_pdf(pages, size=8)


def xml_size(data: bytes) -> int:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size


def run(name: str, data: bytes, suffix: str) -> tuple[float, float, int]:
    """Seconds to read the file alone, seconds to import it, articles imported."""
    from stancemark.articles import read_data
    from stancemark.services.importing import import_paths
    from stancemark.store import open_project

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}{suffix}"
        path.write_bytes(data)
        start = time.perf_counter()
        read_data(data, name=path.name)
        t_read = time.perf_counter() - start
        with open_project(Path(folder) / "p.stancemark", create=True) as store:
            start = time.perf_counter()
            report = import_paths(store, [path])
            t_import = time.perf_counter() - start
    return t_read, t_import, report.imported


def main() -> list[dict]:
    docx = nexis_bundle()
    d_read, d_import, d_n = run("nexis", docx, ".docx")
    pdf = pdf_pages()
    p_read, p_import, p_n = run("pages", pdf, ".pdf")
    return [
        {"benchmark": "formats", "metric": f"Nexis DOCX: 100 items, {len(docx) // 1024} KB "
         f"({xml_size(docx) // 1024} KB XML), read", "value": d_read, "unit": "s"},
        {"benchmark": "formats", "metric": "Nexis DOCX: import (100 articles)",
         "value": d_import, "unit": "s", "target": f"<= {DOCX_TARGET:g}",
         "ok": d_import <= DOCX_TARGET and d_n == 100},
        {"benchmark": "formats", "metric": f"PDF: 100 pages, 2 columns, {len(pdf) // 1024} KB, "
         "read", "value": p_read, "unit": "s"},
        {"benchmark": "formats", "metric": "PDF: import (1 article)", "value": p_import,
         "unit": "s", "target": f"<= {PDF_TARGET:g}", "ok": p_import <= PDF_TARGET and p_n == 1},
    ]


if __name__ == "__main__":
    from tests.benchmarks.__main__ import print_table

    print_table(main())
