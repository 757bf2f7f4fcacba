"""Bars above the panels: why editing is off (read-only or damaged project), and notices.

A notice (an import finished, and how) stays until the analyst closes it or the
next one replaces it; it never takes the keyboard away from the text.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from stancemark.store import Store


class ProjectBanner(QLabel):
    """Shown while the project may not be edited; says why and what to do."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        #: what SQLite's background check of the file found (None: nothing wrong found)
        self.damage: str | None = None
        self.setObjectName("readOnlyBanner")
        self.setWordWrap(True)
        self.setVisible(False)

    @property
    def editing_off(self) -> bool:
        return self.store.read_only or self.damage is not None

    def refresh(self) -> None:
        """Show or hide the banner for the project's state now."""
        if self.damage is not None:
            self.setText(
                "<b>Damaged project:</b> SQLite's check of this file failed "
                f"({self.damage}). Editing is off so nothing more is written to it. "
                "To go back to a backup, close it and run "
                f"<code>stancemark restore {self.store.path} BACKUP</code>.")
        elif self.store.read_only:
            reason = self.store.read_only_reason or "opened read-only"
            if "another Stancemark" in reason:
                then = "Close the other window, then reopen the project here to edit it."
            elif "--read-only" in reason:
                then = "Open it without --read-only to edit it."
            else:
                then = "Fix what stops writing (the file's permissions, the disk), then reopen."
            self.setText(
                f"<b>Read-only:</b> {html.escape(reason)}. You can read and search this "
                f"project, but tagging and status changes are off. {then}")
        self.setVisible(self.editing_off)


class NoticeBar(QFrame):
    """A one-line notice with its details as a tooltip and a close button; not modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.label = QLabel(self)
        self.label.setObjectName("noticeText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setToolTip("Close this notice")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.setVisible(False)

    def show_notice(self, text: str, details: str = "") -> None:
        self.label.setText(html.escape(text) + (" <i>(details: hover here)</i>" if details
                                                 else ""))
        self.label.setToolTip(details)
        self.setVisible(True)

    @property
    def text(self) -> str:
        return self.label.text()
