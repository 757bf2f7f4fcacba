"""Suggestions for an article: known actors not yet tagged, new actors, and claim candidates.

New actors (kind ``new_actor``) are names the registry does not know, found in the
text (:mod:`stancemark.analysis.newactors`); the registry's names and types and the
names the analyst dismissed teach them which names look alike. They are listed only
when asked for (``kinds``), so views that know two kinds keep working.

Listing is read-only and fast (the matcher is built once per registry version);
accepting is an ordinary undoable edit (a :class:`Compound` for "accept all");
dismissing is an edit too and is stored, so a dismissed suggestion stays gone.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from stancemark.analysis.newactors import NameHints, new_actor_candidates
from stancemark.analysis.suggest import (
    ActorHit,
    ActorMatcher,
    Tokens,
    claim_candidates,
    overlap_ratio,
    uncovered,
)
from stancemark.core.errors import Cancelled, ValidationError
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent, no_progress
from stancemark.core.text import short
from stancemark.services.edits import (
    AddClaim,
    AddMention,
    Change,
    Compound,
    CreateActor,
    Edit,
    change,
)
from stancemark.services.session import Session
from stancemark.store import Store
from stancemark.store import registry as reg

SUGGESTION_KINDS = ("actor", "claim")  # listed by default
ALL_KINDS = ("actor", "claim", "new_actor")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggestion; ``actor_id`` is the actor (kind "actor") or the claimant (kind "claim")."""

    kind: str  # "actor", "claim" or "new_actor"
    start: int
    end: int
    text: str
    actor_id: int | None
    reason: str = ""  # the alias that matched, "quote" / "verb:said", the name's evidence
    alternatives: tuple[int, ...] = ()  # other actors with the same name/alias
    actor_type: str | None = None  # kind "new_actor": the type the text suggests


# the slots' own setters: a frozen dataclass's __init__ goes through object.__setattr__
# once per field, and a long article lists thousands of suggestions
_SETTERS = tuple(getattr(Suggestion, f).__set__ for f in (
    "kind", "start", "end", "text", "actor_id", "reason", "alternatives", "actor_type"))


def _suggestion(kind: str, start: int, end: int, text: str, actor_id: int | None,
                reason: str = "", alternatives: tuple[int, ...] = (),
                actor_type: str | None = None) -> Suggestion:
    """A :class:`Suggestion` equal to the one its constructor makes, made twice as fast."""
    s = object.__new__(Suggestion)
    set_kind, set_start, set_end, set_text, set_actor, set_reason, set_alt, set_type = _SETTERS
    set_kind(s, kind)
    set_start(s, start)
    set_end(s, end)
    set_text(s, text)
    set_actor(s, actor_id)
    set_reason(s, reason)
    set_alt(s, alternatives)
    set_type(s, actor_type)
    return s


class DismissSuggestions(Edit):
    """Dismiss suggestions of one article (undo brings them back)."""

    def __init__(self, article_id: int, items: Sequence[Suggestion], text: str) -> None:
        self.article_id = article_id
        self.items = list(items)
        self.text = text
        self._new: dict[str, list[tuple[int, int]]] = {}

    def apply(self, store: Store) -> Change:
        with store.write():
            self._new = {}
            for kind in ALL_KINDS:
                spans = [(s.start, s.end) for s in self.items if s.kind == kind]
                if spans:
                    self._new[kind] = reg.dismiss(store, self.article_id, kind, spans)
        return change(self.article_id, "suggestions")

    def revert(self, store: Store) -> Change:
        with store.write():
            for kind, spans in self._new.items():
                reg.undismiss(store, self.article_id, kind, spans)
        return change(self.article_id, "suggestions")


@dataclass(frozen=True, slots=True)
class SuggestionInputs:
    """A snapshot of what one article's suggestions depend on (see ``gather``)."""

    article_id: int
    text: str
    kinds: tuple[str, ...]
    matcher: ActorMatcher
    mentions: list[tuple[int, int, int]]
    claims: list[tuple[int, int]]  # sorted
    dismissed: dict[str, set[tuple[int, int]]]
    hints: NameHints | None = None  # kind "new_actor": what the project taught


# The words and registry matches of the last text, per matcher: every edit recomputes the
# suggestions of an article whose text never changes, and these are a third of the work.
# One immutable tuple, replaced whole, so worker threads may share it.
_last_scan: tuple[ActorMatcher, str, Tokens, list[ActorHit]] | None = None


