"""The copy of a project kept before a bulk change (a merge): complete, or not there at all.

The copy is written under a hidden temporary name beside the project and
renamed into place only when SQLite has finished it, so a full disk, a
read-only mount or a crash never leaves a 0-byte or half-written ``.bak``.
"""

from __future__ import annotations

import errno
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.core.errors import ProjectError, StancemarkError

if TYPE_CHECKING:
    from stancemark.store.project import Store


class BackupError(StancemarkError):
    """The copy of the project could not be written (nothing else was changed)."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return "the disk is full"
        if exc.errno == errno.EROFS:
            return "the disk is read-only"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "you may not write in that folder"
        return str(exc.strerror or exc)
    text = str(exc)
    if "full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "the disk or folder is read-only"
    return text


def keep_copy(store: Store, what: str, before: str = "the change") -> Path:
    """Write ``<project>.<what>-<UTC time>.bak`` beside the project; return its path.

    ``before`` names the coming change in an error (``the merge``).

    Raises :class:`BackupError` saying why (full disk, read-only folder…);
    then no file of the copy is left behind.
    """
    from stancemark.store.project import write_atomically

    assert store.path is not None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    base = f"{store.path.name}.{what}-{stamp}"
    dest = store.path.with_name(f"{base}.bak")
    n = 1
    while dest.exists() or dest.is_symlink():  # two merges in one second keep two copies
        n += 1
        dest = store.path.with_name(f"{base}-{n}.bak")
    try:
        write_atomically(store.conn, dest)  # a temporary name, renamed when whole
    except (ProjectError, OSError, sqlite3.Error) as exc:
        raise BackupError(
            f"Cannot keep a copy of the project before {before}: {_reason(exc)} "
            f"({store.path.parent}); nothing was changed.",
            "Free some disk space or make the folder writable, then try again.") from None
    return dest


__all__ = ["BackupError", "keep_copy"]
