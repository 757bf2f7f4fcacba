"""The actor registry: listing, rename/edit, merge, split and delete, each an undoable edit.

Every edit here is one transaction and remembers the exact rows it touched,
so undo restores ids, timestamps and every moved annotation as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import EllipsisType
from typing import Any

from stancemark.core.changes import kinds
from stancemark.core.errors import ValidationError
from stancemark.core.text import fold
from stancemark.services.edits import Change, Edit
from stancemark.store import Store
from stancemark.store import registry as reg
from stancemark.store.registry import Footprint, MergeResult, RegistryRow, Rows


def _articles(*parts: Rows) -> frozenset[int]:
    out: set[int] = set()
    for rows in parts:
        if "article_id" in rows.columns:
            i = rows.columns.index("article_id")
            out.update(r[i] for r in rows.rows)
    return frozenset(out)


def _footprint_change(fp: Footprint) -> Change:
    return Change(_articles(fp.mentions, fp.claims, fp.sentiments),
                  kinds("actors", "mentions", "claims", "sentiment"))


class UpdateActor(Edit):
    """Rename an actor, or change its type, affiliation, note or aliases."""

    def __init__(self, actor_id: int, text: str, *, aliases: list[str] | None = None,
                 **fields: Any) -> None:
        self.actor_id = actor_id
        self.fields = fields
        self.aliases = aliases
        self.text = text
        self.before: tuple[Rows, Rows] | None = None

    def apply(self, store: Store) -> Change:
        with store.write():
            self.before = reg.actor_rows(store, self.actor_id)
            if self.fields:
                store.actors.update(self.actor_id, **self.fields)
            if self.aliases is not None:
                store.actors.set_aliases(self.actor_id, self.aliases)
        return Change(frozenset(), kinds("actors"))

    def revert(self, store: Store) -> Change:
        assert self.before is not None
        reg.restore_actor_rows(store, *self.before)
        return Change(frozenset(), kinds("actors"))


class MergeActors(Edit):
    """Merge actor ``gone_id`` into ``keep_id``; ``result`` says what moved and what clashed."""

    def __init__(self, keep_id: int, gone_id: int, text: str) -> None:
        self.keep_id, self.gone_id = keep_id, gone_id
        self.text = text
        self.result: MergeResult | None = None
        self._snap: reg.MergeSnapshot | None = None

    def apply(self, store: Store) -> Change:
        self.result, self._snap = reg.merge_actors(store, self.keep_id, self.gone_id)
        return self._change()

    def revert(self, store: Store) -> Change:
        assert self._snap is not None
        reg.unmerge(store, self._snap)
        return self._change()

    def _change(self) -> Change:
        assert self._snap is not None
        g = self._snap.gone
        return Change(_articles(g.mentions, g.claims, g.sentiments),
                      kinds("actors", "mentions", "claims", "sentiment"))


class SplitAlias(Edit):
    """Make one alias of an actor an actor of its own, optionally taking its mentions along."""

    def __init__(self, actor_id: int, alias: str, text: str, *, new_name: str | None = None,
                 actor_type: str | None = None, move_mentions: bool = True) -> None:
        self.actor_id, self.alias = actor_id, alias
        self.new_name, self.actor_type = new_name, actor_type
        self.move_mentions = move_mentions
        self.text = text
        self.new_id: int | None = None  # kept so a redo recreates the same id
        self._snap: reg.SplitSnapshot | None = None

    def apply(self, store: Store) -> Change:
        self._snap = reg.split_alias(store, self.actor_id, self.alias, new_name=self.new_name,
                                     actor_type=self.actor_type,
                                     move_mentions=self.move_mentions, new_id=self.new_id)
        self.new_id = self._snap.new_id
        return Change(_articles(self._snap.mentions), kinds("actors", "mentions"))

    @property
    def moved(self) -> int:
        return len(self._snap.mentions) if self._snap else 0

    def revert(self, store: Store) -> Change:
        assert self._snap is not None
        reg.unsplit(store, self._snap)
        return Change(_articles(self._snap.mentions), kinds("actors", "mentions"))


class DeleteActor(Edit):
    """Delete an actor with its mentions and portrayals; claims lose it as claimant/target."""

    def __init__(self, actor_id: int, text: str) -> None:
        self.actor_id = actor_id
        self.text = text
        self._fp: Footprint | None = None

    def apply(self, store: Store) -> Change:
        self._fp = reg.delete_actor(store, self.actor_id)
        return _footprint_change(self._fp)

    def revert(self, store: Store) -> Change:
        assert self._fp is not None
        reg.restore_footprint(store, self._fp)
        return _footprint_change(self._fp)


@dataclass(frozen=True, slots=True)
class DeletePlan:
    """What deleting an actor would take with it, for the "are you sure" question."""

    actor_id: int
    name: str
    mentions: int
    claims: int
    sentiments: int
    affiliated: int

    @property
    def in_use(self) -> bool:
        return bool(self.mentions or self.claims or self.sentiments or self.affiliated)

    def question(self) -> str:
        """``Delete Albin Kurti and its 12 mentions, 3 claims?``"""
        parts = []
        for n, word in ((self.mentions, "mention"), (self.claims, "claim"),
                        (self.sentiments, "portrayal")):
            if n:
                parts.append(f"{n} {word}{'' if n == 1 else 's'}")
        tail = (" and its " + ", ".join(parts)) if parts else ""
        note = (" Claims keep their text but lose this claimant/target." if self.claims else "")
        return f"Delete {self.name}{tail}?{note}"


class RegistryService:
    """Registry operations for the registry dialog and the CLI; edits are returned, not run."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def listing(self) -> list[RegistryRow]:
        return reg.listing(self.store)

    # -- edits ----------------------------------------------------------------------------
    def _check_name(self, name: str, actor_id: int | None = None) -> str:
        name = " ".join(name.split())
        if not name:
            raise ValidationError("An actor needs a name.", "Type a name for the actor.")
        other = reg.actor_id_named(self.store, name)
        if other is not None and other != actor_id:
            raise ValidationError(f"There is already an actor called {name!r}.",
                                  "Choose another name, or merge the two actors.")
        return name

    def rename(self, actor_id: int, new_name: str) -> Edit:
        old = self.store.actors.get(actor_id)
        name = self._check_name(new_name, actor_id)
        return UpdateActor(actor_id, f"Rename {old.name} to {name}", name=name)

    def edit(self, actor_id: int, *, name: str | None = None,
             actor_type: str | None | EllipsisType = ...,
             affiliation_id: int | None | EllipsisType = ...,
             aliases: list[str] | None = None, note: str | None | EllipsisType = ...) -> Edit:
        """Change any of name, type, affiliation, aliases and note as one undo step."""
        actor = self.store.actors.get(actor_id)
        fields: dict[str, Any] = {}
        if name is not None and name != actor.name:
            fields["name"] = self._check_name(name, actor_id)
        if actor_type is not ...:
            if actor_type is not None and self.store.codebook.load().actor_type(
                    actor_type) is None:
                raise ValidationError(f"{actor_type!r} is not an actor type of the codebook.",
                                      "Pick a type from the codebook, or add it there first.")
            fields["type"] = actor_type
        if affiliation_id is not ...:
            if affiliation_id is not None:
                reg.check_affiliation(self.store, actor_id, affiliation_id)
                self.store.actors.get(affiliation_id)
            fields["affiliation_id"] = affiliation_id
        if note is not ...:
            fields["note"] = note
        if aliases is not None:
            own = fold(fields.get("name", actor.name))
            aliases = [a for a in dict.fromkeys(" ".join(a.split()) for a in aliases)
                       if a and fold(a) != own]
        what = sorted({{"affiliation_id": "affiliation"}.get(k, k) for k in fields}
                      | ({"aliases"} if aliases is not None else set()))
        return UpdateActor(actor_id, f"Edit {', '.join(what) or 'nothing'} of {actor.name}",
                           aliases=aliases, **fields)

    def merge(self, keep_id: int, gone_id: int) -> MergeActors:
        keep, gone = self.store.actors.get(keep_id), self.store.actors.get(gone_id)
        if keep_id == gone_id:
            raise ValidationError("An actor cannot be merged into itself.",
                                  "Choose two different actors.")
        return MergeActors(keep_id, gone_id, f"Merge {gone.name} into {keep.name}")

    def split(self, actor_id: int, alias: str, *, new_name: str | None = None,
              actor_type: str | None = None, move_mentions: bool = True) -> SplitAlias:
        actor = self.store.actors.get(actor_id)
        if alias not in actor.aliases:
            raise ValidationError(f"{alias!r} is not an alias of {actor.name}.",
                                  "Pick one of its aliases.")
        self._check_name(new_name or alias)
        return SplitAlias(actor_id, alias, f"Split {alias} off {actor.name}",
                          new_name=new_name, actor_type=actor_type,
                          move_mentions=move_mentions)

    def movable_mentions(self, actor_id: int, alias: str) -> int:
        """How many of the actor's mentions read as ``alias`` (what a split would move)."""
        key = fold(alias)
        return sum(1 for t in reg.mention_texts(self.store, actor_id) if fold(t) == key)

    def delete_plan(self, actor_id: int) -> DeletePlan:
        actor = self.store.actors.get(actor_id)
        counts = reg.footprint(self.store, actor_id).counts()
        return DeletePlan(actor_id, actor.name, counts["mentions"], counts["claims"],
                          counts["sentiments"], counts["affiliated"])

    def delete(self, actor_id: int) -> DeleteActor:
        actor = self.store.actors.get(actor_id)
        return DeleteActor(actor_id, f"Delete actor {actor.name}")


__all__ = ["DeleteActor", "DeletePlan", "MergeActors", "RegistryService", "SplitAlias",
           "UpdateActor"]
