"""Sharing and changing the codebook: JSON export/import, renames, deletions in use, undo.

The file is ``{"stancemark": 1, "kind": "codebook", "actor_types": …, "categories": …,
"scale": …}``, the same object as the first line of an annotation-set JSONL, so
either can be imported. Reading validates everything before anything is written.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stancemark.core.changes import kinds
from stancemark.core.codebook import Codebook, problem_list
from stancemark.core.errors import StancemarkError, ValidationError
from stancemark.core.infile import kind_of, open_regular
from stancemark.services.edits import Change, Edit
from stancemark.store import Store
from stancemark.store import registry as reg

FORMAT_VERSION = 1


class CodebookFileError(StancemarkError):
    """A codebook file that cannot be read or is not a valid codebook."""


def codebook_document(book: Codebook) -> dict[str, Any]:
    return {"stancemark": FORMAT_VERSION, "kind": "codebook", **book.to_dict()}


def is_codebook_export(path: Path) -> bool:
    """True if ``path`` holds a codebook document Stancemark wrote (what --force may replace)."""
    try:
        with open_regular(path) as f:
            raw = f.read(MAX_CODEBOOK_BYTES + 1)
    except StancemarkError:
        return False
    if len(raw) > MAX_CODEBOOK_BYTES:
        return False
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return False
    return (isinstance(data, dict) and data.get("stancemark") == FORMAT_VERSION
            and data.get("kind") == "codebook"
            and all(isinstance(data.get(k), list) for k in ("actor_types", "categories", "scale")))


def _same_file(a: Path, b: Path | None) -> bool:
    if b is None:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def export_codebook(book: Codebook, path: str | Path, *, force: bool = False,
                    project: Path | None = None) -> None:
    """Write ``book`` as pretty JSON, atomically (a crash never leaves half a file).

    An existing ``path`` is refused unless ``force``; even then only a previous
    codebook export is replaced, never another file, the project file
    (``project``), a folder, or a device or other special file. The new file
    is written beside the target and renamed into place, with the permissions
    the umask gives a new file.
    """
    path = Path(path).expanduser().absolute()
    data = json.dumps(codebook_document(book), ensure_ascii=False, indent=2) + "\n"
    if not path.parent.is_dir():
        raise CodebookFileError(f"The folder {path.parent} does not exist.",
                                "Create it first or choose another place.")
    if _same_file(path, project):
        raise CodebookFileError(f"{path} is the project file itself; a codebook is never "
                                "written over it.", "Choose another file name.")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise CodebookFileError(f"Cannot write {path}: {exc.strerror or exc}.",
                                "Choose another file name.") from None
    if st is not None:
        kind = kind_of(st.st_mode)
        if kind is not None:
            raise CodebookFileError(f"{path} is {kind}, not a file; the codebook was not "
                                    "written.", "Give the name of a .json file.")
        if not force:
            raise CodebookFileError(f"{path} already exists.",
                                    "Choose another name, or overwrite it (--force).")
        if not is_codebook_export(path):
            raise CodebookFileError(
                f"{path} is not a codebook Stancemark exported, so it is not overwritten, "
                "even with --force.", "Choose another file name.")
    elif path.is_symlink():
        raise CodebookFileError(f"{path} is a link to a file that does not exist.",
                                "Choose another file name.")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        # O_EXCL and mode 0666: a new file that the umask trims as usual (0644, not 0600)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise CodebookFileError(f"Cannot write {path}: {exc.strerror or exc}.",
                                "Choose a folder you may write to.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CodebookFileError(f"Cannot write {path}: {exc.strerror or exc}; nothing was "
                                "changed there.", "Free some disk space or choose another "
                                "place.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def parse_codebook(text: str, name: str = "the file") -> Codebook:
    """Parse and validate a codebook document; every problem is named in the error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CodebookFileError(
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            "Fix the file there (or export a fresh codebook) and import it again.") from None
    except RecursionError:
        raise CodebookFileError(f"{name} is JSON nested too deeply to be a codebook.",
                                "Choose a file exported with 'Export codebook'.") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise CodebookFileError(f"{name} holds a number far too long to be one.",
                                "Choose a file exported with 'Export codebook'.") from None
    if isinstance(data, dict):
        if "stancemark" in data and data.get("stancemark") != FORMAT_VERSION:
            raise CodebookFileError(
                f"{name} is a Stancemark file of format {data.get('stancemark')!r}; this "
                f"version reads format {FORMAT_VERSION}.", "Update Stancemark to import it.")
        kind = data.get("kind", "codebook")
        if kind != "codebook":
            raise CodebookFileError(f"{name} holds a Stancemark {kind!r}, not a codebook.",
                                    "Choose a file exported with 'Export codebook'.")
        unknown = sorted(set(data) - {"stancemark", "kind", "actor_types", "categories",
                                      "scale"})
        missing = [k for k in ("actor_types", "categories", "scale") if k not in data]
        if missing:
            raise CodebookFileError(
                f"{name} is not a codebook: it has no {', '.join(missing)}"
                + (f" (it has {', '.join(unknown)})" if unknown else "") + ".",
                "Choose a file exported with 'Export codebook'.")
    try:
        return Codebook.from_dict(data)
    except ValidationError as exc:
        raise CodebookFileError(f"{name}: {exc.message}", exc.hint) from None


