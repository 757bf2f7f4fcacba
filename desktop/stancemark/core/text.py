"""Text normalisation, hashing and folding used for identity and matching."""

from __future__ import annotations

import hashlib
import unicodedata


def normalize_newlines(text: str) -> str:
    """Return ``text`` with CRLF and lone CR turned into LF and any BOM removed."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def text_hash(text: str) -> str:
    """The article uid: SHA-256 of the UTF-8 text (identical text, identical uid)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fold(text: str) -> str:
    """Case- and diacritics-insensitive form: ``Vučić`` and ``VUCIC`` both give ``vucic``.

    Only combining marks are dropped, so the result may be shorter than the input;
    use :func:`fold_with_map` when offsets matter.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and return, for each folded character, its index in ``text``.

    The map has one extra entry (``len(text)``) so an end offset maps too.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for f in unicodedata.normalize("NFKD", ch.casefold()):
            if unicodedata.combining(f):
                continue
            out.append(f)
            index.append(i)
    index.append(len(text))
    return "".join(out), index
