"""Opening a file we are asked to read, refusing anything that is not a regular file.

A named pipe (FIFO) blocks ``open()`` until a writer comes, a device never
ends (``/dev/zero``) and a folder or socket is no file at all. :func:`open_regular`
opens without blocking, checks what it opened (not what a path named a moment
before) and raises a :class:`StancemarkError` that says what the path is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from stancemark.core.errors import StancemarkError


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def not_regular(path: Path, kind: str, hint: str) -> StancemarkError:
    return StancemarkError(f"{path} is {kind}, not a file; nothing was read from it.", hint)


def check_regular(path: Path, hint: str = "Give the path of a file.") -> os.stat_result:
    """Stat ``path`` (following links) and refuse anything but a regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise StancemarkError(f"There is no file {path}.", "Check the path.") from None
    except OSError as exc:
        raise StancemarkError(f"Cannot read {path}: {exc.strerror or exc}.",
                              "Check the path and that you may read it.") from None
    kind = kind_of(st.st_mode)
    if kind is not None:
        raise not_regular(path, kind, hint)
    return st


def open_regular(path: Path, hint: str = "Give the path of a file.") -> BinaryIO:
    """Open ``path`` for binary reading; never blocks, and refuses non-regular files."""
    check_regular(path, hint)  # the clear message for the common case
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise StancemarkError(f"Cannot read {path}: {exc.strerror or exc}.",
                              "Check the path and that you may read it.") from None
    try:
        # the path may have been swapped for a pipe since the check: judge what was opened
        kind = kind_of(os.fstat(fd).st_mode)
        if kind is not None:
            raise not_regular(path, kind, hint)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
