"""Importing article files into a project: a batch that reports every file and never stops.

``import_paths`` is the long job behind ``stancemark import`` and File → Import:
it reads each file, inserts articles in transactions of ``batch_size``, skips
duplicates (same text hash), and returns one :class:`ImportOutcome` per file.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Generator, Sequence
from pathlib import Path

from stancemark.core.errors import Cancelled, StancemarkError
from stancemark.core.models import ArticleDraft, ImportOutcome
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent, no_progress
from stancemark.core.reports import ImportReport
from stancemark.core.text import printable
from stancemark.store import Store

#: From this many files on (and where processes can be forked), files are read and
#: cleaned by worker processes while this one inserts: reading is half an import's work.
PARALLEL_MIN_FILES = 200


def _read_one(path: Path) -> tuple[Path, ArticleDraft | None, str, str]:
    """Read one file: ``(path, draft, "", "")`` or ``(path, None, status, message)``.

    Runs in a worker process, so failures travel back as plain values.
    """
    from stancemark.articles import read_file

    try:
        return path, read_file(path), "", ""
    except StancemarkError as exc:
        return path, None, getattr(exc, "status", "unreadable"), str(exc)
    except Exception as exc:  # noqa: BLE001 - one file's surprise must not end the batch
        return path, None, "unreadable", _unexpected(path, exc)


def _unexpected(path: Path, exc: BaseException) -> str:
    detail = printable(str(exc))[:200]
    return (f"{printable(str(path))} could not be read: unexpected {type(exc).__name__}"
            f"{': ' + detail if detail else ''}. Please report this with the file.")


def _read_all(files: list[Path], workers: int
              ) -> Generator[tuple[Path, ArticleDraft | None, str, str], None, None]:
    """Read ``files`` in order, in ``workers`` forked processes when it pays off.

    Only fork is used (Linux): it needs no re-import of the program, so it works the
    same from a checkout, a wheel and a one-file bundle. Closing the iterator early
    (a cancel) terminates the workers.
    """
    if workers < 1 or len(files) < PARALLEL_MIN_FILES or not sys.platform.startswith("linux"):
        yield from map(_read_one, files)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_read_one, files, chunksize=16)


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
) -> ImportReport:
    """Import files and folders (recursively) into ``store``."""
    from stancemark.articles import iter_input_files

    files = list(iter_input_files(paths))
    report = ImportReport()
    pending: list[tuple[Path, ArticleDraft]] = []
    total = len(files)

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
        results = insert([d for _, d in pending])
        for (path, draft), (article_id, refused) in zip(pending, results, strict=True):
            if refused is not None:
                report.outcomes.append(ImportOutcome(
                    str(path), "unreadable", None, None,
                    f"{printable(str(path))} {printable(refused)[:200]}. "
                    "Please report this with the file."))
            elif article_id is None:
                report.outcomes.append(ImportOutcome(
                    str(path), "duplicate", None, draft.title,
                    "Same text as an article already in the project; skipped."))
            else:
                report.outcomes.append(ImportOutcome(str(path), "imported", article_id,
                                                     draft.title))
        pending.clear()

    reads = _read_all(files, default_workers() if workers is None else workers)
    try:
        for i, (path, draft, status, message) in enumerate(reads):
            if cancel is not None:
                cancel.check()
            if draft is None:
                report.outcomes.append(ImportOutcome(str(path), status, None, None, message))
            else:
                pending.append((path, draft))
                if len(pending) >= batch_size:
                    flush()
            progress(ProgressEvent(i + 1, total, printable(path.name)))
        flush()
    except Cancelled:
        flush()
        report.cancelled = True
    finally:
        reads.close()
    return report
