"""The batch pass of the scraped-text cleaner: lines a site repeats on every page are chrome.

One file cannot tell a site's footer sentence or newsletter pitch from a short
paragraph; a batch can, because the site's menu, footer and notices come back
on every page while article text does not. :class:`RepeatedLines` counts, per
source (the importer passes the outlet, or the folder the files came from), in
how many files each line occurs; a line found in at least ``min_files`` files
and in at least ``share`` of the source's files is furniture, and drafts that
still hold such a line are cleaned again with it named as chrome (so the title,
lede and dateline are found again too). The file as read is kept unchanged.

Safeguards: only plain-text drafts take part (the readers of other formats have
their own structure); a source is learnt from its first ``learn`` files, which
bounds memory on a 100,000-file import; and a draft keeps its text when the
repeated lines would take more than ``max_loss`` of it (several versions of one
story repeat real paragraphs, not furniture). A page's own title stays even when
the site's other pages link to it, unless it heads several pages (a site name
taken for a title).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from stancemark.core.models import ArticleDraft

#: Lines longer than this are not counted: furniture is short, paragraphs are long.
_LONGEST = 400


class RepeatedLines:
    """Learns each source's repeated lines from the drafts it sees and strips them."""

    def __init__(self, *, min_files: int = 3, share: float = 0.5, learn: int = 200,
                 max_loss: float = 0.4) -> None:
        self.min_files = min_files
        self.share = share
        self.learn = learn
        self.max_loss = max_loss
        self._files: dict[str, int] = {}
        self._counts: dict[str, Counter[str]] = {}
        self._repeated: dict[str, frozenset[str]] = {}
        self._titles: dict[str, Counter[str]] = {}

    def see(self, key: str, draft: ArticleDraft) -> None:
        """Count the lines of ``draft`` (a file of source ``key``) unless the source is learnt."""
        if draft.fmt != "text" or not draft.raw or self._files.get(key, 0) >= self.learn:
            return
        self._files[key] = self._files.get(key, 0) + 1
        lines = {s for s in (line.strip() for line in draft.raw.splitlines())
                 if s and len(s) <= _LONGEST}
        self._counts.setdefault(key, Counter()).update(lines)
        heads = {h for h in (draft.title, draft.subtitle) if h}
        self._titles.setdefault(key, Counter()).update(heads)
        self._repeated.pop(key, None)

    def repeated(self, key: str) -> frozenset[str]:
        """The lines of source ``key`` that are furniture by what has been seen so far."""
        found = self._repeated.get(key)
        if found is None:
            from stancemark.articles.plain import chrome_kind

            files = self._files.get(key, 0)
            need = max(self.min_files, self.share * files)
            counts = self._counts.get(key, Counter())
            # lines the single-file cleaner drops by their shape need no second look
            found = frozenset(line for line, n in counts.items()
                              if n >= need and chrome_kind(line) is None)
            self._repeated[key] = found
        return found

    def strip(self, key: str, draft: ArticleDraft) -> ArticleDraft:
        """``draft`` cleaned again without its source's repeated lines, if it holds any."""
        if draft.fmt != "text" or not draft.raw:
            return draft
        chrome = self.repeated(key)
        if not chrome:
            return draft
        # A page's own headline is often linked from the site's other pages ("most
        # read"); it is chrome only when it heads several pages (a site name).
        titles = self._titles.get(key, Counter())
        own = {h for h in (draft.title, draft.subtitle) if h and titles[h] < 2}
        if own & chrome:
            chrome = chrome - own
        if not any(line in chrome for line in draft.text.split("\n")):
            return draft
        from stancemark.articles.decode import clean_controls
        from stancemark.articles.plain import clean_scraped

        again = clean_scraped(clean_controls(draft.raw), known_chrome=chrome)
        if len(again.text) < (1 - self.max_loss) * len(draft.text) or not again.text.strip():
            return draft
        draft.text = again.text
        draft.title = again.title
        draft.subtitle = again.subtitle
        draft.published = again.published
        draft.author = again.author
        draft.url = again.url
        draft.meta = {**draft.meta, **again.meta}
        return draft

    def clean(self, items: Iterable[tuple[str, ArticleDraft]]) -> list[ArticleDraft]:
        """Learn from a batch of ``(source key, draft)`` and strip each draft of it."""
        items = list(items)
        for key, draft in items:
            self.see(key, draft)
        return [self.strip(key, draft) for key, draft in items]
