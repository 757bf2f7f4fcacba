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
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress

from stancemark.analysis import cues
from stancemark.core.text import fold, fold_char

_WORD = re.compile(r"\w+")
# What may separate the words of a multi-word name in running text ("Al-Assad", "U. S.").
_GAP_OK = re.compile(r"[ \u00a0\-\u2010\u2011.'\u2019]{1,3}")
# A leading article is not part of a longer name: "the Serbian President" matches
# "Serbian President"; a short one keeps it ("the Front" must not match "front").
_LEADING_ARTICLES = ("the",)


# -- folding and tokens ---------------------------------------------------------------------

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_SPLIT = re.compile(r"([^\x00-\x7f])")
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
    # bytes beyond one per character: at least one per non-ASCII character, at most three
    if (len(text.encode("utf-8", "surrogatepass")) - len(text)) * 5 < len(text):
        # mostly ASCII: split the rare characters out, replace them, join (one scan)
        parts = _NON_ASCII_SPLIT.split(text)
        rare = parts[1::2]
        table = {ch: fold_char(ch) for ch in set(rare)}
        irregular = {ch for ch, f in table.items() if len(f) != 1}
        if irregular:
            starts = list(accumulate(map(len, parts), initial=0))
            for k in range(1, len(parts), 2):
                if parts[k] in irregular:
                    fmap.add(starts[k], len(table[parts[k]]))
        parts[1::2] = [table[ch] for ch in rare]
        return "".join(parts).lower(), fmap
    # mostly non-Latin script: one translate pass is cheaper than splitting at each letter
    table = {ch: fold_char(ch) for ch in set(_NON_ASCII.findall(text))}
    folded = text.translate({ord(k): v for k, v in table.items()}).lower()
    irregular_chars = "".join(ch for ch, f in table.items() if len(f) != 1)
    if irregular_chars:
        for m in re.finditer("[" + re.escape(irregular_chars) + "]", text):
            fmap.add(m.start(), len(table[m.group()]))
    return folded, fmap


