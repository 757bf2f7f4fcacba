"""The Qt face of the working session: signals, a mirrored undo stack, the window's caches.

The rules (one transaction per edit, the status rule, undo and redo) live in the
Qt-free :class:`stancemark.services.session.Session`. Here every edit goes through
:meth:`ProjectSession.perform`, which asks that session, mirrors the step as an
:class:`EditCommand` on the one ``QUndoStack`` (whose undo and redo ask the session
again), and sends each ``Change`` to every panel through the single
:attr:`ProjectSession.changed` signal. Undoing an edit of another article first
switches to that article, so the analyst sees what was undone.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from stancemark.core.categories import CategoryTree
from stancemark.core.changes import Change, Ref
from stancemark.core.codebook import ActorType, Category, Codebook
from stancemark.core.errors import NotFoundError, StancemarkError
from stancemark.core.models import Actor, Article, Claim, Mention
from stancemark.services.edits import Edit
from stancemark.services.session import HISTORY_LIMIT, Session
from stancemark.store import Store

__all__ = ["CodebookLookup", "EditCommand", "ProjectSession", "Ref"]


class CodebookLookup:
    """Constant-time codebook lookups for painting and listing (the codebook is a few lists)."""

    def __init__(self, book: Codebook) -> None:
        self.book = book
        self.types: dict[str, ActorType] = {t.key: t for t in book.actor_types}
        self.categories: dict[str, Category] = {c.key: c for c in book.categories}
        self.tree = CategoryTree(book)
        self._labels = {p.value: book.scale_label(p.value).replace("+0 ", "0 ")
                        for p in book.scale}
        self.scale_colours = {p.value: p.color for p in book.scale}

    def category_path(self, key: str | None) -> str:
        return self.tree.path(key)

    def scale_label(self, value: int | None) -> str:
        if value is None:
            return "—"
        return self._labels.get(value) or self.book.scale_label(value)


class EditCommand(QUndoCommand):
    """One step of the session's history on the undo stack: undo and redo ask the session."""

    def __init__(self, session: ProjectSession, edit: Edit) -> None:
        super().__init__(edit.text)
        self.session = session
        self.edit = edit
        self._already_applied = True  # perform() applied it before pushing

    def redo(self) -> None:
        if self._already_applied:
            self._already_applied = False
            return
        self.session.step_history(self.session.core.redo)

    def undo(self) -> None:
        self.session.step_history(self.session.core.undo)


