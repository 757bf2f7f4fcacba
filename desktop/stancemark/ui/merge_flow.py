"""File › Merge Annotation Set: choose a Stancemark JSONL set, confirm, merge off the UI thread.

The work is ``services.exchange.merge_set``: it validates the whole file first
(a bad line is refused with its number and nothing is written), keeps a copy of
the project, then merges in one transaction. A merge is a bulk operation and is
not on the undo stack; the confirmation and the report say where the copy is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.services.exchange import MergeReport, merge_set
from stancemark.store import Store
from stancemark.ui.tasks import JobSlot, TaskRunner


class ReportDialog(QDialog):
    """A headline and a long, scrollable, selectable text (a merge report, an error)."""

    def __init__(self, title: str, headline: str, text: str, parent: QWidget | None = None,
                 *, error: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(title)
        self.headline = QLabel(headline, self)
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if error:
            self.headline.setStyleSheet("color: #b00020;")
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setReadOnly(True)
        self.text_edit.setPlainText(text)
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(buttons)
        if error:
            self.resize(640, 240)
        else:
            self.resize(760, 420)


def merge_confirmation(store: Store, path: Path) -> str:
    """What the analyst is asked before a merge (it cannot be undone with Undo)."""
    copy = ("A copy of the project is kept first, beside it, so the merge can be rolled "
            "back by hand." if store.path is not None else
            "This project lives only in memory, so no copy of it can be kept.")
    return (f"Merge the annotation set\n{path}\ninto this project?\n\n"
            "New articles, actors and annotations are added; existing ones are never "
            "overwritten (differences are reported as conflicts). A merge is not on the "
            f"undo stack, and it clears the undo history of earlier edits. {copy}")


def _merge_job(store: Store, path: Path, progress: ProgressCallback,
               cancel: CancelFlag) -> MergeReport:
    return merge_set(store, path, progress, cancel)


class MergeFlow(QObject):
    """Drives one merge for a window: choose, confirm, run (in the window's job slot), report."""

    merged = Signal(object)  # MergeReport
    merge_failed = Signal(str)

    def __init__(self, store: Store, parent: QWidget, *, jobs: JobSlot,
                 on_merged: Callable[[MergeReport], None], delay_ms: int = 500) -> None:
        super().__init__(parent)
        self.store = store
        self.parent_widget = parent
        self.jobs, self.on_merged = jobs, on_merged
        self.delay_ms = delay_ms
        self.runner: TaskRunner | None = None
        self.report_dialog: ReportDialog | None = None

    @property
    def running(self) -> bool:
        return self.runner is not None

    def choose_and_merge(self) -> None:
        """Ask for a set file, confirm, and merge it."""
        if self.store.read_only:
            self.merge_failed.emit("This project is read-only; nothing can be merged into it.")
            return
        path, _ = QFileDialog.getOpenFileName(
            self.parent_widget, "Merge an annotation set", str(Path.home()),
            "Stancemark annotation sets (*.jsonl);;All files (*)")
        if path:
            self.merge(Path(path))

    def merge(self, path: Path, *, confirm: bool = True) -> bool:
        """Merge ``path`` on a worker thread; False if it did not start."""
        if self.runner is not None or self.jobs.busy:
            return False
        if self.store.read_only:
            self.merge_failed.emit("This project is read-only; nothing can be merged into it.")
            return False
        if confirm:
            answer = QMessageBox.question(
                self.parent_widget, "Merge Annotation Set", merge_confirmation(self.store, path),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Yes)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        runner = TaskRunner(partial(_merge_job, self.store, path), self.parent_widget,
                            title="Merge", label=f"Reading {path.name}…",
                            verb="Merging", delay_ms=self.delay_ms)
        runner.ended.connect(self._on_runner_ended)
        runner.finished.connect(self._on_runner_finished)
        runner.failed.connect(self._on_runner_failed)
        runner.cancelled.connect(self._on_runner_cancelled)
        self.runner = runner
        self.jobs.start(runner, "merge")
        return True

    def cancel(self) -> None:
        if self.runner is not None:
            self.runner.cancel()

    def _on_runner_ended(self) -> None:
        self.runner = None

    def _show(self, dialog: ReportDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "report_dialog", None))
        self.report_dialog = dialog
        dialog.open()

    def _on_runner_finished(self, report: MergeReport) -> None:
        self.on_merged(report)
        n = len(report.conflicts)
        headline = (f"<b>Merged</b> {Path(report.source).name}: {report.articles_added} "
                    f"article(s) added, {report.articles_matched} matched; "
                    f"{report.mentions_added} mention(s), {report.claims_added} claim(s), "
                    f"{report.sentiments_added} sentiment(s) added; "
                    f"<b>{n} conflict(s)</b>{' (the project’s value was kept)' if n else ''}; "
                    f"{report.duplicates} duplicate(s) skipped.")
        if report.codebook_changes:
            added = len(report.codebook_changes)
            headline += (f"<br><b>The codebook gained {added} "
                         f"entr{'y' if added == 1 else 'ies'}</b> (listed below).")
        if report.backup is not None:
            headline += ("<br>A copy of the project was kept: "
                         f"<code>{report.backup}</code> (a merge is not on the undo stack).")
        else:
            headline += "<br>A merge is not on the undo stack (no copy of an in-memory project)."
        self._show(ReportDialog("Merge finished", headline, report.text(), self.parent_widget))
        self.merged.emit(report)

    def _on_runner_failed(self, message: str) -> None:
        self._show(ReportDialog(
            "Merge refused", "<b>Nothing was merged</b>; the project is unchanged.", message,
            self.parent_widget, error=True))
        self.merge_failed.emit(message)

    def _on_runner_cancelled(self) -> None:
        self.merge_failed.emit("The merge was cancelled; the project is unchanged.")
