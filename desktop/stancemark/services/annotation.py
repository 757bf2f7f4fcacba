"""Building the edits an analyst makes in the annotation window, with readable undo texts."""

from __future__ import annotations

from types import EllipsisType

from stancemark.analysis.suggest import claim_candidates, overlap_ratio
from stancemark.core.codebook import Codebook
from stancemark.core.errors import ValidationError
from stancemark.core.models import Actor, Claim, Mention
from stancemark.core.spans import check_span, paragraph_bounds
from stancemark.core.text import fold, short
from stancemark.services.edits import (
    AddClaim,
    AddMention,
    Compound,
    CreateActor,
    DeleteClaim,
    DeleteMention,
    Edit,
    SetSentiment,
    SetStatus,
    UpdateClaim,
    UpdateMention,
)
from stancemark.services.registry import UpdateActor
from stancemark.store import Store


class AnnotationService:
    """Edits of one annotator on one project. Methods validate and return an :class:`Edit`."""

    def __init__(self, store: Store, annotator: str) -> None:
        self.store = store
        self.annotator = annotator

    # -- actors and mentions ----------------------------------------------
    def tag_actor(self, article_id: int, start: int, end: int, actor_id: int) -> Edit:
        """Tag a span as a mention of a known actor.

        A name the actor is not known by yet (a surname, another spelling) becomes one
        of its aliases in the same undo step, so suggestions find it next time.
        """
        text = _mention_text(self.store.articles.get(article_id).text, start, end)
        actor = self.store.actors.get(actor_id)
        label = f"Tag '{short(text)}' as {actor.name}"
        add = AddMention(article_id, start, end, actor_id, self.annotator, label)
        if not _is_new_name(text, actor):
            return add
        learn = UpdateActor(actor_id, "", aliases=[*actor.aliases, text])
        return Compound([add, learn], f"{label} (now also known as '{short(text)}')")

    def tag_new_actor(self, article_id: int, start: int, end: int, name: str,
                      actor_type: str | None) -> Edit:
        """Create actor ``name`` and tag the span as its mention, as one undo step."""
        text = _mention_text(self.store.articles.get(article_id).text, start, end)
        name = self._new_actor_name(name)
        aliases = (text,) if fold(text) != fold(name) else ()
        create = CreateActor(name, actor_type, f"Create actor {name}", aliases)
        return Compound([create, AddMention(article_id, start, end, create, self.annotator, "")],
                        f"Tag '{short(text)}' as new actor {name}")

    def delete_mention(self, mention: Mention) -> Edit:
        return DeleteMention(mention, f"Delete mention '{short(mention.text)}'")

    def move_mention(self, mention: Mention, start: int, end: int) -> Edit:
        _mention_text(self.store.articles.get(mention.article_id).text, start, end)
        return UpdateMention(mention.id, f"Adjust mention '{short(mention.text)}'",
                             start=start, end=end)

    def relink_mention(self, mention: Mention, actor_id: int) -> Edit:
        actor = self.store.actors.get(actor_id)
        return UpdateMention(mention.id, f"Link '{short(mention.text)}' to {actor.name}",
                             actor_id=actor_id)

    def find_actors(self, query: str, limit: int = 50) -> list[Actor]:
        """Actors whose name or an alias contains ``query`` (case and diacritics folded).

        Name-prefix matches come first, then alias-prefix, then substring matches.
        """
        q = fold(query.strip())
        scored: list[tuple[int, str, Actor]] = []
        for actor in self.store.actors.all():
            names = [fold(actor.name)] + [fold(a) for a in actor.aliases]
            if not q:
                rank = 0
            elif names[0].startswith(q):
                rank = 0
            elif any(n.startswith(q) for n in names[1:]):
                rank = 1
            elif any(q in n for n in names):
                rank = 2
            else:
                continue
            scored.append((rank, actor.name.casefold(), actor))
        scored.sort(key=lambda t: (t[0], t[1]))
        return [a for _, _, a in scored[:limit]]

    # -- claims -----------------------------------------------------------
    def guess_claimant(self, article_id: int, start: int, end: int | None = None) -> int | None:
        """Who probably makes the claim at ``[start, end)``: a guess for the analyst to confirm.

        The reported-speech analysis the suggestions use reads the paragraph with the
        article's mentions as the known speakers: the speaker of the quotation or of
        the reporting verb (*said*, *accused* …) that the claim overlaps most is the
        guess, so in "X accused Y of …" it is X, not the nearer Y. Without one, the
        actor of the nearest mention before ``start`` in the paragraph, else the first
        mention inside the claim (reported speech often opens with its speaker).
        """
        text = self.store.articles.get(article_id).text
        end = start if end is None else end
        p_start, p_end = paragraph_bounds(text, start)
        every = self.store.annotations.mentions(article_id)
        # the text up to the claim's paragraph: "he said" needs the names before it
        before = [m for m in every if m.end <= p_end]
        persons = {a.id for a in self.store.actors.all() if a.type == "person"}
        speaker = _reported_speaker(text[:p_end], 0, start, end, before, persons)
        if speaker is not None:
            return speaker
        mentions = [m for m in before if p_start <= m.start]
        best: Mention | None = None
        inside: Mention | None = None
        for m in mentions:
            if m.end <= start:
                if best is None or m.end >= best.end:
                    best = m
            elif start <= m.start and inside is None:
                inside = m
        chosen = best or inside
        return chosen.actor_id if chosen else None

    def add_claim(self, article_id: int, start: int, end: int, *,
                  claimant_id: int | None | EllipsisType = ...,
                  target_id: int | None = None, category: str | None = None,
                  stance: int | None = None, note: str | None = None) -> Edit:
        text = check_span(self.store.articles.get(article_id).text, start, end)
        guessed = claimant_id is ...
        if claimant_id is ...:
            claimant_id = self.guess_claimant(article_id, start, end)
        edit = AddClaim(article_id, start, end, self.annotator,
                        f"Add claim '{short(text)}'", claimant_id=claimant_id,
                        target_id=target_id, category=category, stance=stance, note=note)
        edit.claimant_guessed = guessed and claimant_id is not None
        return edit

    def update_claim(self, claim: Claim, **fields: object) -> Edit:
        what = {
            "claimant_id": "claimant", "target_id": "target", "category": "category",
            "stance": "stance", "note": "note", "start": "span", "end": "span",
        }
        names = sorted({what.get(k, k) for k in fields})
        return UpdateClaim(claim.id, f"Set {', '.join(names)} of claim '{short(claim.text)}'",
                           **fields)

    def set_claim_actor_new(self, claim: Claim, role: str, name: str,
                            actor_type: str | None) -> Edit:
        """Create actor ``name`` and make it the claim's claimant or target, as one undo step."""
        if role not in ("claimant", "target"):
            raise ValidationError(f"A claim has no {role!r}.", "Use claimant or target.")
        name = self._new_actor_name(name)
        create = CreateActor(name, actor_type, f"Create actor {name}")
        return Compound([create, UpdateClaim(claim.id, "", **{f"{role}_id": create})],
                        f"Set {role} of claim '{short(claim.text)}' to new actor {name}")

    def _new_actor_name(self, name: str) -> str:
        name = " ".join(name.split())
        if not name:
            raise ValidationError("An actor needs a name.", "Type a name for the new actor.")
        if self.store.actors.by_name(name) is not None:
            raise ValidationError(f"There is already an actor called {name!r}.",
                                  "Pick it from the list instead.")
        return name

    def delete_claim(self, claim: Claim) -> Edit:
        return DeleteClaim(claim, f"Delete claim '{short(claim.text)}'")

    # -- sentiment and status ---------------------------------------------
    def set_article_sentiment(self, article_id: int, value: int | None,
                              codebook: Codebook | None = None) -> Edit:
        book = codebook or self.store.codebook.load()
        label = "clear" if value is None else book.scale_label(value)
        return SetSentiment(article_id, None, self.annotator, value,
                            f"Set article sentiment: {label}")

    def set_actor_sentiment(self, article_id: int, actor_id: int, value: int | None,
                            codebook: Codebook | None = None) -> Edit:
        book = codebook or self.store.codebook.load()
        actor = self.store.actors.get(actor_id)
        label = "clear" if value is None else book.scale_label(value)
        return SetSentiment(article_id, actor_id, self.annotator, value,
                            f"Set portrayal of {actor.name}: {label}")

    def set_status(self, article_id: int, status: str) -> Edit:
        from stancemark.core.models import STATUS_LABELS

        if status not in STATUS_LABELS:
            raise ValidationError(f"Unknown status {status!r}.")
        return SetStatus(article_id, status, f"Mark article {STATUS_LABELS[status].lower()}")