#: A codebook with hundreds of categories is a few dozen KB; anything this big is not one.
MAX_CODEBOOK_BYTES = 10 * 2**20


def read_codebook(path: str | Path) -> Codebook:
    path = Path(path)
    hint = "Choose a file exported with 'Export codebook'."
    try:
        with open_regular(path, hint) as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_CODEBOOK_BYTES:
                raise CodebookFileError(
                    f"{path} is too large to be a codebook ({size / 2**20:.0f} MB).", hint)
            raw = f.read(MAX_CODEBOOK_BYTES + 1)
    except CodebookFileError:
        raise
    except StancemarkError as exc:
        raise CodebookFileError(exc.message, exc.hint) from None
    except OSError as exc:
        raise CodebookFileError(f"Cannot read {path}: {exc.strerror}.",
                                "Check that you may read it.") from None
    if not raw:
        raise CodebookFileError(f"{path} is empty.", hint)
    if len(raw) > MAX_CODEBOOK_BYTES:
        raise CodebookFileError(f"{path} is too large to be a codebook.", hint)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookFileError(
            f"{path} is not UTF-8 text (bad byte at position {exc.start}).",
            "Save it as UTF-8 JSON and import it again.") from None
    return parse_codebook(text, str(path))


# -- changing the codebook -----------------------------------------------------------------

@dataclass(slots=True)
class CodebookPlan:
    """What replacing the codebook would do to existing annotations.

    ``lost_categories`` maps each category key that disappears (and is not
    renamed) to how many claims use it; ``moves`` (old → new key or None)
    says where their claims go. ``lost_types`` counts actors per vanishing type.
    """

    book: Codebook
    renames: dict[str, str]
    lost_categories: dict[str, int] = field(default_factory=dict)
    lost_types: dict[str, int] = field(default_factory=dict)
    moves: dict[str, str | None] = field(default_factory=dict)
    scale_values_lost: dict[int, int] = field(default_factory=dict)

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.lost_categories or self.lost_types or self.scale_values_lost)

    def question(self) -> str:
        parts = [f"category '{k}' is used by {n} claim{'s' if n != 1 else ''}"
                 for k, n in self.lost_categories.items()]
        parts += [f"actor type '{k}' is used by {n} actor{'s' if n != 1 else ''}"
                  for k, n in self.lost_types.items()]
        parts += [f"scale value {v:+d} is used {n} time{'s' if n != 1 else ''}"
                  for v, n in self.scale_values_lost.items()]
        return ("Removing these leaves annotations without them: " + "; ".join(parts) + "."
                if parts else "")


