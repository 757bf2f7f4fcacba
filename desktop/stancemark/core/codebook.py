"""The codebook: actor types, nested claim categories and the scale, with validation.

A codebook travels as JSON (``to_dict``/``from_dict``) so a team can share one;
``from_dict`` names exactly what is wrong with a bad file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from stancemark.core.errors import ValidationError

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")

#: How deep categories may nest (a top-level category is level 1). Real codebooks use two or
#: three levels; the cap keeps every walk up or down the tree short.
MAX_CATEGORY_DEPTH = 8

#: Scale values lie within ±SCALE_LIMIT (a scale is a handful of points, 0–100 at most), so
#: every value fits SQLite's integers and the window's spin boxes.
SCALE_LIMIT = 1000

#: A codebook error lists at most this many problems (a damaged file can have thousands).
_MAX_LISTED = 8


def is_text(value: str) -> bool:
    """True if ``value`` can be stored as UTF-8 (JSON's ``\\ud800`` escapes give strings that
    cannot: lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def problem_list(problems: list[str]) -> str:
    """``a; b; c`` for an error message, cut after a dozen distinct problems."""
    unique = list(dict.fromkeys(problems))
    shown = "; ".join(unique[:_MAX_LISTED])
    if len(unique) > _MAX_LISTED:
        shown += f"; and {len(unique) - _MAX_LISTED} more"
    return shown


@dataclass(slots=True)
class ActorType:
    """A kind of actor (person, organisation, …)."""

    key: str
    label: str
    color: str = "#4e79a7"
    shortcut: str | None = None


@dataclass(slots=True)
class Category:
    """A claim category; ``parent`` names another category's key for nesting."""

    key: str
    label: str
    parent: str | None = None
    description: str = ""
    color: str = "#f28e2b"
    shortcut: str | None = None


@dataclass(slots=True)
class ScalePoint:
    """One value of the stance/sentiment scale."""

    value: int
    label: str
    color: str = "#bab0ac"
    shortcut: str | None = None


@dataclass(slots=True)
class Codebook:
    """The whole codebook of a project."""

    actor_types: list[ActorType] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    scale: list[ScalePoint] = field(default_factory=list)

    def category(self, key: str | None) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)

    def actor_type(self, key: str | None) -> ActorType | None:
        return next((t for t in self.actor_types if t.key == key), None)

    def scale_label(self, value: int | None) -> str:
        if value is None:
            return "—"
        point = next((p for p in self.scale if p.value == value), None)
        return f"{value:+d} {point.label}" if point else f"{value:+d}"

    def category_path(self, key: str | None) -> str:
        """``Parent › Child`` label of a category (its key if unknown, ``—`` for none)."""
        from stancemark.core.categories import CategoryTree  # it reads this module's types

        return CategoryTree(self).path(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor_types": [
                {"key": t.key, "label": t.label, "color": t.color, "shortcut": t.shortcut}
                for t in self.actor_types
            ],
            "categories": [
                {
                    "key": c.key,
                    "label": c.label,
                    "parent": c.parent,
                    "description": c.description,
                    "color": c.color,
                    "shortcut": c.shortcut,
                }
                for c in self.categories
            ],
            "scale": [
                {"value": p.value, "label": p.label, "color": p.color, "shortcut": p.shortcut}
                for p in self.scale
            ],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Codebook:
        """Build and validate a codebook; raise :class:`ValidationError` naming each problem."""
        problems: list[str] = []
        if not isinstance(data, dict):
            raise ValidationError(
                "A codebook must be a JSON object with actor_types, categories and scale.",
                "Export a codebook from Stancemark to see the expected shape.",
            )

        def items(name: str) -> list[dict[str, Any]]:
            value = data.get(name, [])
            if not isinstance(value, list):
                problems.append(f"'{name}' must be a list")
                return []
            out = []
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    problems.append(f"{name}[{i}] must be an object")
                else:
                    out.append(item)
            return out

        def text(item: dict[str, Any], where: str, name: str, default: str | None = None) -> str:
            value = item.get(name, default)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: '{name}' must be a non-empty string")
                return default or ""
            if not is_text(value):
                problems.append(f"{where}: '{name}' holds a lone surrogate (\\ud800-\\udfff), "
                                "which is not text")
                return default or ""
            return value.strip()

        def color(item: dict[str, Any], where: str, default: str) -> str:
            value = item.get("color") or default
            if not isinstance(value, str) or not _COLOR.match(value):
                problems.append(f"{where}: colour {value!r} is not of the form #rrggbb")
                return default
            return value

        def shortcut(item: dict[str, Any], where: str) -> str | None:
            value = item.get("shortcut")
            if value is not None and (not isinstance(value, str) or len(value) > 20
                                      or not is_text(value)):
                problems.append(f"{where}: shortcut must be a short string")
                return None
            return value

        types: list[ActorType] = []
        for i, item in enumerate(items("actor_types")):
            where = f"actor_types[{i}]"
            key = text(item, where, "key")
            if key and not _KEY.match(key):
                problems.append(f"{where}: key {key!r} may hold only a-z, 0-9, _ and -")
            types.append(
                ActorType(key, text(item, where, "label", key), color(item, where, "#4e79a7"),
                          shortcut(item, where))
            )
        cats: list[Category] = []
        for i, item in enumerate(items("categories")):
            where = f"categories[{i}]"
            key = text(item, where, "key")
            if key and not _KEY.match(key):
                problems.append(f"{where}: key {key!r} may hold only a-z, 0-9, _ and -")
            parent = item.get("parent")
            if parent is not None and not isinstance(parent, str):
                problems.append(f"{where}: 'parent' must be a category key or null")
                parent = None
            desc = item.get("description") or ""
            if not isinstance(desc, str) or not is_text(desc):
                problems.append(f"{where}: 'description' must be a string (of text)")
                desc = ""
            cats.append(
                Category(key, text(item, where, "label", key), parent, desc,
                         color(item, where, "#f28e2b"), shortcut(item, where))
            )
        scale: list[ScalePoint] = []
        for i, item in enumerate(items("scale")):
            where = f"scale[{i}]"
            value = item.get("value")
            if not isinstance(value, int) or isinstance(value, bool):
                problems.append(f"{where}: 'value' must be an integer")
                value = 0
            elif not -SCALE_LIMIT <= value <= SCALE_LIMIT:
                problems.append(f"{where}: value {_short_int(value)} is outside "
                                f"-{SCALE_LIMIT}…+{SCALE_LIMIT}")
                value = 0
            scale.append(
                ScalePoint(value, text(item, where, "label"), color(item, where, "#bab0ac"),
                           shortcut(item, where))
            )
        book = cls(types, cats, scale)
        problems.extend(book.problems())
        if problems:
            raise ValidationError(
                "The codebook is not valid: " + problem_list(problems) + ".",
                "Fix these entries and import it again.",
            )
        return book

    def problems(self) -> list[str]:
        """Structural problems: duplicate keys, unknown or cyclic parents, an empty scale."""
        out: list[str] = []
        for name, keys in (
            ("actor type", [t.key for t in self.actor_types]),
            ("category", [c.key for c in self.categories]),
        ):
            dupes = sorted(k for k, n in Counter(keys).items() if n > 1)
            if dupes:
                out.append(f"duplicate {name} key(s): {', '.join(dupes)}")
        values = [p.value for p in self.scale]
        if not values:
            out.append("the scale needs at least one value")
        elif len(set(values)) != len(values):
            out.append("the scale has duplicate values")
        known = {c.key for c in self.categories}
        for c in self.categories:
            if c.parent is not None and c.parent not in known:
                out.append(f"category {c.key!r} has unknown parent {c.parent!r}")
        too_deep: list[tuple[str, int]] = []
        for key, depth in self.category_depths().items():
            if depth is None:
                out.append(f"category {key!r} is part of a parent cycle")
            elif depth > MAX_CATEGORY_DEPTH:
                too_deep.append((key, depth))
        if too_deep:
            key, depth = too_deep[0]
            more = (f" (and {len(too_deep) - 1} more categories below the cap)"
                    if len(too_deep) > 1 else "")
            out.append(f"category {key!r} is nested {depth} levels deep{more}; categories "
                       f"nest at most {MAX_CATEGORY_DEPTH} levels")
        for name, entries in (("actor type", [(t.key, t.shortcut) for t in self.actor_types]),
                              ("category", [(c.key, c.shortcut) for c in self.categories]),
                              ("scale value", [(f"{p.value:+d}", p.shortcut)
                                               for p in self.scale])):
            taken: dict[str, str] = {}
            for key, short in entries:
                if not short:
                    continue
                other = taken.setdefault(short.casefold(), key)
                if other != key:
                    out.append(f"{name} {key} has shortcut {short!r}, which {name} {other} "
                               "already uses")
        return out

    def category_depths(self) -> dict[str, int | None]:
        """Each category's level (top level 1), or None for one on or under a parent cycle.

        Iterative and linear: each category's chain is walked once, however deep.
        """
        parents = {c.key: c.parent for c in self.categories}
        depth: dict[str, int | None] = {}
        for start in parents:
            chain: list[str] = []
            on_chain: set[str] = set()
            node: str | None = start
            base: int | None = 0
            while node is not None and node in parents and node not in depth:
                if node in on_chain:
                    base = None  # a cycle: everything on this chain is on or under it
                    break
                chain.append(node)
                on_chain.add(node)
                node = parents[node]
            else:
                if node is not None and node in depth:
                    base = depth[node]
            for key in reversed(chain):
                base = None if base is None else base + 1
                depth[key] = base
        return depth


