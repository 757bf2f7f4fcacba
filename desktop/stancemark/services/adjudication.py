"""Adjudication: curating several annotators' work into a gold set, one undoable decision at a time.

A :class:`Curation` works for one chosen set of annotators and one gold
annotator (default ``gold``) on an open :class:`~stancemark.services.session.Session`
(or the window's session, which mirrors each step on its undo stack).
Its units are the agreement matcher's units (``analysis.agreement.agreement_units``:
the same span grouping the reliability figures use), so what the curator sees
is what ``stancemark agreement`` counted. For each unit it shows every coder's
:class:`Version`, and the curator

* accepts one version (:meth:`Curation.accept`): the gold annotator gets a copy;
* accepts it edited (:meth:`Curation.edit`);
* rejects every version (:meth:`Curation.reject`): the unit is closed, with no
  gold annotation (INCEpTION cannot close such a unit);
* or takes a decision back (:meth:`Curation.reopen`).

Each of these is one :class:`~stancemark.services.edits.Edit` performed through
the session, so it undoes and redoes like every other edit. The automatic step
(:meth:`Curation.run_automatic`) settles every undecided unit the strategy
accepts as **one** undoable step per run (a ``Compound``), and never touches a
unit already decided, by the curator or by an earlier run.

Gold annotations are ordinary annotations of the gold annotator, so every
exporter and the JSONL merge carry them like anyone's work; the decisions
(``store.adjudication``) add where each came from and which units were closed.

A unit is named stably (``analysis.adjudication.span_unit_key``: its coders'
annotation ids; sentiments by article and actor) and a decision still settles a
unit whose members changed later as long as they share an annotation, so
re-running the automatic step keeps every decision and never duplicates gold.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from stancemark.analysis.adjudication import (
    ABSENT,
    LAYERS,
    Decision,
    Strategy,
    matching_decision,
    percent,
    sentiment_unit_key,
    span_unit_key,
    winner,
)
from stancemark.analysis.agreement import AgreementUnit, agreement_units
from stancemark.core.changes import Change, change
from stancemark.core.errors import NotFoundError, ValidationError
from stancemark.core.models import Claim, Mention
from stancemark.services.edits import (
    AddClaim,
    AddMention,
    Compound,
    DeleteClaim,
    DeleteMention,
    Edit,
    SetSentiment,
)
from stancemark.store import Store
from stancemark.store import adjudication as decisions_db
from stancemark.store.agreement import annotator_names, existing_article_ids, read_coding

DEFAULT_GOLD = "gold"

#: The variables of each layer a version consists of (besides its span).
FIELDS: dict[str, tuple[str, ...]] = {
    "mentions": ("actor_id",),
    "claims": ("category", "claimant_id", "target_id", "stance", "note"),
    "article_sentiment": ("value",),
    "actor_sentiment": ("value",),
}
#: Variables that do not make two versions different (free text).
_NOT_COMPARED = frozenset({"note"})

_KIND = {"mentions": "mentions", "claims": "claims", "article_sentiment": "sentiment",
         "actor_sentiment": "sentiment"}
_LAYER_NAMES = {"mentions": "mention", "claims": "claim", "article_sentiment": "article sentiment",
                "actor_sentiment": "actor sentiment"}


@dataclass(frozen=True, slots=True)
class Version:
    """One coder's version of a unit: the span (for mentions and claims) and the variables."""

    annotator: str
    layer: str
    values: dict[str, Any]
    start: int | None = None
    end: int | None = None
    text: str = ""
    #: the mention or claim id (None for sentiments)
    annotation_id: int | None = None

    @property
    def content(self) -> Hashable:
        """What two versions must share to be the same version (the note is not compared)."""
        return (self.start, self.end,
                *(self.values.get(k) for k in FIELDS[self.layer] if k not in _NOT_COMPARED))

    @property
    def source(self) -> int:
        """What provenance records of this version: its annotation id, or a sentiment's value."""
        return int(self.annotation_id if self.annotation_id is not None
                   else self.values["value"])


