"""How long the window takes to show one big article: the figures behind the import size cap.

Each case runs in a child process of its own (a fresh window, an exact peak memory,
and a hang that cannot take the others with it). A case builds an in-memory project
with a small article and one article of the given size, opens the small one, then
times opening the big one until its first screen is painted ("open"), a jump to
the end of the text with a repaint ("scroll to end"), and tagging a claim near the
top with the ``C`` key until it is saved and painted ("tag a claim"). Two shapes of text:
paragraphs of ~100 words separated by blank lines, and the same words on one line,
which is the costly case for ``QPlainTextEdit`` because a block is laid out whole.

Run alone with ``.venv/bin/python -m tests.benchmarks.bench_article_size`` (add
``--full`` for the whole grid of sizes) or with the others through
``python -m tests.benchmarks``.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MB = 1024 * 1024
WORDS = ("the minister said that police forces would remain in the northern municipalities "
         "while negotiators in Brussels discussed energy prices trade sanctions and elections "
         "Kurti Vučić Borrell Приштина café government opposition parliament").split()
#: A child that takes longer than this is reported as timed out.
CASE_TIMEOUT_S = 180
#: (size in MB, one line?) measured by ``main()``; ``--full`` adds the rest of the grid.
QUICK_CASES = ((10, False), (1, True), (2, True))
FULL_CASES = tuple((size, one_line) for one_line in (False, True)
                   for size in (0.25, 0.5, 1, 2, 5, 10, 19))


def make_text(size_bytes: int, *, one_line: bool, seed: int = 5) -> str:
    """Words filling ``size_bytes`` of UTF-8 (never more): paragraphs of 60-140 words,
    or the same words on one line."""
    rnd = random.Random(seed)
    parts: list[str] = []
    total = -2
    while True:
        para = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(60, 140))) + "."
        size = len(para.encode("utf-8")) + 2
        if total + size > size_bytes:
            break
        parts.append(para)
        total += size
    return (" " if one_line else "\n\n").join(parts)


def _measure(size_bytes: int, one_line: bool) -> dict:
    """Run in the child: build, open, time; returns the figures."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from stancemark.core.models import ArticleDraft
    from stancemark.store import memory_project
    from stancemark.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    store = memory_project()
    text = make_text(size_bytes, one_line=one_line)
    small, big = (aid for aid, _ in store.articles.add_many([
        ArticleDraft("A short article.\n\nIt has two paragraphs.", title="Small"),
        ArticleDraft(text, title="Big")]))
    win = MainWindow(store, "bench")
    win.persist_state = False
    win.resize(1400, 860)
    win.show()
    win.open_article(small)
    app.processEvents()
    edit = win.article_view.text_edit
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    t0 = time.perf_counter()
    win.open_article(big)
    edit.viewport().repaint()
    app.processEvents()
    open_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    bar = edit.verticalScrollBar()
    bar.setValue(bar.maximum())
    edit.viewport().repaint()
    app.processEvents()
    scroll_s = time.perf_counter() - t0

    # tag a claim near the top: the edit re-highlights (and re-lays out) its whole block
    bar.setValue(0)
    app.processEvents()
    start = text.index(" ", 100) + 1
    end = text.index(" ", start + 30)
    edit.select_range(start, end)
    edit.setFocus()
    app.processEvents()
    t0 = time.perf_counter()
    QTest.keyClick(edit, Qt.Key.Key_C)
    edit.viewport().repaint()
    app.processEvents()
    tag_s = time.perf_counter() - t0
    if store.annotations.count_for_article(big) != 1:
        raise RuntimeError("the claim was not created")

    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    win.close()
    store.close()
    return {"bytes": len(text.encode("utf-8")), "open_s": open_s, "scroll_s": scroll_s,
            "tag_s": tag_s, "extra_peak_mb": (rss_after - rss_before) / 1024}


def measure(size_mb: float, one_line: bool) -> dict:
    """Measure one case in a child process; ``open_s`` is None when it timed out."""
    cmd = [sys.executable, "-m", "tests.benchmarks.bench_article_size", "--child",
           str(int(size_mb * MB)), "1" if one_line else "0"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=CASE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"bytes": int(size_mb * MB), "open_s": None, "scroll_s": None,
                "tag_s": None, "extra_peak_mb": None}
    if proc.returncode != 0:
        raise RuntimeError(f"article-size child failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def rows(cases: tuple[tuple[float, bool], ...]) -> list[dict]:
    from stancemark.articles.reader import MAX_PARAGRAPH_BYTES, MAX_TEXT_BYTES

    out = []
    for size_mb, one_line in cases:
        got = measure(size_mb, one_line)
        shape = "one line" if one_line else "paragraphs"
        label = f"{size_mb:g} MB, {shape}"
        # what the importer accepts must respond within a second; the rest is for the record
        allowed = got["bytes"] <= (MAX_PARAGRAPH_BYTES if one_line else MAX_TEXT_BYTES)
        for metric, key, unit in (("open + paint", "open_s", "s"),
                                  ("scroll to end + paint", "scroll_s", "s"),
                                  ("tag a claim + paint", "tag_s", "s"),
                                  ("extra peak memory", "extra_peak_mb", "MB")):
            value = got[key]
            row = {"benchmark": "article_size", "metric": f"{label}: {metric}",
                   "value": "timeout" if value is None else value, "unit": unit}
            if key != "extra_peak_mb" and allowed:
                row.update(target="<= 1.0", ok=value is not None and value <= 1.0)
            out.append(row)
    return out


def main() -> list[dict]:
    return rows(QUICK_CASES)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_measure(int(sys.argv[2]), sys.argv[3] == "1")))
        sys.exit(0)
    from tests.benchmarks.__main__ import print_table

    table = rows(FULL_CASES if "--full" in sys.argv else QUICK_CASES)
    print_table(table)
    sys.exit(0 if all(r.get("ok", True) for r in table) else 1)
