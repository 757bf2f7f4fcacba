"""The annotation window: article list, article view and tagging panel, keyboard first.

The window owns the layout and turns actions (keys, menus) into service edits
performed through its :class:`ProjectSession`; the panels redraw from the
session's one ``changed`` broadcast. Nothing here writes to the store directly.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from stancemark import APP_NAME, PROJECT_SUFFIX, __version__
from stancemark.core.changes import kinds
from stancemark.core.errors import StancemarkError
from stancemark.core.models import STATUS_LABELS
from stancemark.core.spans import word_step
from stancemark.services.edits import Change, Compound, Edit
from stancemark.store import Store
from stancemark.ui.actions import MENUS, WindowActions
from stancemark.ui.actor_picker import ActorPickerPopup
from stancemark.ui.article_list import ArticleListPanel
from stancemark.ui.article_view import ArticleView, HighlightSpan
from stancemark.ui.describe import describe_claim, describe_mention, short
from stancemark.ui.export_dialog import ExportDialog, selected_article_ids
from stancemark.ui.import_task import ImportController
from stancemark.ui.merge_flow import MergeFlow
from stancemark.ui.session import ProjectSession, Ref
from stancemark.ui.shortcut_sheet import ShortcutSheetDialog
from stancemark.ui.suggestions_view import SuggestionsController
from stancemark.ui.tagging_panel import TaggingPanel

DEFAULT_CLAIM_COLOUR = "#f28e2b"
DEFAULT_ACTOR_COLOUR = "#4e79a7"


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
        annotator = annotator or str(self.settings.value("annotator", "") or "") \
            or getpass.getuser()
        self.store = store
        self.owns_store = owns_store
        self.persist_state = True
        self.session = ProjectSession(store, annotator, self)
        self.window_actions = WindowActions(self, self.session.codebook)
        self.last_message = ""
        self._pending: tuple | None = None
        self._import: ImportController | None = None
        self.merge_flow = MergeFlow(store, self, on_busy=self._set_busy,
                                    on_merged=self._on_merge_flow_merged)
        self.merge_flow.merge_failed.connect(self.show_message)
        self.export_dialog: ExportDialog | None = None
        self._dialogs: list[QWidget] = []
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self._update_title()

        self.banner = QLabel(self)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.article_list = ArticleListPanel(store, self)
        self.article_view = ArticleView(self)
        self.tagging_panel = TaggingPanel(self.session, self)
        self.article_view.text_edit.describe = self._describe_span
        self.suggestions = SuggestionsController(self.session, self.article_view.text_edit,
                                                 self.show_message, self)
        self.article_view.text_edit.addActions(self.window_actions.text_actions)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        for widget in (self.article_list, self.article_view, self.tagging_panel):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([420, 560, 460])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._central = central
        self.actor_picker = ActorPickerPopup(self)

        self.annotator_label = QLabel(self)
        self.annotator_label.setObjectName("annotatorLabel")
        self.article_status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.article_status_label)
        self.statusBar().addPermanentWidget(self.annotator_label)
        self._update_annotator_label()

        self._build_menus()
        self._connect()
        self._integrity_detail: str | None = None
        self.integrity_failed.connect(self._on_store_integrity_failed)
        if store.integrity_check is not None:
            store.integrity_check.add_listener(self._on_integrity_check_done)
        self._apply_read_only()
        self._restore_state()
        self._open_first_article()
        if store.repairs:
            self.show_message("Repaired on opening: " + "; ".join(store.repairs) + ".")

    # -- construction ------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        for name in MENUS:
            menu = bar.addMenu(f"&{name}")
            self.menus[name] = menu
            submenus: dict[str, QMenu] = {}
            for spec in self.window_actions.in_menu(name):
                action = self.window_actions[spec.name]
                if spec.submenu:
                    if spec.submenu not in submenus:
                        submenus[spec.submenu] = menu.addMenu(spec.submenu)
                        menu.addSeparator()
                    submenus[spec.submenu].addAction(action)
                    self.addAction(action)
                    continue
                menu.addAction(action)
                if spec.name == "import_folder":
                    self.recent_menu = menu.addMenu("Open &Recent")
                    self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
                    menu.addSeparator()
                if spec.name in ("merge_set", "redo", "delete_annotation", "edit_note",
                                 "start_right", "next_unfinished"):
                    menu.addSeparator()
            self.addActions(menu.actions())
        handlers: dict[str, Callable[[], object]] = {
            "new_project": self._on_new_project, "open_project": self._on_open_project,
            "import_files": self._on_import_files, "import_folder": self._on_import_folder,
            "export_annotations": self.show_export_dialog,
            "merge_set": self.merge_flow.choose_and_merge, "quit": self.close,
            "undo": self._on_undo, "redo": self._on_redo,
            "delete_annotation": self._on_delete, "find": self.article_list.focus_search,
            "tag_actor": self._on_tag_actor, "tag_claim": self._on_tag_claim,
            "pick_claimant": lambda: self._pick_claim_actor("claimant"),
            "pick_target": lambda: self._pick_claim_actor("target"),
            "pick_category": self._on_pick_category, "edit_note": self._on_edit_note,
            "respan": self._on_respan,
            "end_right": lambda: self._adjust_span("end", 1),
            "end_left": lambda: self._adjust_span("end", -1),
            "start_left": lambda: self._adjust_span("start", -1),
            "start_right": lambda: self._adjust_span("start", 1),
            "clear_value": lambda: self._on_value(None),
            "next_article": lambda: self.go_to_neighbour(1),
            "previous_article": lambda: self.go_to_neighbour(-1),
            "next_unfinished": lambda: self.go_to_neighbour(1, unfinished=True),
            "status_new": lambda: self.set_status("new"),
            "status_in_progress": lambda: self.set_status("in_progress"),
            "status_done": lambda: self.set_status("done"),
            "switch_annotator": self._on_switch_annotator,
            "actor_registry": self.show_actor_registry, "codebook": self.show_codebook,
            "shortcut_sheet": self.show_shortcut_sheet, "about": self._on_about,
            "accept_suggestion": self.suggestions.accept,
            "accept_all_suggestions": self.suggestions.accept_all,
            "dismiss_suggestion": self.suggestions.dismiss,
            "next_suggestion": lambda: self.suggestions.step(1),
            "previous_suggestion": lambda: self.suggestions.step(-1),
        }
        for name, handler in handlers.items():
            self.window_actions[name].triggered.connect(lambda _c=False, h=handler: h())
        self._connect_scale_actions()
        stack = self.session.undo_stack
        undo, redo = self.window_actions["undo"], self.window_actions["redo"]
        undo.setEnabled(False)
        redo.setEnabled(False)
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(lambda t: undo.setText(f"&Undo {t}" if t else "&Undo"))
        stack.redoTextChanged.connect(lambda t: redo.setText(f"&Redo {t}" if t else "&Redo"))

    def _connect_scale_actions(self) -> None:
        for point in self.session.codebook.scale:
            for name, handler in ((f"value_{point.value}", partial(self._on_value, point.value)),
                                  (f"article_{point.value}",
                                   partial(self._on_article_value, point.value))):
                self.window_actions[name].triggered.connect(lambda _c=False, h=handler: h())

    def _rebuild_scale_actions(self) -> None:
        """The codebook's scale changed: swap in actions (and keys) for its new values."""
        old, new = self.window_actions.replace_scale(self.session.codebook)
        for name, menu in self.menus.items():
            actions = menu.actions()
            mine = [i for i, a in enumerate(actions) if a in old]
            if not mine:
                continue
            after = actions[mine[-1] + 1] if mine[-1] + 1 < len(actions) else None
            here = [a for a in new if any(a is self.window_actions[s.name]
                                          for s in self.window_actions.in_menu(name))]
            menu.insertActions(after, here)  # type: ignore[arg-type]
            for action in old:
                menu.removeAction(action)
        for action in old:
            self.removeAction(action)
            action.deleteLater()
        self.addActions(new)
        self._connect_scale_actions()
        self._apply_read_only()

    def _on_undo(self) -> None:
        self.session.undo_stack.undo()

    def _on_redo(self) -> None:
        self.session.undo_stack.redo()

    def _connect(self) -> None:
        s = self.session
        self.article_list.article_activated.connect(self._on_article_list_activated)
        s.article_opened.connect(self._on_session_article_opened)
        s.changed.connect(self._on_session_changed)
        s.selection_changed.connect(self._on_session_selection_changed)
        s.failed.connect(self.show_message)
        s.annotator_changed.connect(lambda _n: self._update_annotator_label())
        self.article_view.text_edit.span_clicked.connect(self._on_text_span_clicked)
        self.actor_picker.picked.connect(self._on_picker_picked)
        self.actor_picker.create_requested.connect(self._on_picker_create_requested)
        self.actor_picker.cancelled.connect(self._on_picker_cancelled)

    def _on_integrity_check_done(self, check: object) -> None:
        # runs on the checking thread: only hand over to the UI thread through the signal
        if getattr(check, "state", "") == "failed":
            try:
                self.integrity_failed.emit(getattr(check, "detail", ""))
            except RuntimeError:  # the window is already gone
                pass

    def _on_store_integrity_failed(self, detail: str) -> None:
        self._integrity_detail = detail or "no detail"
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        ro = self.store.read_only or self._integrity_detail is not None
        for action in self.window_actions.editing:
            action.setEnabled(not ro)
        if self._integrity_detail is not None:
            self.banner.setText(
                "<b>Damaged project:</b> SQLite's check of this file failed "
                f"({self._integrity_detail}). Editing is off so nothing more is written to it. "
                "To go back to a backup, close it and run "
                f"<code>stancemark restore {self.store.path} BACKUP</code>.")
        elif ro:
            reason = self.store.read_only_reason or "opened read-only"
            self.banner.setText(
                f"<b>Read-only:</b> this project is open read-only ({reason}). "
                "You can read and search it, but tagging and status changes are off. "
                "Close the other Stancemark window or fix the file's permissions, then reopen.")
        self.banner.setVisible(ro)

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
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
        if self.session.article is not None and self.store.path is not None:
            self.settings.setValue(self._last_article_key(), self.session.article.id)
        self.settings.sync()

    def _last_article_key(self) -> str:
        path = str(self.store.path or "memory").replace("/", "|").replace("\\", "|")
        return f"last_article/{path}"

    def _open_first_article(self) -> None:
        last = self.settings.value(self._last_article_key()) if self.store.path else None
        try:
            wanted = int(last) if last is not None else None
        except (TypeError, ValueError):
            wanted = None
        first = self.article_list.model.article_id(0)
        for candidate in (wanted, first):
            if candidate is not None:
                try:
                    self.open_article(candidate)
                    return
                except StancemarkError:
                    continue
        self.article_view.show_article(None, None, [])

    # -- articles ---------------------------------------------------------------------------
    def open_article(self, article_id: int) -> None:
        self.session.open_article(article_id)

    def _on_article_list_activated(self, article_id: int) -> None:
        try:
            self.session.open_article(article_id)
        except StancemarkError as exc:
            self.show_message(str(exc))

    def _on_session_article_opened(self, article: object) -> None:
        s = self.session
        self.article_view.show_article(s.article, s.index, self.spans())
        self.suggestions.article_opened()
        if s.article is not None:
            self.article_list.select_article(s.article.id)
        self._update_status_label()
        self._update_title()

    def spans(self) -> list[HighlightSpan]:
        """Highlight spans of the open article, coloured from the codebook."""
        s = self.session
        if s.article is None:
            return []
        types, cats = s.lookup.types, s.lookup.categories
        mentions, claims = s.annotations()
        actors = s.actors()
        out: list[HighlightSpan] = []
        self._mention_actor: dict[int, int] = {}
        for c in claims:
            cat = cats.get(c.category) if c.category else None
            out.append(HighlightSpan("claim", c.id, c.start, c.end,
                                     cat.color if cat else DEFAULT_CLAIM_COLOUR))
        for m in mentions:
            actor = actors.get(m.actor_id)
            kind = types.get(actor.type) if actor and actor.type else None
            self._mention_actor[m.id] = m.actor_id
            out.append(HighlightSpan("mention", m.id, m.start, m.end,
                                     kind.color if kind else DEFAULT_ACTOR_COLOUR))
        return out

    def _describe_span(self, span: HighlightSpan) -> str:
        if span.kind == "suggestion":
            return self.suggestions.describe(span)
        if span.kind == "mention":
            return describe_mention(self.session, self._mention_actor.get(span.id, -1))
        claim = self.tagging_panel.claim(span.id)
        return describe_claim(self.session, claim) if claim else "Claim"

    def _on_session_changed(self, change: Change) -> None:
        art = self.session.article
        if "codebook" in change.kinds:
            self._rebuild_scale_actions()
        if art is not None and (art.id in change.articles or "actors" in change.kinds):
            self.article_view.update_spans(self.spans())
        if art is not None and (art.id in change.articles
                                or change.kinds & {"actors", "codebook"}):
            self.suggestions.schedule()
        if change.articles:
            self.article_list.model.refresh_articles(change.articles)
        self._update_status_label()

    def _on_session_selection_changed(self, ref: Ref | None) -> None:
        self.article_view.show_selection(ref)

    def _on_text_span_clicked(self, ref: Ref) -> None:
        self.session.select(ref)

    def go_to_neighbour(self, step: int, *, unfinished: bool = False) -> None:
        art = self.session.article
        current = art.id if art is not None else -1
        target = self.store.articles.neighbour(current, step, unfinished=unfinished)
        if target is None and unfinished:
            target = self.store.articles.neighbour(-1, 1, unfinished=True)  # wrap around
        if target is None or target == current:
            self.show_message("No further unfinished article." if unfinished
                              else "No further article in this direction.")
            return
        self.open_article(target)

    def set_status(self, status: str) -> None:
        art = self.session.article
        if art is not None and art.status != status:
            self.session.perform(self.session.service.set_status(art.id, status))

    # -- tagging ---------------------------------------------------------------------------------
    def perform(self, edit: Edit) -> Change | None:
        return self.session.perform(edit)

    def _require_article(self) -> bool:
        if self.session.article is None:
            self.show_message("Open an article first.")
            return False
        return True

    def _picker_pos(self) -> QPoint:
        edit = self.article_view.text_edit
        rect = edit.cursorRect()
        return edit.viewport().mapToGlobal(rect.bottomLeft() + QPoint(0, 4))

    def _on_tag_actor(self) -> None:
        if not self._require_article():
            return
        rng = self.article_view.text_edit.selected_range()
        s = self.session
        assert s.article is not None
        if rng is None:
            ref = s.selection
            if ref is not None and ref[0] == "mention":
                m = self.tagging_panel.mention(ref[1])
                if m is not None:
                    self._pending = ("relink", m)
                    self.actor_picker.start(s.service, s.codebook, "",
                                            title=f"Link “{short(m.text, 40)}” to…",
                                            at=self._picker_pos())
                    return
            self.show_message("Select the text that names an actor, then press A.")
            return
        start, end = rng
        text = s.article.text[start:end]
        self._pending = ("tag", start, end)
        self.actor_picker.start(s.service, s.codebook, text,
                                title=f"Tag “{short(text, 40)}” as…", at=self._picker_pos())

    def _pick_claim_actor(self, role: str) -> None:
        claim = self.tagging_panel.selected_claim()
        if claim is None:
            letter = "N" if role == "claimant" else "T"
            self.show_message(f"Select a claim first, then press {letter}.")
            return
        self._pending = (role, claim)
        self.actor_picker.start(self.session.service, self.session.codebook, "",
                                title=f"{role.capitalize()} of “{short(claim.text, 36)}”",
                                at=self._picker_pos())

    def _on_picker_picked(self, actor_id: int) -> None:
        pending, self._pending = self._pending, None
        s = self.session
        if pending is None or s.article is None:
            return
        service = s.service
        if pending[0] == "tag":
            self.perform(service.tag_actor(s.article.id, pending[1], pending[2], actor_id))
            self._collapse_text_selection()
        elif pending[0] == "relink":
            self.perform(service.relink_mention(pending[1], actor_id))
        elif pending[0] in ("claimant", "target"):
            self.perform(service.update_claim(pending[1], **{f"{pending[0]}_id": actor_id}))
        self.article_view.text_edit.setFocus()

    def _on_picker_create_requested(self, name: str, actor_type: str) -> None:
        pending, self._pending = self._pending, None
        s = self.session
        if pending is None or s.article is None:
            return
        if pending[0] == "tag":
            self.perform(s.service.tag_new_actor(s.article.id, pending[1], pending[2], name,
                                                 actor_type))
            self._collapse_text_selection()
        elif pending[0] in ("claimant", "target"):
            self.perform(s.service.set_claim_actor_new(pending[1], pending[0], name, actor_type))
        self.article_view.text_edit.setFocus()

    def _on_picker_cancelled(self) -> None:
        self._pending = None
        self.article_view.text_edit.setFocus()

    def _collapse_text_selection(self) -> None:
        edit = self.article_view.text_edit
        cursor = edit.textCursor()
        cursor.clearSelection()
        edit.setTextCursor(cursor)

    def _on_tag_claim(self) -> None:
        if not self._require_article():
            return
        rng = self.article_view.text_edit.selected_range()
        if rng is None:
            self.show_message("Select the text of the claim, then press C.")
            return
        art = self.session.article
        assert art is not None
        if self.perform(self.session.service.add_claim(art.id, *rng)) is not None:
            self._collapse_text_selection()

    def _on_value(self, value: int | None) -> None:
        s = self.session
        ref = s.selection
        art = s.article
        if art is None or ref is None:
            self.show_message("Select a claim (stance) or an actor (portrayal) first; "
                              "Ctrl+number sets the article's sentiment.")
            return
        if ref[0] == "claim":
            claim = self.tagging_panel.selected_claim()
            if claim is not None and claim.stance != value:
                self.perform(s.service.update_claim(claim, stance=value))
            return
        actor_id = self.tagging_panel.selected_actor_id()
        if actor_id is not None and self.tagging_panel.portrayal(actor_id) != value:
            self.perform(s.service.set_actor_sentiment(art.id, actor_id, value, s.codebook))

    def _on_article_value(self, value: int) -> None:
        art = self.session.article
        if art is not None:
            current = self.tagging_panel.article_sentiment
            self.perform(self.session.service.set_article_sentiment(
                art.id, None if current == value else value, self.session.codebook))

    def _on_delete(self) -> None:
        s = self.session
        ref = s.selection
        if ref is None or s.article is None:
            self.show_message("Select a mention, claim or actor to delete.")
            return
        kind, ident = ref
        if kind == "mention":
            m = self.tagging_panel.mention(ident)
            if m is not None:
                self.perform(s.service.delete_mention(m))
        elif kind == "claim":
            claim = self.tagging_panel.selected_claim()
            if claim is not None:
                self.perform(s.service.delete_claim(claim))
        elif kind == "actor":
            mentions = self.tagging_panel.mentions_of(ident)
            actor = s.actor(ident)
            if mentions and actor is not None:
                self.perform(Compound([s.service.delete_mention(m) for m in mentions],
                                      f"Delete {len(mentions)} mention(s) of {actor.name}"))

    def _selected_span(self) -> tuple[str, object, int, int] | None:
        ref = self.session.selection
        if ref is None:
            return None
        if ref[0] == "mention":
            m = self.tagging_panel.mention(ref[1])
            return ("mention", m, m.start, m.end) if m else None
        if ref[0] == "claim":
            c = self.tagging_panel.selected_claim()
            return ("claim", c, c.start, c.end) if c else None
        return None

    def _move_span(self, start: int, end: int) -> None:
        sel = self._selected_span()
        if sel is None:
            self.show_message("Select a mention or claim first.")
            return
        kind, obj, old_start, old_end = sel
        if (start, end) == (old_start, old_end) or end <= start:
            return
        service = self.session.service
        if kind == "mention":
            self.perform(service.move_mention(obj, start, end))  # type: ignore[arg-type]
        else:
            self.perform(service.update_claim(obj, start=start, end=end))  # type: ignore[arg-type]

    def _adjust_span(self, edge: str, direction: int) -> None:
        sel = self._selected_span()
        art = self.session.article
        if sel is None or art is None:
            self.show_message("Select a mention or claim first.")
            return
        _kind, _obj, start, end = sel
        text = art.text
        if edge == "end":
            end = word_step(text, end, direction, edge="end")
        else:
            start = word_step(text, start, direction, edge="start")
        self._move_span(start, end)

    def _on_respan(self) -> None:
        rng = self.article_view.text_edit.selected_range()
        if rng is None:
            self.show_message("Select the new text of the annotation, then press S.")
            return
        self._move_span(*rng)

    def _on_pick_category(self) -> None:
        if self.tagging_panel.selected_claim() is None:
            self.show_message("Select a claim first, then press G.")
            return
        self.tagging_panel.claim_editor.open_categories()

    def _on_edit_note(self) -> None:
        if self.tagging_panel.selected_claim() is None:
            self.show_message("Select a claim first, then press E.")
            return
        self.tagging_panel.claim_editor.focus_note()

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

    def show_actor_registry(self) -> QDialog:
        from stancemark.ui.actor_registry_dialog import ActorRegistryDialog

        dialog = ActorRegistryDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_codebook(self) -> QDialog:
        from stancemark.ui.codebook_dialog import CodebookDialog

        dialog = CodebookDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_shortcut_sheet(self) -> ShortcutSheetDialog:
        dialog = ShortcutSheetDialog(self.window_actions, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.shortcut_sheet = dialog
        self.shortcut_sheet_shown.emit()
        return dialog

    def _on_about(self) -> None:
        QMessageBox.about(self, APP_NAME, f"<b>{APP_NAME}</b> {__version__}<br>"
                          "Annotate actors, claims and sentiment in news articles.<br>"
                          "MIT licence.")

    # -- files -------------------------------------------------------------------------------------
    def _on_new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path.home()),
                                              f"Stancemark projects (*{PROJECT_SUFFIX})")
        if path:
            if not Path(path).suffix:
                path += PROJECT_SUFFIX
            self._switch_project(Path(path))

    def _on_open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(Path.home()),
                                              f"Stancemark projects (*{PROJECT_SUFFIX});;"
                                              "All files (*)")
        if path:
            self._switch_project(Path(path))

    def _on_recent_menu_about_to_show(self) -> None:
        from stancemark.ui.qt_app import recent_projects

        self.recent_menu.clear()
        for path in recent_projects():
            action = QAction(str(path), self.recent_menu)
            action.triggered.connect(lambda _c=False, p=path: self._switch_project(p))
            self.recent_menu.addAction(action)
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def _switch_project(self, path: Path) -> None:
        from stancemark.ui.qt_app import open_window

        if self.store.path is not None and path.resolve() == self.store.path.resolve():
            return
        try:
            open_window(path, annotator=self.session.annotator)
        except StancemarkError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.close()

    def _on_import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import articles", str(Path.home()),
                                                "Articles (*.txt *.html *.htm);;All files (*)")
        if paths:
            self.import_paths([Path(p) for p in paths])

    def _on_import_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Import a folder of articles",
                                                str(Path.home()))
        if path:
            self.import_paths([Path(path)])

    def import_paths(self, paths: list[Path]) -> None:
        """Import files/folders on a worker thread; the window is locked until it ends."""
        if self.store.read_only:
            self.show_message("This project is read-only; nothing can be imported.")
            return
        if self._import is not None:
            self.show_message("An import is already running.")
            return
        controller = ImportController(self.store, paths, self)
        self._import = controller
        self._central.setEnabled(False)
        for action in self.window_actions.editing:
            action.setEnabled(False)
        controller.finished.connect(self._on_import_finished)
        controller.failed.connect(self._on_import_failed)
        controller.start()

    def _end_import(self) -> None:
        self._import = None
        self._central.setEnabled(True)
        self._apply_read_only()
        self.article_list.model.reload()
        if self.session.article is None:
            self._open_first_article()
        elif self.session.article is not None:
            self.article_list.select_article(self.session.article.id)

    def _on_import_finished(self, report: object) -> None:
        self._end_import()
        summary = report.summary()  # type: ignore[attr-defined]
        self.show_message(f"Import: {summary}.")
        lines = [f"{o.status}: {Path(o.path).name}" + (f" — {o.message}" if o.message else "")
                 for o in report.outcomes if o.status != "imported"][:20]  # type: ignore[attr-defined]
        box = QMessageBox(QMessageBox.Icon.Information, "Import finished",
                          f"Import finished: {summary}.", parent=self)
        if lines:
            box.setDetailedText("\n".join(lines))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.import_finished.emit(report)

    def _on_import_failed(self, message: str) -> None:
        self._end_import()
        self.show_message("Import failed.")
        box = QMessageBox(QMessageBox.Icon.Critical, "Import failed", message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- export and merge (ui/export_dialog.py, ui/merge_flow.py) ------------------------------
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

    def _set_busy(self, busy: bool) -> None:
        """Lock the window (and every edit) while a bulk job writes to the project."""
        self._central.setEnabled(not busy)
        for action in self.window_actions.editing:
            action.setEnabled(not busy)
        if not busy:
            self._apply_read_only()

    def _on_merge_flow_merged(self, _report: object) -> None:
        # the merge wrote outside the undo stack: earlier steps no longer match the project
        self.session.forget_history()
        self.article_list.model.reload()
        art = self.session.article
        if art is None:
            self._open_first_article()
            return
        self.article_list.select_article(art.id)
        self.session.record(Change(frozenset({art.id}), kinds(
            "mentions", "claims", "sentiment", "actors", "status")))
        backup = getattr(_report, "backup", None)
        self.show_message("Merge finished; it is not on the undo stack, which was cleared"
                          + (f" (a copy of the project was kept: {backup})." if backup else "."))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- screenshot and closing -------------------------------------------------------------------
    def prepare_screenshot(self) -> None:
        """Open the first article with annotations and select one claim (or mention)."""
        for summary in self.store.articles.summaries(limit=500):
            if summary.annotations:
                self.open_article(summary.id)
                break
        art = self.session.article
        if art is None:
            return
        claims = self.store.annotations.claims(art.id)
        mentions = self.store.annotations.mentions(art.id)
        if claims:
            self.session.select(("claim", claims[0].id))
        elif mentions:
            self.session.select(("mention", mentions[0].id))
        self.article_view.text_edit.verticalScrollBar().setValue(0)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._import is not None:
            self._import.cancel_flag.cancel()
            self.show_message("Waiting for the import to stop…")
            event.ignore()
            return
        if self.merge_flow.running:
            self.merge_flow.cancel()
            self.show_message("Waiting for the merge to stop…")
            event.ignore()
            return
        if self.persist_state:
            self.save_state()
        self.suggestions.shutdown()
        super().closeEvent(event)
        if self.owns_store:
            self.store.close()