@dataclass(slots=True)
class CurationUnit:
    """One unit of one article, with each coder's version and the decision, if any."""

    layer: str
    article_id: int
    key: str
    versions: dict[str, Version]
    #: coders who coded the article and marked nothing in this unit
    silent: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    text: str = ""
    #: the actor of an actor-sentiment unit
    actor_id: int | None = None
    decision: Decision | None = None

    @property
    def decided(self) -> bool:
        return self.decision is not None

    @property
    def source_ids(self) -> frozenset[int]:
        return frozenset(v.annotation_id for v in self.versions.values()
                         if v.annotation_id is not None)

    def groups(self) -> list[tuple[Version, tuple[str, ...]]]:
        """Each distinct version once, with the coders who gave it (most first)."""
        by: dict[Hashable, list[Version]] = {}
        for v in self.versions.values():
            by.setdefault(v.content, []).append(v)
        ordered = sorted(by.values(), key=lambda vs: (-len(vs), vs[0].annotator))
        return [(vs[0], tuple(v.annotator for v in vs)) for vs in ordered]

    def votes(self) -> dict[str, Hashable]:
        """Coder → version content, :data:`ABSENT` for the silent coders."""
        out: dict[str, Hashable] = {c: v.content for c, v in self.versions.items()}
        out.update({c: ABSENT for c in self.silent})
        return out


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a curation is: units decided of all units (and how they were decided)."""

    total: int = 0
    accepted: int = 0
    edited: int = 0
    rejected: int = 0
    automatic: int = 0

    @property
    def decided(self) -> int:
        return self.accepted + self.edited + self.rejected

    @property
    def undecided(self) -> int:
        return self.total - self.decided

    @property
    def percent(self) -> float:
        return percent(self.decided, self.total)

    @classmethod
    def of(cls, units: Sequence[CurationUnit]) -> Progress:
        ds = [u.decision for u in units if u.decision is not None]
        return cls(len(units), sum(d.outcome == "accepted" for d in ds),
                   sum(d.outcome == "edited" for d in ds),
                   sum(d.outcome == "rejected" for d in ds), sum(d.automatic for d in ds))


@dataclass(slots=True)
class AutoReport:
    """What one run of the automatic step did."""

    strategy: Strategy
    annotators: list[str]
    gold: str
    articles: int = 0
    accepted: list[CurationUnit] = field(default_factory=list)
    #: units closed because the strategy's winner was "nothing marked"
    closed: list[CurationUnit] = field(default_factory=list)
    #: units decided before this run (kept as they were)
    kept: int = 0
    left: list[CurationUnit] = field(default_factory=list)
    progress: Progress = Progress()
    change: Change = Change()


# -- edits ---------------------------------------------------------------------------------------

class RecordDecision(Edit):
    """Write the decision row of a unit; ``made`` is the gold annotation's edit run just before."""

    def __init__(self, gold: str, unit: CurationUnit, outcome: str, decided_by: str,
                 sources: dict[str, int], text: str, *, made: Edit | None = None,
                 linked: tuple[str, int] | None = None) -> None:
        self.gold, self.unit = gold, unit
        self.outcome, self.decided_by, self.sources = outcome, decided_by, sources
        self.made, self.linked = made, linked
        self.text = text
        self.decision: Decision | None = None

    def _annotation(self) -> tuple[int | None, int | None]:
        kind, ident = self.linked or ("", None)
        if isinstance(self.made, AddMention) and self.made.created is not None:
            kind, ident = "mention", self.made.created.id
        elif isinstance(self.made, AddClaim) and self.made.created is not None:
            kind, ident = "claim", self.made.created.id
        return (ident if kind == "mention" else None, ident if kind == "claim" else None)

    def apply(self, store: Store) -> Change:
        mention_id, claim_id = self._annotation()
        old = self.decision
        self.decision = decisions_db.add_decision(
            store, self.gold, self.unit.article_id, self.unit.layer, self.unit.key, self.outcome,
            self.decided_by, self.sources, mention_id=mention_id, claim_id=claim_id,
            decision_id=old.id if old else None, created_at=old.created_at if old else None,
            uuid=old.uuid if old else None)
        return change(self.unit.article_id, _KIND[self.unit.layer])

    def revert(self, store: Store) -> Change:
        assert self.decision is not None
        decisions_db.delete_decision(store, self.decision.id)
        return change(self.unit.article_id, _KIND[self.unit.layer])


