"""Text normalisation, hashing and folding used for identity and matching."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from functools import lru_cache


def normalize_newlines(text: str) -> str:
    """Return ``text`` with CRLF and lone CR turned into LF and any BOM removed."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def short(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (for menus, reports)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_hash(text: str) -> str:
    """The article uid: SHA-256 of the UTF-8 text (identical text, identical uid)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Letters that NFKD leaves alone but that writers replace when typing without them:
# "Đurić" is also written "Djuric", "Łódź" "Lodz".
_EXTRA_FOLDS = {"đ": "dj", "ð": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i",
                "þ": "th", "ħ": "h", "ŧ": "t"}


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """The folded form of one character: none, one or several characters."""
    decomposed = unicodedata.normalize("NFKD", ch.casefold())
    return "".join(_EXTRA_FOLDS.get(c, c) for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case- and diacritics-free form: ``Vučić`` and ``VUCIC`` give ``vucic``; ``Đurić`` ``djuric``.

    The one folding of names used everywhere (suggestions, the actor picker, registry
    search, merge matching). Combining marks are dropped and some letters become two,
    so the length may change; use :func:`fold_with_map` when offsets matter.
    """
    return "".join(fold_char(c) for c in text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and return, for each folded character, its index in ``text``.

    The map has one extra entry (``len(text)``) so an end offset maps too.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        out.append(folded)
        index.extend([i] * len(folded))
    index.append(len(text))
    return "".join(out), index


# Characters that change what a terminal or a label shows rather than being shown:
# C0/C1 controls (ESC starts terminal sequences, CR and BS overwrite), line and
# paragraph separators, and the bidirectional overrides that reorder the text
# around them.
_UNPRINTABLE_EXTRA = frozenset("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
                               "\u2066\u2067\u2068\u2069")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str | bytes) -> str:
    """``text`` (a file name, a message) made safe to show on one line of a terminal or label.

    Control characters, line breaks, bidirectional overrides and lone surrogates are
    written as Python-style escapes (``\\n``, ``\\x1b``, ``\\u202e``); the undecodable
    bytes of a file name (which Python carries as surrogates) come out as ``\\xff``.
    Everything else, accented letters and emoji included, is kept as it is, and so is
    the backslash, so Windows paths stay readable. Bytes are decoded as the file
    system does. The result encodes as UTF-8.
    """
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if text.isprintable() and text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF \
                or ch in _UNPRINTABLE_EXTRA:
            out.append(_escape_char(ch))
        else:
            out.append(ch)
    return "".join(out)
