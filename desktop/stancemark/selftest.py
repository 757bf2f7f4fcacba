"""``stancemark --self-test``: prove that this installation works end to end.

The same steps run from a checkout, an installed wheel and the standalone
executable: create a project in a temporary folder, import a bundled sample
article (and a saved web page, so the HTML extraction and its data files are
proved too), tag a mention, add a claim and set a sentiment through the services
the window uses, export JSONL and CSV and read them back, then open the window
offscreen and render it to a PNG. Each step prints one line
(``[ok] import sample article (12 ms)``); the first failure prints
``[FAIL] <step>: <why>`` and the run stops with exit code 1.

This module also names the system library behind a failed Qt import
(:func:`describe_import_error`), for the executable's entry point.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

ANNOTATOR = "self-test"

#: Debian/Ubuntu package providing each library Qt loads at start.
QT_SYSTEM_LIBRARIES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
}

_LIBRARY = re.compile(r"([\w.+-]+\.so(?:\.\d+)*|[\w.+-]+\.dylib|[\w.+-]+\.dll)", re.I)

# A saved web page: trafilatura, justext stoplists and date parsing all take part.
SAMPLE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour board delays the dredging vote | The Coastal Ledger</title>
<meta property="og:title" content="Harbour board delays the dredging vote">
<meta name="author" content="Mira Okafor">
<meta property="article:published_time" content="2023-03-14T09:30:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/port">Port</a> <a href="/weather">Weather</a></nav>
<article>
<h1>Harbour board delays the dredging vote</h1>
<p>The harbour board postponed its vote on deepening the northern channel on Tuesday,
after fishermen filled the public gallery for the third meeting in a row.</p>
<p>Board chair Elin Marsh said the board would not decide before the environmental survey
was published. "We owe the town a decision we can defend," Marsh told the meeting.</p>
<p>The fishermen's cooperative argued that the dredging would destroy the spawning grounds
that half of the fleet depends on, and asked for an independent study.</p>
</article>
<footer>© The Coastal Ledger. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>
"""


def describe_import_error(exc: BaseException) -> str:
    """One line naming the system library behind a failed import, and what to do."""
    text = str(exc)
    match = _LIBRARY.search(text)
    if match and (re.match(r"\S*" + re.escape(match.group(1)) + ":", text) or any(
            s in text for s in ("cannot open shared object", "Library not loaded",
                                "DLL load failed", "image not found"))):
        lib = match.group(1)
        package = QT_SYSTEM_LIBRARIES.get(lib)
        hint = f" Install it, e.g. `sudo apt-get install {package}`." if package else \
            " Install it with your system's package manager."
        return f"the system library {lib} is missing, so Qt cannot start.{hint} ({text})"
    return f"a part of the program failed to load: {text}"


class StepFailed(Exception):
    """A self-test check that did not hold; the message says which."""


def check(condition: object, message: str) -> None:
    if not condition:
        raise StepFailed(message)


@dataclass
class Context:
    """What the steps share: the temporary folder, the project and what was made."""

    folder: Path
    store: Any = None
    article_id: int | None = None
    html_article_id: int | None = None
    actor_id: int | None = None
    mention_text: str = ""
    claim_text: str = ""
    outputs: dict[str, Path] = field(default_factory=dict)


# -- the steps ----------------------------------------------------------------------

def step_resources(ctx: Context) -> str:
    from stancemark.core.resources import resources_dir
    from stancemark.services.demo import sample_files

    folder = resources_dir()
    samples = sample_files()
    check(samples, f"no sample articles in {folder / 'samples'}")
    return f"{len(samples)} samples in {folder}"


def step_create_project(ctx: Context) -> str:
    from stancemark.store import open_project

    path = ctx.folder / "self-test.stancemark"
    ctx.store = open_project(path, create=True)
    check(ctx.store.integrity_ok(), "the new project fails its integrity check")
    return str(path)


def _pick_sample() -> Path:
    from stancemark.services.demo import sample_files

    samples = sample_files()
    html = [p for p in samples if p.suffix in (".html", ".htm")]
    return (html or samples)[0]


