"""Discourse networks from claims: who sides with whom, on what, and when.

Pure functions over plain data (:class:`NetworkInput`), no Qt and no SQL. The
vocabulary follows the Discourse Network Analyzer (DNA), so analysts can move
between the two:

- **affiliation** (two-mode): actor × category; a cell counts the actor's claims
  on the category (``qualifier`` ``ignore``), sums their stances relative to the
  scale's middle (``subtract``: agreement minus disagreement on a −1/+1 scale), or
  codes which directions occur (``combine``: 1 only positive, 2 only negative,
  3 both, +4 if a neutral stance occurs).
- one-mode (actor × actor, or category × category via shared actors):
  **cooccurrence** ``Σ_c n_ac · n_bc`` (stance ignored); **congruence**
  ``Σ_c Σ_k1,k2 n_ac,k1 · n_bc,k2 · (1 − |k1 − k2| / R)``; **conflict** the same with
  ``|k1 − k2| / R``; **subtract** congruence − conflict. ``R`` is the range of the
  codebook's scale, not the range of the stances that happen to occur (DNA uses
  the latter, so one extreme stance changes every tie). The diagonal is 0.

Normalisation: two-mode ``activity`` (row share) and ``prominence`` (column
share); one-mode ``average`` (divide by the mean claim count of the pair),
``jaccard`` (by ``Σ_c`` of the count where only one of the pair is active and of
the product where both are, so 0/1 data give |A∩B| / |A∪B|) and ``cosine`` (by
the product of the two count vectors' lengths over categories: a true cosine,
where DNA divides by the product of the totals).

One-mode rows are computed on demand, one at a time, so a network of 5,000
actors never holds its 25 million cells at once. Each row is a linear
combination of packed column vectors: Python's big integers carry one 64-bit
field per node, so one multiplication adds a whole column (exact integer
arithmetic; scaled by ``R`` for the stance weights and divided at the end).
"""

from __future__ import annotations

import bisect
import heapq
import math
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import compress, islice, repeat
from operator import mul, truediv
from typing import Any, NamedTuple, overload

from stancemark.core.errors import ValidationError

TYPES = ("affiliation", "cooccurrence", "congruence", "conflict", "subtract")
ONE_MODE = TYPES[1:]
QUALIFIERS = ("ignore", "combine", "subtract")
NORMALIZE_TWO_MODE = ("none", "activity", "prominence")
NORMALIZE_ONE_MODE = ("none", "average", "jaccard", "cosine")
NORMALIZATIONS = ("none", "activity", "prominence", "average", "jaccard", "cosine")
LEVELS = ("actor", "affiliation")
ROLES = ("claimant", "target", "both")
DUPLICATES = ("none", "article", "week", "month", "year")
NODE_KINDS = ("actor", "category")

#: ``combine`` codes of the affiliation network (bits, so a mix is their sum).
COMBINE_POSITIVE, COMBINE_NEGATIVE, COMBINE_NEUTRAL = 1, 2, 4

Row = Sequence[float]


# -- input --------------------------------------------------------------------

class ClaimRecord(NamedTuple):
    """One claim as the networks see it (a tuple: 216,000 of them are made at once)."""

    id: int
    article_id: int
    day: date | None
    claimant: int | None
    target: int | None
    category: str | None
    stance: int | None
    annotator: str


@dataclass(frozen=True, slots=True)
class ActorInfo:
    """An actor: name for labels, type for filters, affiliation for the organisation level."""

    id: int
    name: str
    type: str | None = None
    affiliation: int | None = None


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    """A codebook category; ``parent`` nests it."""

    key: str
    label: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class NetworkInput:
    """Everything a network is computed from; ``scale`` is the codebook's (lowest, highest)."""

    claims: Sequence[ClaimRecord]
    actors: Mapping[int, ActorInfo]
    categories: Mapping[str, CategoryInfo]
    scale: tuple[int, int] = (-2, 2)


