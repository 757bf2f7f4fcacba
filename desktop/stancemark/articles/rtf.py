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
from dataclasses import dataclass

from stancemark.articles.document import Document, TextBudget, tidy

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])"
    rb"|[\r\n]+|([^\\{}\r\n]+)"
)
_SKIP = frozenset({
    "fonttbl", "colortbl", "stylesheet", "pict", "object", "header", "headerl", "headerr",
    "headerf", "footer", "footerl", "footerr", "footerf", "footnote", "annotation", "fldinst",
    "xe", "tc", "tcn", "bkmkstart", "bkmkend", "themedata", "colorschememapping",
    "latentstyles", "datastore", "listtable", "listoverridetable", "rsidtbl", "generator",
    "xmlnstbl", "mmathPr", "pgdsctbl", "filetbl", "revtbl", "private", "atnid", "atnauthor",
    "nonshppict", "shppict", "sp", "operator", "comment", "keywords", "doccomm", "company",
    "wgrffmtfilter", "listtext", "pntext", "pntxta", "pntxtb", "txe", "userprops",
})
_INFO_FIELDS = frozenset({"title", "author", "subject"})
_BREAKS = frozenset({"par", "line", "sect", "page", "row", "cell", "column"})
_SYMBOLS = {
    "tab": " ", "emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018",
    "rquote": "\u2019", "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022",
    "emspace": " ", "enspace": " ", "qmspace": " ",
}
_CONTROL_SYMBOLS = {"~": "\u00a0", "_": "-", "-": "", "\\": "\\", "{": "{", "}": "}"}
MAX_DEPTH = 512


@dataclass(slots=True)
class _Group:
    skip: bool = False
    capture: str | None = None
    uc: int = 1
    first: bool = True  # no control word seen yet in this group


def read_rtf(data: bytes) -> Document:
    """Paragraphs of an RTF file; raises ValueError if it does not start like RTF."""
    if not data.lstrip()[:5] == b"{\\rtf":
        raise ValueError("not RTF")
    codec = "cp1252"
    decoder = codecs.getdecoder(codec)
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
    data_view = data
    while pos < end:
        m = _TOKEN.match(data_view, pos)
        if m is None:  # a lone backslash at the very end
            break
        pos = m.end()
        word, arg, hexa, symbol, brace, text = m.groups()
        if hexa is not None:
            if skip_chars:
                skip_chars -= 1
            else:
                pending_hex.append(int(hexa, 16))
            continue
        flush_hex()
        group = stack[-1]
        if brace is not None:
            if brace == b"{":
                if len(stack) >= MAX_DEPTH:
                    extra_depth += 1
                else:
                    stack.append(_Group(group.skip, group.capture, group.uc))
            elif extra_depth:
                extra_depth -= 1
            elif len(stack) > 1:
                if in_info and len(stack) == in_info:
                    in_info = 0
                stack.pop()
            skip_chars = 0
            continue
        if word is not None:
            name = word.decode("ascii")
            first, group.first = group.first, False
            if name == "bin" and arg:
                pos += max(int(arg), 0)  # raw bytes of a picture: never text
                continue
            if first and (name in _SKIP or (in_info and name not in _INFO_FIELDS)
                          and len(stack) > in_info):
                group.skip = True
            elif first and in_info and name in _INFO_FIELDS:
                group.capture = name
            elif name == "info":
                in_info = len(stack)
                group.skip = False
            elif name == "ansicpg" and arg:
                try:
                    decoder = codecs.getdecoder(f"cp{int(arg)}")
                except LookupError:
                    pass
            elif name == "uc" and arg:
                group.uc = max(0, min(int(arg), 10))
            elif name == "u" and arg:
                value = int(arg)
                emit(chr(value + 65536 if value < 0 else value) if 0 <= value + (
                    65536 if value < 0 else 0) < 0x110000 else "\ufffd")
                skip_chars = group.uc
            elif name in _BREAKS:
                if not group.skip and group.capture is None:
                    end_paragraph()
            elif name in _SYMBOLS:
                emit(_SYMBOLS[name])
            continue
        if symbol is not None:
            sym = symbol.decode("latin-1")
            if sym == "*" and group.first:
                group.skip = True
            elif sym in ("\n", "\r"):
                if not group.skip and group.capture is None:
                    end_paragraph()
            else:
                emit(_CONTROL_SYMBOLS.get(sym, ""))
            group.first = False
            continue
        if text is not None:
            if skip_chars:
                cut = min(skip_chars, len(text))
                skip_chars -= cut
                text = text[cut:]
            if text:
                emit(decoder(text, "replace")[0])
    flush_hex()
    end_paragraph()
    doc = Document(paragraphs, "rtf")
    doc.title = tidy("".join(info.get("title", []))) or None
    doc.author = tidy("".join(info.get("author", []))) or None
    return doc
