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

from stancemark.articles.decode import DecodeFailure, clean_controls, decode
from stancemark.core.errors import ArticleReadError
from stancemark.core.models import ArticleDraft
from stancemark.core.text import normalize_newlines, printable

MB = 1024 * 1024
#: Largest file read at all (checked before reading, so a huge file costs nothing).
MAX_BYTES = 20 * MB
#: Largest article text (UTF-8) the window shows and lets the analyst work in within a
#: second on a 2-core machine, with room to spare: paragraphed text of 10 MB opens in
#: 0.25-0.3 s, of 19 MB in 0.5-0.9 s (tests/benchmarks/bench_article_size.py).
MAX_TEXT_BYTES = 10 * MB
#: Longest paragraph (text between two line breaks). The window lays a paragraph out
#: whole, so one long line is what costs: 1 MB on one line opens in 0.35-0.55 s and
#: takes 0.2-0.3 s per tag; 2 MB 0.7-1.1 s and 0.5-0.7 s; 5 MB 1.7-2.4 s and 3.4 s.
MAX_PARAGRAPH_BYTES = 1 * MB

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


_BLOCK_BREAK = re.compile("[\n\u2029]")


def _mb(size: int, limit: int) -> str:
    """``size`` in MB with enough decimals to show it is over ``limit``."""
    for digits in (1, 2, 3):
        shown = f"{size / MB:.{digits}f}"
        if float(shown) > limit / MB:
            return f"{shown} MB"
    return f"{size:,} bytes"


def _check_size(text: str, name: str) -> None:
    """Refuse an article the window could not show promptly (``too_large``)."""
    label = f"{name}: " if name else ""
    size = len(text) if text.isascii() else len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise ReadFailure(
            "too_large",
            f"{label}the article text is {_mb(size, MAX_TEXT_BYTES)}; Stancemark takes "
            f"articles of up to {MAX_TEXT_BYTES / MB:.0f} MB, the most its window shows "
            "without delay.",
            "It is probably more than one article: split the file and import the parts.",
        )
    if len(text) <= MAX_PARAGRAPH_BYTES // 4:  # no paragraph can be too long
        return
    longest = 0
    for block in _BLOCK_BREAK.split(text):
        if len(block) > MAX_PARAGRAPH_BYTES // 4 and len(block) * 4 > longest:
            longest = max(longest, len(block.encode("utf-8")))
    if longest > MAX_PARAGRAPH_BYTES:
        raise ReadFailure(
            "too_large",
            f"{label}a paragraph of the article is {_mb(longest, MAX_PARAGRAPH_BYTES)} long "
            "with no line break; the window lays each paragraph out whole and takes "
            f"paragraphs of up to {MAX_PARAGRAPH_BYTES / MB:.0f} MB.",
            "Split the file at its paragraphs (line breaks) or into several files, "
            "then import it again.",
        )


def _clean_field(value: str | None) -> str | None:
    return clean_controls(value) if value else value


def read_bytes(data: bytes, *, name: str = "", fmt: str | None = None,
               charset: str | None = None) -> ArticleDraft:
    """Read an article from ``data``; ``fmt`` is "text" or "html", guessed when None.

    ``name`` (a file name) is only used to guess the format and in messages;
    ``charset`` is one the bytes came labelled with (a web server's Content-Type),
    tried where a page names none itself.
    Control characters and terminal colour codes are removed (the text is what the
    window shows). Raises :class:`ReadFailure` (status "empty", "binary",
    "too_large" beyond :data:`MAX_TEXT_BYTES` or :data:`MAX_PARAGRAPH_BYTES`, or
    "unreadable" when the encoding cannot be recognised).
    """
    name = printable(name)
    if fmt not in (None, "text", "html"):
        raise ValueError(f"fmt must be 'text', 'html' or None, not {fmt!r}")
    if not data.strip():
        raise _empty(name)
    fmt = fmt or _guess_fmt(name, data)
    declared = None
    if fmt == "html":
        from stancemark.articles.html import declared_charset

        declared = declared_charset(data)
    declared = declared or charset
    try:
        raw, codec = decode(data, declared=declared)
    except DecodeFailure as exc:
        label = f"{name}: " if name else ""
        raise ReadFailure(exc.status, label + exc.message, exc.hint) from exc
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    shown = clean_controls(raw)  # raw stays as the file had it, for the record
    if not shown.strip():
        raise _empty(name)

    if fmt == "html":
        from stancemark.articles.html import extract_html

        page = extract_html(shown)
        draft = ArticleDraft(
            # again: character references (&#7;) can bring controls back
            text=normalize_newlines(clean_controls(page.text)),
            raw=raw,
            title=_clean_field(page.title),
            subtitle=_clean_field(page.subtitle),
            source=_clean_field(page.source),
            url=page.url,
            author=_clean_field(page.author),
            published=page.published,
            language=page.language,
            encoding=codec,
            fmt="html",
            meta=page.meta,
        )
    else:
        from stancemark.articles.plain import clean_scraped

        cleaned = clean_scraped(shown)
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
    _check_size(draft.text, name)
    return draft