@dataclass(frozen=True, slots=True)
class NetworkOptions:
    """What network to compute and from which claims.

    ``nodes`` chooses the one-mode network's nodes: actors (tied by shared
    categories) or categories (tied by shared actors). ``role`` says which actor
    of a claim counts: the claimant, the target, or both (a claim then counts once
    for each). ``level`` ``affiliation`` counts a claim for the actor's affiliation
    (one step: a person's party), an actor without one stands for itself. The
    ``actor_types`` filter applies to the node actor, after that step;
    ``categories`` includes their sub-categories.
    """

    type: str = "cooccurrence"
    nodes: str = "actor"
    qualifier: str = "ignore"
    normalize: str = "none"
    level: str = "actor"
    role: str = "claimant"
    duplicates: str = "none"
    date_from: date | None = None
    date_to: date | None = None
    actor_types: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    annotators: frozenset[str] | None = None
    articles: frozenset[int] | None = None

    def validate(self) -> None:
        """Raise :class:`ValidationError` for a combination that has no meaning."""
        for name, value, allowed in (
                ("type", self.type, TYPES), ("nodes", self.nodes, NODE_KINDS),
                ("qualifier", self.qualifier, QUALIFIERS),
                ("normalize", self.normalize, NORMALIZATIONS), ("level", self.level, LEVELS),
                ("role", self.role, ROLES), ("duplicates", self.duplicates, DUPLICATES)):
            if value not in allowed:
                raise ValidationError(f"Unknown {name} {value!r}.",
                                      f"Use one of: {', '.join(allowed)}.")
        if self.type == "affiliation":
            if self.normalize not in NORMALIZE_TWO_MODE:
                raise ValidationError(
                    f"Normalisation {self.normalize!r} is for one-mode networks.",
                    "Use none, activity or prominence for an affiliation network.")
            if self.qualifier == "combine" and self.normalize != "none":
                raise ValidationError(
                    "Combined stance codes cannot be normalised (the result has no meaning).",
                    "Use --normalize none with --qualifier combine.")
        else:
            if self.normalize not in NORMALIZE_ONE_MODE:
                raise ValidationError(
                    f"Normalisation {self.normalize!r} is for affiliation networks.",
                    "Use none, average, jaccard or cosine for a one-mode network.")
            if self.qualifier != "ignore":
                raise ValidationError(
                    f"--qualifier {self.qualifier} applies to affiliation networks only.",
                    "For one-mode networks the type says how stances count "
                    "(cooccurrence, congruence, conflict, subtract).")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationError(f"The start {self.date_from} is after the end {self.date_to}.")

    @property
    def uses_stance(self) -> bool:
        return self.type in ("congruence", "conflict", "subtract") or (
            self.type == "affiliation" and self.qualifier != "ignore")


@dataclass(frozen=True, slots=True)
class Windows:
    """Time windows: ``size`` days or claims, each window ``step`` after the last.

    ``step`` equal to ``size`` (the default) gives consecutive windows; a smaller
    step gives moving ones. Day windows run from the first claim's date (or the
    ``date_from`` filter) to the last one's (or ``date_to``); claim windows take
    the claims in date order, moving windows only whole ones.
    """

    size: int
    step: int | None = None
    unit: str = "days"

    def validate(self) -> None:
        if self.unit not in ("days", "claims"):
            raise ValidationError(f"Unknown window unit {self.unit!r}.", "Use days or claims.")
        if self.size < 1 or (self.step is not None and self.step < 1):
            raise ValidationError("A time window and its step must be at least 1.")

    @property
    def stride(self) -> int:
        return self.step or self.size


# -- output -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Node:
    """A node: ``id`` is stable across windows (``a12``, ``c:security``)."""

    id: str
    label: str
    kind: str  # "actor" or "category"
    type: str | None  # the actor's type, or the category's parent key
    claims: int  # how many claims count for it in this network