def step_import_sample(ctx: Context) -> str:
    from stancemark.services.importing import import_paths

    sample = _pick_sample()
    report = import_paths(ctx.store, [sample])
    outcome = report.outcomes[0] if report.outcomes else None
    check(outcome is not None and outcome.status == "imported",
          f"{sample.name}: {outcome.status if outcome else 'nothing'} "
          f"{outcome.message if outcome else ''}".strip())
    assert outcome is not None
    ctx.article_id = outcome.article_id
    article = ctx.store.articles.get(ctx.article_id)
    check(len(article.text) > 100, f"{sample.name} gave only {len(article.text)} characters")
    return sample.name


def step_import_page(ctx: Context) -> str:
    from stancemark.services.importing import import_paths

    page = ctx.folder / "harbour-board.html"
    page.write_text(SAMPLE_PAGE, encoding="utf-8")
    report = import_paths(ctx.store, [page])
    outcome = report.outcomes[0]
    check(outcome.status == "imported", f"{page.name}: {outcome.status} {outcome.message}")
    article = ctx.store.articles.get(outcome.article_id)
    check("environmental survey" in article.text, "the article body was not extracted")
    check("newsletter" not in article.text and "Weather" not in article.text,
          "page furniture (menu, footer) was kept in the text")
    check(article.title and "dredging" in article.title, f"title read as {article.title!r}")
    check(article.published and article.published.startswith("2023-03-14"),
          f"publication date read as {article.published!r}")
    ctx.html_article_id = outcome.article_id
    return f"title {article.title!r}, published {article.published[:10]}"


def _name_span(text: str) -> tuple[int, int]:
    """Two capitalised words (a likely name) after the first line, else one, to tag."""
    offset = text.find("\n") + 1 if "\n" in text else 0
    for pattern in (r"\b[^\W\d_a-z][^\W\d_]+ [^\W\d_a-z][^\W\d_]{2,}\b",
                    r"\b[^\W\d_a-z][^\W\d_]{3,}\b"):
        match = re.search(pattern, text[offset:])
        if match:
            return offset + match.start(), offset + match.end()
    match = re.search(r"\w{3,}", text)
    check(match is not None, "the article has no word to tag")
    assert match is not None
    return match.start(), match.end()


def step_mention(ctx: Context) -> str:
    from stancemark.services.annotation import AnnotationService
    from stancemark.services.edits import perform

    assert ctx.article_id is not None
    service = AnnotationService(ctx.store, ANNOTATOR)
    text = ctx.store.articles.get(ctx.article_id).text
    start, end = _name_span(text)
    name = text[start:end]
    perform(ctx.store, service.tag_new_actor(ctx.article_id, start, end, name, "person"))
    mentions = ctx.store.annotations.mentions(ctx.article_id, ANNOTATOR)
    check(len(mentions) == 1, f"expected 1 mention, found {len(mentions)}")
    check(text[mentions[0].start:mentions[0].end] == mentions[0].text == name,
          "the stored mention does not match the text")
    ctx.actor_id = mentions[0].actor_id
    ctx.mention_text = name
    return f"{name!r} at {start}–{end}"


def step_claim(ctx: Context) -> str:
    from stancemark.services.annotation import AnnotationService
    from stancemark.services.edits import perform

    assert ctx.article_id is not None
    service = AnnotationService(ctx.store, ANNOTATOR)
    text = ctx.store.articles.get(ctx.article_id).text
    book = ctx.store.codebook.load()
    category = book.categories[0].key if book.categories else None
    stance = max((p.value for p in book.scale), default=None)
    # The sentence after the mention: the span a claim usually covers.
    mention = ctx.store.annotations.mentions(ctx.article_id, ANNOTATOR)[0]
    start = mention.end
    end = min(len(text), start + 80)
    stop = text.find(".", start + 10, end)
    end = stop + 1 if stop != -1 else end
    while end > start and text[end - 1].isspace():
        end -= 1
    perform(ctx.store, service.add_claim(ctx.article_id, start, end,
                                         category=category, stance=stance))
    claims = ctx.store.annotations.claims(ctx.article_id, ANNOTATOR)
    check(len(claims) == 1, f"expected 1 claim, found {len(claims)}")
    claim = claims[0]
    check(text[claim.start:claim.end] == claim.text, "the stored claim does not match the text")
    check(claim.claimant_id == ctx.actor_id, "the claimant was not guessed from the mention")
    ctx.claim_text = claim.text
    return f"{len(claim.text)} characters, category {category}, stance {stance}"


