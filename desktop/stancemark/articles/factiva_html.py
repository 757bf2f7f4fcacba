"""Factiva's HTML download: one ``div.article`` per item, in either of its two layouts.

- field tables: rows whose first cell is a field code (HD, BY, WC, PD, SN, LP, TD…)
  and whose second cell holds the value, paragraphs as ``<p>``;
- display layout: a headline span, then short ``div`` lines (byline, "612 words",
  date, source, source code, language, copyright) and ``p.articleParagraph`` text.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from stancemark.articles.bundles import FACTIVA_CODES, LANGUAGES, factiva_item, language_code
from stancemark.articles.dates import parse_dateline
from stancemark.articles.document import ReadItem, join_paragraphs, tidy
from stancemark.core.models import ArticleDraft

_ARTICLE = "//div[starts-with(normalize-space(@class), 'article')]"
_SNIFF = re.compile(rb"class\s*=\s*[\"']article\b[^\"']*[\"']", re.I)
_WORDS = re.compile(r"^[\d,.]+\s+words?$", re.I)
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s*\d)", re.I)


def looks_like_factiva(data: bytes) -> bool:
    """A Factiva HTML export: an ``article`` class and Factiva's paragraphs or field codes
    (plain substring tests first: most imported pages are single articles)."""
    if b"articleParagraph" not in data and b"HD" not in data:
        return False
    if not _SNIFF.search(data[:2_000_000]):
        return False
    return b"articleParagraph" in data or b">HD<" in data.replace(b"<b>", b"")


def _paragraphs(cell: Any) -> list[str]:
    ps = cell.findall(".//p")
    if ps:
        return [t for t in (tidy(p.text_content()) for p in ps) if t]
    return [t for t in (tidy(s) for s in cell.text_content().split("\n")) if t]


def split_factiva_html(text: str) -> list[ReadItem] | None:
    """Items of a Factiva HTML download, or None if the page is not one."""
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None
    articles = root.xpath(_ARTICLE)
    if not articles:
        return None
    items: list[ReadItem] = []
    total = len(articles)
    for number, node in enumerate(articles, start=1):
        try:
            draft = _from_table(node) or _from_display(node)
        except Exception as exc:  # noqa: BLE001 - one item's surprise must not lose the others
            why = str(exc) if isinstance(exc, ValueError) else f"unexpected {type(exc).__name__}"
            items.append(ReadItem(None, "unreadable", f"item {number} of {total} could not "
                                  f"be parsed: {why}.", number, total))
            continue
        if draft is None:
            items.append(ReadItem(None, "unreadable", f"item {number} of {total} could not "
                                  "be parsed: no headline and no paragraphs.", number, total))
            continue
        draft.meta["item"] = number
        if not draft.text.strip():
            items.append(ReadItem(None, "empty", f"item {number} of {total} has no article "
                                  "text.", number, total, draft.title))
        else:
            items.append(ReadItem(draft, item=number, of=total, title=draft.title))
    return items


def _from_table(node: Any) -> ArticleDraft | None:
    fields: list[tuple[str, list[str]]] = []
    for row in node.iter("tr"):
        cells = row.findall("td")
        if len(cells) < 2:
            continue
        code = tidy(cells[0].text_content())
        if code in FACTIVA_CODES:
            fields.append((code, _paragraphs(cells[1])))
    if not fields:
        return None
    return factiva_item(fields, "html")


def _from_display(node: Any) -> ArticleDraft | None:
    headline = node.xpath(".//*[contains(@class, 'Headline') or contains(@class, 'headline')]")
    body = [t for t in (tidy(p.text_content()) for p in
                        node.xpath(".//p[contains(@class, 'articleParagraph')]")) if t]
    if not headline and not body:
        return None
    title = tidy(headline[0].text_content()) if headline else None
    meta: dict[str, Any] = {"layout": "factiva"}
    author = source = language = None
    published = None
    rest: list[str] = []
    for div in node.findall("div"):
        if div.xpath(".//p[contains(@class, 'articleParagraph')]") or (
                headline and headline[0] in div.iter()):
            continue
        line = tidy(div.text_content())
        if not line:
            continue
        classes = div.get("class") or ""
        if "author" in classes:
            author = re.sub(r"^by\s+", "", line, flags=re.I)
        elif _WORDS.match(line):
            meta["length"] = int(re.sub(r"\D", "", line))
        elif published is None and (parsed := parse_dateline(line)) is not None:
            published = parsed[0]
        elif _COPYRIGHT.match(line):
            meta["copyright"] = line
        elif language is None and line.casefold() in LANGUAGES:
            language = language_code(line)
        elif re.fullmatch(r"\d{1,2}:\d\d(?:\s*(?:GMT|UTC))?", line):
            meta["time"] = line
        else:
            rest.append(line)
    if rest:
        source = rest[0]
    if len(rest) > 1 and re.fullmatch(r"[A-Z0-9]{2,12}", rest[1]):
        meta["source_code"] = rest[1]
    return ArticleDraft(text=join_paragraphs(body), raw="\n".join([title or "", *body]),
                        title=title, source=source, author=author, published=published,
                        language=language, fmt="html", meta=meta)