def _cannot(shown: str, verb: str, exc: OSError) -> ReadFailure:
    if isinstance(exc, PermissionError):
        return ReadFailure(
            "unreadable",
            f"{shown} cannot be {verb}: permission denied.",
            "Check the permissions of the file and of the folders above it "
            "(a folder needs the x permission to reach its files).",
        )
    return ReadFailure(
        "unreadable",
        f"{shown} cannot be {verb} ({exc.strerror or exc}).",
        "Check that the file exists, that you may read it and that the disk is available.",
    )


def _regular_size(p: Path, shown: str) -> int:
    """The size of the regular file at ``p``, or :class:`ReadFailure` saying why it is not one."""
    try:
        st = os.stat(p)
    except FileNotFoundError as exc:
        raise ReadFailure(
            "unreadable", f"{shown} does not exist.", "Check the path; it may have been moved."
        ) from exc
    except OSError as exc:
        raise _cannot(shown, "opened", exc) from exc
    except ValueError as exc:  # a NUL character in the path: no such file can exist
        raise ReadFailure("unreadable", f"{shown} is not a possible file name ({exc}).",
                          "Check the path.") from exc
    if stat.S_ISDIR(st.st_mode):
        try:
            os.scandir(p).close()
        except OSError as exc:
            raise _cannot(shown, "listed (it is a folder)", exc) from exc
        raise ReadFailure(
            "unreadable",
            f"{shown} is a folder, not a file.",
            "Import the folder to read its files.",
        )
    if not stat.S_ISREG(st.st_mode):
        raise ReadFailure(
            "unreadable", f"{shown} is not a regular file.", "Copy the article into a file first."
        )
    return st.st_size


def _read_at_most(p: Path, shown: str, limit: int) -> bytes:
    try:
        with open(p, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise _cannot(shown, "read", exc) from exc
    if len(data) > limit:  # it grew after stat
        raise _too_large(shown, len(data), limit)
    return data


def read_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> ArticleDraft:
    """Read the article in the text or HTML file at ``path``.

    The size is checked before anything is read, so a huge file is refused at
    once. Raises :class:`ReadFailure` with status "unreadable", "too_large",
    "empty" or "binary"; messages show the path escaped (:func:`printable`), so
    a file name with line breaks, terminal codes or undecodable bytes is safe to print.
    :func:`read_items` reads every format, batches included.
    """
    p = Path(path)
    shown = printable(str(p))
    size = _regular_size(p, shown)
    if size > max_bytes:
        raise _too_large(shown, size, max_bytes)
    data = _read_at_most(p, shown, max_bytes)
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
#: articles are not articles (a CSV or JSON Lines file of articles is named itself).
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".htm", ".html", ".xhtml", "",
                              ".docx", ".odt", ".rtf", ".pdf"})


def _folder_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[Path]:
    """Article files under ``folder``, depth first in natural order, without recursion.

    Links to folders are followed, but each folder (by device and inode) is walked
    once, so a link loop ends and a folder reached twice gives its files once.
    """
    key = _folder_key(folder)
    if key is not None:
        seen.add(key)
    # a stack of iterators over sorted entries: any depth, no RecursionError
    stack: list[Iterator[os.DirEntry[str]]] = []
    listed = _list(folder)
    if listed is None:
        yield folder  # cannot list it: read_file reports why
        return
    stack.append(iter(listed))
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            is_dir = entry.is_dir()  # follows links
        except OSError:
            is_dir = False
        if is_dir:
            key = _folder_key(Path(entry.path))
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            sub = _list(Path(entry.path))
            if sub is None:
                yield Path(entry.path)
            else:
                stack.append(iter(sub))
        elif Path(entry.name).suffix.lower() in ARTICLE_SUFFIXES:
            yield Path(entry.path)


def _list(folder: Path) -> list[os.DirEntry[str]] | None:
    """The visible entries of ``folder`` in natural order, or None if it cannot be listed."""
    try:
        with os.scandir(folder) as it:
            # hidden files, and the "~$name.docx" lock files Word leaves beside open ones
            return sorted((e for e in it if not e.name.startswith((".", "~$"))),
                          key=lambda e: _natural_key(e.name))
    except OSError:
        return None


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield the files to import: files as given, folders walked in natural order.

    Inside a folder only article files (:data:`ARTICLE_SUFFIXES`) are taken and
    hidden files and folders are skipped. Links to folders are followed, each
    folder once (a link loop ends). The walk has no depth limit. A path that does
    not exist, and a folder that cannot be listed, is yielded as it is, so the
    import reports it as unreadable (with the reason) instead of losing it.
    """
    seen: set[tuple[int, int]] = set()
    for path in paths:
        p = Path(path)
        if p.is_dir():
            yield from _walk(p, seen)
        else:
            yield p
