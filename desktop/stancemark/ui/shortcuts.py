"""Window shortcuts that text fields must not swallow.

A ``QLineEdit`` claims Ctrl+Z, Ctrl+Y and a few other keys for itself (a
``ShortcutOverride``), so with focus in a search box the window's Undo would undo the
typed search instead of the last annotation. :func:`let_through` makes such a field
leave the given key sequences to the window's actions.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget


class _LetThrough(QObject):
    """Event filter: ignore the field's claim on the given sequences."""

    def __init__(self, parent: QObject, sequences: Iterable[QKeySequence]) -> None:
        super().__init__(parent)
        self._combos = {s[0].toCombined() for s in sequences  # type: ignore[index]
                        if not s.isEmpty()}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            combo = event.keyCombination().toCombined()
            if combo in self._combos:
                event.ignore()  # not the field's: the window's shortcut gets it
                return True
        return False


def let_through(field: QWidget, sequences: Iterable[QKeySequence | str]) -> None:
    """Leave ``sequences`` typed in ``field`` to the window's actions."""
    keys = [s if isinstance(s, QKeySequence) else QKeySequence(s) for s in sequences]
    field.installEventFilter(_LetThrough(field, keys))
