"""Reading the XML parts of a zipped document (DOCX, ODT) without trusting the zip.

A zip can claim small sizes and expand to gigabytes (a zip bomb), hold damaged
entries, or carry XML with entity tricks. Parts are streamed through a counter
that stops at :data:`MAX_PART_BYTES`, and parsed without DTDs, entities or network.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

#: Largest uncompressed XML part read. The document part of a 100-article bundle is
#: 2-15 MB; anything past this is refused rather than expanded.
MAX_PART_BYTES = 64 * 1024 * 1024
#: Longest the blocks of one part may take to read (a 100-article bundle: ~0.1 s).
MAX_SECONDS = 60.0
#: Largest expansion ratio believed for a part of more than 1 MB (text XML deflates
#: 5-20 times; bombs 1000 times and more).
MAX_RATIO = 200
MAX_ENTRIES = 20_000


class PartTooLarge(Exception):
    """A zip part expands beyond what any document needs."""


class PartTooSlow(Exception):
    """A zip part takes longer than :data:`MAX_SECONDS` to read (millions of tiny blocks)."""


class _Bounded(io.RawIOBase):
    """A read-only stream that raises :class:`PartTooLarge` past ``limit`` bytes."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self._raw = raw
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(min(len(buffer), 1 << 16))
        self._left -= len(data)
        if self._left < 0:
            raise PartTooLarge
        buffer[: len(data)] = data
        return len(data)


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open ``data`` as a zip; raises ``zipfile.BadZipFile`` or :class:`PartTooLarge`."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    if len(zf.infolist()) > MAX_ENTRIES:
        raise PartTooLarge
    return zf


def has_part(zf: zipfile.ZipFile, name: str) -> bool:
    try:
        zf.getinfo(name)
    except KeyError:
        return False
    return True


def read_small(zf: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> bytes | None:
    """A small part's bytes (a mimetype, a properties part), or None if absent or too big."""
    if not has_part(zf, name):
        return None
    with zf.open(name) as f:
        data = f.read(limit + 1)
    return None if len(data) > limit else data


def iterparse_part(zf: zipfile.ZipFile, name: str, tags: tuple[str, ...] | None = None,
                   events: tuple[str, ...] = ("start", "end")
                   ) -> Iterator[tuple[str, Any]]:
    """Stream ``(event, element)`` pairs of one XML part, checking its real size as it goes."""
    info = zf.getinfo(name)
    if info.file_size > MAX_PART_BYTES or (
        info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
    ):
        raise PartTooLarge
    with zf.open(name) as raw:
        stream = io.BufferedReader(_Bounded(raw, MAX_PART_BYTES))
        yield from etree.iterparse(
            stream, events=events, tag=tags, resolve_entities=False, load_dtd=False,
            no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
        )


def parse_small(data: bytes) -> Any:
    """Parse a small XML part safely; None if it is not well-formed."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None


def flatten_block(top: Any, blocks: frozenset[str], *, skip: frozenset[str] = frozenset(),
                  inline: dict[str, str] | None = None,
                  text_tags: frozenset[str] | None = None) -> list[tuple[str, Any]]:
    """The paragraphs under the block element ``top``, as ``(text, block element)``.

    Walked without recursion (any depth). A block nested in a block (a text box in a
    paragraph) becomes a paragraph of its own, listed before the one around it.
    ``inline`` maps empty elements to the text they stand for (a tab, a line break);
    with ``text_tags`` only those elements' text counts (DOCX keeps text in ``w:t``),
    otherwise all text and tails do (ODT).
    """
    inline = inline or {}
    if text_tags is not None:
        inner = top.iter(*blocks, *skip)
        next(inner)  # top itself
        if next(inner, None) is None:
            # the common case, no text box or skipped part inside: lxml walks in C and
            # hands over only text and tab/break elements (not the many run properties)
            return [("".join([inline[el.tag] if el.tag in inline else (el.text or "")
                              for el in top.iter(*text_tags, *inline)]), top)]
    done: list[tuple[str, Any]] = []
    buffers: list[list[str]] = []
    todo: list[tuple[int, Any]] = [(0, top)]  # 0 open element, 1 text, 2 close block
    while todo:
        kind, item = todo.pop()
        if kind == 1:
            buffers[-1].append(item)
            continue
        if kind == 2:
            done.append(("".join(buffers.pop()), item))
            continue
        el = item
        tag = el.tag
        if el is not top and el.tail and text_tags is None:
            todo.append((1, el.tail))
        if tag in skip or not isinstance(tag, str):
            continue
        is_block = tag in blocks
        if is_block:
            todo.append((2, el))
        todo.extend((0, child) for child in reversed(el))
        if tag in inline:
            todo.append((1, inline[tag]))
        if el.text and (text_tags is None or tag in text_tags):
            todo.append((1, el.text))
        if is_block:
            buffers.append([])
    return done


def iter_blocks(zf: zipfile.ZipFile, name: str, blocks: frozenset[str],
                skip: frozenset[str] = frozenset()) -> Iterator[Any]:
    """The outermost block elements of a part that hold anything and are not inside a
    ``skip`` element, each complete, freed after use; raises :class:`PartTooSlow` past
    :data:`MAX_SECONDS`."""
    deadline = time.monotonic() + MAX_SECONDS
    count = 0
    for _event, el in iterparse_part(zf, name, tuple(blocks), events=("end",)):
        count += 1
        if not count & 0x3FF and time.monotonic() > deadline:
            raise PartTooSlow
        if next(el.iterancestors(*blocks, *skip), None) is not None:
            continue  # inside another block (handled with it) or in a part that is no text
        if len(el) or el.text:
            yield el
        el.clear()
        parent = el.getparent()
        while parent is not None and el.getprevious() is not None:
            del parent[0]
