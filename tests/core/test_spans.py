"""Offsets: code points vs UTF-16, word snapping, fragments — on hostile text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stancemark.core.spans import (
    Utf16Index,
    from_qt_selection,
    line_fragments,
    paragraph_bounds,
    snap_to_words,
)
from stancemark.core.text import fold, fold_with_map, normalize_newlines, text_hash

HOSTILE = "Mayor 😀 Ana 👍🏽 Vučić\nПредседник e\u0301te 🇷🇸 end"


def test_utf16_offsets_match_python_encoding() -> None:
    idx = Utf16Index(HOSTILE)
    for i in range(len(HOSTILE) + 1):
        u = idx.to_utf16(i)
        assert u == len(HOSTILE[:i].encode("utf-16-le")) // 2
        assert idx.from_utf16(u) == i
    assert idx.length_utf16 == len(HOSTILE.encode("utf-16-le")) // 2


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_utf16_roundtrip_on_any_text(text: str) -> None:
    idx = Utf16Index(text)
    for i in range(len(text) + 1):
        assert idx.from_utf16(idx.to_utf16(i)) == i
        assert idx.to_utf16(i) == len(text[:i].encode("utf-16-le")) // 2


def test_position_inside_a_surrogate_pair_rounds_down() -> None:
    idx = Utf16Index("a😀b")
    assert idx.from_utf16(2) == 1  # between the halves of 😀


def test_qt_selection_line_breaks() -> None:
    assert from_qt_selection("one\u2029two") == "one\ntwo"


def test_snap_to_words() -> None:
    text = "Serbian President Aleksandar Vučić said"
    s = text.index("ksandar")
    assert text[slice(*snap_to_words(text, s, s + 3))] == "Aleksandar"
    # trailing space does not pull in the next word
    s = text.index("President")
    assert text[slice(*snap_to_words(text, s, s + len("President ")))] == "President"
    # combining marks belong to their word
    t2 = "the ministe\u0301re said"
    assert t2[slice(*snap_to_words(t2, 4, 9))] == "ministe\u0301re"
    # emoji is not a word character: a selection of only it stays as is
    t3 = "a 😀 b"
    assert snap_to_words(t3, 2, 3) == (2, 3)


def test_line_fragments_split_at_breaks() -> None:
    text = "one two\nthree\n\nfour"
    assert [text[a:b] for a, b in line_fragments(text, 4, len(text))] == \
        ["two", "three", "four"]


def test_paragraph_bounds() -> None:
    text = "first para\nsecond para"
    assert paragraph_bounds(text, 14) == (11, len(text))


def test_text_helpers() -> None:
    assert normalize_newlines("\ufeffa\r\nb\rc") == "a\nb\nc"
    assert text_hash("x") == text_hash("x") != text_hash("y")
    assert fold("VUČIĆ") == fold("Vucic") == "vucic"
    folded, index = fold_with_map("Vuc\u030cic\u0301!")
    assert folded == "vucic!"
    assert index[-1] == len("Vuc\u030cic\u0301!")


def test_word_step_moves_span_edges_by_whole_words() -> None:
    from stancemark.core.spans import word_step

    text = "Albin Kurti said, on Monday."
    kurti = text.index("Kurti")
    # an end moves past the next word; a start moves before the previous one
    assert word_step(text, kurti + 5, +1, edge="end") == text.index("said") + 4
    assert word_step(text, kurti + 5, -1, edge="end") == len("Albin")
    assert word_step(text, kurti, -1, edge="start") == 0
    assert word_step(text, kurti, +1, edge="start") == text.index("said")
    # at the text's edges nothing moves further
    assert word_step(text, 0, -1, edge="start") == 0
    assert word_step(text, len(text), +1, edge="end") == len(text)
    # letters of any script count as words
    assert word_step("Вучич сказал", 0, +1, edge="end") == len("Вучич")


def test_word_step_never_crosses_a_paragraph_break() -> None:
    from stancemark.core.spans import word_step

    text = "Kurti spoke.\nVučić answered."
    end = text.index(".") + 1  # after "spoke."
    assert word_step(text, end, +1, edge="end") == end
    start = text.index("Vučić")
    assert word_step(text, start, -1, edge="start") == start
