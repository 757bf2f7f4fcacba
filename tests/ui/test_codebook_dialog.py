"""The codebook editor saves through one undoable edit; renames keep claims, removals ask."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from stancemark.core.models import ArticleDraft
from stancemark.ui.codebook_dialog import CodebookDialog
from stancemark.ui.session import ProjectSession


@pytest.fixture
def dialog(qtbot, store):
    art = store.articles.add(ArticleDraft(text="The army stays, the minister said.", title="t"))
    store.annotations.add_claim(art, 0, 15, "alice", category="security")
    store.annotations.add_claim(art, 0, 15, "alice", category="rights")
    session = ProjectSession(store, "alice")
    dlg = CodebookDialog(session)
    qtbot.addWidget(dlg)
    return dlg


def row_of(table, key):
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == key)


def test_loads_and_round_trips_unchanged(dialog):
    book, renames = dialog.codebook()
    assert book == dialog.session.store.codebook.load() and renames == {}


def test_rename_keeps_claims_and_undo(dialog):
    store = dialog.session.store
    dialog.categories.item(row_of(dialog.categories, "security"), 0).setText("safety")
    dialog._on_save_clicked()
    assert store.codebook.category_usage() == {"safety": 1, "rights": 1}
    assert store.codebook.load().category("security-military").parent == "safety"
    dialog.session.undo_stack.undo()
    assert store.codebook.category_usage() == {"security": 1, "rights": 1}


def test_removing_a_used_category_offers_a_move(dialog, monkeypatch):
    store = dialog.session.store
    dialog.categories.removeRow(row_of(dialog.categories, "rights"))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("politics", True)))
    dialog._on_save_clicked()
    assert store.codebook.category_usage() == {"security": 1, "politics": 1}
    assert store.codebook.load().category("rights") is None


def test_invalid_entries_are_named(dialog, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda p, t, text: shown.append(text)))
    dialog.scale.item(0, 0).setText("minus two")
    dialog.types.item(0, 2).setText("blue")
    dialog._on_save_clicked()
    assert "'minus two' is not a whole number" in shown[0]
    assert "colour 'blue' is not of the form #rrggbb" in shown[0]
    assert dialog.session.undo_stack.count() == 0