@dataclass
class Network:
    """One network: row and column nodes and the cell values (see the module text).

    For a one-mode network ``cols`` is ``rows`` and rows are computed when asked
    for; :meth:`row` returns a sequence of ``len(cols)`` numbers. ``integer`` says
    every value is a whole number (no normalisation, no fractional stance weight).
    """

    type: str
    options: NetworkOptions
    rows: list[Node]
    cols: list[Node]
    claims: int
    skipped: dict[str, int]
    integer: bool
    start: date | None = None  # window bounds, start inclusive
    end: date | None = None  # end exclusive
    _row: Callable[[int], Row] = field(default=lambda i: [], repr=False)

    @property
    def one_mode(self) -> bool:
        return self.type != "affiliation"

    def row(self, i: int) -> Row:
        return self._row(i)

    def iter_rows(self) -> Iterator[tuple[Node, Row]]:
        for i, node in enumerate(self.rows):
            yield node, self._row(i)

    def cell(self, i: int, j: int) -> float:
        return self._row(i)[j]

    def matrix(self) -> list[list[float]]:
        """All cells (small networks: tests, charts)."""
        return [list(self._row(i)) for i in range(len(self.rows))]

    def edges(self) -> Iterator[tuple[int, int, float]]:
        """Non-zero cells as (row, column, value); one-mode: each pair once (row < column)."""
        for i in range(len(self.rows)):
            r = self._row(i)
            start = i + 1 if self.one_mode else 0
            for j in compress(range(start, len(r)), islice(r, start, None)):
                yield i, j, r[j]

    def labelled(self) -> dict[str, dict[str, float]]:
        """``{row label: {column label: value}}`` with zeros left out (tests, small views)."""
        out: dict[str, dict[str, float]] = {}
        for i, node in enumerate(self.rows):
            r = self._row(i)
            out[node.label] = {self.cols[j].label: v for j, v in enumerate(r) if v}
        return out


# -- selecting claims ---------------------------------------------------------

class _Obs(NamedTuple):
    actor: int
    category: str
    stance: int | None
    day: date | None
    article: int
    claim: int


def _descendants(categories: Mapping[str, CategoryInfo], keys: frozenset[str]) -> set[str]:
    children: dict[str | None, list[str]] = defaultdict(list)
    for cat in categories.values():
        children[cat.parent].append(cat.key)
    out: set[str] = set()
    todo = list(keys)
    while todo:
        key = todo.pop()
        if key not in out:
            out.add(key)
            todo.extend(children.get(key, ()))
    return out


def select(data: NetworkInput, opts: NetworkOptions,
           skipped: Counter[str] | None = None) -> list[_Obs]:
    """The claims (one per counted actor) that the filters keep; ``skipped`` counts the rest."""
    skipped = skipped if skipped is not None else Counter()
    low, high = data.scale
    cats = _descendants(data.categories, opts.categories) if opts.categories else None
    actors = data.actors
    needs_stance = opts.uses_stance
    dated_only = opts.date_from is not None or opts.date_to is not None
    out: list[_Obs] = []
    for c in data.claims:
        if opts.annotators is not None and c.annotator not in opts.annotators:
            skipped["annotator filter"] += 1
            continue
        if opts.articles is not None and c.article_id not in opts.articles:
            skipped["article filter"] += 1
            continue
        if dated_only:
            if c.day is None or (opts.date_from and c.day < opts.date_from) or (
                    opts.date_to and c.day > opts.date_to):
                skipped["date filter"] += 1
                continue
        if c.category is None:
            skipped["no category"] += 1
            continue
        if cats is not None and c.category not in cats:
            skipped["category filter"] += 1
            continue
        if needs_stance:
            if c.stance is None:
                skipped["no stance"] += 1
                continue
            if not low <= c.stance <= high:
                skipped["stance off the scale"] += 1
                continue
        if opts.role == "claimant":
            who: tuple[int | None, ...] = (c.claimant,)
        elif opts.role == "target":
            who = (c.target,)
        else:
            who = (c.claimant, c.target) if c.target != c.claimant else (c.claimant,)
        kept = False
        for actor in who:
            if actor is None:
                continue
            if opts.level == "affiliation":
                info = actors.get(actor)
                if info is not None and info.affiliation is not None:
                    actor = info.affiliation
            if opts.actor_types is not None:
                info = actors.get(actor)
                if info is None or info.type not in opts.actor_types:
                    continue
            out.append(_Obs(actor, c.category, c.stance, c.day, c.article_id, c.id))
            kept = True
        if not kept:
            who_word = "claimant or target" if opts.role == "both" else opts.role
            skipped[f"no {who_word}" if opts.actor_types is None
                    else f"no {who_word} of the chosen types"] += 1
    return out


