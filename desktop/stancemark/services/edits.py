"""Undoable edits: small objects that apply and revert one user action on a store.

Each edit remembers what it needs to put things back exactly (ids and creation
times included), so undo → redo → undo leaves the database as it was, row for
row; only ``updated_at`` records that the row was touched again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from stancemark.core.changes import Change, change
from stancemark.core.models import Claim, Mention, Sentiment
from stancemark.store import Store


class Edit(ABC):
    """One undoable user action. ``text`` is what the Edit menu shows."""

    text: str = ""

    @abstractmethod
    def apply(self, store: Store) -> Change: ...

    @abstractmethod
    def revert(self, store: Store) -> Change: ...


def perform(store: Store, edit: Edit) -> Change:
    """Apply an edit outside any undo stack (CLI, scripts, self-test)."""
    return edit.apply(store)


class AddMention(Edit):
    """Tag a span as a mention of an actor."""

    def __init__(self, article_id: int, start: int, end: int, actor: int | CreateActor,
                 annotator: str, text: str) -> None:
        # ``actor`` may be a CreateActor applied just before, in the same Compound.
        self.article_id, self.start, self.end = article_id, start, end
        self.actor = actor
        self.annotator = annotator
        self.text = text
        self.created: Mention | None = None

    def apply(self, store: Store) -> Change:
        if self.created is None:
            actor_id = self.actor if isinstance(self.actor, int) else self.actor.actor_id
            assert actor_id is not None, "the actor must be created first"
            self.created = store.annotations.add_mention(
                self.article_id, self.start, self.end, actor_id, self.annotator)
        else:
            store.annotations.restore_mention(self.created)
        return change(self.article_id, "mentions", focus=("mention", self.created.id))

    def revert(self, store: Store) -> Change:
        assert self.created is not None
        store.annotations.delete_mention(self.created.id)
        return change(self.article_id, "mentions")


class DeleteMention(Edit):
    def __init__(self, mention: Mention, text: str) -> None:
        self.mention = mention
        self.text = text

    def apply(self, store: Store) -> Change:
        store.annotations.delete_mention(self.mention.id)
        return change(self.mention.article_id, "mentions")

    def revert(self, store: Store) -> Change:
        store.annotations.restore_mention(self.mention)
        return change(self.mention.article_id, "mentions", focus=("mention", self.mention.id))


class UpdateMention(Edit):
    """Move a mention's boundaries or give it another actor."""

    def __init__(self, mention_id: int, text: str, **fields: Any) -> None:
        self.mention_id = mention_id
        self.fields = fields
        self.text = text
        self.before: Mention | None = None

    def apply(self, store: Store) -> Change:
        self.before = store.annotations.update_mention(self.mention_id, **self.fields)
        return change(self.before.article_id, "mentions", focus=("mention", self.mention_id))

    def revert(self, store: Store) -> Change:
        assert self.before is not None
        b = self.before
        store.annotations.update_mention(b.id, start=b.start, end=b.end, actor_id=b.actor_id)
        return change(b.article_id, "mentions", focus=("mention", b.id))


class AddClaim(Edit):
    def __init__(self, article_id: int, start: int, end: int, annotator: str, text: str,
                 **fields: Any) -> None:
        self.args = (article_id, start, end, annotator)
        self.fields = fields
        self.text = text
        self.created: Claim | None = None
        #: the claimant was guessed, not chosen: shown as a guess until confirmed
        self.claimant_guessed = False

    def apply(self, store: Store) -> Change:
        if self.created is None:
            self.created = store.annotations.add_claim(*self.args, **self.fields)
        else:
            store.annotations.restore_claim(self.created)
        return change(self.args[0], "claims", focus=("claim", self.created.id))

    def revert(self, store: Store) -> Change:
        assert self.created is not None
        store.annotations.delete_claim(self.created.id)
        return change(self.args[0], "claims")


class DeleteClaim(Edit):
    def __init__(self, claim: Claim, text: str) -> None:
        self.claim = claim
        self.text = text

    def apply(self, store: Store) -> Change:
        store.annotations.delete_claim(self.claim.id)
        return change(self.claim.article_id, "claims")

    def revert(self, store: Store) -> Change:
        store.annotations.restore_claim(self.claim)
        return change(self.claim.article_id, "claims", focus=("claim", self.claim.id))


