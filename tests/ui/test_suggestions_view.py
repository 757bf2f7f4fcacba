"""Suggestions in the real window: underlines over exactly the suggested characters, the
accept / accept-all / dismiss / next keys, undo, and dismissals that outlive the window.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor

from stancemark.core.codebook import ScalePoint
from stancemark.core.models import ArticleDraft
from stancemark.core.spans import Utf16Index
from stancemark.services.codebook_io import ReplaceCodebook, plan_codebook
from stancemark.store import Store, open_project
from tests.ui.test_main_window import key

TEXT = ("Talks stall again\n"
        "VUČIĆ met the envoy on Tuesday. Later Vucic told reporters that "
        "“Belgrade will not move an inch.” Kurti's office said the talks had failed.")

DASH = QTextCharFormat.UnderlineStyle.DashUnderline
DOT = QTextCharFormat.UnderlineStyle.DotLine


def seed(store: Store) -> dict[str, int]:
    ids = {"vucic": store.actors.add("Aleksandar Vučić", "person", aliases=["Vucic"]),
           # the matcher finds names and aliases, not bare surnames: "Kurti" is an alias
           "kurti": store.actors.add("Albin Kurti", "person", aliases=["Kurti"])}
    ids["article"] = store.articles.add(ArticleDraft(text=TEXT, title="Talks stall"))
    return ids


@pytest.fixture
def seeded(store: Store) -> tuple[Store, dict[str, int]]:
    return store, seed(store)


def underlines(win) -> dict[int, tuple[object, str]]:
    """UTF-16 position -> (underline style, colour) of every suggestion-style underline."""
    out: dict[int, tuple[object, str]] = {}
    block = win.article_view.text_edit.document().begin()
    while block.isValid():
        for rng in block.layout().formats():
            style = rng.format.underlineStyle()
            if style in (DASH, DOT):
                for pos in range(rng.start, rng.start + rng.length):
                    out[block.position() + pos] = (style, rng.format.underlineColor().name())
        block = block.next()
    return out


def positions(win, start: int, end: int) -> set[int]:
    index = Utf16Index(win.session.article.text)
    return set(range(index.to_utf16(start), index.to_utf16(end)))


def span_of(needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def wait_fresh(qtbot, win) -> None:
    qtbot.waitUntil(lambda: win.suggestions.fresh and not win.suggestions._timer.isActive())


def put_cursor(win, offset: int) -> None:
    edit = win.article_view.text_edit
    cursor = edit.textCursor()
    cursor.setPosition(Utf16Index(win.session.article.text).to_utf16(offset))
    edit.setTextCursor(cursor)
    edit.setFocus()


def dashed(win) -> set[int]:
    return {p for p, (style, _c) in underlines(win).items() if style == DASH}


NAMES = [span_of("VUČIĆ"), span_of("Vucic"), span_of("Kurti")]


def test_underlines_cover_exactly_the_suggested_characters(qtbot, make_window, seeded) -> None:
    store, ids = seeded
    win = make_window(store)
    wait_fresh(qtbot, win)
    marks = underlines(win)
    expected_dash = set().union(*(positions(win, s, e) for s, e in NAMES))
    assert dashed(win) == expected_dash
    person = win.session.codebook.actor_type("person").color.lower()
    assert {marks[p][1] for p in expected_dash} == {person}
    # claim candidates: dotted, wherever no actor suggestion is drawn
    claims = [s for s in win.suggestions.items if s.kind == "claim"]
    assert claims
    expected_dot = set().union(*(positions(win, c.start, c.end) for c in claims)) - expected_dash
    assert {p for p, (style, _c) in marks.items() if style == DOT} == expected_dot
    # the tooltip says what it is and which keys act on it
    span = next(s for s in win.article_view.highlighter.suggestions().values()
                if s.style == "dash")
    assert win.article_presenter.describe(span).startswith("Suggestion: ")
    vucic = next(s for s in win.article_view.highlighter.suggestions().values()
                 if (s.start, s.end) == NAMES[1])
    assert win.article_presenter.describe(vucic) == \
        "Suggestion: Aleksandar Vučić (person) — Enter/Y to accept, X to dismiss"
    # suggestions are not annotations: clicks and the bench count ignore them
    assert win.article_view.highlighter.spans() == {}
    assert win.article_view.text_edit.spans_at(NAMES[1][0]) == []


def test_accept_under_cursor_then_undo(qtbot, make_window, seeded) -> None:
    store, ids = seeded
    win = make_window(store)
    wait_fresh(qtbot, win)
    start, end = NAMES[1]
    put_cursor(win, start + 2)
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_Y)
    [mention] = store.annotations.mentions(ids["article"])
    assert (mention.start, mention.end, mention.text, mention.actor_id) == \
        (start, end, "Vucic", ids["vucic"])
    assert win.session.selection == ("mention", mention.id)
    wait_fresh(qtbot, win)
    assert not dashed(win) & positions(win, start, end)
    assert dashed(win) & positions(win, *NAMES[0])

    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.annotations.mentions(ids["article"]) == []
    wait_fresh(qtbot, win)
    assert positions(win, start, end) <= dashed(win)

    # Enter accepts too while the text has focus (the key meant for "this one")
    put_cursor(win, NAMES[2][0])
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_Return)
    [mention] = store.annotations.mentions(ids["article"])
    assert (mention.text, mention.actor_id) == ("Kurti", ids["kurti"])


def test_accept_next_after_cursor(qtbot, make_window, seeded) -> None:
    store, ids = seeded
    win = make_window(store)
    wait_fresh(qtbot, win)
    put_cursor(win, 0)  # in the title: no suggestion here, the next one is VUČIĆ
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_Y)
    [mention] = store.annotations.mentions(ids["article"])
    assert mention.text == "VUČIĆ"


def test_accept_all_is_one_undo_step(qtbot, make_window, seeded) -> None:
    store, ids = seeded
    win = make_window(store)
    wait_fresh(qtbot, win)
    stack = win.session.undo_stack
    before = stack.count()
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_Y, Qt.KeyboardModifier.ShiftModifier)
    mentions = store.annotations.mentions(ids["article"])
    assert sorted((m.start, m.end) for m in mentions) == sorted(NAMES)
    assert stack.count() == before + 1
    assert stack.undoText() == "Accept 3 suggested actors"
    wait_fresh(qtbot, win)
    assert dashed(win) == set()
    stack.undo()
    assert store.annotations.mentions(ids["article"]) == []
    wait_fresh(qtbot, win)
    assert len(dashed(win)) == sum(e - s for s, e in NAMES)


def test_dismiss_survives_undo_redo_and_reopening(qtbot, make_window, tmp_path: Path) -> None:
    path = tmp_path / "dismiss.stancemark"
    with open_project(path, create=True) as store:
        ids = seed(store)
    store = open_project(path)
    win = make_window(store)
    wait_fresh(qtbot, win)
    put_cursor(win, NAMES[0][0] + 1)
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_X)
    wait_fresh(qtbot, win)
    assert not dashed(win) & positions(win, *NAMES[0])
    assert store.annotations.mentions(ids["article"]) == []
    win.session.undo_stack.undo()
    wait_fresh(qtbot, win)
    assert positions(win, *NAMES[0]) <= dashed(win)
    win.session.undo_stack.redo()
    wait_fresh(qtbot, win)
    assert not dashed(win) & positions(win, *NAMES[0])
    win.close()
    store.close()

    store = open_project(path)
    try:
        win = make_window(store)
        wait_fresh(qtbot, win)
        assert not dashed(win) & positions(win, *NAMES[0])
        assert positions(win, *NAMES[1]) <= dashed(win)
        win.close()
    finally:
        store.close()


def test_accepting_a_claim_candidate_creates_a_claim_with_claimant(qtbot, make_window,
                                                                     seeded) -> None:
    store, ids = seeded
    win = make_window(store)
    wait_fresh(qtbot, win)
    quote = span_of("Belgrade will not move an inch")
    candidate = next(s for s in win.suggestions.items if s.kind == "claim"
                     and (s.start, s.end) == quote)
    assert candidate.actor_id == ids["vucic"]
    put_cursor(win, quote[0] + 3)
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_Y)
    [claim] = store.annotations.claims(ids["article"])
    assert (claim.start, claim.end, claim.claimant_id) == (*quote, ids["vucic"])
    assert win.session.selection == ("claim", claim.id)
    assert win.tagging_panel.selected_claim().id == claim.id


def test_next_and_previous_suggestion_move_the_cursor(qtbot, make_window, seeded) -> None:
    store, _ids = seeded
    win = make_window(store)
    wait_fresh(qtbot, win)
    edit = win.article_view.text_edit
    index = Utf16Index(win.session.article.text)
    put_cursor(win, 0)
    starts = sorted({s.start for s in win.suggestions.items})
    for expected in starts:
        key(qtbot, win, Qt.Key.Key_F)
        assert index.from_utf16(edit.textCursor().position()) == expected
    key(qtbot, win, Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier)
    assert index.from_utf16(edit.textCursor().position()) == starts[-2]
    edit.moveCursor(QTextCursor.MoveOperation.End)
    key(qtbot, win, Qt.Key.Key_F)
    assert "No further suggestion" in win.last_message


def test_stale_worker_results_are_dropped(qtbot, make_window, seeded) -> None:
    store, _ids = seeded
    win = make_window(store)
    wait_fresh(qtbot, win)
    ctl = win.suggestions
    shown = list(ctl.items)
    ctl.schedule()  # an edit happened: a newer result is on its way
    ctl._on_job_done(ctl._generation - 1, [])  # the older job finishes late
    assert ctl.items == shown and not ctl.fresh
    wait_fresh(qtbot, win)
    assert ctl.items == shown


def test_suggestion_keys_in_menu_and_shortcut_sheet(qtbot, window) -> None:
    from stancemark.ui.shortcut_sheet import sheet_html

    sub = next(a.menu() for a in window.menus["Annotate"].actions()
               if a.menu() is not None and "Suggestions" in a.text())
    names = [a.objectName() for a in sub.actions()]
    assert names == ["action_accept_suggestion", "action_accept_all_suggestions",
                     "action_dismiss_suggestion", "action_next_suggestion",
                     "action_previous_suggestion"]
    html = sheet_html(window.window_actions)
    assert "<h3>Suggestions</h3>" in html and "Accept Suggestion" in html
    keys = [k.toString() for a in window.actions() for k in a.shortcuts()]
    assert len(keys) == len(set(keys)), "a key is bound twice"


def test_scale_change_rebuilds_scale_shortcuts(qtbot, window) -> None:
    s = window.session
    book = s.store.codebook.load()
    book.scale = [ScalePoint(v, f"value {v}", "#888888", str(i + 1))
                  for i, v in enumerate(range(-3, 4))]
    with qtbot.waitSignal(s.changed):
        s.perform(ReplaceCodebook(plan_codebook(s.store, book)))
    assert window.window_actions["value_3"].shortcuts()[0].toString() == "7"
    with pytest.raises(KeyError):
        window.window_actions["value_9"]
    assert "Stance / Portrayal" in " ".join(a.text() for a in window.menus["Annotate"].actions())
    # the new key works on a selected claim
    text = s.article.text
    start = text.index("the police")
    s.perform(s.service.add_claim(s.article.id, start, start + len("the police")))
    claim_id = s.selection[1]
    with qtbot.waitSignal(s.changed):
        key(qtbot, window, Qt.Key.Key_7)
    assert s.store.annotations.claim(claim_id).stance == 3
    # undo brings the old scale and its keys back
    s.undo_stack.undo()
    s.undo_stack.undo()
    with qtbot.waitSignal(s.changed):
        s.undo_stack.undo()
    with pytest.raises(KeyError):
        window.window_actions["value_3"]
    assert window.window_actions["value_2"].shortcuts()[0].toString() == "5"


def test_a_name_not_yet_known_is_offered_as_a_new_actor(qtbot, make_window, store) -> None:
    text = "Border row\nForeign Minister Jelena Marković said the border must stay open."
    art = store.articles.add(ArticleDraft(text=text, title="Border row"))
    win = make_window(store)
    win.open_article(art)
    wait_fresh(qtbot, win)
    [new] = [s for s in win.suggestions.items if s.kind == "new_actor"]
    assert (new.text, new.actor_type) == ("Jelena Marković", "person")
    start = text.index("Jelena")
    assert positions(win, start, start + len("Jelena Marković")) <= dashed(win)
    [span] = [sp for sp in win.suggestions.spans() if sp.start == start]
    assert win.suggestions.describe(span).startswith("New actor? “Jelena Marković” as person")
    put_cursor(win, start + 2)
    key(qtbot, win, Qt.Key.Key_Y)
    actor = store.actors.by_name("Jelena Marković")
    assert actor is not None and actor.type == "person"
    assert [(m.text, m.actor_id) for m in store.annotations.mentions(art)] == [
        ("Jelena Marković", actor.id)]
    key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one step back
    assert store.annotations.mentions(art) == []
