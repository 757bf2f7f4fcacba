"""Importing article files into a project: a batch that reports every file and never stops.

``import_paths`` is the long job behind ``stancemark import`` and File → Import:
it reads each file, inserts articles in transactions of ``batch_size``, skips
duplicates (same text hash), and returns one :class:`ImportOutcome` per file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stancemark.core.errors import Cancelled, StancemarkError
from stancemark.core.models import ArticleDraft, ImportOutcome
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent, no_progress
from stancemark.store import Store


@dataclass
class ImportReport:
    """Per-file outcomes of an import batch, with counts by status."""

    outcomes: list[ImportOutcome] = field(default_factory=list)
    cancelled: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def imported(self) -> int:
        return self.count("imported")

    def summary(self) -> str:
        order = ("imported", "duplicate", "empty", "binary", "too_large", "unreadable")
        parts = [f"{self.count(s)} {s.replace('_', ' ')}" for s in order if self.count(s)]
        text = ", ".join(parts) if parts else "no files"
        return text + (" (cancelled)" if self.cancelled else "")


def import_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelFlag | None = None,
    batch_size: int = 500,
) -> ImportReport:
    """Import files and folders (recursively) into ``store``."""
    from stancemark.articles import iter_input_files, read_file

    files = list(iter_input_files(paths))
    report = ImportReport()
    pending: list[tuple[Path, ArticleDraft]] = []
    total = len(files)

    def flush() -> None:
        if not pending:
            return
        results = store.articles.add_many(d for _, d in pending)
        for (path, draft), (article_id, _uid) in zip(pending, results, strict=True):
            if article_id is None:
                report.outcomes.append(ImportOutcome(
                    str(path), "duplicate", None, draft.title,
                    "Same text as an article already in the project; skipped."))
            else:
                report.outcomes.append(ImportOutcome(str(path), "imported", article_id,
                                                     draft.title))
        pending.clear()

    try:
        for i, path in enumerate(files):
            if cancel is not None:
                cancel.check()
            try:
                draft = read_file(path)
            except StancemarkError as exc:
                status = getattr(exc, "status", "unreadable")
                report.outcomes.append(ImportOutcome(str(path), status, None, None, str(exc)))
            else:
                pending.append((path, draft))
                if len(pending) >= batch_size:
                    flush()
            progress(ProgressEvent(i + 1, total, path.name))
        flush()
    except Cancelled:
        flush()
        report.cancelled = True
    return report


def import_drafts(store: Store, drafts: Iterable[ArticleDraft]) -> list[int | None]:
    """Insert already-read drafts (demo project, tests); ids, None for duplicates."""
    return [article_id for article_id, _ in store.articles.add_many(drafts)]
