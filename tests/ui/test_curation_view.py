"""The curation view: the automatic step, one key per decision, undo on the window's stack."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from stancemark.ui.curation_view import CurationView, VersionEditDialog
from stancemark.ui.session import ProjectSession
from tests.services.test_adjudication import fill


@pytest.fixture
def view(qtbot, store):
    ids = fill(store)
    session = ProjectSession(store, "maria")
    v = CurationView(session)
    qtbot.addWidget(v)
    v.show()
    qtbot.waitExposed(v)
    v.activateWindow()
    qtbot.waitUntil(v.isActiveWindow)  # the one-key shortcuts fire only in the active window
    v.ids = ids
    return v


def test_curate_to_100_percent_with_one_key_each_and_undo(view, qtbot) -> None:
    assert view.annotators_edit.text() == "alice, bojan, chen"
    assert view.start()
    assert view.progress_label.text().startswith("Decided 0 of 8 units")
    view.strategy_combo.setCurrentText("majority")
    view.run_automatic()
    assert view.progress_label.text().startswith("Decided 6 of 8 units")
    assert "accepted 5, closed 1" in view.message_label.text()

    unit = view.current()
    assert unit is not None and unit.layer == "actor_sentiment"
    rows = [view.versions.item(i).text() for i in range(view.versions.count())]
    assert len(rows) == 3 and rows[0].startswith("1  alice: +1")
    view.versions.setFocus()
    qtbot.keyClick(view.versions, Qt.Key.Key_2)  # bojan's +2
    store = view.session.store
    assert store.annotations.sentiment(view.ids["a1"], view.ids["kurti"], "gold") == 2

    unit = view.current()
    assert unit is not None and unit.layer == "mentions" and unit.article_id == view.ids["a2"]
    qtbot.keyClick(view.versions, Qt.Key.Key_R)  # reject every version: closed
    assert view.progress_label.text().startswith("Decided 8 of 8 units (100.0 %)")
    assert view.current() is None and view.unit_label.text() == "Nothing left to decide."

    qtbot.keyClick(view.versions, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.progress_label.text().startswith("Decided 7 of 8 units")
    assert view.current() is not None and view.current().layer == "mentions"
    view.session.undo_stack.undo()
    view.session.undo_stack.undo()  # the automatic step is one step
    assert view.progress_label.text().startswith("Decided 0 of 8 units")
    assert store.annotations.mentions(view.ids["a1"], "gold") == []


def test_edit_accepts_a_changed_version(view, monkeypatch) -> None:
    view.start()
    view.run_automatic()  # unanimous: the Kurti mention and the article sentiment
    while view.current() is not None and view.current().layer != "actor_sentiment":
        view.skip(1)
    monkeypatch.setattr(VersionEditDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(VersionEditDialog, "changes", lambda self: {"value": -2})
    view.edit_version()
    store = view.session.store
    assert store.annotations.sentiment(view.ids["a1"], view.ids["kurti"], "gold") == -2


def test_edit_dialog_reports_only_what_changed(view) -> None:
    view.start()
    unit = next(u for u in view.queue if u.layer == "claims" and u.start == 0)
    version = unit.versions["chen"]
    dialog = VersionEditDialog(view.session, unit, version, view)
    assert dialog.changes() == {}
    dialog.fields["stance"].setCurrentIndex(dialog.fields["stance"].findData(2))
    dialog.fields["end"].setValue(33)
    assert dialog.changes() == {"stance": 2, "end": 33}
    dialog.close()


def test_refusals_are_shown_not_raised(view) -> None:
    view.annotators_edit.setText("alice")
    assert not view.start()
    assert "at least two" in view.message_label.text()
    view.annotators_edit.setText("alice, bojan")
    view.strategy_combo.setCurrentText("min:5")
    view.run_automatic()
    assert "min:5" in view.message_label.text()


def test_the_view_menu_opens_it_once(window, qtbot) -> None:
    action = window.window_actions["curation"]
    assert action in window.menus["View"].actions()
    action.trigger()
    action.trigger()
    views = window.findChildren(CurationView)
    assert len(views) == 1
    views[0].close()
