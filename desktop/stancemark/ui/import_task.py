"""Importing articles off the UI thread, with a progress dialog that can cancel.

The work is ``services.importing.import_paths`` (a plain function with a progress
callback and a cancel flag), run by the generic :class:`~stancemark.ui.tasks.TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QWidget

from stancemark.articles import ColumnMap
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.services.importing import ImportReport, import_paths
from stancemark.store import Store
from stancemark.ui.tasks import TaskRunner


def _import_job(store: Store, paths: list[Path], table_columns: dict[Path, ColumnMap],
                progress: ProgressCallback, cancel: CancelFlag) -> ImportReport:
    # workers=0: no forked readers from a process with Qt's threads running (a lock held
    # by one of them at fork time could hang the child); the CLI uses them.
    return import_paths(store, paths, progress=progress, cancel=cancel, workers=0,
                        table_columns=table_columns)


class ImportRunner(TaskRunner):
    """Imports files and folders; ``finished`` carries the :class:`ImportReport`.

    ``table_columns`` gives CSV and JSON Lines files the columns chosen for them.
    """

    def __init__(self, store: Store, paths: Sequence[Path], parent: QWidget,
                 delay_ms: int = 500, *,
                 table_columns: Mapping[Path, ColumnMap] | None = None) -> None:
        super().__init__(partial(_import_job, store, list(paths), dict(table_columns or {})),
                         parent, title="Import",
                         label="Importing articles…", verb="Importing", delay_ms=delay_ms)
        # import_paths reports a cancel in its report; a raised Cancelled still ends the import
        self.cancelled.connect(lambda: self.failed.emit("The import was cancelled."))
