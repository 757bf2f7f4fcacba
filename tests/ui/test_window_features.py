"""Read-only banner, screenshot CLI, article list paging, span editing, import, tooltips."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QWidget

from stancemark.core.models import ArticleDraft
from stancemark.core.spans import Utf16Index
from stancemark.store import Store, open_project
from tests.ui.conftest import ARTICLE_ONE
from tests.ui.test_main_window import key, select_text, tag_new


def make_file_project(path: Path, n_articles: int = 2, *, annotate: bool = True) -> None:
    with open_project(path, create=True) as store:
        store.articles.add_many([ArticleDraft(ARTICLE_ONE + f"\nCopy {i}.", title=f"Story {i}",
                                              source="Balkan Daily")
                                 for i in range(n_articles)])
        if annotate:
            first = store.articles.ids()[0]
            text = store.articles.get(first).text
            actor = store.actors.add("Albin Kurti", "person")
            start = text.index("Albin Kurti")
            store.annotations.add_mention(first, start, start + 11, actor, "demo")
            claim = text.index("the police will stay")
            store.annotations.add_claim(first, claim, claim + len("the police will stay"),
                                        "demo", claimant_id=actor, category="security-police",
                                        stance=-1)


def test_read_only_project_shows_banner_and_disables_editing(qtbot, make_window,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "held.stancemark"
    make_file_project(path)
    store = open_project(path, read_only=True)
    win = make_window(store)
    try:
        assert win.banner.isVisible()
        assert "read-only" in win.banner.text().lower()
        assert not win.window_actions["tag_actor"].isEnabled()
        assert not win.window_actions["status_done"].isEnabled()
        assert win.window_actions["next_article"].isEnabled()  # reading still works
        select_text(win, "Belgrade")
        key(qtbot, win, Qt.Key.Key_A)
        assert not win.actor_picker.isVisible()
        assert not win.tagging_panel.sentiment_bar.isEnabled()
        assert "read-only" in win.windowTitle()
    finally:
        win.close()  # first: its pending suggestion work still reads the project
        store.close()


def test_writable_project_has_no_banner(window) -> None:
    assert not window.banner.isVisible()
    assert window.window_actions["tag_actor"].isEnabled()


def test_screenshot_cli_writes_png(qapp, tmp_path: Path) -> None:
    from stancemark.cli import main

    project = tmp_path / "shot.stancemark"
    make_file_project(project)
    png = tmp_path / "shot.png"
    assert main(["--screenshot", str(png), str(project)]) == 0
    image = QImage(str(png))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1440, 900)
    assert png.stat().st_size > 20_000


def test_article_list_fetches_lazily_and_sorts(qtbot, store: Store) -> None:
    from stancemark.ui.article_list import ArticleListModel

    store.articles.add_many([ArticleDraft(f"Text number {i} about Brussels.", title=f"T{i:04d}")
                             for i in range(450)])
    model = ArticleListModel(store)
    assert model.rowCount() == 200 and model.total() == 450
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 450 and not model.canFetchMore()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "T0449"
    model.set_filter(None, "number 17")
    assert model.total() == 11  # every word must match as a prefix: 17 and 170…179


def test_article_list_filter_and_search(qtbot, window, project: Store) -> None:
    panel = window.article_list
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("done"))
    assert panel.model.rowCount() == 0
    panel.status_combo.setCurrentIndex(0)
    panel.search_edit.setText("Borrell")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.data(panel.model.index(0, 0)) == "Talks resume"


def test_span_boundaries_move_by_word_and_respan(qtbot, window, project: Store) -> None:
    win = window
    tag_new(qtbot, win, "Kurti", None, "p", occurrence=1)  # the one in "Albin Kurti said"
    [m] = project.annotations.mentions(win.session.article.id)
    win.session.select(("mention", m.id))
    key(qtbot, win, Qt.Key.Key_Comma, Qt.KeyboardModifier.AltModifier)
    got = project.annotations.mention(m.id)
    # the start moved one word left, over "Albin "
    assert (got.start, got.end, got.text) == (m.start - len("Albin "), m.end, "Albin Kurti")
    key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    widened = project.annotations.mention(m.id)
    assert widened.start == got.start and widened.end > m.end
    assert widened.text.startswith("Albin Kurti ") and widened.text != "Albin Kurti"
    select_text(win, "Albin Kurti")
    key(qtbot, win, Qt.Key.Key_S)
    assert project.annotations.mention(m.id).text == "Albin Kurti"
    key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # undo puts back exactly the span it had before S
    undone = project.annotations.mention(m.id)
    assert (undone.start, undone.end, undone.text) == (widened.start, widened.end, widened.text)


def test_click_on_highlight_selects_row_and_tooltip_says_what(qtbot, window,
                                                             project: Store) -> None:
    win = window
    tag_new(qtbot, win, "Albin Kurti", None, "p")
    [m] = project.annotations.mentions(win.session.article.id)
    win.session.select(None)
    edit = win.article_view.text_edit
    index = Utf16Index(win.session.article.text)
    cursor = edit.textCursor()
    cursor.setPosition(index.to_utf16(m.start + 2))
    point = edit.cursorRect(cursor).center()
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert win.session.selection == ("mention", m.id)
    item = win.tagging_panel.actor_tree.currentItem()
    assert "“Albin Kurti”" in item.text(0)
    [span] = edit.highlighter.spans_at(index.to_utf16(m.start + 2))
    assert edit.describe(span) == "Mention of Albin Kurti (person)"
    # and the other way round: a panel row selects and marks the span in the text
    claim_text = "the police will stay in the north"
    select_text(win, claim_text)
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_C)
    [claim] = project.annotations.claims(win.session.article.id)
    win.tagging_panel.actor_tree.setCurrentItem(win.tagging_panel.actor_tree.topLevelItem(0))
    assert win.session.selection == ("actor", m.actor_id)
    claim_view = win.tagging_panel.claim_view
    claim_view.setCurrentIndex(claim_view.model().index(0, 0))
    assert win.session.selection == ("claim", claim.id)
    [extra] = edit.extraSelections()
    assert extra.cursor.selectedText() == claim_text
    span = win.article_view.highlighter.spans()[("claim", claim.id)]
    assert edit.describe(span) == "Claim by Albin Kurti"


def test_import_runs_off_the_ui_thread(qtbot, window, project: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(f"Headline {i}\n\nBody of imported article {i}.\n",
                                          encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    before = project.articles.count()
    with qtbot.waitSignal(window.import_finished, timeout=20_000) as blocker:
        window.import_paths([folder])
    report = blocker.args[0]
    assert report.imported == 5
    assert project.articles.count() == before + 5
    assert window.article_list.model.total() == before + 5
    assert window.centralWidget().isEnabled()


def test_200k_void_qt_calls_survive(qtbot) -> None:
    """PySide6 6.12.0 on Python 3.11 corrupts None's refcount on void calls; we pin 6.11."""
    widget = QWidget()
    qtbot.addWidget(widget)
    for _ in range(200_000):
        widget.setEnabled(True)
    assert widget.isEnabled()


