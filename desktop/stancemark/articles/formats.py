"""Every file format in one place: recognise it from its bytes, read it into items.

:func:`read_items` is the entry point of an import: one file gives one or many
:class:`~stancemark.articles.document.ReadItem` values (a database batch, a
spreadsheet of articles), each a draft or the reason that item failed. A file
that fails as a whole gives one failed item without a number.

Formats are recognised from content: ``%PDF-``, a zip holding ``word/document.xml``
(DOCX) or an OpenDocument text mimetype (ODT), ``{\\rtf``, HTML; then the layout
inside (Nexis, Factiva) decides whether it is one article or a batch. Only CSV and
JSON Lines, which look like any text, are known by their suffix (or by a first line
that is a JSON object).
"""

from __future__ import annotations

import codecs
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from stancemark.articles.document import Document, ReadItem, join_paragraphs, tidy
from stancemark.articles.reader import (
    MAX_BYTES,
    MB,
    ReadFailure,
    _cannot,
    _check_size,
    _guess_fmt,
    _read_at_most,
    _regular_size,
    _too_large,
    read_bytes,
)
from stancemark.articles.tabular import (
    COUNT_CHARS,
    ColumnMap,
    MapError,
    TablePreview,
    preview_table,
    read_csv,
    read_jsonl,
)
from stancemark.core.models import ArticleDraft
from stancemark.core.text import normalize_newlines, printable

#: Largest DOCX, ODT or PDF file read (images make a 100-article PDF bundle 10-50 MB).
MAX_CONTAINER_BYTES = 256 * MB
#: Largest RTF file (a 100-item Factiva download is about 1 MB; pictures are hex text).
MAX_RTF_BYTES = 64 * MB
#: Largest CSV or JSON Lines file; read a row at a time, so only time grows with it.
MAX_TABLE_BYTES = 2048 * MB

#: File-dialog patterns for everything :func:`read_items` reads (for the window).
FILE_PATTERNS = ("*.txt", "*.text", "*.html", "*.htm", "*.xhtml", "*.docx", "*.odt", "*.rtf",
                 "*.pdf", "*.csv", "*.tsv", "*.jsonl", "*.ndjson")

_TABLE_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Bytes that make a text file worth checking for a Nexis or Factiva layout.
_BATCH_HINT = re.compile(
    rb"end of document|\d+ of \d+ documents|dokument \d+ von \d+|^\s*HD\s*$", re.I | re.M)


def _may_be_batch(head: bytes) -> bool:
    """Whether a text file may be a Nexis or Factiva batch (the regex only where a plain
    substring test says it might: most files are single articles, and a case-folding
    regex over each of them was a fifth of an import's time)."""
    low = head.lower()
    if b"document" not in low and b"dokument" not in low and b"hd" not in low:
        return False
    return bool(_BATCH_HINT.search(head))


_LABEL_LINE = re.compile(r"^[^\W\d_][^\W\d_]+(?:[- ][^\W\d_]+)?\s*:")


