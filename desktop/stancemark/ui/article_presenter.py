"""The article view's presenter: what the view shows of the session's open article.

It turns the session's annotations into highlight spans coloured from the
codebook, describes a span for its tooltip, and keeps the view (and the
suggestions painted in it) in step with the session's broadcasts: a newly
opened article, a change to the open one, the selection. The view itself only
paints what it is given.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from stancemark.core.changes import Change, Ref
from stancemark.core.models import Article
from stancemark.ui.article_view import ArticleView
from stancemark.ui.describe import describe_claim, describe_mention
from stancemark.ui.session import ProjectSession
from stancemark.ui.span_highlighter import HighlightSpan
from stancemark.ui.suggestions_view import SuggestionsController

DEFAULT_CLAIM_COLOUR = "#f28e2b"
DEFAULT_ACTOR_COLOUR = "#4e79a7"


class ArticlePresenter(QObject):
    """Feeds one :class:`ArticleView` from one session; clicks on spans select them."""

    def __init__(self, session: ProjectSession, view: ArticleView,
                 suggestions: SuggestionsController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.suggestions = suggestions
        view.text_edit.describe = self.describe
        session.article_opened.connect(self._on_session_article_opened)
        session.changed.connect(self._on_session_changed)
        session.selection_changed.connect(self._on_session_selection_changed)
        view.text_edit.span_clicked.connect(self._on_text_span_clicked)

    def spans(self) -> list[HighlightSpan]:
        """Highlight spans of the open article, coloured from the codebook."""
        s = self.session
        if s.article is None:
            return []
        types, cats = s.lookup.types, s.lookup.categories
        mentions, claims = s.annotations()
        actors = s.actors()
        out: list[HighlightSpan] = []
        for c in claims:
            cat = cats.get(c.category) if c.category else None
            out.append(HighlightSpan("claim", c.id, c.start, c.end,
                                     cat.color if cat else DEFAULT_CLAIM_COLOUR))
        for m in mentions:
            actor = actors.get(m.actor_id)
            kind = types.get(actor.type) if actor and actor.type else None
            out.append(HighlightSpan("mention", m.id, m.start, m.end,
                                     kind.color if kind else DEFAULT_ACTOR_COLOUR))
        return out

    def describe(self, span: HighlightSpan) -> str:
        """The tooltip line of ``span``: ``Mention of Albin Kurti (person)``, ``Claim by …``."""
        if span.kind == "suggestion":
            return self.suggestions.describe(span)
        mentions, claims = self.session.annotations()
        if span.kind == "mention":
            actor_id = next((m.actor_id for m in mentions if m.id == span.id), -1)
            return describe_mention(self.session, actor_id)
        claim = next((c for c in claims if c.id == span.id), None)
        return describe_claim(self.session, claim) if claim else "Claim"

    # -- following the session ------------------------------------------------------------
    def _on_session_article_opened(self, _article: Article) -> None:
        s = self.session
        self.view.show_article(s.article, self.spans())
        self.suggestions.article_opened()

    def _on_session_changed(self, change: Change) -> None:
        art = self.session.article
        if art is None:
            return
        if art.id in change.articles or change.kinds & {"actors", "codebook"}:
            self.view.update_spans(self.spans())
        if art.id in change.articles or change.kinds & {"actors", "codebook"}:
            self.suggestions.schedule()

    def _on_session_selection_changed(self, ref: Ref | None) -> None:
        self.view.show_selection(ref)

    def _on_text_span_clicked(self, ref: Ref) -> None:
        self.session.select(ref)