@dataclass(slots=True)
class CodebookMerge:
    """The project's codebook with what an incoming one adds, and each addition in words."""

    book: Codebook
    changes: list[str]
    new_types: list[str]
    new_categories: list[str]
    new_scale: list[int]


def merge_codebooks(project: Codebook, incoming: Codebook) -> CodebookMerge:
    """Add ``incoming``'s new actor types, categories and scale points to ``project``.

    Entries present in both must agree (same label; a category also the same
    parent); new entries must not take a shortcut another entry uses, nor make
    the tree too deep. Every disagreement is named in one :class:`ValidationError`;
    nothing is ever changed in place.
    """
    problems: list[str] = []
    types = {t.key: t for t in project.actor_types}
    cats = {c.key: c for c in project.categories}
    points = {p.value: p for p in project.scale}
    add_types: list[ActorType] = []
    add_cats: list[Category] = []
    add_points: list[ScalePoint] = []
    for t in incoming.actor_types:
        mine = types.get(t.key)
        if mine is None:
            add_types.append(t)
        elif mine.label != t.label:
            problems.append(f"actor type {t.key!r} is labelled {mine.label!r} in the project "
                            f"and {t.label!r} in the set")
    for c in incoming.categories:
        old = cats.get(c.key)
        if old is None:
            add_cats.append(c)
            continue
        if old.label != c.label:
            problems.append(f"category {c.key!r} is labelled {old.label!r} in the project "
                            f"and {c.label!r} in the set")
        if old.parent != c.parent:
            problems.append(f"category {c.key!r} is under {old.parent or 'no parent'!r} in "
                            f"the project and under {c.parent or 'no parent'!r} in the set")
    for p in incoming.scale:
        have = points.get(p.value)
        if have is None:
            add_points.append(p)
        elif have.label != p.label:
            problems.append(f"scale value {p.value:+d} is labelled {have.label!r} in the "
                            f"project and {p.label!r} in the set")
    merged = Codebook(project.actor_types + add_types, project.categories + add_cats,
                      sorted(project.scale + add_points, key=lambda p: p.value))
    already = set(project.problems())  # an old project's own flaws are not the set's fault
    problems += [p for p in merged.problems() if p not in already]
    if problems:
        raise ValidationError(
            "the set's codebook does not fit the project's: " + problem_list(problems),
            "Make the two codebooks agree first (stancemark codebook export/import), then "
            "merge again; nothing was merged.")
    changes = [f"new actor type {t.key!r} ({t.label}"
               + (f", shortcut {t.shortcut}" if t.shortcut else "") + ")" for t in add_types]
    changes += [f"new category {c.key!r} ({c.label}"
                + (f", under {c.parent!r}" if c.parent else "")
                + (f", shortcut {c.shortcut}" if c.shortcut else "") + ")" for c in add_cats]
    changes += [f"new scale point {p.value:+d} ({p.label}"
                + (f", shortcut {p.shortcut}" if p.shortcut else "") + ")" for p in add_points]
    return CodebookMerge(merged, changes, [t.key for t in add_types],
                         [c.key for c in add_cats], [p.value for p in add_points])


