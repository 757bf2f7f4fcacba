"""Annotations in words, for tooltips and rows: ``Claim by Vucic about Kurti · …``."""

from __future__ import annotations

from stancemark.core.models import Claim
from stancemark.core.text import short as text_short
from stancemark.ui.session import ProjectSession


def short(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters (60 unless told)."""
    return text_short(text, limit)


def describe_claim(session: ProjectSession, claim: Claim) -> str:
    """``Claim by Vucic about Kurti · Security › Policing · stance -2 very negative``."""
    lookup = session.lookup
    claimant = session.actor(claim.claimant_id)
    target = session.actor(claim.target_id)
    parts = ["Claim" + (f" by {claimant.name}" if claimant else " (no claimant)")
             + (f" about {target.name}" if target else "")]
    if claim.category:
        parts.append(lookup.category_path(claim.category))
    if claim.stance is not None:
        parts.append(f"stance {lookup.scale_label(claim.stance)}")
    return " · ".join(parts)


def describe_mention(session: ProjectSession, actor_id: int) -> str:
    """``Mention of Albin Kurti (person)``."""
    actor = session.actor(actor_id)
    if actor is None:
        return "Mention of an unknown actor"
    kind = session.codebook.actor_type(actor.type)
    return f"Mention of {actor.name} ({(kind.label if kind else actor.type or 'no type').lower()})"
