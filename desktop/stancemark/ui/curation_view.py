"""The curation view: several annotators' work made into a gold set, one unit at a time.

A thin window over :class:`stancemark.services.adjudication.Curation`: the
curator names the annotators and the gold set, lets the automatic step accept
what they agree on, then sees each undecided unit with every coder's version
and decides it with one key: ``1``–``9`` accept that version, ``E`` edits the
selected one first, ``R`` rejects every version (the unit is closed), ``S`` /
``→`` skip and ``←`` go back. Each decision goes through the window's session,
so it is one step on the same undo stack as every other edit (``Ctrl+Z`` works
here too), and the main window shows the article being decided.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from stancemark.analysis.adjudication import Strategy
from stancemark.core.changes import Change
from stancemark.core.errors import StancemarkError
from stancemark.services.adjudication import DEFAULT_GOLD, Curation, CurationUnit, Version
from stancemark.ui.session import ProjectSession

_LAYER_TITLES = {"mentions": "Mention", "claims": "Claim",
                 "article_sentiment": "Article sentiment", "actor_sentiment": "Actor sentiment"}


class CurationView(QDialog):
    """Curate chosen annotators into a gold set; decisions are undoable edits."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Curation")
        self.session = session
        self.curation: Curation | None = None
        self.queue: list[CurationUnit] = []
        self.position = 0

        coders = [a for a in session.store.annotators() if a != DEFAULT_GOLD]
        self.annotators_edit = QLineEdit(", ".join(coders))
        self.gold_edit = QLineEdit(DEFAULT_GOLD)
        self.strategy_combo = QComboBox()
        self.strategy_combo.setEditable(True)
        self.strategy_combo.addItems(["unanimous", "majority", "min:2"])
        self.start_button = QPushButton("&Start")
        self.auto_button = QPushButton("Accept &Agreed Units")
        self.auto_button.setToolTip("Accept every undecided unit the strategy settles "
                                    "(one undo step); decisions made before are kept")
        setup = QFormLayout()
        setup.addRow("Annotators:", self.annotators_edit)
        setup.addRow("Gold set:", self.gold_edit)
        row = QHBoxLayout()
        row.addWidget(self.strategy_combo, 1)
        row.addWidget(self.auto_button)
        setup.addRow("Strategy:", row)
        setup.addRow("", self.start_button)

        self.progress_bar = QProgressBar()
        self.progress_label = QLabel("Name the annotators to curate, then Start.")
        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)

        self.unit_panel = QWidget()
        self.unit_label = QLabel("")
        self.unit_label.setWordWrap(True)
        self.unit_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions = QListWidget()
        self.accept_button = QPushButton("Accept (1–9)")
        self.edit_button = QPushButton("&Edit…")
        self.reject_button = QPushButton("&Reject All")
        self.skip_button = QPushButton("&Skip")
        buttons = QHBoxLayout()
        for b in (self.accept_button, self.edit_button, self.reject_button, self.skip_button):
            buttons.addWidget(b)
        unit_layout = QVBoxLayout(self.unit_panel)
        unit_layout.setContentsMargins(0, 0, 0, 0)
        unit_layout.addWidget(self.unit_label)
        unit_layout.addWidget(self.versions, 1)
        unit_layout.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(setup)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.unit_panel, 1)
        layout.addWidget(self.message_label)
        self.resize(620, 520)

        self.start_button.clicked.connect(self.start)
        self.auto_button.clicked.connect(self.run_automatic)
        self.accept_button.clicked.connect(lambda: self.accept_version(None))
        self.edit_button.clicked.connect(self.edit_version)
        self.reject_button.clicked.connect(self.reject_unit)
        self.skip_button.clicked.connect(lambda: self.skip(1))
        self.versions.itemActivated.connect(lambda _item: self.accept_version(None))
        self._add_keys()
        session.changed.connect(self._on_session_changed)
        self._show_current()

    def _add_keys(self) -> None:
        """Plain keys for the unit panel only, so the fields above still take typing."""
        keys: list[tuple[str, Any]] = [(str(i), lambda i=i: self.accept_version(i - 1))
                                       for i in range(1, 10)]
        keys += [("E", self.edit_version), ("R", self.reject_unit), ("S", lambda: self.skip(1)),
                 ("Right", lambda: self.skip(1)), ("Left", lambda: self.skip(-1))]
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self.unit_panel)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        for key, slot in (("Ctrl+Z", self.session.undo_stack.undo),
                          ("Ctrl+Shift+Z", self.session.undo_stack.redo)):
            QShortcut(QKeySequence(key), self).activated.connect(slot)

    # -- setup ----------------------------------------------------------------------------
    def start(self) -> bool:
        """Curate the named annotators into the named gold set (False if refused)."""
        names = [a.strip() for a in self.annotators_edit.text().split(",") if a.strip()]
        try:
            self.curation = Curation(self.session, names, self.gold_edit.text())
        except StancemarkError as exc:
            self._say(str(exc))
            return False
        self._say("")
        self.refresh()
        self.versions.setFocus()
        return True

    def run_automatic(self) -> None:
        if self.curation is None and not self.start():
            return
        assert self.curation is not None
        try:
            strategy = Strategy.parse(self.strategy_combo.currentText())
            report = self.curation.run_automatic(strategy, origin=self)
        except StancemarkError as exc:
            self._say(str(exc))
            return
        self.refresh()
        self._say(f"{strategy}: accepted {len(report.accepted)}, closed {len(report.closed)}, "
                  f"kept {report.kept} decided before; {len(report.left)} left to decide.")

    # -- the queue ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the units again, staying on the current one if it is still undecided."""
        if self.curation is None:
            return
        current = self.current()
        units = self.curation.units()
        self.queue = [u for u in units if not u.decided]
        self.position = 0
        if current is not None:
            keys = [(u.article_id, u.layer, u.key) for u in self.queue]
            here = (current.article_id, current.layer, current.key)
            if here in keys:
                self.position = keys.index(here)
            else:  # decided: the next one after where it was
                later = [i for i, u in enumerate(self.queue)
                         if (u.article_id, u.start or 0) >= (current.article_id,
                                                             current.start or 0)]
                self.position = later[0] if later else 0
        done = sum(u.decided for u in units)
        self.progress_bar.setRange(0, max(len(units), 1))
        self.progress_bar.setValue(done if units else 1)
        share = 100.0 * done / len(units) if units else 100.0
        self.progress_label.setText(f"Decided {done} of {len(units)} units ({share:.1f} %)"
                                    f"; {len(self.queue)} left.")
        self._show_current()

    def current(self) -> CurationUnit | None:
        return self.queue[self.position] if 0 <= self.position < len(self.queue) else None

    def skip(self, step: int) -> None:
        if self.queue:
            self.position = (self.position + step) % len(self.queue)
            self._show_current()

    def _show_current(self) -> None:
        unit = self.current()
        self.versions.clear()
        has = unit is not None
        for b in (self.accept_button, self.edit_button, self.reject_button, self.skip_button):
            b.setEnabled(has and not self.session.read_only)
        if unit is None or self.curation is None:
            self.unit_label.setText("Nothing left to decide." if self.curation else "")
            return
        title = self.session.store.articles.get(unit.article_id).title or "(untitled)"
        where = f", {unit.start}–{unit.end}" if unit.start is not None else ""
        text = unit.text.replace("\n", " ")
        self.unit_label.setText(f"{self.position + 1} of {len(self.queue)} · article "
                                f"{unit.article_id} “{title}”\n{_LAYER_TITLES[unit.layer]}"
                                f"{where}: {text[:200]}")
        for n, (version, who) in enumerate(unit.groups(), start=1):
            span = ""
            if version.start is not None and (version.start, version.end) != (unit.start,
                                                                             unit.end):
                span = f" [{version.start}–{version.end}]"
            item = QListWidgetItem(f"{n}  {', '.join(who)}: "
                                   f"{self.curation.describe(version)}{span}")
            item.setData(Qt.ItemDataRole.UserRole, version.annotator)
            self.versions.addItem(item)
        if unit.silent:
            item = QListWidgetItem(f"    {', '.join(unit.silent)}: (nothing marked)")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.versions.addItem(item)
        self.versions.setCurrentRow(0)
        # show the unit in the main window as well
        self.session.open_article(unit.article_id)

    # -- decisions ------------------------------------------------------------------------
    def _version(self, row: int | None) -> Version | None:
        unit = self.current()
        if unit is None:
            return None
        groups = unit.groups()
        row = self.versions.currentRow() if row is None else row
        return groups[row][0] if 0 <= row < len(groups) else None

    def accept_version(self, row: int | None) -> None:
        """Accept the version in ``row`` of the list (None: the selected one)."""
        unit, version = self.current(), self._version(row)
        if unit is None or version is None or self.curation is None:
            return
        curation = self.curation
        self._decide(lambda: curation.accept(unit, version.annotator, origin=self))

    def reject_unit(self) -> None:
        unit = self.current()
        if unit is not None and self.curation is not None:
            curation = self.curation
            self._decide(lambda: curation.reject(unit, origin=self))

    def edit_version(self) -> None:
        """Edit the selected version, then accept it as the gold one."""
        unit, version = self.current(), self._version(None)
        if unit is None or version is None or self.curation is None:
            return
        dialog = VersionEditDialog(self.session, unit, version, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        changes = dialog.changes()
        curation = self.curation
        if not changes:
            self._decide(lambda: curation.accept(unit, version.annotator, origin=self))
        else:
            self._decide(lambda: curation.edit(unit, version.annotator, origin=self,
                                               **changes))

    def _decide(self, action: Any) -> None:
        try:
            result = action()
        except StancemarkError as exc:
            self._say(str(exc))
            self.refresh()
            return
        if result is not None:
            self._say("")
        self.refresh()

    def _on_session_changed(self, change: Change) -> None:
        if change.origin is self or self.curation is None:
            return
        if change.kinds & {"mentions", "claims", "sentiment", "actors"}:
            self.refresh()

    def _say(self, text: str) -> None:
        self.message_label.setText(text)


class VersionEditDialog(QDialog):
    """A version's span and variables, to change before it goes into the gold set."""

    def __init__(self, session: ProjectSession, unit: CurationUnit, version: Version,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {_LAYER_TITLES[unit.layer].lower()}")
        self.version = version
        self.fields: dict[str, Any] = {}
        form = QFormLayout(self)
        actors = sorted(session.actors().values(), key=lambda a: a.name.casefold())
        book = session.codebook
        if version.start is not None and version.end is not None:
            length = len(session.store.articles.get(unit.article_id).text)
            for name, value in (("start", version.start), ("end", version.end)):
                spin = QSpinBox()
                spin.setRange(0, length)
                spin.setValue(value)
                form.addRow(f"{name.title()}:", spin)
                self.fields[name] = spin
        values = version.values
        if unit.layer == "mentions":
            self._combo(form, "actor_id", "Actor:", [(a.name, a.id) for a in actors],
                        values["actor_id"], none=False)
        elif unit.layer == "claims":
            self._combo(form, "category", "Category:",
                        [(book.category_path(c.key), c.key) for c in book.categories],
                        values.get("category"))
            people = [(a.name, a.id) for a in actors]
            self._combo(form, "claimant_id", "Claimant:", people, values.get("claimant_id"))
            self._combo(form, "target_id", "Target:", people, values.get("target_id"))
            self._combo(form, "stance", "Stance:",
                        [(book.scale_label(p.value), p.value) for p in book.scale],
                        values.get("stance"))
            note = QLineEdit(values.get("note") or "")
            form.addRow("Note:", note)
            self.fields["note"] = note
        else:
            self._combo(form, "value", "Value:",
                        [(book.scale_label(p.value), p.value) for p in book.scale],
                        values.get("value"), none=False)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def _combo(self, form: QFormLayout, name: str, label: str, items: list[tuple[str, Any]],
               current: Any, *, none: bool = True) -> None:
        combo = QComboBox()
        if none:
            combo.addItem("—", None)
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        form.addRow(label, combo)
        self.fields[name] = combo

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the version's."""
        out: dict[str, Any] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QSpinBox):
                value: Any = widget.value()
                before = getattr(self.version, name)
            elif isinstance(widget, QLineEdit):
                value = widget.text().strip() or None
                before = self.version.values.get(name)
            else:
                value = widget.currentData()
                before = self.version.values.get(name)
            if value != before:
                out[name] = value
        return out


def open_curation(window: QWidget) -> CurationView:
    """Show the curation view of ``window``'s session (the one already open, if any)."""
    for view in window.findChildren(CurationView):
        view.show()
        view.raise_()
        view.activateWindow()
        return view
    session: ProjectSession = window.session  # type: ignore[attr-defined]
    view = CurationView(session, window)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.show()
    return view


__all__ = ["CurationView", "VersionEditDialog", "open_curation"]