def _period(obs: _Obs, how: str) -> object:
    if how == "article":
        return obs.article
    d = obs.day
    if d is None:
        return ("article", obs.article)  # undated: one per article is all we can say
    if how == "week":
        return d.isocalendar()[:2]
    if how == "month":
        return (d.year, d.month)
    return d.year


def deduplicate(obs: Sequence[_Obs], how: str, stance: bool) -> list[_Obs]:
    """Keep the first of identical claims (actor, category, stance) per article/week/month/year."""
    if how == "none":
        return list(obs)
    seen: set[tuple[object, ...]] = set()
    out = []
    for o in sorted(obs, key=lambda o: (o.day or date.min, o.claim)):
        key = (o.actor, o.category, o.stance if stance else None, _period(o, how))
        if key not in seen:
            seen.add(key)
            out.append(o)
    return out


# -- building -----------------------------------------------------------------

def build_network(data: NetworkInput, opts: NetworkOptions) -> Network:
    """The network of all claims the options keep."""
    opts.validate()
    _check_inputs(data, opts)
    skipped: Counter[str] = Counter()
    obs = select(data, opts, skipped)
    net = _from_obs(data, opts, deduplicate(obs, opts.duplicates, opts.uses_stance))
    net.skipped = dict(skipped)
    net.start, net.end = opts.date_from, (opts.date_to + timedelta(days=1)
                                          if opts.date_to else None)
    return net


def build_windows(data: NetworkInput, opts: NetworkOptions, windows: Windows) -> list[Network]:
    """One network per time window (see :class:`Windows`); claims without a date are skipped."""
    return list(WindowedNetworks(data, opts, windows))


class WindowedNetworks(Sequence[Network]):
    """The networks of :func:`build_windows`, each built when first asked for.

    The claims are selected and cut into windows at once (what every window needs);
    a window's network is computed on first access and kept, so a view stepping
    through windows pays for the windows it shows, not for all of them up front.
    """

    def __init__(self, data: NetworkInput, opts: NetworkOptions, windows: Windows) -> None:
        opts.validate()
        windows.validate()
        _check_inputs(data, opts)
        skipped: Counter[str] = Counter()
        obs = select(data, opts, skipped)
        undated = {o.claim for o in obs if o.day is None}
        if undated:
            skipped["no date (time windows)"] += len(undated)
        obs = sorted((o for o in obs if o.day is not None), key=lambda o: (o.day, o.claim))
        self._data, self._opts, self._skipped = data, opts, dict(skipped)
        self._slices = list(_slices(obs, opts, windows))
        self._built: dict[int, Network] = {}

    def __len__(self) -> int:
        return len(self._slices)

    def _one(self, i: int) -> Network:
        net = self._built.get(i)
        if net is None:
            start, end, part = self._slices[i]
            net = _from_obs(self._data, self._opts,
                            deduplicate(part, self._opts.duplicates, self._opts.uses_stance))
            net.start, net.end, net.skipped = start, end, dict(self._skipped)
            self._built[i] = net
        return net

    @overload
    def __getitem__(self, i: int) -> Network: ...

    @overload
    def __getitem__(self, i: slice) -> list[Network]: ...

    def __getitem__(self, i: int | slice) -> Network | list[Network]:
        if isinstance(i, slice):
            return [self._one(j) for j in range(len(self))[i]]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._one(i)


