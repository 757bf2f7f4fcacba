"""What a document reader hands on: paragraphs in reading order plus document metadata.

Readers of DOCX, ODT, RTF and PDF files produce a :class:`Document`; the batch
splitter (:mod:`stancemark.articles.bundles`) decides whether it is one article
or a database bundle of many, and turns each into an
:class:`~stancemark.core.models.ArticleDraft`. :class:`ReadItem` is one result of
reading a file: a draft, or the reason one item (or the whole file) failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from stancemark.articles.decode import clean_controls
from stancemark.core.models import ArticleDraft
from stancemark.core.text import normalize_newlines

#: Most text one container file may give (all its articles together), in characters.
#: A 100-item news bundle holds about 1 MB; this stops a crafted file early.
MAX_DOCUMENT_CHARS = 64 * 1024 * 1024

_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass(slots=True)
class Document:
    """Paragraphs of one file in reading order, with what the file says about itself."""

    paragraphs: list[str]
    fmt: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    #: Paragraph indexes styled as headings or a title (a hint for the splitter).
    headings: set[int] = field(default_factory=set)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ReadItem:
    """One result of reading a file: an article draft, or why it (or one item) failed.

    ``item`` is the 1-based position in a batch file (None for a single article),
    ``of`` the number of items the batch announced or held.
    """

    draft: ArticleDraft | None
    status: str = ""
    message: str = ""
    item: int | None = None
    of: int | None = None
    title: str | None = None


def tidy(text: str) -> str:
    """One paragraph as the window shows it: no controls, single spaces, trimmed.

    UTF-16 surrogate pairs (RTF writes characters beyond U+FFFF so) are joined and a
    lone half becomes U+FFFD, so the text can always be stored as UTF-8.
    """
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _SPACES.sub(" ", clean_controls(text)).strip()


def join_paragraphs(paragraphs: list[str]) -> str:
    """Article text from paragraphs: one blank line between them, LF only."""
    text = "\n\n".join(p for p in paragraphs if p)
    return normalize_newlines(clean_controls(text))


class TextBudget:
    """Counts the characters a reader produced; raises once a file gives too much."""

    def __init__(self, limit: int = MAX_DOCUMENT_CHARS) -> None:
        self.limit = limit
        self.used = 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            from stancemark.articles.reader import ReadFailure

            raise ReadFailure(
                "too_large",
                f"the file holds more than {self.limit // (1024 * 1024)} MB of text.",
                "It is far larger than a news bundle: split it and import the parts.",
            )
