"""How long the analyst waits for the column-mapping preview of a CSV / JSON Lines import.

The window reads the table on the UI thread before the import starts: the columns
of every table given (to group them), then the first 20 rows and a row count
bounded by ``COUNT_CHARS``, then builds the dialog. Measured from
``table_groups`` to a built dialog, on a small file (counted exactly) and on a
large one (counted up to the budget: "at least N rows"), and for one change of a
column (the preview redrawn). Run alone: ``python -m tests.benchmarks.bench_table_preview``.
"""

from __future__ import annotations

import csv
import json
import statistics
import tempfile
import time
from pathlib import Path

from tests.articles.batches import story


def write_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "Headline", "pub", "Outlet", "reporter", "story", "link"])
        for i in range(rows):
            title, paragraphs = story(i)
            out.writerow([i, title, f"2024-03-{i % 28 + 1:02d} 08:30", "Coastal Courier",
                          "Mira Lund", "\n\n".join(paragraphs), f"https://example.org/{i}"])


def write_jsonl(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(rows):
            title, paragraphs = story(i)
            f.write(json.dumps({"headline": title, "content": "\n\n".join(paragraphs),
                                "ts": 1709632800 + i * 60, "outlet": "River Post"}) + "\n")


def time_dialog(path: Path, runs: int = 5) -> tuple[float, float, str]:
    """Median seconds to a built dialog, median seconds per column change, its count text."""
    from stancemark.ui.table_import_dialog import TableImportDialog, table_groups

    opened, changed, intro = [], [], ""
    for _ in range(runs):
        start = time.perf_counter()
        ((files, preview),) = table_groups([path])
        dialog = TableImportDialog(files, preview, settings=_settings(path))
        opened.append(time.perf_counter() - start)
        combo = dialog.combos["date"]
        start = time.perf_counter()
        for index in range(combo.count()):
            combo.setCurrentIndex(index)
        changed.append((time.perf_counter() - start) / combo.count())
        intro = f"{preview.total:,}{'' if preview.total_exact else '+'} rows"
        dialog.deleteLater()
    return statistics.median(opened), statistics.median(changed), intro


def _settings(path: Path):  # noqa: ANN202 - a QSettings in the temporary folder
    from PySide6.QtCore import QSettings

    return QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)


def main() -> list[dict]:
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        for name, n, write in (("small.csv", 1_000, write_csv), ("large.csv", 50_000, write_csv),
                               ("large.jsonl", 50_000, write_jsonl)):
            path = Path(tmp) / name
            write(path, n)
            cases.append((name, n, path))
        for name, n, path in cases:
            opened, changed, count = time_dialog(path)
            size = f"{n:,} rows, {path.stat().st_size / 1048576:.0f} MB"
            rows += [
                {"benchmark": "table_preview", "metric": f"{name} ({size}): dialog shown "
                 f"(counted {count})", "value": opened, "unit": "s"},
                {"benchmark": "table_preview", "metric": f"{name}: preview redrawn per "
                 "column change", "value": changed * 1000, "unit": "ms"},
            ]
    return rows


if __name__ == "__main__":
    from tests.benchmarks.__main__ import print_table

    print_table(main())
