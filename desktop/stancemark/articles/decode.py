"""Turning file bytes into text: BOMs, UTF-8, legacy code pages, binary detection.

The order is fixed so the common case is cheap: a BOM decides at once, then
strict UTF-8 (almost every scraped file), and only then the legacy guesses.
Windows code pages are scored on how plausible the decoded words look, because
charset-normalizer alone often mistakes short Western text for DOS code pages.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from stancemark.core.errors import ArticleReadError

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (bom, codec to decode with, name recorded); UTF-32 before UTF-16: FF FE 00 00
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)

# Control characters that are no part of text: C0 except tab, LF, VT, FF, CR and ESC
# (ESC starts the colour codes of terminal logs), and DEL. A file in which they make
# more than BINARY_CONTROL_SHARE of the characters is binary; fewer are stray bytes
# (a terminal bell, a pasted colour code) and are removed by :func:`clean_controls`.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
#: Random bytes are about 10 % such controls, written text almost none.
BINARY_CONTROL_SHARE = 0.05

# Terminal escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL", and two-character
# ones): a terminal shows nothing of them, so neither does the article.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# What remains invisible: every C0/C1 control but tab and LF (CR is a line end, dealt
# with by normalize_newlines), DEL, and byte-order marks inside the text.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufeff]")
# Line breaks that are no LF: vertical tab (Word's manual line break), form feed
# (a page break), NEL, and the paragraph separator (a block break in the window).
_OTHER_BREAKS = re.compile(r"[\x0b\x0c\x85\u2029]")

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


def _unlikely_unicode(text: str) -> bool:
    """Whether ``text`` holds more unassigned, private-use or invisible characters than
    written text does (judged on its start): the sign of a wrong UTF-16/32 reading."""
    sample = text[:65536]
    odd = sum(1 for ch in sample
              if not ch.isascii() and unicodedata.category(ch) in ("Cn", "Co", "Cs", "Cf"))
    return odd > len(sample) * 0.02


def _printable(text: str) -> bool:
    """Whether ``text`` has no character but printable ones, tabs and line ends (a
    quick test for an article-sized text; a larger one is left to the regexes)."""
    return (len(text) <= 1_000_000
            and text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable())


def _too_many_controls(text: str) -> bool:
    if _printable(text):
        return False
    return len(_CONTROL.findall(text)) > len(text) * BINARY_CONTROL_SHARE


def _utf16_order(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` if the NUL bytes sit where BOM-less UTF-16 puts them.

    Text in UTF-16 has a zero high byte for every ASCII character (spaces, digits,
    punctuation, Latin letters), so one half of the byte positions holds many NULs
    and the other almost none; and the high bytes of one script take a few values
    only (``0x00`` and ``0x04`` for Russian), where binary data takes any.
    """
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    first, second = sample[0:2 * pairs:2], sample[1:2 * pairs:2]
    for high, low, codec in ((second, first, "utf-16-le"), (first, second, "utf-16-be")):
        if high.count(0) >= pairs * 0.1 and low.count(0) <= pairs * 0.02:
            common = sorted((high.count(b) for b in set(high)), reverse=True)[:4]
            if sum(common) >= pairs * 0.9:
                return codec
    return None