def plan_codebook(store: Store, book: Codebook, renames: dict[str, str] | None = None,
                  moves: dict[str, str | None] | None = None) -> CodebookPlan:
    """Check a new codebook against the project before saving it.

    ``renames`` maps old category keys to new ones (their claims follow);
    ``moves`` maps a removed category to another key whose claims should take
    it (None: leave them without category).
    """
    problems = book.problems()
    renames = dict(renames or {})
    moves = dict(moves or {})
    new_keys = {c.key for c in book.categories}
    old = store.codebook.load()
    old_keys = {c.key for c in old.categories}
    for a, b in renames.items():
        if a not in old_keys:
            problems.append(f"cannot rename unknown category {a!r}")
        if b not in new_keys:
            problems.append(f"renamed category {b!r} is not in the new codebook")
    for key, dest in moves.items():
        if dest is not None and dest not in new_keys:
            problems.append(f"cannot move claims of {key!r} to {dest!r}: no such category")
    if problems:
        raise ValidationError("The codebook is not valid: " + problem_list(problems) + ".",
                              "Fix these entries and save again.")
    usage = store.codebook.category_usage()
    renamed = set(renames)
    lost = {k: usage[k] for k in sorted(old_keys - new_keys - renamed) if usage.get(k)
            and k not in moves}
    type_counts = reg.type_usage(store)
    new_types = {t.key for t in book.actor_types}
    lost_types = {k: n for k, n in sorted(type_counts.items()) if k not in new_types}
    scale_counts = reg.scale_usage(store)
    values = {p.value for p in book.scale}
    scale_lost = {v: n for v, n in sorted(scale_counts.items()) if v not in values}
    return CodebookPlan(book, renames, lost, lost_types, moves, scale_lost)


class ReplaceCodebook(Edit):
    """Save a new codebook (with renames and claim moves); undo restores the old one exactly.

    Undo also puts back the categories of claims and the types of actors that
    the new codebook dropped or renamed.
    """

    def __init__(self, plan: CodebookPlan, text: str = "Edit codebook") -> None:
        if plan.scale_values_lost:
            raise ValidationError(
                "The new scale drops values that annotations use: "
                + ", ".join(f"{v:+d} ({n}×)" for v, n in plan.scale_values_lost.items()) + ".",
                "Keep those values, or change those annotations first.")
        self.plan = plan
        self.text = text
        self._old: Codebook | None = None
        self._claims: list[tuple[int, str | None]] = []
        self._actors: list[tuple[int, str | None]] = []

    def apply(self, store: Store) -> Change:
        with store.write():
            self._old = store.codebook.load()
            old_keys = [c.key for c in self._old.categories]
            touched = set(old_keys) - {c.key for c in self.plan.book.categories}
            touched |= set(self.plan.renames) | set(self.plan.moves)
            self._claims = reg.claims_in_categories(store, touched)
            gone_types = {t.key for t in self._old.actor_types} - {
                t.key for t in self.plan.book.actor_types}
            self._actors = reg.actors_of_types(store, gone_types)
            for old, new in self.plan.moves.items():
                store.codebook.move_claims(old, new)
            store.codebook.save(self.plan.book, self.plan.renames)
        return Change(frozenset(), kinds("codebook", "claims", "actors"))

    def revert(self, store: Store) -> Change:
        assert self._old is not None
        back = {new: old for old, new in self.plan.renames.items()}
        with store.write():
            store.codebook.save(self._old, back)
            reg.set_claim_categories(store, self._claims)
            reg.set_actor_types(store, self._actors)
        return Change(frozenset(), kinds("codebook", "claims", "actors"))


def import_codebook(store: Store, path: str | Path) -> ReplaceCodebook:
    """Read a codebook file and return the edit that installs it (nothing written yet).

    Categories whose key is missing from the file are dropped; their claims keep
    no category (see :func:`plan_codebook` to ask first).
    """
    book = read_codebook(path)
    return ReplaceCodebook(plan_codebook(store, book), f"Import codebook {Path(path).name}")


__all__ = [
    "CodebookFileError",
    "CodebookPlan",
    "ReplaceCodebook",
    "codebook_document",
    "export_codebook",
    "import_codebook",
    "is_codebook_export",
    "parse_codebook",
    "plan_codebook",
    "read_codebook",
]
