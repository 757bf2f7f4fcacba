"""Articles from web addresses: a page is read like a saved one, a feed gives its entries.

:func:`read_url` is what an import does with one URL. The fetched body is told
by its content, then by its Content-Type: an RSS or Atom feed gives one item per
entry, each entry's link fetched and read as a page (the entry's title, date and
author fill what the page does not say; the feed's title is the source when the
page names none). A feed entry whose page cannot be fetched is reported with the
reason and *not* imported from the feed's summary: a summary is not the article,
and importing it would put a different text under the article's address. HTML is
read like a saved page, plain text like a scraped file, and anything else (a PDF, a
Word file) by the file readers. The article's ``url`` is the address it came from
after redirects; the address as given is kept as its source path.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from urllib.parse import unquote, urlsplit

from stancemark.articles.document import ReadItem
from stancemark.articles.feeds import MAX_FEED_ENTRIES, FeedEntry, looks_like_feed, parse_feed
from stancemark.articles.formats import read_data
from stancemark.articles.reader import ReadFailure, read_bytes
from stancemark.articles.web import Fetched, Fetcher
from stancemark.core.errors import Cancelled
from stancemark.core.text import printable

#: Tells whether an address is already imported: a message saying so, or None.
Known = Callable[[str], str | None]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown"})


def _never(_url: str) -> str | None:
    return None


def read_url(url: str, fetcher: Fetcher, *, known: Known = _never) -> Iterator[ReadItem]:
    """Items of one web address: its article, or one per entry of a feed.

    Never raises for a bad address, page or entry: each gets an item with the
    status ("refused", "unreachable", "too_large", "unreadable", "empty",
    "duplicate") and a message. Only :class:`Cancelled` ends it early.
    """
    shown = printable(url)
    why = known(url)
    if why is not None:
        yield ReadItem(None, "duplicate", why)
        return
    try:
        page = fetcher.fetch(url)
        if page.url != url.strip() and (why := known(page.url)) is not None:
            yield ReadItem(None, "duplicate", why)
            return
        if looks_like_feed(page.body):
            yield from _feed_items(page, fetcher, known)
            return
        items = page_items(page)
    except ReadFailure as exc:
        yield ReadItem(None, exc.status, str(exc))
        return
    except Cancelled:
        raise
    except Exception as exc:  # noqa: BLE001 - one page's surprise must not end the batch
        yield ReadItem(None, "unreadable", _unexpected(shown, exc))
        return
    yield from items


def _feed_items(feed_page: Fetched, fetcher: Fetcher, known: Known) -> Iterator[ReadItem]:
    shown = printable(feed_page.requested)
    try:
        feed = parse_feed(feed_page.body, feed_page.url)
    except ValueError as exc:
        yield ReadItem(None, "unreadable", f"{shown} looks like a feed but cannot be read: "
                       f"{printable(str(exc))[:200]}.")
        return
    count = len(feed.entries)
    if not count:
        yield ReadItem(None, "empty", f"{shown} is a feed with no entries.")
        return
    if feed.total > count:
        yield ReadItem(None, "too_large", f"{shown} lists {feed.total} entries; only the first "
                       f"{MAX_FEED_ENTRIES} are imported.")
    for number, entry in enumerate(feed.entries, 1):
        yield from _entry_items(entry, number, count, feed.title, shown, fetcher, known)


def _entry_items(entry: FeedEntry, number: int, count: int, feed_title: str | None,
                 feed_shown: str, fetcher: Fetcher, known: Known) -> Iterator[ReadItem]:
    def failed(status: str, message: str) -> ReadItem:
        return ReadItem(None, status, message, number, count, entry.title)

    if not entry.link:
        yield failed("unreadable", f"{feed_shown} item {number}: the entry has no link.")
        return
    link = printable(entry.link)
    why = known(entry.link)
    if why is not None:
        yield failed("duplicate", f"item {number} ({link}): {why}")
        return
    try:
        page = fetcher.fetch(entry.link)
        if page.url != entry.link and (why := known(page.url)) is not None:
            yield failed("duplicate", f"item {number} ({link}): {why}")
            return
        if looks_like_feed(page.body):
            yield failed("unreadable", f"item {number}: {link} is a feed itself; import it "
                         "on its own.")
            return
        items = page_items(page, entry, feed_title)
    except ReadFailure as exc:
        yield failed(exc.status, f"item {number}: {exc}")
        return
    except Cancelled:
        raise
    except Exception as exc:  # noqa: BLE001 - one page's surprise must not end the feed
        yield failed("unreadable", f"item {number}: {_unexpected(link, exc)}")
        return
    for item in items:
        item.item, item.of = number, count
        if item.draft is not None:
            item.draft.meta["feed"] = feed_shown
        yield item


def page_items(page: Fetched, entry: FeedEntry | None = None,
               feed_title: str | None = None) -> list[ReadItem]:
    """The article(s) of a fetched page; raises :class:`ReadFailure`."""
    shown = printable(page.url)
    ctype = page.content_type
    if ctype in _HTML_TYPES or (ctype in ("", "text/xml", "application/xml")
                                and _starts_like_html(page.body)):
        items = [ReadItem(read_bytes(page.body, name=shown, fmt="html", charset=page.charset))]
    elif ctype in _TEXT_TYPES:
        items = [ReadItem(read_bytes(page.body, name=shown, fmt="text", charset=page.charset))]
    else:  # a PDF, a Word file, or a server that labels everything octet-stream
        items = read_data(page.body, name=_file_name(page.url), shown=shown)
    host = (urlsplit(page.url).hostname or "").removeprefix("www.") or None
    fetched = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    for item in items:
        draft = item.draft
        if draft is None:
            continue
        if draft.url and draft.url != page.url:
            draft.meta["canonical_url"] = draft.url
        draft.url = page.url
        draft.source_path = printable(page.requested)
        draft.meta["fetched_at"] = fetched
        if page.redirects:
            draft.meta["redirected_from"] = printable(page.requested)
        if entry is not None:
            draft.title = draft.title or entry.title
            draft.published = draft.published or entry.published
            draft.author = draft.author or entry.author
        draft.source = draft.source or feed_title or host
    return items


def _starts_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _file_name(url: str) -> str:
    path = unquote(urlsplit(url).path)
    return path.rsplit("/", 1)[-1] or "page"


def _unexpected(shown: str, exc: BaseException) -> str:
    detail = printable(str(exc))[:200]
    return (f"{shown} could not be read: unexpected {type(exc).__name__}"
            f"{': ' + detail if detail else ''}. Please report this with the address.")
