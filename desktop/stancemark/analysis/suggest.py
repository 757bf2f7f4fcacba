"""Offline suggestions: where known actors are named, and which sentences report a claim.

Pure functions over plain text and plain data; no store, no Qt. The services
layer feeds them the registry and the article's existing annotations.

Actor matching works on the *folded* text (case and diacritics removed, see
:func:`stancemark.core.text.fold`) split into word tokens. Each actor surface
(name or alias) becomes a token tuple; a dict keyed by the first token finds
the candidates at each word, and the longest one that matches wins. This is
linear in the article's length whatever the registry's size, which keeps a
20,000-word article with 5,000 actors well under the 30 ms budget.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress

from stancemark.core.text import fold, fold_char

_WORD = re.compile(r"\w+")
# What may separate the words of a multi-word name in running text ("Al-Assad", "U. S.").
_GAP_OK = re.compile(r"[ \u00a0\-\u2010\u2011.'\u2019]{1,3}")
# A leading article is not part of a longer name: "the Serbian President" matches
# "Serbian President"; a short one keeps it ("the Front" must not match "front").
_LEADING_ARTICLES = ("the",)


# -- folding and tokens ---------------------------------------------------------------------

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SPLIT = re.compile(r"(\W+)")


class FoldMap:
    """Maps offsets of a folded text back to the original, stored sparsely.

    Only characters that fold to none or several characters shift offsets, and
    they are rare, so the map keeps one entry per such character and answers
    with a binary search.
    """

    __slots__ = ("_starts", "_ends", "_orig", "_shift")

    def __init__(self) -> None:
        self._starts: list[int] = []  # folded start of each irregular character's fold
        self._ends: list[int] = []  # folded end of it
        self._orig: list[int] = []  # its index in the original
        self._shift: list[int] = []  # folded - original offset after it

    def add(self, orig: int, folded_len: int) -> None:
        shift = self._shift[-1] if self._shift else 0
        start = orig + shift
        self._starts.append(start)
        self._ends.append(start + folded_len)
        self._orig.append(orig)
        self._shift.append(shift + folded_len - 1)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def original(self, pos: int) -> int:
        """Original offset of folded offset ``pos`` (inside a multi-char fold: its character)."""
        k = bisect_right(self._starts, pos) - 1
        if k < 0:
            return pos
        if pos < self._ends[k]:
            return self._orig[k]
        return pos - self._shift[k]


def fast_fold(text: str) -> tuple[str, FoldMap]:
    """Fold ``text`` like :func:`~stancemark.core.text.fold`, mapping back to ``text``.

    ASCII folds by ``lower``; the few distinct non-ASCII characters are
    substituted from a table. Only characters that fold to none or several
    characters (a separate combining mark, ``ß``, ``…``, ``đ``) enter the map.
    """
    fmap = FoldMap()
    if text.isascii():
        return text.lower(), fmap
    found = _NON_ASCII.findall(text)
    table = {ch: fold_char(ch) for ch in set(found)}
    if len(found) * 5 < len(text):
        folded = _NON_ASCII.sub(lambda m: table[m.group()], text).lower()
    else:  # mostly non-Latin script: one translate pass is cheaper than many callbacks
        folded = text.translate({ord(k): v for k, v in table.items()}).lower()
    irregular = "".join(ch for ch, f in table.items() if len(f) != 1)
    if irregular:
        for m in re.finditer("[" + re.escape(irregular) + "]", text):
            fmap.add(m.start(), len(table[m.group()]))
    return folded, fmap


class Tokens:
    """A text folded and split into words, with offsets back into the original text.

    ``words[i]`` spans ``offsets[2 * i]``…``offsets[2 * i + 1]`` of ``folded``, and
    ``gaps[i]`` is the folded text between word ``i`` and word ``i + 1``.
    """

    __slots__ = ("text", "folded", "fmap", "words", "gaps", "offsets")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, self.fmap = fast_fold(text)
        parts = _SPLIT.split(self.folded)
        self.words = parts[0::2]
        self.gaps = parts[1::2]
        self.offsets = list(accumulate(map(len, parts), initial=0))

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Original-text ``[start, end)`` of words ``first``…``last`` (inclusive)."""
        fs, fe = self.offsets[2 * first], self.offsets[2 * last + 1]
        if not self.fmap:
            return fs, fe
        text = self.text
        start, end = self.fmap.original(fs), self.fmap.original(fe - 1) + 1
        # keep combining marks that belong to the last character
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        return start, end


