"""The claim editor: claimant, target, category, stance and note of the selected claim.

Each change the analyst makes here is one service edit performed through the
session (saved at once, undoable); what the editor shows always comes from the
store, through :meth:`ClaimEditor.show_claim`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from stancemark.core.categories import CategoryTree
from stancemark.core.codebook import Codebook
from stancemark.core.models import Claim
from stancemark.ui.describe import short
from stancemark.ui.scale_bar import ScaleBar
from stancemark.ui.session import ProjectSession
from stancemark.ui.span_highlighter import mix

MAX_INDENT = 12  # levels of category nesting shown by indenting in the picker

class ClaimEditor(QGroupBox):
    """Edits the claim it shows; disabled when none is selected or the project is read-only.

    The note field and the category list are visited, not lived in: Enter (or a
    pick) saves and :attr:`done` hands the keys back to the article text; Escape
    in the note puts back the saved note and does the same.
    """

    #: the analyst finished with a field: the keys go back to the article text
    done = Signal()

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__("Selected claim", parent)
        self.session = session
        self._claim: Claim | None = None
        self._actors_seen: object = None
        self.claimant_combo = QComboBox(self)
        self.target_combo = QComboBox(self)
        self.category_combo = QComboBox(self)
        for combo, tip in ((self.claimant_combo, "Who makes the claim (N)"),
                           (self.target_combo, "Whom the claim is about (T)"),
                           (self.category_combo, "The issue of the claim (G)")):
            combo.setToolTip(tip)
            combo.setMaxVisibleItems(20)
        self.stance_bar = ScaleBar(session.codebook, "", self)
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText("Note (E): Enter saves, Esc cancels")
        self.note_edit.installEventFilter(self)
        form = QFormLayout(self)
        form.setContentsMargins(8, 6, 8, 6)
        self.guess_label = QLabel("<i>guess</i>", self)
        self.guess_label.setObjectName("claimantGuess")
        self.guess_label.setToolTip("The claimant was guessed from the text. N then Enter "
                                    "confirms it; N or this list sets another.")
        self.guess_label.setVisible(False)
        claimant_row = QHBoxLayout()
        claimant_row.setContentsMargins(0, 0, 0, 0)
        claimant_row.addWidget(self.claimant_combo, 1)
        claimant_row.addWidget(self.guess_label)
        form.addRow("Claimant", claimant_row)
        form.addRow("Target", self.target_combo)
        form.addRow("Category", self.category_combo)
        form.addRow("Stance", self.stance_bar)
        form.addRow("Note", self.note_edit)
        self.fill_categories(session.codebook)
        self.claimant_combo.activated.connect(
            lambda _i: self._set_field("claimant_id", self.claimant_combo.currentData()))
        self.target_combo.activated.connect(
            lambda _i: self._set_field("target_id", self.target_combo.currentData()))
        self.category_combo.activated.connect(
            lambda _i: self._set_field("category", self.category_combo.currentData()))
        self.category_combo.activated.connect(lambda _i: self.done.emit())
        self.stance_bar.value_clicked.connect(self._on_stance_bar_clicked)
        self.note_edit.editingFinished.connect(self._on_note_edit_finished)
        self.note_edit.returnPressed.connect(self.done)

    @property
    def claim(self) -> Claim | None:
        """The claim shown (the selected one), or None."""
        return self._claim

    # -- showing ------------------------------------------------------------------------
    def fill_actors(self) -> None:
        """Refill the claimant and target lists if the project's actors changed."""
        actors = self.session.actors()
        if actors is self._actors_seen:
            return
        self._actors_seen = actors
        ordered = sorted(actors.values(), key=lambda a: a.name.casefold())
        for combo, none_label in ((self.claimant_combo, "— no claimant —"),
                                  (self.target_combo, "— no target —")):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(none_label, None)
            for a in ordered:
                combo.addItem(a.name, a.id)
            combo.blockSignals(False)

    def fill_categories(self, book: Codebook) -> None:
        """The codebook's categories, nested by indentation, tinted in their colours."""
        combo = self.category_combo
        combo.clear()
        combo.addItem("— no category —", None)
        # a flat walk, parents first: a chain thousands deep neither recurses nor
        # indents past the width of the list
        for cat, depth in CategoryTree(book).walk():
            indent = "    " * min(depth, MAX_INDENT) + ("… " if depth > MAX_INDENT else "")
            combo.addItem(indent + cat.label, cat.key)
            index = combo.count() - 1
            combo.setItemData(index, mix(cat.color, amount=0.8), Qt.ItemDataRole.BackgroundRole)
            combo.setItemData(index, cat.description, Qt.ItemDataRole.ToolTipRole)

    def show_claim(self, claim: Claim | None) -> None:
        self._claim = claim
        self.setEnabled(claim is not None and not self.session.read_only)
        self.setTitle("Selected claim" if claim is None else f"Claim “{short(claim.text, 40)}”")
        _select_data(self.claimant_combo, claim.claimant_id if claim else None)
        guessed = claim is not None and self.session.claimant_guessed(claim.id)
        self.guess_label.setVisible(guessed)
        font = self.claimant_combo.font()
        font.setItalic(guessed)
        self.claimant_combo.setFont(font)
        _select_data(self.target_combo, claim.target_id if claim else None)
        _select_data(self.category_combo, claim.category if claim else None)
        self.stance_bar.set_value(claim.stance if claim else None)
        self.note_edit.setText(claim.note or "" if claim else "")

    def open_categories(self) -> None:
        """Drop down the category list (key G)."""
        self.category_combo.setFocus()
        self.category_combo.showPopup()

    def focus_note(self) -> None:
        """Put the cursor in the note, its text selected (key E)."""
        self.note_edit.setFocus()
        self.note_edit.selectAll()

    # -- editing ------------------------------------------------------------------------
    def _set_field(self, field: str, value: object) -> None:
        claim = self._claim
        if claim is None:
            return
        if getattr(claim, field) == value:
            if field == "claimant_id":  # the same claimant chosen again: confirmed
                self.session.confirm_claimant(claim.id)
            return
        self.session.perform(self.session.service.update_claim(claim, **{field: value}))

    def save_note(self) -> None:
        """Save a note typed but not yet saved (Enter, leaving the field, closing)."""
        if self._claim is not None and self.note_edit.isModified():
            self.note_edit.setModified(False)
            self._set_field("note", self.note_edit.text().strip() or None)

    def _on_note_edit_finished(self) -> None:
        self.save_note()

    def cancel_note(self) -> None:
        """Escape in the note: put back the saved note and leave the field."""
        self.note_edit.setText(self._claim.note or "" if self._claim else "")
        self.note_edit.setModified(False)
        self.done.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.note_edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.cancel_note()
            return True
        return super().eventFilter(watched, event)

    def _on_stance_bar_clicked(self, value: int | None) -> None:
        self._set_field("stance", value)


def _select_data(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(0 if value is None else max(combo.findData(value), 0))
