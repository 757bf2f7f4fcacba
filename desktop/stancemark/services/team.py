"""Team work: joining a project to the team's hub, and syncing it (issue 17).

The project file stays the working copy; :func:`sync` first pushes this member's
own changes (annotations under their role name; a curator's gold set and decisions;
articles and the codebook too for a manager; actors they added), then pulls everything
the hub lets them read that changed since the last pull. A change to a shared entry
the member may not make, or one that crossed someone else's change at the hub, is
held there as a proposal: a manager lists them (:func:`conflicts`) and decides each
(:func:`decide`). Each half is one transaction on each side and both
remember where they got to only once done, so a sync cut short anywhere is simply
run again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from stancemark.core.errors import HubRefusedError, TeamError
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent, no_progress
from stancemark.core.team import GOLD_ANNOTATOR, Proposal, pushed_kinds
from stancemark.store import Store, open_project, team_status
from stancemark.store import team as local
from stancemark.sync import hub
from stancemark.sync.connection import HubAddress, connect, parse_url, store_password
from stancemark.sync.hub_schema import add_coder, init_hub


@dataclass
class SyncReport:
    """What one sync did."""

    role: str = ""
    pushed: int = 0
    #: Shared entries changed here that the hub kept its own version of (and that this
    #: project now has again), each held there as a proposal for a manager: kind -> how many.
    refused: dict[str, int] = field(default_factory=dict)
    pulled: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    #: How many articles this member's queue holds, when a pull changed it (else None).
    queue: int | None = None
    seconds: float = 0.0
    #: This member's proposals a manager decided since the last sync, in words.
    decided: list[str] = field(default_factory=list)
    #: Articles newly assigned to this member, and taken back (kept here, marked so).
    assigned: int = 0
    unassigned: int = 0

    def summary(self) -> str:
        def parts(counts: dict[str, int]) -> str:
            return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items()) or "nothing"
        text = (f"pushed {self.pushed} change(s); pulled {parts(self.pulled)}"
                + (f"; deleted {parts(self.deleted)}" if self.deleted else "")
                + f" in {self.seconds:.2f} s")
        if self.assigned or self.unassigned:
            text += (f"; {self.assigned} article(s) newly assigned to you"
                     + (f", {self.unassigned} taken back (kept here with your work, marked "
                        "unassigned)" if self.unassigned else ""))
        if self.refused:
            text += (f"; the hub kept its own version of {parts(self.refused)} "
                     "and holds your change as a proposal for a manager to decide "
                     "(this project has the hub's version until then)")
        if self.decided:
            text += "; decided: " + " | ".join(self.decided)
        if self.skipped:
            text += f"; left out {parts(self.skipped)} (their article or actor is not here)"
        return text


def init_team(admin_url: str, blind: bool | None = None) -> dict[str, object]:
    """Create or update the hub's schema, roles and policies."""
    conn = connect(parse_url(admin_url))
    try:
        return init_hub(conn, blind)
    finally:
        conn.close()


def add_member(admin_url: str, name: str, role: str = "coder") -> tuple[HubAddress, str]:
    """Create ``name``'s login role; returns its address (no password) and the password."""
    admin = parse_url(admin_url)
    conn = connect(admin)
    try:
        password = add_coder(conn, name, role)
    finally:
        conn.close()
    return admin.as_user(name, None), password


def assign_articles(manager_url: str, coders: list[str], per_article: int) -> int:
    conn = connect(parse_url(manager_url))
    try:
        return hub.assign(conn, coders, per_article)
    finally:
        conn.close()


def unassign_articles(manager_url: str, coders: list[str], articles: list[str] | None) -> int:
    """Take ``articles`` (uids, unique uid prefixes or exact titles; None: all) back from
    ``coders``."""
    conn = connect(parse_url(manager_url))
    try:
        return hub.unassign(conn, coders, articles)
    finally:
        conn.close()


