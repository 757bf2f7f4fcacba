"""What team sync exchanges between a project file and the team's hub, as plain data.

Each synchronised kind is a table on both sides. A row travels as a dict whose keys
are :data:`WIRE_COLUMNS` of its kind; references travel as stable identities (an
article's ``uid``, an actor's ``uuid``), never as a file's row ids. A deletion
travels as a tombstone ``{"uuid": ..., "deleted": True}`` (articles: ``uid``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Every synchronised kind, in the order a receiver applies them (references first).
KINDS: tuple[str, ...] = ("articles", "actor_types", "categories", "scale", "actors",
                          "mentions", "claims", "article_sentiments", "actor_sentiments",
                          "adjudications")

#: The codebook and the registry: shared by the team, edited by its managers.
SHARED_KINDS = ("articles", "actor_types", "categories", "scale", "actors")

#: Annotations: each row belongs to its annotator.
ANNOTATION_KINDS = ("mentions", "claims", "article_sentiments", "actor_sentiments")

#: A curator's decisions settling units into the gold set (schema version 7).
ADJUDICATIONS = "adjudications"


def pushed_kinds(role: str) -> tuple[str, ...]:
    """What a member's sync sends: shared entries (a change the member may not make
    becomes a proposal for a manager), annotations, and a curator's decisions."""
    return (*SHARED_KINDS, *ANNOTATION_KINDS, *((ADJUDICATIONS,) if role == "curator" else ()))


def waiting_kinds(role: str, pulled_once: bool) -> tuple[str, ...]:
    """The kinds whose local changes the window counts as waiting to be sent.

    As :func:`pushed_kinds`, less what would count changes the hub does not take
    from this member: a non-manager's article rows (their status is private, their
    metadata rarely edited), and, before the first pull, the default codebook a new
    project starts with (the hub's replaces it).
    """
    kinds = pushed_kinds(role)
    if role != "manager":
        kinds = tuple(k for k in kinds if k != "articles")
        if not pulled_once:
            kinds = tuple(k for k in kinds if k not in ("actor_types", "categories", "scale"))
    return kinds

WIRE_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("uid", "title", "subtitle", "source", "url", "author", "published",
                 "language", "meta", "text"),
    "actor_types": ("uuid", "key", "label", "color", "shortcut", "position"),
    "categories": ("uuid", "key", "label", "parent", "description", "color", "shortcut",
                   "position"),
    "scale": ("uuid", "value", "label", "color", "shortcut"),
    "actors": ("uuid", "name", "type", "affiliation", "note", "aliases"),
    "mentions": ("uuid", "article_uid", "actor", "start_offset", "end_offset", "text",
                 "annotator", "created_at", "updated_at"),
    "claims": ("uuid", "article_uid", "start_offset", "end_offset", "text", "claimant",
               "target", "category", "stance", "note", "annotator", "created_at",
               "updated_at"),
    "article_sentiments": ("uuid", "article_uid", "annotator", "value", "created_at",
                           "updated_at"),
    "actor_sentiments": ("uuid", "article_uid", "actor", "annotator", "value", "created_at",
                         "updated_at"),
    "adjudications": ("uuid", "gold", "article_uid", "layer", "unit_key", "outcome",
                      "decided_by", "sources", "mention", "claim", "created_at"),
}

#: The roles a team member can have.
ROLES = ("coder", "curator", "manager")

#: The annotator whose annotations a curator writes (the adjudicated set).
GOLD_ANNOTATOR = "gold"


def key_of(kind: str) -> str:
    """The identity column of ``kind``."""
    return "uid" if kind == "articles" else "uuid"


@dataclass
class Batch:
    """Rows and tombstones of every kind, as pushed or pulled in one sync."""

    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    tombstones: dict[str, list[str]] = field(default_factory=dict)
    #: Pulled only: this member's assignments that changed (article uid -> still assigned).
    assignments: dict[str, bool] = field(default_factory=dict)
    #: Pulled only: this member's proposals a manager decided since the last pull.
    decided: list[Proposal] = field(default_factory=list)

    def add(self, kind: str, row: dict[str, object]) -> None:
        self.rows.setdefault(kind, []).append(row)

    def bury(self, kind: str, key: str) -> None:
        self.tombstones.setdefault(kind, []).append(key)

    def __len__(self) -> int:
        return (sum(len(v) for v in self.rows.values())
                + sum(len(v) for v in self.tombstones.values()))


# -- shared entries a manager decides -------------------------------------------------

#: What a proposal's choice may keep: the hub's version, the proposed one, or both merged.
KEEP = ("hub", "proposed", "merged")

_WORD = {"articles": "article", "actor_types": "actor type", "categories": "category",
         "scale": "scale value", "actors": "actor"}
_LABEL = {"articles": "title", "actor_types": "key", "categories": "key", "scale": "value",
          "actors": "name"}
_INTEGER = {"position", "value"}


def shared_fields(kind: str) -> tuple[str, ...]:
    """The fields of a shared entry a proposal can change (never its identity or an article's
    text)."""
    return tuple(c for c in WIRE_COLUMNS[kind] if c not in (key_of(kind), "text"))


def _norm(name: str, value: object) -> object:
    if name == "aliases":
        return sorted(set(value or []))  # type: ignore[call-overload]
    if name == "meta":
        return value or {}
    return value