class ProjectSession(QObject):
    """Adapts one :class:`Session` to a window: signals, the undo stack, cached reads."""

    changed = Signal(object)  # Change
    article_opened = Signal(object)  # Article
    selection_changed = Signal(object)  # Ref | None
    annotator_changed = Signal(str)
    failed = Signal(str)

    def __init__(self, store: Store, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.core = Session(store, annotator)
        self.core.subscribe(self._broadcast)
        self.codebook: Codebook = store.codebook.load()
        self.lookup = CodebookLookup(self.codebook)
        self.service = self.core.service
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(HISTORY_LIMIT)  # the session forgets what is older
        self.article: Article | None = None
        self.selection: Ref | None = None
        self._actors: dict[int, Actor] | None = None
        self._mentions: list[Mention] | None = None
        self._claims: list[Claim] | None = None
        #: the window is closing: no more edits (its store is about to close)
        self.closed = False

    # -- state ------------------------------------------------------------
    def close(self) -> None:
        """Refuse every edit from now on; the project is about to close."""
        self.closed = True
    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def annotator(self) -> str:
        return self.service.annotator

    def set_annotator(self, name: str) -> None:
        name = name.strip()
        if name and name != self.service.annotator:
            self.service.annotator = name
            self.annotator_changed.emit(name)

    def actors(self) -> dict[int, Actor]:
        """All actors by id (cached until an edit changes actors)."""
        if self._actors is None:
            self._actors = {a.id: a for a in self.store.actors.all()}
        return self._actors

    def actor(self, actor_id: int | None) -> Actor | None:
        return None if actor_id is None else self.actors().get(actor_id)

    def annotations(self) -> tuple[list[Mention], list[Claim]]:
        """Mentions and claims of the open article (read once per change, shared by panels)."""
        if self.article is None:
            return [], []
        if self._mentions is None:
            self._mentions = self.store.annotations.mentions(self.article.id)
        if self._claims is None:
            self._claims = self.store.annotations.claims(self.article.id)
        return self._mentions, self._claims

    # -- articles and selection -----------------------------------------------
    def open_article(self, article_id: int) -> None:
        if self.article is not None and self.article.id == article_id:
            return
        article = self.core.open_article(article_id)
        self.article = article
        self._mentions = self._claims = None
        self.selection = None
        self.article_opened.emit(article)
        self.selection_changed.emit(None)

    def claimant_guessed(self, claim_id: int) -> bool:
        """Whether the claim's claimant is still the guess made when it was added."""
        return claim_id in self.core.guessed_claimants

    def confirm_claimant(self, claim_id: int) -> None:
        if self.article is not None:
            self.core.confirm_claimant(claim_id, self.article.id)

    def select(self, ref: Ref | None) -> None:
        if ref != self.selection:
            self.selection = ref
            self.selection_changed.emit(ref)

    # -- edits --------------------------------------------------------------
    def perform(self, edit: Edit, *, origin: object | None = None) -> Change | None:
        """Apply ``edit`` through the session and mirror it on the undo stack.

        A refused edit (read-only project, invalid span …) is reported through
        :attr:`failed` and leaves nothing on the stack. Panels and views hear of the
        change through :attr:`changed` (``origin`` lets one skip its own echo).
        """
        if self.closed:
            return None
        try:
            result = self.core.perform(edit, origin=origin)
        except StancemarkError as exc:
            self.failed.emit(str(exc))
            return None
        self.undo_stack.push(EditCommand(self, edit))
        return result

    def step_history(self, step: Callable[[], object]) -> None:
        """Run the session's undo or redo for the undo stack; a refusal is reported."""
        try:
            step()
        except StancemarkError as exc:
            # The session dropped its history; the stack has already moved past this
            # step, so it goes too (once Qt has finished with it).
            self.failed.emit(str(exc))
            QTimer.singleShot(0, self.undo_stack.clear)

    def record(self, change: Change, *, forget_history: bool = False) -> None:
        """Announce a change made outside the history (an import, a merge, a job)."""
        if forget_history:
            self.undo_stack.clear()
        self.core.record(change, forget_history=forget_history)

    def forget_history(self) -> None:
        """Drop the undo history after a write outside it (a merge): undoing older steps
        over rows they never saw could delete or overwrite the new ones."""
        self.undo_stack.clear()
        self.core.forget_history()

    def _broadcast(self, change: Change) -> None:
        if "actors" in change.kinds:
            self._actors = None
        if "codebook" in change.kinds:
            self.codebook = self.store.codebook.load()
            self.lookup = CodebookLookup(self.codebook)
        if self.article is not None and change.articles \
                and self.article.id not in change.articles:
            # undo/redo of an edit made on another article: show that article first
            self.open_article(min(change.articles))
        if self.article is not None and self.article.id in change.articles:
            if "mentions" in change.kinds:
                self._mentions = None
            if "claims" in change.kinds:
                self._claims = None
        if self.article is not None and self.article.id in change.articles \
                and "status" in change.kinds:
            self.article.status = self.store.articles.status(self.article.id)
        self.changed.emit(change)
        if change.focus is not None and self.exists(change.focus):
            self.select(change.focus)
        elif self.selection is not None and not self.exists(self.selection):
            self.select(None)

    def exists(self, ref: Ref) -> bool:
        kind, ident = ref
        try:
            if kind == "mention":
                return self.store.annotations.mention(ident).article_id == self._article_id()
            if kind == "claim":
                return self.store.annotations.claim(ident).article_id == self._article_id()
            if kind == "actor":
                return ident in self.actors()
        except NotFoundError:
            return False
        return False

    def _article_id(self) -> int:
        return self.article.id if self.article is not None else -1
