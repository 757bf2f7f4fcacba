"""The working session of one project, free of Qt: the rules every front end obeys.

A :class:`Session` owns the open store, the annotator, the article being worked
on and the history of edits. :meth:`Session.perform` applies an ``Edit`` in one
transaction together with what the rules add to it (the first annotation on a
``new`` article marks it in progress), records it for :meth:`Session.undo` /
:meth:`Session.redo`, and tells every listener the :class:`Change`. The window
adapts it to Qt signals and a ``QUndoStack`` (``ui/session.py``); the command line
uses it as it is, so the same rules hold headless.
"""

from __future__ import annotations

from collections.abc import Callable

from stancemark.core.changes import ANNOTATION_KINDS, Change, change
from stancemark.core.errors import StancemarkError
from stancemark.core.models import Article
from stancemark.services.annotation import AnnotationService
from stancemark.services.edits import AddClaim, Compound, Edit, SetStatus, UpdateClaim
from stancemark.store import Store

Listener = Callable[[Change], None]


def team_annotator(store: Store) -> str | None:
    """The annotator a team project's edits must be made as: its member's role name.

    Team sync sends only that annotator's annotations (a curator's also ``gold``).
    """
    from stancemark.store.team import member_name

    return member_name(store)

#: Edits kept for undo; older ones are forgotten (each holds only a few rows).
HISTORY_LIMIT = 1000


class Session:
    """One analyst's work on one open project."""

    def __init__(self, store: Store, annotator: str, *,
                 history_limit: int = HISTORY_LIMIT) -> None:
        self.store = store
        self.service = AnnotationService(store, annotator)
        self.article: Article | None = None
        self._done: list[Edit] = []
        self._undone: list[Edit] = []
        self._limit = history_limit
        self._listeners: list[Listener] = []
        #: claims whose claimant was guessed and not yet set or confirmed by the analyst.
        #: Kept for this session only: the project file has no place for it (yet).
        self.guessed_claimants: set[int] = set()

    # -- who and what ---------------------------------------------------------------
    @property
    def annotator(self) -> str:
        return self.service.annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.service.annotator = name

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def open_article(self, article_id: int) -> Article:
        """Make ``article_id`` the article being worked on (raises NotFoundError)."""
        self.article = self.store.articles.get(article_id)
        return self.article

    # -- listeners ------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(change)`` after every change; returns a function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, change: Change) -> None:
        if self.article is not None and self.article.id in change.articles \
                and "status" in change.kinds:
            self.article.status = self.store.articles.status(self.article.id)
        for listener in list(self._listeners):
            listener(change)

    # -- edits ----------------------------------------------------------------------
    def perform(self, edit: Edit, *, origin: object | None = None) -> Change:
        """Apply ``edit`` and what the rules add to it, in one transaction; make it undoable.

        Raises :class:`StancemarkError` (read-only project, invalid span …) and then
        nothing was written and the history is as it was.
        """
        with self.store.write():
            result = edit.apply(self.store)
            edit, result = self._with_status_progress(edit, result)
        self._follow_guesses(edit, applied=True)
        self._done.append(edit)
        del self._done[:-self._limit]
        self._undone.clear()
        result = result.with_origin(origin)
        self._notify(result)
        return result

    # -- guessed claimants ---------------------------------------------------------
    def _follow_guesses(self, edit: Edit, *, applied: bool) -> None:
        """A claim added with a guessed claimant is a guess; setting its claimant ends it."""
        parts = edit.parts if isinstance(edit, Compound) else [edit]
        for part in parts:
            if isinstance(part, Compound):
                self._follow_guesses(part, applied=applied)
            elif isinstance(part, AddClaim) and part.created is not None:
                if applied and part.claimant_guessed:
                    self.guessed_claimants.add(part.created.id)
                else:
                    self.guessed_claimants.discard(part.created.id)
            elif isinstance(part, UpdateClaim) and "claimant_id" in part.fields and applied:
                self.guessed_claimants.discard(part.claim_id)

    def confirm_claimant(self, claim_id: int, article_id: int) -> None:
        """The analyst confirms a guessed claimant as it is (no edit to the project)."""
        if claim_id in self.guessed_claimants:
            self.guessed_claimants.discard(claim_id)
            self._notify(change(article_id, "claims", focus=("claim", claim_id)))

    def _with_status_progress(self, edit: Edit, result: Change) -> tuple[Edit, Change]:
        """The first annotation on a new article also marks it in progress (same undo step)."""
        if not result.kinds & ANNOTATION_KINDS:
            return edit, result
        steps = [SetStatus(aid, "in_progress", "") for aid in sorted(result.articles)
                 if self.store.articles.status(aid) == "new"]
        if not steps:
            return edit, result
        for step in steps:
            result = result | step.apply(self.store)
        return Compound([edit, *steps], edit.text), result

    def undo(self, *, origin: object | None = None) -> Change | None:
        """Revert the last edit; None if there is nothing to undo."""
        if not self._done:
            return None
        edit = self._done.pop()
        result = self._step(edit.revert, edit)
        self._follow_guesses(edit, applied=False)
        self._undone.append(edit)
        return self._announce(result, origin)

    def redo(self, *, origin: object | None = None) -> Change | None:
        """Apply again the last undone edit; None if there is nothing to redo."""
        if not self._undone:
            return None
        edit = self._undone.pop()
        result = self._step(edit.apply, edit)
        self._follow_guesses(edit, applied=True)
        self._done.append(edit)
        return self._announce(result, origin)

    def _step(self, step: Callable[[Store], Change], edit: Edit) -> Change:
        try:
            with self.store.write():
                return step(self.store)
        except Exception as exc:
            # The history no longer matches the project: replaying it against rows it
            # never saw could delete or overwrite them, so it goes.
            self.forget_history()
            message = str(exc) if isinstance(exc, StancemarkError) else \
                f"Undo/redo of “{edit.text}” failed ({type(exc).__name__}: {exc})."
            raise StancemarkError(f"{message} The undo history was cleared.") from exc

    def _announce(self, result: Change, origin: object | None) -> Change:
        result = result.with_origin(origin)
        self._notify(result)
        return result

    def record(self, change: Change, *, forget_history: bool = False) -> None:
        """Announce a change made outside the history (an import, a merge, a codebook job).

        ``forget_history`` drops the undo history: undoing older steps over rows they
        never saw could delete or overwrite the new ones.
        """
        if forget_history:
            self.forget_history()
        self._notify(change)

    def forget_history(self) -> None:
        self._done.clear()
        self._undone.clear()

    # -- history, for menus -----------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].text if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].text if self._undone else ""


__all__ = ["HISTORY_LIMIT", "Session"]
