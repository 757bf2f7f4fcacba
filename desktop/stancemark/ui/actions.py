"""Every action of the annotation window: its text, keys, tooltip and menu, defined once.

Menus, tooltips and the shortcut sheet (F1) are all built from :data:`SPECS`
and :func:`scale_specs`, so a key shown anywhere is the key that works; the
window's menu bar is laid out by :func:`build_menus`.

No default uses a combination that common Linux desktops keep for themselves
(:data:`DESKTOP_KEYS`: Ctrl+Alt+arrows and Alt+Shift+arrows switch workspaces or
move windows in GNOME, KDE, Xfce, Cinnamon, MATE and Openbox; Alt+drag moves a
window; Super is the desktop's). Every key can be changed per action in the
settings (:func:`shortcut_overrides`): ``[shortcuts]`` ``end_right=Alt+Right``, or
several keys ``Ctrl+], Alt+Right``, or nothing to turn a key off;
``exact_selection=Alt`` picks the modifier that makes a mouse selection exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from stancemark.core.codebook import Codebook


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action: ``name`` is how code refers to it; ``edits`` ones are off when read-only."""

    name: str
    text: str
    shortcuts: tuple[str, ...] = ()
    tip: str = ""
    menu: str = ""
    edits: bool = False
    section: str = ""  # heading in the shortcut sheet (defaults to the menu)
    submenu: str = ""  # a submenu of ``menu`` to show it in
    text_keys: tuple[str, ...] = ()  # more keys, only while the article text has focus


