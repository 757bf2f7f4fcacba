"""Team sync in the window: the Sync action's job, the automatic sync, the status bar item
and the banner when the hub cannot be reached or refuses (issue 17).

A sync runs on the thread pool through :func:`services.team_status.sync_now`, which
uses its own connection to the project, so the analyst goes on tagging while it runs;
the window is never locked and no dialog opens. One sync runs at a time: a request
while one runs is dropped. The automatic sync runs shortly after opening, then every
few minutes while there is something to send (and now and then to fetch the team's
work), and again soon after the hub was unreachable; it stops asking after a refusal
(a wrong password would only fail again) until the analyst syncs by hand.
"""

from __future__ import annotations

import html
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QRunnable, QSettings, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from stancemark.core.errors import HubOfflineError, HubRefusedError, StancemarkError
from stancemark.core.progress import CancelFlag, ProgressEvent
from stancemark.services import team_status
from stancemark.services.team import SyncReport
from stancemark.store import Store
from stancemark.ui.project_banner import NoticeBar

#: settings: minutes between automatic syncs (0: only by hand), and a sync on opening
AUTO_MINUTES_KEY, ON_OPEN_KEY = "team/auto_sync_minutes", "team/sync_on_open"
AUTO_MINUTES = 5
#: without local changes, fetch the team's work every this many automatic periods
PULL_EVERY = 3
#: the first automatic sync, after the window has opened
ON_OPEN_DELAY_MS = 1500

OFFLINE_TEXT = "Offline: your work is kept here and sent on the next sync."


