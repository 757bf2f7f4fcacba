"""Tagging from the keyboard and menus: actors, claims, the actor picker, values, spans.

:class:`TaggingController` turns the Annotate and Edit actions into service
edits performed through the session (each saved at once and undoable). It reads
what is selected from the session and the tagging panel and never draws: the
panels redraw from the session's ``changed`` broadcast.

Choosing an actor is a two-step flow: an action opens the actor picker, and the
picker's answer arrives later as a signal. What that answer is for is kept as a
:data:`PendingPick` (tag the selected text, relink a mention, set a claim's
claimant or target) until the picker answers or is cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QObject, QRect

from stancemark.core.changes import Change
from stancemark.core.models import Claim, Mention
from stancemark.core.spans import word_step
from stancemark.services.edits import Compound, Edit
from stancemark.ui.actor_picker import ActorPickerPopup
from stancemark.ui.article_view import ArticleView
from stancemark.ui.describe import short
from stancemark.ui.session import ProjectSession
from stancemark.ui.tagging_panel import TaggingPanel

ClaimRole = Literal["claimant", "target"]


@dataclass(frozen=True, slots=True)
class TagText:
    """The picker picks the actor that the selected text (``start``–``end``) mentions."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RelinkMention:
    """The picker picks another actor for an existing mention."""

    mention: Mention


@dataclass(frozen=True, slots=True)
class ClaimActor:
    """The picker picks the claimant or the target of a claim."""

    claim: Claim
    role: ClaimRole


#: What the open actor picker is picking for.
PendingPick = TagText | RelinkMention | ClaimActor


