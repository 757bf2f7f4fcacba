"""The main window (minimal: article list and text; the annotation window builds on it)."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QMainWindow, QPlainTextEdit, QSplitter

from stancemark import APP_NAME
from stancemark.store import Store


class MainWindow(QMainWindow):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle(f"{store.path.name if store.path else 'memory'} — {APP_NAME}")
        split = QSplitter(self)
        self.article_list = QListWidget(split)
        self.text_view = QPlainTextEdit(split)
        self.text_view.setReadOnly(True)
        self.setCentralWidget(split)
        self._ids = []
        for s in store.articles.summaries():
            self.article_list.addItem(s.title or f"Article {s.id}")
            self._ids.append(s.id)
        self.article_list.currentRowChanged.connect(self._on_article_list_row)
        if self._ids:
            self.article_list.setCurrentRow(0)

    def _on_article_list_row(self, row: int) -> None:
        if 0 <= row < len(self._ids):
            self.text_view.setPlainText(self.store.articles.get(self._ids[row]).text)
