"""One writer per project: an OS advisory lock on a sidecar file.

The lock lives on ``<project>.lock`` (never on the database itself, whose
byte-range locks belong to SQLite). The OS drops it when the process dies, so
a crash never leaves a project locked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class WriterLock:
    """An exclusive, non-blocking lock held for as long as the project is open for writing."""

    def __init__(self, project: Path) -> None:
        self.path = project.with_name(project.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; False if another process holds it. Raises OSError if it can't be made."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if sys.platform != "win32":
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            # The file stays: unlinking it would let a third process lock a new
            # inode while a second one still holds the old.
            os.close(fd)