def _scan(matcher: ActorMatcher, text: str) -> tuple[Tokens, list[ActorHit]]:
    global _last_scan
    last = _last_scan
    if last is not None and last[0] is matcher and (last[1] is text or last[1] == text):
        return last[2], last[3]
    tokens = Tokens(text)
    hits = matcher.find(tokens)
    _last_scan = (matcher, text, tokens, hits)
    return tokens, hits


def forget_scans() -> None:
    """Drop the cached scan (for measuring the first listing of an article)."""
    global _last_scan
    _last_scan = None


def compute_suggestions(inputs: SuggestionInputs) -> list[Suggestion]:
    """The suggestions of a snapshot; pure (no store), so it may run on any thread."""
    text, kinds = inputs.text, inputs.kinds
    tokens, hits = _scan(inputs.matcher, text)
    mentions = inputs.mentions
    free = uncovered(hits, [(s, e) for s, e, _ in mentions])
    out: list[Suggestion] = []
    if "actor" in kinds:
        gone = inputs.dismissed["actor"]
        out.extend(_suggestion("actor", h.start, h.end, h.text, h.actor_id, h.surface,
                               h.alternatives)
                   for h in free if not gone or (h.start, h.end) not in gone)
    if "claim" in kinds:
        # speakers: tagged mentions, then untagged known names (dismissed or not)
        occ = mentions + [(h.start, h.end, h.actor_id) for h in free]
        existing = inputs.claims
        starts = [x[0] for x in existing]
        longest = max((e - s for s, e in existing), default=0)
        gone = inputs.dismissed["claim"]
        for c in claim_candidates(text, occ, tokens, persons=inputs.matcher.persons):
            if (c.start, c.end) in gone:
                continue
            lo = bisect_left(starts, c.start - longest) if starts else 0
            hi = bisect_left(starts, c.end) if starts else 0
            if lo < hi and any(overlap_ratio((c.start, c.end), x) >= 0.5 for x in existing[lo:hi]):
                continue
            out.append(_suggestion("claim", c.start, c.end, c.text, c.claimant_id, c.reason))
    if "new_actor" in kinds:
        gone = inputs.dismissed["new_actor"]
        covered = [(s, e) for s, e, _ in mentions] + [(h.start, h.end) for h in hits]
        out.extend(_suggestion("new_actor", n.start, n.end, n.text, None, n.reason,
                               actor_type=n.type)
                   for n in new_actor_candidates(text, covered, inputs.hints)
                   if (n.start, n.end) not in gone)
    return out