def _slices(obs: list[_Obs], opts: NetworkOptions,
            w: Windows) -> Iterator[tuple[date, date, list[_Obs]]]:
    if not obs:
        return
    if w.unit == "days":
        first = opts.date_from or obs[0].day
        last = opts.date_to or obs[-1].day
        assert first is not None and last is not None
        days: list[date] = [o.day for o in obs if o.day is not None]

        t = first
        while t <= last:
            end = t + timedelta(days=w.size)
            lo = bisect.bisect_left(days, t)
            hi = bisect.bisect_left(days, end)
            yield t, end, obs[lo:hi]
            t += timedelta(days=w.stride)
        return
    claims: list[int] = []
    by_claim: dict[int, list[_Obs]] = {}
    for o in obs:
        if o.claim not in by_claim:
            claims.append(o.claim)
            by_claim[o.claim] = []
        by_claim[o.claim].append(o)
    n = len(claims)
    starts = range(0, n, w.stride) if w.stride >= w.size else range(0, max(n - w.size, 0) + 1,
                                                                     w.stride)
    for s in starts:
        chosen = claims[s:s + w.size]
        part = [o for c in chosen for o in by_claim[c]]
        first_day, last_day = part[0].day, part[-1].day
        assert first_day is not None and last_day is not None
        yield first_day, last_day + timedelta(days=1), part


def _check_inputs(data: NetworkInput, opts: NetworkOptions) -> None:
    """Refuse filters that name nothing known (a typo would give an empty network)."""
    unknown = sorted((opts.categories or frozenset()) - set(data.categories))
    if unknown:
        raise ValidationError(f"No category {', '.join(map(repr, unknown))} in the codebook.",
                              "Use category keys: " + ", ".join(sorted(data.categories)) + ".")
    if opts.annotators is not None:
        known = {c.annotator for c in data.claims}
        missing = sorted(opts.annotators - known)
        if missing:
            raise ValidationError(
                f"No claims by {', '.join(map(repr, missing))}.",
                "Annotators with claims: " + (", ".join(sorted(known)) or "none") + ".")
    low, high = data.scale
    if opts.type in ("congruence", "conflict", "subtract") and high <= low:
        raise ValidationError("The codebook's scale has a single value, so stances cannot differ.",
                              "Use a cooccurrence network, or give the scale more values.")


def _actor_node(data: NetworkInput, actor: int, claims: int) -> Node:
    info = data.actors.get(actor)
    return Node(f"a{actor}", info.name if info else f"actor {actor}", "actor",
                info.type if info else None, claims)


def _category_node(data: NetworkInput, key: str, claims: int) -> Node:
    info = data.categories.get(key)
    return Node(f"c:{key}", info.label if info else key, "category",
                info.parent if info else None, claims)


def _from_obs(data: NetworkInput, opts: NetworkOptions, obs: list[_Obs]) -> Network:
    by_actor: Counter[int] = Counter(o.actor for o in obs)
    by_cat: Counter[str] = Counter(o.category for o in obs)
    actor_nodes = sorted((_actor_node(data, a, n) for a, n in by_actor.items()),
                         key=lambda nd: (nd.label.casefold(), nd.id))
    cat_nodes = sorted((_category_node(data, k, n) for k, n in by_cat.items()),
                       key=lambda nd: (nd.label.casefold(), nd.id))
    n_claims = len({o.claim for o in obs})
    if opts.type == "affiliation":
        return _two_mode(data, opts, obs, actor_nodes, cat_nodes, n_claims)
    if opts.nodes == "actor":
        index = {int(nd.id[1:]): i for i, nd in enumerate(actor_nodes)}
        col_index = {nd.id[2:]: j for j, nd in enumerate(cat_nodes)}
        triples = [(index[o.actor], col_index[o.category], o.stance) for o in obs]
        nodes = actor_nodes
    else:
        index_c = {nd.id[2:]: i for i, nd in enumerate(cat_nodes)}
        col_index_a = {int(nd.id[1:]): j for j, nd in enumerate(actor_nodes)}
        triples = [(index_c[o.category], col_index_a[o.actor], o.stance) for o in obs]
        nodes = cat_nodes
    row_fn, integer = _one_mode(len(nodes), triples, opts.type, opts.normalize, data.scale)
    return Network(opts.type, opts, nodes, nodes, n_claims, {}, integer, _row=row_fn)


