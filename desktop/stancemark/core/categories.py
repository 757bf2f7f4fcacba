"""The category tree of a codebook, walked without recursion and in linear time.

Exporters and the window list categories as a tree and label them by their
path (``Parent › Child``). A codebook written into a project by hand can nest
categories thousands deep, name unknown parents or loop; :class:`CategoryTree`
copes with all of it, independent of the codebook's own validation:

- a category whose parent is missing (or itself) is a root;
- a loop is cut at the first of its categories in codebook order, which then
  becomes a root, so every category appears exactly once in :meth:`walk`;
- of categories sharing a key, the first counts (as ``Codebook.category`` does).

A path names at most :data:`PATH_LEVELS` levels: deeper than that it keeps the
root and the last levels with ``…`` between (``Root › … › Parent › Child``), so
a label stays readable and listing every category's path costs time and memory
in proportion to the number of categories, not to their depth times their
number. The key, which every format exports beside the path, stays exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancemark.core.codebook import Category, Codebook

PATH_SEPARATOR = " › "
PATH_LEVELS = 16  # the most levels a path label names


class CategoryTree:
    """Parents, children, depths and path labels of a codebook's categories."""

    def __init__(self, book: Codebook) -> None:
        self.by_key: dict[str, Category] = {}
        for cat in book.categories:
            self.by_key.setdefault(cat.key, cat)
        self.children: dict[str | None, list[str]] = {None: []}
        self.parent: dict[str, str | None] = {}
        self.depth: dict[str, int] = {}
        self.root: dict[str, str] = {}
        self._order: list[str] = []
        self._paths: dict[str, str] = {}
        self._build()

    def _build(self) -> None:
        cats = self.by_key
        kids: dict[str, list[str]] = {}
        roots: list[str] = []
        for key, cat in cats.items():
            if cat.parent is None or cat.parent == key or cat.parent not in cats:
                roots.append(key)
            else:
                kids.setdefault(cat.parent, []).append(key)
        placed: set[str] = set()
        self._place(roots, None, kids, placed)
        if len(placed) < len(cats):
            # what is left hangs off a loop: cut each loop at its first category
            for key in cats:
                if key not in placed:
                    self._place([key], None, kids, placed)

    def _place(self, keys: list[str], parent: str | None, kids: dict[str, list[str]],
               placed: set[str]) -> None:
        """Depth-first from ``keys``, with an explicit stack, recording the tree."""
        stack: list[tuple[str, str | None]] = [(k, parent) for k in reversed(keys)]
        while stack:
            key, up = stack.pop()
            if key in placed:
                continue
            placed.add(key)
            self.parent[key] = up
            self.children.setdefault(up, []).append(key)
            self.children.setdefault(key, [])
            self.depth[key] = 0 if up is None else self.depth[up] + 1
            self.root[key] = key if up is None else self.root[up]
            self._order.append(key)
            stack.extend((k, key) for k in reversed(kids.get(key, [])) if k not in placed)

    def subtree(self, keys: Iterable[str]) -> set[str]:
        """``keys`` and every category below them (unknown keys are kept as given)."""
        out: set[str] = set()
        todo = list(keys)
        while todo:
            key = todo.pop()
            if key not in out:
                out.add(key)
                todo.extend(self.children.get(key, ()))
        return out

    def walk(self) -> Iterator[tuple[Category, int]]:
        """Every category once, parents before children, as ``(category, depth)``."""
        for key in self._order:
            yield self.by_key[key], self.depth[key]

    def path(self, key: str | None) -> str:
        """``Parent › Child`` label of a category (its key if unknown, ``—`` for none)."""
        if key is None:
            return "—"
        path = self._paths.get(key)
        if path is None:
            if key not in self.by_key:
                return key
            path = self._paths[key] = self._make_path(key)
        return path

    def _make_path(self, key: str) -> str:
        labels: list[str] = []
        node: str | None = key
        while node is not None and len(labels) < PATH_LEVELS - 1:
            labels.append(self.by_key[node].label)
            node = self.parent[node]
        if node is not None:  # deeper than PATH_LEVELS: the root, then the last levels
            if self.parent[node] is None:
                labels.append(self.by_key[node].label)
            else:
                labels += ["…", self.by_key[self.root[key]].label]
        return PATH_SEPARATOR.join(reversed(labels))

    def events(self) -> Iterator[tuple[str, Category]]:
        """``("open", cat)`` and ``("close", cat)`` in nesting order, for writing nested XML."""
        open_keys: list[str] = []
        for key in self._order:
            up = self.parent[key]
            while open_keys and open_keys[-1] != up:
                yield "close", self.by_key[open_keys.pop()]
            yield "open", self.by_key[key]
            open_keys.append(key)
        while open_keys:
            yield "close", self.by_key[open_keys.pop()]
