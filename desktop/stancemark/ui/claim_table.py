"""The open article's claims as a Qt table model: an adapter over the session's list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from stancemark.core.models import Claim
from stancemark.ui.describe import describe_claim, short
from stancemark.ui.session import ProjectSession
from stancemark.ui.span_highlighter import mix

#: the role that carries a row's annotation reference, ``("claim", id)`` (also used by the
#: tagging panel's actor tree)
REF_ROLE = Qt.ItemDataRole.UserRole + 1


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
                guess = " (guess)" if claimant and s.claimant_guessed(c.id) else ""
                return (claimant.name if claimant else "?") + guess + \
                    (f" → {target.name}" if target else "")
            if col == 2:
                return s.lookup.category_path(c.category) if c.category else ""
            return signed(c.stance) if c.stance is not None else ""
        if role == REF_ROLE:
            return ("claim", c.id)
        if role == Qt.ItemDataRole.FontRole and col == 1 and s.claimant_guessed(c.id):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and col == 3 and c.stance is not None:
            return f"Stance {s.lookup.scale_label(c.stance)}"
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


def signed(value: int) -> str:
    """A scale value as its button shows it: ``-2``, ``+1``, ``0``."""
    return f"{value:+d}" if value else "0"
