"""Which article is open: the last one at start, the next, previous or unfinished one, or the
one activated in the article list; the list follows the open article."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings

from stancemark.core.errors import StancemarkError
from stancemark.ui.article_list import ArticleListPanel
from stancemark.ui.article_view import ArticleView
from stancemark.ui.session import ProjectSession

#: what an empty project shows where the article would be
NO_ARTICLES_HINT = ("This project has no articles yet. Import some with File › Import "
                    "Articles… (Ctrl+I) or Import Folder… (Ctrl+Shift+I), or drop files "
                    "on this window.")


class ArticleNavigator(QObject):
    """Opens articles in the session; remembers each project's last article in the settings."""

    def __init__(self, session: ProjectSession, article_list: ArticleListPanel,
                 view: ArticleView, settings: QSettings, show_message: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.store = session.store
        self.article_list = article_list
        self.view = view
        self.settings = settings
        self.show_message = show_message
        article_list.article_activated.connect(self._on_article_list_activated)
        session.article_opened.connect(self._on_session_article_opened)

    def open_article(self, article_id: int) -> None:
        self.session.open_article(article_id)

    def open_first(self) -> None:
        """The article open when this project was last closed, else the list's first."""
        last = self.settings.value(self._last_article_key()) if self.store.path else None
        try:
            wanted = int(last) if last is not None else None
        except (TypeError, ValueError):
            wanted = None
        first = self.article_list.model.article_id(0)
        for candidate in (wanted, first):
            if candidate is not None:
                try:
                    self.open_article(candidate)
                    return
                except StancemarkError:
                    continue
        self.view.empty_hint = NO_ARTICLES_HINT if not self.store.articles.count() \
            else "No article open: pick one in the list."
        self.view.show_article(None, [])

    def remember(self) -> None:
        """Keep the open article in the settings, to reopen it next time."""
        if self.session.article is not None and self.store.path is not None:
            self.settings.setValue(self._last_article_key(), self.session.article.id)

    def _last_article_key(self) -> str:
        path = str(self.store.path or "memory").replace("/", "|").replace("\\", "|")
        return f"last_article/{path}"

    def go_to_neighbour(self, step: int, *, unfinished: bool = False) -> None:
        art = self.session.article
        current = art.id if art is not None else -1
        target = self.store.articles.neighbour(current, step, unfinished=unfinished)
        if target is None and unfinished:
            target = self.store.articles.neighbour(-1, 1, unfinished=True)  # wrap around
        if target is None or target == current:
            self.show_message("No further unfinished article." if unfinished
                              else "No further article in this direction.")
            return
        self.open_article(target)

    def show_an_annotated_article(self) -> None:
        """Open the first article with annotations, select a claim (or mention), scroll up."""
        for summary in self.store.articles.summaries(limit=500):
            if summary.annotations:
                self.open_article(summary.id)
                break
        art = self.session.article
        if art is None:
            return
        claims = self.store.annotations.claims(art.id)
        mentions = self.store.annotations.mentions(art.id)
        if claims:
            self.session.select(("claim", claims[0].id))
        elif mentions:
            self.session.select(("mention", mentions[0].id))
        self.view.text_edit.verticalScrollBar().setValue(0)

    def reload_list(self) -> None:
        """Articles were added (an import, a merge): list them, keep or open one."""
        self.article_list.model.reload()
        if self.session.article is None:
            self.open_first()
        else:
            self.article_list.select_article(self.session.article.id)

    def _on_article_list_activated(self, article_id: int) -> None:
        try:
            self.session.open_article(article_id)
        except StancemarkError as exc:
            self.show_message(str(exc))

    def _on_session_article_opened(self, _article: object) -> None:
        if self.session.article is not None:
            self.article_list.select_article(self.session.article.id)
