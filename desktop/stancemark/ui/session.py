"""The open project as the window sees it: current article, selection, undo stack, one broadcast.

Every edit goes through :meth:`ProjectSession.perform`: the services ``Edit`` is
applied (the store commits it at once), wrapped in an :class:`EditCommand` on
the one undo stack, and the resulting ``Change`` is sent to every panel through
the single :attr:`ProjectSession.changed` signal. Undoing an edit of another
article first switches to that article, so the analyst sees what was undone.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from stancemark.core.categories import CategoryTree
from stancemark.core.codebook import ActorType, Category, Codebook
from stancemark.core.errors import NotFoundError, StancemarkError
from stancemark.core.models import Actor, Article, Claim, Mention
from stancemark.core.spans import Utf16Index
from stancemark.services.annotation import AnnotationService
from stancemark.services.edits import Change, Compound, Edit, SetStatus
from stancemark.store import Store

#: What the analyst has selected: ("mention" | "claim" | "actor", id), or None.
Ref = tuple[str, int]

ANNOTATION_KINDS = frozenset({"mentions", "claims", "sentiment"})


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
    """A services ``Edit`` on the undo stack: redo applies it, undo reverts it."""

    def __init__(self, session: ProjectSession, edit: Edit) -> None:
        super().__init__(edit.text)
        self.session = session
        self.edit = edit
        self._already_applied = True  # perform() applied it before pushing

    def redo(self) -> None:
        if self._already_applied:
            self._already_applied = False
            return
        self.session._run(self.edit.apply)

    def undo(self) -> None:
        self.session._run(self.edit.revert)


class ProjectSession(QObject):
    """Owns the store, the annotation service and the undo stack of one window."""

    changed = Signal(object)  # Change
    article_opened = Signal(object)  # Article
    selection_changed = Signal(object)  # Ref | None
    annotator_changed = Signal(str)
    failed = Signal(str)

    def __init__(self, store: Store, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.codebook: Codebook = store.codebook.load()
        self.lookup = CodebookLookup(self.codebook)
        self.service = AnnotationService(store, annotator)
        self.undo_stack = QUndoStack(self)
        self.article: Article | None = None
        self.index: Utf16Index | None = None
        self.selection: Ref | None = None
        self._actors: dict[int, Actor] | None = None
        self._mentions: list[Mention] | None = None
        self._claims: list[Claim] | None = None

    # -- state ------------------------------------------------------------
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
        article = self.store.articles.get(article_id)
        self.article = article
        self._mentions = self._claims = None
        self.index = Utf16Index(article.text)
        self.selection = None
        self.article_opened.emit(article)
        self.selection_changed.emit(None)

    def select(self, ref: Ref | None) -> None:
        if ref != self.selection:
            self.selection = ref
            self.selection_changed.emit(ref)

    # -- edits --------------------------------------------------------------
    def perform(self, edit: Edit) -> Change | None:
        """Apply ``edit`` now, push it on the undo stack and broadcast its change.

        A refused edit (read-only project, invalid span …) is reported through
        :attr:`failed` and leaves nothing on the stack.
        """
        try:
            # the edit and the status it brings along commit together or not at all
            with self.store.write():
                result = edit.apply(self.store)
                edit, result = self._with_status_progress(edit, result)
        except StancemarkError as exc:
            self.failed.emit(str(exc))
            return None
        self.undo_stack.push(EditCommand(self, edit))
        self._broadcast(result)
        return result

    def _with_status_progress(self, edit: Edit, result: Change) -> tuple[Edit, Change]:
        """The first annotation on a new article also marks it in progress (same undo step)."""
        art = self.article
        if art is None or art.status != "new" or art.id not in result.articles \
                or not (result.kinds & ANNOTATION_KINDS):
            return edit, result
        status = SetStatus(art.id, "in_progress", "")
        return Compound([edit, status], edit.text), result | status.apply(self.store)

    def _run(self, step: Callable[[Store], Change]) -> None:
        try:
            result = step(self.store)
        except Exception as exc:  # noqa: BLE001 - an undo/redo that failed is reported
            # The stack has already moved past this step: its history no longer matches
            # the project, so it is dropped rather than replayed against the wrong rows.
            message = str(exc) if isinstance(exc, StancemarkError) else \
                f"Undo/redo failed ({type(exc).__name__}: {exc})."
            self.failed.emit(f"{message} The undo history was cleared.")
            QTimer.singleShot(0, self.undo_stack.clear)
            return
        self._broadcast(result)

    def forget_history(self) -> None:
        """Drop the undo history after a write outside it (a merge): undoing older steps
        over rows they never saw could delete or overwrite the new ones."""
        self.undo_stack.clear()

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
