"""A row of buttons, one per value of the codebook's scale (sentiment, portrayal, stance)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from stancemark.core.codebook import Codebook


class ScaleBar(QWidget):
    """One button per scale value; clicking the chosen value again clears it.

    The checked button shows the stored value (:attr:`value`), never the click: a
    click only asks for a change through :attr:`value_clicked`.
    """

    value_clicked = Signal(object)  # int | None

    def __init__(self, codebook: Codebook, key_prefix: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(3)
        self.key_prefix = key_prefix
        self.buttons: dict[int, QPushButton] = {}
        self._value: int | None = None
        self.set_codebook(codebook)

    def set_codebook(self, codebook: Codebook) -> None:
        """One button per value of ``codebook``'s scale (again, after the codebook changed)."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        for point in codebook.scale:
            button = QPushButton(f"{point.value:+d}" if point.value else "0", self)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setObjectName("scaleButton")
            keys = f" ({self.key_prefix}{point.shortcut})" if point.shortcut else ""
            button.setToolTip(f"{codebook.scale_label(point.value)}{keys}")
            colour = QColor(point.color)
            button.setStyleSheet(
                f"QPushButton#scaleButton:checked {{ background: {colour.name()}; color: white;"
                f" border-color: {colour.darker(120).name()}; }}")
            button.setMinimumWidth(34)
            button.clicked.connect(lambda _c=False, v=point.value: self._on_button_clicked(v))
            self._layout.addWidget(button)
            self.buttons[point.value] = button
        shortcuts = [p.shortcut for p in codebook.scale if p.shortcut]
        if shortcuts:
            # the keys next to the buttons: 1 … 5 are −2 … +2, left to right
            first, last = shortcuts[0], shortcuts[-1]
            hint = QLabel(f"keys {self.key_prefix}{first}…{last}" if len(shortcuts) > 1
                          else f"key {self.key_prefix}{first}", self)
            hint.setObjectName("scaleKeys")
            hint.setToolTip(", ".join(f"{self.key_prefix}{p.shortcut} = "
                                      f"{codebook.scale_label(p.value)}"
                                      for p in codebook.scale if p.shortcut))
            self._layout.addWidget(hint)
            self.key_hint: QLabel | None = hint
        else:
            self.key_hint = None
        self._layout.addStretch(1)
        self.set_value(self._value)

    @property
    def value(self) -> int | None:
        """The value shown as chosen (None: no value)."""
        return self._value

    def _on_button_clicked(self, value: int) -> None:
        self.set_value(self._value)  # the checked state follows the store, not the click
        self.value_clicked.emit(None if value == self._value else value)

    def set_value(self, value: int | None) -> None:
        self._value = value
        for v, button in self.buttons.items():
            button.setChecked(v == value)
