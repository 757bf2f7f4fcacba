"""The type-ahead actor picker: find an actor by name or alias, or create one with a type.

Step one is a search box over ``AnnotationService.find_actors`` with the
selected text pre-typed; Up/Down move, Enter picks, Esc cancels. Enter on the
"New actor" row goes to step two: the actor types of the codebook, chosen with
their shortcut keys (or Up/Down and Enter).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.codebook import Codebook
from stancemark.services.annotation import AnnotationService

_ACTOR = Qt.ItemDataRole.UserRole + 1
_NEW = -1


class ActorPickerPopup(QFrame):
    """A popup that ends in :attr:`picked`, :attr:`create_requested` or :attr:`cancelled`."""

    picked = Signal(int)
    create_requested = Signal(str, str)  # name, actor type key
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("actorPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.title.setObjectName("pickerTitle")
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Actor name or alias")
        self.list = QListWidget(self)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hint = QLabel(self)
        self.hint.setObjectName("pickerHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.resize(380, 300)
        self.search_edit.textChanged.connect(self._on_search_edit_changed)
        self.search_edit.installEventFilter(self)
        self.list.itemActivated.connect(self._on_list_activated)
        self._service: AnnotationService | None = None
        self._codebook = Codebook()
        self._allow_create = True
        self._new_name: str | None = None  # set in the type step
        self._done = False

    # -- opening -----------------------------------------------------------------
    def start(self, service: AnnotationService, codebook: Codebook, text: str, *,
              title: str, allow_create: bool = True, at: QPoint | QRect | None = None) -> None:
        """Show the picker with ``text`` pre-typed; the result comes as a signal.

        ``at`` is where the text being tagged is on screen (a rect: the picker goes
        below it, or above it when the screen ends first; never over it).
        """
        self._service, self._codebook = service, codebook
        self._allow_create = allow_create
        self._new_name = None
        self._done = False
        self.title.setText(title)
        self.search_edit.setReadOnly(False)
        self.search_edit.setText(" ".join(text.split()))
        self.search_edit.selectAll()
        self._fill_actors()
        if at is not None:
            self.move(self.place(at if isinstance(at, QRect) else QRect(at, QSize(1, 1))))
        self.show()
        self.search_edit.setFocus()

    def place(self, anchor: QRect) -> QPoint:
        """Top-left for the picker next to ``anchor`` (global), inside the anchor's screen."""
        screen = QGuiApplication.screenAt(anchor.center()) or self.screen()
        area = screen.availableGeometry()
        size = self.frameGeometry().size().expandedTo(self.sizeHint())
        x = max(area.left(), min(anchor.left(), area.right() - size.width()))
        y = anchor.bottom() + 4
        if y + size.height() > area.bottom():
            y = anchor.top() - 4 - size.height()  # no room below: above the text
        return QPoint(x, max(area.top(), y))

    # -- step one: actors --------------------------------------------------------
    def _on_search_edit_changed(self, _text: str) -> None:
        if self._new_name is None:
            self._fill_actors()

    def _fill_actors(self) -> None:
        assert self._service is not None
        query = self.search_edit.text().strip()
        self.list.clear()
        exact = False
        for actor in self._service.find_actors(query, limit=30):
            kind = self._codebook.actor_type(actor.type)
            label = f"{actor.name}   · {kind.label if kind else actor.type or 'no type'}"
            if actor.aliases:
                label += f"   (also {', '.join(actor.aliases[:3])})"
            item = QListWidgetItem(label, self.list)
            item.setData(_ACTOR, actor.id)
            if kind:
                item.setForeground(QColor(kind.color).darker(130))
            exact = exact or actor.name.casefold() == query.casefold() or \
                query.casefold() in (a.casefold() for a in actor.aliases)
        if self._allow_create and query and not exact:
            item = QListWidgetItem(f"+ New actor “{query}”…", self.list)
            item.setData(_ACTOR, _NEW)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.hint.setText("↑↓ choose · Enter pick · Esc cancel")

    # -- step two: type of a new actor --------------------------------------------
    def _ask_type(self, name: str) -> None:
        self._new_name = name
        self.title.setText(f"Type of new actor “{name}”")
        self.search_edit.setReadOnly(True)
        self.list.clear()
        for t in self._codebook.actor_types:
            key = f"[{t.shortcut}]  " if t.shortcut else ""
            item = QListWidgetItem(f"{key}{t.label}", self.list)
            item.setData(_ACTOR, t.key)
            item.setForeground(QColor(t.color).darker(130))
        if self.list.count():
            self.list.setCurrentRow(0)
        self.hint.setText("Press a type's key, or ↑↓ and Enter · Esc cancel")

    def _finish(self) -> None:
        self._done = True
        self.hide()

    def _accept_current(self) -> None:
        item = self.list.currentItem()
        if self._new_name is not None:
            if item is not None:
                name = self._new_name
                self._finish()
                self.create_requested.emit(name, str(item.data(_ACTOR)))
            return
        if item is None:
            return
        value = item.data(_ACTOR)
        if value == _NEW:
            self._ask_type(self.search_edit.text().strip())
        else:
            self._finish()
            self.picked.emit(int(value))

    def _on_list_activated(self, _item: QListWidgetItem) -> None:
        self._accept_current()

    def _choose_type_by_key(self, text: str) -> bool:
        for row, t in enumerate(self._codebook.actor_types):
            if t.shortcut and text and t.shortcut.casefold() == text.casefold():
                self.list.setCurrentRow(row)
                self._accept_current()
                return True
        return False

    # -- keys --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._handle_key(event)
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.hide()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._accept_current()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -8,
                    Qt.Key.Key_PageDown: 8}[Qt.Key(key)]
            n = self.list.count()
            if n:
                self.list.setCurrentRow(max(0, min(n - 1, self.list.currentRow() + step)))
            return True
        if self._new_name is not None:
            return self._choose_type_by_key(event.text()) or bool(event.text())
        return False

    def hideEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().hideEvent(event)  # type: ignore[arg-type]
        if not self._done:
            self._done = True
            self.cancelled.emit()