def surface_tokens(surface: str) -> tuple[str, ...]:
    """The folded word tokens of a name or alias, without a leading article."""
    tokens = tuple(_WORD.findall(fold(surface)))
    while len(tokens) > 2 and tokens[0] in _LEADING_ARTICLES:
        tokens = tokens[1:]
    return tokens


#: Words after which a one-word alias of a state or organisation ("Brussels" for the EU,
#: a capital for its government) names the place, not the actor. Persons are exempt.
LOCATIVES = frozenset(("in", "near", "at", "to", "outside", "around", "across", "via",
                       "through", "towards", "toward", "into", "inside"))


# -- actors -----------------------------------------------------------------------------------

@dataclass(slots=True)
class ActorHit:
    """One occurrence of a known actor's name or alias in a text."""

    start: int
    end: int
    text: str
    actor_id: int
    surface: str  # the registry name or alias that matched
    alternatives: tuple[int, ...] = ()  # other actors sharing that surface


@dataclass(slots=True)
class _Entry:
    tokens: tuple[str, ...]
    actor_ids: list[int] = field(default_factory=list)
    surface: str = ""
    acronym: bool = False  # "US", "EU", "NAO": only matches in capitals, never "us"
    is_name: bool = False  # some actor's canonical name (not only an alias)
    place_alias: bool = False  # only an alias, of organisations/states: may be a city name


