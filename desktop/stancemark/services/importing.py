"""Importing article files into a project: a batch that reports every file and never stops.

``import_paths`` is the long job behind ``stancemark import`` and File → Import:
it reads each file (one article, or many from a database batch or a CSV), inserts
articles in transactions of ``batch_size``, skips duplicates (same text hash), and
returns one :class:`ImportOutcome` per article (per file when the file failed whole).
``import_sources`` takes web addresses (pages and feeds) beside paths.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.articles import ColumnMap, ReadItem
from stancemark.core.errors import Cancelled, StancemarkError
from stancemark.core.models import ArticleDraft, ImportOutcome
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent, no_progress
from stancemark.core.reports import ImportReport
from stancemark.core.text import printable
from stancemark.store import Store

if TYPE_CHECKING:
    from stancemark.articles.web import Fetcher, WebPolicy

#: From this many files on (and where processes can be forked), files are read and
#: cleaned by worker processes while this one inserts: reading is half an import's work.
PARALLEL_MIN_FILES = 200


#: Within a batch file, progress is reported at most this often (seconds), so a CSV of
#: 100,000 rows does not send the window 100,000 events.
ITEM_PROGRESS_INTERVAL = 0.1


def _read_one(path: Path, columns: ColumnMap | None = None
              ) -> tuple[Path, list[ReadItem] | None]:
    """Read one file into its items (one, or many for a batch file).

    Runs in a worker process, so failures travel back as plain values. Tables (CSV,
    JSON Lines) come back as None: the importing process streams them itself, since
    a worker would have to hold all their rows to send them.
    """
    from stancemark.articles import is_table

    if is_table(path):
        return path, None
    return path, list(_iter_one(path, columns))


def _iter_one(path: Path, columns: ColumnMap | None) -> Iterator[ReadItem]:
    """The items of one file, lazily; an unexpected error ends the file, not the batch."""
    from stancemark.articles import read_items

    number = 0
    try:
        for item in read_items(path, columns=columns):
            number = item.item or number
            yield item
    except StancemarkError as exc:
        yield ReadItem(None, getattr(exc, "status", "unreadable"), str(exc))
    except MemoryError:
        yield ReadItem(None, "too_large", f"{printable(str(path))} needs more memory than "
                       "there is to read.", None)
    except Exception as exc:  # noqa: BLE001 - one file's surprise must not end the batch
        yield ReadItem(None, "unreadable", _unexpected(path, exc),
                       number + 1 if number else None)


def _unexpected(path: Path, exc: BaseException) -> str:
    detail = printable(str(exc))[:200]
    return (f"{printable(str(path))} could not be read: unexpected {type(exc).__name__}"
            f"{': ' + detail if detail else ''}. Please report this with the file.")


def _read_all(files: list[Path], workers: int, columns: ColumnMap | None = None,
              table_columns: Mapping[Path, ColumnMap] | None = None
              ) -> Generator[tuple[Path, Iterable[ReadItem]], None, None]:
    """Read ``files`` in order, in ``workers`` forked processes when it pays off.

    Only fork is used (Linux): it needs no re-import of the program, so it works the
    same from a checkout, a wheel and a one-file bundle. Closing the iterator early
    (a cancel) terminates the workers.
    """
    def columns_of(path: Path) -> ColumnMap | None:
        return table_columns.get(path, columns) if table_columns else columns

    if workers < 1 or len(files) < PARALLEL_MIN_FILES or not sys.platform.startswith("linux"):
        for path in files:  # items stream: a large CSV costs the memory of a few rows
            yield path, _iter_one(path, columns_of(path))
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for path, items in pool.imap(partial(_read_one, columns=columns), files,
                                     chunksize=_chunk_size(files)):
            # tables come back unread (items None), so their own columns are used here
            yield path, items if items is not None else _iter_one(path, columns_of(path))


def _chunk_size(files: list[Path]) -> int:
    """Files handed to a reader at a time: many small ones (fewer round trips; a
    folder of scraped articles imports ~10 % faster with 64 than with 16), few large
    ones (what a chunk holds waits in memory until all of it is read)."""
    sample = files[:50]
    total = 0
    for path in sample:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return 64 if total <= 64 * 1024 * len(sample) else 4


def default_workers() -> int:
    """Reader processes: one core stays with the process that inserts."""
    return min(4, (os.cpu_count() or 1) - 1)


def import_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelFlag | None = None,
    batch_size: int = 500,
    workers: int | None = None,
    columns: ColumnMap | None = None,
    table_columns: Mapping[Path, ColumnMap] | None = None,
) -> ImportReport:
    """Import files and folders (recursively) into ``store``.

    A file may hold many articles (a Nexis or Factiva batch, a CSV or JSON Lines
    file: ``columns`` says which column is which, ``table_columns`` the same for
    one file, keyed by the path as given, as the window's mapping preview chose
    it); each gets its own outcome with
    its item number, and one bad item never stops the others. Progress counts
    files; within a batch file it is reported for each item too (same count).
    Cancel is checked between items. Every input is a path (an ``http://`` string
    too); :func:`import_sources` takes web addresses as well.
    """
    return import_sources(store, [Path(p) for p in paths], progress=progress, cancel=cancel,
                          batch_size=batch_size, workers=workers, columns=columns,
                          table_columns=table_columns)


def import_sources(
    store: Store,
    inputs: Sequence[str | os.PathLike[str]],
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelFlag | None = None,
    batch_size: int = 500,
    workers: int | None = None,
    columns: ColumnMap | None = None,
    table_columns: Mapping[Path, ColumnMap] | None = None,
    web: WebPolicy | None = None,
) -> ImportReport:
    """Import files, folders and web addresses (pages and RSS/Atom feeds) into ``store``.

    A string that starts with ``scheme://`` is an address, anything else a path.
    Files are read first (as :func:`import_paths`), then the addresses in the order
    given, fetched under ``web`` (politeness, limits). An address already in the
    project (an article's url or the address it was imported from), or given twice,
    is reported as a duplicate without being fetched. Cancel also stops a fetch that
    is waiting its turn or for a retry. ``table_columns`` is as for :func:`import_paths`.
    """
    from stancemark.articles import iter_input_files
    from stancemark.articles.web import Fetcher, is_url

    urls = [str(i).strip() for i in inputs if is_url(i)]
    files = list(iter_input_files([i for i in inputs if not is_url(i)]))
    reads = _read_all(files, default_workers() if workers is None else workers, columns,
                      table_columns)

    def sources() -> Iterator[tuple[str | os.PathLike[str], Iterable[ReadItem]]]:
        yield from reads
        if urls:
            yield from _url_sources(store, urls, Fetcher(web, cancel))

    try:
        return import_items(store, sources(), total=len(files) + len(urls), progress=progress,
                            cancel=cancel, batch_size=batch_size)
    finally:
        reads.close()


def _url_sources(store: Store, urls: list[str], fetcher: Fetcher
                 ) -> Iterator[tuple[str, Iterable[ReadItem]]]:
    """``(url, items)`` per address; addresses already imported are not fetched again."""
    from stancemark.articles.web import normalize_url
    from stancemark.articles.webpages import read_url

    in_project = store.articles.web_addresses()
    this_batch: set[str] = set()

    def known(url: str) -> str | None:
        forms = {url.strip()}
        with contextlib.suppress(ValueError):  # a malformed address: the fetch says why
            forms.add(normalize_url(url))
        for form in forms:
            if form in this_batch:
                return "the address came earlier in this batch; skipped."
            if form in in_project:
                return (f"the address is already in the project (article {in_project[form]}); "
                        "not fetched again.")
        return None

    def items(url: str) -> Iterator[ReadItem]:
        for item in read_url(url, fetcher, known=known):
            if item.draft is not None:  # later entries linking here are duplicates
                this_batch.update(a for a in (item.draft.url, item.draft.source_path) if a)
            yield item
        this_batch.add(url)

    for url in urls:
        yield url, items(url)


def source_key(source: str, draft: ArticleDraft) -> str:
    """Which files share a site's furniture: the outlet when the reader found one, else
    the folder the file is in (a scraper saves each site to its own folder)."""
    if draft.source:
        return "source:" + draft.source.casefold()
    return "folder:" + os.path.dirname(source)


def import_items(
    store: Store,
    sources: Iterable[tuple[str | os.PathLike[str], Iterable[ReadItem]]],
    *,
    total: int | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelFlag | None = None,
    batch_size: int = 500,
) -> ImportReport:
    """Import already-read items: ``(source, items)`` per file, page or feed.

    The batch part of :func:`import_paths`, for any reader that produces
    :class:`~stancemark.articles.ReadItem` values (a feed, a URL list): outcomes
    per item, duplicates skipped, progress per source (``total`` sources, None if
    unknown) and per item, cancel between items, inserts in transactions of
    ``batch_size``. Scraped plain text is cleaned once more per transaction: lines
    that repeat across many files of one source (:func:`source_key`) are dropped
    (:class:`~stancemark.articles.repeats.RepeatedLines`).
    """
    report = ImportReport()
    pending: list[tuple[str, ArticleDraft, int | None]] = []
    from stancemark.articles.repeats import RepeatedLines

    repeats = RepeatedLines()

    def insert(drafts: list[ArticleDraft]) -> list[tuple[int | None, str | None]]:
        """``(article id or None for a duplicate, None)`` per draft, or ``(None, why)``."""
        try:
            return [(aid, None) for aid, _uid in store.articles.add_many(drafts)]
        except (ValueError, UnicodeError) as exc:
            # the database refused a draft (add_many is one transaction, so nothing of
            # the batch was written): add them one by one, to keep all the others
            if len(drafts) == 1:
                return [(None, f"could not be stored: {type(exc).__name__}: {exc}")]
            return [result for d in drafts for result in insert([d])]

    def flush() -> None:
        if not pending:
            return
        # scraped text: lines a site repeats across its files are its menus and footers
        repeats.clean((source_key(source, draft), draft) for source, draft, _n in pending)
        results = insert([d for _, d, _n in pending])
        for (source, draft, item), (article_id, refused) in zip(pending, results, strict=True):
            where = f" item {item}" if item is not None else ""
            if refused is not None:
                report.outcomes.append(ImportOutcome(
                    source, "unreadable", None, None,
                    f"{printable(source)}{where} {printable(refused)[:200]}. "
                    "Please report this with the file.", item))
            elif article_id is None:
                report.outcomes.append(ImportOutcome(
                    source, "duplicate", None, draft.title,
                    f"{'Item ' + str(item) + ': same' if item is not None else 'Same'} text as "
                    "an article already in the project; skipped.", item))
            else:
                report.outcomes.append(ImportOutcome(source, "imported", article_id,
                                                     draft.title, "", item))
        pending.clear()

    try:
        for i, (where, items) in enumerate(sources):
            if cancel is not None:
                cancel.check()
            source = str(where)
            # a file by its name; a web address whole (the bar shows its end)
            name = printable(source if "://" in source else Path(source).name or source)
            shown_at = 0.0
            for item in items:
                if item.item is not None:
                    now = time.monotonic()
                    if now - shown_at >= ITEM_PROGRESS_INTERVAL:
                        shown_at = now
                        progress(ProgressEvent(i, total, f"{name} #{item.item}"))
                if item.draft is None:
                    report.outcomes.append(ImportOutcome(source, item.status, None,
                                                         item.title, item.message, item.item))
                else:
                    pending.append((source, item.draft, item.item))
                    if len(pending) >= batch_size:
                        flush()
                # after the item: one already read (or fetched) is kept, not dropped
                if item.item is not None and cancel is not None:
                    cancel.check()
            progress(ProgressEvent(i + 1, total, name))
        flush()
    except Cancelled:
        flush()
        report.cancelled = True
    return report