SPECS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec("new_project", "&New Project…", ("Ctrl+N",), "Create an empty project", "File"),
    ActionSpec("open_project", "&Open Project…", ("Ctrl+O",), "Open a project file", "File"),
    ActionSpec("import_files", "&Import Articles…", ("Ctrl+I",),
               "Import .txt and .html article files (or drop them on the window)", "File",
               edits=True),
    ActionSpec("import_folder", "Import &Folder…", ("Ctrl+Shift+I",),
               "Import every article file in a folder and its sub-folders", "File", edits=True),
    ActionSpec("import_urls", "Import from &URL or Feed…", (),
               "Fetch web pages or RSS/Atom feeds and import their articles (politely: "
               "robots.txt, one request a second per site)", "File", edits=True),
    ActionSpec("export_annotations", "&Export Annotations…", ("Ctrl+E",),
               "Export annotation sets (JSONL, CSV, brat, doccano, Label Studio, XMI, CoNLL, "
               "GraphML, REFI-QDA)", "File"),
    ActionSpec("merge_set", "&Merge Annotation Set…", (),
               "Merge a Stancemark JSONL annotation set (e.g. another analyst's) into this "
               "project", "File", edits=True),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "Close the window (everything is already saved)",
               "File"),
    # Edit
    ActionSpec("undo", "&Undo", ("Ctrl+Z",), "Undo the last edit, on any article", "Edit"),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the edit just undone", "Edit"),
    ActionSpec("delete_annotation", "&Delete Annotation", ("Delete", "Backspace"),
               "Delete the selected mention or claim (an actor row: its mentions here)", "Edit",
               edits=True),
    ActionSpec("find", "&Search Articles", ("Ctrl+F",),
               "Search titles and texts (Esc in the search box goes back to the text)", "Edit"),
    ActionSpec("clear_selection", "Clear Selection", (),
               "Select no annotation, so that no key acts on one (a click on plain text "
               "does the same)", "Edit", text_keys=("Escape",)),
    # Annotate
    ActionSpec("tag_actor", "Tag &Actor…", ("A",),
               "Tag the selected text as a mention of an actor (with a mention selected and "
               "no text selected: link it to another actor)", "Annotate", edits=True),
    ActionSpec("tag_claim", "Tag &Claim", ("C",),
               "Tag the selected text as a claim; its claimant is guessed from the "
               "nearest mention before it", "Annotate", edits=True),
    ActionSpec("pick_claimant", "Pick Claima&nt…", ("N",),
               "Choose the claimant of the selected claim", "Annotate", edits=True),
    ActionSpec("pick_target", "Pick &Target…", ("T",),
               "Choose the actor the selected claim is about", "Annotate", edits=True),
    ActionSpec("pick_category", "Pick Cate&gory…", ("G",),
               "Choose the category of the selected claim", "Annotate", edits=True),
    ActionSpec("edit_note", "Edit N&ote", ("E",), "Write a note on the selected claim",
               "Annotate", edits=True),
    # Annotate › Suggestions
    ActionSpec("accept_suggestion", "&Accept Suggestion", ("Y",),
               "Accept the suggestion under the text cursor (or the next one after it): a "
               "dashed underline becomes a mention, a dotted one a claim with its claimant",
               "Annotate", edits=True, section="Suggestions", submenu="&Suggestions",
               text_keys=("Return", "Enter")),
    ActionSpec("accept_all_suggestions", "Accept All &Actor Suggestions", ("Shift+Y",),
               "Tag every suggested actor mention of this article (one undo step)",
               "Annotate", edits=True, section="Suggestions", submenu="&Suggestions"),
    ActionSpec("dismiss_suggestion", "&Dismiss Suggestion", ("X",),
               "Hide the suggestion under the text cursor for good (undo brings it back)",
               "Annotate", edits=True, section="Suggestions", submenu="&Suggestions"),
    ActionSpec("next_suggestion", "&Next Suggestion", ("F",),
               "Move the text cursor to the next suggestion", "Annotate",
               section="Suggestions", submenu="&Suggestions"),
    ActionSpec("previous_suggestion", "&Previous Suggestion", ("Shift+F",),
               "Move the text cursor to the previous suggestion", "Annotate",
               section="Suggestions", submenu="&Suggestions"),
    ActionSpec("respan", "Set &Span to Selection", ("S",),
               "Give the selected annotation the currently selected text as its span",
               "Annotate", edits=True, section="Spans"),
    ActionSpec("end_right", "Extend End by a Word", ("Alt+Right",),
               "Move the end of the selected annotation one word right", "Annotate",
               edits=True, section="Spans"),
    ActionSpec("end_left", "Shrink End by a Word", ("Alt+Left",),
               "Move the end of the selected annotation one word left", "Annotate",
               edits=True, section="Spans"),
    ActionSpec("start_left", "Extend Start by a Word", ("Alt+,",),
               "Move the start of the selected annotation one word left", "Annotate",
               edits=True, section="Spans"),
    ActionSpec("start_right", "Shrink Start by a Word", ("Alt+.",),
               "Move the start of the selected annotation one word right", "Annotate",
               edits=True, section="Spans"),
    ActionSpec("clear_value", "Clear Stance / Portrayal", ("0",),
               "Clear the stance of the selected claim or the portrayal of the selected actor",
               "Annotate", edits=True, section="Scale"),
    # Article
    ActionSpec("next_article", "&Next Article", ("Ctrl+PgDown", "J"), "Open the next article",
               "Article"),
    ActionSpec("previous_article", "&Previous Article", ("Ctrl+PgUp", "K"),
               "Open the previous article", "Article"),
    ActionSpec("next_unfinished", "Next &Unfinished Article", ("Ctrl+Shift+PgDown", "U"),
               "Open the next article that is not done", "Article"),
    ActionSpec("status_new", "Mark as &New", ("Ctrl+Shift+N",), "Set the article's status to new",
               "Article", edits=True),
    ActionSpec("status_in_progress", "Mark as &In Progress", ("Ctrl+Shift+P",),
               "Set the article's status to in progress", "Article", edits=True),
    ActionSpec("status_done", "Mark as &Done", ("Ctrl+Shift+D", "D"),
               "Set the article's status to done", "Article", edits=True),
    # View / Help
    ActionSpec("actor_registry", "Actor &Registry…", ("Ctrl+Shift+R",),
               "List every actor with its counts; rename, edit, merge, split or delete", "View"),
    ActionSpec("codebook", "&Codebook…", ("Ctrl+Shift+B",),
               "Edit actor types, categories and the scale; import or export them", "View"),
    ActionSpec("analysis", "&Analysis…", ("Ctrl+Shift+A",),
               "Charts of the study and its actor network; save them as SVG, PNG or CSV",
               "View"),
    ActionSpec("agreement", "A&greement…", ("Ctrl+Shift+G",),
               "Reliability between coders and the units they disagree on", "View"),
    ActionSpec("curation", "C&uration…", ("Ctrl+Shift+U",),
               "Curate several annotators' work into a gold set: accept what they agree on, "
               "then decide the rest one by one", "View"),
    ActionSpec("switch_annotator", "Switch &Annotator…", (),
               "Change whose name is stored with new annotations", "View"),
    # Team
    ActionSpec("sync_now", "&Sync Now", ("Ctrl+Shift+Y",),
               "Send your changes to the team's hub and fetch the team's (a team project "
               "also syncs by itself every few minutes)", "Team"),
    ActionSpec("show_queue", "Show &My Queue", ("Ctrl+Shift+M",),
               "List only the articles assigned to you (again: every article)", "Team"),
    ActionSpec("shortcut_sheet", "&Keyboard Shortcuts", ("F1", "?"),
               "Show every action and its keys", "Help"),
    ActionSpec("about", "&About Stancemark", (), "Version and licence", "Help"),
)