class TaggingController(QObject):
    """Performs the tagging actions on the open article; reports refusals as messages."""

    def __init__(self, session: ProjectSession, view: ArticleView, panel: TaggingPanel,
                 picker: ActorPickerPopup, show_message: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.text_edit = view.text_edit
        self.panel = panel
        self.picker = picker
        self.show_message = show_message
        self.pending: PendingPick | None = None
        picker.picked.connect(self._on_picker_picked)
        picker.create_requested.connect(self._on_picker_create_requested)
        picker.cancelled.connect(self._on_picker_cancelled)

    def perform(self, edit: Edit) -> Change | None:
        return self.session.perform(edit)

    # -- actors and the picker ------------------------------------------------------------
    def tag_actor(self) -> None:
        """Key A: pick the actor of the selected text, or relink the selected mention."""
        if not self._require_article():
            return
        rng = self.text_edit.selected_range()
        s = self.session
        assert s.article is not None
        if rng is None:
            ref = s.selection
            mention = self.panel.mention(ref[1]) if ref and ref[0] == "mention" else None
            if mention is None:
                self.show_message("Select the text that names an actor, then press A.")
                return
            self._pick(RelinkMention(mention), "", f"Link “{short(mention.text, 40)}” to…")
            return
        start, end = rng
        text = s.article.text[start:end]
        self._pick(TagText(start, end), text, f"Tag “{short(text, 40)}” as…")

    def pick_claim_actor(self, role: ClaimRole) -> None:
        """Keys N and T: pick the claimant or the target of the selected claim."""
        claim = self.panel.selected_claim()
        if claim is None:
            letter = "N" if role == "claimant" else "T"
            self.show_message(f"Select a claim first, then press {letter}.")
            return
        current = self.session.actor(claim.claimant_id if role == "claimant" else claim.target_id)
        guessed = role == "claimant" and self.session.claimant_guessed(claim.id)
        # the current one pre-typed: Enter keeps (and so confirms) it, typing finds another
        self._pick(ClaimActor(claim, role), current.name if current else "",
                   f"{role.capitalize()} of “{short(claim.text, 36)}”"
                   + (" (guessed: Enter confirms)" if guessed else ""))

    def _pick(self, pending: PendingPick, text: str, title: str) -> None:
        self.pending = pending
        self.picker.start(self.session.service, self.session.codebook, text, title=title,
                          at=self._anchor())

    def _anchor(self) -> QRect:
        """Where the picker belongs: at the text cursor, kept inside the visible text."""
        edit = self.text_edit
        view = edit.viewport().rect()
        rect = edit.cursorRect()
        if not view.intersects(rect):  # scrolled away: the bottom of the visible text
            rect = QRect(view.left() + 8, view.bottom() - rect.height(), 1, rect.height())
        rect = rect.intersected(view) if view.intersects(rect) else rect
        return QRect(edit.viewport().mapToGlobal(rect.topLeft()), rect.size())

    def _on_picker_picked(self, actor_id: int) -> None:
        pending, self.pending = self.pending, None
        s = self.session
        if pending is None or s.article is None:
            return
        service = s.service
        if isinstance(pending, TagText):
            self.perform(service.tag_actor(s.article.id, pending.start, pending.end, actor_id))
            self._collapse_text_selection()
        elif isinstance(pending, RelinkMention):
            self.perform(service.relink_mention(pending.mention, actor_id))
        else:
            claim = pending.claim
            if pending.role == "claimant" and claim.claimant_id == actor_id:
                s.confirm_claimant(claim.id)  # the guess, confirmed as it is
            else:
                self.perform(service.update_claim(claim, **{f"{pending.role}_id": actor_id}))
        self.text_edit.setFocus()

    def _on_picker_create_requested(self, name: str, actor_type: str) -> None:
        pending, self.pending = self.pending, None
        s = self.session
        if pending is None or s.article is None:
            return
        if isinstance(pending, TagText):
            self.perform(s.service.tag_new_actor(s.article.id, pending.start, pending.end,
                                                 name, actor_type))
            self._collapse_text_selection()
        elif isinstance(pending, ClaimActor):
            self.perform(s.service.set_claim_actor_new(pending.claim, pending.role, name,
                                                       actor_type))
        self.text_edit.setFocus()

    def _on_picker_cancelled(self) -> None:
        self.pending = None
        self.text_edit.setFocus()

    # -- claims -----------------------------------------------------------------------------
    def tag_claim(self) -> None:
        """Key C: the selected text becomes a claim (the service guesses its claimant)."""
        if not self._require_article():
            return
        rng = self.text_edit.selected_range()
        if rng is None:
            self.show_message("Select the text of the claim, then press C.")
            return
        art = self.session.article
        assert art is not None
        if self.perform(self.session.service.add_claim(art.id, *rng)) is not None:
            self._collapse_text_selection()

    def pick_category(self) -> None:
        if self.panel.selected_claim() is None:
            self.show_message("Select a claim first, then press G.")
            return
        self.panel.claim_editor.open_categories()

    def edit_note(self) -> None:
        if self.panel.selected_claim() is None:
            self.show_message("Select a claim first, then press E.")
            return
        self.panel.claim_editor.focus_note()

    # -- values -----------------------------------------------------------------------------
    def set_value(self, value: int | None) -> None:
        """A scale key: the stance of the selected claim or the portrayal of the selected actor."""
        s = self.session
        ref = s.selection
        art = s.article
        if art is None or ref is None:
            self.show_message("Select a claim (stance) or an actor (portrayal) first; "
                              "Ctrl+number sets the article's sentiment.")
            return
        if ref[0] == "claim":
            claim = self.panel.selected_claim()
            if claim is not None and claim.stance != value:
                self.perform(s.service.update_claim(claim, stance=value))
            return
        actor_id = self.panel.selected_actor_id()
        if actor_id is not None and self.panel.portrayal(actor_id) != value:
            self.perform(s.service.set_actor_sentiment(art.id, actor_id, value, s.codebook))

    def set_article_value(self, value: int) -> None:
        """Ctrl+scale key: the article's sentiment (the same key again clears it)."""
        art = self.session.article
        if art is not None:
            current = self.panel.article_sentiment
            self.perform(self.session.service.set_article_sentiment(
                art.id, None if current == value else value, self.session.codebook))

    # -- deleting ----------------------------------------------------------------------------
    def delete(self) -> None:
        """Delete the selected mention or claim; on an actor row, its mentions here."""
        s = self.session
        ref = s.selection
        if ref is None or s.article is None:
            self.show_message("Select a mention, claim or actor to delete.")
            return
        kind, ident = ref
        if kind == "mention":
            m = self.panel.mention(ident)
            if m is not None:
                self.perform(s.service.delete_mention(m))
        elif kind == "claim":
            claim = self.panel.selected_claim()
            if claim is not None:
                self.perform(s.service.delete_claim(claim))
        elif kind == "actor":
            mentions = self.panel.mentions_of(ident)
            actor = s.actor(ident)
            if mentions and actor is not None:
                self.perform(Compound([s.service.delete_mention(m) for m in mentions],
                                      f"Delete {len(mentions)} mention(s) of {actor.name}"))

    # -- spans -------------------------------------------------------------------------------
    def respan(self) -> None:
        """Key S: the selected annotation takes the selected text as its span."""
        rng = self.text_edit.selected_range()
        if rng is None:
            self.show_message("Select the new text of the annotation, then press S.")
            return
        self._move_span(*rng)

    def adjust_span(self, edge: Literal["start", "end"], direction: int) -> None:
        """Move one edge of the selected annotation by a word (``direction`` ±1)."""
        selected = self._selected_annotation()
        art = self.session.article
        if selected is None or art is None:
            self.show_message("Select a mention or claim first.")
            return
        start, end = selected.start, selected.end
        if edge == "end":
            end = word_step(art.text, end, direction, edge="end")
        else:
            start = word_step(art.text, start, direction, edge="start")
        self._move_span(start, end)

    def _selected_annotation(self) -> Mention | Claim | None:
        ref = self.session.selection
        if ref is None:
            return None
        if ref[0] == "mention":
            return self.panel.mention(ref[1])
        if ref[0] == "claim":
            return self.panel.selected_claim()
        return None

    def _move_span(self, start: int, end: int) -> None:
        selected = self._selected_annotation()
        if selected is None:
            self.show_message("Select a mention or claim first.")
            return
        if (start, end) == (selected.start, selected.end) or end <= start:
            return
        service = self.session.service
        if isinstance(selected, Mention):
            self.perform(service.move_mention(selected, start, end))
        else:
            self.perform(service.update_claim(selected, start=start, end=end))

    def clear_selection(self) -> None:
        """Escape in the text: nothing is selected, so no key acts on a hidden annotation."""
        self.session.select(None)
        self._collapse_text_selection()

    # -- helpers -------------------------------------------------------------------------------
    def _require_article(self) -> bool:
        if self.session.article is None:
            self.show_message("Open an article first.")
            return False
        return True

    def _collapse_text_selection(self) -> None:
        cursor = self.text_edit.textCursor()
        cursor.clearSelection()
        self.text_edit.setTextCursor(cursor)
