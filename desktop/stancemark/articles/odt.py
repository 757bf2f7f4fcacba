"""OpenDocument text (.odt): headings and paragraphs of the body, ``meta.xml`` as metadata.

Page headers and footers live in ``styles.xml`` and are never read; footnotes,
annotations and tracked deletions are skipped.
"""

from __future__ import annotations

import zipfile

from stancemark.articles.dates import parse_iso
from stancemark.articles.document import Document, TextBudget, tidy
from stancemark.articles.zipparts import flatten_block, iter_blocks, parse_small, read_small

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
MIMETYPE = b"application/vnd.oasis.opendocument.text"

_P, _H, _S, _TAB, _LB = TEXT + "p", TEXT + "h", TEXT + "s", TEXT + "tab", TEXT + "line-break"
_SKIP = frozenset({TEXT + "note", OFFICE + "annotation", TEXT + "tracked-changes",
                   TEXT + "deletion"})
_BLOCKS = frozenset({_P, _H})
_INLINE = {_TAB: " ", _LB: "\n", _S: " "}


def is_odt(zf: zipfile.ZipFile) -> bool:
    mimetype = read_small(zf, "mimetype", 200)
    return mimetype is not None and mimetype.strip().startswith(MIMETYPE)


def read_odt(zf: zipfile.ZipFile) -> Document:
    """Paragraphs of ``content.xml`` in order and the title/author/date of ``meta.xml``."""
    paragraphs: list[str] = []
    headings: set[int] = set()
    budget = TextBudget()
    for top in iter_blocks(zf, "content.xml", _BLOCKS, _SKIP):
        for text, block in flatten_block(top, _BLOCKS, skip=_SKIP, inline=_INLINE):
            lines = [line for line in map(tidy, text.split("\n")) if line]
            if lines and block.tag == _H:
                headings.add(len(paragraphs))
            for line in lines:
                budget.take(len(line))
                paragraphs.append(line)
    doc = Document(paragraphs, "odt", headings=headings)
    data = read_small(zf, "meta.xml")
    root = parse_small(data) if data else None
    if root is not None:
        def first(tag: str) -> str | None:
            found = root.find(f".//{tag}")
            return tidy(found.text or "") or None if found is not None else None

        doc.title = first(DC + "title")
        doc.author = first(META + "initial-creator") or first(DC + "creator")
        doc.language = first(DC + "language")
        created = first(META + "creation-date")
        if created and parse_iso(created):
            doc.meta["created"] = created
        subject = first(DC + "subject")
        if subject:
            doc.meta["subject"] = subject
    return doc