@pytest.mark.parametrize("modifier", [Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.ControlModifier])
def test_mouse_selection_snaps_unless_ctrl(qtbot, window, modifier) -> None:
    edit = window.article_view.text_edit
    text = window.session.article.text
    start = text.index("lbin Kurti said")
    edit.select_range(start, start + len("lbin Ku"))
    event = QMouseEvent(QEvent.Type.MouseButtonRelease, QPoint(1, 1), QPoint(1, 1),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton, modifier)
    edit.mouseReleaseEvent(event)
    got = text[slice(*edit.selected_range())]
    assert got == ("Albin Kurti" if modifier == Qt.KeyboardModifier.NoModifier else "lbin Ku")


def test_first_run_opens_demo_project_then_the_last_one(qapp, tmp_path: Path) -> None:
    from stancemark.ui import qt_app

    qt_app.settings().remove("recent")
    store = qt_app.open_store(None, False)
    try:
        assert store.path == qt_app.default_demo_path().absolute()
        assert str(tmp_path.parent.parent) in str(store.path) or "home" in str(store.path)
        assert store.articles.count() >= 1
    finally:
        store.close()
    other = tmp_path / "other.stancemark"
    make_file_project(other, annotate=False)
    qt_app.remember_project(other)
    again = qt_app.open_store(None, False)
    try:
        assert again.path == other
        assert qt_app.recent_projects()[0] == other
    finally:
        again.close()
        qt_app.settings().remove("recent")


def test_project_held_by_another_window_opens_read_only(qapp, tmp_path: Path) -> None:
    from stancemark.ui import qt_app

    path = tmp_path / "held.stancemark"
    make_file_project(path, annotate=False)
    holder = open_project(path)
    try:
        second = qt_app.open_store(path, False)
        assert second.read_only
        second.close()
    finally:
        holder.close()


def test_dropped_files_are_imported_and_other_drops_ignored(qtbot, window, project: Store,
                                                            tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QUrl

    article = tmp_path / "dropped.txt"
    article.write_text("Dropped headline\n\nBody of a dropped article.\n", encoding="utf-8")
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/article.html")])
    assert not window.project_files.accepts_drop(web)
    assert not window.project_files.dropped(web)
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(article))])
    assert window.project_files.accepts_drop(files)
    before = project.articles.count()
    with qtbot.waitSignal(window.import_finished, timeout=20_000) as blocker:
        assert window.project_files.dropped(files)
    assert blocker.args[0].imported == 1
    assert project.articles.count() == before + 1
    assert window.centralWidget().isEnabled()
