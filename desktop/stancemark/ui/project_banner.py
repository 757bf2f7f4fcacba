"""The banner above the panels that says why editing is off: read-only or damaged project."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

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
            self.setText(
                f"<b>Read-only:</b> this project is open read-only ({reason}). "
                "You can read and search it, but tagging and status changes are off. "
                "Close the other Stancemark window or fix the file's permissions, then reopen.")
        self.setVisible(self.editing_off)