def _reported_speaker(paragraph: str, offset: int, start: int, end: int,
                      mentions: list[Mention], persons: set[int] | None = None) -> int | None:
    """The speaker of the reported speech in ``paragraph`` that ``[start, end)`` overlaps most."""
    occurrences = sorted((m.start - offset, m.end - offset, m.actor_id) for m in mentions)
    span = (start - offset, max(end, start + 1) - offset)
    best, best_ratio = None, 0.0
    for cand in claim_candidates(paragraph, occurrences, persons=persons):
        ratio = overlap_ratio((cand.start, cand.end), span)
        if cand.claimant_id is not None and ratio > best_ratio:
            best, best_ratio = cand.claimant_id, ratio
    return best


def _mention_text(text: str, start: int, end: int) -> str:
    """The text of a mention span, refused when it crosses a paragraph break."""
    piece = check_span(text, start, end)
    if "\n" in piece:
        raise ValidationError("A mention names an actor within one paragraph; this selection "
                              "crosses a paragraph break.",
                              "Select the name inside one paragraph (a claim may cross).")
    return piece


def _is_new_name(text: str, actor: Actor) -> bool:
    """True if ``text`` looks like a name (it has a capital) the actor is not known by yet."""
    folded = fold(text.strip())
    known = {fold(actor.name), *(fold(a) for a in actor.aliases)}
    return bool(folded) and folded not in known and any(c.isupper() for c in text)