def sniff(name: str, head: bytes) -> str:
    """The format of a file from its first bytes (and, for tables only, its suffix)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    if stripped[:5] == b"{\\rtf":
        return "rtf"
    if head[:8] == _OLE:
        return "ole"
    suffix = os.path.splitext(name)[1].lower()
    if suffix in _TABLE_SUFFIXES:
        return _TABLE_SUFFIXES[suffix]
    if stripped[:1] == b"{" and suffix not in (".txt", ".text", ".md", ".html", ".htm"):
        line = stripped.split(b"\n", 1)[0]
        if line.rstrip().endswith(b"}") and b'":' in line:
            return "jsonl"
    return "text-or-html"


def is_table(path: str | os.PathLike[str]) -> bool:
    """Whether the file is a CSV or JSON Lines table of articles (read a row at a time)."""
    p = Path(path)
    try:
        with open(p, "rb") as f:
            head = f.read(8192)
    except OSError:
        return False
    return sniff(p.name, head) in ("csv", "jsonl")


def preview_file(path: str | os.PathLike[str], *, columns: ColumnMap | None = None,
                 rows: int = 20, count_chars: int = COUNT_CHARS) -> TablePreview:
    """The first ``rows`` rows of a CSV or JSON Lines file and the columns it would use.

    For the import window's preview (rows are counted while ``count_chars``
    characters last); raises :class:`ReadFailure` when the file is not a table or
    cannot be read.
    """
    p = Path(path)
    shown = printable(str(p))
    _regular_size(p, shown)
    try:
        with open(p, "rb") as f:
            head = f.read(8192)
        fmt = sniff(p.name, head)
        if fmt not in ("csv", "jsonl"):
            raise ReadFailure("unreadable", f"{shown} is not a CSV or JSON Lines file.")
        with open(p, encoding=_table_codec(head), errors="replace", newline="") as stream:
            return preview_table(stream, fmt, columns, rows, count_chars)
    except OSError as exc:
        raise _cannot(shown, "read", exc) from exc


def read_items(path: str | os.PathLike[str], *, columns: ColumnMap | None = None
               ) -> Iterator[ReadItem]:
    """Read the file at ``path`` into one item per article (see the module docstring).

    Never raises for a bad file or item: failures come back as items with a
    ``status`` ("unreadable", "too_large", "empty", "binary") and a message that
    names the file.
    """
    p = Path(path)
    shown = printable(str(p))
    try:
        size = _regular_size(p, shown)
        with open(p, "rb") as f:
            head = f.read(8192)
            # a small file is whole already: most articles are, so no second open
            whole = head + f.read(1) if len(head) == 8192 else head
    except ReadFailure as exc:
        yield ReadItem(None, exc.status, str(exc))
        return
    except OSError as exc:
        failure = _cannot(shown, "read", exc)
        yield ReadItem(None, failure.status, str(failure))
        return
    fmt = sniff(p.name, head)
    try:
        if fmt in ("csv", "jsonl"):
            if size > MAX_TABLE_BYTES:
                raise _too_large(shown, size, MAX_TABLE_BYTES)
            yield from _table_items(p, shown, head, fmt, columns or ColumnMap())
            return
        limit = {"pdf": MAX_CONTAINER_BYTES, "zip": MAX_CONTAINER_BYTES,
                 "rtf": MAX_RTF_BYTES}.get(fmt, MAX_BYTES)
        if size > limit:
            raise _too_large(shown, size, limit)
        data = whole if len(whole) <= 8192 else _read_at_most(p, shown, limit)
        items = read_data(data, name=p.name, shown=shown, fmt=fmt)
    except ReadFailure as exc:
        yield ReadItem(None, exc.status, str(exc))
        return
    for item in items:
        if item.draft is not None:
            item.draft.source_path = shown
        elif item.item is not None:
            item.message = f"{shown}: {item.message}"
        yield item


def read_data(data: bytes, *, name: str = "", shown: str = "", fmt: str | None = None
              ) -> list[ReadItem]:
    """Items of a file's bytes (CSV and JSON Lines excepted); raises :class:`ReadFailure`."""
    shown = shown or printable(name)
    fmt = fmt or sniff(name, data[:8192])
    if fmt == "text-or-html":
        from stancemark.articles.factiva_html import looks_like_factiva, split_factiva_html

        if looks_like_factiva(data):
            from stancemark.articles.decode import DecodeFailure, clean_controls, decode
            from stancemark.articles.html import declared_charset

            try:
                text, _codec = decode(data, declared=declared_charset(data))
            except DecodeFailure:
                text = ""
            items = split_factiva_html(clean_controls(text)) if text else None
            if items:
                return [_sized(item, shown) for item in items]
        plain = _guess_fmt(name, data) == "text"
        batch = (_text_batch(data, name) if plain and _may_be_batch(data[:4_000_000])
                 else None)
        if batch:
            return [_sized(item, shown) for item in batch]
        return [ReadItem(read_bytes(data, name=name))]
    if fmt == "ole":
        raise ReadFailure(
            "unreadable", f"{shown} is an old Word (.doc) or Office file, which Stancemark "
            "does not read.", "Open it in Word or LibreOffice and save it as .docx, then "
            "import that.")
    doc = _read_document(data, fmt, shown)
    batch = _split(doc)
    if batch is not None:
        return [_sized(item, shown) for item in batch]
    return [ReadItem(single_draft(doc, shown))]


