"""Database batches: one file, many articles, recognised by their layout, never by name.

- **Nexis Uni** (DOCX, PDF, RTF, text): items end with a line "End of Document".
  Each opens with title, outlet, date (and edition) and copyright lines, then
  labelled fields ("Section:", "Length:", "Byline:", "Highlight:"…), an optional
  "Body" line, the body, and closing fields ("Classification", "Language:",
  "Subject:", "Load-Date:"…). The first item may follow a cover page and a list of
  contents. The older LexisNexis layout opens each item with "3 of 100 DOCUMENTS"
  (or "Dokument 3 von 100") and puts outlet and date above the title; German and
  French labels ("LÄNGE:", "RUBRIK:", "LONGUEUR:") are read as their English ones.
- **Factiva** (RTF, DOCX; "Full Article/Report plus Indexing"): each item is a run
  of two- or three-letter field codes on lines of their own, each followed by its
  value: HD headline, BY byline, WC word count, PD date, SN source, SC source code,
  SE section, LA language, CY copyright, LP lead paragraphs, TD the rest of the text,
  CO/IN/NS/RE indexing codes, AN accession number.

Metadata goes to the draft's fields and ``meta``, never into the text. An item that
cannot be parsed becomes a failed :class:`ReadItem`; the others go on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from stancemark.articles.dates import parse_dateline
from stancemark.articles.document import Document, ReadItem, join_paragraphs
from stancemark.core.models import ArticleDraft

# -- Nexis Uni ---------------------------------------------------------------------

_END = re.compile(r"(?:^|\s)end of document$", re.I)
_START = re.compile(r"^(?:\d+ of \d+ documents?|dokument \d+ von \d+|document \d+ (?:of|de) \d+)$",
                    re.I)
_FIELD = re.compile(r"^([^\W\d_][^\W\d_]+(?:[- ][^\W\d_]+)?)\s*:\s*(.*)$")
_ALIASES = {"länge": "length", "longueur": "length", "rubrik": "section", "autor": "byline",
            "sprache": "language", "langue": "language", "ressort": "section"}
_HEAD_FIELDS = {"section", "length", "byline", "dateline", "highlight", "edition",
                "type", "series", "column", "correction-date"}
_TAIL_FIELDS = {"classification", "language", "publication-type", "subject", "geographic",
                "company", "organization", "person", "industry", "ticker", "load-date",
                "graphic", "notes", "document-type", "journal code", "correction",
                "acc-no", "url", "city", "state", "country", "topic", "terms"}
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s*\d|all rights reserved)", re.I)
_COVER = re.compile(r"^(?:documents?\s*\(\d+\)|job number:|user name:|date and time:"
                    r"|client/matter:|search terms:|search type:|narrowed by:|content type)",
                    re.I)
_WORDS = re.compile(r"(\d[\d,.]*)\s*words?", re.I)
LANGUAGES = {"english": "en", "german": "de", "french": "fr", "spanish": "es",
              "italian": "it", "dutch": "nl", "portuguese": "pt", "russian": "ru",
              "polish": "pl", "swedish": "sv", "danish": "da", "norwegian": "no",
              "finnish": "fi", "turkish": "tr", "arabic": "ar", "chinese": "zh",
              "japanese": "ja", "ukrainian": "uk", "czech": "cs", "greek": "el",
              "deutsch": "de", "français": "fr", "español": "es"}


def language_code(name: str | None) -> str | None:
    """"ENGLISH" → "en"; a two-letter code stays; anything else is kept lower-cased."""
    if not name:
        return None
    value = name.strip().split(";")[0].strip().casefold()
    if len(value) == 2 and value.isalpha():
        return value
    return LANGUAGES.get(value, value or None)


def _label(line: str) -> tuple[str, str] | None:
    m = _FIELD.match(line)
    if m is None:
        return None
    name = m.group(1).casefold()
    return _ALIASES.get(name, name), m.group(2).strip()


def is_nexis(paragraphs: list[str]) -> bool:
    """Whether the paragraphs hold Nexis items: item markers and a Nexis field."""
    if not any(_END.search(p) or _START.match(p) for p in paragraphs):
        return False
    return any((lab := _label(p)) is not None and lab[0] in ("length", "load-date", "byline")
               for p in paragraphs)


def split_nexis(doc: Document) -> list[ReadItem]:
    old_layout = not any(_END.search(p) for p in doc.paragraphs)
    chunks: list[list[str]] = [[]]
    for p in doc.paragraphs:
        if old_layout:
            if _START.match(p):
                chunks.append([])
            else:
                chunks[-1].append(p)
            continue
        end = _END.search(p)
        if end is None:
            if not _START.match(p):
                chunks[-1].append(p)
            continue
        if p[:end.start()].strip():  # "… End of Document" closing a line of text
            chunks[-1].append(p[:end.start()].strip())
        chunks.append([])
    if old_layout:
        chunks.pop(0)  # before the first "1 of N DOCUMENTS": the cover page
    elif not any(chunks[-1]) or all(_COVER.match(p) for p in chunks[-1]):
        chunks.pop()  # what follows the last end marker: nothing, or a closing page
    total = len(chunks)
    items = []
    for number, chunk in enumerate(chunks, start=1):
        items.append(_guarded(number, total, chunk,
                              lambda c: _nexis_item(c, doc.fmt, old_layout)))
    return items


def _nexis_item(lines: list[str], fmt: str, old_layout: bool = False) -> ArticleDraft:
    # where the labelled header fields are: the first run of known head fields
    first_field = next((i for i, p in enumerate(lines)
                        if (lab := _label(p)) and lab[0] in _HEAD_FIELDS), None)
    body_marker = next((i for i, p in enumerate(lines) if p.strip().casefold() == "body"), None)
    if first_field is None and body_marker is None:
        raise ValueError("no header fields (Section:, Length:, Byline:) and no \"Body\" line")
    head_end = first_field if first_field is not None else (body_marker or 0)
    masthead = lines[:head_end]
    meta: dict[str, Any] = {}
    copyright_lines = [p for p in masthead if _COPYRIGHT.match(p)]
    masthead = [p for p in masthead if not _COPYRIGHT.match(p)]
    if copyright_lines:
        meta["copyright"] = " ".join(copyright_lines)
    # the date line sits under title and outlet; before it may be a cover page
    date_at = next((i for i in range(len(masthead) - 1, -1, -1)
                    if _nexis_date(masthead[i]) is not None), None)
    published = None
    title = source = None
    if date_at is not None:
        published = _nexis_date(masthead[date_at])
        meta["date_line"] = masthead[date_at]
        before = [p for p in masthead[:date_at] if not _COVER.match(p)]
        after = masthead[date_at + 1:]
        if old_layout:  # outlet, date, edition lines, then the title
            source = before[-1] if before else None
            title = after[-1] if after else None
            after = after[:-1]
        elif len(before) >= 2:
            source, title = before[-1], before[-2]
        elif before:
            title = before[-1]
        if after:
            meta["edition"] = " ".join(after)
    else:
        kept = [p for p in masthead if not _COVER.match(p)]
        if len(kept) >= 2:
            title, source = kept[-2], kept[-1]
        elif kept:
            title = kept[-1]
    # labelled fields up to the body
    i = head_end
    fields: dict[str, str] = {}
    last = None
    while i < len(lines):
        p = lines[i]
        if body_marker is not None and i == body_marker:
            i += 1
            break
        lab = _label(p)
        if lab and lab[0] in _HEAD_FIELDS:
            last = lab[0]
            fields[last] = lab[1]
        elif body_marker is not None and i < body_marker and last is not None:
            fields[last] = f"{fields[last]} {p}".strip()  # a field value over two lines
        else:
            break
        i += 1
    body = lines[i:]
    # closing fields: from "Classification", or the trailing run of known labels
    cut = next((j for j, p in enumerate(body) if p.strip().casefold() == "classification"),
               None)
    if cut is None:
        cut = len(body)
        while cut > 0 and (_COPYRIGHT.match(body[cut - 1]) or (
                (lab := _label(body[cut - 1])) and lab[0] in _TAIL_FIELDS)):
            cut -= 1
    for p in body[cut:]:
        lab = _label(p)
        if lab and lab[0] in _TAIL_FIELDS:
            fields[lab[0]] = lab[1]
        elif _COPYRIGHT.match(p):
            meta["copyright"] = f"{meta['copyright']} {p}" if "copyright" in meta else p
    body = body[:cut]
    text = join_paragraphs(body)
    for key in ("section", "dateline", "load-date", "publication-type", "subject",
                "geographic", "edition", "graphic", "notes", "document-type"):
        if fields.get(key):
            meta[key.replace("-", "_")] = fields[key]
    if fields.get("length"):
        m = _WORDS.search(fields["length"])
        meta["length"] = int(re.sub(r"\D", "", m.group(1))) if m else fields["length"]
    if fields.get("load-date") and published is None:
        published = parse_dateline(fields["load-date"])
    if published and published[1]:
        meta["timezone"] = published[1]
    meta["layout"] = "nexis"
    return ArticleDraft(
        text=text, raw="\n".join(lines), title=title, source=source,
        author=_byline(fields.get("byline")), subtitle=fields.get("highlight") or None,
        published=published[0] if published else None,
        language=language_code(fields.get("language")), fmt=fmt, meta=meta)


def _nexis_date(line: str) -> tuple[datetime, str | None] | None:
    """The date (and time, zone) of a Nexis date line, which may end with an edition."""
    return parse_dateline(line) or parse_dateline(_date_part(line))


def _date_part(line: str) -> str:
    """A Nexis date line without its weekday and time: "March 2, 2024 Saturday 8:05 AM EST"."""
    m = re.match(r"^(\w+ \d{1,2}, \d{4}|\d{1,2} \w+ \d{4})\b", line.strip())
    return m.group(1) if m else line


def _byline(value: str | None) -> str | None:
    if not value:
        return None
    value = re.sub(r"^by\s+", "", value.strip(), flags=re.I)
    return value or None


# -- Factiva -----------------------------------------------------------------------

FACTIVA_CODES = frozenset({
    "HD", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY", "LP", "TD",
    "CT", "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "SE", "ART", "NGC",
    "CX", "HLP", "TDT",
})
_INLINE_CODE = re.compile(r"^([A-Z]{2,3}) (\S.*)$")
#: Fields that follow the text (TD): a paragraph of the text that happens to begin
#: with "IN" or "CO" must not end it, so these need a value shaped like Factiva's.
_AFTER_TEXT = frozenset({"CT", "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN"})
_INDEX_VALUE = re.compile(r"^[a-z0-9]{2,12} : \S")  # "i814 : Banking | …"


def _code(line: str, following: str, in_text: bool, inline: bool) -> tuple[str, str] | None:
    """``(code, value on the same line)`` when ``line`` opens a Factiva field.

    A code stands alone on its line, or (``inline``, when the download puts code and
    value on one line separated by a tab) begins it. Inside the text (``in_text``)
    only the fields that follow the text count, and only with a value of their shape
    (on the same line, or the ``following`` one).
    """
    stripped = line.strip()
    if stripped in FACTIVA_CODES:
        code, value = stripped, ""
    elif inline and (m := _INLINE_CODE.match(stripped)) and m.group(1) in FACTIVA_CODES:
        code, value = m.group(1), m.group(2)
    else:
        return None
    if in_text and code not in ("HD", "LP", "TD"):
        if code not in _AFTER_TEXT:
            return None
        shown = value or following.strip()
        if code == "AN":
            return (code, value) if shown.startswith("Document ") else None
        if code in ("CO", "IN", "NS", "RE", "IPC") and not _INDEX_VALUE.match(shown):
            return None
    return code, value


def _layout(paragraphs: list[str]) -> str | None:
    """"lines" (codes alone on a line), "inline" (code, tab, value) or None: not Factiva."""
    alone = {p.strip() for p in paragraphs if p.strip() in FACTIVA_CODES}
    if "HD" in alone and "AN" in alone and alone & {"PD", "SN", "TD", "LP"}:
        return "lines"
    heads = sum(1 for p in paragraphs if p.startswith("HD "))
    ends = sum(1 for p in paragraphs if p.startswith("AN Document "))
    return "inline" if heads and ends else None


def is_factiva(paragraphs: list[str]) -> bool:
    """Whether the paragraphs hold Factiva items: HD fields with PD or SN, and AN."""
    return _layout(paragraphs) is not None


def split_factiva(doc: Document) -> list[ReadItem]:
    inline = _layout(doc.paragraphs) == "inline"
    items: list[list[tuple[str, list[str]]]] = []
    current: list[tuple[str, list[str]]] | None = None
    paragraphs = doc.paragraphs
    for i, p in enumerate(paragraphs):
        in_text = bool(current) and current[-1][0] in ("LP", "TD")  # type: ignore[index]
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        found = _code(p, following, in_text, inline)
        if found is not None:
            code, value = found
            if code == "HD" or current is None:
                current = []
                items.append(current)
            current.append((code, [value] if value else []))
        elif current:
            current[-1][1].append(p)
    total = len(items)
    return [_guarded(n, total, fields, lambda f: factiva_item(
        [(code, values) for code, values in f], doc.fmt)) for n, fields in
        enumerate(items, start=1)]


def factiva_item(fields: list[tuple[str, list[str]]], fmt: str) -> ArticleDraft:
    """One Factiva item from its ``(code, paragraphs)`` fields (also used for its HTML)."""
    values: dict[str, list[str]] = {}
    for code, paragraphs in fields:
        values.setdefault(code, []).extend(paragraphs)

    def one(code: str) -> str | None:
        text = " ".join(values.get(code, [])).strip()
        return text or None

    body = values.get("LP", []) + values.get("TD", [])
    if not one("HD") and not body:
        raise ValueError("no headline (HD) and no text (LP, TD)")
    published = parse_dateline(one("PD") or "")
    when = published[0] if published else None
    clock = re.fullmatch(r"(\d{1,2}):(\d\d)(?:\s*(\w+))?", one("ET") or "")
    if when is not None and clock and int(clock.group(1)) < 24 and int(clock.group(2)) < 60:
        when = when.replace(hour=int(clock.group(1)), minute=int(clock.group(2)))
    meta: dict[str, Any] = {"layout": "factiva"}
    for code, key in (("SC", "source_code"), ("SE", "section"), ("ED", "edition"),
                      ("PG", "page"), ("CY", "copyright"), ("CO", "companies"),
                      ("IN", "industries"), ("NS", "subjects"), ("RE", "regions"),
                      ("ET", "time"), ("CR", "credit"), ("PUB", "publisher"),
                      ("IPD", "descriptors")):
        value = one(code)
        if value:
            meta[key] = value
    if one("WC"):
        m = _WORDS.search(one("WC") or "")
        meta["length"] = int(re.sub(r"\D", "", m.group(1))) if m else one("WC")
    if one("AN"):
        meta["accession"] = re.sub(r"^document\s+", "", one("AN") or "", flags=re.I)
    raw = "\n".join(f"{code}\n" + "\n".join(paragraphs) for code, paragraphs in fields)
    return ArticleDraft(
        text=join_paragraphs(body), raw=raw, title=one("HD"), source=one("SN"),
        author=_byline(one("BY")), published=when,
        language=language_code(one("LA")), fmt=fmt, meta=meta)


# -- shared --------------------------------------------------------------------------

def _guarded(number: int, total: int, chunk: Any,
             build: Callable[[Any], ArticleDraft]) -> ReadItem:
    """Build one item; its failure is reported with its number and never spoils the rest."""
    try:
        draft = build(chunk)
    except RecursionError:
        raise
    except Exception as exc:  # noqa: BLE001 - one item's surprise must not lose the others
        why = str(exc) if isinstance(exc, ValueError) else f"unexpected {type(exc).__name__}"
        return ReadItem(None, "unreadable", f"item {number} of {total} could not be parsed: "
                        f"{why}.", number, total)
    draft.meta["item"] = number
    if not draft.text.strip():
        return ReadItem(None, "empty", f"item {number} of {total} has no article text.",
                        number, total, draft.title)
    return ReadItem(draft, item=number, of=total, title=draft.title)


def split_document(doc: Document) -> list[ReadItem] | None:
    """Items of a database batch, or None when ``doc`` is a single article."""
    if is_nexis(doc.paragraphs):
        return split_nexis(doc)
    if is_factiva(doc.paragraphs):
        return split_factiva(doc)
    return None
