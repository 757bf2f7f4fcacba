"""Span maths and the one place where Qt/UTF-16 positions meet Python offsets.

Stored offsets are Python string indices (code points), end exclusive. Qt and
several export formats count UTF-16 code units, where a character outside the
Basic Multilingual Plane (most emoji) takes two. Everything that converts
between the two goes through :class:`Utf16Index`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from stancemark.core.errors import ValidationError

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
PARAGRAPH_SEPARATOR = "\u2029"  # what QTextCursor.selectedText() uses for a line break


class Utf16Index:
    """Convert between code-point offsets and UTF-16 offsets of one text in O(log n).

    Only the positions of astral characters (which take two UTF-16 units) are kept,
    so building the index costs one pass and little memory even on long texts.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        # UTF-16 position of each astral character, for the reverse lookup.
        self._astral_u16 = [cp + n for n, cp in enumerate(self._astral)]
        self.length_utf16 = len(text) + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """UTF-16 offset of code-point ``offset``."""
        return offset + bisect.bisect_left(self._astral, offset)

    def from_utf16(self, offset16: int) -> int:
        """Code-point offset of UTF-16 ``offset16`` (a position inside a pair rounds down)."""
        n = bisect.bisect_right(self._astral_u16, offset16 - 1)
        if n and self._astral_u16[n - 1] == offset16 - 1:
            # offset16 points between the two halves of a surrogate pair.
            return self._astral[n - 1]
        return offset16 - n


def from_qt_selection(selected: str) -> str:
    """Turn ``QTextCursor.selectedText()`` output back into plain article text."""
    return selected.replace(PARAGRAPH_SEPARATOR, "\n")


def check_span(text: str, start: int, end: int, span_text: str | None = None) -> str:
    """Validate a span against ``text`` and return its text.

    Raises :class:`ValidationError` if the span is empty, out of range, or its
    recorded text does not match the slice.
    """
    if not (0 <= start < end <= len(text)):
        raise ValidationError(
            f"Span {start}–{end} is outside the article text (length {len(text)}).",
            "Select text inside the article.",
        )
    piece = text[start:end]
    if span_text is not None and piece != span_text:
        raise ValidationError(
            f"Span {start}–{end} holds {piece!r}, not {span_text!r}.",
            "The offsets do not match this article's text.",
        )
    return piece


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and trim surrounding whitespace.

    A selection that starts or ends inside a word grows to include the whole
    word; leading and trailing spaces and punctuation-free blanks are dropped.
    Combining marks count as part of their word. Returns the span unchanged if
    it holds no word character.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))

    def word(i: int) -> bool:
        ch = text[i]
        return ch.isalnum() or ch == "_" or _is_combining(ch)

    # trim whitespace first, so a selection ending in a space doesn't grab the next word
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and word(start) and word(start - 1):
        start -= 1
    while end < len(text) and word(end - 1) and word(end):
        end += 1
    return start, end


def _is_combining(ch: str) -> bool:
    return unicodedata.combining(ch) != 0


def line_fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``[start, end)`` at line breaks into non-empty fragments (as brat needs)."""
    frags: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        if stop > pos:
            frags.append((pos, stop))
        pos = stop + 1 if nl != -1 else end
    return frags


def paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    """The ``[start, end)`` of the paragraph (text between blank-line-free breaks) at ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def word_step(text: str, pos: int, direction: int, *, edge: str) -> int:
    """Move ``pos`` one word: ``edge`` "end" lands after a word, "start" before one.

    A paragraph break stops the move: a span never grows into the next paragraph.
    """
    n = len(text)

    def gap_forward(p: int) -> int:
        while p < n and not _is_word(text[p]) and text[p] != "\n":
            p += 1
        return p

    def gap_backward(p: int) -> int:
        while p > 0 and not _is_word(text[p - 1]) and text[p - 1] != "\n":
            p -= 1
        return p

    def word_forward(p: int) -> int:
        while p < n and _is_word(text[p]):
            p += 1
        return p

    def word_backward(p: int) -> int:
        while p > 0 and _is_word(text[p - 1]):
            p -= 1
        return p

    if direction > 0 and edge == "end":
        return word_forward(gap_forward(pos))
    if direction < 0 and edge == "end":
        return gap_backward(word_backward(pos))
    if direction < 0:
        return word_backward(gap_backward(pos))
    return gap_forward(word_forward(pos))
