"""The annotation window: article list, article view and tagging panel, keyboard first.

The window composes; it does no tagging, drawing or file handling itself. It
lays out the panels, builds the menus from ``ui/actions.py`` and connects each
action to the controller whose job it is: :class:`TaggingController` (tagging
edits), :class:`ArticlePresenter` (what the article view shows),
:class:`ArticleNavigator` (which article is open), :class:`ProjectFiles`
(projects and imports), :class:`MergeFlow` (merges) and
:class:`SuggestionsController` (suggestions). The panels redraw from the
session's one ``changed`` broadcast; long jobs share one :class:`JobSlot`, which
locks the window while one runs. What stays here is the window's own state:
whether editing is on (the banner says why not), the status bar, geometry,
the dialogs it opens, and closing.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from stancemark import APP_NAME, __version__
from stancemark.core.changes import ChangeKind
from stancemark.core.models import STATUS_LABELS
from stancemark.services import team_status
from stancemark.services.edits import Change
from stancemark.services.session import team_annotator
from stancemark.store import Store
from stancemark.ui.actions import (
    WindowActions,
    build_menus,
    exact_selection_modifier,
    shortcut_overrides,
    swap_scale_actions,
)
from stancemark.ui.actor_picker import ActorPickerPopup
from stancemark.ui.article_list import ArticleListPanel
from stancemark.ui.article_navigator import ArticleNavigator
from stancemark.ui.article_presenter import ArticlePresenter
from stancemark.ui.article_view import ArticleView
from stancemark.ui.export_dialog import ExportDialog, selected_article_ids
from stancemark.ui.merge_flow import MergeFlow
from stancemark.ui.project_banner import NoticeBar, ProjectBanner
from stancemark.ui.project_files import ProjectFiles
from stancemark.ui.session import ProjectSession
from stancemark.ui.shortcut_sheet import ShortcutSheetDialog
from stancemark.ui.shortcuts import let_through
from stancemark.ui.span_highlighter import HighlightSpan
from stancemark.ui.suggestions_view import SuggestionsController
from stancemark.ui.tagging_controller import TaggingController
from stancemark.ui.tagging_panel import TaggingPanel
from stancemark.ui.tasks import JobSlot
from stancemark.ui.team_sync import SyncBanner, TeamSync

#: what a pull brought, as the kinds of change the views refresh (a curator's decisions
#: settle units of every annotation layer)
_PULLED_KINDS: dict[str, tuple[str, ...]] = {
    "articles": ("articles",), "actor_types": ("codebook",), "categories": ("codebook",),
    "scale": ("codebook",), "actors": ("actors",), "mentions": ("mentions",),
    "claims": ("claims",), "article_sentiments": ("sentiment",),
    "actor_sentiments": ("sentiment",), "adjudications": ("mentions", "claims", "sentiment")}

#: the first window's size on a screen with room for it
FIRST_SIZE = QSize(1400, 860)
#: room for the window manager's frame and title bar around the window's contents
FRAME_ALLOWANCE = QSize(16, 48)


def first_geometry(available: QRect) -> QRect:
    """Where the window first opens: the top-left of its frame and the size of its contents.

    :data:`FIRST_SIZE`, or less so that it fits ``available`` (the screen less its
    panels) with its frame, centred. The top-left is for :meth:`QWidget.move`, which
    places the frame, so the title bar never starts above the screen.
    """
    size = FIRST_SIZE.boundedTo(available.size() - FRAME_ALLOWANCE)
    spare = available.size() - size - FRAME_ALLOWANCE
    return QRect(QPoint(available.left() + spare.width() // 2,
                        available.top() + spare.height() // 2), size)


class MainWindow(QMainWindow):
    """One project in one window."""

    import_finished = Signal(object)  # ImportReport
    shortcut_sheet_shown = Signal()
    #: a big project's background integrity check failed (emitted from its thread)
    integrity_failed = Signal(str)

    def __init__(self, store: Store, annotator: str | None = None, *,
                 owns_store: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from stancemark.ui.qt_app import settings

        self.settings = settings()
        # a team project's edits are its member's (team sync sends that annotator's)
        annotator = annotator or team_annotator(store) \
            or str(self.settings.value("annotator", "") or "") or getpass.getuser()
        self.store = store
        self.owns_store = owns_store
        self.persist_state = True
        self.session = ProjectSession(store, annotator, self)
        self.window_actions = WindowActions(self, self.session.codebook,
                                            shortcut_overrides(self.settings))
        self.last_message = ""
        self.jobs = JobSlot(self)
        self.merge_flow = MergeFlow(store, self, jobs=self.jobs,
                                    on_merged=self._on_merge_flow_merged)
        self.export_dialog: ExportDialog | None = None
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self._update_title()
        self._build_panels()
        self._build_status_bar()
        self.menus, recent_menu = build_menus(self.menuBar(), self.window_actions, self)
        self.tagging = TaggingController(self.session, self.article_view, self.tagging_panel,
                                         self.actor_picker, self.show_message, self)
        self.project_files = ProjectFiles(self, store, self.jobs, recent_menu,
                                          annotator=lambda: self.session.annotator,
                                          show_message=self.show_message,
                                          show_notice=self.notice.show_notice)
        self.team_sync = TeamSync(store, self.settings, self.sync_banner, self.show_message,
                                  self, may_start=lambda: not self.jobs.busy)
        self.statusBar().insertPermanentWidget(0, self.team_sync.label)
        # an import or merge asked for during a sync starts when the sync ends
        self.jobs.wait_for(lambda: self.team_sync.running, self.team_sync.ended)
        self._close_after_sync = False
        self._connect_actions()
        self._connect()
        self._update_queue()
        if store.integrity_check is not None:
            store.integrity_check.add_listener(self._on_integrity_check_done)
        self._apply_read_only()
        self._restore_state()
        self.navigator.open_first()
        # the analyst's keys go to the article: letters tag, digits set values
        self.article_view.text_edit.setFocus()
        if store.repairs:
            self.show_message("Repaired on opening: " + "; ".join(store.repairs) + ".")

    # -- construction ------------------------------------------------------------------
    def _build_panels(self) -> None:
        self.banner = ProjectBanner(self.store, self)
        self.notice = NoticeBar(self)
        self.sync_banner = SyncBanner(self)
        self.article_list = ArticleListPanel(self.store, self)
        self.article_view = ArticleView(self)
        self.tagging_panel = TaggingPanel(self.session, self)
        self.suggestions = SuggestionsController(self.session, self.article_view.text_edit,
                                                 self.show_message, self)
        self.article_presenter = ArticlePresenter(self.session, self.article_view,
                                                  self.suggestions, self)
        self.navigator = ArticleNavigator(self.session, self.article_list, self.article_view,
                                          self.settings, self.show_message, self)
        self.article_view.text_edit.key_actions = self.window_actions.text_keys
        self.article_view.text_edit.exact_modifier = exact_selection_modifier(self.settings)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        for widget in (self.article_list, self.article_view, self.tagging_panel):
            self.splitter.addWidget(widget)
        for index, stretch in enumerate((2, 5, 3)):
            self.splitter.setStretchFactor(index, stretch)
        self.splitter.setSizes([420, 560, 460])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.sync_banner)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._central = central
        self.actor_picker = ActorPickerPopup(self)

    def _build_status_bar(self) -> None:
        self.annotator_label = QLabel(self)
        self.annotator_label.setObjectName("annotatorLabel")
        self.article_status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.article_status_label)
        self.statusBar().addPermanentWidget(self.annotator_label)
        self._update_annotator_label()

    def _connect_actions(self) -> None:
        tagging, files, suggestions = self.tagging, self.project_files, self.suggestions
        nav = self.navigator
        stack = self.session.undo_stack
        handlers: dict[str, Callable[[], object]] = {
            "new_project": files.new_project, "open_project": files.open_project,
            "import_files": files.import_files, "import_folder": files.import_folder,
            "import_urls": files.import_urls,
            "export_annotations": self.show_export_dialog,
            "merge_set": self.merge_flow.choose_and_merge, "quit": self.close,
            "undo": stack.undo, "redo": stack.redo,
            "delete_annotation": tagging.delete, "find": self.article_list.focus_search,
            "clear_selection": tagging.clear_selection,
            "tag_actor": tagging.tag_actor, "tag_claim": tagging.tag_claim,
            "pick_claimant": partial(tagging.pick_claim_actor, "claimant"),
            "pick_target": partial(tagging.pick_claim_actor, "target"),
            "pick_category": tagging.pick_category, "edit_note": tagging.edit_note,
            "respan": tagging.respan,
            "end_right": partial(tagging.adjust_span, "end", 1),
            "end_left": partial(tagging.adjust_span, "end", -1),
            "start_left": partial(tagging.adjust_span, "start", -1),
            "start_right": partial(tagging.adjust_span, "start", 1),
            "clear_value": partial(tagging.set_value, None),
            "next_article": partial(nav.go_to_neighbour, 1),
            "previous_article": partial(nav.go_to_neighbour, -1),
            "next_unfinished": partial(nav.go_to_neighbour, 1, unfinished=True),
            "status_new": partial(self.set_status, "new"),
            "status_in_progress": partial(self.set_status, "in_progress"),
            "status_done": partial(self.set_status, "done"),
            "switch_annotator": self._on_switch_annotator,
            "actor_registry": self.show_actor_registry, "codebook": self.show_codebook,
            "analysis": self.show_analysis, "agreement": self.show_agreement,
            "curation": self.show_curation,
            "shortcut_sheet": self.show_shortcut_sheet, "about": self._on_about,
            "sync_now": self.team_sync.sync_now, "show_queue": self._on_show_queue,
            "accept_suggestion": suggestions.accept,
            "accept_all_suggestions": suggestions.accept_all,
            "dismiss_suggestion": suggestions.dismiss,
            "next_suggestion": partial(suggestions.step, 1),
            "previous_suggestion": partial(suggestions.step, -1),
        }
        for name, handler in handlers.items():
            self.window_actions[name].triggered.connect(lambda _c=False, h=handler: h())
        self._connect_scale_actions()
        self.window_actions.follow_undo_stack(self.session.undo_stack)
        team = self.team_sync.active
        for name in ("sync_now", "show_queue"):
            self.window_actions[name].setEnabled(team)
            if not team:
                self.window_actions[name].setStatusTip(
                    "Only for a team project: join one with `stancemark team join PROJECT URL`")
        # a text field keeps its plain keys, but window keys with Ctrl or Alt (undo, export,
        # article sentiment …) work from it as from anywhere else
        window_keys = self.window_actions.modified_keys()
        for field in (self.article_list.search_edit, self.tagging_panel.claim_editor.note_edit):
            let_through(field, window_keys)

    def _connect_scale_actions(self) -> None:
        for point in self.session.codebook.scale:
            for name, handler in (
                    (f"value_{point.value}", partial(self.tagging.set_value, point.value)),
                    (f"article_{point.value}",
                     partial(self.tagging.set_article_value, point.value))):
                self.window_actions[name].triggered.connect(lambda _c=False, h=handler: h())

    def _rebuild_scale_actions(self) -> None:
        """The codebook's scale changed: swap in actions (and keys) for its new values."""
        swap_scale_actions(self.window_actions, self.session.codebook, self.menus, self)
        self._connect_scale_actions()
        self._apply_read_only()

    def _connect(self) -> None:
        s = self.session
        s.article_opened.connect(self._on_session_article_opened)
        s.changed.connect(self._on_session_changed)
        s.failed.connect(self.show_message)
        s.annotator_changed.connect(lambda _n: self._update_annotator_label())
        self.jobs.busy_changed.connect(self._on_jobs_busy_changed)
        self.merge_flow.merge_failed.connect(self.show_message)
        self.project_files.articles_imported.connect(self.navigator.reload_list)
        self.project_files.import_finished.connect(self.import_finished)
        self.integrity_failed.connect(self._on_store_integrity_failed)
        self.team_sync.synced.connect(self._on_team_sync_synced)
        self.team_sync.ended.connect(self._on_team_sync_ended)
        self.article_list.queue_button.toggled.connect(self._on_article_list_queue_toggled)
        back_to_text = self.article_view.text_edit.setFocus
        self.article_list.leave_requested.connect(back_to_text)
        self.tagging_panel.claim_editor.done.connect(back_to_text)

    # -- read-only, damaged, busy ----------------------------------------------------------
    def _on_integrity_check_done(self, check: object) -> None:
        # runs on the checking thread: only hand over to the UI thread through the signal
        if getattr(check, "state", "") == "failed":
            try:
                self.integrity_failed.emit(getattr(check, "detail", ""))
            except RuntimeError:  # the window is already gone
                pass

    def _on_store_integrity_failed(self, detail: str) -> None:
        self.banner.damage = detail or "no detail"
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        for action in self.window_actions.editing:
            action.setEnabled(not self.banner.editing_off)
        self.banner.refresh()

    def _on_jobs_busy_changed(self, busy: bool) -> None:
        """Lock the window (and every edit) while a long job writes to the project."""
        self._central.setEnabled(not busy)
        for action in self.window_actions.editing:
            action.setEnabled(not busy)
        if not busy:
            self._apply_read_only()
            # locking took the keyboard from the text (a disabled widget loses focus)
            self.article_view.text_edit.setFocus()

    # -- window state ------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            screen = self.screen()
            # a work area not yet announced by the window manager is empty: use the screen
            area = screen.availableGeometry().intersected(screen.geometry())
            first = first_geometry(area if area.height() >= 300 else screen.geometry())
            self.resize(first.size())
            self.move(first.topLeft())
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        sizes = self.settings.value("window/splitter")
        if isinstance(sizes, QByteArray):
            self.splitter.restoreState(sizes)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.navigator.remember()
        self.settings.sync()

    # -- articles ---------------------------------------------------------------------------
    def open_article(self, article_id: int) -> None:
        self.navigator.open_article(article_id)

    def spans(self) -> list[HighlightSpan]:
        """Highlight spans of the open article (see :meth:`ArticlePresenter.spans`)."""
        return self.article_presenter.spans()

    def _on_session_article_opened(self, _article: object) -> None:
        self._update_status_label()
        self._update_title()

    def _on_session_changed(self, change: Change) -> None:
        if "codebook" in change.kinds:
            self._rebuild_scale_actions()
        if change.articles:
            self.article_list.model.refresh_articles(change.articles)
        self._update_status_label()
        if self.team_sync.active:
            if "status" in change.kinds or "articles" in change.kinds:
                self.team_sync.reload_state()
                self._update_queue()
            else:
                self.team_sync.refresh(reread=True)

    def set_status(self, status: str) -> None:
        art = self.session.article
        if art is not None and art.status != status:
            self.session.perform(self.session.service.set_status(art.id, status))

    def _on_merge_flow_merged(self, report: object) -> None:
        # the merge wrote outside the undo stack: earlier steps no longer match the project
        change: Change = report.change  # type: ignore[attr-defined]
        art = self.session.article
        if art is not None:
            change = Change(frozenset({art.id}), change.kinds)
        self.session.record(change, forget_history=True)
        self.navigator.reload_list()
        backup = getattr(report, "backup", None)
        self.show_message("Merge finished; it is not on the undo stack, which was cleared"
                          + (f" (a copy of the project was kept: {backup})." if backup else "."))

    # -- team sync (ui/team_sync.py) ---------------------------------------------------------
    def sync_now(self) -> bool:
        """Start a team sync off the UI thread; False if none started."""
        return self.team_sync.sync_now()

    def _on_team_sync_synced(self, report: object) -> None:
        """A sync brought rows from the hub: every view shows them."""
        pulled = {**getattr(report, "pulled", {}), **getattr(report, "deleted", {})}
        if pulled:
            kinds = {ChangeKind(kind) for k in pulled for kind in _PULLED_KINDS.get(k, ())}
            art = self.session.article
            change = Change(frozenset({art.id}) if art is not None else frozenset(),
                            frozenset(kinds))
            # rows deleted (a decision here replaced by the hub's counts) or a codebook
            # changed under the history: undoing older steps could bring back what the team
            # removed, or undo a row the pull wrote in place of one the step knew
            forget = bool(getattr(report, "deleted", {})) or "codebook" in kinds
            self.session.record(change, forget_history=forget)
            if "articles" in kinds:
                self.navigator.reload_list()
            else:  # the rows in place: the list keeps its scroll position and selection
                self.article_list.model.refresh_articles(self.article_list.model.loaded_ids())
        self._update_queue()

    def _on_team_sync_ended(self) -> None:
        if self._close_after_sync:
            self.close()

    def _update_queue(self) -> None:
        state = self.team_sync.state
        if state is None:
            self.article_list.set_queue(None, "", "")
            return
        ids = team_status.queue_article_ids(self.store)
        total = state.queue_total
        tip = ("The articles the team's manager assigned to you "
               + (f"({total}: {state.queue_todo} to do, {total - state.queue_todo} done). "
                  if total is not None else "(known after the first sync). ")
               + "Team › Show My Queue (Ctrl+Shift+M).")
        self.article_list.set_queue(ids, team_status.queue_text(state), tip)

    def _on_show_queue(self) -> None:
        self.article_list.queue_button.toggle()

    def _on_article_list_queue_toggled(self, checked: bool) -> None:
        self.window_actions["show_queue"].setText(
            "Show &Every Article" if checked else "Show &My Queue")

    # -- status bar, title, messages ---------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.last_message = text
        self.statusBar().showMessage(text, 10000)

    def _update_annotator_label(self) -> None:
        self.annotator_label.setText(f"Annotator: <b>{self.session.annotator}</b>")
        self.annotator_label.setToolTip("Stored with every annotation you make. "
                                        "Switch it in View › Switch Annotator.")

    def _update_status_label(self) -> None:
        art = self.session.article
        self.article_status_label.setText(
            f"Status: {STATUS_LABELS.get(art.status, art.status)}" if art else "")

    def _update_title(self) -> None:
        name = self.store.path.name if self.store.path else "(in memory)"
        ro = " [read-only]" if self.store.read_only else ""
        self.setWindowTitle(f"{name}{ro} — {APP_NAME}")

    def _on_switch_annotator(self) -> None:
        name, ok = QInputDialog.getText(self, "Annotator", "Who is annotating?",
                                        text=self.session.annotator)
        if ok and name.strip():
            self.set_annotator(name)

    def set_annotator(self, name: str) -> None:
        self.session.set_annotator(name)
        self.settings.setValue("annotator", self.session.annotator)
        self.tagging_panel.refresh()

    # -- dialogs ------------------------------------------------------------------------------
    def show_actor_registry(self) -> QDialog:
        from stancemark.ui.actor_registry_dialog import ActorRegistryDialog

        return self._show_dialog(ActorRegistryDialog(self.session, self))

    def show_analysis(self) -> QDialog:
        from stancemark.ui.analysis_view import AnalysisDialog

        return self._show_dialog(AnalysisDialog(self.session, self))

    def show_agreement(self) -> QDialog:
        from stancemark.ui.agreement_view import AgreementDialog

        return self._show_dialog(AgreementDialog(self.session, self))

    def show_curation(self) -> QWidget:
        from stancemark.ui.curation_view import open_curation

        return open_curation(self)

    def show_codebook(self) -> QDialog:
        from stancemark.ui.codebook_dialog import CodebookDialog

        return self._show_dialog(CodebookDialog(self.session, self))

    def show_shortcut_sheet(self) -> ShortcutSheetDialog:
        dialog = ShortcutSheetDialog(self.window_actions, self,
                                     exact=self.article_view.text_edit.exact_modifier)
        self._show_dialog(dialog)
        self.shortcut_sheet = dialog
        self.shortcut_sheet_shown.emit()
        return dialog

    def _show_dialog(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _on_about(self) -> None:
        QMessageBox.about(self, APP_NAME, f"<b>{APP_NAME}</b> {__version__}<br>"
                          "Annotate actors, claims and sentiment in news articles.<br>"
                          "MIT licence.")

    def show_export_dialog(self) -> ExportDialog:
        rows = self.article_list.table.selectionModel().selectedRows()
        ids = [i for r in rows if (i := self.article_list.model.article_id(r.row())) is not None]
        art = self.session.article
        dialog = ExportDialog(self.store, selected_article_ids(ids, art.id if art else None),
                              self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "export_dialog", None))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    # -- files (ui/project_files.py) --------------------------------------------------------
    def import_paths(self, paths: list[Path]) -> None:
        """Import files/folders on a worker thread; the window is locked until it ends."""
        self.project_files.import_paths(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.project_files.accepts_drop(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.project_files.dropped(event.mimeData()):
            event.acceptProposedAction()

    # -- screenshot and closing -------------------------------------------------------------------
    def prepare_screenshot(self) -> None:
        """Open the first article with annotations and select one claim (or mention)."""
        self.navigator.show_an_annotated_article()

    def closeEvent(self, event: QCloseEvent) -> None:
        exporting = self.export_dialog is not None and self.export_dialog.runner is not None
        if self.jobs.busy or exporting:
            if self.jobs.busy:
                self.jobs.cancel()
            what = self.jobs.what if self.jobs.busy else "export"
            if exporting and self.export_dialog is not None:
                self.export_dialog.reject()  # cancels the export, closes once it stopped
            self.show_message(f"Waiting for the {what} to stop…")
            event.ignore()
            return
        if not self.team_sync.shutdown():
            # the sync has its own connection to the project: it ends before the project closes
            self._close_after_sync = True
            self.show_message("Waiting for the team sync to stop…")
            event.ignore()
            return
        if self.persist_state:
            self.save_state()
        self.shutdown()
        super().closeEvent(event)
        if self.owns_store:
            self.store.close()

    def shutdown(self) -> None:
        """Stop everything that would read or write the project later: the window is closing.

        A note typed but not saved is saved first. Then the dialogs close, the search and
        suggestion timers stop, the suggestion worker is waited for, and the session
        refuses further edits (focus leaving a field as the window hides would otherwise
        save into a closed project). Whoever closes the store calls this first; closing
        the window does.
        """
        if self.session.closed:
            return
        self.tagging_panel.claim_editor.save_note()
        for dialog in self.findChildren(QDialog):
            dialog.close()
        self.article_list.stop()
        self.team_sync.shutdown(wait=True)
        self.suggestions.shutdown()
        self.session.close()
