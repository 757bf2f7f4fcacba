"""The tagging panel: the open article's sentiment, actors (with mentions) and claims.

It reads the article's annotations from the store whenever the session
broadcasts a change to it, and turns clicks into service edits performed
through the session (so each one is saved and undoable). Selecting a row
selects that annotation in the session; the article view follows.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.categories import CategoryTree
from stancemark.core.codebook import Codebook
from stancemark.core.models import Claim, Mention
from stancemark.services.edits import Change
from stancemark.ui.article_view import mix
from stancemark.ui.session import ProjectSession, Ref

_REF = Qt.ItemDataRole.UserRole + 1
MAX_INDENT = 12  # levels of category nesting shown by indenting in the picker


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ScaleBar(QWidget):
    """One button per scale value; clicking the chosen value again clears it."""

    value_clicked = Signal(object)  # int | None

    def __init__(self, codebook: Codebook, key_prefix: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.buttons: dict[int, QPushButton] = {}
        self._value: int | None = None
        for point in codebook.scale:
            button = QPushButton(f"{point.value:+d}" if point.value else "0", self)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setObjectName("scaleButton")
            keys = f" ({key_prefix}{point.shortcut})" if point.shortcut else ""
            button.setToolTip(f"{codebook.scale_label(point.value)}{keys}")
            colour = QColor(point.color)
            button.setStyleSheet(
                f"QPushButton#scaleButton:checked {{ background: {colour.name()}; color: white;"
                f" border-color: {colour.darker(120).name()}; }}")
            button.setMinimumWidth(34)
            button.clicked.connect(lambda _c=False, v=point.value: self._on_button_clicked(v))
            layout.addWidget(button)
            self.buttons[point.value] = button
        layout.addStretch(1)

    def _on_button_clicked(self, value: int) -> None:
        self.set_value(self._value)  # the checked state follows the store, not the click
        self.value_clicked.emit(None if value == self._value else value)

    def set_value(self, value: int | None) -> None:
        self._value = value
        for v, button in self.buttons.items():
            button.setChecked(v == value)


class ClaimTableModel(QAbstractTableModel):
    """The open article's claims; cell texts are made only for the rows on screen."""

    HEADERS = ("Claim", "Claimant → target", "Category", "Stance")

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.claims: list[Claim] = []
        self._row_of: dict[int, int] = {}

    def set_claims(self, claims: list[Claim]) -> None:
        self.beginResetModel()
        self.claims = claims
        self._row_of = {c.id: i for i, c in enumerate(claims)}
        self.endResetModel()

    def row_of(self, claim_id: int) -> int:
        return self._row_of.get(claim_id, -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.claims)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.claims[index.row()]
        col = index.column()
        s = self.session
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"“{short(c.text)}”"
            if col == 1:
                claimant, target = s.actor(c.claimant_id), s.actor(c.target_id)
                return (claimant.name if claimant else "?") + \
                    (f" → {target.name}" if target else "")
            if col == 2:
                return s.lookup.category_path(c.category) if c.category else ""
            return s.lookup.scale_label(c.stance) if c.stance is not None else ""
        if role == _REF:
            return ("claim", c.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe_claim(s, c) + f"\n“{short(c.text, 200)}”" + \
                (f"\nNote: {c.note}" if c.note else "")
        if role == Qt.ItemDataRole.BackgroundRole and col == 2 and c.category:
            cat = s.lookup.categories.get(c.category)
            return mix(cat.color, amount=0.75) if cat else None
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and c.stance is not None:
            colour = s.lookup.scale_colours.get(c.stance)
            return QColor(colour).darker(115) if colour else None
        return None


class TaggingPanel(QWidget):
    """Sentiment, actors and claims of the open article; the claim editor."""

    status_message = Signal(str)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        book = session.codebook
        self._updating = False
        self._actors_seen: object = None

        self.sentiment_bar = ScaleBar(book, "Ctrl+", self)
        self.actor_tree = QTreeWidget(self)
        self.actor_tree.setObjectName("actorTree")
        self.actor_tree.setHeaderLabels(["Actor", "Type", "Mentions", "Portrayal"])
        self.portrayal_label = QLabel("Portrayal: select an actor", self)
        self.portrayal_bar = ScaleBar(book, "", self)
        self.claim_model = ClaimTableModel(session, self)
        self.claim_view = QTableView(self)
        self.claim_view.setObjectName("claimView")
        self.claim_view.setModel(self.claim_model)
        self.claim_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.claim_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.claim_view.setAlternatingRowColors(True)
        self.claim_view.setWordWrap(False)
        self.claim_view.verticalHeader().hide()
        self.claim_view.verticalHeader().setDefaultSectionSize(22)
        self.claim_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.actor_tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.actor_tree.setAlternatingRowColors(True)
        self.actor_tree.setUniformRowHeights(True)
        self.actor_tree.header().setStretchLastSection(False)
        self.actor_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 118), (2, 64), (3, 96)):
            self.actor_tree.setColumnWidth(col, width)
        for col, width in ((1, 140), (2, 118), (3, 112)):
            self.claim_view.setColumnWidth(col, width)

        self.claim_box = QGroupBox("Selected claim", self)
        self.claimant_combo = QComboBox(self.claim_box)
        self.target_combo = QComboBox(self.claim_box)
        self.category_combo = QComboBox(self.claim_box)
        for combo, tip in ((self.claimant_combo, "Who makes the claim (N)"),
                           (self.target_combo, "Whom the claim is about (T)"),
                           (self.category_combo, "The issue of the claim (G)")):
            combo.setToolTip(tip)
            combo.setMaxVisibleItems(20)
        self.stance_bar = ScaleBar(book, "", self.claim_box)
        self.note_edit = QLineEdit(self.claim_box)
        self.note_edit.setPlaceholderText("Note (E), Enter saves")
        form = QFormLayout(self.claim_box)
        form.setContentsMargins(8, 6, 8, 6)
        form.addRow("Claimant", self.claimant_combo)
        form.addRow("Target", self.target_combo)
        form.addRow("Category", self.category_combo)
        form.addRow("Stance", self.stance_bar)
        form.addRow("Note", self.note_edit)
        self._fill_categories(book)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(_heading("Article sentiment", self))
        layout.addWidget(self.sentiment_bar)
        layout.addWidget(_heading("Actors", self))
        layout.addWidget(self.actor_tree, 3)
        row = QHBoxLayout()
        row.addWidget(self.portrayal_label)
        row.addWidget(self.portrayal_bar, 1)
        layout.addLayout(row)
        layout.addWidget(_heading("Claims", self))
        layout.addWidget(self.claim_view, 3)
        layout.addWidget(self.claim_box)

        self.sentiment_bar.value_clicked.connect(self._on_sentiment_bar_clicked)
        self.portrayal_bar.value_clicked.connect(self._on_portrayal_bar_clicked)
        self.stance_bar.value_clicked.connect(self._on_stance_bar_clicked)
        self.actor_tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.actor_tree.itemExpanded.connect(self._on_actor_tree_expanded)
        self.claim_view.selectionModel().currentRowChanged.connect(
            self._on_claim_view_current_changed)
        self.claimant_combo.activated.connect(
            lambda _i: self._set_claim_field("claimant_id", self.claimant_combo.currentData()))
        self.target_combo.activated.connect(
            lambda _i: self._set_claim_field("target_id", self.target_combo.currentData()))
        self.category_combo.activated.connect(
            lambda _i: self._set_claim_field("category", self.category_combo.currentData()))
        self.note_edit.editingFinished.connect(self._on_note_edit_finished)
        session.article_opened.connect(lambda _a: self.refresh())
        session.changed.connect(self._on_session_changed)
        session.selection_changed.connect(self._on_session_selection_changed)
        self._mentions: dict[int, Mention] = {}
        self._claims: dict[int, Claim] = {}
        self._items: dict[Ref, QTreeWidgetItem] = {}
        self._portrayals: dict[int, int] = {}
        self._by_actor: dict[int, list[Mention]] = {}
        self.refresh()

    # -- reading ------------------------------------------------------------------
    def _on_session_changed(self, change: Change) -> None:
        art = self.session.article
        if art is not None and (art.id in change.articles or "actors" in change.kinds):
            self.refresh()

    def refresh(self) -> None:
        """Rebuild the lists from the store for the open article."""
        s = self.session
        art = s.article
        self._updating = True
        try:
            if s.actors() is not self._actors_seen:
                self._fill_actor_combos()
            self.actor_tree.clear()
            self._items = {}
            if art is None:
                self._mentions, self._claims, self._portrayals = {}, {}, {}
                self.claim_model.set_claims([])
                self.sentiment_bar.set_value(None)
            else:
                ann = s.store.annotations
                mentions, claims = s.annotations()
                self._mentions = {m.id: m for m in mentions}
                self._claims = {c.id: c for c in claims}
                self.claim_model.set_claims(claims)
                sentiments = ann.sentiments(art.id, s.annotator)
                self._portrayals = {x.actor_id: x.value for x in sentiments
                                    if x.actor_id is not None}
                self.sentiment_bar.set_value(
                    next((x.value for x in sentiments if x.actor_id is None), None))
                self._fill_actor_tree()
            self._show_selection(s.selection)
        finally:
            self._updating = False
        editable = not s.read_only and art is not None
        self.sentiment_bar.setEnabled(editable)

    def _fill_actor_tree(self) -> None:
        s = self.session
        lookup = s.lookup
        counts = Counter(m.actor_id for m in self._mentions.values())
        involved = list(counts)
        for c in self._claims.values():
            involved += [a for a in (c.claimant_id, c.target_id) if a is not None]
        involved += list(self._portrayals)
        by_actor: dict[int, list[Mention]] = {}
        for m in self._mentions.values():
            by_actor.setdefault(m.actor_id, []).append(m)
        items = []
        for actor_id in dict.fromkeys(involved):
            actor = s.actor(actor_id)
            if actor is None:
                continue
            kind = lookup.types.get(actor.type) if actor.type else None
            portrayal = self._portrayals.get(actor_id)
            item = QTreeWidgetItem([actor.name, kind.label if kind else (actor.type or ""),
                                    str(counts.get(actor_id, 0)),
                                    lookup.scale_label(portrayal) if portrayal is not None
                                    else ""])
            item.setData(0, _REF, ("actor", actor_id))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if kind is not None:
                item.setBackground(0, mix(kind.color, amount=0.55))
            item.setToolTip(0, f"{actor.name} ({kind.label if kind else 'no type'})"
                            + (f"; also {', '.join(actor.aliases)}" if actor.aliases else ""))
            self._items[("actor", actor_id)] = item
            if by_actor.get(actor_id):
                # mention rows are made when the actor is expanded or one of them is selected
                item.setChildIndicatorPolicy(
                    QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            items.append(item)
        self._by_actor = by_actor
        items.sort(key=lambda i: (-int(i.text(2)), i.text(0).casefold()))
        self.actor_tree.addTopLevelItems(items)

    def _ensure_mention_rows(self, actor_id: int) -> None:
        item = self._items.get(("actor", actor_id))
        mentions = self._by_actor.get(actor_id, [])
        if item is None or item.childCount() or not mentions:
            return
        actor = self.session.actor(actor_id)
        name = actor.name if actor else "?"
        children = []
        for m in mentions:
            child = QTreeWidgetItem([f"“{short(m.text, 50)}”", "mention", "", ""])
            child.setData(0, _REF, ("mention", m.id))
            child.setToolTip(0, f"Mention of {name} at {m.start}–{m.end}")
            self._items[("mention", m.id)] = child
            children.append(child)
        item.addChildren(children)

    def _on_actor_tree_expanded(self, item: QTreeWidgetItem) -> None:
        ref = item.data(0, _REF)
        if ref and ref[0] == "actor":
            self._ensure_mention_rows(ref[1])

    def _fill_actor_combos(self) -> None:
        actors = self.session.actors()
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

    def _fill_categories(self, book: Codebook) -> None:
        self.category_combo.clear()
        self.category_combo.addItem("— no category —", None)
        # a flat walk, parents first: a chain thousands deep neither recurses nor
        # indents past the width of the list
        for cat, depth in CategoryTree(book).walk():
            indent = "    " * min(depth, MAX_INDENT) + ("… " if depth > MAX_INDENT else "")
            self.category_combo.addItem(indent + cat.label, cat.key)
            index = self.category_combo.count() - 1
            self.category_combo.setItemData(index, mix(cat.color, amount=0.8),
                                            Qt.ItemDataRole.BackgroundRole)
            self.category_combo.setItemData(index, cat.description, Qt.ItemDataRole.ToolTipRole)

    # -- selection ------------------------------------------------------------------
    def _on_tree_current_changed(self, current: QTreeWidgetItem | None,
                                 _previous: QTreeWidgetItem | None) -> None:
        if self._updating or current is None:
            return
        self.session.select(current.data(0, _REF))

    def _on_claim_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._updating or not current.isValid():
            return
        self.session.select(self.claim_model.data(current, _REF))

    def _on_session_selection_changed(self, ref: Ref | None) -> None:
        self._updating = True
        try:
            self._show_selection(ref)
        finally:
            self._updating = False

    def _show_selection(self, ref: Ref | None) -> None:
        if ref is not None and ref[0] == "mention" and ref[1] in self._mentions:
            self._ensure_mention_rows(self._mentions[ref[1]].actor_id)
        item = self._items.get(ref) if ref else None
        if item is None:
            self.actor_tree.clearSelection()
            self.actor_tree.setCurrentIndex(QModelIndex())
        else:
            self.actor_tree.setCurrentItem(item)
            self.actor_tree.scrollToItem(item)
        row = self.claim_model.row_of(ref[1]) if ref and ref[0] == "claim" else -1
        if row < 0:
            self.claim_view.clearSelection()
            self.claim_view.setCurrentIndex(QModelIndex())
        else:
            index = self.claim_model.index(row, 0)
            self.claim_view.setCurrentIndex(index)
            self.claim_view.scrollTo(index)
        self._show_claim(self._claims.get(ref[1]) if ref and ref[0] == "claim" else None)
        self._show_portrayal(self.selected_actor_id())

    def selected_actor_id(self) -> int | None:
        ref = self.session.selection
        if ref is None:
            return None
        if ref[0] == "actor":
            return ref[1]
        if ref[0] == "mention":
            m = self._mentions.get(ref[1])
            return m.actor_id if m else None
        return None

    def _show_portrayal(self, actor_id: int | None) -> None:
        actor = self.session.actor(actor_id)
        self.portrayal_label.setText(f"Portrayal of {actor.name}" if actor else
                                     "Portrayal: select an actor")
        self.portrayal_bar.set_value(self._portrayals.get(actor_id) if actor_id else None)
        self.portrayal_bar.setEnabled(actor is not None and not self.session.read_only)

    def _show_claim(self, claim: Claim | None) -> None:
        box = self.claim_box
        box.setEnabled(claim is not None and not self.session.read_only)
        box.setTitle("Selected claim" if claim is None else f"Claim “{short(claim.text, 40)}”")
        _select_data(self.claimant_combo, claim.claimant_id if claim else None)
        _select_data(self.target_combo, claim.target_id if claim else None)
        _select_data(self.category_combo, claim.category if claim else None)
        self.stance_bar.set_value(claim.stance if claim else None)
        self.note_edit.setText(claim.note or "" if claim else "")

    def selected_claim(self) -> Claim | None:
        ref = self.session.selection
        return self._claims.get(ref[1]) if ref and ref[0] == "claim" else None

    def claim(self, claim_id: int) -> Claim | None:
        return self._claims.get(claim_id)

    def mention(self, mention_id: int) -> Mention | None:
        return self._mentions.get(mention_id)

    def mentions_of(self, actor_id: int) -> list[Mention]:
        return [m for m in self._mentions.values() if m.actor_id == actor_id]

    def portrayal(self, actor_id: int) -> int | None:
        return self._portrayals.get(actor_id)

    # -- editing ------------------------------------------------------------------------
    def _set_claim_field(self, field: str, value: object) -> None:
        claim = self.selected_claim()
        if claim is None or getattr(claim, field) == value:
            return
        self.session.perform(self.session.service.update_claim(claim, **{field: value}))

    def _on_note_edit_finished(self) -> None:
        claim = self.selected_claim()
        if claim is not None and self.note_edit.isModified():
            self.note_edit.setModified(False)
            self._set_claim_field("note", self.note_edit.text().strip() or None)

    def _on_stance_bar_clicked(self, value: int | None) -> None:
        self._set_claim_field("stance", value)

    def _on_sentiment_bar_clicked(self, value: int | None) -> None:
        art = self.session.article
        if art is not None:
            self.session.perform(self.session.service.set_article_sentiment(
                art.id, value, self.session.codebook))

    def _on_portrayal_bar_clicked(self, value: int | None) -> None:
        actor_id = self.selected_actor_id()
        art = self.session.article
        if art is not None and actor_id is not None:
            self.session.perform(self.session.service.set_actor_sentiment(
                art.id, actor_id, value, self.session.codebook))


def describe_claim(session: ProjectSession, claim: Claim) -> str:
    """``Claim by Vucic about Kurti · Security › Policing · stance -2 very negative``."""
    lookup = session.lookup
    claimant = session.actor(claim.claimant_id)
    target = session.actor(claim.target_id)
    parts = ["Claim" + (f" by {claimant.name}" if claimant else " (no claimant)")
             + (f" about {target.name}" if target else "")]
    if claim.category:
        parts.append(lookup.category_path(claim.category))
    if claim.stance is not None:
        parts.append(f"stance {lookup.scale_label(claim.stance)}")
    return " · ".join(parts)


def describe_mention(session: ProjectSession, actor_id: int) -> str:
    """``Mention of Albin Kurti (person)``."""
    actor = session.actor(actor_id)
    if actor is None:
        return "Mention of an unknown actor"
    kind = session.codebook.actor_type(actor.type)
    return f"Mention of {actor.name} ({(kind.label if kind else actor.type or 'no type').lower()})"


def _select_data(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(0 if value is None else max(combo.findData(value), 0))


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("sectionHeading")
    return label
