"""Going back to a backup, and setting a stray journal aside, without losing either state.

Copying a ``.bak`` over a project by hand is not enough: SQLite's journal
(``-wal``) beside it belongs to the later state and would be applied to the
backup, mixing the two. Here the project, its journal and its ``-shm`` are first
renamed together to a *kept* name (so the state being replaced still opens as it
was), then the backup is written in with no journal beside it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from stancemark.core.errors import ProjectError, ProjectLockedError
from stancemark.store.lock import WriterLock
from stancemark.store.project import (
    _connect,
    _inspect,
    _open_read_only,
    journal_paths,
    resolve_project_path,
    write_atomically,
)


@dataclass(frozen=True)
class RestoreReport:
    """Where things went: the project, what it now holds, and where the old state is kept."""

    project: Path
    kept: Path | None
    source: Path | None
    schema_version: int | None


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _locked(path: Path) -> WriterLock:
    lock = WriterLock(path)
    try:
        got = lock.acquire()
    except OSError as exc:
        raise ProjectError(f"Cannot lock {path}: {exc.strerror}.",
                           "Check the folder's permissions.") from None
    if not got:
        raise ProjectLockedError(f"{path} is open in another Stancemark window.",
                                 "Close it there first; nothing was changed.")
    return lock


def _members(path: Path) -> list[Path]:
    """The project file and whichever of its journal files exist."""
    return [p for p in (path, *journal_paths(path)) if os.path.lexists(p)]


def _move_aside(path: Path, kept: Path) -> list[tuple[Path, Path]]:
    """Rename the project and its journal files to ``kept``; returns what moved (to undo)."""
    moved: list[tuple[Path, Path]] = []
    targets = dict(zip((path, *journal_paths(path)), (kept, *journal_paths(kept)), strict=True))
    try:
        for member in _members(path):
            os.rename(member, targets[member])
            moved.append((member, targets[member]))
    except OSError as exc:
        _move_back(moved)
        raise ProjectError(f"Cannot rename {path} to keep it: {exc.strerror}.",
                           "Check the folder's permissions; nothing was changed.") from None
    return moved


def _move_back(moved: list[tuple[Path, Path]]) -> None:
    for original, now in reversed(moved):
        try:
            os.rename(now, original)
        except OSError:
            pass


def _kept_name(path: Path, word: str) -> Path:
    kept = path.with_name(f"{path.name}.{word}-{_stamp()}")
    n = 1
    while os.path.lexists(kept):
        n += 1
        kept = path.with_name(f"{path.name}.{word}-{_stamp()}-{n}")
    return kept


def restore_backup(project: str | Path, backup: str | Path) -> RestoreReport:
    """Make ``project`` the state saved in ``backup``; the state it had is kept beside it."""
    path = resolve_project_path(project)
    source = resolve_project_path(backup)
    if not source.is_file():
        raise ProjectError(f"There is no backup file at {source}.", "Check the path.")
    if path.exists() and os.path.samefile(path, source):
        raise ProjectError(f"{source} is the project itself, not a backup of it.",
                           "Give the path of a .bak copy.")
    if os.path.lexists(journal_paths(source)[0]):
        conn = _open_read_only(source)
    else:  # read it exactly as it is, without making journal files beside the backup
        conn = _connect(source.as_uri() + "?mode=ro&immutable=1")
    try:
        version = _inspect(conn, source, quick=True)
        if version == 0:
            raise ProjectError(f"{source} is an empty project, not a backup.",
                               "Give the path of a .bak copy.")
        lock = _locked(path)
        try:
            kept = _kept_name(path, "replaced") if path.exists() else None
            moved = _move_aside(path, kept) if kept is not None else []
            try:
                write_atomically(conn, path)
            except BaseException:
                _move_back(moved)
                raise
        finally:
            lock.release()
    finally:
        conn.close()
    return RestoreReport(path, kept, source, version)


def set_journal_aside(project: str | Path) -> RestoreReport:
    """Open ``project`` without its journal from now on, keeping file and journal as they were.

    The file and its journal are renamed together to a kept name (that pair opens
    exactly as the project did); the project is then a copy of the file alone.
    """
    path = resolve_project_path(project)
    wal = journal_paths(path)[0]
    if not path.is_file():
        raise ProjectError(f"There is no project at {path}.", "Check the path.")
    if not wal.exists():
        raise ProjectError(f"{path} has no journal file ({wal.name}) to set aside.",
                           "Open the project as it is.")
    lock = _locked(path)
    try:
        kept = _kept_name(path, "with-journal")
        moved = _move_aside(path, kept)
        try:
            alone = _connect(kept.as_uri() + "?mode=ro&immutable=1")
            try:
                version = _inspect(alone, path)
                write_atomically(alone, path)
            finally:
                alone.close()
        except BaseException:
            _move_back(moved)
            raise
    finally:
        lock.release()
    return RestoreReport(path, kept, None, version)


__all__ = ["RestoreReport", "restore_backup", "set_journal_aside"]
