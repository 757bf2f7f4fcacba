"""DNA 3 files into and out of a project.

Import (:func:`import_dna`): documents become articles (title, text, author,
source, date; section, notes and type kept in the article's meta), coders
become annotators, and statements of DNA's default type (person, organization,
concept, agreement) become claims: the claimant is the person, whose
affiliation becomes the organization (the one named most often with them); a
statement without a person has the organization as claimant; the concept is
the category (nested as DNA nests entities); agreement gives stance +1,
disagreement −1. A project made by the import gets the scale −1 disagreement /
+1 agreement, so congruence and conflict come out as in DNA's boolean case.
Entity attributes Type, Alias and Notes become the actor's type, alias and
note. Statements of the type "Stancemark claim" (what the export writes) come
back whole: claimant, target, category, stance, note, the affiliation attribute
and the scale kept in the file's SETTINGS. Statements of other types become
claims without claimant or category whose note lists their values. Everything
goes through the store's own checks (span text, scale, names, affiliation
loops) in one transaction: any failure and nothing is imported.

Export (:func:`export_dna`): a DNA 3 file with each claim as a statement of the
type "Stancemark claim" (claimant, target, category as short text, stance as
integer, note as long text) and, if asked, also as DNA's default statement
(person/organization from the claimant and its affiliation, concept, agreement
= stance > 0), so DNA's own network exporter works on it. Offsets become UTF-16.
"""

from __future__ import annotations

import bisect
import json
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from stancemark.core.codebook import ActorType, Category, Codebook, ScalePoint
from stancemark.core.errors import StancemarkError, ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent, no_progress
from stancemark.core.spans import Utf16Index
from stancemark.core.text import fold, normalize_newlines
from stancemark.services.edits import perform
from stancemark.services.export_target import check_replaceable
from stancemark.services.registry import RegistryService
from stancemark.store import registry as reg
from stancemark.store.dna import (
    DnaDocument,
    DnaEntity,
    DnaFile,
    DnaStatement,
    DnaVariable,
    read_dna,
    write_dna,
    written_by_stancemark,
)
from stancemark.store.project import Store

DEFAULT_VARIABLES = {"person": "short text", "organization": "short text",
                     "concept": "short text", "agreement": "boolean"}
CLAIM_TYPE = "Stancemark claim"
#: SETTINGS property holding the scale of an exported project, as JSON [[value, label], …].
SCALE_SETTING = "stancemark scale"
CLAIM_VARIABLES = {"claimant": "short text", "target": "short text", "category": "short text",
                   "stance": "integer"}
_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac")
_NOT_KEY = re.compile(r"[^a-z0-9_\-]+")


def slug(label: str, taken: set[str]) -> str:
    """A codebook key for ``label`` not in ``taken`` (which it joins)."""
    base = _NOT_KEY.sub("-", fold(label)).strip("-_")[:40] or "c"
    if not base[0].isalnum():
        base = "c" + base
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


# -- offsets ------------------------------------------------------------------

