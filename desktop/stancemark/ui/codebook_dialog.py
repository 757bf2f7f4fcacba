"""The codebook editor: actor types, nested categories and the scale; import and export JSON.

The tables are a scratch copy; OK turns them into a :class:`Codebook`, checks it
against the project with :func:`plan_codebook` (renamed categories keep their
claims; a removed category in use asks where its claims go) and performs one
undoable :class:`ReplaceCodebook` edit, which the open article picks up at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.codebook import ActorType, Category, Codebook, ScalePoint
from stancemark.core.errors import StancemarkError, ValidationError
from stancemark.services.codebook_io import (
    ReplaceCodebook,
    export_codebook,
    plan_codebook,
    read_codebook,
)

ORIGINAL_KEY = Qt.ItemDataRole.UserRole + 1

_TYPE_COLS = ("Key", "Label", "Colour", "Shortcut")
_CAT_COLS = ("Key", "Label", "Parent", "Description", "Colour", "Shortcut")
_SCALE_COLS = ("Value", "Label", "Colour", "Shortcut")


def _item(text: Any, original: str | None = None, colour: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if original is not None:
        item.setData(ORIGINAL_KEY, original)
    if colour and isinstance(text, str) and QColor.isValidColorName(text):
        item.setBackground(QColor(text))
    return item


class CodebookDialog(QDialog):
    """Edits the session's codebook; every save is one step on the undo stack."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Codebook")
        self.resize(820, 520)
        self.tabs = QTabWidget()
        self.types = self._table(_TYPE_COLS)
        self.categories = self._table(_CAT_COLS)
        self.scale = self._table(_SCALE_COLS)
        for table, title in ((self.types, "Actor &types"), (self.categories, "&Categories"),
                             (self.scale, "&Scale")):
            page = QWidget()
            box = QVBoxLayout(page)
            box.addWidget(table)
            row = QHBoxLayout()
            add = QPushButton("Add")
            add.clicked.connect(lambda _c=False, t=table: self._on_add_clicked(t))
            remove = QPushButton("Remove")
            remove.clicked.connect(lambda _c=False, t=table: self._on_remove_clicked(t))
            row.addWidget(add)
            row.addWidget(remove)
            row.addStretch(1)
            box.addLayout(row)
            self.tabs.addTab(page, title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("&Import…",
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button = buttons.addButton("E&xport…",
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not session.read_only)
        self.import_button.setEnabled(not session.read_only)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.load(session.store.codebook.load())

    @staticmethod
    def _table(columns: tuple[str, ...]) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels(list(columns))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # -- tables <-> codebook ----------------------------------------------------------------
    def load(self, book: Codebook, *, keep_originals: bool = False) -> None:
        """Show ``book``; with ``keep_originals`` rows keep the keys they had (an import)."""
        originals = {c.key for c in self.session.store.codebook.load().categories}
        self.types.setRowCount(0)
        for t in book.actor_types:
            self._append(self.types, [_item(t.key, t.key), _item(t.label),
                                      _item(t.color, colour=True), _item(t.shortcut)])
        self.categories.setRowCount(0)
        for c in book.categories:
            original = c.key if (not keep_originals or c.key in originals) else ""
            self._append(self.categories, [
                _item(c.key, original), _item(c.label), _item(c.parent), _item(c.description),
                _item(c.color, colour=True), _item(c.shortcut)])
        self.scale.setRowCount(0)
        for p in book.scale:
            self._append(self.scale, [_item(p.value), _item(p.label), _item(p.color, colour=True),
                                      _item(p.shortcut)])

    @staticmethod
    def _append(table: QTableWidget, items: list[QTableWidgetItem]) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for col, item in enumerate(items):
            table.setItem(row, col, item)

    @staticmethod
    def _text(table: QTableWidget, row: int, col: int) -> str:
        item = table.item(row, col)
        return item.text().strip() if item is not None else ""

    def codebook(self) -> tuple[Codebook, dict[str, str]]:
        """The edited codebook and the category renames (old key → new key)."""
        t, tx = self.types, self._text
        types = [ActorType(tx(t, r, 0), tx(t, r, 1) or tx(t, r, 0), tx(t, r, 2) or "#4e79a7",
                           tx(t, r, 3) or None) for r in range(t.rowCount())]
        c = self.categories
        cats: list[Category] = []
        renames: dict[str, str] = {}
        for r in range(c.rowCount()):
            key = tx(c, r, 0)
            key_item = c.item(r, 0)
            original = key_item.data(ORIGINAL_KEY) if key_item is not None else None
            if original and original != key:
                renames[original] = key
            cats.append(Category(key, tx(c, r, 1) or key, tx(c, r, 2) or None, tx(c, r, 3),
                                 tx(c, r, 4) or "#f28e2b", tx(c, r, 5) or None))
        # a child naming its parent by the parent's old key follows the rename
        for cat in cats:
            if cat.parent in renames:
                cat.parent = renames[cat.parent]
        s = self.scale
        scale: list[ScalePoint] = []
        problems: list[str] = []
        for r in range(s.rowCount()):
            try:
                value = int(tx(s, r, 0))
            except ValueError:
                problems.append(f"scale row {r + 1}: {tx(s, r, 0)!r} is not a whole number")
                continue
            scale.append(ScalePoint(value, tx(s, r, 1), tx(s, r, 2) or "#bab0ac",
                                    tx(s, r, 3) or None))
        book = Codebook(types, cats, scale)
        # the same checks as a file import, so the messages are the same
        try:
            Codebook.from_dict(book.to_dict())
        except ValidationError as exc:
            problems.append(exc.message)
        if problems:
            raise ValidationError("; ".join(problems), "Fix these entries and save again.")
        return book, renames

    # -- slots -------------------------------------------------------------------------------
    def _on_add_clicked(self, table: QTableWidget) -> None:
        cols = table.columnCount()
        self._append(table, [_item("") for _ in range(cols)])
        table.setCurrentCell(table.rowCount() - 1, 0)
        item = table.item(table.rowCount() - 1, 0)
        if item is not None:
            table.editItem(item)

    def _on_remove_clicked(self, table: QTableWidget) -> None:
        for row in sorted({i.row() for i in table.selectedIndexes()}, reverse=True):
            table.removeRow(row)

    def _on_save_clicked(self) -> None:
        try:
            book, renames = self.codebook()
            plan = plan_codebook(self.session.store, book, renames)
            if plan.lost_categories:
                moves = self._ask_moves(plan.lost_categories, [c.key for c in book.categories])
                if moves is None:
                    return
                plan = plan_codebook(self.session.store, book, renames, moves)
            if plan.needs_confirmation:
                answer = QMessageBox.question(self, "Codebook", plan.question() + " Save anyway?")
                if answer != QMessageBox.StandardButton.Yes:
                    return
            edit = ReplaceCodebook(plan)
        except StancemarkError as exc:
            QMessageBox.warning(self, "Codebook", str(exc))
            return
        if self.session.perform(edit) is not None:
            self.accept()

    def _ask_moves(self, lost: dict[str, int],
                   keys: list[str]) -> dict[str, str | None] | None:
        """For each removed category in use: which category its claims move to (or none)."""
        moves: dict[str, str | None] = {}
        none = "(leave without category)"
        for key, n in lost.items():
            choice, ok = QInputDialog.getItem(
                self, "Category in use",
                f"Category '{key}' is used by {n} claim{'s' if n != 1 else ''}. "
                "Move them to:", [none, *keys], 0, False)
            if not ok:
                return None
            moves[key] = None if choice == none else choice
        return moves

    def _on_import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import Codebook", "",
                                              "Codebook (*.json);;All files (*)")
        if not path:
            return
        try:
            book = read_codebook(path)
        except StancemarkError as exc:
            QMessageBox.warning(self, "Import Codebook", str(exc))
            return
        self.load(book, keep_originals=True)  # reviewed here, saved with Save

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export Codebook", "codebook.json",
                                              "Codebook (*.json)")
        if not path:
            return
        try:
            book, _ = self.codebook()
            # the save dialog asked before an existing file; a foreign one is still refused
            export_codebook(book, path, force=True, project=self.session.store.path)
        except (StancemarkError, OSError) as exc:
            QMessageBox.warning(self, "Export Codebook", str(exc))


__all__ = ["CodebookDialog"]
