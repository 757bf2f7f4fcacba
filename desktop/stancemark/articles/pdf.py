"""PDF files: the text layer in reading order, column by column, without page furniture.

pypdf lays each page out as fixed-width text (its "layout" mode, which places every
glyph by its real position and width). On that grid we find the gutters between
columns (character positions blank on nearly every line with text on both sides),
read each column top to bottom, drop running headers, footers and page numbers
(lines that open or close most pages, or look like "Page 3 of 10"), join lines into
paragraphs (a blank line, an indent, or a short line ending a sentence closes one)
and rejoin words hyphenated at a line end.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections import Counter
from typing import Any

from stancemark.articles.document import Document, TextBudget, tidy

#: Longest a PDF may take to read; checked between pages (a 100-page bundle takes ~1 s).
MAX_SECONDS = 60.0
MAX_PAGES = 10_000

_PAGE_NUMBER = re.compile(
    r"^(?:page|seite|p\.)?\s*[-–—(\[]?\s*\d{1,5}\s*[-–—)\]]?"
    r"(?:\s*(?:of|/|von|de|sur)\s*\d{1,5})?$",
    re.I,
)
_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_SENTENCE_END = re.compile(r"[.!?:\"”’»)]$")


class NoTextLayer(Exception):
    """The PDF holds pages but no text: a scan."""


class Encrypted(Exception):
    """The PDF needs a password, or a cipher this build cannot undo (``needs_aes``)."""

    def __init__(self, needs_aes: bool = False) -> None:
        super().__init__()
        self.needs_aes = needs_aes


class TooSlow(Exception):
    """Reading took longer than :data:`MAX_SECONDS`."""


def read_pdf(data: bytes, *, max_seconds: float = MAX_SECONDS) -> Document:
    """Paragraphs of a PDF's text layer.

    Raises NoTextLayer, Encrypted, TooSlow, or pypdf's own errors for a damaged file.
    """
    import pypdf

    # pypdf logs every object it repairs or font it approximates, even as "errors"; the
    # analyst gets one outcome per file instead
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    started = time.monotonic()
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # noqa: BLE001 - a cipher pypdf cannot do without extras
            # pypdf undoes RC4 itself; AES needs the optional "cryptography" package
            raise Encrypted(needs_aes=type(exc).__name__ == "DependencyError") from exc
        if not opened:
            raise Encrypted
    pages: list[list[str]] = []
    images = False
    budget = TextBudget()
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or time.monotonic() - started > max_seconds:
            raise TooSlow
        text = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
        budget.take(len(text))
        lines = [line.rstrip() for line in text.split("\n")]
        pages.append(lines)
        if not text.strip() and not images:
            images = _has_images(page)
    if not any(line.strip() for lines in pages for line in lines):
        if images:
            raise NoTextLayer
        return Document([], "pdf")
    paragraphs: list[str] = []
    for body in _strip_furniture(pages):
        for block in _columns(body):
            paragraphs.extend(_paragraphs(block))
    paragraphs = _join_across_pages(paragraphs)
    doc = Document([p for p in map(tidy, paragraphs) if p], "pdf")
    meta = reader.metadata
    if meta is not None:
        doc.title = tidy(str(meta.title or "")) or None
        doc.author = tidy(str(meta.author or "")) or None
        try:
            created = meta.creation_date
        except Exception:  # noqa: BLE001 - a malformed date string
            created = None
        if created is not None:
            doc.meta["created"] = created.replace(tzinfo=None).isoformat()
    doc.meta["pages"] = len(pages)
    return doc


def _has_images(page: Any) -> bool:
    try:
        resources = page["/Resources"]
        xobjects: Any = resources.get("/XObject") if resources else None
        if not xobjects:
            return False
        return any(xobjects[name].get("/Subtype") == "/Image" for name in xobjects)
    except Exception:  # noqa: BLE001 - damaged resources: no images we can see
        return False


def _edges(lines: list[str], n: int = 2) -> list[tuple[int, str, bool]]:
    """``(index, key, at the top)`` of the first and last ``n`` lines with text that stand
    apart from the body (a blank line between): where running heads and feet sit."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    tops = set(filled[:n])
    return [(i, _key(lines[i]), i in tops) for i in sorted(tops | set(filled[-n:]))
            if _set_apart(lines, i, i in tops)]