MENUS = ("File", "Edit", "Annotate", "Article", "View", "Team", "Help")

#: Combinations that common Linux desktops take before a window sees them (workspace
#: switching, moving windows); no default key may be one of them.
DESKTOP_KEYS = tuple(f"{mods}+{arrow}" for mods in ("Ctrl+Alt", "Shift+Alt", "Ctrl+Shift+Alt")
                     for arrow in ("Left", "Right", "Up", "Down"))

#: Settings group whose keys override an action's keys (by action name).
SHORTCUTS_GROUP = "shortcuts"
#: The modifier held while selecting with the mouse for exact characters (no snapping).
EXACT_SELECTION_KEY = "exact_selection"
EXACT_SELECTION_DEFAULT = "Ctrl"
_MODIFIERS = {"ctrl": Qt.KeyboardModifier.ControlModifier,
              "alt": Qt.KeyboardModifier.AltModifier,
              "shift": Qt.KeyboardModifier.ShiftModifier,
              "meta": Qt.KeyboardModifier.MetaModifier}


def shortcut_overrides(settings: QSettings) -> dict[str, tuple[str, ...]]:
    """The keys set in the settings' ``[shortcuts]`` group, by action name.

    A value is one key (``Alt+Right``), several separated by commas, or empty (no key).
    """
    out: dict[str, tuple[str, ...]] = {}
    settings.beginGroup(SHORTCUTS_GROUP)
    try:
        for name in settings.childKeys():
            if name == EXACT_SELECTION_KEY:
                continue
            value = settings.value(name, "")
            items = value if isinstance(value, list) else str(value or "").split(",")
            out[name] = tuple(k.strip() for k in items if str(k).strip())
    finally:
        settings.endGroup()
    return out


def exact_selection_modifier(settings: QSettings) -> Qt.KeyboardModifier:
    """The modifier that keeps a mouse selection exact (default Ctrl; Alt+drag moves
    windows on most Linux desktops)."""
    value = str(settings.value(f"{SHORTCUTS_GROUP}/{EXACT_SELECTION_KEY}",
                               EXACT_SELECTION_DEFAULT) or EXACT_SELECTION_DEFAULT)
    return _MODIFIERS.get(value.strip().casefold(), _MODIFIERS["ctrl"])


def modifier_name(modifier: Qt.KeyboardModifier) -> str:
    return next((k.capitalize() for k, m in _MODIFIERS.items() if m == modifier), "Ctrl")


def scale_specs(codebook: Codebook) -> list[ActionSpec]:
    """Per scale value: a key for the selected claim/actor, Ctrl+key for the article."""
    out: list[ActionSpec] = []
    for point in codebook.scale:
        label = codebook.scale_label(point.value)
        keys = (point.shortcut,) if point.shortcut else ()
        out.append(ActionSpec(
            f"value_{point.value}", f"Stance / Portrayal {label}", keys,
            f"Set the stance of the selected claim, or the portrayal of the selected actor, "
            f"to {label}", "Annotate", edits=True, section="Scale"))
        out.append(ActionSpec(
            f"article_{point.value}", f"Article Sentiment {label}",
            tuple(f"Ctrl+{k}" for k in keys),
            f"Set the sentiment of the whole article to {label}", "Article", edits=True,
            section="Scale"))
    return out


def key_text(spec: ActionSpec) -> str:
    """The keys of an action as the platform writes them, e.g. ``Ctrl+Z, Ctrl+Y``."""
    keys = [QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)
            for k in spec.shortcuts]
    if spec.text_keys:
        keys.append(QKeySequence(spec.text_keys[0])
                    .toString(QKeySequence.SequenceFormat.NativeText) + " (in the text)")
    return ", ".join(keys)