def _short_int(value: int) -> str:
    """``value`` for a message; a huge one as its size (str() refuses beyond 4,300 digits)."""
    if abs(value) < 10**15:
        return str(value)
    return f"{'-' if value < 0 else ''}(a number of {int(value.bit_length() * 0.30103) + 1} digits)"


def default_codebook() -> Codebook:
    """The codebook a new project starts with: common actor types, media-analysis issues, −2…+2."""
    return Codebook(
        actor_types=[
            ActorType("person", "Person", "#4e79a7", "P"),
            ActorType("organisation", "Organisation", "#59a14f", "O"),
            ActorType("government", "Government / state body", "#76b7b2", "G"),
            ActorType("country", "Country / state", "#9c755f", "C"),
            ActorType("party", "Political party", "#af7aa1", "Y"),
            ActorType("media", "Media outlet", "#edc948", "M"),
            ActorType("group", "Group / population", "#ff9da7", "R"),
        ],
        categories=[
            Category("security", "Security", None, "Military, police, armed conflict", "#e15759",
                     "1"),
            Category("security-military", "Military deployment", "security",
                     "Troops, peacekeepers, bases", "#e15759"),
            Category("security-police", "Policing", "security", "Police presence and action",
                     "#e15759"),
            Category("politics", "Politics", None, "Elections, government, parties", "#4e79a7",
                     "2"),
            Category("diplomacy", "Diplomacy", None, "Relations between states, negotiations",
                     "#76b7b2", "3"),
            Category("rights", "Rights and minorities", None,
                     "Human and minority rights, discrimination", "#b07aa1", "4"),
            Category("economy", "Economy", None, "Trade, jobs, prices, sanctions", "#59a14f", "5"),
            Category("other", "Other", None, "Anything that fits no other category", "#bab0ac",
                     "6"),
        ],
        scale=[
            ScalePoint(-2, "very negative", "#c0392b", "1"),
            ScalePoint(-1, "negative", "#e67e22", "2"),
            ScalePoint(0, "neutral", "#95a5a6", "3"),
            ScalePoint(1, "positive", "#27ae60", "4"),
            ScalePoint(2, "very positive", "#1e8449", "5"),
        ],
    )
