"""Plain dataclasses for what a project holds; the store returns these, the UI shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

STATUSES = ("new", "in_progress", "done")
STATUS_LABELS = {"new": "New", "in_progress": "In progress", "done": "Done"}


@dataclass(slots=True)
class ArticleDraft:
    """An article read from a file, not yet in a project.

    ``text`` is the clean text the analyst annotates (LF line ends, no BOM);
    ``raw`` is the file content as decoded, kept so the analyst can see what
    was dropped.
    """

    text: str
    raw: str = ""
    title: str | None = None
    subtitle: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    encoding: str | None = None
    source_path: str | None = None
    fmt: str = "text"  # text, html, docx, odt, rtf, pdf, csv, jsonl
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    """An article stored in a project."""

    id: int
    uid: str
    title: str | None
    subtitle: str | None
    source: str | None
    url: str | None
    author: str | None
    published: str | None  # ISO 8601, as stored
    language: str | None
    status: str
    text: str
    source_path: str | None = None
    imported_at: str | None = None


@dataclass(slots=True)
class ArticleSummary:
    """One row of the article list: no text, so a 100,000-row list stays light."""

    id: int
    title: str | None
    published: str | None
    source: str | None
    status: str
    annotations: int
    length: int


@dataclass(slots=True)
class Actor:
    """A person, organisation, country or group known to the project."""

    id: int
    name: str
    type: str | None
    affiliation_id: int | None = None
    aliases: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(slots=True)
class Mention:
    """A span naming an actor."""

    id: int
    article_id: int
    start: int
    end: int
    text: str
    actor_id: int
    annotator: str
    created_at: str = ""
    updated_at: str = ""
    #: Stable identity (team sync); kept when an undo restores the row. Not compared.
    uuid: str = field(default="", compare=False)


@dataclass(slots=True)
class Claim:
    """A span stating a position, with claimant, target, category and stance."""

    id: int
    article_id: int
    start: int
    end: int
    text: str
    claimant_id: int | None
    target_id: int | None
    category: str | None
    stance: int | None
    note: str | None
    annotator: str
    created_at: str = ""
    updated_at: str = ""
    #: Stable identity (team sync); kept when an undo restores the row. Not compared.
    uuid: str = field(default="", compare=False)


@dataclass(slots=True)
class Sentiment:
    """A scale value for an article (``actor_id`` None) or an actor in one article."""

    article_id: int
    actor_id: int | None
    value: int
    annotator: str
    created_at: str = ""
    updated_at: str = ""
    #: Stable identity (team sync); kept when an undo restores the row. Not compared.
    uuid: str = field(default="", compare=False)


@dataclass(slots=True)
class ImportOutcome:
    """What happened to one file of an import batch, or to one item of a batch file.

    ``item`` is the 1-based position of the article in a file that holds several
    (a Nexis or Factiva download, a row of a CSV), None for a file of one article.
    """

    path: str
    status: str  # imported, duplicate, empty, unreadable, too_large, binary, refused,
    #              unreachable (the last two for web addresses), cancelled
    article_id: int | None = None
    title: str | None = None
    message: str = ""
    item: int | None = None
