"""Word documents (.docx): body paragraphs and tables in order, core properties as metadata.

Headers, footers, footnotes and comments live in other parts of the package and
are never read; deleted tracked changes (``w:delText``) and field codes
(``w:instrText``) are not text. Text boxes become paragraphs of their own.
"""

from __future__ import annotations

import zipfile

from stancemark.articles.document import Document, TextBudget, tidy
from stancemark.articles.zipparts import (
    flatten_block,
    has_part,
    iter_blocks,
    parse_small,
    read_small,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P = W + "p"
_BLOCKS = frozenset({_P})
_INLINE = {W + "tab": " ", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
_TEXT = frozenset({W + "t"})
# Word writes a text box twice, for new readers (mc:Choice) and old ones (mc:Fallback)
_SKIP = frozenset({W + "del", W + "instrText", W + "delText",
                   "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"})

_CORE = {
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{http://purl.org/dc/elements/1.1/}creator": "author",
    "{http://purl.org/dc/elements/1.1/}language": "language",
    "{http://purl.org/dc/elements/1.1/}subject": "subject",
    "{http://purl.org/dc/elements/1.1/}description": "description",
    "{http://purl.org/dc/terms/}created": "created",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords":
        "keywords",
}


def is_docx(zf: zipfile.ZipFile) -> bool:
    return has_part(zf, "word/document.xml")


def _is_heading(p: object) -> bool:
    style = p.find(f"{W}pPr/{W}pStyle")  # type: ignore[attr-defined]
    value = (style.get(W + "val") or "").lower() if style is not None else ""
    return value.startswith(("heading", "title"))


def read_docx(zf: zipfile.ZipFile) -> Document:
    """The paragraphs of ``word/document.xml`` and the properties of ``docProps/core.xml``."""
    paragraphs: list[str] = []
    headings: set[int] = set()
    budget = TextBudget()
    for top in iter_blocks(zf, "word/document.xml", _BLOCKS, _SKIP):
        for text, block in flatten_block(top, _BLOCKS, skip=_SKIP, inline=_INLINE,
                                         text_tags=_TEXT):
            # a line break inside a paragraph (Shift+Enter) separates lines of it
            lines = [line for line in map(tidy, text.split("\n")) if line]
            if lines and _is_heading(block):
                headings.add(len(paragraphs))
            for line in lines:
                budget.take(len(line))
                paragraphs.append(line)
    doc = Document(paragraphs, "docx", headings=headings)
    core = read_small(zf, "docProps/core.xml")
    root = parse_small(core) if core else None
    if root is not None:
        props = {key: tidy(el.text or "") for el in root if (key := _CORE.get(el.tag))}
        doc.title = props.pop("title", None) or None
        doc.author = props.pop("author", None) or None
        doc.language = props.pop("language", None) or None
        doc.meta.update({k: v for k, v in props.items() if v})
    return doc