class Tokens:
    """A text folded and split into words, with offsets back into the original text.

    ``words[i]`` spans ``offsets[2 * i]``…``offsets[2 * i + 1]`` of ``folded``, and
    ``gaps[i]`` is the folded text between word ``i`` and word ``i + 1``.
    """

    __slots__ = ("text", "folded", "fmap", "words", "gaps", "offsets", "_original")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, self.fmap = fast_fold(text)
        parts = _SPLIT.split(self.folded)
        self.words = parts[0::2]
        self.gaps = parts[1::2]
        self.offsets = list(accumulate(map(len, parts), initial=0))
        # None when folding kept every offset (asked thousands of times: no __bool__ call)
        self._original = self.fmap.original if self.fmap else None

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Original-text ``[start, end)`` of words ``first``…``last`` (inclusive)."""
        fs, fe = self.offsets[2 * first], self.offsets[2 * last + 1]
        original = self._original
        if original is None:
            return fs, fe
        text = self.text
        start, end = original(fs), original(fe - 1) + 1
        # keep combining marks that belong to the last character (none is below U+0300)
        while end < len(text) and text[end] >= "\u0300" and unicodedata.combining(text[end]):
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
        self.persons = frozenset(people)  # which actors are persons: "he said" wants one
        for entry in by_tokens.values():
            entry.place_alias = not entry.is_name and not people.intersection(entry.actor_ids)
        # first token -> entries, longest first, so the first that fits is the longest match
        self._first: dict[str, list[_Entry]] = {}
        for entry in by_tokens.values():
            self._first.setdefault(entry.tokens[0], []).append(entry)
        for entries in self._first.values():
            entries.sort(key=lambda e: -len(e.tokens))
        # first tokens that are whole names, and the second tokens of the longer names:
        # "the" opens hundreds of places in a text but a name ("The Herald") at few
        self._whole = frozenset(e.tokens[0] for e in by_tokens.values() if len(e.tokens) == 1)
        self._second: dict[str, frozenset[str]] = {
            first: frozenset(e.tokens[1] for e in entries if len(e.tokens) > 1)
            for first, entries in self._first.items()}
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
        first, whole, second = self._first, self._whole, self._second
        hits: list[ActorHit] = []
        n = len(words)
        skip_to = 0
        for i in compress(range(n), map(first.__contains__, words)):
            if i < skip_to:
                continue
            if words[i] not in whole and (i + 1 == n or words[i + 1] not in second[words[i]]):
                continue
            matched: _Entry | None = None
            for entry in first[words[i]]:
                k = len(entry.tokens)
                if k == 1:
                    matched = entry
                    break
                if i + k > n or tuple(words[i:i + k]) != entry.tokens:
                    continue
                if (gaps[i] == " " or _GAP_OK.fullmatch(gaps[i])) if k == 2 else all(
                        g == " " or _GAP_OK.fullmatch(g) for g in gaps[i:i + k - 1]):
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
    if not spans and not gone:  # an article not tagged yet: every hit is free
        return list(hits)
    out: list[ActorHit] = []
    starts = [s for s, _ in spans]
    max_end_before: list[int] = []
    best = -1
    for _, e in spans:
        if e > best:
            best = e
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

#: Every word that may mark reported speech, in any of our languages (see :mod:`.cues`).
REPORTING_VERBS = cues.ALL_CUES
# group 1: the end punctuation (with closing quotes); the match also eats the space after it
# (the look-ahead lets the scanner skip to the next candidate character)
_SENTENCE_END = re.compile(r"(?=[.!?\u2026\n])(?:([.!?\u2026]+[\"'\u201d\u2019\u00bb\u201c)]*)"
                           r"(?:\s+|$)|\n\s*)")
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "St", "Jr", "Sr",
                  "vs", "etc", "No", "Rep", "Sen", "Gov", "Amb", "Capt", "Maj", "Adm")
_ABBREV = re.compile(r"(?:(?<![\w.])[A-Z]|" + "|".join(_ABBREVIATIONS) + r"|[A-Z]\.[A-Z])\.$")
# what the text before a full stop must end with for _ABBREV to match (checked first: cheaper)
_ABBREV_ENDINGS = (*_ABBREVIATIONS, *"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
MIN_QUOTE_WORDS = 4
# A paragraph that opens with a speaker label: "PENCE: …", "Frage: …", "Kurti: …", "Q : …".
_NEWLINE = re.compile("\n")
_LABEL = re.compile(r"[ \t]*([^\W\d_][^\n:]{0,40}?)[ \t\u00a0]?:[ \t\u00a0]+(?=\S)", re.M)
# An op-ed's byline: "By Nadia Farrell", "Von …", "Par …", "Пише …", "Автор — …".
_BYLINE = re.compile(r"^[ \t]*(?:By|Von|Par|Пише|Piše|Pise|Автор\s*[\u2014\u2013-])[ \t]+"
                     r"([^\W\d_][^\n]{0,60})$", re.M)
# Cues that name their source after them ("according to X", "selon X", "по словам X").
_SOURCE_FIRST = frozenset(fold(w) for w in
                          "according selon laut angaben словам данным мнению prema према apres"
                          .split())
_POSSESSIVES = frozenset(fold(w) for w in
                         "his her its their seinen seiner ihren ihrer son sa ses leur его её ее "
                         "их njegovim njenim njihovim његовим њеним њиховим".split())
_NOT_SOURCES = frozenset(("plan", "schedule", "rules", "law", "tradition", "custom"))
_AUXILIARIES = frozenset(fold(w) for w in
                         "t je a ont est sont hat haben ist has have had is was also auch "
                         "aussi je su".split())
_DETERMINERS = frozenset(("the", "a", "an", "this", "that", "ein", "eine", "der", "die", "das",
                          "den", "dem", "des", "le", "la", "les", "l", "un", "une"))


@dataclass(slots=True)
class ClaimCandidate:
    """A span that probably reports a position, with the speaker if one is known."""

    start: int
    end: int
    text: str
    claimant_id: int | None
    # why it was offered: "quote", "quote (split)", "verb:said", "label:PENCE", "byline:…",
    # then how the speaker was found when not by name: "; speaker: 'he' → nearest person"
    reason: str


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
        elif text[m.start()] == "." and text.endswith(
                _ABBREV_ENDINGS, max(start, m.start() - 5), m.start()) and _ABBREV.search(
                text, max(start, m.start() - 5), m.start() + 1):
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


def cue_ok(tok: Tokens, i: int) -> bool:
    """Whether word ``i`` (a cue of :mod:`.cues`) reports speech where it stands."""
    words = tok.words
    word = words[i]
    if word in cues.STRONG:
        return True
    n = len(words)
    prev = words[i - 1] if i else ""
    nxt = words[i + 1] if i + 1 < n else ""
    if word == "according":  # "according to Quill", not "according to plan"
        return nxt == "to" and (words[i + 2] if i + 2 < n else "") not in _NOT_SOURCES
    if word in ("called", "calls"):
        return nxt in ("for", "on")
    if word in ("welcomed", "welcomes"):
        return nxt in _DETERMINERS
    if word in ("dismissed", "described", "describes"):
        return "as" in words[i + 1:i + 6] or "that" in words[i + 1:i + 3]
    if word in ("zeigt", "zeigte", "zeigen") and nxt == "sich":  # zeigte sich enttäuscht
        return True
    if word in ("found", "finds", "find", "showed", "shows", "show", "zeigt", "zeigte",
                "zeigen"):
        # the poll may stand ten words before: "wie eine Erhebung des Instituts X im
        # Auftrag der Y zeigt"
        return (nxt in ("that", "dass") or
                any(cues.is_study(w) for w in words[max(0, i - 10):i]))
    if word in ("learned", "learnt"):
        return prev in ("has", "have", "had")
    if word in ("reports", "posted"):
        return "that" in words[i + 1:i + 7]
    if word == "thinks":
        return True
    if word == "so":  # „…“, so ein Sprecher — a comma before, a speaker after
        return "," in tok.gaps[i - 1] if i else False
    if word == "laut":  # "laut Seidel", "laut einer Umfrage" — not "laut schreien"
        if i + 1 >= n:
            return False
        s, _ = tok.span(i + 1, i + 1)
        return tok.text[s:s + 1].isupper() or nxt in _DETERMINERS or nxt in ("einer", "einem")
    if word in ("zufolge", "demnach"):
        return True
    if word == "hiess":  # hieß es
        return "es" in (prev, nxt)
    if word == "selon":
        return True
    if word in ("rejected", "rejects"):  # "rejected the claim as …", not "rejected that."
        return any(w in ("as", "saying", "claims", "claim", "accusations")
                   for w in words[i + 1:i + 9])
    if word == "angaben":  # nach Angaben von …
        return prev == "nach"
    if word == "apres":  # d'après
        return prev == "d"
    if word == "savoir":  # a fait savoir
        return prev == "fait"
    if word == "appele":
        return nxt == "a"
    if word in ("словам", "данным", "мнению"):  # по словам, по его словам
        return prev == "по" or (i >= 2 and prev in _POSSESSIVES and words[i - 2] == "по")
    if word in ("prema", "према"):
        return any(w in cues.SOURCE_NOUNS for w in words[i + 1:i + 4]) or (
            i + 1 < n and tok.text[tok.span(i + 1, i + 1)[0]].isupper())
    return False


class _Context:
    """What the speaker rules look at: the text, its words, known actors and their types."""

    __slots__ = ("text", "tok", "occ", "starts", "persons", "cue_idx", "cue_starts",
                 "near_study")

    def __init__(self, text: str, tok: Tokens, occ: list[tuple[int, int, int]],
                 persons: Container[int] | None) -> None:
        self.text = text
        self.tok = tok
        self.occ = occ
        self.starts = [o[0] for o in occ]
        self.persons = persons
        self.near_study: dict[int, bool] = {}  # occurrence index -> named beside a poll word
        words = tok.words
        self.cue_idx = [i for i in compress(range(len(words)),
                                            map(cues.ALL_CUES.__contains__, words))
                        if cue_ok(tok, i)]
        offsets = tok.offsets
        if tok.fmap:
            original = tok.fmap.original
            self.cue_starts = [original(offsets[2 * i]) for i in self.cue_idx]
        else:
            self.cue_starts = [offsets[2 * i] for i in self.cue_idx]

    def between(self, s: int, e: int) -> list[tuple[int, int, int]]:
        return [o for o in self.occ[bisect_left(self.starts, s):bisect_left(self.starts, e)]
                if o[1] <= e]

    def cues_in(self, s: int, e: int) -> list[int]:
        """Word indices of the cues that start in ``[s, e)``."""
        return self.cue_idx[bisect_left(self.cue_starts, s):bisect_left(self.cue_starts, e)]

    def fits(self, actor_id: int, want: str) -> bool:
        if self.persons is None or want == "any":
            return True
        return (actor_id in self.persons) == (want == "person")

    def back(self, pos: int, want: str, reach: int = 2500, role: str = "") -> int | None:
        """The nearest actor named before ``pos`` that fits ``want`` (person/org/any).

        With a ``role`` noun ("agency", "union"), an actor whose name holds it wins
        over a nearer one: "the agency said" is the Maritime Safety Agency.
        """
        k = bisect_left(self.starts, pos)
        nearest = None
        while k > 0:
            k -= 1
            o = self.occ[k]
            if o[0] < pos - reach:
                break
            if o[1] <= pos and self.fits(o[2], want):
                if not role:
                    return o[2]
                if role in fast_fold(self.text[o[0]:o[1]])[0].split():
                    return o[2]
                if nearest is None:
                    nearest = o[2]
        return nearest

    def ahead(self, pos: int, want: str, reach: int = 600) -> int | None:
        """The first actor named after ``pos`` that fits ``want``."""
        for o in self.occ[bisect_left(self.starts, pos):]:
            if o[0] > pos + reach:
                break
            if self.fits(o[2], want):
                return o[2]
        return None


def _subject(words: list[str], i: int) -> tuple[str, str] | None:
    """A pronoun, role noun or unnamed source next to cue ``i``: (what it wants, the word)."""
    n = len(words)
    near = [words[i - 1] if i else "", words[i + 1] if i + 1 < n else ""]
    if near[1] in _DETERMINERS and i + 2 < n:  # "sagte eine Sprecherin"
        near.append(words[i + 2])
    if near[1] == "je" and i + 2 < n:  # "naveo je on"
        near.append(words[i + 2])
    if i >= 2 and near[0] in _AUXILIARIES:  # "a-t-il dit", "il a estimé", "he has said"
        near.append(words[i - 2])
        if i >= 3 and words[i - 2] in _AUXILIARIES:  # "elle a-t-elle", "he has also"
            near.append(words[i - 3])
    for w in near:
        if w in cues.ANONYMOUS_SOURCES:
            return "anon", w
        if w in cues.PRONOUNS:
            return ("any" if w in ("they", "sie", "ils", "elles", "они", "oni") else "person"), w
        if w in cues.PERSON_ROLES:
            return "person", w
        if w in cues.ORG_ROLES:
            return "org", w
    return None


def _resolve(ctx: _Context, i: int, pos: int) -> tuple[bool, int | None, str]:
    """Speaker from the words next to cue ``i``: (decided, actor, how) — for the reason."""
    sub = _subject(ctx.tok.words, i)
    if sub is None:
        return False, None, ""
    want, word = sub
    if want == "anon":
        return True, None, f"; speaker: unnamed ('{word}')"
    found = ctx.back(pos, want, role=word if word in cues.ORG_ROLES else "")
    kind = {"person": "person", "org": "organisation", "any": "actor"}[want]
    return found is not None, found, f"; speaker: '{word}' \u2192 nearest {kind} named before"


def claim_candidates(text: str, actors: Sequence[tuple[int, int, int]],
                     tokens: Tokens | None = None, *,
                     persons: Container[int] | None = None) -> list[ClaimCandidate]:
    """Reported-speech candidates, each with a speaker guess and the reason it was offered.

    ``actors`` are ``(start, end, actor_id)`` of known actor occurrences (mentions
    and actor suggestions), used to pre-fill the claimant; ``persons`` (if given)
    says which of them are persons, so "he said" looks for a person and "the
    company said" for an organisation. The rules, in order:

    - a paragraph that opens with a speaker label ("PENCE: …", "Frage: …", a headline
      "Kurti: …") is one claim by that speaker;
    - a quotation of at least :data:`MIN_QUOTE_WORDS` words is a claim (shorter ones are
      scare quotes); one split around its attribution ("“…,” said X, “…”") is one claim;
    - a sentence with a reporting cue of :mod:`.cues` and no long quotation is a claim,
      and so is a German sentence in Konjunktiv I right after one;
    - in an op-ed (a byline "By X" opens it), every other sentence of some length is
      the author's claim.
    """
    tok = tokens if tokens is not None and tokens.text is text else Tokens(text)
    ctx = _Context(text, tok, sorted(actors), persons)
    words = tok.words
    quotes = [q for q in quotations(text)
              if text.count(" ", q[0], q[1]) + 1 >= MIN_QUOTE_WORDS]
    quote_starts = [q[0] for q in quotes]
    taken = _labelled(ctx)  # paragraph start -> (end, candidate)
    taken_starts = sorted(taken)
    author, byline = _byline(ctx)
    out: list[ClaimCandidate] = []
    sentence_end: dict[int, int] = {}  # quote candidate start -> end of its sentence
    last_quote: tuple[int, int] | None = None
    prev: ClaimCandidate | None = None  # the candidate of the previous sentence, if any
    emitted: set[int] = set()
    for s, e in sentences(text):
        k = bisect_right(taken_starts, s) - 1 if taken_starts else -1
        if k >= 0 and s < taken[taken_starts[k]][0]:
            para = taken_starts[k]
            if para not in emitted:
                emitted.add(para)
                out.append(taken[para][1])
            prev = None
            continue
        if byline is not None and byline[0] <= s < byline[1]:
            continue
        q_lo = bisect_left(quote_starts, s)
        q_hi = bisect_left(quote_starts, e)
        if q_hi > q_lo:
            for qs, qe in quotes[q_lo:q_hi]:
                speaker, how = _quote_speaker(ctx, s, e, qs, qe)
                cand = ClaimCandidate(qs, qe, text[qs:qe], speaker, "quote" + how)
                out.append(cand)
                sentence_end[qs] = e
                last_quote = (qs, qe)
            prev = out[-1]
            continue
        if last_quote is not None and last_quote[0] < s < last_quote[1]:
            continue  # a sentence inside a multi-sentence quotation already offered
        here = ctx.cues_in(s, e)
        if here:
            i = here[0]
            speaker, how = _verb_speaker(ctx, i, s, e, prev)
            prev = ClaimCandidate(s, e, text[s:e], speaker, f"verb:{words[i]}{how}")
            out.append(prev)
            continue
        if prev is not None and "\n" not in text[prev.end:s] and _konjunktiv(ctx, s, e):
            prev = ClaimCandidate(s, e, text[s:e], prev.claimant_id,
                                  "Konjunktiv I: continues the previous attribution")
            out.append(prev)
            continue
        prev = None
        if byline is not None and text.count(" ", s, e) >= 5 and not (
                author is not None and any(o[2] == author for o in ctx.between(s, e))):
            out.append(ClaimCandidate(s, e, text[s:e], author,
                                      f"byline: the op-ed author's own argument "
                                      f"({text[byline[2]:byline[3]]})"))
    return _merge_split_quotes(ctx, out, sentence_end)


def _labelled(ctx: _Context) -> dict[int, tuple[int, ClaimCandidate]]:
    """Paragraphs that open with a speaker label, each made one candidate."""
    text = ctx.text
    found = []
    # only paragraphs with a colon near their start can open with a label
    for pos in (0, *(m.end() for m in _NEWLINE.finditer(text))):
        colon = text.find(":", pos, pos + 48)
        if colon >= 0 and "\n" not in text[pos:colon]:
            m = _LABEL.match(text, pos)
            if m is not None and len(m.group(1).split()) <= 4:
                found.append(m)
    if not found:
        return {}
    seen: dict[str, int] = {}
    for m in found:
        key = m.group(1).strip()
        seen[key] = seen.get(key, 0) + 1
    out: dict[int, tuple[int, ClaimCandidate]] = {}
    for m in found:
        label = m.group(1).strip()
        ls, le = m.span(1)
        inside = ctx.between(ls, le)
        folded = fold(label)
        speaker: int | None = None
        how = ""
        if inside:
            speaker = inside[-1][2]
        elif folded in cues.INTERVIEWER_LABELS:
            how = " (the interviewer)"
        elif folded in cues.POLL_LABELS:
            speaker = ctx.ahead(m.end(), "org")
            how = " (the pollster named after it)"
        elif not ((sum(c.isalpha() for c in label) >= 2 and label.isupper())
                  or (seen[label] >= 2 and all(w[:1].isupper() for w in label.split()))):
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        cs = m.end()
        while end > cs and text[end - 1].isspace():
            end -= 1
        if end - cs < 3:
            continue
        para = text.rfind("\n", 0, m.start()) + 1
        out[para] = (end, ClaimCandidate(cs, end, text[cs:end], speaker,
                                         f"label:{label}{how}"))
    return out


def _byline(ctx: _Context) -> tuple[int | None, tuple[int, int, int, int] | None]:
    """The author of an op-ed and the byline's paragraph and name spans, if it has one."""
    m = _BYLINE.search(ctx.text, 0, min(len(ctx.text), 400))
    if m is None or len(m.group(1).split()) > 6:
        return None, None
    inside = ctx.between(*m.span(1))
    author = inside[0][2] if inside else None
    return author, (m.start(), m.end(), *m.span(1))