class UpdateClaim(Edit):
    """Change a claim's span, claimant, target, category, stance or note."""

    def __init__(self, claim_id: int, text: str, **fields: Any) -> None:
        self.claim_id = claim_id
        self.fields = fields
        self.text = text
        self.before: Claim | None = None

    def apply(self, store: Store) -> Change:
        # a claimant or target may be a CreateActor applied just before, in the same Compound
        fields = {k: v.actor_id if isinstance(v, CreateActor) else v
                  for k, v in self.fields.items()}
        self.before = store.annotations.update_claim(self.claim_id, **fields)
        return change(self.before.article_id, "claims", focus=("claim", self.claim_id))

    def revert(self, store: Store) -> Change:
        assert self.before is not None
        b = self.before
        store.annotations.update_claim(
            b.id, start=b.start, end=b.end,
            **{k: getattr(b, k) for k in ("claimant_id", "target_id", "category", "stance",
                                          "note")})
        return change(b.article_id, "claims", focus=("claim", b.id))


class SetSentiment(Edit):
    """Set or clear the article's sentiment (actor_id None) or an actor's portrayal."""

    def __init__(self, article_id: int, actor_id: int | None, annotator: str,
                 value: int | None, text: str) -> None:
        self.args = (article_id, actor_id, annotator)
        self.value = value
        self.text = text
        self.before: Sentiment | None = None
        self.created_at: str | None = None  # of the row this edit made, kept for redo
        self.uuid: str | None = None  # likewise

    def apply(self, store: Store) -> Change:
        with store.write():
            self.before = store.annotations.sentiment_row(*self.args)
            store.annotations.set_sentiment(*self.args, self.value, created_at=self.created_at,
                                            uuid=self.uuid)
            row = store.annotations.sentiment_row(*self.args)
            self.created_at = row.created_at if row else None
            self.uuid = row.uuid if row else None
        return change(self.args[0], "sentiment")

    def revert(self, store: Store) -> Change:
        b = self.before
        store.annotations.set_sentiment(*self.args, b.value if b else None,
                                        created_at=b.created_at if b else None,
                                        uuid=b.uuid if b else None)
        return change(self.args[0], "sentiment")


class SetStatus(Edit):
    def __init__(self, article_id: int, status: str, text: str) -> None:
        self.article_id = article_id
        self.status = status
        self.text = text
        self.before: str | None = None

    def apply(self, store: Store) -> Change:
        self.before = store.articles.set_status(self.article_id, self.status)
        return change(self.article_id, "status")

    def revert(self, store: Store) -> Change:
        assert self.before is not None
        store.articles.set_status(self.article_id, self.before)
        return change(self.article_id, "status")


class CreateActor(Edit):
    """Add an actor to the registry (undo removes it again)."""

    def __init__(self, name: str, type: str | None, text: str,
                 aliases: tuple[str, ...] = ()) -> None:
        self.name = name
        self.type = type
        self.aliases = aliases
        self.text = text
        self.actor_id: int | None = None
        self.created_at: str | None = None
        self.uuid: str | None = None

    def apply(self, store: Store) -> Change:
        self.actor_id = store.actors.add(self.name, self.type, aliases=self.aliases,
                                         actor_id=self.actor_id, created_at=self.created_at,
                                         uuid=self.uuid)
        self.created_at = store.actors.created_at(self.actor_id)
        self.uuid = store.actors.uuid(self.actor_id)
        return change(None, "actors")

    def revert(self, store: Store) -> Change:
        assert self.actor_id is not None
        store.actors.delete(self.actor_id)
        return change(None, "actors")


@dataclass
class Compound(Edit):
    """Several edits that undo and redo as one step, in one transaction."""

    parts: list[Edit] = field(default_factory=list)
    text: str = ""

    def apply(self, store: Store) -> Change:
        result = Change()
        with store.write():
            for part in self.parts:
                result = result | part.apply(store)
        return result

    def revert(self, store: Store) -> Change:
        result = Change()
        with store.write():
            for part in reversed(self.parts):
                result = result | part.revert(store)
        return result
