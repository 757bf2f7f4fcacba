"""The tagging panel: the open article's sentiment, actors (with mentions) and claims.

It reads the article's annotations from the store whenever the session
broadcasts a change to it, and turns clicks into service edits performed
through the session (so each one is saved and undoable). Selecting a row
selects that annotation in the session; the article view follows. The claim
editor (:mod:`stancemark.ui.claim_editor`) edits the selected claim.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.models import Claim, Mention
from stancemark.services.edits import Change
from stancemark.ui.claim_editor import ClaimEditor
from stancemark.ui.claim_table import REF_ROLE, ClaimTableModel, signed
from stancemark.ui.describe import short
from stancemark.ui.scale_bar import ScaleBar
from stancemark.ui.session import ProjectSession, Ref
from stancemark.ui.span_highlighter import mix


class TaggingPanel(QWidget):
    """Sentiment, actors and claims of the open article, with the claim editor below."""

    status_message = Signal(str)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._updating = False
        self.sentiment_bar = ScaleBar(session.codebook, "Ctrl+", self)
        self.actor_tree = self._make_actor_tree()
        self.portrayal_label = QLabel("Portrayal: select an actor", self)
        self.portrayal_bar = ScaleBar(session.codebook, "", self)
        self.claim_model = ClaimTableModel(session, self)
        self.claim_view = self._make_claim_view()
        self.claim_editor = ClaimEditor(session, self)
        self._lay_out()
        self._connect()
        self._mentions: dict[int, Mention] = {}
        self._claims: dict[int, Claim] = {}
        self._items: dict[Ref, QTreeWidgetItem] = {}
        self._portrayals: dict[int, int] = {}
        self._by_actor: dict[int, list[Mention]] = {}
        self.refresh()

    def _make_actor_tree(self) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName("actorTree")
        tree.setHeaderLabels(["Actor", "Type", "Mentions", "Portrayal"])
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setAlternatingRowColors(True)
        tree.setUniformRowHeights(True)
        tree.header().setStretchLastSection(False)
        header = tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        tree.setColumnWidth(1, 104)
        # counts and portrayals are short numbers: narrow fixed columns (sizing them to
        # their contents would read every row of the tree after each edit)
        for col, width in ((2, 72), (3, 72)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            tree.setColumnWidth(col, width)
        return tree

    def _make_claim_view(self) -> QTableView:
        view = QTableView(self)
        view.setObjectName("claimView")
        view.setModel(self.claim_model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(22)
        # the columns share the panel's width (the stance is a short number), so the
        # whole row fits a narrow panel without scrolling sideways
        header = view.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        # a fixed stance column: sized to its contents, Qt would read every claim's data
        # after each edit (4,000 calls and 10 ms per new claim on a 500-claim article)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(36)
        view.setColumnWidth(3, 64)
        return view

    def _lay_out(self) -> None:
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
        layout.addWidget(self.claim_editor)

    def _connect(self) -> None:
        session = self.session
        self.sentiment_bar.value_clicked.connect(self._on_sentiment_bar_clicked)
        self.portrayal_bar.value_clicked.connect(self._on_portrayal_bar_clicked)
        self.actor_tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.actor_tree.itemExpanded.connect(self._on_actor_tree_expanded)
        self.claim_view.selectionModel().currentRowChanged.connect(
            self._on_claim_view_current_changed)
        session.article_opened.connect(lambda _a: self.refresh())
        session.changed.connect(self._on_session_changed)
        session.selection_changed.connect(self._on_session_selection_changed)

    @property
    def article_sentiment(self) -> int | None:
        """The open article's sentiment (by this annotator), as shown."""
        return self.sentiment_bar.value

    # -- reading ------------------------------------------------------------------
    def _on_session_changed(self, change: Change) -> None:
        art = self.session.article
        if "codebook" in change.kinds:
            # labels, colours, categories and the scale may all be new
            book = self.session.codebook
            for bar in (self.sentiment_bar, self.portrayal_bar, self.claim_editor.stance_bar):
                bar.set_codebook(book)
            self.claim_editor.fill_categories(book)
            self.refresh()
        elif art is not None and (art.id in change.articles or "actors" in change.kinds):
            self.refresh()

    def refresh(self) -> None:
        """Rebuild the lists from the store for the open article."""
        s = self.session
        art = s.article
        self._updating = True
        try:
            self.claim_editor.fill_actors()
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
                                    signed(portrayal) if portrayal is not None else ""])
            item.setData(0, REF_ROLE, ("actor", actor_id))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if portrayal is not None:
                item.setToolTip(3, f"Portrayal {lookup.scale_label(portrayal)}")
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
        text = self.session.article.text if self.session.article else ""
        for m in mentions:
            # many mentions of one actor read alike: each row shows where it is
            child = QTreeWidgetItem([mention_context(text, m.start, m.end), "mention", "", ""])
            child.setData(0, REF_ROLE, ("mention", m.id))
            child.setToolTip(0, f"Mention of {name} at {m.start}–{m.end}")
            self._items[("mention", m.id)] = child
            children.append(child)
        item.addChildren(children)

    def _on_actor_tree_expanded(self, item: QTreeWidgetItem) -> None:
        ref = item.data(0, REF_ROLE)
        if ref and ref[0] == "actor":
            self._ensure_mention_rows(ref[1])

    # -- selection ------------------------------------------------------------------
    def _on_tree_current_changed(self, current: QTreeWidgetItem | None,
                                 _previous: QTreeWidgetItem | None) -> None:
        if self._updating or current is None:
            return
        self.session.select(current.data(0, REF_ROLE))

    def _on_claim_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._updating or not current.isValid():
            return
        self.session.select(self.claim_model.data(current, REF_ROLE))

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
        self.claim_editor.show_claim(
            self._claims.get(ref[1]) if ref and ref[0] == "claim" else None)
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


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("sectionHeading")
    return label


def mention_context(text: str, start: int, end: int, words: int = 4) -> str:
    """``¶3 …the minister, “Kurti”, said on…``: a mention with its paragraph and neighbours."""
    paragraph = text.count("\n", 0, start) + 1
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:start].split()
    after = text[end:line_end].split()
    left = ("…" if len(before) > words else "") + " ".join(before[-words:])
    right = " ".join(after[:words]) + ("…" if len(after) > words else "")
    return f"¶{paragraph} {left} “{short(text[start:end], 40)}” {right}".replace("  ", " ").strip()
