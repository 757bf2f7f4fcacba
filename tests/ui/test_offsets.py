"""Offsets at the Qt boundary: emoji, Cyrillic, combining marks and former CRLF text.

Every stored span must slice the article text to its own text, and the
highlighter must paint exactly the UTF-16 positions of those code points.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from stancemark.core.models import ArticleDraft
from stancemark.core.spans import Utf16Index
from stancemark.store import Store
from tests.ui.test_main_window import key, select_text, tag_new

TEXT_CRLF = (
    "Emoji 😀 news 👍🏽\r\n"
    "😀😀 Kurti spoke in Приштина about the café (cafe\u0301) plan.\r\n"
    "\r\n"
    "Then 👍🏽 Вучић replied: “no deal with Kurti” 🙂 end.\r\n"
)


def painted_positions(edit) -> set[int]:
    """UTF-16 document positions that carry a highlight background."""
    out: set[int] = set()
    block = edit.document().begin()
    while block.isValid():
        for rng in block.layout().formats():
            if rng.format.background().style() != Qt.BrushStyle.NoBrush:
                out.update(range(block.position() + rng.start,
                                 block.position() + rng.start + rng.length))
        block = block.next()
    return out


def test_spans_after_emoji_slice_and_paint_exactly(qtbot, make_window, store: Store) -> None:
    [(article_id, _)] = store.articles.add_many([ArticleDraft(TEXT_CRLF, title="Offsets")])
    win = make_window(store)
    text = win.session.article.text
    assert "\r" not in text and text == TEXT_CRLF.replace("\r\n", "\n")

    tag_new(qtbot, win, "Kurti", None, "p")
    select_text(win, "Kurti", occurrence=1)
    key(qtbot, win, Qt.Key.Key_A)
    with qtbot.waitSignal(win.session.changed):
        qtbot.keyClick(win.actor_picker.search_edit, Qt.Key.Key_Return)
    tag_new(qtbot, win, "Вучић", None, "p")
    tag_new(qtbot, win, "Приштина", None, "c")
    tag_new(qtbot, win, "cafe\u0301", "Cafe", "o")
    select_text(win, "👍🏽 Вучић replied")
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_C)

    mentions = store.annotations.mentions(article_id)
    claims = store.annotations.claims(article_id)
    assert {m.text for m in mentions} == {"Kurti", "Вучић", "Приштина", "cafe\u0301"}
    assert len([m for m in mentions if m.text == "Kurti"]) == 2
    assert [c.text for c in claims] == ["👍🏽 Вучић replied"]
    for span in [*mentions, *claims]:
        assert text[span.start:span.end] == span.text
    # the claim after two astral emoji: code points differ from UTF-16 units
    claim = claims[0]
    assert Utf16Index(win.session.article.text).to_utf16(claim.start) > claim.start

    expected: set[int] = set()
    index = Utf16Index(win.session.article.text)
    for span in [*mentions, *claims]:
        for cp in range(span.start, span.end):
            u16 = index.to_utf16(cp)
            width = 2 if ord(text[cp]) > 0xFFFF else 1
            if text[cp] != "\n":
                expected.update(range(u16, u16 + width))
    assert painted_positions(win.article_view.text_edit) == expected

    # selections read back through the same index
    select_text(win, "Приштина")
    start, end = win.article_view.text_edit.selected_range()
    assert text[start:end] == "Приштина"
    # the selected text Qt reports is the same once U+2029 is turned back into "\n"
    from stancemark.core.spans import from_qt_selection

    select_text(win, "end.\n" if "end.\n" in text else "end.")
    assert from_qt_selection(win.article_view.text_edit.textCursor().selectedText()) in text


def test_cross_paragraph_claim_and_word_snapping(qtbot, make_window, store: Store) -> None:
    [(article_id, _)] = store.articles.add_many([ArticleDraft(TEXT_CRLF, title="Offsets")])
    win = make_window(store)
    text = win.session.article.text
    # a partial-word selection snaps to whole words (what a mouse release does without Alt)
    start = text.index("urti spoke in Prišt".replace("Prišt", "При"))
    edit = win.article_view.text_edit
    edit.select_range(start, start + len("urti spoke in При"))
    edit.snap_selection()
    assert text[slice(*edit.selected_range())] == "Kurti spoke in Приштина"
    # a claim across a paragraph break is allowed and highlighted in both blocks
    select_text(win, "plan.\n\nThen")
    with qtbot.waitSignal(win.session.changed):
        key(qtbot, win, Qt.Key.Key_C)
    [claim] = store.annotations.claims(article_id)
    assert claim.text == "plan.\n\nThen"
    painted = painted_positions(edit)
    index = Utf16Index(win.session.article.text)
    assert index.to_utf16(claim.start) in painted and index.to_utf16(claim.end - 1) in painted
