"""The export dialog: choose a format, what to export and where, then run it off the UI thread.

The dialog only gathers choices; the work is ``services.exchange.export_project``
run by :class:`~stancemark.ui.tasks.TaskRunner`. It stays open afterwards and
shows what was written, so the analyst can export the same selection again in
another format. The last format, folder and folder/zip choice live in QSettings.
"""

from __future__ import annotations

import html
from functools import partial
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.changes import ANNOTATION_KINDS
from stancemark.core.errors import StancemarkError
from stancemark.core.filters import ArticleFilter, ExportFilter
from stancemark.core.models import STATUS_LABELS, STATUSES
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.exchange.registry import Exporter, all_options, available, get_exporter
from stancemark.services.exchange import ExportSummary, export_project, target_problem
from stancemark.store import Store
from stancemark.ui.tasks import TaskRunner

KIND_LABELS = {"mentions": "Mentions", "claims": "Claims", "sentiment": "Sentiment"}


def selected_article_ids(table_ids: list[int], current: int | None) -> list[int]:
    """The articles selected in the list, or else the open one."""
    if table_ids:
        return sorted(set(table_ids))
    return [current] if current is not None else []


class ExportDialog(QDialog):
    """Format, filters, options and destination of one export, with its outcome."""

    exported = Signal(object)  # ExportSummary
    export_failed = Signal(str)
    export_cancelled = Signal()

    def __init__(self, store: Store, selected_ids: list[int] | None = None,
                 parent: QWidget | None = None, *, settings: QSettings | None = None,
                 delay_ms: int = 500) -> None:
        super().__init__(parent)
        from stancemark.ui.qt_app import settings as app_settings

        self.store = store
        self.selected_ids = list(selected_ids or [])
        self.settings = settings if settings is not None else app_settings()
        self.delay_ms = delay_ms
        self.runner: TaskRunner | None = None
        self.summary: ExportSummary | None = None
        self._suggested = ""  # the path last filled in by us (replaced while untouched)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export Annotations")
        self.setModal(True)
        self.setMinimumWidth(860)

        self.form = QWidget(self)
        grid = QGridLayout(self.form)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.addWidget(self._build_format_box(), 0, 0)
        grid.addWidget(self._build_articles_box(), 1, 0)
        grid.addWidget(self._build_annotations_box(), 0, 1)
        grid.addWidget(self._build_destination_box(), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.result_label = QLabel(self)
        self.result_label.setObjectName("exportResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setMinimumHeight(40)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton("&Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.setDefault(True)
        self.export_button.setAutoDefault(True)
        self.close_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(150)
        self._count_timer.timeout.connect(self._update_count)
        self._restore_choices()
        self._set_tab_order()
        self.format_combo.setFocus()
        self._on_format_changed()
        self._on_scope_changed()
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()))

    # -- construction ---------------------------------------------------------------
    def _build_format_box(self) -> QGroupBox:
        box = QGroupBox("Format", self)
        self.format_combo = QComboBox(box)
        self.format_combo.setObjectName("formatCombo")
        self.exporters: dict[str, Exporter] = {}
        for name in available():
            exporter = get_exporter(name)
            self.exporters[name] = exporter
            title = exporter.title or name
            self.format_combo.addItem(f"{title}  [{name}]", name)
            self.format_combo.setItemData(self.format_combo.count() - 1, exporter.description,
                                          Qt.ItemDataRole.ToolTipRole)
        self.description_label = QLabel(box)
        self.description_label.setWordWrap(True)
        self.lossy_label = QLabel(box)
        self.lossy_label.setObjectName("lossyNote")
        self.lossy_label.setWordWrap(True)
        self.lossy_label.setStyleSheet("color: #9c4a00;")
        form = QFormLayout(box)
        form.addRow("&Format:", self.format_combo)
        form.addRow(self.description_label)
        form.addRow(self.lossy_label)
        # one combo per format option, generated from the registry (exchange.registry)
        self.option_combos: dict[str, QComboBox] = {}
        for name, (option, _formats) in all_options().items():
            combo = QComboBox(box)
            combo.setObjectName(f"option_{name}")
            combo.setToolTip(option.help)
            for value, label in option.choices:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(option.default), 0))
            self.option_combos[name] = combo
            form.addRow(f"{option.label}:", combo)
        self._options_form = form
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        return box

    def _build_articles_box(self) -> QGroupBox:
        box = QGroupBox("Articles", self)
        self.scope_all = QRadioButton("&All articles", box)
        n = len(self.selected_ids)
        self.scope_selected = QRadioButton(
            f"The &selected article{'s' if n != 1 else ''} in the list ({n})", box)
        self.scope_selected.setEnabled(n > 0)
        self.scope_matching = QRadioButton("Articles &matching:", box)
        self.scope_group = QButtonGroup(box)
        for i, radio in enumerate((self.scope_all, self.scope_selected, self.scope_matching)):
            self.scope_group.addButton(radio, i)
        self.scope_all.setChecked(True)
        self.status_combo = QComboBox(box)
        self.status_combo.addItem("Any status", None)
        for status in STATUSES:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        self.search_edit = QLineEdit(box)
        self.search_edit.setPlaceholderText("Words in the title or text")
        self.search_edit.setClearButtonEnabled(True)
        self.date_check = QCheckBox("Published &between", box)
        # a label column squeezed by a narrow box cut this to "Publ": it keeps its words
        self.date_check.setMinimumWidth(self.date_check.sizeHint().width())
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addYears(-1), box)
        self.date_to = QDateEdit(today, box)
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        dates.addWidget(self.date_from, 1)
        dates.addWidget(QLabel("and", box))
        dates.addWidget(self.date_to, 1)
        self.matching = QWidget(box)
        match_form = QFormLayout(self.matching)
        match_form.setContentsMargins(22, 0, 0, 0)
        match_form.addRow("S&tatus:", self.status_combo)
        match_form.addRow("Sea&rch:", self.search_edit)
        match_form.addRow(self.date_check, dates)
        self.count_label = QLabel(box)
        self.count_label.setObjectName("exportCount")
        layout = QVBoxLayout(box)
        for radio in (self.scope_all, self.scope_selected, self.scope_matching):
            layout.addWidget(radio)
        layout.addWidget(self.matching)
        layout.addStretch(1)
        layout.addWidget(self.count_label)
        self.scope_group.idToggled.connect(self._on_scope_group_toggled)
        self.status_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.search_edit.textChanged.connect(self._on_filter_changed)
        self.date_check.toggled.connect(self._on_scope_changed)
        self.date_from.dateChanged.connect(self._on_filter_changed)
        self.date_to.dateChanged.connect(self._on_filter_changed)
        return box

    def _build_annotations_box(self) -> QGroupBox:
        box = QGroupBox("Annotations", self)
        self.annotator_list = QListWidget(box)
        self.annotator_list.setObjectName("annotatorList")
        self.annotator_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.annotator_list.setMaximumHeight(110)
        for name in self.store.annotators():
            item = QListWidgetItem(name, self.annotator_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        if self.annotator_list.count() == 0:
            self.annotator_list.addItem("(nobody has annotated yet)")
            self.annotator_list.setEnabled(False)
        self.annotator_list.itemChanged.connect(lambda _i: self._validate())
        self.kind_checks: dict[str, QCheckBox] = {}
        kinds = QHBoxLayout()
        for kind in ("mentions", "claims", "sentiment"):
            check = QCheckBox(KIND_LABELS[kind], box)
            check.setChecked(True)
            check.toggled.connect(lambda _on: self._validate())
            self.kind_checks[kind] = check
            kinds.addWidget(check)
        kinds.addStretch(1)
        form = QFormLayout(box)
        hint = QLabel("Annota&tors:", box)
        hint.setBuddy(self.annotator_list)
        form.addRow(hint, self.annotator_list)
        form.addRow("Include:", kinds)
        return box

    def _build_destination_box(self) -> QGroupBox:
        box = QGroupBox("Save to", self)
        self.as_folder = QRadioButton("A &folder", box)
        self.as_zip = QRadioButton("A .&zip archive", box)
        self.container_group = QButtonGroup(box)
        self.container_group.addButton(self.as_folder, 0)
        self.container_group.addButton(self.as_zip, 1)
        self.as_folder.setChecked(True)
        self.container_row = QWidget(box)
        row = QHBoxLayout(self.container_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("This format writes several files, into:", box))
        row.addWidget(self.as_folder)
        row.addWidget(self.as_zip)
        row.addStretch(1)
        self.path_edit = QLineEdit(box)
        self.path_edit.setObjectName("exportPath")
        self.browse_button = QPushButton("&Browse…", box)
        self.browse_button.setAutoDefault(False)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        self.path_note = QLabel(box)
        self.path_note.setWordWrap(True)
        self.path_note.setObjectName("pathNote")
        layout = QVBoxLayout(box)
        layout.addWidget(self.container_row)
        layout.addLayout(path_row)
        layout.addWidget(self.path_note)
        layout.addStretch(1)
        self.container_group.idToggled.connect(self._on_container_group_toggled)
        self.path_edit.textChanged.connect(lambda _t: self._validate())
        self.browse_button.clicked.connect(self._on_browse_clicked)
        return box

    def _set_tab_order(self) -> None:
        chain = [self.format_combo, *self.option_combos.values(), self.scope_all,
                 self.scope_selected, self.scope_matching, self.status_combo, self.search_edit,
                 self.date_check, self.date_from, self.date_to, self.annotator_list,
                 *self.kind_checks.values(), self.as_folder, self.as_zip, self.path_edit,
                 self.browse_button, self.export_button, self.close_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _restore_choices(self) -> None:
        fmt = str(self.settings.value("export/format", "jsonl") or "jsonl")
        index = self.format_combo.findData(fmt)
        self.format_combo.setCurrentIndex(max(index, 0))
        if str(self.settings.value("export/container", "folder")) == "zip":
            self.as_zip.setChecked(True)

    # -- reading the choices -------------------------------------------------------------
    @property
    def format_name(self) -> str:
        return str(self.format_combo.currentData())

    @property
    def exporter(self) -> Exporter:
        return self.exporters[self.format_name]

    def article_filter(self) -> ArticleFilter:
        if self.scope_selected.isChecked():
            return ArticleFilter(ids=tuple(self.selected_ids))
        if self.scope_matching.isChecked():
            search = self.search_edit.text().strip() or None
            date_from = date_to = None
            if self.date_check.isChecked():
                date_from = self.date_from.date().toString("yyyy-MM-dd")
                date_to = self.date_to.date().toString("yyyy-MM-dd")
            return ArticleFilter(status=self.status_combo.currentData(), search=search,
                                 date_from=date_from, date_to=date_to)
        return ArticleFilter()

    def checked_annotators(self) -> list[str]:
        if not self.annotator_list.isEnabled():
            return []
        return [item.text() for i in range(self.annotator_list.count())
                if (item := self.annotator_list.item(i)).checkState() == Qt.CheckState.Checked]

    def export_filter(self) -> ExportFilter:
        names = self.checked_annotators()
        everyone = not self.annotator_list.isEnabled() or len(names) == self.annotator_list.count()
        kinds = frozenset(k for k, c in self.kind_checks.items() if c.isChecked())
        return ExportFilter(self.article_filter(), None if everyone else tuple(names),
                            kinds & ANNOTATION_KINDS)

    def options(self) -> dict[str, str]:
        """The chosen format's options (its own only, as the registry describes them)."""
        return {o.name: str(self.option_combos[o.name].currentData())
                for o in self.exporter.options}

    def output_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text).expanduser() if text else None

    # -- reacting ---------------------------------------------------------------------
    def _on_format_changed(self) -> None:
        exporter = self.exporter
        self.description_label.setText(exporter.description)
        self.lossy_label.setText(
            "⚠ Lossy: not everything you annotated survives this format. "
            "Use Stancemark JSONL to keep all of it."
            if exporter.lossy else "")
        self.lossy_label.setVisible(exporter.lossy)
        for name, combo in self.option_combos.items():
            self._options_form.setRowVisible(combo, exporter.option(name) is not None)
        self.container_row.setVisible(exporter.multi_file)
        self._suggest_path()

    def _on_scope_group_toggled(self, _id: int, on: bool) -> None:
        if on:
            self._on_scope_changed()

    def _on_container_group_toggled(self, _id: int, on: bool) -> None:
        if on:
            self._suggest_path()

    def _on_scope_changed(self) -> None:
        matching = self.scope_matching.isChecked()
        self.matching.setEnabled(matching)
        self.date_from.setEnabled(matching and self.date_check.isChecked())
        self.date_to.setEnabled(matching and self.date_check.isChecked())
        self._update_count()

    def _on_filter_changed(self) -> None:
        self._count_timer.start()

    def _update_count(self) -> None:
        self._count_timer.stop()
        try:
            n = self.store.articles.count(self.article_filter())
        except StancemarkError:
            n = 0
        self.article_count = n
        self.count_label.setText(f"{n:,} article{'s' if n != 1 else ''} will be exported.")
        self._validate()

    def _default_folder(self) -> Path:
        folder = str(self.settings.value("export/folder", "") or "")
        if folder and Path(folder).is_dir():
            return Path(folder)
        if self.store.path is not None:
            return self.store.path.parent
        return Path.home()

    def _suggested_name(self) -> str:
        stem = self.store.path.stem if self.store.path is not None else "stancemark"
        base = f"{stem}-{self.format_name}"
        exporter = self.exporter
        if not exporter.multi_file:
            return base + exporter.suffix
        return base + (".zip" if self.as_zip.isChecked() else "")

    def _suggest_path(self) -> None:
        current = self.path_edit.text().strip()
        if current and current != self._suggested:
            # the analyst typed or browsed a path: keep its folder, adapt only the name
            folder = Path(current).expanduser().parent
        else:
            folder = self._default_folder()
        self._suggested = str(folder / self._suggested_name())
        self.path_edit.setText(self._suggested)

    def _validate(self) -> None:
        problem = self._problem()
        self.export_button.setEnabled(problem is None and self.runner is None)
        self.export_button.setDefault(True)  # a changed choice: Enter exports again
        self.path_note.setText(problem or self._destination_text())
        self.path_note.setStyleSheet("color: #b00020;" if problem else "")

    def _destination_text(self) -> str:
        out = self.output_path()
        if out is None:
            return ""
        what = "file" if not self.exporter.multi_file else \
            "zip archive" if out.suffix.lower() == ".zip" else "folder"
        exists = " It is an earlier export; you will be asked before it is replaced." \
            if out.exists() else ""
        return f"Writes the {what} {out.name} in {out.parent}.{exists}"

    def _problem(self) -> str | None:
        out = self.output_path()
        if out is None:
            return "Choose where to save the export."
        # the service's rule: a missing or unwritable folder, the project itself, a device
        # or anything that is not an earlier export of this shape is never written over
        problem = target_problem(self.store, self.format_name, out, force=True)
        if problem is not None:
            return problem
        if not any(c.isChecked() for c in self.kind_checks.values()):
            return "Include at least one kind of annotation."
        if self.annotator_list.isEnabled() and not self.checked_annotators():
            return "Tick at least one annotator."
        if self.scope_matching.isChecked() and self.date_check.isChecked() \
                and self.date_from.date() > self.date_to.date():
            return "The first date is after the second."
        return None

    def _on_browse_clicked(self) -> None:
        exporter = self.exporter
        start = self.path_edit.text().strip() or str(self._default_folder())
        options = QFileDialog.Option.DontConfirmOverwrite  # we ask ourselves, then force
        if exporter.multi_file and not self.as_zip.isChecked():
            path, _ = QFileDialog.getSaveFileName(self, "Export into a new folder", start,
                                                  "Folder (*)", options=options)
            suffix = ""
        elif exporter.multi_file:
            path, _ = QFileDialog.getSaveFileName(self, "Export as a zip archive", start,
                                                  "Zip archives (*.zip)", options=options)
            suffix = ".zip"
        else:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export to a file", start,
                f"{self.format_name} (*{exporter.suffix});;All files (*)", options=options)
            suffix = exporter.suffix
        if path:
            if suffix and not Path(path).suffix:
                path += suffix
            self.path_edit.setText(path)

    # -- running --------------------------------------------------------------------
    def start_export(self) -> None:
        """Ask before replacing an existing output, then export on a worker thread."""
        if self.runner is not None or self._problem() is not None:
            return
        out = self.output_path()
        assert out is not None
        force = False
        if out.exists() or out.is_symlink():
            kind = "folder" if out.is_dir() else "file"
            answer = QMessageBox.question(
                self, "Replace?", f"The {kind} {out} already exists.\n\nReplace it with "
                "this export? (It is replaced only once the export has succeeded.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.result_label.setText("Not exported: the existing output was kept.")
                return
            force = True
        job = partial(_export_job, self.store, self.format_name, out, self.export_filter(),
                      self.options(), force)
        self.runner = TaskRunner(job, self, title="Export", label="Exporting…",
                                 verb="Exporting article", delay_ms=self.delay_ms)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.cancelled.connect(self._on_runner_cancelled)
        self.form.setEnabled(False)
        self.export_button.setEnabled(False)
        self.result_label.setText(f"Exporting to {out}…")
        self.runner.start()

    def _end_run(self) -> None:
        self.runner = None
        self.form.setEnabled(True)
        self._validate()

    def _on_runner_finished(self, summary: ExportSummary) -> None:
        self._end_run()
        self.summary = summary
        self.settings.setValue("export/format", summary.format)
        self.settings.setValue("export/folder", str(summary.output.parent))
        if self.exporter.multi_file:
            self.settings.setValue("export/container", "zip" if summary.zipped else "folder")
        self.result_label.setStyleSheet("")
        self.result_label.setText(
            f"<b>Exported</b> {summary.articles:,} article(s): {summary.mentions:,} "
            f"mention(s), {summary.claims:,} claim(s), {summary.sentiments:,} sentiment(s)"
            f"<br>to <code>{html.escape(str(summary.output))}</code> ({summary.format})."
            + (f"<br>Beside it: <code>{html.escape(summary.companion.name)}</code>."
               if summary.companion else "")
            + (f"<br>{html.escape(summary.note)}" if summary.note else ""))
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.exported.emit(summary)

    def _on_runner_failed(self, message: str) -> None:
        self._end_run()
        self.result_label.setStyleSheet("color: #b00020;")
        self.result_label.setText(f"Export failed: {message}")
        self.export_failed.emit(message)

    def _on_runner_cancelled(self) -> None:
        self._end_run()
        self.result_label.setStyleSheet("")
        self.result_label.setText("Export cancelled; nothing was written.")
        self.export_cancelled.emit()

    def reject(self) -> None:
        if self.runner is not None:  # Esc while exporting: stop, close once it has stopped
            self.runner.cancel()
            self.runner.cancelled.connect(super().reject)
            self.runner.finished.connect(lambda _s: super(ExportDialog, self).reject())
            self.runner.failed.connect(lambda _m: super(ExportDialog, self).reject())
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner is not None:
            self.reject()
            event.ignore()
            return
        super().closeEvent(event)


def _export_job(store: Store, fmt: str, output: Path, flt: ExportFilter,
                options: dict[str, str], force: bool, progress: ProgressCallback,
                cancel: CancelFlag) -> ExportSummary:
    return export_project(store, fmt, output, flt, options, progress, cancel, force=force)
