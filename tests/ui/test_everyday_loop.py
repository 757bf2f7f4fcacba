"""Issue 11: the everyday loop — focus, where keys land, what a key acts on, closing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from stancemark.store import Store, open_project
from tests.ui.test_main_window import key, select_text, tag_new
from tests.ui.test_window_features import make_file_project


def add_claim(qtbot, win, text: str) -> int:
    select_text(win, text)
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_C)
    ref = win.session.selection
    assert ref is not None and ref[0] == "claim"
    return ref[1]


# -- 2. focus -------------------------------------------------------------------------------
def test_focus_starts_in_the_article_text(window) -> None:
    assert QApplication.focusWidget() is window.article_view.text_edit


def test_window_shortcuts_work_from_the_search_box(qtbot, window, project: Store) -> None:
    win = window
    tag_new(qtbot, win, "Albin Kurti", None, "p")
    art = win.session.article.id
    search = win.article_list.search_edit
    search.setFocus()
    qtbot.keyClicks(search, "q")
    with qtbot.waitSignal(win.session.changed):
        qtbot.keyClick(search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.annotations.mentions(art) == []  # the annotation was undone …
    assert search.text() == "q"  # … not the typed search
    opened = []
    win.window_actions["export_annotations"].triggered.connect(lambda: opened.append(1))
    qtbot.keyClick(search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert opened
    if win.export_dialog is not None:
        win.export_dialog.close()
    search.setFocus()
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is win.article_view.text_edit


# -- 3. the note field ------------------------------------------------------------------------
def test_note_enter_saves_and_returns_to_the_text_escape_cancels(qtbot, window,
                                                               project: Store) -> None:
    win = window
    claim_id = add_claim(qtbot, win, "the police will stay in the north")
    key(qtbot, win, Qt.Key.Key_E)
    note = win.tagging_panel.claim_editor.note_edit
    assert QApplication.focusWidget() is note
    qtbot.keyClicks(note, "speaker")
    with qtbot.waitSignal(win.session.changed):
        qtbot.keyClick(note, Qt.Key.Key_Return)
    assert project.annotations.claim(claim_id).note == "speaker"
    assert QApplication.focusWidget() is win.article_view.text_edit
    with qtbot.waitSignal(win.session.changed):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4)
    assert project.annotations.claim(claim_id).stance == 1  # the 4 was a stance key
    assert note.text() == "speaker"
    key(qtbot, win, Qt.Key.Key_E)
    qtbot.keyClicks(note, "draft")
    qtbot.keyClick(note, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is win.article_view.text_edit
    assert note.text() == "speaker"
    assert project.annotations.claim(claim_id).note == "speaker"


# -- 4. what a key acts on ---------------------------------------------------------------------
def click_text(qtbot, win, needle: str) -> None:
    edit = win.article_view.text_edit
    cursor = edit.textCursor()
    cursor.setPosition(win.article_view.text_edit.to_view(
        win.session.article.text.index(needle) + 1))
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton,
                     pos=edit.cursorRect(cursor).center())


def test_a_click_on_plain_text_disarms_the_selection(qtbot, window, project: Store) -> None:
    win = window
    claim_id = add_claim(qtbot, win, "the police will stay in the north")
    assert win.session.selection == ("claim", claim_id)
    click_text(qtbot, win, "urged both sides")  # plain text, another paragraph
    assert win.session.selection is None
    key(qtbot, win, Qt.Key.Key_5)
    key(qtbot, win, Qt.Key.Key_Backspace)
    claim = project.annotations.claim(claim_id)
    assert claim.stance is None  # neither key reached the claim
    win.session.select(("claim", claim_id))
    key(qtbot, win, Qt.Key.Key_Escape)
    assert win.session.selection is None
    assert win.article_view.text_edit.extraSelections() == []


# -- 10. nothing reads a closed project -----------------------------------------------------
def test_closing_stops_timers_and_workers_before_the_project_closes(qtbot, tmp_path: Path
                                                                    ) -> None:
    from stancemark.ui.main_window import MainWindow

    path = tmp_path / "p.stancemark"
    make_file_project(path)
    store = open_project(path)
    win = MainWindow(store, "alice", owns_store=True)
    win.persist_state = False
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    # a search typed, suggestions pending, a note half typed: all still in flight
    qtbot.keyClicks(win.article_list.search_edit, "Kurti")
    win.suggestions.schedule()
    win.session.select(("claim", store.annotations.claims(win.session.article.id)[0].id))
    win.tagging_panel.claim_editor.focus_note()
    qtbot.keyClicks(win.tagging_panel.claim_editor.note_edit, "half")
    win.close()
    qtbot.wait(400)  # longer than the search and suggestion delays
    assert not win.article_list._search_timer.isActive()
    reopened = open_project(path, read_only=True)
    try:
        [claim] = reopened.annotations.claims(reopened.articles.ids()[0])
        assert claim.note == "half"  # the typed note was saved before closing
    finally:
        reopened.close()


# -- 5. codebook changes reach every widget ---------------------------------------------------
def test_codebook_changes_reach_the_claim_editor_and_scale_bars(qtbot, window) -> None:
    from stancemark.core.codebook import Category, ScalePoint
    from stancemark.services.codebook_io import ReplaceCodebook, plan_codebook

    win = window
    claim_id = add_claim(qtbot, win, "the police will stay in the north")
    dialog = win.show_codebook()
    table = dialog.categories
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "security")
    table.item(row, 1).setText("Public safety")
    dialog._on_add_clicked(table)
    last = table.rowCount() - 1
    for col, text in enumerate(("water", "Water rights", "", "", "#336699", "")):
        table.item(last, col).setText(text)
    with qtbot.waitSignal(win.session.changed):
        dialog._on_save_clicked()
    combo = win.tagging_panel.claim_editor.category_combo
    labels = [combo.itemText(i).strip() for i in range(combo.count())]
    assert "Public safety" in labels and "Water rights" in labels and "Security" not in labels
    assert win.session.selection == ("claim", claim_id)
    # G offers the new list too, and picking from it sets the category
    key(qtbot, win, Qt.Key.Key_G)
    combo.hidePopup()
    index = combo.findData("water")
    combo.setCurrentIndex(index)
    with qtbot.waitSignal(win.session.changed):
        combo.activated.emit(index)
    assert win.session.store.annotations.claim(claim_id).category == "water"
    assert QApplication.focusWidget() is win.article_view.text_edit
    # a new scale: the stance, sentiment and portrayal bars follow at once
    s = win.session
    book = s.store.codebook.load()
    book.scale = [ScalePoint(v, f"value {v}", "#888888", str(i + 1))
                  for i, v in enumerate(range(-3, 4))]
    book.categories = [*book.categories, Category("spare", "Spare", None, "", "#999999", "")]
    with qtbot.waitSignal(s.changed):
        s.perform(ReplaceCodebook(plan_codebook(s.store, book)))
    panel = win.tagging_panel
    for bar in (panel.sentiment_bar, panel.portrayal_bar, panel.claim_editor.stance_bar):
        assert sorted(bar.buttons) == list(range(-3, 4))


# -- 7. keys that desktops take ---------------------------------------------------------------
def test_no_default_key_is_one_a_desktop_takes(window) -> None:
    from PySide6.QtGui import QKeySequence

    from stancemark.ui.actions import DESKTOP_KEYS

    taken = {QKeySequence(k) for k in DESKTOP_KEYS}
    for name, spec in window.window_actions.specs.items():
        for k in spec.shortcuts:
            seq = QKeySequence(k)
            assert seq not in taken, f"{name}: {k} is a desktop's key"
            assert not seq[0].keyboardModifiers() & Qt.KeyboardModifier.MetaModifier, name
    assert window.article_view.text_edit.exact_modifier == Qt.KeyboardModifier.ControlModifier


def test_span_keys_work_and_can_be_changed_in_the_settings(qtbot, make_window,
                                                           project: Store) -> None:
    from stancemark.ui.qt_app import settings
    from stancemark.ui.shortcut_sheet import sheet_html

    s = settings()
    s.setValue("shortcuts/end_right", "Ctrl+]")
    s.setValue("shortcuts/end_left", "")
    s.setValue("shortcuts/exact_selection", "Shift")
    try:
        win = make_window(project)
    finally:
        s.remove("shortcuts")
    assert [k.toString() for k in win.window_actions["end_right"].shortcuts()] == ["Ctrl+]"]
    assert win.window_actions["end_left"].shortcuts() == []
    assert win.article_view.text_edit.exact_modifier == Qt.KeyboardModifier.ShiftModifier
    html = sheet_html(win.window_actions, win.article_view.text_edit.exact_modifier)
    assert "Ctrl+]" in html and "hold Shift while dragging" in html
    tag_new(qtbot, win, "Kurti", None, "p", occurrence=1)
    [m] = project.annotations.mentions(win.session.article.id)
    win.session.select(("mention", m.id))
    key(qtbot, win, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert project.annotations.mention(m.id).text == "Kurti said"
    key(qtbot, win, Qt.Key.Key_Comma, Qt.KeyboardModifier.AltModifier)  # the default start key
    assert project.annotations.mention(m.id).text == "Albin Kurti said"


# -- 6. window size and pickers on small screens ----------------------------------------------
def test_first_size_follows_the_available_screen(window) -> None:
    from stancemark.ui.main_window import FRAME_ALLOWANCE, first_geometry

    for avail in (QRect(0, 0, 1366, 738), QRect(0, 27, 1024, 613), QRect(0, 0, 2560, 1400)):
        got = first_geometry(avail)
        with_frame = QRect(got.topLeft(), got.size() + FRAME_ALLOWANCE)
        assert avail.contains(with_frame), (avail, got)
        assert got.width() <= 1400 and got.height() <= 860
    assert first_geometry(QRect(0, 0, 2560, 1400)).size().toTuple() == (1400, 860)
    # a window with no saved geometry starts inside the screen it is on
    screen = window.screen().availableGeometry()
    assert window.width() <= screen.width() and window.height() <= screen.height()


def test_every_control_is_reachable_at_1024_by_640(qtbot, window) -> None:
    win = window
    add_claim(qtbot, win, "the police will stay in the north")
    win.resize(1024, 640 - 30)  # the screen less a title bar
    qtbot.waitUntil(lambda: win.width() == 1024)
    assert win.height() <= 610
    area = win.rect()
    panel = win.tagging_panel
    editor = panel.claim_editor
    for widget in (editor.stance_bar, editor.note_edit, editor.category_combo,
                   panel.sentiment_bar, panel.portrayal_bar, win.statusBar(),
                   win.article_list.search_edit, win.article_view.text_edit):
        rect = widget.rect().translated(widget.mapTo(win, widget.rect().topLeft()))
        assert widget.isVisible() and area.contains(rect), widget.objectName() or widget
    header = panel.claim_view.horizontalHeader()
    stance_right = header.sectionViewportPosition(3) + header.sectionSize(3)
    assert stance_right <= panel.claim_view.viewport().width()  # no scrolling to see it


def test_actor_picker_stays_on_screen_at_the_bottom_of_the_text(qtbot, make_window,
                                                                project: Store) -> None:
    from stancemark.core.models import ArticleDraft

    long_id = project.articles.add(ArticleDraft(
        "\n".join(f"Paragraph {i}: Albin Kurti spoke to the press again." for i in range(80)),
        title="Long"))
    win = make_window(project)
    win.open_article(long_id)
    screen = win.screen().availableGeometry()
    win.resize(min(700, screen.width()), min(420, screen.height()))
    win.move(screen.left(), screen.bottom() - win.frameGeometry().height())
    edit = win.article_view.text_edit
    qtbot.waitUntil(lambda: win.geometry().bottom() >= screen.bottom() - 40)
    # select a word on the last line of the visible text (the text is longer than the view)
    assert edit.verticalScrollBar().maximum() > 0
    cursor = edit.cursorForPosition(QPoint(12, edit.viewport().height() - 6))
    cursor.movePosition(cursor.MoveOperation.StartOfWord)
    cursor.movePosition(cursor.MoveOperation.EndOfWord, cursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.setFocus()
    assert edit.textCursor().hasSelection()
    key(qtbot, win, Qt.Key.Key_A)
    picker = win.actor_picker
    assert picker.isVisible()
    assert screen.contains(picker.frameGeometry()), (screen, picker.frameGeometry())
    text_top = edit.viewport().mapToGlobal(edit.cursorRect().topLeft()).y()
    assert picker.frameGeometry().bottom() <= text_top or \
        picker.frameGeometry().top() >= text_top  # never over the selected word
    picker.hide()


# -- 9. smaller things ----------------------------------------------------------------------------
def test_export_dialog_shows_the_whole_date_label(qtbot, window) -> None:
    dialog = window.show_export_dialog()
    qtbot.waitExposed(dialog)
    # the row's box squeezed (a narrow screen, a large font): the label keeps its words
    dialog.matching.layout().setGeometry(QRect(0, 0, 300, 120))
    check = dialog.date_check
    assert check.width() >= check.sizeHint().width()
    dialog.close()


def test_registry_shows_type_labels_not_keys(qtbot, window, project: Store) -> None:
    tag_new(qtbot, window, "Albin Kurti", None, "p")
    dialog = window.show_actor_registry()
    model = dialog.model
    assert model.data(model.index(0, 1)) == "Person"
    dialog.close()


def test_banner_says_why_a_held_project_is_read_only(make_window, tmp_path: Path) -> None:
    from stancemark.ui import qt_app

    path = tmp_path / "held.stancemark"
    make_file_project(path)
    holder = open_project(path)
    try:
        store = qt_app.open_store(path, False)
        win = make_window(store)
        try:
            text = win.banner.text()
            assert "another Stancemark window has it open for writing" in text
            assert "opened read-only" not in text
        finally:
            win.close()
            store.close()
    finally:
        holder.close()


def test_import_ends_in_a_notice_not_a_modal_box(qtbot, window, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Headline\n\nBody of an article.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    with qtbot.waitSignal(window.import_finished, timeout=20_000):
        window.import_paths([folder])
    qtbot.wait(50)
    assert QApplication.activeModalWidget() is None
    assert window.notice.isVisible() and "Import finished: " in window.notice.text
    assert "empty" in window.notice.label.toolTip()
    assert QApplication.focusWidget() is window.article_view.text_edit


def test_header_does_not_repeat_the_title_and_lede_the_text_begins_with(make_window,
                                                                        store: Store) -> None:
    from stancemark.core.models import ArticleDraft

    store.articles.add(ArticleDraft("Port closed again\nThe dockers stay out.\nMore text here.",
                                    title="Port closed again", subtitle="The dockers stay out.",
                                    source="Harbour News"))
    win = make_window(store)
    header = win.article_view.header.text()
    assert "Port closed again" not in header and "dockers" not in header
    assert "Harbour News" in header


def test_an_empty_project_says_how_to_import(make_window, store: Store) -> None:
    win = make_window(store)
    assert "Import" in win.article_view.header.text()
    assert "Ctrl+I" in win.article_view.text_edit.placeholderText()


def test_scale_keys_are_shown_beside_the_buttons(window) -> None:
    panel = window.tagging_panel
    assert panel.claim_editor.stance_bar.key_hint.text() == "keys 1…5"
    assert panel.sentiment_bar.key_hint.text() == "keys Ctrl+1…5"
    assert "1 = -2" in panel.claim_editor.stance_bar.key_hint.toolTip()


def test_mention_rows_say_where_each_mention_is(qtbot, window, project: Store) -> None:
    win = window
    tag_new(qtbot, win, "Kurti", None, "p")
    select_text(win, "Kurti", 1)
    key(qtbot, win, Qt.Key.Key_A)
    picker = win.actor_picker
    with qtbot.waitSignal(win.session.changed):
        qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    actor_item = win.tagging_panel.actor_tree.topLevelItem(0)
    actor_item.setExpanded(True)
    rows = [actor_item.child(i).text(0) for i in range(actor_item.childCount())]
    assert len(rows) == 2 and len(set(rows)) == 2
    assert any("meets" in r for r in rows) and any("said on" in r for r in rows)


# -- 8. the claimant guess is marked until confirmed ----------------------------------------------
def test_a_guessed_claimant_is_marked_until_confirmed_or_set(qtbot, window,
                                                            project: Store) -> None:
    win = window
    tag_new(qtbot, win, "Albin Kurti", None, "p")
    tag_new(qtbot, win, "Aleksandar Vučić", None, "p")
    kurti = project.actors.by_name("Albin Kurti")
    claim_id = add_claim(qtbot, win, "the police will stay in the north")
    assert project.annotations.claim(claim_id).claimant_id == kurti.id  # the guess
    panel = win.tagging_panel
    model, editor = panel.claim_model, panel.claim_editor
    row = model.row_of(claim_id)
    assert model.data(model.index(row, 1)) == "Albin Kurti (guess)"
    assert model.data(model.index(row, 1), Qt.ItemDataRole.FontRole).italic()
    assert editor.guess_label.isVisible()
    # N pre-types the guessed claimant: Enter confirms it, with nothing written
    undo_steps = win.session.undo_stack.count()
    key(qtbot, win, Qt.Key.Key_N)
    picker = win.actor_picker
    assert picker.search_edit.text() == "Albin Kurti"
    with qtbot.waitSignal(win.session.changed):
        qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    assert model.data(model.index(model.row_of(claim_id), 1)) == "Albin Kurti"
    assert not editor.guess_label.isVisible()
    assert win.session.undo_stack.count() == undo_steps
    # a claimant set by hand is no guess either
    second = add_claim(qtbot, win, "Belgrade would never accept it")
    assert win.session.claimant_guessed(second)
    vucic = project.actors.by_name("Aleksandar Vučić")
    combo = editor.claimant_combo
    combo.setCurrentIndex(combo.findData(vucic.id))
    with qtbot.waitSignal(win.session.changed):
        combo.activated.emit(combo.currentIndex())
    assert not win.session.claimant_guessed(second)
    assert "(guess)" not in model.data(model.index(model.row_of(second), 1))