def _is_acronym(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return 0 < len(letters) <= 5 and surface.isupper() and " " not in surface.strip()


class ActorMatcher:
    """Finds every whole-word occurrence of the registry's names and aliases.

    Build it once per registry version (see :meth:`from_actors`) and reuse it
    for every article; matching never looks at the registry again.
    """

    def __init__(self, surfaces: Iterable[tuple[str, int]],
                 names: Iterable[tuple[str, int]] = (),
                 persons: Iterable[int] = ()) -> None:
        by_tokens: dict[tuple[str, ...], _Entry] = {}
        name_tokens = {surface_tokens(n) for n, _ in names}
        for surface, actor_id in [*names, *surfaces]:
            tokens = surface_tokens(surface)
            if not tokens:
                continue
            entry = by_tokens.get(tokens)
            if entry is None:
                entry = by_tokens[tokens] = _Entry(tokens, [], surface, _is_acronym(surface))
            elif entry.acronym and not _is_acronym(surface):
                entry.acronym = False  # some actor is also called "Us" in normal case
            if actor_id not in entry.actor_ids:
                entry.actor_ids.append(actor_id)
            entry.is_name = entry.is_name or tokens in name_tokens
        people = set(persons)
        for entry in by_tokens.values():
            entry.place_alias = not entry.is_name and not people.intersection(entry.actor_ids)
        # first token -> entries, longest first, so the first that fits is the longest match
        self._first: dict[str, list[_Entry]] = {}
        for entry in by_tokens.values():
            self._first.setdefault(entry.tokens[0], []).append(entry)
        for entries in self._first.values():
            entries.sort(key=lambda e: -len(e.tokens))
        self.size = len(by_tokens)

    @classmethod
    def from_actors(cls, actors: Iterable[object]) -> ActorMatcher:
        """Build from objects with ``id``, ``name`` and ``aliases`` (e.g. core Actor).

        A surface shared by several actors goes first to the actor whose *name* it is.
        Objects with ``type == "person"`` never have their aliases read as places.
        """
        names: list[tuple[str, int]] = []
        aliases: list[tuple[str, int]] = []
        persons: list[int] = []
        for a in actors:
            actor_id = a.id  # type: ignore[attr-defined]
            if getattr(a, "type", None) == "person":
                persons.append(actor_id)
            names.append((a.name, actor_id))  # type: ignore[attr-defined]
            aliases.extend((alias, actor_id) for alias in a.aliases)  # type: ignore[attr-defined]
        return cls(aliases, names, persons)

    def find(self, text: str | Tokens) -> list[ActorHit]:
        """Every match in ``text``: leftmost first, longest at each place, none overlapping."""
        if not self._first:
            return []
        tok = text if isinstance(text, Tokens) else Tokens(text)
        words, gaps = tok.words, tok.gaps
        first = self._first
        hits: list[ActorHit] = []
        n = len(words)
        skip_to = 0
        for i in compress(range(n), map(first.__contains__, words)):
            if i < skip_to:
                continue
            matched: _Entry | None = None
            for entry in first[words[i]]:
                k = len(entry.tokens)
                if k == 1:
                    matched = entry
                    break
                if i + k > n or tuple(words[i:i + k]) != entry.tokens:
                    continue
                if all(_GAP_OK.fullmatch(gaps[j]) for j in range(i, i + k - 1)):
                    matched = entry
                    break
            if matched is None:
                continue
            k = len(matched.tokens)
            start, end = tok.span(i, i + k - 1)
            if matched.acronym and not tok.text[start:end].isupper():
                continue
            if (k == 1 and matched.place_alias and i and words[i - 1] in LOCATIVES
                    and gaps[i - 1] == " "):
                continue  # "talks in Brussels": a capital used as an alias is here a place
            ids = matched.actor_ids
            hits.append(ActorHit(start, end, tok.text[start:end], ids[0], matched.surface,
                                 tuple(ids[1:])))
            skip_to = i + k
        return hits


def uncovered(hits: Iterable[ActorHit], covered: Iterable[tuple[int, int]],
              dismissed: Iterable[tuple[int, int]] = ()) -> list[ActorHit]:
    """Hits that overlap no existing mention span and were not dismissed (exact span)."""
    spans = sorted(covered)
    gone = set(dismissed)
    out: list[ActorHit] = []
    starts = [s for s, _ in spans]
    max_end_before: list[int] = []
    best = -1
    for _, e in spans:
        best = max(best, e)
        max_end_before.append(best)
    for h in hits:
        if (h.start, h.end) in gone:
            continue
        # any span starting before h.end whose end is after h.start overlaps
        k = bisect_left(starts, h.end)
        if k and max_end_before[k - 1] > h.start:
            continue
        out.append(h)
    return out


# -- claims (reported speech) -------------------------------------------------------------

#: Quotation forms: “…”, „…“ / „…”, «…», »…«, ‚…‘, ‘…’ and straight "…"; never across paragraphs.
_QUOTE = re.compile(
    # the look-ahead lets the scanner skip to the next quotation mark
    "(?=[\u201c\u201e\u00ab\u00bb\u201a\u2018\"])(?:"
    "\u201c([^\u201c\u201d\n]+)\u201d"
    "|\u201e([^\u201c\u201d\u201e\n]+)[\u201c\u201d]"
    "|\u00ab([^\u00ab\u00bb\n]+)\u00bb"
    "|\u00bb([^\u00ab\u00bb\n]+)\u00ab"
    "|\u201a([^\u2018\u2019\u201a\n]+)[\u2018\u2019]"
    "|(?<!\\w)\u2018((?:[^\u2018\u2019\n]|\u2019(?=\\w))+)\u2019(?!\\w)"
    '|"([^"\n]+)")'
)

REPORTING_VERBS = frozenset((
    "said", "says", "say", "saying", "told", "tells", "tell", "claimed", "claims", "claim",
    "accused", "accuses", "accuse", "accusing", "warned", "warns", "warn", "warning",
    "stressed", "stresses", "added", "adds", "adding", "argued", "argues", "arguing",
    "insisted", "insists", "insisting", "denied", "denies", "announced", "announces",
    "stated", "declared", "declares", "noted", "notes", "explained", "emphasised",
    "emphasized", "urged", "urges", "demanded", "demands", "rejected", "rejects",
    "condemned", "condemns", "criticised", "criticized", "criticises", "criticizes",
    "promised", "promises", "pledged", "pledges", "vowed", "vows", "threatened", "threatens",
    "confirmed", "confirms", "acknowledged", "admitted", "suggested", "maintained",
    "maintains", "reiterated", "asserted", "alleged", "alleges", "wrote", "writes",
    "tweeted", "replied", "responded", "countered", "blamed", "blames", "predicted",
    "welcomed", "welcomes", "praised", "praises", "called", "calls", "dismissed",
    "described", "describes", "believes", "according",
))
# Verbs that report a position only in some constructions (checked in _verb_ok).
_WEAK_VERBS = frozenset(("called", "calls", "dismissed", "described", "describes",
                         "according", "welcomed", "welcomes", "tell", "say"))
# group 1: the end punctuation (with closing quotes); the match also eats the space after it
_SENTENCE_END = re.compile(r"([.!?\u2026]+[\"'\u201d\u2019\u00bb\u201c)]*)(?:\s+|$)|\n\s*")
_ABBREV = re.compile(r"(?:(?<![\w.])[A-Z]|Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|St|Jr|Sr|vs|etc|No"
                     r"|Rep|Sen|Gov|Amb|Capt|Maj|Adm|[A-Z]\.[A-Z])\.$")
MIN_QUOTE_WORDS = 4


@dataclass(slots=True)
class ClaimCandidate:
    """A span that probably reports a position, with the speaker if one is known."""

    start: int
    end: int
    text: str
    claimant_id: int | None
    reason: str  # "quote" or "verb:<verb>"


def sentences(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence, trimmed; a line break always ends a sentence."""
    out: list[tuple[int, int]] = []
    append = out.append
    start = len(text) - len(text.lstrip())
    for m in _SENTENCE_END.finditer(text):
        end = m.end(1)
        if end == -1:  # a line break
            end = m.start()
            while end > start and text[end - 1].isspace():
                end -= 1
        elif text[m.start()] == "." and _ABBREV.search(text, max(start, m.start() - 5),
                                                        m.start() + 1):
            continue
        if end > start:
            append((start, end))
        start = m.end()
    end = len(text.rstrip())
    if end > start:
        append((start, end))
    return out


def quotations(text: str) -> list[tuple[int, int]]:
    """Content spans ``[start, end)`` of quotations, marks and edge punctuation excluded."""
    out: list[tuple[int, int]] = []
    for m in _QUOTE.finditer(text):
        g = m.lastindex or 0
        s, e = m.span(g)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1] in " ,.\u00a0":
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _verb_ok(tok: Tokens, i: int) -> bool:
    word = tok.words[i]
    if word not in _WEAK_VERBS:
        return True
    nxt = tok.words[i + 1] if i + 1 < len(tok.words) else ""
    if word == "according":
        return nxt == "to"
    if word in ("called", "calls"):
        return nxt in ("for", "on")
    if word in ("welcomed", "welcomes"):
        return nxt in ("the", "a", "an", "this", "that")
    if word in ("tell", "say"):
        return False
    # dismissed/described … as …
    return "as" in tok.words[i + 1:i + 6] or "that" in tok.words[i + 1:i + 3]


def claim_candidates(text: str, actors: Sequence[tuple[int, int, int]],
                     tokens: Tokens | None = None) -> list[ClaimCandidate]:
    """Sentence-level reported-speech candidates.

    ``actors`` are ``(start, end, actor_id)`` of known actor occurrences (mentions
    and actor suggestions), used to pre-fill the claimant. A quotation of at least
    :data:`MIN_QUOTE_WORDS` words is a candidate on its own (shorter ones are
    scare quotes); a sentence with a reporting verb and no long quotation is a
    candidate as a whole.
    """
    tok = tokens if tokens is not None and tokens.text is text else Tokens(text)
    occ = sorted(actors)
    occ_starts = [o[0] for o in occ]
    quotes = [q for q in quotations(text)
              if text.count(" ", q[0], q[1]) + 1 >= MIN_QUOTE_WORDS]
    words = tok.words
    verb_idx = [i for i in compress(range(len(words)), map(REPORTING_VERBS.__contains__, words))
                if words[i] not in _WEAK_VERBS or _verb_ok(tok, i)]
    offsets = tok.offsets
    if tok.fmap:
        original = tok.fmap.original
        verb_starts = [original(offsets[2 * i]) for i in verb_idx]
    else:
        verb_starts = [offsets[2 * i] for i in verb_idx]
    quote_starts = [q[0] for q in quotes]
    out: list[ClaimCandidate] = []
    last_quote: tuple[int, int] | None = None
    for s, e in sentences(text):
        q_lo = bisect_left(quote_starts, s)
        q_hi = bisect_left(quote_starts, e)
        if q_hi > q_lo:
            here = _between(occ, occ_starts, s, e)
            for qs, qe in quotes[q_lo:q_hi]:
                speaker = _quote_speaker(text, s, qs, qe, here, occ, occ_starts)
                out.append(ClaimCandidate(qs, qe, text[qs:qe], speaker, "quote"))
                last_quote = (qs, qe)
            continue
        if last_quote is not None and last_quote[0] < s < last_quote[1]:
            continue  # a sentence inside a multi-sentence quotation already offered
        v = bisect_left(verb_starts, s)
        if v >= len(verb_idx) or verb_starts[v] >= e:
            continue
        i = verb_idx[v]
        word = words[i]
        vs, ve = tok.span(i, i + 1 if word == "according" else i)
        speaker = _verb_speaker(text, vs, ve, word, _between(occ, occ_starts, s, e))
        out.append(ClaimCandidate(s, e, text[s:e], speaker, f"verb:{word}"))
    return out


def _has_verb(segment: str) -> bool:
    return any(w in REPORTING_VERBS for w in _WORD.findall(segment.lower()))


def _between(occ: Sequence[tuple[int, int, int]], starts: Sequence[int], s: int,
             e: int) -> list[tuple[int, int, int]]:
    return [o for o in occ[bisect_left(starts, s):bisect_left(starts, e)] if o[1] <= e]


def _verb_speaker(text: str, vs: int, ve: int, word: str,
                  here: Sequence[tuple[int, int, int]]) -> int | None:
    if not here:
        return None
    after = [o for o in here if o[0] >= ve]
    if word == "according":
        return after[0][2] if after and after[0][0] - ve <= 40 else None
    # the subject: the nearest actor before the verb, within a few words
    before = [o for o in here if o[1] <= vs]
    if before and text.count(" ", before[-1][1], vs) <= 6:
        return before[-1][2]
    # inverted: ", said Kurti"
    if after and text.count(" ", ve, after[0][0]) <= 3:
        return after[0][2]
    if before:
        return before[-1][2]
    return None


def _quote_speaker(text: str, s: int, qs: int, qe: int, here: Sequence[tuple[int, int, int]],
                   occ: Sequence[tuple[int, int, int]], starts: Sequence[int]) -> int | None:
    outside = [o for o in here if not (qs <= o[0] and o[1] <= qe)]
    after = [o for o in outside if o[0] >= qe]
    before = [o for o in outside if o[1] <= qs]
    near_after = after and text.count(" ", qe, after[0][0]) <= 4
    # “…,” Kurti said. / “…,” said Kurti. — attribution right after the quote
    if near_after and _has_verb(text[qe:after[0][1] + 25]):
        return after[0][2]
    # Kurti said: “…” — speaker and verb right before it
    if before and _has_verb(text[before[-1][0]:qs]):
        return before[-1][2]
    if near_after:
        return after[0][2]
    if before:
        return before[-1][2]
    if after:
        return after[0][2]
    # “…,” he said. — the last actor named before this sentence in the paragraph
    para_start = text.rfind("\n", 0, s) + 1
    k = bisect_left(starts, s)
    while k > 0:
        k -= 1
        o = occ[k]
        if o[0] < para_start:
            break
        if o[1] <= s:
            return o[2]
    return None


def overlap_ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two spans as a share of the shorter one."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


__all__ = [
    "ActorHit",
    "ActorMatcher",
    "Tokens",
    "ClaimCandidate",
    "claim_candidates",
    "fast_fold",
    "overlap_ratio",
    "quotations",
    "sentences",
    "surface_tokens",
    "uncovered",
]