def _read_document(data: bytes, fmt: str, shown: str) -> Document:
    """A container file's paragraphs; every way it can fail becomes a :class:`ReadFailure`."""
    from stancemark.articles.zipparts import MAX_SECONDS, PartTooLarge, PartTooSlow

    try:
        if fmt == "pdf":
            return _read_pdf(data, shown)
        if fmt == "rtf":
            from stancemark.articles import rtf

            try:
                return rtf.read_rtf(data)
            except rtf.TooSlow as exc:
                raise ReadFailure(
                    "unreadable", f"{shown} took longer than {rtf.MAX_SECONDS:.0f} s to read "
                    "and was given up (a damaged or crafted RTF file).",
                    "Open it in a word processor and save it again, then import it.") from exc
        from stancemark.articles.docx import is_docx, read_docx
        from stancemark.articles.odt import is_odt, read_odt
        from stancemark.articles.zipparts import open_zip

        zf = open_zip(data)
        if is_docx(zf):
            return read_docx(zf)
        if is_odt(zf):
            return read_odt(zf)
        raise ReadFailure(
            "unreadable", f"{shown} is a zip archive, not a Word (.docx) or OpenDocument "
            "(.odt) text.", "Unpack it and import the files inside.")
    except PartTooSlow as exc:
        raise ReadFailure(
            "unreadable", f"{shown} took longer than {MAX_SECONDS:.0f} s to read and was given "
            "up (millions of empty paragraphs: a damaged or crafted document).",
            "Open it in a word processor and save it again, then import it.") from exc
    except PartTooLarge as exc:
        raise ReadFailure(
            "too_large", f"{shown} expands to far more data than a document holds (a damaged "
            "or crafted archive); it was not unpacked.", "Open it in a word processor and "
            "save it again, or import the articles as separate files.") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, NotImplementedError,
            ValueError, OSError, zlib.error, struct.error) as exc:  # a damaged zip, any way
        raise ReadFailure(
            "unreadable", f"{shown} is damaged: its zip structure cannot be read ({exc}).",
            "Open it in a word processor and save it again, then import it.") from exc
    except _xml_error() as exc:
        raise ReadFailure(
            "unreadable", f"{shown} is damaged: its document XML is not well-formed ({exc}).",
            "Open it in a word processor and save it again, then import it.") from exc


def _xml_error() -> type[Exception]:
    from lxml import etree

    return etree.LxmlError


def _read_pdf(data: bytes, shown: str) -> Document:
    from stancemark.articles import pdf

    try:
        return pdf.read_pdf(data)
    except pdf.NoTextLayer as exc:
        raise ReadFailure(
            "empty", f"{shown} has no text layer; OCR it first (it holds only page images, "
            "as a scan does).", "Run it through OCR (for example OCRmyPDF or your scanner's "
            "software) and import the result.") from exc
    except pdf.Encrypted as exc:
        if exc.needs_aes:
            raise _needs_aes(shown) from exc
        raise ReadFailure(
            "unreadable", f"{shown} is protected by a password.",
            "Open it with the password and save or print it as a PDF without one.") from exc
    except pdf.TooSlow as exc:
        raise ReadFailure(
            "unreadable", f"{shown} took longer than {pdf.MAX_SECONDS:.0f} s to read and was "
            "given up (a damaged or crafted PDF).", "Print it to a new PDF and import that.",
        ) from exc
    except ReadFailure:
        raise
    except _pdf_limit_error() as exc:
        raise ReadFailure(
            "too_large", f"{shown} holds a stream that expands past the reader's limits (a "
            "damaged or crafted PDF); it was not expanded.",
            "Print it to a new PDF and import that.") from exc
    except RecursionError as exc:
        raise ReadFailure("unreadable", f"{shown} is nested too deeply to read (a damaged or "
                          "crafted PDF).", "Print it to a new PDF and import that.") from exc
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf's errors have no common base
        if type(exc).__name__ == "DependencyError":  # AES without "cryptography"
            raise _needs_aes(shown) from exc
        detail = printable(str(exc))[:160]
        raise ReadFailure(
            "unreadable", f"{shown} is not a PDF that can be read ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}).",
            "Open it in a PDF viewer; if it shows, print it to a new PDF and import that.",
        ) from exc


