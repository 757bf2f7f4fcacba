"""Suggestions in the article text: computed off the UI thread, drawn as underlines, keyed.

:class:`SuggestionsController` keeps the open article's suggestions current. The
store is read on the UI thread (:meth:`SuggestionService.gather`, a few quick
queries); the matching itself (:func:`compute_suggestions`, ~30 ms on a
20,000-word article with 5,000 actors) runs on a one-thread pool, so opening an
article or saving an edit never waits for it. Every article switch or relevant
change bumps a generation number; a result of an older generation is dropped.
Requests are debounced, so paging through articles quickly computes only the
one the analyst stops on.

Accepting and dismissing go through the service's edits and the session's undo
stack like any other edit.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from stancemark.core.errors import StancemarkError
from stancemark.services.suggestions import (
    ALL_KINDS,
    Suggestion,
    SuggestionInputs,
    SuggestionService,
    compute_suggestions,
)
from stancemark.ui.article_view import ArticleTextEdit
from stancemark.ui.session import ProjectSession
from stancemark.ui.span_highlighter import HighlightSpan

#: Colour of a claim candidate's dotted underline (a quiet grey-blue: a hint, not a claim).
CANDIDATE_COLOUR = "#9aa6b6"
ACTOR_COLOUR = "#4e79a7"
#: How long to wait after the last open/edit before computing (paging with J/K skips ahead).
DEBOUNCE_MS = 40
KEYS_HINT = "Enter/Y to accept, X to dismiss"


class _Signals(QObject):
    done = Signal(int, object)  # generation, list[Suggestion]
    failed = Signal(int, str)


class _ComputeJob(QRunnable):
    """Runs :func:`compute_suggestions` on a pool thread; reports through signals only."""

    def __init__(self, generation: int, inputs: SuggestionInputs, signals: _Signals) -> None:
        super().__init__()
        self.generation, self.inputs, self.signals = generation, inputs, signals

    def run(self) -> None:
        try:
            items = compute_suggestions(self.inputs)
        except Exception as exc:  # noqa: BLE001 - a failure must reach the user
            self.signals.failed.emit(self.generation,
                                     f"Suggestions failed: {exc}\n{traceback.format_exc(limit=3)}")
        else:
            self.signals.done.emit(self.generation, items)


class SuggestionsController(QObject):
    """The open article's suggestions: computing, painting, accepting, dismissing, moving."""

    updated = Signal()  # the painted suggestions are current

    def __init__(self, session: ProjectSession, text_edit: ArticleTextEdit,
                 on_message: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.text_edit = text_edit
        self.on_message = on_message
        self.service = SuggestionService(session.store, session.annotator)
        self.items: list[Suggestion] = []
        self.fresh = False  # items belong to the current generation
        self._generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_job_done)
        self._signals.failed.connect(self._on_job_failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_job)

    # -- keeping current ------------------------------------------------------------------
    def article_opened(self) -> None:
        """A new article is shown (its highlighter starts without suggestions)."""
        self.items = []
        self.schedule()

    def schedule(self) -> None:
        """The article, its annotations or the registry changed: recompute soon."""
        self._generation += 1
        self.fresh = False
        if not self.session.closed:
            self._timer.start()

    def _inputs(self) -> SuggestionInputs | None:
        art = self.session.article
        if art is None:
            return None
        # names the registry does not know yet are offered too (as new actors)
        return self.service.gather(art.id, ALL_KINDS, text=art.text)

    def _start_job(self) -> None:
        if self.session.closed:
            return
        inputs = self._inputs()
        if inputs is None:
            self._show([])
            return
        self._pool.start(_ComputeJob(self._generation, inputs, self._signals))

    def _on_job_done(self, generation: int, items: list[Suggestion]) -> None:
        if generation == self._generation:  # else the article changed meanwhile: stale
            self._show(items)

    def _on_job_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.fresh = True  # don't retry on every key press
            self.on_message(message.splitlines()[0])

    def current(self) -> list[Suggestion]:
        """The suggestions now, computed here if a worker result is not in yet."""
        if not self.fresh:
            self._timer.stop()
            inputs = self._inputs()
            self._generation += 1  # a job still running is now stale
            self._show(compute_suggestions(inputs) if inputs is not None else [])
        return self.items

    def _show(self, items: list[Suggestion]) -> None:
        self.items = items
        self.fresh = True
        self.text_edit.highlighter.set_suggestions(self.spans())
        self.updated.emit()

    def shutdown(self) -> None:
        """Stop scheduling and wait for a running computation (the window is closing)."""
        self._timer.stop()
        self._generation += 1
        self._pool.waitForDone()

    # -- painting ---------------------------------------------------------------------------
    def spans(self) -> list[HighlightSpan]:
        """One highlight per suggestion: dashed in the actor type's colour, or dotted."""
        lookup = self.session.lookup
        out: list[HighlightSpan] = []
        for i, s in enumerate(self.items):
            if s.kind == "actor":
                actor = self.session.actor(s.actor_id)
                kind = lookup.types.get(actor.type) if actor and actor.type else None
                out.append(HighlightSpan("suggestion", i, s.start, s.end,
                                         kind.color if kind else ACTOR_COLOUR, "dash"))
            elif s.kind == "new_actor":  # dashed too, in the suggested type's colour
                kind = lookup.types.get(s.actor_type) if s.actor_type else None
                out.append(HighlightSpan("suggestion", i, s.start, s.end,
                                         kind.color if kind else CANDIDATE_COLOUR, "dash"))
            else:
                out.append(HighlightSpan("suggestion", i, s.start, s.end, CANDIDATE_COLOUR,
                                         "dot"))
        return out

    def describe(self, span: HighlightSpan) -> str:
        """``Suggestion: Albin Kurti (person) — Enter/Y to accept, X to dismiss``."""
        if not 0 <= span.id < len(self.items):
            return "Suggestion"
        s = self.items[span.id]
        if s.kind == "new_actor":
            kind = self.session.codebook.actor_type(s.actor_type)
            label = (kind.label if kind else s.actor_type or "no type").lower()
            why = f" ({s.reason})" if s.reason else ""
            return f"New actor? “{s.text}” as {label}{why} — {KEYS_HINT}"
        actor = self.session.actor(s.actor_id)
        if s.kind == "actor":
            if actor is None:
                return f"Suggestion — {KEYS_HINT}"
            kind = self.session.codebook.actor_type(actor.type)
            label = (kind.label if kind else actor.type or "no type").lower()
            return f"Suggestion: {actor.name} ({label}) — {KEYS_HINT}"
        who = f", claimant {actor.name}" if actor is not None else ", claimant unknown"
        return f"Suggested claim{who} — {KEYS_HINT}"

    # -- finding by cursor ---------------------------------------------------------------------
    def _cursor_offset(self) -> int | None:
        return self.text_edit.cursor_offset()

    def under_cursor(self, *, or_next: bool = False) -> Suggestion | None:
        """The suggestion at the text cursor (actors before claims), or with ``or_next``
        the first one after it."""
        pos = self._cursor_offset()
        if pos is None:
            return None
        items = self.current()
        for kind in ("actor", "new_actor", "claim"):
            for s in items:
                if s.kind == kind and s.start <= pos <= s.end:
                    return s
        if or_next:
            after = [s for s in items if s.start > pos]
            return min(after, key=lambda s: (s.start, s.kind == "claim"), default=None)
        return None

    # -- actions -----------------------------------------------------------------------------
    def _article_id(self) -> int | None:
        art = self.session.article
        if art is None:
            self.on_message("Open an article first.")
            return None
        return art.id

    def _service(self) -> SuggestionService:
        self.service.annotator = self.session.annotator
        return self.service

    def accept(self) -> None:
        """Accept the suggestion under the cursor, or the next one after it."""
        article_id = self._article_id()
        if article_id is None:
            return
        s = self.under_cursor(or_next=True)
        if s is None:
            self.on_message("No suggestion at or after the text cursor.")
            return
        if self.session.perform(self._service().accept(article_id, s)) is not None:
            self._drop([s])

    def accept_all(self) -> None:
        """Accept every actor suggestion of the article as one undo step."""
        article_id = self._article_id()
        if article_id is None:
            return
        items = [s for s in self.current() if s.kind == "actor"]
        if not items:
            self.on_message("No actor suggestions in this article.")
            return
        try:
            edit = self._service().accept_all(article_id, "actor", items)
        except StancemarkError as exc:
            self.on_message(str(exc))
            return
        if self.session.perform(edit) is not None:
            self._drop(items)
            self.on_message(edit.text + ".")

    def dismiss(self) -> None:
        """Dismiss the suggestion under the cursor (it stays dismissed; undo restores it)."""
        article_id = self._article_id()
        if article_id is None:
            return
        s = self.under_cursor()
        if s is None:
            self.on_message("Put the text cursor in a suggestion to dismiss it.")
            return
        if self.session.perform(self._service().dismiss(article_id, [s])) is not None:
            self._drop([s])

    def _drop(self, gone: list[Suggestion]) -> None:
        # show the result at once; the recompute the edit triggered confirms it
        if self.fresh or self._timer.isActive():
            keep = [s for s in self.items if s not in gone]
            if len(keep) != len(self.items):
                self.items = keep
                self.text_edit.highlighter.set_suggestions(self.spans())

    def step(self, direction: int) -> None:
        """Move the text cursor to the next (1) or previous (-1) suggestion's start."""
        pos = self._cursor_offset()
        edit = self.text_edit
        if pos is None:
            return
        starts = sorted({s.start for s in self.current()})
        if direction > 0:
            target = next((x for x in starts if x > pos), None)
        else:
            target = next((x for x in reversed(starts) if x < pos), None)
        if target is None:
            self.on_message("No further suggestion in this direction." if starts
                            else "No suggestions in this article.")
            return
        edit.move_cursor_to(target)
        edit.setFocus()