def step_sentiment(ctx: Context) -> str:
    from stancemark.services.annotation import AnnotationService
    from stancemark.services.edits import perform

    assert ctx.article_id is not None and ctx.actor_id is not None
    service = AnnotationService(ctx.store, ANNOTATOR)
    perform(ctx.store, service.set_article_sentiment(ctx.article_id, -1))
    perform(ctx.store, service.set_actor_sentiment(ctx.article_id, ctx.actor_id, 1))
    check(ctx.store.annotations.sentiment(ctx.article_id, None, ANNOTATOR) == -1,
          "the article sentiment was not stored")
    check(ctx.store.annotations.sentiment(ctx.article_id, ctx.actor_id, ANNOTATOR) == 1,
          "the actor sentiment was not stored")
    return "article −1, actor +1"


def _export(ctx: Context, fmt: str, name: str) -> Path:
    from stancemark.services.exchange import export_project

    dest = ctx.folder / name
    export_project(ctx.store, fmt, dest)
    check(dest.exists(), f"{dest.name} was not written")
    return dest


def step_export_jsonl(ctx: Context) -> str:
    dest = _export(ctx, "jsonl", "export.jsonl")
    lines = [json.loads(line) for line in dest.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    articles = [o for o in lines if o.get("kind") == "article"
                and o.get("annotator") == ANNOTATOR]
    check(articles, "no article line of the self-test annotator in the JSONL")
    ours = next((o for o in articles if o.get("mentions")), None)
    check(ours is not None, "the exported article has no mentions")
    assert ours is not None
    text = ours["article"]["text"]
    for span in [*ours["mentions"], *ours.get("claims", [])]:
        check(text[span["start"]:span["end"]] == span["text"],
              f"exported span {span['id']} does not slice to its text")
    check(any(m["text"] == ctx.mention_text for m in ours["mentions"]),
          "the mention is missing from the JSONL")
    check(any(c["text"] == ctx.claim_text for c in ours.get("claims", [])),
          "the claim is missing from the JSONL")
    check((ours.get("sentiment") or {}).get("article") == -1,
          "the article sentiment is missing from the JSONL")
    return f"{len(lines)} lines read back"


def _read_csv(path: Path) -> list[dict[str, str]]:
    check(path.is_file(), f"{path.name} is missing from the CSV export")
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def step_export_csv(ctx: Context) -> str:
    dest = _export(ctx, "csv", "export-csv")
    tables = {p.stem: _read_csv(p) for p in sorted(dest.glob("*.csv"))}
    check(tables, "the CSV export holds no .csv file")
    mentions = tables.get("mentions", [])
    check(any(r.get("text") == ctx.mention_text for r in mentions),
          "the mention is missing from mentions.csv")
    claims = tables.get("claims", [])
    check(any(r.get("text") == ctx.claim_text for r in claims),
          "the claim is missing from claims.csv")
    sentiment = tables.get("sentiment", [])
    check(any(not r.get("actor") and r.get("value") == "-1" for r in sentiment),
          "the article sentiment is missing from sentiment.csv")
    rows = sum(len(t) for t in tables.values())
    return f"{len(tables)} tables, {rows} rows read back"


def step_window(ctx: Context) -> str:
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from PySide6.QtGui import QFontInfo
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        raise StepFailed(describe_import_error(exc)) from None
    from stancemark.ui.fonts import ensure_font
    from stancemark.ui.main_window import MainWindow
    from stancemark.ui.qt_app import make_app

    app = make_app()
    bundled = ensure_font(app)
    family = QFontInfo(app.font()).family()
    check(family, "no font can be found to draw text")
    check(isinstance(app, QApplication), "no QApplication")
    window = MainWindow(ctx.store, ANNOTATOR)
    window.persist_state = False  # leave the user's window layout alone
    try:
        window.resize(1200, 800)
        window.show()
        app.processEvents()
        pixmap = window.grab()
        png = ctx.folder / "window.png"
        check(not pixmap.isNull() and pixmap.width() > 100, "the window rendered nothing")
        check(pixmap.save(str(png), "PNG"), "the window image could not be saved as PNG")
        check(png.stat().st_size > 1000, "the window image is empty")
        image = pixmap.toImage()
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
                   for y in range(0, image.height(), 7)}
        check(len(colours) > 2, "the window image is blank")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    font = f"{family} (bundled)" if bundled else family
    return f"{pixmap.width()}×{pixmap.height()} on {app.platformName()}, font {font}"