def _two_mode(data: NetworkInput, opts: NetworkOptions, obs: list[_Obs],
              rows: list[Node], cols: list[Node], n_claims: int) -> Network:
    ri = {int(nd.id[1:]): i for i, nd in enumerate(rows)}
    ci = {nd.id[2:]: j for j, nd in enumerate(cols)}
    low, high = data.scale
    mid = (low + high) / 2
    counts = [[0] * len(cols) for _ in rows]
    values: list[list[float]] = [[0.0] * len(cols) for _ in rows]
    codes = [[0] * len(cols) for _ in rows]
    for o in obs:
        i, j = ri[o.actor], ci[o.category]
        counts[i][j] += 1
        if o.stance is not None:
            values[i][j] += o.stance - mid
            codes[i][j] |= (COMBINE_POSITIVE if o.stance > mid else
                            COMBINE_NEGATIVE if o.stance < mid else COMBINE_NEUTRAL)
    matrix: list[list[float]]
    integer = True
    if opts.qualifier == "ignore":
        matrix = [list(map(float, r)) for r in counts]
    elif opts.qualifier == "subtract":
        matrix = values
        integer = float(mid).is_integer()
    else:
        matrix = [list(map(float, r)) for r in codes]
    if opts.normalize == "activity":
        integer = False
        for i, r in enumerate(matrix):
            total = sum(counts[i])
            matrix[i] = [v / total if total else 0.0 for v in r]
    elif opts.normalize == "prominence":
        integer = False
        totals = [sum(counts[i][j] for i in range(len(rows))) for j in range(len(cols))]
        matrix = [[v / totals[j] if totals[j] else 0.0 for j, v in enumerate(r)]
                  for r in matrix]
    final: list[Any] = [list(map(int, r)) for r in matrix] if integer else matrix
    return Network("affiliation", opts, rows, cols, n_claims, {}, integer,
                   _row=final.__getitem__)


# -- one-mode rows by packed big-integer columns --------------------------------
#
# A field holds a signed value v as v + 2^(8w-1) while packed (no borrow can cross
# fields as long as |v| stays below half the field), and XOR-ing the bias out again
# leaves v in two's complement, which ``array("q")`` reads as it is.

_LITTLE = sys.byteorder == "little"


#: field width in bytes -> (unsigned, signed) array type codes of that size
_CODES = {w: codes for w, codes in ((2, ("H", "h")), (4, ("I", "i")), (8, ("Q", "q")))
          if array(codes[0]).itemsize == w and array(codes[1]).itemsize == w}


def _field_width(bound: int) -> int:
    """Bytes per field so that values up to ``bound`` in size never reach half the field."""
    for width in (2, 4, 8):
        if bound < 1 << (8 * width - 2):
            return width
    return (bound.bit_length() + 2 + 7) // 8


class _Fields:
    """Packing and unpacking ``n`` fields of ``width`` bytes into one integer."""

    def __init__(self, n: int, width: int) -> None:
        self.n = n
        self.width = width
        self.codes = _CODES.get(width)
        self.bias = self.pack([1 << (8 * width - 1)] * n)
        self.ones = self.pack([1] * n)

    def pack(self, values: Sequence[int]) -> int:
        if self.codes:
            arr = array(self.codes[0], values)
            if not _LITTLE:
                arr.byteswap()
            return int.from_bytes(arr.tobytes(), "little")
        return int.from_bytes(b"".join(int(v).to_bytes(self.width, "little") for v in values),
                              "little")

    def unpack(self, packed: int) -> Any:
        """The signed fields of ``packed`` (a sum of packed values) as a sequence."""
        data = ((packed + self.bias) ^ self.bias).to_bytes(self.n * self.width, "little")
        if self.codes:
            out = array(self.codes[1])
            out.frombytes(data)
            if not _LITTLE:
                out.byteswap()
            return out
        w = self.width
        return [int.from_bytes(data[i:i + w], "little", signed=True)
                for i in range(0, len(data), w)]


