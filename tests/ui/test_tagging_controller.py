"""The tagging controller's picker flow: what the open picker is picking for, as a typed value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from stancemark.store import Store
from stancemark.ui.tagging_controller import ClaimActor, RelinkMention, TagText
from tests.ui.test_main_window import key, select_text


def test_tagging_text_waits_for_the_picker_as_tag_text(qtbot, window, project: Store) -> None:
    start, end = select_text(window, "Albin Kurti")
    key(qtbot, window, Qt.Key.Key_A)
    assert window.actor_picker.isVisible()
    assert window.tagging.pending == TagText(start, end)
    qtbot.keyClick(window.actor_picker.search_edit, Qt.Key.Key_Escape)
    assert window.tagging.pending is None
    assert project.annotations.mentions(window.session.article.id) == []


def test_a_selected_mention_is_relinked_to_the_picked_actor(qtbot, window,
                                                            project: Store) -> None:
    art = window.session.article.id
    session = window.session
    for name in ("Albin Kurti", "Aleksandar Vučić"):
        start, end = select_text(window, name)
        with qtbot.waitSignal(session.changed):
            session.perform(session.service.tag_new_actor(art, start, end, name, "person"))
    kurti, vucic = sorted(project.annotations.mentions(art), key=lambda m: m.start)
    session.select(("mention", kurti.id))
    window.article_view.text_edit.moveCursor(QTextCursor.MoveOperation.Start)  # no text
    key(qtbot, window, Qt.Key.Key_A)
    pending = window.tagging.pending
    assert isinstance(pending, RelinkMention) and pending.mention.id == kurti.id
    with qtbot.waitSignal(session.changed):
        window.actor_picker.picked.emit(vucic.actor_id)
    assert window.tagging.pending is None
    assert project.annotations.mention(kurti.id).actor_id == vucic.actor_id


def test_claim_roles_are_picked_for_the_selected_claim(qtbot, window, project: Store) -> None:
    art = window.session.article.id
    select_text(window, "the police will stay in the north")
    with qtbot.waitSignal(window.session.changed):
        key(qtbot, window, Qt.Key.Key_C)
    [claim] = project.annotations.claims(art)
    for letter, role in ((Qt.Key.Key_N, "claimant"), (Qt.Key.Key_T, "target")):
        key(qtbot, window, letter)
        pending = window.tagging.pending
        assert isinstance(pending, ClaimActor)
        assert (pending.claim.id, pending.role) == (claim.id, role)
        qtbot.keyClick(window.actor_picker.search_edit, Qt.Key.Key_Escape)
        assert window.tagging.pending is None


def test_picking_without_a_claim_says_what_to_do(qtbot, window) -> None:
    key(qtbot, window, Qt.Key.Key_N)
    assert window.tagging.pending is None
    assert not window.actor_picker.isVisible()
    assert window.last_message == "Select a claim first, then press N."