def step_close(ctx: Context) -> str:
    check(ctx.store.integrity_ok(), "the project fails its integrity check")
    counts = ctx.store.counts()
    ctx.store.close()
    ctx.store = None
    return ", ".join(f"{v} {k}" for k, v in counts.items())


def step_agreement(ctx: Context) -> str:
    """The numerical library agreement needs loads, and gives a textbook figure."""
    from stancemark.analysis.alpha import alpha, reliability_data

    # two coders, four units, one disagreement: Do = 2/8, De = 2·3·5/(8·7), alpha = 8/15
    data = reliability_data([1, 1, 2, 2, 3, 3, 4, 4], ["a", "a", "b", "b", "a", "b", "b", "b"])
    value = alpha(data, "nominal").alpha
    check(value is not None and abs(value - 8 / 15) < 1e-9, f"alpha came out {value}")
    return f"nominal alpha {value:.4f} on a hand-checked case"


Step = tuple[str, Callable[[Context], str]]

STEPS: list[Step] = [
    ("find bundled resources", step_resources),
    ("create project", step_create_project),
    ("import sample article", step_import_sample),
    ("import saved web page", step_import_page),
    ("tag a mention", step_mention),
    ("add a claim", step_claim),
    ("set sentiment", step_sentiment),
    ("export JSONL and read it back", step_export_jsonl),
    ("export CSV and read it back", step_export_csv),
    ("compute agreement", step_agreement),
    ("open the window and render it", step_window),
    ("check and close the project", step_close),
]


def run_self_test(out: TextIO | None = None, *, verbose: bool = False) -> int:
    """Run every step, printing one line each; 0 if all worked, 1 at the first failure."""
    stream = out or sys.stdout
    if stream is None:  # a windowed build without a console
        stream = open(os.devnull, "w")  # noqa: SIM115

    def say(line: str) -> None:
        print(line, file=stream, flush=True)

    from stancemark import APP_NAME, __version__

    frozen = "executable" if getattr(sys, "frozen", False) else "Python " + sys.version.split()[0]
    say(f"{APP_NAME} {__version__} self-test ({frozen}, {sys.platform})")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="stancemark-selftest-",
                                     ignore_cleanup_errors=True) as tmp:
        ctx = Context(Path(tmp))
        try:
            for name, fn in STEPS:
                t0 = time.perf_counter()
                try:
                    detail = fn(ctx)
                except StepFailed as exc:
                    ms = (time.perf_counter() - t0) * 1000
                    say(f"[FAIL] {name} ({ms:.0f} ms): {exc}")
                    return 1
                except Exception as exc:  # noqa: BLE001 - every failure is reported
                    ms = (time.perf_counter() - t0) * 1000
                    if isinstance(exc, ImportError):
                        why = describe_import_error(exc)
                    else:
                        why = f"{type(exc).__name__}: {exc}"
                    say(f"[FAIL] {name} ({ms:.0f} ms): {why}")
                    if verbose or os.environ.get("STANCEMARK_DEBUG"):
                        traceback.print_exc(file=stream)
                    return 1
                ms = (time.perf_counter() - t0) * 1000
                say(f"[ok] {name} ({ms:.0f} ms)" + (f": {detail}" if detail else ""))
        finally:
            if ctx.store is not None:
                ctx.store.close()
    total = time.perf_counter() - started
    say(f"self-test passed: {len(STEPS)} steps in {total:.1f} s")
    return 0
