"""What team sync exchanges between a project file and the team's hub, as plain data.

Each synchronised kind is a table on both sides. A row travels as a dict whose keys
are :data:`WIRE_COLUMNS` of its kind; references travel as stable identities (an
article's ``uid``, an actor's ``uuid``), never as a file's row ids. A deletion
travels as a tombstone ``{"uuid": ..., "deleted": True}`` (articles: ``uid``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Every synchronised kind, in the order a receiver applies them (references first).
KINDS: tuple[str, ...] = ("articles", "actor_types", "categories", "scale", "actors",
                          "mentions", "claims", "article_sentiments", "actor_sentiments")

#: The codebook and the registry: shared by the team, edited by its managers.
SHARED_KINDS = ("articles", "actor_types", "categories", "scale", "actors")

#: Annotations: each row belongs to its annotator.
ANNOTATION_KINDS = ("mentions", "claims", "article_sentiments", "actor_sentiments")

WIRE_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("uid", "title", "subtitle", "source", "url", "author", "published",
                 "language", "meta", "text"),
    "actor_types": ("uuid", "key", "label", "color", "shortcut", "position"),
    "categories": ("uuid", "key", "label", "parent", "description", "color", "shortcut",
                   "position"),
    "scale": ("uuid", "value", "label", "color", "shortcut"),
    "actors": ("uuid", "name", "type", "affiliation", "note", "aliases"),
    "mentions": ("uuid", "article_uid", "actor", "start_offset", "end_offset", "text",
                 "annotator", "created_at", "updated_at"),
    "claims": ("uuid", "article_uid", "start_offset", "end_offset", "text", "claimant",
               "target", "category", "stance", "note", "annotator", "created_at",
               "updated_at"),
    "article_sentiments": ("uuid", "article_uid", "annotator", "value", "created_at",
                           "updated_at"),
    "actor_sentiments": ("uuid", "article_uid", "actor", "annotator", "value", "created_at",
                         "updated_at"),
}

#: The roles a team member can have.
ROLES = ("coder", "curator", "manager")

#: The annotator whose annotations a curator writes (the adjudicated set).
GOLD_ANNOTATOR = "gold"


def key_of(kind: str) -> str:
    """The identity column of ``kind``."""
    return "uid" if kind == "articles" else "uuid"


@dataclass
class Batch:
    """Rows and tombstones of every kind, as pushed or pulled in one sync."""

    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    tombstones: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, row: dict[str, object]) -> None:
        self.rows.setdefault(kind, []).append(row)

    def bury(self, kind: str, key: str) -> None:
        self.tombstones.setdefault(kind, []).append(key)

    def __len__(self) -> int:
        return (sum(len(v) for v in self.rows.values())
                + sum(len(v) for v in self.tombstones.values()))