def _konjunktiv(ctx: _Context, s: int, e: int) -> bool:
    tok = ctx.tok
    offsets = tok.offsets
    lo = bisect_left(offsets, s) // 2
    return not cues.KONJUNKTIV.isdisjoint(tok.words[lo:lo + 40])


def _merge_split_quotes(ctx: _Context, cands: list[ClaimCandidate],
                        sentence_end: dict[int, int]) -> list[ClaimCandidate]:
    """Join a quotation split around its attribution: “…,” said X, “…” / “…,” X said. “…”."""
    text = ctx.text
    out: list[ClaimCandidate] = []
    for c in cands:
        p = out[-1] if out else None
        if (p is not None and c.reason.startswith("quote") and p.reason.startswith("quote")
                and c.start in sentence_end and "\n" not in text[p.end:c.start]
                and text.count(" ", p.end, c.start) <= 30
                and ctx.cues_in(p.end, c.start)
                and not ctx.cues_in(c.end, sentence_end[c.start])):
            out[-1] = ClaimCandidate(p.start, c.end, text[p.start:c.end],
                                     p.claimant_id if p.claimant_id is not None
                                     else c.claimant_id,
                                     "quote (split around its attribution)"
                                     + p.reason.removeprefix("quote"))
            sentence_end[p.start] = sentence_end[c.start]
            continue
        out.append(c)
    return out