def _utf32_without_bom(data: bytes) -> tuple[str, str] | None:
    """Recognise BOM-less UTF-32: three NUL bytes of four for ASCII-range text."""
    if len(data) < 16:
        return None
    data = data[:len(data) - len(data) % 4]  # a file cut short: half a character
    sample = data[:8192]
    quads = len(sample) // 4
    for top, codec in ((sample[3::4], "utf-32-le"), (sample[0::4], "utf-32-be")):
        if top.count(0) == quads:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return (text, codec) if not _too_many_controls(text) else None
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Decode BOM-less UTF-16 when :func:`_utf16_order` recognises it and it reads as text.

    A dangling odd last byte (a file cut short) is dropped: it is half a character.
    """
    codec = _utf16_order(data)
    if codec is None:
        return None
    try:
        text = data[:len(data) - len(data) % 2].decode(codec)
    except UnicodeDecodeError:
        return None
    if _too_many_controls(text) or _unlikely_unicode(text):
        return None
    return text, codec


# Signatures of the binary files most often mistaken for articles: (start, what it is).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or a .docx, .odt or .epub file, which are zip archives)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "an SQLite database (a Stancemark project is opened, not imported)"),
)


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _mostly_ascii(data: bytes) -> bool:
    """Whether the bytes other than NUL are mostly printable ASCII, with hardly any
    control bytes: text in some encoding rather than data."""
    rest = data.replace(b"\0", b"")[:65536]
    if not rest or len(_CONTROL_BYTES.findall(rest)) > len(rest) * BINARY_CONTROL_SHARE:
        return False
    printable = sum(1 for b in rest if 0x20 <= b < 0x7F or b in (9, 10, 13))
    return printable >= len(rest) * 0.7


def _utf8_or_cut_short(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _utf8_cut_short(data)


def _utf8_cut_short(data: bytes) -> str | None:
    """Text of UTF-8 ``data`` whose last character was cut in half (a truncated file)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data) \
                and len(data) - exc.start < 4:
            try:
                return data[:exc.start].decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def clean_controls(text: str) -> str:
    """Remove what the window would not show: control characters and terminal codes.

    Other line breaks (VT, FF, NEL, U+2029) become LF, so the words on either side
    stay apart and the window's paragraphs are the text's. Tabs, LF and CR are kept
    (CR is turned into LF with the rest of the line ends).
    """
    if _printable(text):
        return text  # the common case, without a regex pass: all it removes is unprintable
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    text = _OTHER_BREAKS.sub("\n", text)
    return _INVISIBLE.sub("", text)


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, codec name)``.

    ``declared`` is a charset the file names itself (an HTML ``<meta charset>``);
    it is tried after the BOMs and strict UTF-8.
    Raises :class:`DecodeFailure` for binary data or text in no known encoding.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            unit = 4 if "32" in name else 2 if "16" in name else 1
            try:
                # a dangling last byte of a file cut short is half a character: dropped
                text = data[:len(data) - len(data) % unit].decode(codec)
            except UnicodeDecodeError as exc:
                if unit == 1:
                    # a UTF-8 mark on text in another encoding: judge the rest on its own
                    data = data[len(bom):]
                    break
                raise DecodeFailure(
                    "unreadable",
                    f"The file starts with a {name} byte-order mark but is not valid {name}.",
                    "Re-save it as UTF-8 and import it again.",
                ) from exc
            if unit == 1 or not _unlikely_unicode(text):
                return text, name
            # a UTF-16/32 mark in front of 8-bit text reads as CJK mixed with unassigned
            # and invisible characters: the mark lies, so judge the rest on its own
            data = data[len(bom):]
            break
    if b"\0" in data:
        found = _utf32_without_bom(data) or _utf16_without_bom(data)
        if found is not None:
            return found
        if _utf16_order(data) is not None:
            raise _unknown_encoding(
                " It looks like UTF-16 without a byte-order mark, but does not read as text in it.")
        # NUL bytes at the end are the padding a crash can leave behind a file's text
        data = data.rstrip(b"\0")
        if b"\0" in data:
            kind = _binary_kind(data)
            if kind is None and data.count(0) <= len(data) * 0.01:
                # a stray NUL in valid UTF-8 text (binary data is hardly ever valid UTF-8)
                with_nul = _utf8_or_cut_short(data)
                if with_nul is not None and not _too_many_controls(with_nul):
                    return with_nul, "utf-8"
            if kind is None and _mostly_ascii(data):
                raise _unknown_encoding(
                    " It has NUL bytes, as UTF-16 or UTF-32 text does, but reads as neither.")
            raise _binary(kind)
    kind = _binary_kind(data)
    if kind is not None:
        raise _binary(kind)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        cut = _utf8_cut_short(data)
        if cut is not None:
            if _too_many_controls(cut):
                raise _binary() from None
            return cut, "utf-8"
    else:
        if _too_many_controls(text):
            raise _binary()
        return text, "utf-8"
    if len(_CONTROL_BYTES.findall(data)) > len(data) * BINARY_CONTROL_SHARE:
        raise _binary()
    if declared:
        try:
            name = codecs.lookup(declared).name
            return data.decode(name), name
        except (LookupError, ValueError):  # no such codec, not a text codec, wrong bytes
            pass
    found_legacy = _legacy_decode(data)
    if found_legacy is None:
        raise _unknown_encoding(
            " It is text, but neither UTF-8, UTF-16 nor a common Windows code page.")
    return found_legacy


def _unknown_encoding(why: str) -> DecodeFailure:
    return DecodeFailure(
        "unreadable",
        "Unknown encoding: the file's text encoding could not be recognised." + why,
        "Open it in a text editor, save it as UTF-8 and import it again.",
    )


def _binary(kind: str | None = None) -> DecodeFailure:
    what = kind or "binary data"
    return DecodeFailure(
        "binary",
        f"The file is {what}, not text"
        + ("" if kind else " (it may be an image, a PDF or a word-processor file)") + ".",
        "Save the article as plain text (.txt) or a web page (.html) and import that.",
    )
