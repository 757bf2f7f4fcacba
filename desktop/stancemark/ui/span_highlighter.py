"""Painting annotation spans in the article text, indexed by the text block they fall in.

:class:`SpanHighlighter` (a ``QSyntaxHighlighter``) keeps the spans indexed by
block, so painting one block looks at that block's few spans only. Claims get a
light background and an underline in their category colour; mentions a stronger
background in their actor type colour, so a mention inside a claim stays
visible. Suggestions (kind ``suggestion``) share the block index but are kept
apart from the annotations: an actor suggestion is a dashed underline in its
type's colour, a claim candidate a dotted one; neither ever replaces a
mention's look, and a candidate yields to a real claim.

Stored offsets are code points; Qt positions are UTF-16. They meet only through
``core.spans.Utf16Index`` (held by the session for the open article).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from stancemark.core.spans import Utf16Index

Ref = tuple[str, int]
_BLOCK_BREAK = re.compile("[\n\u2029]")


def mix(colour: str, towards: str = "#ffffff", amount: float = 0.6) -> QColor:
    """``colour`` moved ``amount`` of the way to ``towards`` (0 = unchanged)."""
    a, b = QColor(colour), QColor(towards)
    return QColor(round(a.red() + (b.red() - a.red()) * amount),
                  round(a.green() + (b.green() - a.green()) * amount),
                  round(a.blue() + (b.blue() - a.blue()) * amount))


class HighlightSpan(NamedTuple):
    """One span to paint: kind ``mention``, ``claim`` or ``suggestion``, code-point span, colour.

    A tuple, so comparing the old and new spans of an article after an edit is C-fast.
    ``style`` is only for suggestions: ``dash`` (actor) or ``dot`` (claim candidate).
    """

    kind: str
    id: int
    start: int
    end: int
    colour: str
    style: str = ""

    @property
    def ref(self) -> Ref:
        return (self.kind, self.id)


@dataclass(frozen=True, slots=True)
class _Piece:
    """The part of a span inside one block, in UTF-16 units relative to the block start."""

    start: int
    end: int
    span: HighlightSpan


def block_starts(text: str, index: Utf16Index) -> list[int]:
    """UTF-16 position of each block (line) start, as ``QPlainTextEdit`` splits the text."""
    return [0] + [index.to_utf16(m.end()) for m in _BLOCK_BREAK.finditer(text)]


class SpanHighlighter(QSyntaxHighlighter):
    """Paints mention and claim spans; spans are looked up per block in O(1)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._starts: list[int] = [0]
        self._length16 = 0
        self._index: Utf16Index | None = None
        self._by_block: dict[int, list[_Piece]] = {}
        self._spans: dict[Ref, HighlightSpan] = {}
        self._suggestions: dict[Ref, HighlightSpan] = {}
        self._formats: dict[tuple[str | None, str | None, tuple[str, str] | None],
                            QTextCharFormat] = {}

    # -- span bookkeeping -------------------------------------------------------
    def set_text(self, text: str, index: Utf16Index) -> None:
        """Prepare for a new text (call before the document gets it)."""
        self._index = index
        self._starts = block_starts(text, index)
        self._length16 = index.length_utf16
        self._by_block = {}
        self._spans = {}
        self._suggestions = {}

    def set_spans(self, spans: Iterable[HighlightSpan], *, repaint: bool = True) -> None:
        """Replace the spans; with ``repaint`` update and re-highlight only what changed."""
        new = {s.ref: s for s in spans}
        if not repaint:
            self._spans = new
            self._by_block = {}
            for span in sorted([*new.values(), *self._suggestions.values()],
                               key=lambda s: (s.start, -s.end)):
                self._place(span)
            return
        self._spans = self._replace(self._spans, new)

    def set_suggestions(self, spans: Iterable[HighlightSpan]) -> None:
        """Replace the suggestion spans (kind ``suggestion``), re-highlighting what changed."""
        self._suggestions = self._replace(self._suggestions, {s.ref: s for s in spans})

    def suggestions(self) -> dict[Ref, HighlightSpan]:
        return self._suggestions

    def _replace(self, old_spans: dict[Ref, HighlightSpan],
                 new: dict[Ref, HighlightSpan]) -> dict[Ref, HighlightSpan]:
        removed = [old for ref, old in old_spans.items() if new.get(ref) != old]
        added = [span for ref, span in new.items() if old_spans.get(ref) != span]
        touched: set[int] = set()
        for old in removed:
            for block_start in self._blocks_of(old):
                touched.add(block_start)
                pieces = self._by_block.get(block_start)
                if pieces:
                    self._by_block[block_start] = [p for p in pieces if p.span.ref != old.ref]
        for span in added:
            touched.update(self._blocks_of(span))
            self._place(span)
        doc = self.document()
        for pos in sorted(touched):
            block = doc.findBlock(pos)
            if block.isValid():
                self.rehighlightBlock(block)
        return new

    def spans(self) -> dict[Ref, HighlightSpan]:
        return self._spans

    def _range16(self, span: HighlightSpan) -> tuple[int, int]:
        assert self._index is not None
        return self._index.to_utf16(span.start), self._index.to_utf16(span.end)

    def _blocks_of(self, span: HighlightSpan) -> list[int]:
        s16, e16 = self._range16(span)
        b = bisect.bisect_right(self._starts, s16) - 1
        out = []
        while b < len(self._starts) and self._starts[b] < max(e16, s16 + 1):
            out.append(self._starts[b])
            b += 1
        return out

    def _place(self, span: HighlightSpan) -> None:
        s16, e16 = self._range16(span)
        starts = self._starts
        b = max(0, bisect.bisect_right(starts, s16) - 1)
        while b < len(starts) and starts[b] < e16:
            block_start = starts[b]
            block_end = starts[b + 1] - 1 if b + 1 < len(starts) else self._length16
            lo, hi = max(s16, block_start) - block_start, min(e16, block_end) - block_start
            if hi > lo:
                self._by_block.setdefault(block_start, []).append(_Piece(lo, hi, span))
            b += 1

    def spans_at(self, pos16: int, *, suggestions: bool = False) -> list[HighlightSpan]:
        """Spans covering UTF-16 position ``pos16``, innermost (shortest) first.

        Suggestions are left out unless asked for (clicks select annotations only).
        """
        b = bisect.bisect_right(self._starts, pos16) - 1
        if b < 0:
            return []
        start = self._starts[b]
        hits = [p.span for p in self._by_block.get(start, ()) if p.start <= pos16 - start < p.end
                and (suggestions or p.span.kind != "suggestion")]
        return sorted(hits, key=lambda s: (s.kind == "suggestion", s.end - s.start,
                                           s.kind != "mention"))

    # -- painting -------------------------------------------------------------------
    def _format(self, claim: str | None, mention: str | None,
                hint: tuple[str, str] | None = None) -> QTextCharFormat:
        key = (claim, mention, hint)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            if claim is not None:
                fmt.setBackground(mix(claim, amount=0.82))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(claim))
            if mention is not None:
                fmt.setBackground(mix(mention, amount=0.55))
                fmt.setForeground(mix(mention, "#000000", 0.65))
                fmt.setFontWeight(QFont.Weight.DemiBold)
            if hint is not None:
                style, colour = hint
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline
                                      if style == "dash" else
                                      QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(QColor(colour))
            self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:
        pieces = self._by_block.get(self.currentBlock().position())
        if not pieces:
            return
        if len(pieces) == 1:
            p = pieces[0]
            span = p.span
            kind = span.kind
            fmt = self._format(span.colour, None) if kind == "claim" else \
                self._format(None, span.colour) if kind == "mention" else \
                self._format(None, None, (span.style, span.colour))
            self.setFormat(p.start, p.end - p.start, fmt)
            return
        points = sorted({x for p in pieces for x in (p.start, p.end)})
        for a, b in zip(points, points[1:], strict=False):
            claim = mention = None
            dash = dot = None
            for p in pieces:
                if p.start <= a and b <= p.end:
                    kind = p.span.kind
                    if kind == "claim":
                        claim = claim or p.span.colour
                    elif kind == "mention":
                        mention = p.span.colour
                    elif p.span.style == "dash":
                        dash = (p.span.style, p.span.colour)
                    else:
                        dot = (p.span.style, p.span.colour)
            # a mention keeps its look; an actor hint inside a claim keeps the claim's
            # background; a claim candidate never underlines a real claim
            hint = None if mention is not None and claim is not None else \
                dash if mention is None and dash is not None else \
                None if claim is not None else dot
            if claim is not None or mention is not None or hint is not None:
                self.setFormat(a, b - a, self._format(claim, mention, hint))
