"""Exporting and merging annotation sets: the long jobs behind ``stancemark export``/``merge``.

``export_project`` runs any registered format (``exchange.registry``) over the
stream of annotation sets and owns what every format needs: the refusal to
overwrite, atomic writing (a temporary file or folder beside the output, then
``os.replace``), zipping, progress, cancel and the summary of what was written.
``merge_set`` validates a Stancemark JSONL set completely, copies the project,
and then merges it in one transaction; :func:`spooled_set` turns standard input
into a file it can read twice.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.errors import Cancelled, ReadOnlyProjectError, StancemarkError, ValidationError
from stancemark.core.filters import ExportFilter
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent, no_progress
from stancemark.core.reports import MergeReport
from stancemark.exchange.registry import (
    Exporter,
    companion_path,
    get_exporter,
    resolve_options,
)
from stancemark.services.export_target import (
    TargetError,
    check_folder,
    check_target,
    clean_stale,
    temp_path,
)
from stancemark.store import Store
from stancemark.store.exchange import iter_annotation_sets


@dataclass
class ExportSummary:
    """What an export wrote."""

    format: str
    output: Path
    articles: int = 0
    sets: int = 0
    mentions: int = 0
    claims: int = 0
    sentiments: int = 0
    zipped: bool = False
    companion: Path | None = None  # the side file a single-file format wrote beside it
    note: str = ""  # what the receiving program needs (settings, how to import)

    def text(self) -> str:
        side = f" (and {self.companion.name})" if self.companion else ""
        note = f" {self.note}" if self.note else ""
        return (f"{self.articles} article(s), {self.mentions} mention(s), {self.claims} "
                f"claim(s), {self.sentiments} sentiment(s) written to {self.output}{side} "
                f"({self.format}).{note}")


class _Counter:
    """Pass sets through while counting them, reporting progress and checking cancel."""

    def __init__(self, sets: Iterable[AnnotationSet], summary: ExportSummary, total: int,
                 progress: ProgressCallback, cancel: CancelFlag) -> None:
        self._sets = sets
        self._s = summary
        self._total = total
        self._progress = progress
        self._cancel = cancel

    def __iter__(self) -> Iterator[AnnotationSet]:
        last_article: int | None = None
        s = self._s
        for aset in self._sets:
            self._cancel.check()
            if aset.article.id != last_article:
                last_article = aset.article.id
                s.articles += 1
                self._progress(ProgressEvent(s.articles, self._total, aset.article.title or ""))
            s.sets += 1
            s.mentions += len(aset.mentions)
            s.claims += len(aset.claims)
            s.sentiments += len(aset.actor_sentiments) + (aset.article_sentiment is not None)
            yield aset


def output_kind(exporter: Exporter, output: Path) -> str:
    """``"file"``, ``"folder"`` or ``"zip"``: what ``output`` will be for this format."""
    if not exporter.multi_file:
        return "file"
    return "zip" if output.suffix.lower() == ".zip" else "folder"


def export_project(
    store: Store,
    fmt: str,
    output: str | Path,
    flt: ExportFilter | None = None,
    options: Mapping[str, Any] | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelFlag | None = None,
    *,
    force: bool = False,
) -> ExportSummary:
    """Write the annotation sets selected by ``flt`` to ``output`` in format ``fmt``.

    Refuses an existing output unless ``force``, and even then replaces only a
    previous Stancemark export of the same shape (``services.export_target``).
    Nothing appears at ``output`` until the whole export succeeded; on error or
    cancel the temporary file or folder is removed and an existing output is
    left as it was. Leftovers of earlier exports to ``output`` whose process
    died are removed first.
    """
    exporter = get_exporter(fmt)
    opts = resolve_options(exporter, options)  # refused before anything is touched
    flt = flt or ExportFilter()
    cancel = cancel or CancelFlag()
    out = Path(output).expanduser().absolute()
    kind = output_kind(exporter, out)
    side = companion_path(out, exporter.companion) if kind == "file" and exporter.companion \
        else None
    check_folder(out.parent)
    for path in (out, side):
        if path is not None:
            clean_stale(path)
            check_target(path, "file" if path is side else kind, store.path, force=force)
    summary = ExportSummary(fmt, out, zipped=kind == "zip", companion=side,
                            note=exporter.note(opts) if exporter.note else "")
    total = store.articles.count(flt.articles)
    codebook = store.codebook.load()
    sets = _Counter(iter_annotation_sets(store, flt), summary, total, progress, cancel)

    tmp_dir = temp_path(out)
    try:
        os.mkdir(tmp_dir, 0o700)
    except OSError as exc:
        raise TargetError(f"Cannot write in the folder {out.parent}: {exc.strerror or exc}.",
                          "Choose a folder you may write to.") from None
    try:
        if kind == "file":
            target = tmp_dir / out.name
            exporter.write(sets, target, opts, codebook, progress, cancel)
        else:
            folder = tmp_dir / (out.stem if kind == "zip" else out.name)
            folder.mkdir()
            exporter.write(sets, folder, opts, codebook, progress, cancel)
            cancel.check()
            if kind == "zip":
                target = tmp_dir / out.name
                _zip_folder(folder, target, cancel)
            else:
                target = folder
        cancel.check()
        # the output may have changed during a long export: decide again
        check_target(out, kind, store.path, force=force)
        if side is not None:
            check_target(side, "file", store.path, force=force)
            made = companion_path(target, exporter.companion)
            if not made.is_file():
                made.write_bytes(b"")
            _replace(made, side)
        _replace(target, out)
    except (Cancelled, TargetError):
        raise
    except OSError as exc:
        raise StancemarkError(f"Cannot write {out}: {exc.strerror or exc}.",
                              "Check the disk space and that you may write there.") from None
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    progress(ProgressEvent(summary.articles, summary.articles, "done"))
    return summary


def target_problem(store: Store, fmt: str, output: str | Path, *, force: bool) -> str | None:
    """Why ``output`` cannot take this export (None if it can): for the window to show early."""
    exporter = get_exporter(fmt)
    out = Path(output).expanduser().absolute()
    kind = output_kind(exporter, out)
    try:
        check_target(out, kind, store.path, force=force)
        if kind == "file" and exporter.companion:
            check_target(companion_path(out, exporter.companion), kind, store.path,
                         force=force)
    except TargetError as exc:
        return str(exc)
    return None


def _replace(src: Path, dest: Path) -> None:
    """Move ``src`` over ``dest``; a folder replaces an old folder via a side step."""
    if src.is_dir() and os.path.lexists(dest):
        old = temp_path(dest, "old")
        os.replace(dest, old)
        try:
            os.replace(src, dest)
        except BaseException:
            os.replace(old, dest)
            raise
        shutil.rmtree(old, ignore_errors=True)
        return
    os.replace(src, dest)


def _zip_folder(folder: Path, target: Path, cancel: CancelFlag) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            cancel.check()
            if path.is_file():
                zf.write(path, path.relative_to(folder.parent).as_posix())


# -- merge ----------------------------------------------------------------------

def merge_set(
    store: Store,
    path: str | Path,
    progress: ProgressCallback = no_progress,
    cancel: CancelFlag | None = None,
    *,
    backup: bool = True,
    source: str | None = None,
) -> MergeReport:
    """Merge the Stancemark JSONL set at ``path`` into ``store``.

    The whole file is validated first (a bad line is refused with its number and
    nothing is written); then a copy of the project is kept (for a file-backed
    project) and the set is merged in one transaction. If the merge fails after
    the copy was made, the project is unchanged and the copy is removed again.
    ``source`` names the set in the report (``standard input`` for a spooled one).
    """
    from stancemark.core.infile import check_regular
    from stancemark.services.merge import SET_HINT, apply_merge, plan_merge
    from stancemark.store.backup import keep_copy

    cancel = cancel or CancelFlag()
    src = Path(path)
    if store.read_only:
        raise ReadOnlyProjectError(
            "This project is open read-only" +
            (f" ({store.read_only_reason})" if store.read_only_reason else "") +
            "; nothing can be merged into it.",
            "Close the other window or fix the file permissions, then reopen it.")
    check_regular(src, SET_HINT)  # a pipe or device is refused before anything is opened
    plan = plan_merge(store, src, progress, cancel)
    report = MergeReport(source or str(src))
    report.codebook_changes = list(plan.codebook_changes)
    if backup and store.path is not None:
        report.backup = keep_copy(store, "before-merge", "the merge")
    try:
        cancel.check()
        apply_merge(store, plan, report, progress, cancel)
    except BaseException:
        # the transaction was rolled back: the project is as the copy has it
        if report.backup is not None:
            report.backup.unlink(missing_ok=True)
        raise
    return report


@contextmanager
def spooled_set(stream: BinaryIO, name: str = "standard input") -> Iterator[Path]:
    """Copy a set from ``stream`` (read once) into a private temporary file; yield its path.

    The limits of a set file apply while copying (a line of at most
    ``MAX_LINE_BYTES``, a set of at most ``MAX_SET_BYTES``), so endless input
    is cut off with a clear error rather than filling the disk. The file is
    removed when the block ends.
    """
    from stancemark.services.merge import MAX_LINE_BYTES, MAX_SET_BYTES

    folder = Path(tempfile.mkdtemp(prefix="stancemark-set-"))
    path = folder / name  # errors then read "standard input, line 3: …"
    try:
        total = 0
        n = 0
        try:
            with open(path, "xb") as out:
                while True:
                    raw = stream.readline(MAX_LINE_BYTES + 1)
                    if not raw:
                        break
                    n += 1
                    total += len(raw)
                    if len(raw) > MAX_LINE_BYTES:
                        raise ValidationError(
                            f"{name}, line {n}: longer than {MAX_LINE_BYTES // 2**20} MB, "
                            "which no annotation set line is.",
                            "The input is damaged or not an annotation set; nothing was merged.")
                    if total > MAX_SET_BYTES:
                        raise ValidationError(
                            f"{name} holds more than the {MAX_SET_BYTES // 2**30} GB an "
                            "annotation set may be.", "Split the set; nothing was merged.")
                    out.write(raw)
        except OSError as exc:
            raise StancemarkError(
                f"Cannot keep {name} in a temporary file ({exc.strerror or exc}); nothing "
                "was merged.", "Free some space in the temporary folder, or merge from a "
                "file.") from None
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)
