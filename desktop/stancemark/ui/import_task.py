"""Importing articles off the UI thread, with a progress dialog that can cancel.

The work is ``services.importing.import_paths`` (a plain function with a progress
callback and a cancel flag). :class:`ImportTask` runs it on the global
``QThreadPool``; progress and the report come back through signals only, and no
widget is touched from the worker.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from stancemark.core.progress import CancelFlag, ProgressEvent
from stancemark.services.importing import ImportReport, import_paths
from stancemark.store import Store


class ImportSignals(QObject):
    """Signals of one import job (emitted from the worker, delivered on the UI thread)."""

    progress = Signal(int, int, str)
    finished = Signal(object)  # ImportReport
    failed = Signal(str)


class ImportTask(QRunnable):
    """Runs :func:`import_paths` on a pool thread."""

    def __init__(self, store: Store, paths: Sequence[Path], cancel: CancelFlag) -> None:
        super().__init__()
        self.store, self.paths, self.cancel = store, list(paths), cancel
        self.signals = ImportSignals()
        self.setAutoDelete(False)  # the controller keeps it until its signals are delivered

    def run(self) -> None:
        def progress(event: ProgressEvent) -> None:
            self.signals.progress.emit(event.done, event.total or 0, event.message)

        try:
            report = import_paths(self.store, self.paths, progress=progress, cancel=self.cancel)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the user
            self.signals.failed.emit(f"{exc}\n\n{traceback.format_exc(limit=3)}")
        else:
            self.signals.finished.emit(report)


class ImportController(QObject):
    """Starts one import, shows progress after ``delay_ms`` and reports the result."""

    finished = Signal(object)  # ImportReport
    failed = Signal(str)

    def __init__(self, store: Store, paths: Sequence[Path], parent: QWidget,
                 delay_ms: int = 500) -> None:
        super().__init__(parent)
        self.cancel_flag = CancelFlag()
        self.task = ImportTask(store, paths, self.cancel_flag)
        self.dialog = QProgressDialog("Importing articles…", "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle("Import")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(1 << 30)  # shown by our own timer, not Qt's guess
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel_flag.cancel)
        self.dialog.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.dialog.show)
        self.task.signals.progress.connect(self._on_task_progress)
        self.task.signals.finished.connect(self._on_task_finished)
        self.task.signals.failed.connect(self._on_task_failed)

    def start(self) -> None:
        self._timer.start()
        QThreadPool.globalInstance().start(self.task)

    def _on_task_progress(self, done: int, total: int, name: str) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        self.dialog.setLabelText(f"Importing {done} of {total}: {name}")

    def _close(self) -> None:
        self._timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()

    def _on_task_finished(self, report: ImportReport) -> None:
        self._close()
        self.finished.emit(report)

    def _on_task_failed(self, message: str) -> None:
        self._close()
        self.failed.emit(message)
