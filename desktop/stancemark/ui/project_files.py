"""Project files for a window: new, open, recent and switching projects; importing articles.

:class:`ProjectFiles` asks for paths (dialogs, the Open Recent menu, files
dropped on the window) and acts on them. Opening another project opens it in a
new window and closes this one. Importing runs ``services.importing`` through
the window's :class:`~stancemark.ui.tasks.JobSlot` (the one long job at a time,
the window locked while it runs) and reports the outcome in a notice on the
window, not a box the analyst must click away. CSV and JSON Lines files are
imported after the analyst has checked their columns in a
:class:`~stancemark.ui.table_import_dialog.TableImportDialog` (one per set of
columns; cancelling one cancels the whole import).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QWidget

from stancemark import APP_NAME, PROJECT_SUFFIX
from stancemark.articles import FILE_PATTERNS, ColumnMap, TablePreview
from stancemark.articles.web import WebPolicy, is_url
from stancemark.core.errors import StancemarkError
from stancemark.core.text import printable
from stancemark.services.importing import ImportReport
from stancemark.store import Store
from stancemark.ui.import_task import ImportRunner
from stancemark.ui.table_import_dialog import TableImportDialog, table_groups
from stancemark.ui.tasks import JobSlot


class ProjectFiles(QObject):
    """File › New, Open, Open Recent and Import for one window; also files dropped on it."""

    #: articles were imported (sent first, before the report is shown)
    articles_imported = Signal()
    import_finished = Signal(object)  # ImportReport
    #: the columns of a CSV / JSON Lines file are being asked (before its import starts)
    table_dialog_shown = Signal(object)  # TableImportDialog

    def __init__(self, window: QWidget, store: Store, jobs: JobSlot, recent_menu: QMenu,
                 *, annotator: Callable[[], str], show_message: Callable[[str], None],
                 show_notice: Callable[[str, str], None] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.jobs = jobs
        self.recent_menu = recent_menu
        self.annotator = annotator
        self.show_message = show_message
        #: a notice that stays on the window without taking the keyboard (text, details)
        self.show_notice = show_notice or (lambda text, _details: show_message(text))
        #: how imports fetch web addresses (None: the defaults; tests make it fast)
        self.web_policy: WebPolicy | None = None
        #: the open File › Import from URL dialog, if any
        self.url_dialog: QDialog | None = None
        recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        #: the column mapping being asked before an import, if any
        self.table_dialog: TableImportDialog | None = None

    # -- projects -----------------------------------------------------------------------------
    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "New project", str(Path.home()),
                                              f"Stancemark projects (*{PROJECT_SUFFIX})")
        if path:
            if not Path(path).suffix:
                path += PROJECT_SUFFIX
            self.switch_project(Path(path))

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", str(Path.home()),
                                              f"Stancemark projects (*{PROJECT_SUFFIX});;"
                                              "All files (*)")
        if path:
            self.switch_project(Path(path))

    def _on_recent_menu_about_to_show(self) -> None:
        from stancemark.ui.qt_app import recent_projects

        menu = self.recent_menu
        menu.clear()
        for path in recent_projects():
            action = QAction(str(path), menu)
            action.triggered.connect(lambda _c=False, p=path: self.switch_project(p))
            menu.addAction(action)
        if menu.isEmpty():
            menu.addAction("(none yet)").setEnabled(False)

    def switch_project(self, path: Path) -> None:
        """Open ``path`` in a new window and close this one (not if it is this project)."""
        from stancemark.ui.qt_app import open_window

        if self.store.path is not None and path.resolve() == self.store.path.resolve():
            return
        try:
            open_window(path, annotator=self.annotator())
        except StancemarkError as exc:
            QMessageBox.warning(self.window, APP_NAME, str(exc))
            return
        self.window.close()

    # -- importing -----------------------------------------------------------------------------
    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import articles", str(Path.home()),
                                                f"Articles ({' '.join(FILE_PATTERNS)});;"
                                                "All files (*)")
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self.window, "Import a folder of articles",
                                                str(Path.home()))
        if path:
            self.import_paths([Path(path)])

    def import_urls(self) -> None:
        """File › Import from URL or Feed…: ask for addresses, then fetch and import them."""
        from stancemark.ui.import_urls_dialog import ImportUrlsDialog

        dialog = ImportUrlsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.import_paths(dialog.urls()))
        dialog.finished.connect(lambda _result: setattr(self, "url_dialog", None))
        self.url_dialog = dialog
        dialog.open()

    @staticmethod
    def accepts_drop(mime: QMimeData) -> bool:
        """Whether a drag carries local files (to be imported when dropped)."""
        return mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())

    def dropped(self, mime: QMimeData) -> bool:
        """Import the local files of a drop; False if it had none."""
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        if paths:
            self.import_paths(paths)
        return bool(paths)

    def import_paths(self, paths: Sequence[Path | str]) -> None:
        """Import files/folders (``Path``) and web addresses (``str``) on a worker thread;
        the window is locked until it ends."""
        if self.store.read_only:
            self.show_message("This project is read-only; nothing can be imported.")
            return
        if self.jobs.busy:
            self.show_message("An import is already running." if self.jobs.what == "import"
                              else f"Wait for the {self.jobs.what} to finish.")
            return
        if self.table_dialog is not None:
            self.show_message("Finish choosing the columns of the table being imported first.")
            self.table_dialog.raise_()
            return
        tables = table_groups([p for p in paths if isinstance(p, Path)])  # addresses: no tables
        self._ask_columns(list(paths), tables, {})

    def _ask_columns(self, paths: list[Path | str], groups: list[tuple[list[Path], TablePreview]],
                     chosen: dict[Path, ColumnMap]) -> None:
        """Ask the columns of each group of tables in turn, then import everything."""
        if not groups:
            self._start_import(paths, chosen)
            return
        files, preview = groups[0]
        dialog = TableImportDialog(files, preview, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.table_dialog = dialog

        def on_accepted() -> None:
            self.table_dialog = None
            columns = dialog.column_map()
            self._ask_columns(paths, groups[1:], chosen | dict.fromkeys(files, columns))

        def on_rejected() -> None:
            self.table_dialog = None
            self.show_message("Import cancelled; nothing was imported.")

        dialog.accepted.connect(on_accepted)
        dialog.rejected.connect(on_rejected)
        dialog.open()
        self.table_dialog_shown.emit(dialog)

    def _start_import(self, paths: list[Path | str], table_columns: dict[Path, ColumnMap]) -> None:
        if self.jobs.busy:  # something started while the columns were being chosen
            self.show_message(f"Wait for the {self.jobs.what} to finish, then import again.")
            return
        runner = ImportRunner(self.store, paths, self.window, web=self.web_policy,
                              table_columns=table_columns)
        runner.finished.connect(self._on_import_finished)
        runner.failed.connect(self._on_import_failed)
        self.jobs.start(runner, "import")

    def _on_import_finished(self, report: ImportReport) -> None:
        self.articles_imported.emit()
        summary = report.summary()
        self.show_message(f"Import: {summary}.")
        lines = [f"{o.status}: {_where(o.path, o.item)}"
                 + (f" — {o.message}" if o.message else "")
                 for o in report.outcomes if o.status != "imported"][:20]
        self.show_notice(f"Import finished: {summary}.", "\n".join(lines))
        self.import_finished.emit(report)

    def _on_import_failed(self, message: str) -> None:
        self.articles_imported.emit()  # a failed import may have added some before it stopped
        self.show_message("Import failed.")
        box = QMessageBox(QMessageBox.Icon.Critical, "Import failed", message, parent=self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def _where(path: str, item: int | None) -> str:
    """A file by its name, a web address whole; ``#n`` for an item of a batch or feed."""
    shown = printable(path) if is_url(path) else printable(Path(path).name)
    return f"{shown} #{item}" if item is not None else shown
