"""Drive the real annotation window: select text, press keys, and check what the project holds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from stancemark.core.spans import Utf16Index
from stancemark.store import Store


def select_text(win, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Select ``needle`` in the article view with a text cursor; return its code-point span."""
    text = win.session.article.text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    end = start + len(needle)
    edit = win.article_view.text_edit
    index = Utf16Index(win.session.article.text)
    cursor = edit.textCursor()
    cursor.setPosition(index.to_utf16(start))
    cursor.setPosition(index.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.setFocus()
    return start, end


def key(qtbot, win, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(win.article_view.text_edit, k, modifier)


def tag_existing(qtbot, win, needle: str, typed: str) -> None:
    select_text(win, needle)
    key(qtbot, win, Qt.Key.Key_A)
    picker = win.actor_picker
    assert picker.isVisible()
    picker.search_edit.clear()
    qtbot.keyClicks(picker.search_edit, typed)
    with qtbot.waitSignal(win.session.changed):
        qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)


def tag_new(qtbot, win, needle: str, name: str | None, type_key: str,
            occurrence: int = 0) -> None:
    select_text(win, needle, occurrence)
    key(qtbot, win, Qt.Key.Key_A)
    picker = win.actor_picker
    assert picker.isVisible()
    assert picker.search_edit.text() == needle  # the selection is pre-typed
    if name is not None:
        picker.search_edit.clear()
        qtbot.keyClicks(picker.search_edit, name)
    picker.list.setCurrentRow(picker.list.count() - 1)  # "+ New actor …"
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    assert picker.isVisible()  # second step: the type
    with qtbot.waitSignal(win.session.changed):
        qtbot.keyClicks(picker.search_edit, type_key)


def test_window_shows_three_regions_and_first_article(window) -> None:
    assert window.session.article is not None
    assert window.session.article.title == "Kurti meets Vučić"
    assert window.splitter.count() == 3
    assert window.article_list.model.rowCount() == 3
    assert "Kurti meets Vučić" in window.article_view.header.text()
    assert "alice" in window.annotator_label.text()


def test_tag_actors_claim_stance_sentiment_undo_redo(qtbot, window, project: Store) -> None:
    win = window
    art = win.session.article.id
    # a new actor, created with a type key in the picker's second step
    tag_new(qtbot, win, "Albin Kurti", None, "p")
    kurti = project.actors.by_name("Albin Kurti")
    assert kurti is not None and kurti.type == "person"
    [m] = project.annotations.mentions(art)
    assert (m.text, m.actor_id, m.annotator) == ("Albin Kurti", kurti.id, "alice")
    assert project.articles.status(art) == "in_progress"  # first annotation moves it on

    # the same actor again, picked by typing part of its name
    tag_existing(qtbot, win, "Kurti", "kurt")
    assert [x.text for x in project.annotations.mentions(art)] == ["Kurti", "Albin Kurti"]

    # a second new actor under a name other than the selected text (the text becomes an alias)
    tag_new(qtbot, win, "Aleksandar Vučić", "Vucic", "p")
    vucic = project.actors.by_name("Vucic")
    assert vucic is not None and "Aleksandar Vučić" in vucic.aliases
    assert win.window_actions["undo"].text().startswith("&Undo Tag 'Aleksandar Vučić' as new actor")

    # a claim: claimant guessed from the nearest mention before it
    claim_text = "the police will stay in the north"
    select_text(win, claim_text)
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_C)
    [claim] = project.annotations.claims(art)
    assert claim.text == claim_text and claim.claimant_id == kurti.id
    assert win.session.selection == ("claim", claim.id)
    view = win.tagging_panel.claim_view
    assert view.model().data(view.currentIndex(), Qt.ItemDataRole.UserRole + 1) \
        == ("claim", claim.id)

    # stance by number key (scale shortcut "1" = -2), category and target from the panel
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_1)
    assert project.annotations.claim(claim.id).stance == -2
    panel = win.tagging_panel
    editor = panel.claim_editor
    editor.category_combo.setCurrentIndex(editor.category_combo.findData("security-police"))
    editor.category_combo.activated.emit(editor.category_combo.currentIndex())
    editor.target_combo.setCurrentIndex(editor.target_combo.findData(vucic.id))
    editor.target_combo.activated.emit(editor.target_combo.currentIndex())
    got = project.annotations.claim(claim.id)
    assert (got.category, got.target_id) == ("security-police", vucic.id)

    # article sentiment with Ctrl+number, an actor's portrayal with a number on its row
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert project.annotations.sentiment(art, None, "alice") == -1
    win.session.select(("actor", kurti.id))
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_5)
    assert project.annotations.sentiment(art, kurti.id, "alice") == 2
    assert panel.portrayal_bar.buttons[2].isChecked()

    # undo three steps (portrayal, article sentiment, target), then redo them
    for _ in range(3):
        key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.annotations.sentiment(art, kurti.id, "alice") is None
    assert project.annotations.sentiment(art, None, "alice") is None
    assert project.annotations.claim(claim.id).target_id is None
    key(qtbot, win, Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, win, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, win, Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert project.annotations.claim(claim.id).target_id == vucic.id
    assert project.annotations.sentiment(art, None, "alice") == -1
    assert project.annotations.sentiment(art, kurti.id, "alice") == 2

    # delete the selected claim with the Delete key; undo brings the same row back
    win.session.select(("claim", claim.id))
    key(qtbot, win, Qt.Key.Key_Delete)
    assert project.annotations.claims(art) == []
    key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.annotations.claim(claim.id).stance == -2


def test_escape_cancels_the_picker(qtbot, window, project: Store) -> None:
    select_text(window, "Brussels")
    key(qtbot, window, Qt.Key.Key_A)
    assert window.actor_picker.isVisible()
    qtbot.keyClick(window.actor_picker.search_edit, Qt.Key.Key_Escape)
    assert not window.actor_picker.isVisible()
    assert project.annotations.mentions(window.session.article.id) == []


def test_undo_across_articles_switches_back(qtbot, window, project: Store) -> None:
    win = window
    first = win.session.article.id
    tag_new(qtbot, win, "Albin Kurti", None, "p")
    key(qtbot, win, Qt.Key.Key_J)  # next article
    assert win.session.article.id != first
    with qtbot.waitSignal(win.session.article_opened):
        key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.session.article.id == first
    assert project.annotations.mentions(first) == []
    assert project.articles.status(first) == "new"
    key(qtbot, win, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert [m.text for m in project.annotations.mentions(first)] == ["Albin Kurti"]


def test_status_keys_and_next_previous(qtbot, window, project: Store) -> None:
    win = window
    ids = project.articles.ids()
    assert win.session.article.id == ids[0]
    key(qtbot, win, Qt.Key.Key_D)  # mark done
    assert project.articles.status(ids[0]) == "done"
    assert win.article_list.model.data(win.article_list.model.index(0, 3)) == "Done"
    key(qtbot, win, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert win.session.article.id == ids[1]
    key(qtbot, win, Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert project.articles.status(ids[1]) == "in_progress"
    key(qtbot, win, Qt.Key.Key_K)  # previous
    assert win.session.article.id == ids[0]
    key(qtbot, win, Qt.Key.Key_U)  # next unfinished skips nothing done after the first
    assert win.session.article.id == ids[1]
    win.open_article(ids[2])
    key(qtbot, win, Qt.Key.Key_D)
    key(qtbot, win, Qt.Key.Key_U)  # wraps around past the done ones
    assert win.session.article.id == ids[1]


def test_shortcut_sheet_opens_with_f1(qtbot, window) -> None:
    with qtbot.waitSignal(window.shortcut_sheet_shown):
        key(qtbot, window, Qt.Key.Key_F1)
    sheet = window.shortcut_sheet
    qtbot.addWidget(sheet)
    text = sheet.browser.toPlainText()
    assert "Tag Actor" in text and "Ctrl+Z" in text and "F1" in text
    assert "(A)" in window.window_actions["tag_actor"].toolTip()


def test_annotator_is_stored_and_switchable(qtbot, window, project: Store) -> None:
    window.set_annotator("bob")
    assert "bob" in window.annotator_label.text()
    tag_new(qtbot, window, "Albin Kurti", None, "p")
    [m] = project.annotations.mentions(window.session.article.id)
    assert m.annotator == "bob"


def test_new_actor_as_claim_target_from_the_picker(qtbot, window, project: Store) -> None:
    win = window
    art = win.session.article.id
    select_text(win, "the police will stay in the north")
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_C)
    [claim] = project.annotations.claims(art)
    key(qtbot, win, Qt.Key.Key_T)  # target picker
    picker = win.actor_picker
    assert picker.isVisible()
    qtbot.keyClicks(picker.search_edit, "Kosovo Police")
    picker.list.setCurrentRow(picker.list.count() - 1)  # "+ New actor …"
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    assert picker.isVisible()  # second step: the type
    with qtbot.waitSignal(win.session.changed):
        qtbot.keyClicks(picker.search_edit, "o")
    police = project.actors.by_name("Kosovo Police")
    assert police is not None and police.type == "organisation"
    assert project.annotations.claim(claim.id).target_id == police.id
    # one undo step takes both the target and the new actor away
    key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.annotations.claim(claim.id).target_id is None
    assert project.actors.by_name("Kosovo Police") is None


def test_picker_finds_a_name_typed_without_its_letters(qtbot, window, project: Store) -> None:
    djuric = project.actors.add("Nikola Đurić", "person")
    window.session._actors = None  # the registry changed outside the window
    select_text(window, "Brussels")
    key(qtbot, window, Qt.Key.Key_A)
    assert window.actor_picker.isVisible()
    qtbot.keyClicks(window.actor_picker.search_edit, "Djuric")
    qtbot.keyClick(window.actor_picker.search_edit, Qt.Key.Key_Return)
    mentions = project.annotations.mentions(window.session.article.id)
    assert [(m.text, m.actor_id) for m in mentions] == [("Brussels", djuric)]


def test_a_team_project_is_annotated_as_its_member(make_window, project):
    from stancemark.store import team

    with project.write() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)",
                     (team.TEAM_URL, "postgresql://dragana@127.0.0.1:5432/team"))
    win = make_window(project, None)
    assert win.session.annotator == "dragana"
