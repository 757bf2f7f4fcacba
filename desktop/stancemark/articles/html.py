"""Reading saved web pages: main text and metadata via trafilatura, offline.

Nothing here fetches: the page is parsed from the bytes given, lxml never
loads images, frames or external entities, and scripts are only text that is
thrown away. trafilatura is imported on first use because importing it costs
about half a second, which a plain-text import should not pay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from stancemark.articles.dates import parse_iso

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
)
# Elements whose content is never article text (and must never reach the analyst).
_NOT_TEXT = tuple(
    "script style noscript template iframe frame frameset object embed svg canvas head nav "
    "footer form button select".split()
)
_BLOCKS = frozenset(
    "p div br li h1 h2 h3 h4 h5 h6 blockquote pre tr table section article header "
    "figcaption dd dt ul ol".split()
)


@dataclass(slots=True)
class Extracted:
    """The parts of a web page that make an article."""

    text: str
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    published: datetime | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first few kilobytes, if any."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


#: libxml2's hard limit on element nesting, even with ``huge_tree``.
MAX_DEPTH = 2048
#: A text node this long (characters) is not left to trafilatura (see extract_html).
LONG_TEXT_NODE = 1_000_000


def _parse(html: str) -> tuple[Any, bool]:
    """The page's tree, and whether the parser gave up on nesting deeper than MAX_DEPTH.

    ``huge_tree`` lifts libxml2's default limits, which silently drop a text node
    over 10 MB and everything nested deeper than 256 elements, leaving a page
    with its title only. Files are at most 20 MB (the reader's limit) and HTML
    entities are not expanded, so the protection those limits give is not needed.
    """
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  huge_tree=True)
    tree = lxml_html.document_fromstring(_XML_DECL.sub("", html, count=1), parser=parser)
    too_deep = any("depth" in e.message.lower() for e in parser.error_log
                   if e.type_name == "ERR_RESOURCE_LIMIT")
    return tree, too_deep


_HIDDEN_START = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|canvas|head|select)\b", re.I)
# [^<>] keeps every pattern linear: a stray "<" never makes a search run to the end again
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCKS)) + r")\b[^<>]*>", re.I)
_ANY_TAG = re.compile(r"<[^<>]*>")


def _without_hidden(html: str) -> str:
    """``html`` without scripts, styles, the head and the like, content included.

    One pass: an element that is never closed hides the rest of the page, as in a
    browser.
    """
    kept: list[str] = []
    pos = 0
    lower = html.lower()
    while (m := _HIDDEN_START.search(html, pos)) is not None:
        kept.append(html[pos:m.start()])
        end = lower.find(f"</{m.group(1).lower()}", m.end())
        if end < 0:
            return "".join(kept)
        close = html.find(">", end)
        pos = len(html) if close < 0 else close + 1
        kept.append(" ")
    kept.append(html[pos:])
    return "".join(kept)


def _flatten(html: str) -> list[str]:
    """Paragraphs of a page too deeply nested to parse, by removing its tags as text.

    Scripts, styles and the head go with their content; block tags become line
    breaks; character references are resolved.
    """
    import html as html_lib

    body = _BLOCK_TAG.sub("\n", _without_hidden(html))
    body = html_lib.unescape(_ANY_TAG.sub("", body))
    return [" ".join(line.split()) for line in body.split("\n") if line.strip()]


def _head_facts(tree: Any) -> dict[str, str]:
    facts: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in facts:
            facts[key] = value
    for el in tree.iter("time"):
        if el.get("datetime") and "time" not in facts:
            facts["time"] = el.get("datetime").strip()
    title = tree.find(".//title")
    if title is not None and title.text_content().strip():
        facts["<title>"] = " ".join(title.text_content().split())
    lang = tree.get("lang")
    if lang:
        facts["<lang>"] = lang.strip()
    return facts


def _published(facts: dict[str, str], fallback: str | None) -> datetime | None:
    for key in (*_PUBLISHED_KEYS, "time"):
        value = facts.get(key)
        if value:
            found = parse_iso(value)
            if found is not None:
                return found[0]
    if fallback:
        found = parse_iso(fallback)
        if found is not None:
            return found[0]
    return None


def _strip_tags(tree: Any) -> list[str]:
    """Plain paragraphs of a page with every non-text element removed."""
    for el in list(tree.iter(*_NOT_TEXT)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
    body = tree.find("body")
    content = (body if body is not None else tree).text_content()
    return [" ".join(line.split()) for line in content.split("\n") if line.strip()]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def extract_html(html: str) -> Extracted:
    """Pull the article out of a saved web page; the text starts with the title."""
    import trafilatura

    tree, too_deep = _parse(html)
    facts = _head_facts(tree)
    meta: dict[str, Any] = {}
    if too_deep:
        # the tree lost what lies deeper: take the text with its tags removed instead
        meta["extractor"] = "flattened"
        meta["note"] = f"elements nested deeper than {MAX_DEPTH} levels; tags removed"
        return _finish(_flatten(html), facts, meta)
    if tree.xpath(f"boolean(//text()[string-length(.) > {LONG_TEXT_NODE}])"):
        # trafilatura takes seconds over such a node, and the article it is part of is
        # too large for the window anyway: take the text as it stands, quickly
        meta["extractor"] = "fallback"
        meta["note"] = f"a text node over {LONG_TEXT_NODE:,} characters"
        return _finish(_strip_tags(tree), facts, meta)
    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_images=False,
        include_links=False,
        include_comments=False,
        include_formatting=False,
        output_format="python",
    )
    title = author = source = url = language = description = date = None
    paragraphs: list[str] = []
    if doc is not None:
        get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
        body = get("text") or ""
        paragraphs = [" ".join(p.split()) for p in body.split("\n") if p.strip()]
        title, author, date = get("title"), get("author"), get("date")
        source, url, language = get("sitename"), get("url"), get("language")
        description = get("description")
    if not paragraphs:
        meta["extractor"] = "fallback"
        paragraphs = _strip_tags(_parse(html)[0])
    else:
        meta["extractor"] = "trafilatura"
    return _finish(paragraphs, facts, meta, title=title, author=author, date=date,
                   source=source, url=url, language=language, description=description)


def _finish(paragraphs: list[str], facts: dict[str, str], meta: dict[str, Any], *,
            title: str | None = None, author: str | None = None, date: str | None = None,
            source: str | None = None, url: str | None = None, language: str | None = None,
            description: str | None = None) -> Extracted:
    """The article from its paragraphs and what the extractor and the head said."""
    title = title or facts.get("og:title") or facts.get("<title>")
    if title:
        title = " ".join(title.split())
        while paragraphs and _same(paragraphs[0], title):
            paragraphs.pop(0)
    subtitle = None
    description = description or facts.get("description") or facts.get("og:description")
    if description:
        if paragraphs and _same(paragraphs[0], description):
            subtitle = paragraphs[0]
        else:
            meta["description"] = description
    parts = ([title] if title else []) + paragraphs
    return Extracted(
        text="\n\n".join(parts),
        title=title,
        subtitle=subtitle,
        author=author or facts.get("author"),
        published=_published(facts, date),
        source=source or facts.get("og:site_name"),
        url=url or facts.get("og:url"),
        language=language or facts.get("<lang>") or facts.get("og:locale"),
        meta=meta,
    )
