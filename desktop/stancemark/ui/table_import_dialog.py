"""The column mapping shown before a CSV or JSON Lines file of articles is imported.

An analyst's spreadsheet names its columns as the scraper did ("Headline",
"story", "pub"). :class:`TableImportDialog` shows which column will give each
article field, guessed as ``stancemark import`` guesses it or as chosen last
time for the same columns, and the first rows as the import would make them
into articles, redrawn at each change. Several tables with the same columns are
mapped once; each different set of columns gets its own dialog
(:func:`table_groups`). The choice is a :class:`~stancemark.articles.ColumnMap`
for ``services.importing.import_paths``; the rules (guessing, validating,
turning rows into articles) live Qt-free in ``articles/tabular.py``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stancemark.articles import ColumnMap, ReadFailure, TablePreview, is_table, preview_file
from stancemark.articles.tabular import PreviewRow, mapping_problem, preview_rows
from stancemark.core.text import printable

#: The fields the analyst maps, in the order they are shown, with their labels.
FIELD_LABELS = {"title": "&Title", "text": "Te&xt", "date": "&Date", "url": "&URL",
                "source": "&Source", "author": "&Author"}
NONE_LABEL = "(none)"
SETTINGS_GROUP = "tableImport"

_ModelIndex = QModelIndex | QPersistentModelIndex


def header_key(columns: Iterable[str]) -> str:
    """The settings key of a set of column names (order does not matter)."""
    digest = hashlib.sha1("\x1f".join(sorted(set(columns))).encode("utf-8"),
                          usedforsecurity=False).hexdigest()
    return f"{SETTINGS_GROUP}/{digest[:20]}"


def table_groups(paths: Sequence[Path]) -> list[tuple[list[Path], TablePreview]]:
    """The CSV and JSON Lines files among ``paths``, grouped by their set of columns.

    Each group comes with a preview (rows counted) of its first file. Folders are
    not looked into (a folder import takes no tables), and a table that cannot be
    read or has no columns is left to the import, which reports why.
    """
    groups: dict[tuple[str, frozenset[str]], list[Path]] = {}
    for path in paths:
        if not path.is_file() or not is_table(path):
            continue
        try:
            quick = preview_file(path, count_chars=0)
        except ReadFailure:
            continue
        if quick.columns:
            groups.setdefault((quick.fmt, frozenset(quick.columns)), []).append(path)
    out = []
    for files in groups.values():
        try:
            out.append((files, preview_file(files[0])))
        except ReadFailure:
            continue
    return out


class PreviewModel(QAbstractTableModel):
    """The first rows of a table as articles: a thin adapter over :class:`PreviewRow` values."""

    HEADERS = ("#", "Note", "Title", "Date", "Source", "Author", "URL", "Text")
    NOTE = HEADERS.index("Note")
    PROBLEM = QColor("#b00020")
    WARNING = QColor("#8a5a00")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PreviewRow] = []

    def set_rows(self, rows: list[PreviewRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def cell(self, row: int, column: int) -> str:
        r = self.rows[row]
        values = (str(r.number), _note(r), r.title, _date_text(r), r.source, r.author, r.url,
                  r.text)
        return values[column] or ""

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.cell(index.row(), index.column())
            return text if len(text) > 30 or index.column() == self.NOTE else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.problem:
                return QBrush(self.PROBLEM)
            if r.warning and index.column() in (self.HEADERS.index("Date"), self.NOTE):
                return QBrush(self.WARNING)
        return None


def _date_text(row: PreviewRow) -> str:
    if row.published is None:
        return ""
    if row.published.time() == row.published.min.time():
        return row.published.strftime("%Y-%m-%d")
    return row.published.strftime("%Y-%m-%d %H:%M")


def _note(row: PreviewRow) -> str:
    if row.problem:
        return f"Skipped: {row.problem}"
    warning = row.warning or ""
    return warning[:1].upper() + warning[1:]


class TableImportDialog(QDialog):
    """Which column gives which article field, with the first rows as they will import.

    Enter imports and Esc cancels; Import is disabled while the mapping cannot be
    used, and the line above the buttons says why. Accepting remembers the choice
    for the same set of columns (QSettings).
    """

    def __init__(self, files: Sequence[Path], preview: TablePreview,
                 parent: QWidget | None = None, *, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        from stancemark.ui.qt_app import settings as app_settings

        self.files = list(files)
        self.preview = preview
        self.settings = settings if settings is not None else app_settings()
        self.setObjectName("tableImportDialog")
        name = printable(self.files[0].name)
        self.setWindowTitle(f"Import {name}" if len(self.files) == 1
                            else f"Import {len(self.files)} tables")
        self.setModal(True)

        intro = QLabel(self._intro_text(), self)
        intro.setObjectName("tableImportIntro")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)

        self.combos: dict[str, QComboBox] = {}
        fields = QWidget(self)
        grid = QGridLayout(fields)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        for i, (key, label_text) in enumerate(FIELD_LABELS.items()):
            combo = QComboBox(fields)
            combo.setObjectName(f"column_{key}")
            combo.addItem(NONE_LABEL, None)
            for column in preview.columns:
                combo.addItem(printable(column)[:80], column)
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            label = QLabel(label_text, fields)
            label.setBuddy(combo)
            row, col = divmod(i, 3)
            grid.addWidget(label, row, col * 2)
            grid.addWidget(combo, row, col * 2 + 1)
            grid.setColumnStretch(col * 2 + 1, 1)
            self.combos[key] = combo
        kept = QLabel("Other columns are kept with each article as extra data.", self)
        kept.setObjectName("tableImportKept")

        self.model = PreviewModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("tableImportPreview")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("tableImportStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("&Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setDefault(True)
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(fields)
        layout.addWidget(kept)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)

        self._restore_choice()
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._on_combo_changed)
        chain: list[QWidget] = [*self.combos.values(), self.table, self.import_button,
                                self.cancel_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.combos["title"].setFocus()
        self._refresh()
        self._size_columns()
        self.resize(1120, 560)

    # -- the choice ------------------------------------------------------------------------
    def choice(self) -> dict[str, str | None]:
        """Field → column as chosen (None for "(none)")."""
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def column_map(self) -> ColumnMap:
        """The choice for the import (language and subtitle are still guessed by name)."""
        return ColumnMap.from_choice(self.choice())

    def set_column(self, key: str, column: str | None) -> None:
        """Choose ``column`` (or None) for the field ``key``, as picking it in the box does."""
        combo = self.combos[key]
        combo.setCurrentIndex(max(combo.findData(column), 0))

    def problem(self) -> str | None:
        """Why the choice cannot be imported, or None."""
        return mapping_problem(self.choice(), self.preview.columns)

    def _restore_choice(self) -> None:
        guessed: dict[str, str | None] = {k: self.preview.mapping.get(k) for k in self.combos}
        saved = self._saved_choice()
        for key, column in (saved or guessed).items():
            if key in self.combos:
                self.set_column(key, column)

    def _saved_choice(self) -> dict[str, str | None] | None:
        raw = self.settings.value(header_key(self.preview.columns))
        try:
            saved = json.loads(str(raw)) if raw else None
        except ValueError:
            return None
        if not isinstance(saved, dict):
            return None
        choice = {str(k): (str(v) if v else None) for k, v in saved.items()}
        if any(c is not None and c not in self.preview.columns for c in choice.values()):
            return None
        return choice

    # -- redrawing -----------------------------------------------------------------------
    def _on_combo_changed(self, _index: int) -> None:
        self._refresh()

    def _refresh(self) -> None:
        rows = preview_rows(self.preview, self.choice())
        self.model.set_rows(rows)
        problem = self.problem()
        self.import_button.setEnabled(problem is None)
        if problem is None:
            self.import_button.setDefault(True)
        text_column = self.choice().get("text")
        if problem is None and rows and all(r.problem for r in rows):
            problem_text = (f"None of the first {len(rows)} rows has text in "
                            f"“{printable(text_column or '')}”; is it the article text?")
            self.status_label.setStyleSheet("color: #8a5a00;")
            self.status_label.setText(problem_text)
        else:
            self.status_label.setStyleSheet("color: #b00020;" if problem else "")
            self.status_label.setText(problem or self._summary(rows))

    def _summary(self, rows: list[PreviewRow]) -> str:
        skipped = sum(1 for r in rows if r.problem)
        undated = sum(1 for r in rows if r.warning)
        n = len(rows)
        every = self.preview.total_exact and n == self.preview.total
        parts = [f"Showing {'all ' if every else 'the first '}{n} row{'s' if n != 1 else ''}"
                 if n != 1 or not every else "Showing the only row"]
        if skipped:
            parts.append(f"{skipped} would be skipped")
        if undated:
            parts.append(f"{undated} with a date not understood")
        return ", ".join(parts) + "."

    def _size_columns(self) -> None:
        widths = {"#": 40, "Note": 190, "Title": 210, "Date": 115, "Source": 110,
                  "Author": 100, "URL": 110, "Text": 300}
        for i, name in enumerate(PreviewModel.HEADERS):
            self.table.setColumnWidth(i, widths[name])

    def _intro_text(self) -> str:
        p = self.preview
        kind = "JSON Lines" if p.fmt == "jsonl" else "CSV"
        count = f"{p.total:,} rows" if p.total_exact else f"at least {p.total:,} rows"
        if p.total == 1 and p.total_exact:
            count = "1 row"
        columns = f"{len(p.columns)} {'fields' if p.fmt == 'jsonl' else 'columns'}"
        text = (f"{printable(self.files[0].name)}: {kind}, {columns}, {count}. "
                "Choose the column that gives each field of the articles.")
        if len(self.files) > 1:
            others = ", ".join(printable(f.name) for f in self.files[1:4])
            more = "…" if len(self.files) > 4 else ""
            text += (f" The same choice is used for {len(self.files) - 1} more "
                     f"file{'s' if len(self.files) > 2 else ''} with these columns: "
                     f"{others}{more}.")
        return text

    # -- closing --------------------------------------------------------------------------
    def accept(self) -> None:
        if self.problem() is not None:
            return
        self.settings.setValue(header_key(self.preview.columns), json.dumps(self.choice()))
        super().accept()