def differences(kind: str, hub: dict[str, object] | None, proposed: dict[str, object] | None
                ) -> list[tuple[str, object, object]]:
    """``(field, hub's value, proposed value)`` of each field that differs."""
    if hub is None or proposed is None:
        return []
    out = []
    for name in shared_fields(kind):
        was, now = _norm(name, hub.get(name)), _norm(name, proposed.get(name))
        if was != now:
            out.append((name, was, now))
    return out


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def merged(kind: str, hub: dict[str, object] | None, proposed: dict[str, object] | None
           ) -> dict[str, object]:
    """Both versions in one: the hub's values, with what it lacks taken from the proposal.

    For an actor the proposed name, when it differs, becomes an alias, and the aliases of
    both are kept; for an article the metadata keys of both (the hub's value wins).
    """
    if proposed is None:
        raise ValueError("a deletion cannot be merged")
    if hub is None:
        return dict(proposed)
    out = dict(hub)
    for name in shared_fields(kind):
        if _empty(hub.get(name)) and not _empty(proposed.get(name)):
            out[name] = proposed[name]
    if kind == "actors":
        aliases = set(_norm("aliases", hub.get("aliases"))) | set(  # type: ignore[call-overload]
            _norm("aliases", proposed.get("aliases")))  # type: ignore[call-overload]
        if proposed.get("name") != hub.get("name"):
            aliases.add(proposed["name"])
        aliases.discard(out["name"])
        out["aliases"] = sorted(aliases)
    if kind == "articles":
        out["meta"] = {**dict(proposed.get("meta") or {}),  # type: ignore[call-overload]
                       **dict(hub.get("meta") or {})}  # type: ignore[call-overload]
    return out


def with_values(kind: str, row: dict[str, object], values: dict[str, str]) -> dict[str, object]:
    """``row`` with the fields a manager typed (``name=...``; aliases separated by ``;``).

    Raises ValueError naming a field that cannot be set.
    """
    out = dict(row)
    for name, text in values.items():
        if name not in shared_fields(kind) or name == "meta":
            allowed = ", ".join(f for f in shared_fields(kind) if f != "meta")
            raise ValueError(f"a {_WORD[kind]} has no field '{name}' to set (it has {allowed})")
        if name == "aliases":
            out[name] = sorted({a.strip() for a in text.split(";") if a.strip()})
        elif name in _INTEGER:
            try:
                out[name] = int(text)
            except ValueError:
                raise ValueError(f"{name} must be a whole number, not '{text}'") from None
        else:
            out[name] = text if text != "" else None
    return out


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


@dataclass
class Proposal:
    """A member's change to a shared entry that the hub holds for a manager to decide.

    ``proposed`` is the member's version (None: they deleted the entry); ``hub`` is the
    hub's version when listed (None: the hub has none, or deleted it). ``revision`` names
    the proposal as it was read: the hub gives it a new one whenever the proposal is
    written, and a decision that keeps anything of the proposal must name the revision
    the manager read (:func:`stancemark.sync.hub.decide`).
    """

    id: int
    kind: str
    key: str
    proposed: dict[str, object] | None
    hub: dict[str, object] | None
    proposed_by: str
    proposed_at: str
    reason: str
    status: str = "open"
    kept: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    revision: str = ""

    @property
    def label(self) -> str:
        row = self.hub or self.proposed or {}
        name = row.get(_LABEL[self.kind])
        return f"{_WORD[self.kind]} {_show(name if name is not None else self.key)}"

    def changes(self) -> list[str]:
        """The proposed change field by field, in words."""
        if self.proposed is None:
            return ["delete it"]
        if self.hub is None:
            return ["bring it back (the hub deleted it)"]
        out = []
        for name, was, now in differences(self.kind, self.hub, self.proposed):
            if name == "aliases":
                before, after = list(was), list(now)  # type: ignore[call-overload]
                added = [a for a in after if a not in before]
                gone = [a for a in before if a not in after]
                out.append("aliases " + ", ".join([f"+ {_show(a)}" for a in added]
                                                  + [f"- {_show(a)}" for a in gone]))
            else:
                out.append(f"{name} {_show(was)} -> {_show(now)}")
        return out or ["nothing any more (the hub has the same now)"]

    def text(self) -> str:
        """One line, in the style of the merge report's conflicts."""
        line = (f"#{self.id} {self.label}: {self.proposed_by} proposes "
                f"{'; '.join(self.changes())} ({self.reason})")
        if self.status == "decided":
            line += f" - decided by {self.decided_by}: kept {self.kept}"
        elif self.revision:
            line += f" [revision {self.revision}]"
        return line

    def keep_text(self) -> str:
        return {"hub": "the hub's version", "proposed": f"{self.proposed_by}'s version",
                "merged": "both, merged"}.get(self.kept or "", str(self.kept))

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "key": self.key, "label": self.label,
                "proposed_by": self.proposed_by, "proposed_at": self.proposed_at,
                "reason": self.reason, "status": self.status, "kept": self.kept,
                "decided_by": self.decided_by, "decided_at": self.decided_at,
                "revision": self.revision,
                "hub": self.hub, "proposed": self.proposed,
                "changes": [{"field": f, "hub": h, "proposed": p}
                            for f, h, p in differences(self.kind, self.hub, self.proposed)]}


def conflict_report(proposals: list[Proposal], url: str = "MANAGER_URL") -> str:
    """The text ``stancemark team conflicts`` prints."""
    open_ = [p for p in proposals if p.status == "open"]
    lines = [f"{len(open_)} shared entr{'y' if len(open_) == 1 else 'ies'} to decide"
             + (f", {len(proposals) - len(open_)} decided" if len(proposals) > len(open_)
                else "") + "."]
    lines += [f"conflict: {p.text()}" for p in proposals]
    if open_:
        lines.append(f"Decide one with: stancemark team decide {url} ID "
                     "--keep hub|proposed|merged [--revision REV] [--set FIELD=VALUE] "
                     "(keeping proposed or merged needs the revision listed with it)")
    return "\n".join(lines)
