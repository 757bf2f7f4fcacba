"""Team sync as the window sees it: one sync on a second connection, and the state to show
(issue 17).

:func:`sync_now` is the long job the window runs off its thread: it syncs through a
second connection to the project (the analyst keeps editing through the first), turns
a connection lost half-way into :class:`~stancemark.core.errors.HubOfflineError`, and
remembers when the last good sync ended. :func:`team_state` and :func:`status_text` say
what the status bar shows: "Synced 2 min ago · 3 to send".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from stancemark.core.errors import TeamError
from stancemark.core.progress import CancelFlag, ProgressCallback, no_progress
from stancemark.core.team import GOLD_ANNOTATOR, waiting_kinds
from stancemark.services import team
from stancemark.store import Store
from stancemark.store import team as local
from stancemark.store import team_status as kept
from stancemark.store.project import now, open_alongside
from stancemark.sync.connection import lost_connection


@dataclass(frozen=True, slots=True)
class TeamState:
    """A team project's state for the status bar and the article list."""

    member: str
    role: str
    #: local changes a sync would send
    pending: int
    #: when the last sync without an error ended (UTC, ISO 8601); None: never
    synced_at: str | None
    #: articles assigned to this member that this project holds (None: not read yet)
    queue_total: int | None
    queue_todo: int


def team_state(store: Store) -> TeamState | None:
    """The state of ``store`` as a team project; None if it has not joined a team."""
    member = local.member_name(store)
    if member is None:
        return None
    role = store.get_meta(local.TEAM_ROLE) or "coder"
    queued = kept.queue_articles(store)
    if queued is None:
        total, todo = None, 0
    else:
        total, todo = len(queued), sum(1 for _id, status in queued if status != "done")
    return TeamState(member, role, pending_changes(store, member, role), kept.synced_at(store),
                     total, todo)


def pending_changes(store: Store, member: str, role: str) -> int:
    """How many local changes the next sync would send (what this role may push)."""
    pulled_once = store.get_meta(local.PULL_CURSOR) not in (None, "0")
    tables = waiting_kinds(role, pulled_once)
    annotators = [member, GOLD_ANNOTATOR] if role == "curator" else [member]
    return kept.pending_count(store, tables, annotators)


def queue_article_ids(store: Store) -> list[int]:
    """Ids of the articles in this member's queue that the project holds."""
    return [article_id for article_id, _status in kept.queue_articles(store) or []]


def sync_now(store: Store, progress: ProgressCallback = no_progress,
             cancel: CancelFlag | None = None) -> team.SyncReport:
    """Sync ``store``'s project through a second connection; for a worker thread.

    Raises :class:`~stancemark.core.errors.HubOfflineError` when the hub cannot be
    reached or the connection drops, :class:`~stancemark.core.errors.HubRefusedError`
    when it refuses this member, and another :class:`TeamError` for anything else the hub
    refuses. Nothing is half-applied in any case.
    """
    twin = open_alongside(store)
    try:
        try:
            report = team.sync(twin, progress, cancel)
        except TeamError:
            raise
        except Exception as exc:
            offline = lost_connection(exc)
            if offline is None:
                raise
            raise offline from None
        kept.set_synced_at(twin, now())
        return report
    finally:
        if twin is not store:
            twin.close()


def ago(stamp: str | None, at: datetime | None = None) -> str:
    """How long ago ``stamp`` was, in the words of a status bar ("2 min ago")."""
    if not stamp:
        return "never"
    try:
        then = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return "at an unknown time"
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    seconds = ((at or datetime.now(UTC)) - then).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "yesterday" if days == 1 else f"{days} days ago"


def status_text(state: TeamState, *, syncing: bool = False, offline: bool = False,
                refused: bool = False, at: datetime | None = None) -> str:
    """The status bar's words for a team project: "Synced 2 min ago · 3 to send"."""
    if syncing:
        head = "Syncing…"
    elif refused:
        head = "Sync refused"
    elif offline:
        head = "Offline"
    elif state.synced_at is None:
        head = "Not synced yet"
    else:
        head = f"Synced {ago(state.synced_at, at)}"
    send = f"{state.pending} to send" if state.pending else "nothing to send"
    return f"{head} · {send}"


def queue_text(state: TeamState) -> str:
    """The queue button's words: "My queue: 12 to do" (or all done)."""
    if state.queue_total is None:
        return "My queue"
    if state.queue_total and not state.queue_todo:
        return f"My queue: all {state.queue_total} done"
    return f"My queue: {state.queue_todo} to do"


__all__ = ["TeamState", "ago", "pending_changes", "queue_article_ids",
           "queue_text", "status_text", "sync_now", "team_state"]
