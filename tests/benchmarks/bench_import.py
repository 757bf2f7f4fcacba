"""Import 10,000 generated scraped articles of ~5 KB; compare with a floor of the same I/O.

Floor: read the same files, decode them, and insert the texts with ``executemany``
into a bare table carrying the same FTS5 index, in one transaction. Targets
(issue 2): at least 1,000 articles/s, and at most 3x the floor.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from pathlib import Path

N_ARTICLES = 10_000

WORDS = ("minister government talks border police agreement statement official crisis "
         "parliament opposition election vote budget protest security army treaty region "
         "capital president spokesman envoy sanctions trade energy ceasefire negotiations "
         "community rights court ruling coalition party leader press conference week").split()
NAMES = ["Marta Kowalczyk", "Ivan Petrov", "Albin Kurti", "Ana Brnabić", "Jonas Lindqvist",
         "Leila Haddad", "Tomás Ortega", "Ngozi Adeyemi"]
CHROME = ("icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon closeicon "
          "downloadicon editicon fbicon fileicon filtericon searchicon shareicon tgicon twicon")


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 24))
    if rng.random() < 0.5:
        words.insert(rng.randint(0, len(words)), rng.choice(NAMES))
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def article(rng: random.Random, i: int) -> str:
    title = f"{sentence(rng)[:60].rstrip('.')} {i}"
    lede = sentence(rng)
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
                  for _ in range(rng.randint(6, 9))]
    day = rng.randint(1, 28)
    parts = [CHROME, f"{day} Dec, 2022 {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}", "",
             title, "", lede, title, "", *[p + "\n" for p in paragraphs], "Podcasts", "0:00",
             "28:21"]
    return "\n".join(parts) + "\n"


def generate(folder: Path, n: int = N_ARTICLES, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        p = folder / f"article-{i:05d}.txt"
        p.write_text(article(rng, i), encoding="utf-8")
        paths.append(p)
    return paths


def floor(paths: list[Path], db: Path) -> float:
    start = time.perf_counter()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, text TEXT)")
    con.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
                "content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
    con.execute("CREATE TRIGGER ai AFTER INSERT ON articles BEGIN INSERT INTO "
                "articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
    rows = []
    for p in paths:
        text = p.read_bytes().decode("utf-8")
        rows.append((text.split("\n", 3)[2], text))
    con.execute("BEGIN")
    con.executemany("INSERT INTO articles(title, text) VALUES (?, ?)", rows)
    con.execute("COMMIT")
    con.close()
    return time.perf_counter() - start


def ours(paths: list[Path], db: Path) -> tuple[float, int]:
    from stancemark.services.importing import import_paths
    from stancemark.store import open_project

    start = time.perf_counter()
    with open_project(db, create=True) as store:
        report = import_paths(store, [paths[0].parent])
    return time.perf_counter() - start, report.imported


def main() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        paths = generate(folder)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        # warm the page cache for both contenders alike
        for p in paths:
            p.read_bytes()
        t_floor = floor(paths, Path(tmp) / "floor.db")
        t_ours, imported = ours(paths, Path(tmp) / "ours.stancemark")
    rate = imported / t_ours
    ratio = t_ours / t_floor
    rows = [
        {"benchmark": "import", "metric": f"files (mean {size / 1024:.1f} KB)",
         "value": len(paths), "unit": "files"},
        {"benchmark": "import", "metric": "floor: read + executemany + FTS", "value": t_floor,
         "unit": "s"},
        {"benchmark": "import", "metric": "stancemark import", "value": t_ours, "unit": "s"},
        {"benchmark": "import", "metric": "rate", "value": rate, "unit": "articles/s",
         "target": ">= 1000", "ok": rate >= 1000 and imported == len(paths)},
        {"benchmark": "import", "metric": "ratio to floor", "value": ratio, "unit": "x",
         "target": "<= 3", "ok": ratio <= 3},
    ]
    return rows


if __name__ == "__main__":
    from tests.benchmarks.__main__ import print_table

    print_table(main())