class SyncBanner(NoticeBar):
    """The bar saying the hub is unreachable or refused, with a button to try again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncBanner")
        self.retry_button = QToolButton(self)
        self.retry_button.setText("Sync Now")
        self.retry_button.setObjectName("syncRetry")
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.insertWidget(layout.count() - 1, self.retry_button)  # before the close button
        #: "offline", "refused" or "failed" while shown
        self.kind = ""

    def show_problem(self, kind: str, text: str, details: str = "") -> None:
        self.kind = kind
        self.label.setText(text)
        self.label.setToolTip(details)
        self.setVisible(True)

    def clear(self) -> None:
        self.kind = ""
        self.setVisible(False)


class _SyncSignals(QObject):
    progress = Signal(str)
    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # the exception


class _SyncJob(QRunnable):
    """One sync on a pool thread; its outcome comes back as one signal."""

    def __init__(self, store: Store, cancel: CancelFlag) -> None:
        super().__init__()
        self.store, self.cancel = store, cancel
        self.signals = _SyncSignals()
        self.done = threading.Event()
        self.setAutoDelete(False)  # kept until its signals are delivered

    def run(self) -> None:
        def progress(event: ProgressEvent) -> None:
            self.signals.progress.emit(event.message)

        try:
            report = team_status.sync_now(self.store, progress, self.cancel)
        except StancemarkError as exc:
            self.signals.failed.emit(exc)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the analyst
            exc.add_note(traceback.format_exc(limit=3))
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(report)
        finally:
            self.done.set()


class TeamSync(QObject):
    """Runs syncs for a team project and keeps the status bar item and the banner true.

    ``synced(report)`` follows a good sync (the window refreshes what it pulled);
    ``ended()`` follows every sync, good or not.
    """

    synced = Signal(object)  # SyncReport
    ended = Signal()

    def __init__(self, store: Store, settings: QSettings, banner: SyncBanner,
                 show_message: Callable[[str], None], parent: QObject | None = None,
                 may_start: Callable[[], bool] = lambda: True) -> None:
        super().__init__(parent)
        self.store = store
        self.banner = banner
        self.show_message = show_message
        self.may_start = may_start
        self.label = QLabel()
        self.label.setObjectName("syncStatus")
        self.state = team_status.team_state(store)
        self.job: _SyncJob | None = None
        self.cancel_flag: CancelFlag | None = None
        #: what the last sync ended as: "", "ok", "offline", "refused" or "failed"
        self.outcome = ""
        self.last_report: SyncReport | None = None
        self._manual = False
        self._automatic_runs = 0
        self._closed = False
        minutes = _number(settings.value(AUTO_MINUTES_KEY, AUTO_MINUTES), AUTO_MINUTES)
        self.period_ms = int(minutes * 60_000)
        self._auto = QTimer(self)
        self._auto.setSingleShot(True)
        self._auto.timeout.connect(self._on_auto_timeout)
        self._clock = QTimer(self)  # "2 min ago" moves on
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self.refresh)
        banner.retry_button.clicked.connect(lambda: self.sync_now())
        if self.active:
            self._clock.start()
            on_open = str(settings.value(ON_OPEN_KEY, "true")).lower() not in ("false", "0")
            if store.read_only:
                pass  # a read-only project never syncs: nothing to arm
            elif on_open:
                self._auto.start(ON_OPEN_DELAY_MS)
            else:
                self._schedule()
        self.label.setVisible(self.active)
        self.refresh()

    @property
    def active(self) -> bool:
        """Whether the project has joined a team (else this does nothing)."""
        return self.state is not None

    @property
    def running(self) -> bool:
        return self.job is not None

    # -- starting ----------------------------------------------------------------
    def sync_now(self, *, automatic: bool = False) -> bool:
        """Start a sync; False if none could start (not a team, one running, read-only)."""
        if not self.active or self.running or self._closed:
            return False
        if self.store.read_only:
            if not automatic:
                self.show_message("This project is open read-only: it cannot sync.")
            return False
        if not self.may_start():
            if not automatic:
                self.show_message("Wait for the import or merge to finish, then sync.")
            return False
        self._auto.stop()
        self._manual = not automatic
        self.cancel_flag = CancelFlag()
        job = _SyncJob(self.store, self.cancel_flag)
        job.signals.progress.connect(self._on_job_progress)
        job.signals.finished.connect(self._on_job_finished)
        job.signals.failed.connect(self._on_job_failed)
        self.job = job
        self.refresh()
        QThreadPool.globalInstance().start(job)
        return True

    def _on_auto_timeout(self) -> None:
        self.state = team_status.team_state(self.store)
        wanted = (self.state is not None and (
            self.state.pending > 0 or self.outcome in ("", "offline", "failed")
            or self._automatic_runs % PULL_EVERY == 0))
        self._automatic_runs += 1
        if not (wanted and self.sync_now(automatic=True)):
            self._schedule()

    def _schedule(self) -> None:
        """Arm the next automatic sync (none after a refusal, nor when turned off)."""
        if self._closed or not self.active or self.period_ms <= 0 or self.outcome == "refused":
            return
        self._auto.start(self.period_ms)

    # -- outcomes ------------------------------------------------------------------
    def _on_job_progress(self, message: str) -> None:
        self.label.setToolTip(f"Syncing: {message}")

    def _finish(self, outcome: str) -> None:
        self.job = None
        self.cancel_flag = None
        self.outcome = outcome
        if not self._closed:  # else the project may be closed already
            self.state = team_status.team_state(self.store)
            self.refresh()
            self._schedule()
        self.ended.emit()

    def _on_job_finished(self, report: SyncReport) -> None:
        self.last_report = report
        if self._closed:
            self._finish("ok")
            return
        self.banner.clear()
        manual = self._manual
        self._finish("ok")
        if manual:
            fetched = sum(report.pulled.values()) + sum(report.deleted.values())
            self.show_message(f"Synced: {report.pushed} change(s) sent, {fetched} fetched "
                              f"in {report.seconds:.1f} s.")
        self.synced.emit(report)

    def _on_job_failed(self, exc: BaseException) -> None:
        if self._closed:
            self._finish("failed")
            return
        text = str(exc)
        if isinstance(exc, HubOfflineError):
            kind, shown = "offline", html.escape(OFFLINE_TEXT)
        elif isinstance(exc, HubRefusedError):
            kind = "refused"
            shown = (f"<b>Sync refused:</b> {html.escape(text, quote=False)} Your work is "
                     "kept here; sync again once that is fixed.")
        else:
            kind = "failed"
            first = text.splitlines()[0] if text else ""
            shown = (f"<b>Sync failed:</b> {html.escape(first, quote=False)} Your work is "
                     "kept here; the next sync tries again.")
        self.banner.show_problem(kind, shown, _details(exc))
        self._finish(kind)

    # -- showing ---------------------------------------------------------------------
    def refresh(self, *, reread: bool = False) -> None:
        """Update the status bar item (``reread``: count what waits to be sent again)."""
        if self.state is None:
            return
        if reread:  # after each edit: only the count (the queue changes with a status)
            self.state = replace(self.state, pending=team_status.pending_changes(
                self.store, self.state.member, self.state.role))
        self.label.setText(team_status.status_text(
            self.state, syncing=self.running, offline=self.outcome == "offline",
            refused=self.outcome == "refused"))
        self.label.setMinimumWidth(self.label.sizeHint().width())  # never cut short
        if not self.running:
            where = f" as {self.state.member} ({self.state.role})"
            self.label.setToolTip(f"Team sync{where}. Team › Sync Now (Ctrl+Shift+Y) sends "
                                  "your changes and fetches the team's.")

    def reload_state(self) -> None:
        """Read the whole state again (an article's status changed: the queue's count)."""
        if self.active:
            self.state = team_status.team_state(self.store)
        self.refresh()

    def shutdown(self, *, wait: bool = False) -> bool:
        """Stop the timers and ask a running sync to stop; True if none is running.

        ``wait``: block until a running sync has ended (the project is about to close).
        """
        self._closed = True
        self._auto.stop()
        self._clock.stop()
        if self.cancel_flag is not None:
            self.cancel_flag.cancel()
        if wait and self.job is not None:
            self.job.done.wait(60)
        return not self.running


def _number(value: object, default: float) -> float:
    try:
        return max(0.0, float(str(value)))
    except ValueError:
        return default


def _details(exc: BaseException) -> str:
    notes = "".join(getattr(exc, "__notes__", []) or [])
    return (str(exc) + ("\n\n" + notes if notes else "")
            + f"\n\n({time.strftime('%H:%M:%S')})")