class SuggestionService:
    """Suggestions of one project for one annotator; keep one instance per open project."""

    def __init__(self, store: Store, annotator: str) -> None:
        self.store = store
        self.annotator = annotator
        self._matcher: ActorMatcher | None = None
        self._version: Any = None
        self._names: dict[int, str] = {}
        self._hints: NameHints | None = None
        self._hints_key: Any = None
        self._dismiss_count = 0  # dismissals made here: the hints learn from them

    # -- reading -----------------------------------------------------------------------------
    def matcher(self) -> ActorMatcher:
        """The registry's matcher, rebuilt only when names or aliases changed."""
        version = reg.registry_version(self.store)
        if self._matcher is None or version != self._version:
            actors = self.store.actors.all()
            self._matcher = ActorMatcher.from_actors(actors)
            self._names = {a.id: a.name for a in actors}
            self._version = version
        return self._matcher

    def hints(self) -> NameHints:
        """What the registry and the dismissed new-actor names teach; cached until they change."""
        key = (reg.registry_version(self.store), self._dismiss_count)
        if self._hints is None or key != self._hints_key:
            tagged: list[tuple[str, str | None]] = []
            for a in self.store.actors.all():
                tagged.append((a.name, a.type))
                tagged.extend((alias, a.type) for alias in a.aliases)
            self._hints = NameHints.learn(tagged, self._dismissed_names())
            self._hints_key = key
        return self._hints

    def _dismissed_names(self) -> list[str]:
        names: list[str] = []
        for article_id in self.store.articles.ids():
            spans = reg.dismissed(self.store, article_id, "new_actor")
            if spans:
                text = self.store.articles.get(article_id).text
                names.extend(text[s:e] for s, e in spans)
        return names

    def actor_name(self, actor_id: int | None) -> str | None:
        self.matcher()
        return None if actor_id is None else self._names.get(actor_id)

    def suggestions(self, article_id: int, kinds: Iterable[str] = SUGGESTION_KINDS,
                    text: str | None = None) -> list[Suggestion]:
        """Actor and/or claim suggestions of an article, in text order within each kind."""
        return compute_suggestions(self.gather(article_id, kinds, text))

    def gather(self, article_id: int, kinds: Iterable[str] = SUGGESTION_KINDS,
               text: str | None = None) -> SuggestionInputs:
        """Everything :func:`compute_suggestions` needs from the store (a few quick reads).

        Split from the computation so a UI can read on its own thread and compute on a
        worker: the result holds no connection and nothing in it is mutated later.
        """
        kinds = tuple(kinds)
        bad = set(kinds) - set(ALL_KINDS)
        if bad:
            raise ValidationError(f"Unknown suggestion kind {', '.join(sorted(bad))}.",
                                  "Use actor, claim or new_actor.")
        if text is None:
            text = self.store.articles.get(article_id).text
        return SuggestionInputs(
            article_id, text, kinds, self.matcher(), reg.mention_spans(self.store, article_id),
            sorted(reg.claim_spans(self.store, article_id)) if "claim" in kinds else [],
            {k: reg.dismissed(self.store, article_id, k) for k in kinds},
            self.hints() if "new_actor" in kinds else None)

    def at(self, article_id: int, offset: int, kind: str | None = None) -> Suggestion | None:
        """The suggestion under the cursor (actors before claims when both are there)."""
        for s in self.suggestions(article_id, (kind,) if kind else SUGGESTION_KINDS):
            if s.start <= offset <= s.end:
                return s
        return None

    # -- edits -------------------------------------------------------------------------------
    def accept(self, article_id: int, s: Suggestion) -> Edit:
        """The edit that turns a suggestion into an annotation."""
        if s.kind == "new_actor":
            create = CreateActor(s.text, s.actor_type, f"Create actor {s.text}")
            return Compound([create, AddMention(article_id, s.start, s.end, create,
                                                self.annotator, "")],
                            f"Tag '{short(s.text)}' as new actor")
        if s.kind == "actor":
            assert s.actor_id is not None
            return AddMention(article_id, s.start, s.end, s.actor_id, self.annotator,
                              f"Tag '{short(s.text)}' as {self.actor_name(s.actor_id)}")
        edit = AddClaim(article_id, s.start, s.end, self.annotator,
                        f"Add suggested claim '{short(s.text)}'", claimant_id=s.actor_id)
        edit.claimant_guessed = s.actor_id is not None  # the speaker found is a guess too
        return edit

    def accept_all(self, article_id: int, kind: str = "actor",
                   items: Sequence[Suggestion] | None = None) -> Compound:
        """Accept every suggestion of ``kind`` (or the given ones) as one undo step."""
        if items is None:
            items = self.suggestions(article_id, (kind,))
        parts = [self.accept(article_id, s) for s in items]
        noun = "actor" if kind == "actor" else "claim"
        n = len(parts)
        return Compound(parts, f"Accept {n} suggested {noun}{'' if n == 1 else 's'}")

    def dismiss(self, article_id: int, items: Sequence[Suggestion]) -> Edit:
        n = len(items)
        if any(s.kind == "new_actor" for s in items):
            self._dismiss_count += 1  # the hints learn the dismissed names
        what = f"'{short(items[0].text)}'" if n == 1 else f"{n} suggestions"
        return DismissSuggestions(article_id, items, f"Dismiss suggestion {what}"
                                  if n == 1 else f"Dismiss {what}")


def apply_actor_suggestions(
    session: Session, article_ids: Sequence[int], *,
    progress: ProgressCallback = no_progress,
    cancel: CancelFlag | None = None,
) -> dict[int, int]:
    """Accept every actor suggestion of each article as the session's annotator.

    One transaction (and one undo step) per article, through the session, so its
    rules hold: an article that was ``new`` is marked in progress. Returns
    ``{article_id: mentions added}``. Cancelling stops between articles; articles
    already done stay done.
    """
    svc = SuggestionService(session.store, session.annotator)
    added: dict[int, int] = {}
    total = len(article_ids)
    for i, article_id in enumerate(article_ids):
        if cancel is not None and cancel.cancelled:
            raise Cancelled(f"Cancelled after {i} of {total} articles; those stay tagged.")
        edit = svc.accept_all(article_id, "actor")
        if edit.parts:
            session.perform(edit)
        added[article_id] = len(edit.parts)
        progress(ProgressEvent(done=i + 1, total=total, message=f"article {article_id}"))
    return added


__all__ = ["ALL_KINDS", "DismissSuggestions", "Suggestion", "SuggestionInputs",
           "SuggestionService", "apply_actor_suggestions", "compute_suggestions", "forget_scans"]
