"""Progress reporting and cancellation for long work, with no GUI knowledge.

A long job is a plain function taking ``progress`` (a callable) and ``cancel``
(a :class:`CancelFlag`). The CLI draws a bar from the callbacks; the UI runs
the same function on a worker thread and forwards them through signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from stancemark.core.errors import Cancelled


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One step of a long job: ``done`` of ``total`` items, and what it is doing."""

    done: int
    total: int | None
    message: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


def no_progress(_event: ProgressEvent) -> None:
    """Ignore progress (the default)."""


class CancelFlag:
    """A thread-safe flag a job checks between items."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if cancellation was asked for."""
        if self._event.is_set():
            raise Cancelled()
