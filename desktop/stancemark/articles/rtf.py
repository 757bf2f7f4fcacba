"""Rich Text Format (.rtf, Factiva's download format): paragraphs of the body text.

A small tokenizer of our own: one regular-expression pass over the file (linear
time, no recursion), groups tracked on an explicit stack, and every destination
that is not body text (font and colour tables, pictures, headers, footers,
footnotes, field instructions, ``\\*`` extensions) skipped. The ``\\info`` group
gives title and author.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass

from stancemark.articles.document import Document, TextBudget, tidy

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|(\{+|\}+)"
    rb"|[\r\n]+|([^\\{}\r\n]+)"
)
_SKIP = frozenset(name.encode() for name in (
    "fonttbl", "colortbl", "stylesheet", "pict", "object", "header", "headerl", "headerr",
    "headerf", "footer", "footerl", "footerr", "footerf", "footnote", "annotation", "fldinst",
    "xe", "tc", "tcn", "bkmkstart", "bkmkend", "themedata", "colorschememapping",
    "latentstyles", "datastore", "listtable", "listoverridetable", "rsidtbl", "generator",
    "xmlnstbl", "mmathPr", "pgdsctbl", "filetbl", "revtbl", "private", "atnid", "atnauthor",
    "nonshppict", "shppict", "sp", "operator", "comment", "keywords", "doccomm", "company",
    "wgrffmtfilter", "listtext", "pntext", "pntxta", "pntxtb", "txe", "userprops",
))
_INFO_FIELDS = frozenset({b"title", b"author", b"subject"})
_BREAKS = frozenset({b"par", b"line", b"sect", b"page", b"row", b"cell", b"column"})
_SYMBOLS = {
    b"tab": " ", b"emdash": "\u2014", b"endash": "\u2013", b"lquote": "\u2018",
    b"rquote": "\u2019", b"ldblquote": "\u201c", b"rdblquote": "\u201d", b"bullet": "\u2022",
    b"emspace": " ", b"enspace": " ", b"qmspace": " ",
}
#: Control words that do something here; the hundreds of others (formatting) are passed over.
_ACTIVE = _BREAKS | _SYMBOLS.keys() | {b"bin", b"info", b"ansicpg", b"uc", b"u"}
_CONTROL_SYMBOLS = {b"~": "\u00a0", b"_": "-", b"-": "", b"\\": "\\", b"{": "{", b"}": "}"}
MAX_DEPTH = 512
#: Longest an RTF file may take to read (a 100-item download takes well under a second).
MAX_SECONDS = 60.0


class TooSlow(Exception):
    """Reading took longer than :data:`MAX_SECONDS` (a crafted file of endless controls)."""


@dataclass(slots=True)
class _Group:
    skip: bool = False
    capture: str | None = None
    uc: int = 1
    first: bool = True  # no control word seen yet in this group


def read_rtf(data: bytes, *, max_seconds: float = MAX_SECONDS) -> Document:
    """Paragraphs of an RTF file; raises ValueError if it does not start like RTF."""
    if not data.lstrip()[:5] == b"{\\rtf":
        raise ValueError("not RTF")
    started = time.monotonic()
    decoder = codecs.getdecoder("cp1252")
    out: list[str] = []
    info: dict[str, list[str]] = {}
    stack: list[_Group] = [_Group()]
    extra_depth = 0  # groups beyond MAX_DEPTH, counted but not tracked
    skip_chars = 0  # characters still to skip after a \uN
    pending_hex = bytearray()
    budget = TextBudget()
    paragraphs: list[str] = []
    in_info = 0  # depth of the \info group, 0 when outside

    def emit(text: str) -> None:
        group = stack[-1]
        if group.skip:
            return
        if group.capture is not None:
            info.setdefault(group.capture, []).append(text)
        else:
            out.append(text)

    def flush_hex() -> None:
        if pending_hex:
            emit(decoder(bytes(pending_hex), "replace")[0])
            pending_hex.clear()

    def end_paragraph() -> None:
        text = tidy("".join(out))
        out.clear()
        if text:
            budget.take(len(text))
            paragraphs.append(text)

    pos, end = 0, len(data)
    count = 0
    while pos < end:
        resume = None
        for m in _TOKEN.finditer(data, pos):
            count += 1
            if not count & 0xFFFF and time.monotonic() - started > max_seconds:
                raise TooSlow
            word, arg, hexa, symbol, brace, text = m.groups()
            if hexa is not None:
                if skip_chars:
                    skip_chars -= 1
                else:
                    pending_hex.append(int(hexa, 16))
                continue
            if pending_hex:
                flush_hex()
            group = stack[-1]
            if brace is not None:  # a run of opening or closing braces
                n = len(brace)
                if brace == b"{" and len(stack) < MAX_DEPTH:  # the usual case, quickly
                    stack.append(_Group(group.skip, group.capture, group.uc))
                elif brace == b"}" and not extra_depth and len(stack) > 1:
                    if in_info and len(stack) == in_info:
                        in_info = 0
                    stack.pop()
                elif brace[0] == 0x7B:  # "{"
                    room = max(0, MAX_DEPTH - len(stack))
                    stack.extend(_Group(group.skip, group.capture, group.uc)
                                 for _ in range(min(n, room)))
                    extra_depth += max(0, n - room)
                else:
                    closed = min(n, extra_depth)
                    extra_depth -= closed
                    for _ in range(min(n - closed, len(stack) - 1)):
                        if in_info and len(stack) == in_info:
                            in_info = 0
                        stack.pop()
                skip_chars = 0
                continue
            if word is not None:
                first = group.first
                if not first and word not in _ACTIVE:
                    continue  # formatting
                group.first = False
                if word == b"bin" and arg:
                    resume = m.end() + max(int(arg), 0)  # raw picture bytes: never text
                    break
                if first and (word in _SKIP or (in_info and word not in _INFO_FIELDS)
                              and len(stack) > in_info):
                    group.skip = True
                elif first and in_info and word in _INFO_FIELDS:
                    group.capture = word.decode("ascii")
                elif word == b"info":
                    in_info = len(stack)
                    group.skip = False
                elif word == b"ansicpg" and arg:
                    try:
                        decoder = codecs.getdecoder(f"cp{int(arg)}")
                    except LookupError:
                        pass
                elif word == b"uc" and arg:
                    group.uc = max(0, min(int(arg), 10))
                elif word == b"u" and arg:
                    value = int(arg) % 65536  # written signed: \u-3913 is U+F0B7
                    emit(chr(value))
                    skip_chars = group.uc
                elif word in _BREAKS:
                    if not group.skip and group.capture is None:
                        end_paragraph()
                elif word in _SYMBOLS:
                    emit(_SYMBOLS[word])
                continue
            if symbol is not None:
                if symbol == b"*" and group.first:
                    group.skip = True
                elif symbol in (b"\n", b"\r"):
                    if not group.skip and group.capture is None:
                        end_paragraph()
                else:
                    emit(_CONTROL_SYMBOLS.get(symbol, ""))
                group.first = False
                continue
            if text is not None:
                if skip_chars:
                    cut = min(skip_chars, len(text))
                    skip_chars -= cut
                    text = text[cut:]
                if text:
                    emit(decoder(text, "replace")[0])
        if resume is None:
            break
        pos = resume
    flush_hex()
    end_paragraph()
    doc = Document(paragraphs, "rtf")
    doc.title = tidy("".join(info.get("title", []))) or None
    doc.author = tidy("".join(info.get("author", []))) or None
    return doc