def conflicts(url: str, *, decided: bool = False) -> list[Proposal]:
    """The proposals waiting for a manager (a manager sees all, a member their own)."""
    conn = connect(parse_url(url))
    try:
        hub.whoami(conn)
        return hub.proposals(conn, decided=decided)
    finally:
        conn.close()


def decide(manager_url: str, proposal_id: int, keep: str,
           values: dict[str, str] | None = None, *, revision: str | None = None) -> Proposal:
    """Settle one proposal: keep ``hub``, ``proposed`` or ``merged`` (``values`` set fields).

    Keeping ``proposed`` or ``merged`` needs the ``revision`` the listing showed: a proposal
    changed since then is refused."""
    conn = connect(parse_url(manager_url))
    try:
        return hub.decide(conn, proposal_id, keep, values, revision=revision)
    finally:
        conn.close()


def join(project: str | Path, url: str) -> tuple[str, str, str | None]:
    """Make ``project`` (created if missing) a member's copy; returns (role name, role, kept).

    A password in ``url`` is kept in the keyring or a libpq password file (``kept`` says
    where), never in the project.
    """
    addr = parse_url(url)
    conn = connect(addr)
    try:
        name, role, _blind = hub.whoami(conn)
    finally:
        conn.close()
    if role is None:
        raise TeamError(f"'{name}' is not a member of the team in {addr.database}.",
                        "Ask the team's manager to run `stancemark team add-coder`.")
    kept = store_password(addr, addr.password) if addr.password else None
    with open_project(project, create=True) as store:
        local.set_team(store, addr.as_user(addr.user, None).url(), role)
    return name, role, kept


def sync(store: Store, progress: ProgressCallback = no_progress,
         cancel: CancelFlag | None = None) -> SyncReport:
    """Push this member's changes, then pull what changed at the hub."""
    started = time.perf_counter()
    settings = local.team_settings(store)
    if not settings[local.TEAM_URL]:
        raise TeamError(f"{store.path or 'This project'} is not part of a team.",
                        "Run `stancemark team join PROJECT URL` first.")
    addr = parse_url(str(settings[local.TEAM_URL]))
    progress(ProgressEvent(0, 3, "connecting"))
    conn = connect(addr)
    try:
        name, role, _blind = hub.whoami(conn)
        if role is None:
            raise HubRefusedError(f"'{name}' is no longer a member of the team.",
                                  "Ask the team's manager to add you again.")
        report = SyncReport(role=role)
        if role != settings[local.TEAM_ROLE]:
            local.set_team(store, str(settings[local.TEAM_URL]), role)
        annotators = [name, GOLD_ANNOTATOR] if role == "curator" else [name]
        batch, top = local.local_changes(store, annotators, pushed_kinds(role))
        if role != "manager":  # only a manager publishes articles: a proposal needs no text
            for row in batch.rows.get("articles", []):
                row.pop("text", None)
        progress(ProgressEvent(1, 3, f"pushing {len(batch)} change(s)"))
        if cancel:
            cancel.check()
        refused: dict[str, list[str]] = {}
        cursor = str(settings[local.PULL_CURSOR] or hub.START)
        if len(batch):
            result = hub.push(conn, batch, cursor=cursor, me=name, role=role)
            report.pushed, refused = result.sent, result.refused
            report.refused = {kind: len(keys) for kind, keys in refused.items()}
        local.mark_pushed(store, top)
        progress(ProgressEvent(2, 3, "pulling"))
        if cancel:
            cancel.check()
        pulled, cursor = hub.pull(conn, cursor, also=refused)
        applied = local.apply_pulled(store, pulled, cursor)
        report.pulled, report.deleted, report.skipped = (applied.changed, applied.deleted,
                                                         applied.skipped)
        report.assigned, report.unassigned = applied.assigned, applied.unassigned
        if applied.assigned or applied.unassigned:
            report.queue = len(team_status.queue_articles(store) or [])
        report.decided = [f"#{p.id} {p.label}: {p.decided_by} kept {p.kept}"
                          for p in pulled.decided]
        progress(ProgressEvent(3, 3, "done"))
    finally:
        conn.close()
    report.seconds = time.perf_counter() - started
    return report