class _Columns:
    """Packed column vectors, keyed; a row is a weighted sum of some of them."""

    def __init__(self, fields: _Fields) -> None:
        self.fields = fields
        self._lists: dict[Any, list[int]] = {}
        self.packed: dict[Any, int] = {}

    def add(self, key: Any, i: int, value: int) -> None:
        col = self._lists.get(key)
        if col is None:
            col = self._lists[key] = [0] * self.fields.n
        col[i] += value

    def seal(self) -> _Columns:
        self.packed = {k: self.fields.pack(v) for k, v in self._lists.items()}
        self._lists = {}
        return self

    def combine(self, weights: Mapping[Any, int]) -> int:
        acc = 0
        packed = self.packed
        for key, w in weights.items():
            col = packed.get(key)
            if col is not None:
                acc += col if w == 1 else w * col
        return acc


def _one_mode(n: int, triples: list[tuple[int, int, int | None]], kind: str, normalize: str,
              scale: tuple[int, int]) -> tuple[Callable[[int], Row], bool]:
    """Row function of a one-mode network over ``n`` nodes from (row, shared, stance) triples.

    Stance weights are kept as integers scaled by the scale's range ``R``
    (congruence ``R − d``, conflict ``d``, subtract ``R − 2d``) and divided once at
    the end, so sums are exact.
    """
    low, high = scale
    span = high - low
    factor = span if kind != "cooccurrence" else 1
    profile: list[Counter[tuple[int, int | None]]] = [Counter() for _ in range(n)]
    per_col: list[Counter[int]] = [Counter() for _ in range(n)]
    for r, c, k in triples:
        profile[r][(c, k if kind != "cooccurrence" else None)] += 1
        per_col[r][c] += 1
    totals = [sum(pc.values()) for pc in per_col]
    biggest = max(totals, default=0)
    bound = 4 * (biggest * biggest * max(factor, 1) + biggest)  # doubled, plus the norms
    fields = _Fields(n, _field_width(bound))
    stances: list[int | None] = [None]
    if kind != "cooccurrence":
        stances = list(sorted({k for _r, _c, k in triples if k is not None}))

    def weight(k1: int | None, k2: int | None) -> int:
        if k1 is None or k2 is None:
            return 1
        d = abs(k1 - k2)
        return {"congruence": span - d, "conflict": d, "subtract": span - 2 * d}[kind]

    positive, negative = _Columns(fields), _Columns(fields)
    for b in range(n):
        for (c, k2), cnt in profile[b].items():
            for k1 in stances:
                w = weight(k1, k2) * cnt
                if w > 0:
                    positive.add((c, k1), b, w)
                elif w < 0:
                    negative.add((c, k1), b, -w)
    positive.seal()
    negative.seal()
    col_counts = _Columns(fields)
    indicator = _Columns(fields)
    if normalize == "jaccard":
        for b in range(n):
            for c, cnt in per_col[b].items():
                col_counts.add(c, b, cnt)
                indicator.add(c, b, 1)
        col_counts.seal()
        indicator.seal()
    total_pack = fields.pack(totals)
    norms = [math.sqrt(sum(v * v for v in pc.values())) for pc in per_col]
    integer = normalize == "none" and factor == 1

    def raw(i: int) -> int:
        weights = profile[i]
        return positive.combine(weights) - negative.combine(weights)

    def row(i: int) -> Row:
        values: Any
        if normalize == "none":
            values = fields.unpack(raw(i))
            if factor != 1:
                values = list(map(truediv, values, repeat(float(factor))))
        elif normalize == "average":
            # v / (R · (t_i + t_j) / 2)
            den = fields.unpack((total_pack + totals[i] * fields.ones) * factor)
            values = list(map(truediv, fields.unpack(2 * raw(i)), den))
        elif normalize == "jaccard":
            mine = per_col[i]
            den = (total_pack + totals[i] * fields.ones + col_counts.combine(mine)
                   - indicator.combine(mine) - col_counts.combine(dict.fromkeys(mine, 1)))
            values = list(map(truediv, fields.unpack(raw(i)), fields.unpack(den * factor)))
        else:  # cosine
            values = list(map(truediv, fields.unpack(raw(i)),
                              map(mul, norms, repeat(norms[i] * factor))))
        values[i] = 0
        return values  # type: ignore[no-any-return]

    return row, integer