def _verb_speaker(ctx: _Context, i: int, s: int, e: int,
                  prev: ClaimCandidate | None) -> tuple[int | None, str]:
    tok, text = ctx.tok, ctx.text
    word = tok.words[i]
    vs, ve = tok.span(i, i + 1 if word == "according" else i)
    # the actors of the sentence before the cue and (when asked) after it
    before = ctx.between(s, vs)

    def after() -> list[tuple[int, int, int]]:
        return ctx.between(ve, e)

    if word == "demnach" and prev is not None:
        return prev.claimant_id, "; speaker: the previous attribution's"
    if word in _SOURCE_FIRST:
        nxt = tok.words[i + 1] if i + 1 < len(tok.words) else ""
        if i and tok.words[i - 1] in _POSSESSIVES:  # по его словам
            nxt = tok.words[i - 1]
        if nxt in _POSSESSIVES or (word == "prema" and tok.words[i + 1:i + 2] and
                                   tok.words[i + 1] in _POSSESSIVES):
            return ctx.back(s, "person"), f"; speaker: '{nxt}' \u2192 nearest person named before"
        behind = after()
        if behind and behind[0][0] - ve <= 80:
            return behind[0][2], ""
        role = [w for w in tok.words[i + 1:i + 4] if w not in _DETERMINERS and w != "to"][:1]
        if role and (role[0] in cues.ORG_ROLES or role[0] in cues.PERSON_ROLES):
            want = "org" if role[0] in cues.ORG_ROLES else "person"
            found = ctx.back(s, want, role=role[0] if want == "org" else "")
            return found, f"; speaker: '{role[0]}' \u2192 nearest fitting actor named before"
        if any(cues.is_study(w) for w in tok.words[i + 1:i + 5]):
            return _study_source(ctx, s, e)
        return None, ""
    if word == "zufolge":
        if before and vs - before[-1][1] <= 60:
            return before[-1][2], ""
        return _study_source(ctx, s, e)
    # the subject: an actor right before the verb
    if before and text.count(" ", before[-1][1], vs) <= 2:
        return before[-1][2], ""
    decided, speaker, how = _resolve(ctx, i, s)
    if decided:
        return speaker, how
    if before and text.count(" ", before[-1][1], vs) <= 6:
        return before[-1][2], ""
    # inverted: ", said Kurti", "pokazalo je istraživanje agencije Demoskop"
    behind = after()
    if behind and text.count(" ", ve, behind[0][0]) <= 5:
        return behind[0][2], ""
    if before:
        return before[-1][2], ""
    first = bisect_left(tok.offsets, s) // 2
    if any(cues.is_study(w) for w in tok.words[first:i + 1]):
        return _study_source(ctx, s, e)
    return None, ""