class DnaText:
    """A DNA document's text as an article text, and its UTF-16 offsets as article offsets.

    Line ends become LF (a CRLF loses its CR) and a BOM is dropped, as for every
    article; an offset moves left by the characters dropped before it.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = normalize_newlines(raw)
        self._u16 = Utf16Index(raw)
        dropped = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]
        if raw.startswith("\ufeff"):
            dropped.insert(0, 0)
        self._dropped = dropped

    def offset(self, utf16: int) -> int:
        cp = self._u16.from_utf16(utf16)
        return cp - bisect.bisect_left(self._dropped, cp)


# -- import -------------------------------------------------------------------

@dataclass
class DnaImportReport:
    """What the import mapped, and what it could not."""

    source: str
    articles_added: int = 0
    articles_matched: int = 0
    annotators: list[str] = field(default_factory=list)
    actors_added: int = 0
    actors_matched: int = 0
    categories_added: int = 0
    claims_added: int = 0
    claims_present: int = 0
    scale_set: bool = False
    without_claimant: int = 0
    without_category: int = 0
    without_stance: int = 0
    other_types: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            f"Imported {self.source}: {self.articles_added} articles added "
            f"({self.articles_matched} already in the project), {self.actors_added} actors "
            f"added ({self.actors_matched} matched by name), {self.categories_added} "
            f"categories added, {self.claims_added} claims added"
            + (f" ({self.claims_present} already there)" if self.claims_present else "")
            + f"; annotators: {', '.join(self.annotators) or 'none'}.",
        ]
        if self.scale_set:
            lines.append("The project's scale is now −1 disagreement / +1 agreement.")
        gaps = [(self.without_claimant, "without person or organization (no claimant)"),
                (self.without_category, "without concept (no category)"),
                (self.without_stance, "without agreement (no stance)")]
        lines += [f"{n} statements {what}." for n, what in gaps if n]
        for label, n in sorted(self.other_types.items()):
            lines.append(f"{n} statements of type {label!r} kept as claims with their values "
                         "in the note (no claimant, category or stance).")
        lines += self.notes
        return "\n".join(lines)


def _types_with(dna: DnaFile, wanted: dict[str, str]) -> dict[int, dict[str, DnaVariable]]:
    out = {}
    for type_id in dna.statement_types:
        variables = dna.variables_of(type_id)
        if all(name in variables and variables[name].data_type == dtype
               for name, dtype in wanted.items()):
            out[type_id] = variables
    return out


@dataclass
class _Layout:
    """Which statement types the import reads as claims, and their variables."""

    default: dict[int, dict[str, DnaVariable]]  # DNA's person/organization/concept/agreement
    claim: dict[int, dict[str, DnaVariable]]  # our own "Stancemark claim" (lossless)

    @classmethod
    def of(cls, dna: DnaFile) -> _Layout:
        return cls(_types_with(dna, DEFAULT_VARIABLES), _types_with(dna, CLAIM_VARIABLES))

    def ids(self, *names: str) -> set[int]:
        return {v[n].id for t in (self.default, self.claim) for v in t.values()
                for n in names if n in v}

    @property
    def person_vars(self) -> set[int]:
        return self.ids("person", "claimant", "target")

    @property
    def actor_vars(self) -> set[int]:
        return self.ids("person", "organization", "claimant", "target")

    @property
    def category_vars(self) -> set[int]:
        return self.ids("concept", "category")


def import_dna(store: Store, path: str | Path, *, new_project: bool | None = None,
               annotator_prefix: str = "", progress: ProgressCallback = no_progress,
               cancel: CancelFlag | None = None) -> DnaImportReport:
    """Import the DNA 3 file ``path`` into ``store``, all or nothing.

    ``new_project`` (default: the project has no articles yet) lets the import
    set the scale to −1/+1 and replace the categories by DNA's concepts; into a
    project with work in it the concepts are added and its scale must hold −1
    and +1.
    """
    dna = read_dna(path)
    report = DnaImportReport(str(path))
    if new_project is None:
        new_project = store.counts()["articles"] == 0
    layout = _Layout.of(dna)
    if not layout.default and not layout.claim:
        report.notes.append("The file has no statement type with DNA's default variables "
                            "(person, organization, concept, agreement).")
    texts = {d.id: DnaText(d.text) for d in dna.documents}
    book = store.codebook.load()
    with store.write():
        book, concept_keys = _plan_codebook(store, dna, layout, book, new_project, report)
        store.codebook.save(Codebook.from_dict(book.to_dict()))
        actors = _import_actors(store, dna, layout, book, report)
        article_ids = _import_articles(store, dna, texts, report)
        _import_statements(store, dna, layout, texts, article_ids, actors, concept_keys,
                           annotator_prefix, report, progress, cancel or CancelFlag())
    return report


def _plan_codebook(store: Store, dna: DnaFile, layout: _Layout, book: Codebook,
                   new_project: bool, report: DnaImportReport) -> tuple[Codebook, dict[int, str]]:
    concept_vars = layout.category_vars
    concepts = [e for e in dna.entities.values() if e.variable in concept_vars and e.value]
    stance_vars = layout.ids("stance")
    stances = {int(v) for st in dna.statements for var, v in st.values.items()
               if var in stance_vars}
    if new_project:
        book.categories = []
        if not layout.claim:
            book.scale = [ScalePoint(-1, "disagreement", "#c0392b", "1"),
                          ScalePoint(1, "agreement", "#27ae60", "2")]
            report.scale_set = True
        else:  # our own claims: the exported project's scale, and any value it lacks
            saved = _saved_scale(dna)
            if saved:
                book.scale = saved
            have = {p.value for p in book.scale}
            book.scale += [ScalePoint(v, f"{v:+d}") for v in sorted(stances - have)]
            book.scale.sort(key=lambda p: p.value)
    elif layout.default and not {-1, 1} <= {p.value for p in book.scale}:
        raise ValidationError(
            "The project's scale has no −1 and +1 for DNA's disagreement and agreement.",
            "Import into a new project, or add −1 and +1 to the scale first.")
    by_label = {fold(c.label): c.key for c in book.categories}
    taken = {c.key for c in book.categories}
    keys: dict[int, str] = {}
    by_value: dict[str, str] = {}
    for e in sorted(concepts, key=lambda e: e.id):
        folded = fold(e.value)
        if folded in by_value:  # the same concept under another statement type
            keys[e.id] = by_value[folded]
            continue
        if folded in by_label:
            keys[e.id] = by_value[folded] = by_label[folded]
            continue
        key = slug(e.value, taken)
        keys[e.id] = by_value[folded] = key
        book.categories.append(Category(key, e.value, None, e.attributes.get("Notes", ""),
                                        _PALETTE[len(book.categories) % len(_PALETTE)]))
        report.categories_added += 1
    cats = {c.key: c for c in book.categories}
    for e in concepts:
        parent = dna.entities.get(e.child_of) if e.child_of else None
        if parent is not None and parent.id in keys and keys[e.id] != keys[parent.id]:
            cat = cats[keys[e.id]]
            if cat.parent is None:
                cat.parent = keys[parent.id]
    # actor types named in entity attributes
    type_keys = {fold(t.label): t.key for t in book.actor_types} | {
        t.key: t.key for t in book.actor_types}
    taken_types = {t.key for t in book.actor_types}
    for wanted in ("person", "organisation"):
        if wanted not in taken_types:
            book.actor_types.append(ActorType(wanted, wanted.capitalize(),
                                              _PALETTE[len(book.actor_types) % 10]))
            taken_types.add(wanted)
            type_keys[wanted] = wanted
    actor_vars = layout.actor_vars
    for e in dna.entities.values():
        label = " ".join(e.attributes.get("Type", "").split())
        if e.variable in actor_vars and label and fold(label) not in type_keys:
            key = slug(label, taken_types)
            book.actor_types.append(ActorType(key, label, _PALETTE[len(book.actor_types) % 10]))
            type_keys[fold(label)] = key
    return book, keys


def _saved_scale(dna: DnaFile) -> list[ScalePoint]:
    try:
        points = json.loads(dna.settings.get(SCALE_SETTING, "[]"))
        return [ScalePoint(int(v), str(label)) for v, label in points]
    except (ValueError, TypeError):
        return []


def _import_actors(store: Store, dna: DnaFile, layout: _Layout, book: Codebook,
                   report: DnaImportReport) -> dict[int, int]:
    """Actor id per actor entity id; affiliations from co-occurrence (or our attribute)."""
    person_vars = layout.person_vars
    org_vars = layout.actor_vars - person_vars
    types = layout.default
    type_of = {fold(t.label): t.key for t in book.actor_types}
    out: dict[int, int] = {}
    by_name: dict[str, int] = {}
    # DNA's person and organization variables say the type; our claimant and target don't
    default_type = {**dict.fromkeys(layout.ids("person"), "person"),
                    **dict.fromkeys(layout.ids("organization"), "organisation")}
    registry = RegistryService(store)
    for e in sorted(dna.entities.values(), key=lambda e: e.id):
        if e.variable not in person_vars | org_vars or not e.value.strip():
            continue
        name = " ".join(e.value.split())
        if name in by_name:
            out[e.id] = by_name[name]
            continue
        existing = reg.actor_id_named(store, name)
        if existing is not None:
            out[e.id] = by_name[name] = existing
            report.actors_matched += 1
            continue
        label = " ".join(e.attributes.get("Type", "").split())
        typ = type_of.get(fold(label)) if label else default_type.get(e.variable)
        actor_id = store.actors.add(name, typ)
        aliases = [a.strip() for a in e.attributes.get("Alias", "").split(";") if a.strip()]
        note = e.attributes.get("Notes", "").strip() or None
        if aliases or note:
            perform(store, registry.edit(actor_id, aliases=aliases or None,
                                         note=note if note else ...))
        out[e.id] = by_name[name] = actor_id
        report.actors_added += 1
    # affiliation: the organization named most often with the person
    pairs: dict[int, Counter[int]] = defaultdict(Counter)
    for s in dna.statements:
        variables = types.get(s.statement_type)
        if variables is None:
            continue
        person = out.get(_entity(s, variables["person"]) or -1)
        org = out.get(_entity(s, variables["organization"]) or -1)
        if person is not None and org is not None and person != org:
            pairs[person][org] += 1
    # our own export names the affiliation in an entity attribute
    for e in dna.entities.values():
        wanted = e.attributes.get("Affiliation", "").strip()
        actor = out.get(e.id)
        if wanted and actor is not None:
            org = reg.actor_id_named(store, " ".join(wanted.split()))
            if org is not None and org != actor:
                pairs[actor][org] += 1
    names = {a: store.actors.get(a).name for a in {*pairs, *(o for c in pairs.values()
                                                                for o in c)}}
    for person, orgs in sorted(pairs.items()):
        ranked = sorted(orgs.items(), key=lambda kv: (-kv[1], names[kv[0]]))
        best = ranked[0][0]
        current = store.actors.get(person).affiliation_id
        if current is not None and current != best:
            report.notes.append(f"{names[person]} keeps the affiliation it had; DNA names "
                                f"{names[best]}.")
            continue
        if current is None:
            # the registry's own checks: no loop, the organization exists
            try:
                perform(store, registry.edit(person, affiliation_id=best))
            except ValidationError as exc:
                raise ValidationError(f"DNA import: {exc.message}",
                                      "Nothing was imported. Rename one of the entities in "
                                      "DNA so a person and an organisation differ.") from None
        if len(ranked) > 1:
            others = ", ".join(names[o] for o, _n in ranked[1:])
            report.notes.append(f"{names[person]} is affiliated with {names[best]} (most "
                                f"statements); also named with: {others}.")
    return out


def _entity(s: DnaStatement, var: DnaVariable) -> int | None:
    value = s.values.get(var.id)
    return value if isinstance(value, int) else None


def _import_articles(store: Store, dna: DnaFile, texts: dict[int, DnaText],
                     report: DnaImportReport) -> dict[int, int]:
    drafts = []
    for d in dna.documents:
        meta = {k: v for k, v in (("section", d.section), ("notes", d.notes), ("type", d.type))
                if v}
        drafts.append(ArticleDraft(
            texts[d.id].text, title=d.title or None, author=d.author or None,
            source=d.source or None,
            published=datetime.fromtimestamp(d.date, UTC).replace(tzinfo=None),
            fmt="text", meta={"dna": {"document": d.id, **meta}}))
    results = store.articles.add_many(drafts)
    out: dict[int, int] = {}
    for d, (article_id, uid) in zip(dna.documents, results, strict=True):
        if article_id is None:
            existing = store.articles.by_uid(uid)
            assert existing is not None
            article_id = existing.id
            report.articles_matched += 1
        else:
            report.articles_added += 1
        out[d.id] = article_id
    return out


def _import_statements(store: Store, dna: DnaFile, layout: _Layout,
                       texts: dict[int, DnaText], article_ids: dict[int, int],
                       actors: dict[int, int], concept_keys: dict[int, str], prefix: str,
                       report: DnaImportReport, progress: ProgressCallback,
                       cancel: CancelFlag) -> None:
    """Claims from statements; a cancel raises inside the transaction, so nothing stays."""
    annotators: dict[int, str] = {}
    existing: set[tuple[object, ...]] = set()
    for article_id in set(article_ids.values()):
        for c in store.annotations.claims(article_id):
            existing.add((c.article_id, c.start, c.end, c.annotator, c.claimant_id,
                          c.target_id, c.category, c.stance, c.note))
    # a default statement on the very span of one of our claims is its lossy copy
    ours = {(s.document, s.start, s.stop, s.coder) for s in dna.statements
            if s.statement_type in layout.claim}
    total = len(dna.statements)
    for done, s in enumerate(dna.statements):
        if done % 200 == 0:
            cancel.check()
            progress(ProgressEvent(done, total, "statements"))
        if s.statement_type in layout.default and (s.document, s.start, s.stop, s.coder) in ours:
            continue
        coder = annotators.setdefault(s.coder, f"{prefix}{dna.coders[s.coder]}".strip()
                                      or f"coder {s.coder}")
        text = texts[s.document]
        start, end = text.offset(s.start), text.offset(s.stop)
        article = article_ids[s.document]
        claimant = target = stance = None
        category = note = None
        if s.statement_type in layout.claim:
            v = layout.claim[s.statement_type]
            claimant = actors.get(_entity(s, v["claimant"]) or -1)
            target = actors.get(_entity(s, v["target"]) or -1)
            category = concept_keys.get(_entity(s, v["category"]) or -1)
            value = s.values.get(v["stance"].id)
            stance = int(value) if value is not None else None
            note = str(s.values.get(v["note"].id) or "") or None if "note" in v else None
        elif s.statement_type in layout.default:
            v = layout.default[s.statement_type]
            person = actors.get(_entity(s, v["person"]) or -1)
            org = actors.get(_entity(s, v["organization"]) or -1)
            claimant = person if person is not None else org
            category = concept_keys.get(_entity(s, v["concept"]) or -1)
            agreement = s.values.get(v["agreement"].id)
            stance = None if agreement is None else (1 if int(agreement) else -1)
        else:
            label = dna.statement_types[s.statement_type]
            report.other_types[label] += 1
            parts = []
            for var_id, value in sorted(s.values.items()):
                var = dna.variables[var_id]
                shown = (dna.entities[value].value if var.data_type == "short text"
                         and isinstance(value, int) else value)
                if shown not in ("", None):
                    parts.append(f"{var.name}: {shown}")
            note = f"DNA {label}" + (f" — {'; '.join(str(p) for p in parts)}" if parts else "")
        if s.statement_type in layout.default or s.statement_type in layout.claim:
            report.without_claimant += claimant is None
            report.without_category += category is None
            report.without_stance += stance is None
        key = (article, start, end, coder, claimant, target, category, stance, note)
        if key in existing:
            report.claims_present += 1
            continue
        existing.add(key)
        try:
            store.annotations.add_claim(article, start, end, coder, claimant_id=claimant,
                                        target_id=target, category=category, stance=stance,
                                        note=note)
        except ValidationError as exc:
            raise ValidationError(f"DNA statement {s.id}: {exc.message}",
                                  "Nothing was imported.") from None
        report.claims_added += 1
    report.annotators = sorted(set(annotators.values()))


# -- export -------------------------------------------------------------------

@dataclass
class DnaExportReport:
    path: Path
    documents: int = 0
    statements: int = 0
    default_statements: int = 0
    no_stance: int = 0

    def text(self) -> str:
        extra = (f" and {self.default_statements} DNA default statements"
                 if self.default_statements else "")
        gaps = (f" {self.no_stance} claims without stance have stance 0 there"
                + (" and no default statement" if self.default_statements else "") + "."
                if self.no_stance else "")
        return (f"Wrote {self.path}: {self.documents} documents, {self.statements} "
                f"'{CLAIM_TYPE}' statements{extra}. Coders log in with the password "
                f"'stancemark'.{gaps}")


def _epoch(published: str | None, fallback: str | None) -> int:
    for value in (published, fallback):
        if value:
            try:
                dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
            return int(dt.timestamp())
    return 0


def build_dna(store: Store, *, default_statements: bool = False,
              progress: ProgressCallback = no_progress,
              cancel: CancelFlag | None = None) -> tuple[DnaFile, DnaExportReport]:
    """The project as DNA 3 content (see the module text)."""
    book = store.codebook.load()
    f = DnaFile()
    f.settings[SCALE_SETTING] = json.dumps([[p.value, p.label] for p in book.scale],
                                           ensure_ascii=False)
    report = DnaExportReport(Path())
    claim_type = 4
    f.statement_types[claim_type] = CLAIM_TYPE
    var = {name: DnaVariable(i, name, dtype, claim_type) for i, (name, dtype) in enumerate(
        (("claimant", "short text"), ("target", "short text"), ("category", "short text"),
         ("stance", "integer"), ("note", "long text")), start=12)}
    defaults = {name: DnaVariable(i, name, dtype, 1) for i, (name, dtype) in enumerate(
        DEFAULT_VARIABLES.items(), start=1)}
    f.variables = {v.id: v for v in [*var.values(), *defaults.values()]}
    next_entity = iter(range(1, 10 ** 9))
    entity_ids: dict[tuple[int, str], int] = {}

    def entity(variable: DnaVariable, value: str, attributes: dict[str, str] | None = None,
               child_of: int | None = None) -> int:
        value = value[:190]
        key = (variable.id, value)
        if key not in entity_ids:
            eid = next(next_entity)
            entity_ids[key] = eid
            f.entities[eid] = DnaEntity(eid, variable.id, value, child_of,
                                        {k: v for k, v in (attributes or {}).items() if v})
        return entity_ids[key]

    actors = {a.id: a for a in store.actors.all()}
    types = {t.key: t.label for t in book.actor_types}
    for a in actors.values():
        aff = actors.get(a.affiliation_id) if a.affiliation_id else None
        attrs = {"Type": types.get(a.type or "", a.type or ""), "Alias": "; ".join(a.aliases),
                 "Notes": a.note or "", "Affiliation": aff.name if aff else ""}
        for v in (var["claimant"], var["target"]):
            entity(v, a.name, attrs)
    cat_label = {}
    counts = Counter(k.label for k in book.categories)
    for k in book.categories:
        cat_label[k.key] = k.label if counts[k.label] == 1 else f"{k.label} ({k.key})"
    pending = list(book.categories)
    while pending:  # parents first, so ChildOf can point at them
        rest = []
        for cat in pending:
            parent_key = (var["category"].id, cat_label.get(cat.parent or "", "")[:190])
            if cat.parent in cat_label and parent_key not in entity_ids:
                rest.append(cat)
                continue
            entity(var["category"], cat_label[cat.key], {"Notes": cat.description},
                   entity_ids.get(parent_key) if cat.parent else None)
        if len(rest) == len(pending):  # a parent cycle: no nesting for these
            for cat in rest:
                entity(var["category"], cat_label[cat.key], {"Notes": cat.description})
            break
        pending = rest
    coders: dict[str, int] = {}
    sid = 0
    article_ids = store.articles.ids()
    cancel = cancel or CancelFlag()
    for done, article_id in enumerate(article_ids):
        cancel.check()
        progress(ProgressEvent(done, len(article_ids), "articles"))
        art = store.articles.get(article_id)
        f.documents.append(DnaDocument(
            art.id, art.title or "", art.text, 1, art.author or "", art.source or "", "",
            f"URL: {art.url}" if art.url else "", "", _epoch(art.published, art.imported_at)))
        u16 = Utf16Index(art.text)
        for c in store.annotations.claims(article_id):
            coder = coders.setdefault(c.annotator, len(coders) + 2)
            start, stop = u16.to_utf16(c.start), u16.to_utf16(c.end)
            claimant = actors.get(c.claimant_id) if c.claimant_id else None
            target = actors.get(c.target_id) if c.target_id else None
            category = cat_label.get(c.category or "", c.category or "")
            sid += 1
            values: dict[int, int | str] = {
                var["claimant"].id: entity(var["claimant"], claimant.name if claimant else ""),
                var["target"].id: entity(var["target"], target.name if target else ""),
                var["category"].id: entity(var["category"], category),
                var["stance"].id: c.stance if c.stance is not None else 0,
                var["note"].id: c.note or ""}
            report.no_stance += c.stance is None
            f.statements.append(DnaStatement(sid, claim_type, art.id, start, stop, coder,
                                             values))
            report.statements += 1
            if default_statements and c.stance is not None:
                org = actors.get(claimant.affiliation_id) if claimant and \
                    claimant.affiliation_id else None
                person_name = claimant.name if claimant and org else ""
                org_name = org.name if org else (claimant.name if claimant else "")
                sid += 1
                f.statements.append(DnaStatement(sid, 1, art.id, start, stop, coder, {
                    defaults["person"].id: entity(defaults["person"], person_name),
                    defaults["organization"].id: entity(defaults["organization"], org_name),
                    defaults["concept"].id: entity(defaults["concept"], category),
                    defaults["agreement"].id: 1 if c.stance > 0 else 0}))
                report.default_statements += 1
        report.documents += 1
    f.coders = {cid: name for name, cid in coders.items()}
    return f, report


def export_dna(store: Store, output: str | Path, *, force: bool = False,
               default_statements: bool = False, progress: ProgressCallback = no_progress,
               cancel: CancelFlag | None = None) -> DnaExportReport:
    """Write the project as the DNA 3 file ``output`` (written beside it, then renamed)."""
    out = Path(output).expanduser().absolute()
    if out.is_dir() and not out.is_symlink():
        raise StancemarkError(f"{out} is a folder.", "Give a file name.")
    # --force replaces only a DNA file we exported, never a foreign .dna or the project
    check_replaceable(out, force=force, ours=written_by_stancemark, project=store.path)
    content, report = build_dna(store, default_statements=default_statements,
                                progress=progress, cancel=cancel)
    report.path = out
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        target = tmp_dir / out.name
        write_dna(target, content)
        target.replace(out)
    except OSError as exc:
        raise StancemarkError(f"Cannot write {out}: {exc.strerror or exc}.",
                              "Check the disk space and that you may write there.") from None
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return report