def _text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text download: blocks between blank lines, lines joined.

    A block whose lines are labelled fields ("Length: 812 words") or short marker
    lines keeps each line as a paragraph, so the batch splitter sees every field.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [tidy(line) for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(_LABEL_LINE.match(line) or len(line) < 40 for line in lines):
            paragraphs.extend(lines)
        else:
            paragraphs.append(" ".join(lines))
    return paragraphs


def _text_batch(data: bytes, name: str) -> list[ReadItem] | None:
    """Items of a Nexis or Factiva download saved as plain text, or None if it is not one."""
    from stancemark.articles.decode import DecodeFailure, clean_controls, decode

    try:
        text, _codec = decode(data)
    except DecodeFailure:
        return None
    doc = Document(_text_paragraphs(normalize_newlines(clean_controls(text))), "text")
    return _split(doc)


def _needs_aes(shown: str) -> ReadFailure:
    return ReadFailure(
        "unreadable", f"{shown} is encrypted with AES (often only to stop printing or "
        "copying), which this build of Stancemark cannot decrypt.",
        "Print it to a new PDF (most viewers allow that) and import the copy.")


def _pdf_limit_error() -> type[Exception]:
    """pypdf's "this stream would expand too far" error (``LimitReachedError``)."""
    from pypdf import errors

    return getattr(errors, "LimitReachedError", ReadFailure)


def _split(doc: Document) -> list[ReadItem] | None:
    from stancemark.articles.bundles import split_document

    return split_document(doc)


def _sized(item: ReadItem, shown: str) -> ReadItem:
    """Apply the size rule of a single article to one item of a batch."""
    if item.draft is None:
        return item
    try:
        _check_size(item.draft.text, f"item {item.item}")
    except ReadFailure as exc:
        return ReadItem(None, exc.status, str(exc), item.item, item.of, item.title)
    return item


#: Document properties that word processors fill in by themselves: not a title or author.
_PLACEHOLDER = re.compile(
    r"^(?:microsoft (?:word|office)\b.*|untitled\b.*|document\d*|dokument\d*|windows user"
    r"|microsoft office user|user|admin(?:istrator)?|owner|author|unknown|none|\S+\.(?:docx?|"
    r"odt|rtf|pdf|txt|html?|indd|qxp))$", re.I)


def _real(value: str | None) -> str | None:
    return None if value is None or _PLACEHOLDER.match(value.strip()) else value


def single_draft(doc: Document, shown: str) -> ArticleDraft:
    """The article of a document that is not a batch; raises :class:`ReadFailure` if empty."""
    paragraphs = list(doc.paragraphs)
    title = _real(doc.title)
    first = paragraphs[0] if paragraphs else ""
    if title and first.casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    elif not title and 0 in doc.headings and len(first) <= 300:
        title = first
        paragraphs = paragraphs[1:]
    text = join_paragraphs(paragraphs)
    if not text.strip():
        raise ReadFailure(
            "empty", f"{shown} has no article text (it is empty or holds only page "
            "furniture).", "Check that the document holds the article, then import it again.")
    _check_size(text, shown)
    from stancemark.articles.bundles import language_code

    return ArticleDraft(text=text, raw="\n".join(doc.paragraphs), title=title,
                        author=_real(doc.author), language=language_code(doc.language),
                        published=doc.published, fmt=doc.fmt, meta=dict(doc.meta))


def _table_items(p: Path, shown: str, head: bytes, fmt: str, columns: ColumnMap
                 ) -> Iterator[ReadItem]:
    codec = _table_codec(head)
    try:
        with open(p, encoding=codec, errors="replace", newline="") as stream:
            rows = read_jsonl(stream, columns) if fmt == "jsonl" else read_csv(stream, columns)
            for item in rows:
                if item.draft is not None:
                    item.draft.source_path = shown
                    item.draft.encoding = codec
                    item = _sized(item, shown)
                if item.draft is None:
                    item.message = f"{shown}: {item.message}"
                yield item
    except MapError as exc:
        raise ReadFailure("unreadable", f"{shown}: {exc}",
                          "Name the columns with --map, for example "
                          "--map text=body,title=headline.") from exc
    except OSError as exc:
        raise _cannot(shown, "read", exc) from exc


def _table_codec(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else what the first bytes look like."""
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the 8 KB window
            return "utf-8-sig"
    from stancemark.articles.decode import DecodeFailure, decode

    try:
        return decode(head)[1]
    except DecodeFailure:
        return "utf-8-sig"