class ForgetDecision(Edit):
    """Remove a decision row (reopening its unit); undo writes the very same row back."""

    def __init__(self, decision: Decision, text: str) -> None:
        self.decision = decision
        self.text = text

    def apply(self, store: Store) -> Change:
        decisions_db.delete_decision(store, self.decision.id)
        return change(self.decision.article_id, _KIND[self.decision.layer])

    def revert(self, store: Store) -> Change:
        d = self.decision
        decisions_db.add_decision(store, d.gold, d.article_id, d.layer, d.unit_key, d.outcome,
                                  d.decided_by, d.sources, mention_id=d.mention_id,
                                  claim_id=d.claim_id, decision_id=d.id,
                                  created_at=d.created_at, uuid=d.uuid)
        return change(d.article_id, _KIND[d.layer])


# -- the curation --------------------------------------------------------------------------------

class Performer(Protocol):
    """What a curation needs of a session: the store, the curator's name, ``perform``.

    :class:`~stancemark.services.session.Session` is one; the window's
    ``ProjectSession`` is another (it also puts each step on its undo stack, and
    returns None when it reported a refusal itself).
    """

    store: Store

    @property
    def annotator(self) -> str: ...

    def perform(self, edit: Edit, *, origin: object | None = None) -> Change | None: ...