class WindowActions:
    """The QAction of every spec, by name; ``editing`` lists those a read-only project disables."""

    def __init__(self, parent: QObject, codebook: Codebook,
                 overrides: Mapping[str, tuple[str, ...]] | None = None) -> None:
        #: keys chosen in the settings, by action name (see :func:`shortcut_overrides`)
        self.overrides = dict(overrides or {})
        self.specs: dict[str, ActionSpec] = {}
        self.by_name: dict[str, QAction] = {}
        self.editing: list[QAction] = []
        #: ``text_keys``: the action each key triggers while the article text has focus
        self.text_keys: dict[int, QAction] = {}
        self.parent = parent
        for spec in (*SPECS, *scale_specs(codebook)):
            self._add(parent, spec)

    def _add(self, parent: QObject, spec: ActionSpec) -> QAction:
        if spec.name in self.overrides:
            spec = replace(spec, shortcuts=self.overrides[spec.name])
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{spec.name}")
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(k) for k in spec.shortcuts])
        # window-wide Return or Escape would steal them from lists, fields and dialogs: the
        # article text handles these keys itself (a key event goes to the widget it is
        # for, whereas a widget shortcut follows the application's focus widget, which may
        # lag behind a newly opened dialog)
        for k in spec.text_keys:
            self.text_keys[QKeySequence(k)[0].toCombined()] = action  # type: ignore[index]
        keys = key_text(spec)
        tip = spec.tip or spec.text.replace("&", "").rstrip("…")
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        self.specs[spec.name] = spec
        self.by_name[spec.name] = action
        if spec.edits:
            self.editing.append(action)
        return action

    def replace_scale(self, codebook: Codebook) -> tuple[list[QAction], list[QAction]]:
        """New actions for a changed scale: returns (old actions, new actions).

        The caller swaps them in its menus, connects the new ones and deletes the old.
        """
        old_names = [n for n in self.specs if n.startswith(("value_", "article_"))]
        old = [self.by_name.pop(n) for n in old_names]
        for name in old_names:
            del self.specs[name]
        self.editing = [a for a in self.editing if a not in old]
        new = [self._add(self.parent, spec) for spec in scale_specs(codebook)]
        return old, new

    def follow_undo_stack(self, stack: QUndoStack) -> None:
        """Undo and Redo are enabled, and named (``&Undo Tag 'Kurti'``), as ``stack`` says."""
        undo, redo = self["undo"], self["redo"]
        undo.setEnabled(False)
        redo.setEnabled(False)
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(lambda t: undo.setText(f"&Undo {t}" if t else "&Undo"))
        stack.redoTextChanged.connect(lambda t: redo.setText(f"&Redo {t}" if t else "&Redo"))

    def modified_keys(self) -> list[QKeySequence]:
        """Every window key with Ctrl, Alt or Meta: what a text field must leave to the window."""
        held = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier \
            | Qt.KeyboardModifier.MetaModifier
        return [seq for action in self.by_name.values() for seq in action.shortcuts()
                if not seq.isEmpty()
                and seq[0].keyboardModifiers() & held]  # type: ignore[index]

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def in_menu(self, menu: str) -> list[ActionSpec]:
        return [s for s in self.specs.values() if s.menu == menu]


#: actions after which their menu gets a separator
SEPARATED_AFTER = frozenset({"merge_set", "redo", "delete_annotation", "edit_note",
                             "start_right", "next_unfinished"})


def build_menus(bar: QMenuBar, actions: WindowActions,
                window: QWidget) -> tuple[dict[str, QMenu], QMenu]:
    """Fill ``bar`` with :data:`MENUS` and add every action's keys to ``window``.

    Returns the menus by name and the (empty) File › Open Recent menu.
    """
    menus: dict[str, QMenu] = {}
    recent: QMenu | None = None
    for name in MENUS:
        menu = bar.addMenu(f"&{name}")
        menus[name] = menu
        submenus: dict[str, QMenu] = {}
        for spec in actions.in_menu(name):
            action = actions[spec.name]
            if spec.submenu:
                if spec.submenu not in submenus:
                    submenus[spec.submenu] = menu.addMenu(spec.submenu)
                    menu.addSeparator()
                submenus[spec.submenu].addAction(action)
                window.addAction(action)
                continue
            menu.addAction(action)
            if spec.name == "import_urls":
                recent = menu.addMenu("Open &Recent")
                menu.addSeparator()
            if spec.name in SEPARATED_AFTER:
                menu.addSeparator()
        window.addActions(menu.actions())
    assert recent is not None
    return menus, recent


def swap_scale_actions(actions: WindowActions, codebook: Codebook, menus: dict[str, QMenu],
                       window: QWidget) -> list[QAction]:
    """The codebook's scale changed: put actions (and keys) for its new values in place of
    the old ones, in the menus and on ``window``. Returns the new actions to connect."""
    old, new = actions.replace_scale(codebook)
    for name, menu in menus.items():
        current = menu.actions()
        mine = [i for i, a in enumerate(current) if a in old]
        if not mine:
            continue
        after = current[mine[-1] + 1] if mine[-1] + 1 < len(current) else None
        here = [a for a in new if any(a is actions[s.name] for s in actions.in_menu(name))]
        menu.insertActions(after, here)  # type: ignore[arg-type]
        for action in old:
            menu.removeAction(action)
    for action in old:
        window.removeAction(action)
        action.deleteLater()
    window.addActions(new)
    return new
