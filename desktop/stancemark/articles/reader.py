"""The public entry points: read one file or one byte string into an ArticleDraft.

Every way a file can fail becomes a :class:`ReadFailure` with a ``status`` the
import batch records per file, so one bad file never stops an import.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from stancemark.articles.decode import DecodeFailure, decode
from stancemark.core.errors import ArticleReadError
from stancemark.core.models import ArticleDraft
from stancemark.core.text import normalize_newlines

MAX_BYTES = 20 * 1024 * 1024

STATUSES = ("empty", "unreadable", "too_large", "binary")

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".mhtml"})
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
_HTML_SNIFF = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_NATURAL = re.compile(r"(\d+)")


class ReadFailure(ArticleReadError):
    """A file that cannot become an article; ``status`` says which way it failed."""

    def __init__(self, status: str, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.status = status


def _guess_fmt(name: str, data: bytes) -> str:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _TEXT_SUFFIXES:
        return "text"
    head = data[:2048]
    codec = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "latin-1"
    text = head.decode(codec, "ignore").removeprefix("\ufeff").removeprefix("ï»¿")
    return "html" if _HTML_SNIFF.match(text) else "text"


def _empty(name: str) -> ReadFailure:
    what = f"{name} has" if name else "The file has"
    return ReadFailure(
        "empty",
        f"{what} no article text (it is empty or holds only whitespace or page furniture).",
        "Check that the scraper saved the article, then import it again.",
    )


def read_bytes(data: bytes, *, name: str = "", fmt: str | None = None) -> ArticleDraft:
    """Read an article from ``data``; ``fmt`` is "text" or "html", guessed when None.

    ``name`` (a file name) is only used to guess the format and in messages.
    Raises :class:`ReadFailure` (status "empty" or "binary", or "unreadable" when
    the encoding cannot be recognised).
    """
    if fmt not in (None, "text", "html"):
        raise ValueError(f"fmt must be 'text', 'html' or None, not {fmt!r}")
    if not data.strip():
        raise _empty(name)
    fmt = fmt or _guess_fmt(name, data)
    declared = None
    if fmt == "html":
        from stancemark.articles.html import declared_charset

        declared = declared_charset(data)
    try:
        raw, codec = decode(data, declared=declared)
    except DecodeFailure as exc:
        label = f"{name}: " if name else ""
        raise ReadFailure(exc.status, label + exc.message, exc.hint) from exc
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    if not raw.strip():
        raise _empty(name)

    if fmt == "html":
        from stancemark.articles.html import extract_html

        page = extract_html(raw)
        draft = ArticleDraft(
            text=normalize_newlines(page.text),
            raw=raw,
            title=page.title,
            subtitle=page.subtitle,
            source=page.source,
            url=page.url,
            author=page.author,
            published=page.published,
            language=page.language,
            encoding=codec,
            fmt="html",
            meta=page.meta,
        )
    else:
        from stancemark.articles.plain import clean_scraped

        cleaned = clean_scraped(raw)
        draft = ArticleDraft(
            text=cleaned.text,
            raw=raw,
            title=cleaned.title,
            subtitle=cleaned.subtitle,
            url=cleaned.url,
            author=cleaned.author,
            published=cleaned.published,
            encoding=codec,
            fmt="text",
            meta=cleaned.meta,
        )
    if not draft.text.strip():
        raise _empty(name)
    return draft


def read_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> ArticleDraft:
    """Read the article in the file at ``path``.

    The size is checked before anything is read, so a huge file is refused at
    once. Raises :class:`ReadFailure` with status "unreadable", "too_large",
    "empty" or "binary".
    """
    p = Path(path)
    shown = str(p)
    try:
        st = os.stat(p)
    except FileNotFoundError as exc:
        raise ReadFailure(
            "unreadable", f"{shown} does not exist.", "Check the path; it may have been moved."
        ) from exc
    except OSError as exc:
        raise ReadFailure(
            "unreadable",
            f"{shown} cannot be opened ({exc.strerror or exc}).",
            "Check that the file exists and that you may read it.",
        ) from exc
    if stat.S_ISDIR(st.st_mode):
        raise ReadFailure(
            "unreadable",
            f"{shown} is a folder, not a file.",
            "Import the folder to read its files.",
        )
    if not stat.S_ISREG(st.st_mode):
        raise ReadFailure(
            "unreadable", f"{shown} is not a regular file.", "Copy the article into a file first."
        )
    if st.st_size > max_bytes:
        raise _too_large(shown, st.st_size, max_bytes)
    try:
        with open(p, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise ReadFailure(
            "unreadable",
            f"{shown} cannot be read ({exc.strerror or exc}).",
            "Check that you may read it (permissions) and that the disk is available.",
        ) from exc
    if len(data) > max_bytes:  # it grew after stat
        raise _too_large(shown, len(data), max_bytes)
    draft = read_bytes(data, name=p.name)
    draft.source_path = shown
    return draft


def _too_large(shown: str, size: int, limit: int) -> ReadFailure:
    return ReadFailure(
        "too_large",
        f"{shown} is {size / 1048576:.1f} MB; articles are limited to {limit / 1048576:.0f} MB.",
        "It is probably not a single article: split it or import the article files themselves.",
    )


def _natural_key(name: str) -> tuple[object, ...]:
    return tuple(int(part) if part.isdigit() else part.casefold() for part in _NATURAL.split(name))


#: Suffixes taken from a folder walk (a file given by name is always tried).
#: Scrapers often save without a suffix; README.md, .json or .csv beside the
#: articles are not articles.
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".htm", ".html", ".xhtml", ""})


def _walk(folder: Path) -> Iterator[Path]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(
                (e for e in it if not e.name.startswith(".")), key=lambda e: _natural_key(e.name)
            )
    except OSError:
        yield folder  # cannot list it: let the caller report it as unreadable
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(Path(entry.path))
        elif Path(entry.name).suffix.lower() in ARTICLE_SUFFIXES:
            yield Path(entry.path)


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield the files to import: files as given, folders walked in natural order.

    Inside a folder only article files (:data:`ARTICLE_SUFFIXES`) are taken and
    hidden files and folders are skipped; symbolic links to
    folders are not followed (no loops). A path that does not exist is yielded
    as it is, so the import reports it as unreadable instead of losing it.
    """
    for path in paths:
        p = Path(path)
        if p.is_dir():
            yield from _walk(p)
        else:
            yield p
