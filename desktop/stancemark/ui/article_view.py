"""The article view: header and read-only text, with its highlights and the selection.

The highlights are painted by :class:`~stancemark.ui.span_highlighter.SpanHighlighter`;
the spans and their tooltips come from the article presenter. Only the selected
annotation uses ``ExtraSelection``. Stored offsets are code points; Qt positions
are UTF-16, converted through the open article's ``core.spans.Utf16Index``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QKeyCombination, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeyEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.models import Article
from stancemark.core.spans import Utf16Index, snap_to_words
from stancemark.ui.span_highlighter import HighlightSpan, Ref, SpanHighlighter, mix

__all__ = ["ArticleTextEdit", "ArticleView", "HighlightSpan", "Ref", "header_html", "mix"]


class ArticleTextEdit(QPlainTextEdit):
    """Read-only article text: snaps mouse selections to words, reports clicks on highlights."""

    span_clicked = Signal(object)  # Ref, or None for a click on plain text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setObjectName("articleText")
        self.highlighter = SpanHighlighter(self.document())
        # The one UTF-16 seam: Qt counts UTF-16 units, everything else code points. Only
        # this widget converts; it speaks code points to everyone else.
        self._index: Utf16Index | None = None
        self.text = ""
        self.describe: Callable[[HighlightSpan], str] = lambda s: s.kind
        self._press_pos: QPoint | None = None
        #: keys that trigger an action only here (Enter accepts a suggestion, Esc disarms)
        self.key_actions: dict[int, QAction] = {}
        #: held while selecting with the mouse: the selection stays exact (no word snapping)
        self.exact_modifier = Qt.KeyboardModifier.ControlModifier

    def keyPressEvent(self, event: QKeyEvent) -> None:
        combo = event.keyCombination()
        plain = QKeyCombination(combo.keyboardModifiers()
                                & ~Qt.KeyboardModifier.KeypadModifier, combo.key())
        action = self.key_actions.get(plain.toCombined())
        if action is not None:
            if action.isEnabled():
                action.trigger()
            event.accept()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cursor = self.textCursor()
        if cursor.hasSelection():
            if not event.modifiers() & self.exact_modifier:
                self.snap_selection()
            return
        hits = self.highlighter.spans_at(self.cursorForPosition(event.position().toPoint())
                                         .position())
        # a click on plain text disarms: a key then acts on nothing the analyst cannot see
        self.span_clicked.emit(hits[0].ref if hits else None)

    def set_article_text(self, text: str | None) -> None:
        """Show ``text`` (None: nothing) and make the offsets of it the ones spoken here."""
        self._index = None if text is None else Utf16Index(text)
        self.text = text or ""
        self.highlighter.set_text(self.text, self._index or Utf16Index(""))

    def to_view(self, offset: int) -> int:
        """A code-point offset of the article as a Qt document position."""
        assert self._index is not None
        return self._index.to_utf16(offset)

    def cursor_offset(self) -> int | None:
        """The text cursor (the start of the selection) as a code-point offset."""
        if self._index is None:
            return None
        return self._index.from_utf16(self.textCursor().selectionStart())

    def move_cursor_to(self, offset: int) -> None:
        """Put the text cursor at a code-point offset and show it."""
        cursor = self.textCursor()
        cursor.setPosition(self.to_view(offset))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def spans_at(self, offset: int) -> list[HighlightSpan]:
        """The highlighted spans covering a code-point offset."""
        return self.highlighter.spans_at(self.to_view(offset)) if self._index else []

    def snap_selection(self) -> None:
        """Widen the text selection to whole words (a mouse release without the exact key)."""
        rng = self.selected_range(trim=False)
        if rng is None or self._index is None:
            return
        start, end = snap_to_words(self.text, *rng)
        if end > start and (start, end) != rng:
            self.select_range(start, end)

    def selected_range(self, *, trim: bool = True) -> tuple[int, int] | None:
        """The selection as code-point offsets (whitespace trimmed), or None if empty."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self._index is None:
            return None
        start = self._index.from_utf16(cursor.selectionStart())
        end = self._index.from_utf16(cursor.selectionEnd())
        if trim:
            while start < end and self.text[start].isspace():
                start += 1
            while end > start and self.text[end - 1].isspace():
                end -= 1
        return (start, end) if end > start else None

    def select_range(self, start: int, end: int) -> None:
        """Select the code points ``[start, end)`` of the article."""
        cursor = self.textCursor()
        cursor.setPosition(self.to_view(start))
        cursor.setPosition(self.to_view(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            hits = self.highlighter.spans_at(self.cursorForPosition(pos).position(),
                                             suggestions=True)
            if hits:
                QToolTip.showText(event.globalPos(),  # type: ignore[attr-defined]
                                  "\n".join(self.describe(s) for s in hits), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


class ArticleView(QWidget):
    """Title, source and date above the article text with its highlights."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel(self)
        self.header.setObjectName("articleHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.text_edit = ArticleTextEdit(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.text_edit, 1)
        self._selected: Ref | None = None
        #: what the view says when no article is open (the navigator knows why)
        self.empty_hint = "No article open."

    @property
    def highlighter(self) -> SpanHighlighter:
        return self.text_edit.highlighter

    def show_article(self, article: Article | None, spans: Iterable[HighlightSpan]) -> None:
        """Show a new article with its spans, painted in one pass."""
        edit = self.text_edit
        self._selected = None
        if article is None:
            self.header.setText(f"<p class='muted'>{html.escape(self.empty_hint)}</p>")
            edit.setPlaceholderText(self.empty_hint)
            edit.set_article_text(None)
            edit.setPlainText("")
            return
        self.header.setText(header_html(article))
        edit.set_article_text(article.text)
        self.highlighter.set_spans(spans, repaint=False)
        edit.setExtraSelections([])
        edit.setPlainText(article.text)  # the highlighter paints every block as it arrives

    def update_spans(self, spans: Iterable[HighlightSpan]) -> None:
        self.highlighter.set_spans(spans)
        self.show_selection(self._selected, scroll=False)

    def show_selection(self, ref: Ref | None, *, scroll: bool = True) -> None:
        """Mark the selected annotation with an ExtraSelection and scroll it into view."""
        self._selected = ref
        edit = self.text_edit
        span = self.highlighter.spans().get(ref) if ref else None
        if span is None or not edit.text:
            edit.setExtraSelections([])
            return
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(edit.to_view(span.start))
        cursor.setPosition(edit.to_view(span.end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor  # type: ignore[attr-defined]
        fmt = QTextCharFormat()
        fmt.setBackground(mix(span.colour, amount=0.25))
        fmt.setForeground(QColor("#ffffff"))
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
        sel.format = fmt  # type: ignore[attr-defined]
        edit.setExtraSelections([sel])
        if scroll:
            self._scroll_to(edit.to_view(span.start))

    def _scroll_to(self, pos16: int) -> None:
        edit = self.text_edit
        block = edit.document().findBlock(pos16)
        first = edit.firstVisibleBlock().blockNumber()
        rect = edit.blockBoundingGeometry(block).translated(edit.contentOffset())
        if rect.top() < 0 or rect.bottom() > edit.viewport().height() or \
                block.blockNumber() < first:
            bar = edit.verticalScrollBar()
            bar.setValue(max(0, block.blockNumber() - 2))


def header_html(article: Article) -> str:
    """Title, then source · date · author, then the lede, escaped.

    A title or lede that the text itself begins with is not said twice: the header
    then holds only what the text does not show.
    """
    opening = {_plain(p) for p in article.text.split("\n")[:4] if p.strip()}
    title = article.title or f"Article {article.id}"
    meta = [html.escape(x) for x in (article.source, _date(article.published), article.author)
            if x]
    head = "" if _plain(title) in opening else \
        f"<div style='font-size:15pt; font-weight:600'>{html.escape(title)}</div>"
    lede = f"<p class='lede'>{html.escape(article.subtitle)}</p>" \
        if article.subtitle and _plain(article.subtitle) not in opening else ""
    return f"{head}<div style='color:#555'>{' · '.join(meta) or '&nbsp;'}</div>{lede}"


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def _date(published: str | None) -> str | None:
    if not published:
        return None
    return published[:16].replace("T", " ") if "T" in published and \
        not published[11:16].startswith("00:00") else published[:10]