def _set_apart(lines: list[str], i: int, top: bool) -> bool:
    """Whether line ``i`` stands apart from the body: a blank line below (top) or above it."""
    text = lines[i].strip()
    if len(text.split()) > 3 and text[-1:] in ".!?":
        return False  # a sentence's end: body text, even when pages look alike
    j = i + 1 if top else i - 1
    return not (0 <= j < len(lines)) or not lines[j].strip()


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def _strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """The pages without running heads, feet and page numbers.

    A line at a page's edge is furniture when it looks like a page number, or when the
    same line (digits aside) sits at that edge on at least half of the pages and on
    three at least (all of them in a shorter file). A head that changes with each
    article of a bundle stays: losing a line of text would be worse.
    """
    edges = [_edges(lines) for lines in pages]
    counts: Counter[tuple[str, bool]] = Counter()
    for found in edges:
        counts.update({(key, top) for _i, key, top in found})
    need = max(min(len(pages), 3), (len(pages) + 1) // 2)
    everywhere = {edge for edge, n in counts.items() if n >= need} if len(pages) > 1 else set()
    out = []
    for lines, found in zip(pages, edges, strict=True):
        drop = {i for i, key, top in found if (key, top) in everywhere}
        drop |= {i for i in _edge_indexes(lines) if _PAGE_NUMBER.match(lines[i].strip())}
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def _edge_indexes(lines: list[str], n: int = 2) -> set[int]:
    """Indexes of the first and last ``n`` lines with text."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:n] + filled[-n:])


def _gutters(lines: list[str]) -> list[int]:
    """Character positions that separate text columns on this page (may be none)."""
    filled = [line for line in lines if line.strip()]
    if len(filled) < 6:
        return []
    width = max(len(line) for line in filled)
    if width < 40:
        return []
    blank = [0] * (width + 1)
    both = [0] * (width + 1)
    for line in filled:
        padded = line.ljust(width + 1)
        first = len(line) - len(line.lstrip())
        last = len(line)
        for c in range(first + 1, last - 1):
            if padded[c - 1:c + 2] == "   ":
                blank[c] += 1
                both[c] += 1
        for c in list(range(0, first + 1)) + list(range(last - 1, width + 1)):
            blank[c] += 1
    need_blank = len(filled) * 0.9
    need_both = max(3, len(filled) * 0.3)
    runs: list[list[int]] = []
    for c in range(10, width - 10):
        if blank[c] >= need_blank and both[c] >= need_both:
            if runs and runs[-1][-1] == c - 1:
                runs[-1].append(c)
            else:
                runs.append([c])
    return [run[len(run) // 2] for run in runs]


def _columns(lines: list[str]) -> list[list[str]]:
    """The page as blocks to read in order: full-width lines, then each column in turn."""
    gutters = _gutters(lines)
    if not gutters:
        return [lines]
    blocks: list[list[str]] = []
    band: list[str] = []

    def close_band() -> None:
        if band:
            edges = [0, *gutters, None]
            for left, right in zip(edges, edges[1:], strict=False):
                blocks.append([line[left:right] for line in band])
            band.clear()

    for line in lines:
        spans = any(len(line) > g and line[g] != " " for g in gutters)
        if spans and line.strip():
            close_band()
            blocks.append([line])
        else:
            band.append(line)
    close_band()
    return blocks


def _paragraphs(lines: list[str]) -> list[str]:
    """Join the lines of one column into paragraphs."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return []
    margin = min(len(line) - len(line.lstrip()) for line in filled)
    longest = max(len(line.strip()) for line in filled)
    paragraphs: list[str] = []
    current = ""
    previous = ""
    for line in lines:
        text = line.strip()
        if not text:
            if current:
                paragraphs.append(current)
            current = previous = ""
            continue
        indent = len(line) - len(line.lstrip()) - margin
        ends_short = (previous and _SENTENCE_END.search(previous)
                      and len(previous) < 0.75 * longest)
        if current and (indent >= 2 or ends_short):
            paragraphs.append(current)
            current = ""
        current = _join(current, text)
        previous = text
    if current:
        paragraphs.append(current)
    return paragraphs


def _join(current: str, text: str) -> str:
    if not current:
        return text
    if current.endswith("\u00ad"):  # a soft hyphen: always a word broken at the line end
        return current[:-1] + text
    if _HYPHENATED.search(current):
        # "sum-" + "mer": a word hyphenated by the layout; "Anglo-" + "French": a
        # compound that happens to break at its own hyphen, which stays
        return current[:-1] + text if text[:1].islower() else current + text
    return f"{current} {text}"


def _join_across_pages(paragraphs: list[str]) -> list[str]:
    """A paragraph cut by a page or column end (no closing punctuation, next one lower case)."""
    out: list[str] = []
    for p in paragraphs:
        if out and p[:1].islower() and not _SENTENCE_END.search(out[-1]):
            out[-1] = _join(out[-1], p)
        else:
            out.append(p)
    return out
