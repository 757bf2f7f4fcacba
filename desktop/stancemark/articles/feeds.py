"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: recognised from their content, read safely.

A feed is only a list of links to articles, with a title, date and author for each;
:func:`parse_feed` returns them as :class:`FeedEntry` values. The XML parser never
loads a DTD, never expands an entity and never reaches the network, and a DOCTYPE
is removed before parsing: a feed with a billion-laughs or an external-entity
DOCTYPE is read with its entity references left as text. A feed with more than
:data:`MAX_FEED_ENTRIES` entries is cut there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from stancemark.articles.dates import parse_iso

#: Most entries taken from one feed (news feeds carry 10-100).
MAX_FEED_ENTRIES = 500

#: How far into a document its prolog (declaration, comments, DOCTYPE) is looked for.
PROLOG_LIMIT = 16384
_ROOT = re.compile(rb"<(?:rss|feed|(?:[\w.-]+:)?RDF)[\s>/]", re.I)
_SPACE = b" \t\r\n"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One article a feed points to."""

    link: str | None
    title: str | None = None
    published: datetime | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    """What a feed says about itself and the articles it lists."""

    kind: str  # "rss", "atom" or "rdf"
    title: str | None
    entries: list[FeedEntry]
    total: int  # entries in the feed, before the cut at MAX_FEED_ENTRIES


def _doctype_end(data: bytes, at: int) -> int | None:
    """The end of the DOCTYPE declaration starting at ``at`` (its internal subset, in
    brackets, may hold ``>``), or None when it does not end."""
    close = data.find(b">", at)
    bracket = data.find(b"[", at)
    if close < 0:
        return None
    if bracket < 0 or close < bracket:
        return close + 1
    end = bracket
    while True:  # the subset ends at "]" followed (after spaces) by ">"
        end = data.find(b"]", end + 1)
        if end < 0:
            return None
        after = end + 1
        while after < len(data) and data[after] in _SPACE:
            after += 1
        if data[after:after + 1] == b">":
            return after + 1


def _prolog(data: bytes) -> tuple[int, tuple[int, int] | None] | None:
    """Where the first element starts after the prolog, and the DOCTYPE's span if any;
    None when the prolog does not end. One pass, no backtracking: a page of a thousand
    comments costs a thousand steps."""
    at = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    doctype = None
    while True:
        while at < len(data) and data[at] in _SPACE:
            at += 1
        if data.startswith(b"<?", at):
            end = data.find(b"?>", at + 2)
            at = end + 2
        elif data.startswith(b"<!--", at):
            end = data.find(b"-->", at + 4)
            at = end + 3
        elif data[at:at + 9].upper() == b"<!DOCTYPE":
            found = _doctype_end(data, at)
            end = -1 if found is None else found
            doctype, at = (at, end), end
        else:
            return at, doctype
        if end < 0:
            return None


def _feed_prolog(data: bytes) -> tuple[int, tuple[int, int] | None] | None:
    """:func:`_prolog` of a document whose first element is a feed's, else None."""
    found = _prolog(data[:PROLOG_LIMIT])
    if found is None or not _ROOT.match(data, found[0], found[0] + 64):
        return None
    return found


def looks_like_feed(data: bytes) -> bool:
    """Whether ``data`` starts like an RSS, RDF or Atom document (content, not its label)."""
    return _feed_prolog(data) is not None


#: an lxml element (lxml ships no type information)
Element = Any


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    value = " ".join("".join(element.itertext(with_tail=False)).split())
    return value[:1000] or None


def _child(parent: Element, *names: str) -> Element | None:
    for child in parent:
        if _local(child.tag) in names:
            return child
    return None


def _join(base: str, link: str) -> str:
    """``link`` resolved against ``base``; as written when either is malformed (its
    fetch then says why), so one bad link never costs the rest of the feed."""
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    iso = parse_iso(value)
    if iso is not None:
        return iso[0]
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=None)


def _rss_entry(item: Element, base: str) -> FeedEntry:
    link = _text(_child(item, "link"))
    if not link:
        guid = _child(item, "guid")
        if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
            link = _text(guid)
    if link is None:
        link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or None
    author = _text(_child(item, "creator")) or _text(_child(item, "author"))
    return FeedEntry(_join(base, link) if link else None, _text(_child(item, "title")),
                     _date(_text(_child(item, "pubdate", "date"))), author)


def _atom_entry(entry: Element, base: str) -> FeedEntry:
    base = _join(base, entry.get(_XML_BASE) or "")
    link = None
    for child in entry:
        if _local(child.tag) == "link" and child.get("href"):
            rel = (child.get("rel") or "alternate").lower()
            if rel == "alternate":
                link = child.get("href").strip()
                break
            link = link or child.get("href").strip()
    author_el = _child(entry, "author")
    author = _text(_child(author_el, "name")) if author_el is not None else None
    return FeedEntry(_join(base, link) if link else None, _text(_child(entry, "title")),
                     _date(_text(_child(entry, "published", "updated"))), author)


def parse_feed(data: bytes, url: str) -> Feed:
    """Read the feed in ``data`` (fetched from ``url``, against which links resolve).

    Raises ValueError when it is not a feed that can be read.
    """
    from lxml import etree

    found = _feed_prolog(data)
    if found is not None and found[1] is not None:
        # a feed never needs a DOCTYPE: drop it, so its entities are never defined (an
        # entity reference then stays as the text "&name;"; nothing is read or expanded)
        start, end = found[1]
        data = data[:start] + data[end:]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=True, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"it is not well-formed XML ({exc})") from exc
    if root is None:
        raise ValueError("it holds no XML element")
    kind = _local(root.tag)
    base = _join(url, root.get(_XML_BASE) or "")
    items: list[Element] = []
    title = None
    make: Callable[[Element, str], FeedEntry]
    if kind == "feed":
        kind = "atom"
        title = _text(_child(root, "title"))
        items = [e for e in root if _local(e.tag) == "entry"]
        make = _atom_entry
    elif kind in ("rss", "rdf"):
        channel = _child(root, "channel")
        title = _text(_child(channel, "title")) if channel is not None else None
        # RSS 2.0 keeps items in the channel, RSS 1.0 beside it
        holder = channel if kind == "rss" and channel is not None else root
        items = [e for e in holder if _local(e.tag) == "item"]
        make = _rss_entry
    else:
        raise ValueError(f"its root element is <{kind}>, not rss, RDF or feed")
    entries = [make(item, base) for item in items[:MAX_FEED_ENTRIES]]
    return Feed(kind, title, entries, len(items))