def _study_source(ctx: _Context, s: int, e: int) -> tuple[int | None, str]:
    """Who a poll or study belongs to: the organisation named in it, before it, or after it."""
    for o in ctx.between(s, e):
        if ctx.fits(o[2], "org"):
            return o[2], ""
    found = _pollster(ctx, s)
    if found is None:
        found = ctx.back(s, "org", 1500)
    if found is None:
        found = ctx.ahead(e, "org")
    how = "; speaker: the organisation named nearest to the poll or study"
    return found, how if found is not None else ""


def _pollster(ctx: _Context, pos: int) -> int | None:
    """The nearest organisation before ``pos`` named next to a poll or study word."""
    k = bisect_left(ctx.starts, pos)
    while k > 0:
        k -= 1
        o = ctx.occ[k]
        if o[0] < pos - 2500:
            break
        if o[1] <= pos and ctx.fits(o[2], "org"):
            known = ctx.near_study.get(k)
            if known is not None:
                if known:
                    return o[2]
                continue
            before = ctx.text[max(0, o[0] - 60):o[0]]
            cut = max(before.rfind(c) for c in ".!?\n")
            after = ctx.text[o[1]:o[1] + 30]
            stop = min((x for x in (after.find(c) for c in ".!?\n") if x >= 0), default=30)
            near = before[cut + 1:] + " " + after[:stop]
            ctx.near_study[k] = cues.names_study(fast_fold(near)[0])
            if ctx.near_study[k]:
                return o[2]
    return None