class Curation:
    """The curation of ``annotators`` into gold set ``gold`` on an open session."""

    def __init__(self, session: Performer, annotators: Sequence[str],
                 gold: str = DEFAULT_GOLD) -> None:
        self.session = session
        self.store = session.store
        names = list(dict.fromkeys(a.strip() for a in annotators if a.strip()))
        gold = gold.strip()
        if not gold:
            raise ValidationError("The gold set needs a name.", "Give one with --gold.")
        if gold in names:
            raise ValidationError(f"{gold!r} is one of the annotators being curated.",
                                  "Give the gold set another name with --gold.")
        known = annotator_names(self.store)
        unknown = [a for a in names if a not in known]
        if unknown:
            raise NotFoundError(f"Unknown annotator(s): {', '.join(unknown)}.",
                                f"Known: {', '.join(known) or 'none'}.")
        if len(names) < 2:
            raise ValidationError("Adjudication needs at least two annotators; "
                                  f"got {len(names)}.", "Name two or more with --annotators.")
        self.annotators = names
        self.gold = gold
        self.actor_names: dict[int, str] = {}

    # -- reading ------------------------------------------------------------------------
    def units(self, article_ids: Sequence[int] | None = None) -> list[CurationUnit]:
        """Every unit of the chosen annotators (on ``article_ids``), in reading order."""
        data = read_coding(self.store, self.annotators, article_ids)
        data.annotators = list(self.annotators)
        self.actor_names.update(data.actor_names)
        by_article: dict[int, list[Decision]] = {}
        for d in decisions_db.decisions(self.store, self.gold, article_ids):
            by_article.setdefault(d.article_id, []).append(d)
        out: list[CurationUnit] = []
        for layer, found in agreement_units(data).items():
            for au in found:
                unit = _unit(layer, au, data.coded.get(au.article, set()))
                unit.decision = matching_decision(layer, unit.key, unit.source_ids,
                                                  by_article.get(unit.article_id, []))
                out.append(unit)
        order = {name: i for i, name in enumerate(LAYERS)}
        out.sort(key=lambda u: (u.article_id, u.start if u.start is not None else 1 << 62,
                                order[u.layer], u.actor_id or 0, u.key))
        return out

    def articles(self) -> list[int]:
        """Ids of the articles that have units to curate, in order."""
        return sorted({u.article_id for u in self.units()})

    def undecided(self, article_id: int) -> list[CurationUnit]:
        """The units of one article still to decide, each with every coder's version."""
        return [u for u in self.units([article_id]) if not u.decided]

    def progress(self, article_ids: Sequence[int] | None = None) -> Progress:
        """Decided of all units (on ``article_ids``, default every article)."""
        return Progress.of(self.units(article_ids))

    def progress_by_article(self) -> dict[int, Progress]:
        units = self.units()
        ids = sorted({u.article_id for u in units})
        return {a: Progress.of([u for u in units if u.article_id == a]) for a in ids}

    def find(self, article_id: int, key: str) -> CurationUnit:
        """The unit of ``article_id`` named ``key`` as it stands now (raises NotFoundError)."""
        for u in self.units([article_id]):
            if u.key == key:
                return u
        raise NotFoundError(f"Article {article_id} has no unit {key!r} for these annotators.",
                            "The annotations changed: list the units again.")

    def describe(self, version: Version) -> str:
        """A version in words, for a list or the command line."""
        v = version.values
        if version.layer == "mentions":
            return self._actor(v["actor_id"])
        if version.layer == "claims":
            parts = [v.get("category") or "(no category)",
                     f"by {self._actor(v.get('claimant_id'))}"]
            if v.get("target_id") is not None:
                parts.append(f"about {self._actor(v['target_id'])}")
            parts.append("stance -" if v.get("stance") is None else f"stance {v['stance']:+d}")
            return ", ".join(parts)
        return f"{v['value']:+d}"

    def _actor(self, actor_id: int | None) -> str:
        if actor_id is None:
            return "(nobody)"
        if actor_id not in self.actor_names:
            try:
                self.actor_names[actor_id] = self.store.actors.get(actor_id).name
            except NotFoundError:
                return f"actor {actor_id}"
        return self.actor_names[actor_id]

    # -- deciding -----------------------------------------------------------------------
    def accept(self, unit: CurationUnit, annotator: str, *,
               origin: object | None = None) -> Change | None:
        """Take ``annotator``'s version of ``unit`` into the gold set (one undoable edit)."""
        self._check_open(unit)
        version = unit.versions.get(annotator)
        if version is None:
            raise ValidationError(f"{annotator} has no version of this {_LAYER_NAMES[unit.layer]}.",
                                  f"Choose one of: {', '.join(unit.versions)}.")
        sources = {c: v.source for c, v in unit.versions.items() if v.content == version.content}
        edit = self._decide(unit, version, "accepted", self._curator, sources,
                            f"Accept {annotator}'s {_LAYER_NAMES[unit.layer]}")
        return self.session.perform(edit, origin=origin)

    def edit(self, unit: CurationUnit, base: str | None = None, *, origin: object | None = None,
             **changes: Any) -> Change | None:
        """Take a version of ``unit`` changed by the curator (``start``, ``end`` or variables).

        ``base`` is the coder whose version is changed (default: the most given
        version); it and the coders who gave the same version are its provenance.
        """
        self._check_open(unit)
        groups = unit.groups()
        if base is None:
            start_from, _ = groups[0]
        elif base in unit.versions:
            start_from = unit.versions[base]
        else:
            raise ValidationError(f"{base} has no version of this {_LAYER_NAMES[unit.layer]}.")
        allowed = set(FIELDS[unit.layer]) | ({"start", "end"} if unit.start is not None else set())
        bad = sorted(set(changes) - allowed)
        if bad:
            raise ValidationError(f"Cannot change {', '.join(bad)} of a "
                                  f"{_LAYER_NAMES[unit.layer]}.",
                                  f"Change any of: {', '.join(sorted(allowed))}.")
        values = {**start_from.values, **{k: v for k, v in changes.items()
                                          if k not in ("start", "end")}}
        if unit.layer.endswith("sentiment") and values.get("value") is None:
            raise ValidationError("A sentiment needs a value.", "To close the unit, reject it.")
        if unit.layer == "mentions" and values.get("actor_id") is None:
            raise ValidationError("A mention needs an actor.", "To close the unit, reject it.")
        version = replace(start_from, annotator=self.gold, values=values,
                          start=changes.get("start", start_from.start),
                          end=changes.get("end", start_from.end))
        sources = {c: v.source for c, v in unit.versions.items()
                   if v.content == start_from.content}
        edit = self._decide(unit, version, "edited", self._curator, sources,
                            f"Accept an edited {_LAYER_NAMES[unit.layer]}")
        return self.session.perform(edit, origin=origin)

    def reject(self, unit: CurationUnit, *, origin: object | None = None) -> Change | None:
        """Close ``unit`` with no gold annotation: every version is rejected."""
        self._check_open(unit)
        edit = RecordDecision(self.gold, unit, "rejected", self._curator, {},
                              f"Reject every version of a {_LAYER_NAMES[unit.layer]}")
        return self.session.perform(edit, origin=origin)

    def reopen(self, unit: CurationUnit, *, origin: object | None = None) -> Change | None:
        """Take back the decision on ``unit`` and remove the gold annotation it made."""
        d = unit.decision
        if d is None:
            raise ValidationError("This unit is not decided yet.")
        parts: list[Edit] = [ForgetDecision(d, "")]
        if d.mention_id is not None:
            parts.append(DeleteMention(self.store.annotations.mention(d.mention_id), ""))
        elif d.claim_id is not None:
            parts.append(DeleteClaim(self.store.annotations.claim(d.claim_id), ""))
        elif d.outcome != "rejected" and unit.layer.endswith("sentiment"):
            parts.append(SetSentiment(unit.article_id, unit.actor_id, self.gold, None, ""))
        text = f"Reopen a {_LAYER_NAMES[unit.layer]}"
        return self.session.perform(Compound(parts, text), origin=origin)

    def run_automatic(self, strategy: Strategy | str,
                      article_ids: Sequence[int] | None = None, *,
                      origin: object | None = None) -> AutoReport:
        """Settle every undecided unit ``strategy`` accepts, as one undoable step.

        Units decided before (by the curator or an earlier run) are kept as they
        are; a unit whose winner is "nothing marked" is closed without gold.
        """
        chosen = Strategy.parse(strategy) if isinstance(strategy, str) else strategy
        chosen.check(len(self.annotators))
        if article_ids is not None:
            missing = sorted(set(article_ids) - existing_article_ids(self.store,
                                                                      list(article_ids)))
            if missing:
                raise NotFoundError(f"No article with id {', '.join(map(str, missing[:10]))} "
                                    "in this project.")
        units = self.units(article_ids)
        report = AutoReport(chosen, list(self.annotators), self.gold,
                            articles=len({u.article_id for u in units}))
        by = f"auto:{chosen}"
        parts: list[Edit] = []
        planned: set[Hashable] = set()
        for unit in units:
            if unit.decided:
                report.kept += 1
                continue
            won = winner(unit.votes(), len(self.annotators), chosen)
            if won is None:
                report.left.append(unit)
                continue
            if won == ABSENT:
                parts.append(RecordDecision(self.gold, unit, "rejected", by, {}, ""))
                report.closed.append(unit)
                continue
            version = next(v for v in unit.versions.values() if v.content == won)
            slot = (unit.article_id, unit.layer, unit.actor_id, won)
            if slot in planned:  # two units with one content (a coder's double tag): once
                report.left.append(unit)
                continue
            planned.add(slot)
            sources = {c: v.source for c, v in unit.versions.items() if v.content == won}
            parts.append(self._decide(unit, version, "accepted", by, sources, ""))
            report.accepted.append(unit)
        if parts:
            n = len(report.accepted) + len(report.closed)
            text = f"Adjudicate {n} unit{'s' if n != 1 else ''} automatically ({chosen})"
            report.change = self.session.perform(Compound(parts, text), origin=origin) \
                or Change()
        report.progress = Progress.of(self.units(article_ids))
        return report

    # -- helpers ------------------------------------------------------------------------
    @property
    def _curator(self) -> str:
        """Who decides by hand: the session's annotator (recorded with each decision)."""
        return self.session.annotator
    def _check_open(self, unit: CurationUnit) -> None:
        if unit.decided:
            raise ValidationError(f"This {_LAYER_NAMES[unit.layer]} is already decided.",
                                  "Reopen it first to decide again.")
        current = self.units([unit.article_id])
        now = next((u for u in current if u.key == unit.key and u.layer == unit.layer), None)
        if now is None or now.decided:
            raise ValidationError(f"This {_LAYER_NAMES[unit.layer]} changed or was decided "
                                  "meanwhile.", "List the units again.")

    def _decide(self, unit: CurationUnit, version: Version, outcome: str, decided_by: str,
                sources: dict[str, int], text: str) -> Edit:
        """The gold annotation for ``version`` and the decision row, as one edit."""
        v = version.values
        made: Edit | None = None
        linked: tuple[str, int] | None = None
        if unit.layer == "mentions":
            assert version.start is not None and version.end is not None
            same = self._existing_gold_mention(unit.article_id, version)
            if same is not None:
                linked = ("mention", same)
            else:
                made = AddMention(unit.article_id, version.start, version.end, v["actor_id"],
                                  self.gold, text)
        elif unit.layer == "claims":
            assert version.start is not None and version.end is not None
            made = AddClaim(unit.article_id, version.start, version.end, self.gold, text,
                            **{k: v.get(k) for k in FIELDS["claims"]})
        else:
            made = SetSentiment(unit.article_id, unit.actor_id, self.gold, v["value"], text)
        record = RecordDecision(self.gold, unit, outcome, decided_by, sources, text,
                                made=made, linked=linked)
        return Compound([made, record], text) if made is not None else record

    def _existing_gold_mention(self, article_id: int, version: Version) -> int | None:
        """A gold mention with this span and actor already there (tagged by hand): reuse it."""
        for m in self.store.annotations.mentions(article_id, self.gold):
            if (m.start, m.end, m.actor_id) == (version.start, version.end,
                                                 version.values["actor_id"]):
                return m.id
        return None


