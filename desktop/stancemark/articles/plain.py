"""Cleaning scraped plain text into title, dateline, lede and body.

Scrapers save whatever the page showed: icon labels, menus, share and cookie
prompts, the audio player's clock. The rules here are general (shapes of
lines, not one site's words), cheap (a few precompiled patterns per line, and
dateutil only for short lines near the top) and conservative: when unsure,
a line is kept, because losing article text is worse than keeping a menu.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from stancemark.articles.dates import parse_dateline
from stancemark.core.text import normalize_newlines

# How many non-blank lines at the top may hold the dateline, byline and title.
_HEADER_LINES = 8
# Longest line that can be a title or a lede.
_MAX_TITLE = 250
_MAX_LEDE = 400

_PLAYER = re.compile(r"(?:(?:\d{1,2}:)?\d{1,2}:\d\d|none|\s)+", re.I)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_SENTENCE_PUNCT = re.compile(r"[.,;:!?\"“”„«»()'’]")
_TERMINAL = re.compile(r"[.!?…\"”»'’)]$")
_TOKEN = re.compile(r"\S+")
_URL_LINE = re.compile(r"(?:source:\s*)?(https?://\S+)", re.I)
_BYLINE = re.compile(r"(?:by|written\s+by|author:|words\s+by)\s+(.{3,60})", re.I)
_NAME_WORD = re.compile(r"[A-ZÀ-ÞА-ЯЁ][\w'’.-]*|and|&|van|von|de|da|al|bin|el|der|den|la|le")

_SOCIAL_NAMES = (
    r"twitter|x|facebook|telegram|instagram|youtube|tiktok|linkedin|vk|whatsapp|threads"
    r"|mastodon|rumble|odysee|google\s+news"
)
_SOCIAL = f"(?:{_SOCIAL_NAMES})"
_SHARE_WORD = rf"(?:share|tweet|post|email|e-mail|mail|print|copy(?:\s+link)?|link|{_SOCIAL_NAMES})"
_SHORT_CHROME = re.compile(
    rf"""(?:
      share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page|link))?(?:\s+(?:on|via|with)\b.*)?
    | {_SHARE_WORD}(?:\s*[|/·•,]?\s*{_SHARE_WORD})*
    | (?:read|see|watch|listen)\s+(?:more|also|next)\b.*
    | related(?:\s+(?:articles?|stories|news|content|topics|coverage))?\s*:?
    | (?:also\s+)?recommended(?:\s+for\s+you)?
    | more\s+(?:on\s+this(?:\s+story)?|news|stories|from\s+.*)
    | follow\s+(?:us|\S+)(?:\s+on\s+{_SOCIAL}.*)?
    | follow\s+us\b.*
    | subscribe\b.*
    | sign\s+(?:up|in)(?:\s+(?:to|for)\s+(?:our|the)\b.*)?
    | log\s*in|log\s*out|register|newsletter
    | (?:accept|reject|allow|decline|refuse)(?:\s+all)?(?:\s+cookies)?
    | (?:manage|cookie)\s+(?:cookies|settings|preferences|options|policy)
    | got\s+it|i\s+agree|ok(?:ay)?
    | advertisement|advert|sponsored(?:\s+content)?|ads?
    | comments?(?:\s*\(\d+\))?|\d+\s+comments?|leave\s+a\s+comment|add\s+(?:a\s+)?comment
    | skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|jump\s+to\s+.*|scroll\s+(?:down|up)
    | (?:photo|image|video|file\s+photo)(?:\s*[:©].*)?
    | ©.*|copyright\s*(?:©|\(c\)|\d{{4}}).*|all\s+rights\s+reserved\.?
    | loading\W*|please\s+wait\W*
    | (?:\d+\s+)?min(?:ute)?s?\s+read
    | podcasts?|listen(?:\s+to\s+(?:this\s+)?(?:article|story))?|play|pause|mute|unmute
    | (?:tags?|topics?)\s*:.*|filed\s+under\b.*
    )""",
    re.I | re.X,
)
_COOKIE = re.compile(
    r"\b(?:we|our|you|your|this\s+(?:web)?site)\b.*\b(?:accept|consent|agree|use|uses|policy|settings|preferences)\b",
    re.I | re.S,
)

_NAV_WORDS = frozenset(
    """
    home homepage news latest world politics business economy markets finance money sport
    sports football tech technology science health culture arts entertainment lifestyle
    travel opinion opinions op-ed analysis features feature video videos photos photo
    gallery podcast podcasts live weather menu search more contact about careers advertise
    shop newsletter newsletters trending local national international europe africa asia
    americas americas middle east us uk russia india china usa rss apps app login logout
    account profile top stories story columns columnists blogs blog interviews interview
    sections section main press releases environment climate education media society
    archive archives español deutsch français русский العربية
    | / • · » › > < « - – —
    """.split()
)
_STOPWORDS = frozenset(
    "the a an of in to and for on with as is are was were by at from after over that has "
    "have will be it its this who which said says".split()
)


@dataclass(slots=True)
class Cleaned:
    """A scraped text split into its parts; ``text`` is what the analyst annotates."""

    text: str
    title: str | None = None
    subtitle: str | None = None
    published: datetime | None = None
    author: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def _is_menu_run(line: str) -> bool:
    tokens = line.split()
    if not tokens:
        return False
    nav = sum(1 for t in tokens if t.lower().strip(":") in _NAV_WORDS)
    if len(tokens) <= 3:
        return nav == len(tokens)
    if _SENTENCE_PUNCT.search(line):
        return False
    if nav >= 0.6 * len(tokens):
        return True
    if len(tokens) < 6 or not line.islower():
        return False
    return sum(1 for t in tokens if t in _STOPWORDS) <= 1


def chrome_kind(line: str) -> str | None:
    """Say why ``line`` (stripped, non-empty) is page furniture, or None if it is text."""
    n = len(line)
    if n <= 40 and _PLAYER.fullmatch(line):
        return "player"
    if "icon" in line or "Icon" in line or "ICON" in line:
        tokens = line.split()
        icons = sum(1 for t in tokens if "icon" in t.lower())
        if icons >= 3 or (icons and icons >= 0.3 * len(tokens)):
            return "chrome"
    if n <= 100:
        if _SHORT_CHROME.fullmatch(line):
            return "player" if line.lower().startswith("podcast") else "chrome"
        if not _HAS_LETTER.search(line):
            return None if _HAS_YEAR.search(line) else "chrome"
    if n <= 200 and _is_menu_run(line):
        return "chrome"
    if n <= 600 and ("ookie" in line or "OOKIE" in line) and _COOKIE.search(line):
        return "chrome"
    return None


def _same(a: str, b: str) -> bool:
    return a == b or " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _is_title(line: str) -> bool:
    return len(line) <= _MAX_TITLE and len(line) >= 8 and len(line.split()) >= 2


def _byline(line: str) -> str | None:
    m = _BYLINE.fullmatch(line)
    if not m:
        return None
    name = m.group(1).strip().rstrip(",;|")
    words = name.split()
    if len(words) > 6 or name.endswith(".") and not name[-2:-1].isupper():
        return None
    capitals = 0
    for w in words:
        if not _NAME_WORD.fullmatch(w.rstrip(",")):
            return None
        capitals += w[:1].isupper()
    return name if capitals >= 2 else None


def clean_scraped(raw: str) -> Cleaned:
    """Split a scraped article into its parts and drop the page furniture."""
    dropped: Counter[str] = Counter()
    meta: dict[str, Any] = {}
    lines: list[str] = []
    for line in normalize_newlines(raw).split("\n"):
        line = line.strip()
        if line:
            kind = chrome_kind(line)
            if kind is not None:
                dropped[kind] += 1
                continue
        lines.append(line)

    published: datetime | None = None
    author: str | None = None
    url: str | None = None
    title: str | None = None
    subtitle: str | None = None

    def header_line(line: str) -> bool:
        """Consume a dateline, byline or bare URL near the top."""
        nonlocal published, author, url
        if published is None:
            found = parse_dateline(line)
            if found is not None:
                published = found[0]
                meta["dateline"] = line
                if found[1]:
                    meta["published_tz"] = found[1]
                dropped["dateline"] += 1
                return True
        if url is None and len(line) < 300:
            m = _URL_LINE.fullmatch(line)
            if m:
                url = m.group(1)
                dropped["url"] += 1
                return True
        if author is None and len(line) <= 80 and line[:1] in "BbWwAa":
            name = _byline(line)
            if name:
                author = name
                dropped["byline"] += 1
                return True
        return False

    i, n = 0, len(lines)
    seen = 0
    while i < n and seen < _HEADER_LINES:
        line = lines[i]
        i += 1
        if not line:
            continue
        seen += 1
        if header_line(line):
            continue
        if _is_title(line):
            title = line
            break
        if len(line) > _MAX_TITLE or len(line.split()) > 1:
            i -= 1  # a paragraph before any title: there is no title line
            break
        dropped["chrome"] += 1  # a lone word above the title (section name, site name)

    def next_nonblank(k: int) -> int:
        while k < n and not lines[k]:
            k += 1
        return k

    def skip_repeats(k: int, previous: list[str]) -> int:
        while k < n and lines[k] and any(_same(lines[k], p) for p in previous):
            dropped["caption"] += 1
            k = next_nonblank(k + 1)
        return k

    if title is not None:
        header = [title]
        i = next_nonblank(i)
        # A dateline or byline may follow the title instead of preceding it.
        for _ in range(3):
            if i < n and header_line(lines[i]):
                i = next_nonblank(i + 1)
            else:
                break
        i = skip_repeats(i, header)
        if i < n:
            cand = lines[i]
            after = i + 1
            caption = (
                after < n
                and bool(lines[after])
                and any(_same(lines[after], p) for p in header + [cand])
            )
            single = after >= n or not lines[after] or caption
            rest = next_nonblank(after + 1 if caption else after)
            if (
                single
                and rest < n
                and len(cand) <= _MAX_LEDE
                and (caption or (len(cand) >= 20 and not _TERMINAL.search(cand)))
            ):
                subtitle = cand
                header.append(cand)
                i = skip_repeats(next_nonblank(after), header)

    blocks: list[str] = [p for p in (title, subtitle) if p]
    block: list[str] = []
    for line in lines[i:]:
        if line:
            block.append(line)
        elif block:
            blocks.append("\n".join(block))
            block = []
    if block:
        blocks.append("\n".join(block))

    if dropped:
        meta["dropped_lines"] = dict(dropped)
    return Cleaned(
        text="\n\n".join(blocks),
        title=title,
        subtitle=subtitle,
        published=published,
        author=author,
        url=url,
        meta=meta,
    )
