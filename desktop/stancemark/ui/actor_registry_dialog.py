"""The actor registry dialog: every actor with its counts; rename, edit, merge, split, delete.

A thin view over :class:`stancemark.services.registry.RegistryService`: each
button builds a services ``Edit`` and hands it to ``session.perform`` (so it is
on the one undo stack); the table reloads when a change touching actors is
broadcast.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.errors import StancemarkError
from stancemark.core.text import fold
from stancemark.services.edits import Change
from stancemark.services.registry import RegistryService
from stancemark.store.registry import RegistryRow
from stancemark.ui.shortcuts import let_through

COLUMNS = ("Name", "Type", "Affiliation", "Aliases", "Mentions", "Claims", "Articles")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
_ROOT = QModelIndex()


class RegistryTableModel(QAbstractTableModel):
    """Adapter over the list of :class:`RegistryRow`; the service data is the truth."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RegistryRow] = []
        self._folded: list[str] = []
        #: actor type labels by key (the codebook's words, not its keys)
        self.type_labels: dict[str, str] = {}

    def set_rows(self, rows: list[RegistryRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._folded = [fold(" ".join([r.name, *r.aliases, r.type or "", self._type(r),
                                       r.affiliation or ""])) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        values = (r.name, self._type(r), r.affiliation or "", ", ".join(r.aliases), r.mentions,
                  r.claims, r.articles)
        if role == Qt.ItemDataRole.DisplayRole:
            return values[col]
        if role == SORT_ROLE:
            return values[col] if col >= 4 else str(values[col]).casefold()
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and r.aliases:
            return "Also: " + ", ".join(r.aliases)
        return None

    def _type(self, row: RegistryRow) -> str:
        return self.type_labels.get(row.type, row.type) if row.type else ""

    def matches(self, row: int, query: str) -> bool:
        return query in self._folded[row]


class RegistryFilterModel(QSortFilterProxyModel):
    """Search by name, alias, type or affiliation, case and diacritics folded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._query = ""
        self.setSortRole(SORT_ROLE)

    def set_query(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            self._query = fold(text.strip())
            self.endFilterChange()
        else:
            self._query = fold(text.strip())
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        return not self._query or (isinstance(model, RegistryTableModel)
                                   and model.matches(source_row, self._query))


class ActorEditDialog(QDialog):
    """Name, type, affiliation and aliases of one actor."""

    def __init__(self, parent: QWidget, row: RegistryRow, types: list[tuple[str, str]],
                 others: list[RegistryRow]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {row.name}")
        self.name_edit = QLineEdit(row.name)
        self.type_combo = QComboBox()
        self.type_combo.addItem("—", None)
        for key, label in types:
            self.type_combo.addItem(label, key)
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(row.type)))
        self.affiliation_combo = QComboBox()
        self.affiliation_combo.addItem("—", None)
        for o in others:
            if o.id != row.id:
                self.affiliation_combo.addItem(o.name, o.id)
        self.affiliation_combo.setCurrentIndex(
            max(0, self.affiliation_combo.findData(row.affiliation_id)))
        self.aliases_edit = QPlainTextEdit("\n".join(row.aliases))
        self.aliases_edit.setPlaceholderText("One alias per line")
        form = QFormLayout()
        form.addRow("&Name", self.name_edit)
        form.addRow("&Type", self.type_combo)
        form.addRow("A&ffiliation", self.affiliation_combo)
        form.addRow("A&liases", self.aliases_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {"name": self.name_edit.text(), "actor_type": self.type_combo.currentData(),
                "affiliation_id": self.affiliation_combo.currentData(),
                "aliases": [a for a in self.aliases_edit.toPlainText().splitlines()
                            if a.strip()]}


class ActorRegistryDialog(QDialog):
    """Lists the registry; every change goes through ``session.perform`` and can be undone."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.service = RegistryService(session.store)
        self.setWindowTitle("Actor Registry")
        self.resize(900, 520)
        self.model = RegistryTableModel(self)
        self.proxy = RegistryFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search names, aliases, types…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self._on_edit_clicked())
        self.count_label = QLabel()
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, slot in (
            ("rename", "&Rename…", self._on_rename_clicked),
            ("edit", "&Edit…", self._on_edit_clicked),
            ("merge", "&Merge into…", self._on_merge_clicked),
            ("split", "&Split Alias…", self._on_split_clicked),
            ("delete", "&Delete…", self._on_delete_clicked),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(not session.read_only)
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(row)
        session.changed.connect(self._on_session_changed)
        self._add_undo_actions()
        self.reload()

    def _add_undo_actions(self) -> None:
        """Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) undo and redo here too, even from the search box."""
        stack = self.session.undo_stack
        undo, redo = stack.createUndoAction(self), stack.createRedoAction(self)
        undo.setShortcuts([QKeySequence.StandardKey.Undo])
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (undo, redo):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        let_through(self.search, [*undo.shortcuts(), *redo.shortcuts()])
        self.undo_action, self.redo_action = undo, redo

    # -- data -------------------------------------------------------------------------------
    def reload(self) -> None:
        selected = self.selected_row()
        self.model.type_labels = {t.key: t.label for t in self.session.codebook.actor_types}
        self.model.set_rows(self.service.listing())
        self.count_label.setText(f"{len(self.model.rows)} actor(s)")
        if selected is not None:
            self.select_actor(selected.id)

    def selected_row(self) -> RegistryRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        source = self.proxy.mapToSource(indexes[0])
        return self.model.rows[source.row()]

    def select_actor(self, actor_id: int) -> None:
        for i, r in enumerate(self.model.rows):
            if r.id == actor_id:
                index = self.proxy.mapFromSource(self.model.index(i, 0))
                if index.isValid():
                    self.table.selectRow(index.row())
                return

    def _perform(self, edit: Any) -> Change | None:
        try:
            return self.session.perform(edit)  # type: ignore[no-any-return]
        except StancemarkError as exc:
            QMessageBox.warning(self, "Actor Registry", str(exc))
            return None

    def _require(self) -> RegistryRow | None:
        row = self.selected_row()
        if row is None:
            QMessageBox.information(self, "Actor Registry", "Select an actor first.")
        return row

    # -- slots ------------------------------------------------------------------------------
    def _on_session_changed(self, change: Change) -> None:
        if change.kinds & {"actors", "mentions", "claims", "codebook"}:
            self.reload()

    def _on_search_text_changed(self, text: str) -> None:
        self.proxy.set_query(text)

    def _on_rename_clicked(self) -> None:
        row = self._require()
        if row is None:
            return
        name, ok = QInputDialog.getText(self, "Rename Actor", "New name:", text=row.name)
        if ok and name.strip() and name.strip() != row.name:
            try:
                self._perform(self.service.rename(row.id, name))
            except StancemarkError as exc:
                QMessageBox.warning(self, "Rename Actor", str(exc))

    def _on_edit_clicked(self) -> None:
        row = self._require()
        if row is None:
            return
        types = [(t.key, t.label) for t in self.session.codebook.actor_types]
        dialog = ActorEditDialog(self, row, types, self.model.rows)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self._perform(self.service.edit(row.id, **dialog.values()))
        except StancemarkError as exc:
            QMessageBox.warning(self, "Edit Actor", str(exc))

    def _on_merge_clicked(self) -> None:
        row = self._require()
        if row is None:
            return
        others = [r for r in self.model.rows if r.id != row.id]
        if not others:
            return
        names = [r.name for r in others]
        name, ok = QInputDialog.getItem(
            self, "Merge Actor", f"Merge {row.name} into (its mentions, claims, portrayals and "
            "names move there):", names, 0, False)
        if not ok:
            return
        keep = others[names.index(name)]
        edit = self.service.merge(keep.id, row.id)
        if self._perform(edit) is not None and edit.result and edit.result.conflicts:
            QMessageBox.information(
                self, "Merge Actor",
                f"{len(edit.result.conflicts)} portrayal(s) of {row.name} clashed with "
                f"{keep.name}'s in the same article by the same annotator; {keep.name}'s were "
                "kept.")
        self.select_actor(keep.id)

    def _on_split_clicked(self) -> None:
        row = self._require()
        if row is None:
            return
        if not row.aliases:
            QMessageBox.information(self, "Split Alias", f"{row.name} has no aliases.")
            return
        alias, ok = QInputDialog.getItem(self, "Split Alias",
                                         f"Alias of {row.name} to make its own actor:",
                                         row.aliases, 0, False)
        if not ok:
            return
        n = self.service.movable_mentions(row.id, alias)
        move = False
        if n:
            answer = QMessageBox.question(
                self, "Split Alias",
                f"Move the {n} mention(s) that read “{alias}” to the new actor?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            move = answer == QMessageBox.StandardButton.Yes
        try:
            edit = self.service.split(row.id, alias, move_mentions=move)
        except StancemarkError as exc:
            QMessageBox.warning(self, "Split Alias", str(exc))
            return
        if self._perform(edit) is not None and edit.new_id is not None:
            self.select_actor(edit.new_id)

    def _on_delete_clicked(self) -> None:
        row = self._require()
        if row is None:
            return
        plan = self.service.delete_plan(row.id)
        if plan.in_use:
            answer = QMessageBox.question(self, "Delete Actor", plan.question())
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._perform(self.service.delete(row.id))


__all__ = ["ActorEditDialog", "ActorRegistryDialog", "RegistryFilterModel",
           "RegistryTableModel"]