def _has_verb(ctx: _Context, s: int, e: int) -> bool:
    return bool(ctx.cues_in(s, e))


def _quote_speaker(ctx: _Context, s: int, e: int, qs: int,
                   qe: int) -> tuple[int | None, str]:
    text = ctx.text
    here = ctx.between(s, e)
    outside = [o for o in here if not (qs <= o[0] and o[1] <= qe)]
    after = [o for o in outside if o[0] >= qe]
    before = [o for o in outside if o[1] <= qs]
    near_after = after and text.count(" ", qe, after[0][0]) <= 4
    # “…,” Kurti said. / “…,” said Kurti. — attribution right after the quote
    if near_after and _has_verb(ctx, qe, after[0][1] + 25):
        return after[0][2], ""
    # Kurti said: “…” — speaker and verb right before it
    if before and _has_verb(ctx, before[-1][0], qs):
        return before[-1][2], ""
    # “…,” he said. / “…,” the senator said. / “…”, отметила она.
    tail = ctx.cues_in(qe, e) or ctx.cues_in(s, qs)
    if tail:
        decided, speaker, how = _resolve(ctx, tail[0], s)
        if decided:
            return speaker, how
    if near_after:
        return after[0][2], ""
    if before:
        return before[-1][2], ""
    if after:
        return after[0][2], ""
    # a bare quotation: the speaker named last before it, most often the one still talking
    found = ctx.back(s, "person", 1500)
    return found, "; speaker: nearest person named before" if found is not None else ""



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
    "cue_ok",
    "fast_fold",
    "overlap_ratio",
    "quotations",
    "sentences",
    "surface_tokens",
    "uncovered",
]
