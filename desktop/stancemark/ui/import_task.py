"""Importing articles off the UI thread, with a progress dialog that can cancel.

The work is ``services.importing.import_sources`` (a plain function with a progress
callback and a cancel flag: files, folders and web addresses), run by the generic
:class:`~stancemark.ui.tasks.TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QWidget

from stancemark.articles import ColumnMap
from stancemark.articles.web import WebPolicy
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.services.importing import ImportReport, import_sources
from stancemark.store import Store
from stancemark.ui.tasks import TaskRunner


def _import_job(store: Store, inputs: list[Path | str], table_columns: dict[Path, ColumnMap],
                web: WebPolicy | None, progress: ProgressCallback,
                cancel: CancelFlag) -> ImportReport:
    # workers=0: no forked readers from a process with Qt's threads running (a lock held
    # by one of them at fork time could hang the child); the CLI uses them.
    return import_sources(store, inputs, progress=progress, cancel=cancel, workers=0,
                          table_columns=table_columns, web=web)


class ImportRunner(TaskRunner):
    """Imports files, folders and web addresses (``str`` ones; paths are ``Path``s);
    ``finished`` carries the :class:`ImportReport`.

    ``table_columns`` gives CSV and JSON Lines files the columns chosen for them.
    """

    def __init__(self, store: Store, paths: Sequence[Path | str], parent: QWidget,
                 delay_ms: int = 500, *, web: WebPolicy | None = None,
                 table_columns: Mapping[Path, ColumnMap] | None = None) -> None:
        super().__init__(partial(_import_job, store, list(paths), dict(table_columns or {}),
                                 web),
                         parent, title="Import", label="Importing articles…",
                         verb="Importing", delay_ms=delay_ms)
        # import_paths reports a cancel in its report; a raised Cancelled still ends the import
        self.cancelled.connect(lambda: self.failed.emit("The import was cancelled."))