def _unit(layer: str, au: AgreementUnit, coded: set[str]) -> CurationUnit:
    """A curation unit from an agreement unit (``coded``: who coded its article)."""
    versions: dict[str, Version] = {}
    actor_id: int | None = None
    start: int | None = None
    end: int | None = None
    if layer in ("mentions", "claims"):
        for coder, ref in au.refs.items():
            versions[coder] = _span_version(coder, layer, ref)
        key = span_unit_key({v.annotation_id for v in versions.values()
                             if v.annotation_id is not None})
        starts = [v.start for v in versions.values() if v.start is not None]
        ends = [v.end for v in versions.values() if v.end is not None]
        first = min(versions.values(), key=lambda v: (v.start or 0, v.end or 0))
        start, end, text = min(starts), max(ends), first.text
    else:
        if layer == "actor_sentiment":
            assert isinstance(au.key, tuple)
            actor_id = int(au.key[1])
        for coder, vals in au.values.items():
            versions[coder] = Version(coder, layer, {"value": vals[0]})
        key = sentiment_unit_key(actor_id)
        text = au.text
    silent = tuple(sorted(c for c in coded if c not in versions))
    return CurationUnit(layer, au.article, key, versions, silent, start, end, text, actor_id)


def _span_version(coder: str, layer: str, ref: Mention | Claim) -> Version:
    if isinstance(ref, Mention):
        values: dict[str, Any] = {"actor_id": ref.actor_id}
    else:
        values = {k: getattr(ref, k) for k in FIELDS["claims"]}
    return Version(coder, layer, values, ref.start, ref.end, ref.text, ref.id)


__all__ = ["DEFAULT_GOLD", "AutoReport", "Curation", "CurationUnit", "ForgetDecision",
           "Performer", "Progress", "RecordDecision", "Version"]