def strengths(net: Network) -> list[float]:
    """Each row node's sum of ties (weighted degree; for subtract, support minus opposition)."""
    return [float(sum(r)) for _node, r in net.iter_rows()]


def top_ties(net: Network, k: int = 20, *, absolute: bool = True) -> list[tuple[Node, Node, float]]:
    """The ``k`` strongest ties, strongest first (by size when ``absolute``, so the
    sharpest conflicts of a subtract network count too); one-mode pairs once."""
    best = heapq.nlargest(k, net.edges(), key=(lambda e: abs(e[2])) if absolute
                          else (lambda e: e[2]))
    return [(net.rows[i], net.cols[j], v) for i, j, v in best]


def ties_among_most_active(net: Network, n: int = 40) -> tuple[list[Node],
                                                                 list[tuple[Node, Node, float]]]:
    """The ``n`` row nodes with most claims, and the ties among them, strongest first.

    Only those ``n`` rows are computed (a view of the network's core never pays for
    a 5,000 × 5,000 matrix); one-mode pairs once.
    """
    order = sorted(range(len(net.rows)), key=lambda i: (-net.rows[i].claims, i))[:n]
    chosen = set(order)
    ties = []
    for i in order:
        row = net.row(i)
        for j in order:
            if (j > i or not net.one_mode) and j in chosen and row[j]:
                ties.append((net.rows[i], net.cols[j], float(row[j])))
    ties.sort(key=lambda t: -abs(t[2]))
    return [net.rows[i] for i in order], ties


def ties_among(net: Network, ids: Sequence[str]) -> tuple[list[Node],
                                                           list[tuple[Node, Node, float]]]:
    """The row nodes with these ``ids`` (those present in ``net``), and their ties,
    strongest first: a fixed set of actors followed through time windows."""
    where = {node.id: i for i, node in enumerate(net.rows)}
    order = [where[i] for i in ids if i in where]
    ties = []
    for i in order:
        row = net.row(i)
        for j in order:
            if (j > i or not net.one_mode) and row[j]:
                ties.append((net.rows[i], net.cols[j], float(row[j])))
    ties.sort(key=lambda t: -abs(t[2]))
    return [net.rows[i] for i in order], ties


def counted_claims(data: NetworkInput, opts: NetworkOptions, node_id: str,
                   start: date | None = None, end: date | None = None) -> list[int]:
    """The ids of the claims that count for actor node ``node_id`` (``a12``) under
    ``opts``, dated in [start, end) when given: what clicking a node lists."""
    if not node_id.startswith("a") or not node_id[1:].isdigit():
        return []
    actor = int(node_id[1:])
    return sorted({o.claim for o in select(data, opts) if o.actor == actor
                   and (start is None or (o.day is not None and o.day >= start))
                   and (end is None or (o.day is not None and o.day < end))})


def with_options(opts: NetworkOptions, **changes: Any) -> NetworkOptions:
    """A copy of ``opts`` with ``changes`` (the Analysis view switches one setting at a time)."""
    return replace(opts, **changes)
