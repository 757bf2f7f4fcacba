"""The article list: a lazily fetched table model over ``store.articles`` and its panel.

The model is an adapter: it holds one page-extended window of
``ArticleSummary`` rows and asks the store for the next page (``fetchMore``)
only when the view scrolls there, so a project of 100,000 articles opens as
fast as one of ten. Sorting and filtering re-query the store.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.filters import ArticleFilter
from stancemark.core.models import STATUS_LABELS, STATUSES, ArticleSummary
from stancemark.store import Store

AnyIndex = QModelIndex | QPersistentModelIndex

#: (store sort key or None when the store cannot sort by it, header)
COLUMNS: tuple[tuple[str | None, str], ...] = (
    ("title", "Title"),
    ("published", "Date"),
    ("source", "Source"),
    ("status", "Status"),
    ("annotations", "Ann."),
)
STATUS_COLOURS = {"new": "#6b7280", "in_progress": "#b45309", "done": "#15803d"}
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ArticleListModel(QAbstractTableModel):
    """Rows of ``store.articles.summaries``, fetched ``PAGE`` at a time."""

    PAGE = 200

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[ArticleSummary] = []
        self._row_of: dict[int, int] = {}
        self._total = 0
        self.filter = ArticleFilter()
        self.order = "id"
        self.descending = False
        self.reload()

    # -- queries ------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self._total = self._store.articles.count(self.filter)
        self._rows = self._page(0)
        self._row_of = {r.id: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def _page(self, offset: int, limit: int = PAGE) -> list[ArticleSummary]:
        return self._store.articles.summaries(self.filter, order=self.order,
                                              descending=self.descending,
                                              limit=limit, offset=offset)

    def set_filter(self, status: str | None, search: str | None,
                   ids: list[int] | None = None) -> None:
        """Show articles with ``status``, matching ``search``, among ``ids`` (None: all)."""
        flt = ArticleFilter(status=status or None, search=(search or "").strip() or None,
                            ids=ids)
        if flt != self.filter:
            self.filter = flt
            self.reload()

    def total(self) -> int:
        return self._total

    def refresh_articles(self, ids: frozenset[int] | set[int]) -> None:
        """Re-read the rows of ``ids`` (status, annotation count) in place."""
        for article_id in ids:
            row = self._row_of.get(article_id)
            if row is None:
                continue
            self._rows[row] = self._store.articles.summary(article_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def loaded_ids(self) -> frozenset[int]:
        """The articles of the rows fetched so far."""
        return frozenset(self._row_of)

    def row_of(self, article_id: int, *, fetch: bool = False) -> int:
        """Row of an article, fetching further rows (at most 50 pages) when ``fetch``.

        Asks first whether the filter shows the article at all, then fetches in one
        query: paging 50 times to learn that a search hides it took a second on
        100,000 articles (the search ran once per page).
        """
        if article_id in self._row_of or not fetch or not self.canFetchMore():
            return self._row_of.get(article_id, -1)
        if not self._store.articles.count(replace(self.filter, ids=[article_id])):
            return -1
        self._fetch(50 * self.PAGE)
        return self._row_of.get(article_id, -1)

    def article_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    # -- Qt model interface ---------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._fetch(self.PAGE)

    def _fetch(self, limit: int) -> None:
        batch = self._page(len(self._rows), limit)
        if not batch:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._rows.extend(batch)
        for i, r in enumerate(batch, first):
            self._row_of[r.id] = i
        self.endInsertRows()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return row.title or f"Article {row.id}"
            if col == 1:
                return (row.published or "")[:10]
            if col == 2:
                return row.source or ""
            if col == 3:
                return STATUS_LABELS.get(row.status, row.status)
            return row.annotations or ""
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return row.title
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            return QColor(STATUS_COLOURS.get(row.status, "#000000"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return "Annotations (mentions and claims)" if section == 4 else \
                f"Sort by {COLUMNS[section][1].lower()}"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][0] if 0 <= column < len(COLUMNS) else None
        key = key or "id"
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.order, self.descending):
            self.order, self.descending = key, descending
            self.reload()


class ArticleListPanel(QWidget):
    """Search box, status filter and the article table; emits the article the analyst picks."""

    article_activated = Signal(int)
    #: Escape in the search box: the analyst goes back to the article
    leave_requested = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ArticleListModel(store, self)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search title and text")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip("Search titles and texts (Ctrl+F); Esc goes back to the text")
        self.search_edit.installEventFilter(self)
        self.status_combo = QComboBox(self)
        self.status_combo.addItem("All", None)
        for status in STATUSES:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        self.status_combo.setToolTip("Show only articles with this status")
        # a team member's queue: the articles the team's manager assigned to them
        self.queue_button = QToolButton(self)
        self.queue_button.setObjectName("queueButton")
        self.queue_button.setCheckable(True)
        self.queue_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.queue_button.setText("My queue")
        self.queue_button.setVisible(False)
        self._queue_ids: list[int] | None = None
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 84), (2, 80), (3, 80), (4, 36)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("articleCount")

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.status_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addLayout(top)
        layout.addWidget(self.queue_button)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search_edit.textChanged.connect(self._on_search_edit_changed)
        self.status_combo.currentIndexChanged.connect(self._apply_filter)
        self.queue_button.toggled.connect(self._apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.model.modelReset.connect(self._update_count)
        self._current_id: int | None = None
        self._update_count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.leave_requested.emit()
            return True
        return super().eventFilter(watched, event)

    def stop(self) -> None:
        """The window is closing: a search typed a moment ago is not run any more."""
        self._search_timer.stop()

    def _on_search_edit_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        queue = self._queue_ids if self.queue_button.isChecked() else None
        self.model.set_filter(self.status_combo.currentData(), self.search_edit.text(), queue)
        if self._current_id is not None:
            self.select_article(self._current_id, emit=False)

    def set_queue(self, ids: list[int] | None, text: str, tip: str) -> None:
        """Offer the team member's queue as a filter (``ids`` None: not a team project)."""
        self.queue_button.setVisible(ids is not None)
        self.queue_button.setText(text)
        self.queue_button.setToolTip(tip)
        changed = ids != self._queue_ids
        self._queue_ids = ids
        if ids is None and self.queue_button.isChecked():
            self.queue_button.setChecked(False)  # filters again
        elif changed and self.queue_button.isChecked():
            self._apply_filter()

    def _update_count(self) -> None:
        total = self.model.total()
        where = " in my queue" if self.queue_button.isChecked() else ""
        self.count_label.setText(f"{total:,} article{'s' if total != 1 else ''}{where}")

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = self.model.article_id(current.row()) if current.isValid() else None
        if article_id is not None and article_id != self._current_id:
            self._current_id = article_id
            self.article_activated.emit(article_id)

    def select_article(self, article_id: int, *, emit: bool = False) -> None:
        """Make ``article_id`` the current row (if the filter shows it)."""
        self._current_id = article_id if not emit else None
        row = self.model.row_of(article_id, fetch=True)
        if row < 0:
            self._current_id = article_id
            self.table.clearSelection()
            return
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self._current_id = article_id

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
