"""File › Import from URL or Feed…: a box of web addresses, one a line.

The dialog only collects addresses; :class:`~stancemark.ui.project_files.ProjectFiles`
runs the import (fetching included) off the UI thread like any other import.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_BARE_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?(/|$)")


def read_lines(text: str) -> tuple[list[str], list[str]]:
    """The addresses in ``text`` and the lines that are none: one a line, blank lines and
    ``#`` notes skipped, a bare ``site.example/path`` taken as https, each address once
    (the first time). A line with no scheme and no dotted host (``localhost:8000/x``, a
    pasted file path) is not guessed at: it would be read as a file on this computer."""
    found: list[str] = []
    wrong: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not _SCHEME.match(line):
            if not _BARE_HOST.match(line):
                wrong.append(line)
                continue
            line = "https://" + line
        if line not in found:
            found.append(line)
    return found, wrong


def addresses(text: str) -> list[str]:
    """The web addresses of :func:`read_lines`."""
    return read_lines(text)[0]


class ImportUrlsDialog(QDialog):
    """Asks for web pages and RSS/Atom feeds to import; ``urls()`` after it is accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import from URL or feed")
        self.setMinimumWidth(560)
        intro = QLabel(
            "Web pages and RSS or Atom feeds, one address a line. A page is read like a "
            "saved one; a feed imports the article of each of its entries.\n"
            "Stancemark asks each site for at most one page a second, obeys its "
            "robots.txt and skips addresses already in the project.", self)
        intro.setWordWrap(True)
        self.box = QPlainTextEdit(self)
        self.box.setObjectName("urlBox")
        self.box.setPlaceholderText("https://news.example/politics/feed.xml\n"
                                    "https://news.example/2026/03/story.html")
        self.box.setTabChangesFocus(True)
        self.count_label = QLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.box)
        layout.addWidget(self.count_label)
        layout.addWidget(self.buttons)
        self.box.textChanged.connect(self._on_box_text_changed)
        self._on_box_text_changed()

    def urls(self) -> list[str]:
        return addresses(self.box.toPlainText())

    def _on_box_text_changed(self) -> None:
        found, wrong = read_lines(self.box.toPlainText())
        n = len(found)
        self.import_button.setEnabled(n > 0 and not wrong)
        if wrong:
            self.count_label.setText(
                f"Not a web address: {wrong[0][:80]} — start it with https:// (or http://); "
                "files are imported with File › Import.")
        else:
            self.count_label.setText(f"{n} address{'es' if n != 1 else ''}" if n else "")
