"""Running one long job off the UI thread, with a delayed progress dialog that can cancel.

A long job (import, export, merge) is a plain function ``fn(progress, cancel)``
that reports :class:`ProgressEvent` values and checks a :class:`CancelFlag`.
:class:`TaskRunner` runs it on the global ``QThreadPool``; progress, the result
and any failure come back through signals only, and no widget is touched from
the worker. The progress dialog waits ``delay_ms`` so quick jobs never flash it.
:class:`JobSlot` is a window's one place for a long job that writes to the
project (import, merge): one at a time, and the window is busy while it runs.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QProgressDialog, QWidget

from stancemark.core.errors import Cancelled, StancemarkError
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent

#: The shape of every long job the UI runs.
Job = Callable[[ProgressCallback, CancelFlag], Any]


class TaskSignals(QObject):
    """Signals of one job (emitted from the worker, delivered on the UI thread)."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _JobRunnable(QRunnable):
    """Calls the job on a pool thread and turns its outcome into one signal."""

    def __init__(self, job: Job, cancel: CancelFlag) -> None:
        super().__init__()
        self.job, self.cancel = job, cancel
        self.signals = TaskSignals()
        self.setAutoDelete(False)  # the runner keeps it until its signals are delivered

    def run(self) -> None:
        def progress(event: ProgressEvent) -> None:
            self.signals.progress.emit(event.done, event.total or 0, event.message)

        try:
            result = self.job(progress, self.cancel)
        except Cancelled:
            self.signals.cancelled.emit()
        except StancemarkError as exc:  # says what went wrong and what to do: no traceback
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - every failure must reach the user
            self.signals.failed.emit(f"{exc}\n\n{traceback.format_exc(limit=3)}")
        else:
            self.signals.finished.emit(result)


class TaskRunner(QObject):
    """Starts one job, shows progress after ``delay_ms`` and reports how it ended.

    Exactly one of ``finished(result)``, ``failed(message)`` or ``cancelled()``
    is emitted, after the progress dialog is gone and after ``ended()``.
    """

    ended = Signal()  # the job is over, whatever its outcome (sent before the outcome)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: Job, parent: QWidget, *, title: str, label: str,
                 verb: str = "Working on", delay_ms: int = 500) -> None:
        super().__init__(parent)
        self.verb = verb
        self.running = False
        self.cancel_flag = CancelFlag()
        self.task = _JobRunnable(job, self.cancel_flag)
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(1 << 30)  # shown by our own timer, not Qt's guess
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.dialog.show)
        self.task.signals.progress.connect(self._on_task_progress)
        self.task.signals.finished.connect(self._on_task_finished)
        self.task.signals.failed.connect(self._on_task_failed)
        self.task.signals.cancelled.connect(self._on_task_cancelled)

    def start(self) -> None:
        self.running = True
        self._timer.start()
        QThreadPool.globalInstance().start(self.task)

    def cancel(self) -> None:
        """Ask the job to stop at its next check (the outcome still arrives as a signal)."""
        self.cancel_flag.cancel()
        self.dialog.setLabelText("Stopping…")

    def _on_task_progress(self, done: int, total: int, name: str) -> None:
        if self.cancel_flag.cancelled:
            return
        self.dialog.setMaximum(total)
        self.dialog.setValue(min(done, total) if total else 0)
        what = f": {name}" if name else ""
        count = f"{done} of {total}" if total else f"{done}"
        self.dialog.setLabelText(f"{self.verb} {count}{what}")

    def _close(self) -> None:
        self.running = False
        self._timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()
        self.ended.emit()

    def _on_task_finished(self, result: object) -> None:
        self._close()
        self.finished.emit(result)

    def _on_task_failed(self, message: str) -> None:
        self._close()
        self.failed.emit(message)

    def _on_task_cancelled(self) -> None:
        self._close()
        self.cancelled.emit()


class JobSlot(QObject):
    """A window's one long job that writes to the project (an import, a merge).

    One runs at a time. ``busy_changed(True)`` is sent when it starts and
    ``busy_changed(False)`` when it ends, before the runner reports its outcome,
    so the window is unlocked again before any report is shown. A job asked for
    while another writer works on the file (a team sync, see :meth:`wait_for`)
    starts when that one ends, so the two never wait on SQLite's write lock.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner: TaskRunner | None = None
        self.what = ""
        self._other_writer: Callable[[], bool] = lambda: False
        self.waiting = False  # the job is held until the other writer ends

    def wait_for(self, writing: Callable[[], bool], ended: SignalInstance) -> None:
        """Hold a job while ``writing()`` is true; ``ended`` is sent when it stops."""
        self._other_writer = writing
        ended.connect(self._on_other_writer_ended)

    @property
    def busy(self) -> bool:
        return self.runner is not None

    def start(self, runner: TaskRunner, what: str) -> bool:
        """Run ``runner`` (``what``: "import", "merge"); False if a job is already running."""
        if self.runner is not None:
            return False
        self.runner, self.what = runner, what
        runner.ended.connect(self._on_runner_ended)
        self.busy_changed.emit(True)
        self.waiting = self._other_writer()
        if not self.waiting:
            runner.start()
        return True

    def _on_other_writer_ended(self) -> None:
        if self.waiting and self.runner is not None:
            self.waiting = False
            self.runner.start()

    def cancel(self) -> None:
        """Ask the running job to stop (its outcome still arrives from its runner); a job
        still held ends at once as cancelled."""
        runner = self.runner
        if runner is None:
            return
        if self.waiting:
            self.waiting = False
            runner.ended.emit()
            runner.cancelled.emit()
            return
        runner.cancel()

    def _on_runner_ended(self) -> None:
        self.runner = None
        self.busy_changed.emit(False)
