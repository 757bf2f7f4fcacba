"""The actor registry dialog drives the registry service through the session's undo stack."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from stancemark.core.models import ArticleDraft
from stancemark.ui.actor_registry_dialog import ActorRegistryDialog
from stancemark.ui.session import ProjectSession


@pytest.fixture
def dialog(qtbot, store):
    art = store.articles.add(ArticleDraft(text="Vučić met Kurti. Vucic left.", title="t"))
    a = store.actors.add("Aleksandar Vučić", "person", aliases=["Vučić"])
    b = store.actors.add("Vucic", "person")
    store.actors.add("Albin Kurti", "person", aliases=["Kurti", "the PM"])
    store.annotations.add_mention(art, 0, 5, a, "alice")
    store.annotations.add_mention(art, 17, 22, b, "alice")
    session = ProjectSession(store, "alice")
    dlg = ActorRegistryDialog(session)
    qtbot.addWidget(dlg)
    return dlg


def names(dlg):
    return [dlg.proxy.index(i, 0).data() for i in range(dlg.proxy.rowCount())]


def test_lists_filters_and_sorts(dialog):
    assert names(dialog) == ["Albin Kurti", "Aleksandar Vučić", "Vucic"]
    dialog.search.setText("vucic")  # folded: finds Vučić by name and alias
    assert names(dialog) == ["Aleksandar Vučić", "Vucic"]
    dialog.search.setText("the pm")
    assert names(dialog) == ["Albin Kurti"]
    dialog.search.clear()
    dialog.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # mentions
    assert names(dialog)[2] == "Albin Kurti"


def test_merge_then_undo(dialog, monkeypatch):
    dialog.select_actor(dialog.session.store.actors.by_name("Vucic").id)
    monkeypatch.setattr(QInputDialog, "getItem",
                        staticmethod(lambda *a, **k: ("Aleksandar Vučić", True)))
    dialog._on_merge_clicked()
    assert names(dialog) == ["Albin Kurti", "Aleksandar Vučić"]
    merged = [r for r in dialog.model.rows if r.name == "Aleksandar Vučić"][0]
    assert merged.mentions == 2  # "Vucic" folds like the alias "Vučić": not added twice
    assert dialog.session.undo_stack.undoText() == "Merge Vucic into Aleksandar Vučić"
    dialog.session.undo_stack.undo()
    assert names(dialog) == ["Albin Kurti", "Aleksandar Vučić", "Vucic"]


def test_delete_asks_with_counts(dialog, monkeypatch):
    dialog.select_actor(dialog.session.store.actors.by_name("Vucic").id)
    asked = []

    def question(parent, title, text, *rest):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog._on_delete_clicked()
    assert asked == ["Delete Vucic and its 1 mention?"]
    assert "Vucic" not in names(dialog)


def test_rename_refused_shows_message(dialog, monkeypatch):
    dialog.select_actor(dialog.session.store.actors.by_name("Vucic").id)
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("Albin Kurti", True)))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text: shown.append(text)))
    dialog._on_rename_clicked()
    assert shown and "already an actor" in shown[0]


def test_window_opens_registry_and_codebook(window, qtbot):
    from stancemark.ui.actor_registry_dialog import ActorRegistryDialog
    from stancemark.ui.codebook_dialog import CodebookDialog

    window.window_actions["actor_registry"].trigger()
    window.window_actions["codebook"].trigger()
    dialogs = window.findChildren(ActorRegistryDialog) + window.findChildren(CodebookDialog)
    assert len(dialogs) == 2
    for d in dialogs:
        d.close()


def test_ctrl_z_in_the_registry_undoes_the_last_edit_even_from_the_search(dialog, qtbot,
                                                                       monkeypatch):
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.select_actor(dialog.session.store.actors.by_name("Vucic").id)
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("Aleksandar Vucic", True)))
    dialog._on_rename_clicked()
    assert "Aleksandar Vucic" in names(dialog)
    dialog.search.setFocus()
    qtbot.keyClicks(dialog.search, "x")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Vucic" in names(dialog) and "Aleksandar Vucic" not in names(dialog)
    assert dialog.search.text() == ""
    qtbot.keyClick(dialog.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert "Aleksandar Vucic" in names(dialog)
