"""Turning file bytes into text: BOMs, UTF-8, legacy code pages, binary detection.

The order is fixed so the common case is cheap: a BOM decides at once, then
strict UTF-8 (almost every scraped file), and only then the legacy guesses.
Windows code pages are scored on how plausible the decoded words look, because
charset-normalizer alone often mistakes short Western text for DOS code pages.
"""

from __future__ import annotations

import codecs
import re

from stancemark.core.errors import ArticleReadError

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (bom, codec to decode with, name recorded); UTF-32 before UTF-16: FF FE 00 00
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)

# Control characters that never occur in text (tab, LF, VT, FF, CR and ESC-free).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")

# Single-byte code pages tried in this order of preference on a tie.
_LEGACY = ("cp1252", "cp1251", "cp1250")

_WORD = re.compile(r"[^\W\d_]{2,}")
# Characters that are rare in real text but typical of a wrong code page.
_ODD = frozenset("ÆæÐðÞþ¤¦¨¯´¸¹²³¼½¾ˆ˜ƒ‡†‰¬Ÿ")


class DecodeFailure(ArticleReadError):
    """Bytes that are not text; ``status`` is ``binary`` or ``unreadable``."""

    def __init__(self, status: str, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.status = status


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _implausibility(text: str) -> int:
    """Count signs that ``text`` was decoded with the wrong single-byte code page."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        cyr = sum(1 for ch in word if _is_cyrillic(ch))
        if cyr and cyr != len(word):
            score += 2  # Latin and Cyrillic in one word: a wrong guess
        elif len(word) >= 3 and all("\u00c0" <= ch <= "\u024f" for ch in word):
            score += 2  # a Latin word with no ASCII letter at all: Cyrillic read as Latin
        if any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False)):
            score += 1  # "дЮл": a capital inside a lower-case word (Greek read as Cyrillic)
        score += sum(1 for ch in word if ch in _ODD)
    return score


def _legacy_decode(data: bytes) -> tuple[str, str] | None:
    guesses: list[tuple[int, int, str, str]] = []
    for rank, codec in enumerate(_LEGACY):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _implausibility(text)
        if rank == 0 and score == 0:
            # Western text: the common case. Call it Latin-1 when no byte is one
            # where the two differ, as that is what it most likely is.
            return text, ("cp1252" if re.search(rb"[\x80-\x9f]", data) else "iso8859-1")
        guesses.append((score, rank, text, codec))
    guesses.sort()
    if guesses and guesses[0][0] == 0:
        return guesses[0][2], guesses[0][3]
    # None of the common pages fits: charset-normalizer knows more (Greek, Baltic...);
    # trust it when it recognised a language and its answer reads plausibly.
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is not None and match.coherence >= 0.1:
        text = str(match)
        if _implausibility(text) == 0:
            return text, codecs.lookup(match.encoding).name
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Recognise BOM-less UTF-16 by its NUL bytes in every other position."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros > half * 0.4 and other < half * 0.05:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, codec name)``.

    ``declared`` is a charset the file names itself (an HTML ``<meta charset>``);
    it is tried after the BOMs and strict UTF-8.
    Raises :class:`DecodeFailure` for binary data or text in no known encoding.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise DecodeFailure(
                    "unreadable",
                    f"The file starts with a {name} byte-order mark but is not valid {name}.",
                    "Re-save it as UTF-8 and import it again.",
                ) from exc
    if b"\0" in data:
        found = _utf16_without_bom(data)
        if found is not None:
            return found
        raise _binary()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _CONTROL.search(text) and len(_CONTROL.findall(text)) > len(text) * 0.01:
            raise _binary()
        return text, "utf-8"
    if len(_CONTROL_BYTES.findall(data)) > len(data) * 0.01:
        raise _binary()
    if declared:
        try:
            name = codecs.lookup(declared).name
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    found_legacy = _legacy_decode(data)
    if found_legacy is None:
        raise DecodeFailure(
            "unreadable",
            "The file's text encoding could not be recognised.",
            "Open it in a text editor, save it as UTF-8 and import it again.",
        )
    return found_legacy


def _binary() -> DecodeFailure:
    return DecodeFailure(
        "binary",
        "The file is binary, not text (it may be an image, a PDF or a word-processor file).",
        "Save the article as plain text (.txt) or a web page (.html) and import that.",
    )
