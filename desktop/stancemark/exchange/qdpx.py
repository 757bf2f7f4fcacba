"""REFI-QDA project exchange (``.qdpx``): ``project.qde`` plus ``sources/<guid>.txt``.

What maps to what (QDA-XML 1.0, namespace ``urn:QDA-XML:project:1.0``):

- each article is a ``TextSource`` whose UTF-8 text is ``sources/<guid>.txt``;
- each annotator is a ``User``; every selection and coding names its creator;
- codes: ``Actors`` › actor type › actor (mentions are coded with the actor),
  and ``Claims`` › categories (nested as in the codebook) › one sub-code per
  stance value, named ``<Category>: <stance label>``, and ``<Category>: no
  stance`` where a claim has none; a claim is coded with one of these leaf
  sub-codes (QualCoder makes a code with sub-codes a category, and a category
  takes no codings). Every code name in the file is unique (QualCoder keeps codes and
  code categories by name and drops codings of a repeated name), so a name met
  twice gets `` (2)``, `` (3)``…;
- claimant and target are ``Link``s between the actor's code and the claim's
  selection (``claimant``: actor → claim, ``target``: claim → actor), and are
  also written, with the note, in the selection's ``Description``;
- sentiment is ``Variables`` (Integer): ``Article sentiment (<annotator>)`` and
  ``Sentiment towards <actor> (<annotator>)``, valued on each source.

Positions: option ``position_unit``, ``"codepoint"`` by default (the standard
counts characters, and that is how Python and most QDA tools read the text
file), or ``"utf16"`` for tools that count UTF-16 units.

The sources stream straight into the zip; the source and link XML go to
temporary files, because ``project.qde`` must list users, codes and variables
(known only at the end) before its sources.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any, Protocol
from xml.sax.saxutils import escape, quoteattr

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.categories import CategoryTree
from stancemark.core.codebook import Category, Codebook
from stancemark.core.models import Actor, Claim
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.core.spans import Utf16Index
from stancemark.exchange.common import by_article, stable_guid, xml_text
from stancemark.exchange.registry import Exporter, ExportOption

NAMESPACE = "urn:QDA-XML:project:1.0"
POSITION_UNIT = ExportOption(
    name="position_unit", label="&Positions in",
    help="count selection positions in code points or UTF-16 units",
    choices=(("codepoint", "Unicode code points (QualCoder, MAXQDA, QDA Miner)"),
             ("utf16", "UTF-16 units (ATLAS.ti, NVivo)")),
    default="codepoint")
POSITION_UNITS = POSITION_UNIT.values
NO_CATEGORY = "(no category)"
NO_STANCE = "no stance"


class _Writer(Protocol):
    def write(self, text: str, /) -> int: ...


def _a(value: object) -> str:
    return quoteattr(xml_text(str(value)))


def _t(value: str) -> str:
    return escape(xml_text(value))


class _Project:
    """Codes, users and variables collected while the sources stream."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.tree = CategoryTree(codebook)
        self.users: dict[str, str] = {}  # name -> guid
        self.actors: dict[int, Actor] = {}
        self.variables: dict[str, str] = {}  # guid -> name
        self.uncategorised = False
        self.unstanced: set[str] = set()  # categories with a claim that has no stance

    def user(self, name: str) -> str:
        return self.users.setdefault(name, stable_guid("user", name))

    def actor_code(self, actor: Actor) -> str:
        self.actors.setdefault(actor.id, actor)
        return stable_guid("code", "actor", actor.id)

    def claim_code(self, c: Claim) -> str:
        if c.category is None:
            self.uncategorised = True
        key = c.category or NO_CATEGORY
        if c.stance is None:
            self.unstanced.add(key)
            return stable_guid("code", "stance", key, NO_STANCE)
        return stable_guid("code", "stance", key, c.stance)

    def variable(self, name: str) -> str:
        guid = stable_guid("variable", name)
        self.variables[guid] = name
        return guid

    def codebook_xml(self, out: _Writer) -> None:
        book = self.codebook
        taken: set[str] = set()

        def unique(name: str) -> str:
            """``name`` quoted for XML, made unique among all code names of the file."""
            base, n = name, 1
            while name.casefold() in taken:
                n += 1
                name = f"{base} ({n})"
            taken.add(name.casefold())
            return _a(name)

        out.write("<CodeBook><Codes>")
        out.write(f'<Code guid="{stable_guid("code", "actors")}" name={unique("Actors")} '
                  'isCodable="false">')
        types: dict[str | None, list[Actor]] = {}
        for actor in self.actors.values():
            types.setdefault(actor.type, []).append(actor)
        for type_key, actors in sorted(types.items(), key=lambda kv: kv[0] or ""):
            kind = book.actor_type(type_key)
            color = f' color="{kind.color}"' if kind else ""
            name = kind.label if kind else (type_key or "Untyped")
            out.write(f'<Code guid="{stable_guid("code", "type", type_key or "")}" '
                      f'name={unique(name)} isCodable="false"{color}>')
            for actor in sorted(actors, key=lambda a: a.name):
                out.write(f'<Code guid="{stable_guid("code", "actor", actor.id)}" '
                          f'name={unique(actor.name)} isCodable="true">')
                details = []
                if actor.aliases:
                    details.append("aliases: " + "; ".join(actor.aliases))
                affiliation = self.actors.get(actor.affiliation_id or -1)
                if affiliation:
                    details.append(f"affiliation: {affiliation.name}")
                if details:
                    out.write(f"<Description>{_t(' | '.join(details))}</Description>")
                out.write("</Code>")
            out.write("</Code>")
        out.write("</Code>")

        out.write(f'<Code guid="{stable_guid("code", "claims")}" name={unique("Claims")} '
                  'isCodable="false">')
        stances = [(point.value, book.scale_label(point.value), point.color)
                   for point in book.scale]

        def open_code(key: str, cat: Category | None) -> None:
            color = f' color="{cat.color}"' if cat else ""
            label = cat.label if cat else key
            out.write(f'<Code guid="{stable_guid("code", "category", key)}" '
                      f'name={unique(label)} isCodable="true"{color}>')
            if cat and cat.description:
                out.write(f"<Description>{_t(cat.description)}</Description>")
            for value, name, point_color in stances:
                out.write(f'<Code guid="{stable_guid("code", "stance", key, value)}" '
                          f'name={unique(f"{label}: {name}")} isCodable="true" '
                          f'color="{point_color}"/>')
            if key in self.unstanced:
                out.write(f'<Code guid="{stable_guid("code", "stance", key, NO_STANCE)}" '
                          f'name={unique(f"{label}: {NO_STANCE}")} isCodable="true"/>')

        # nested as in the codebook, written from a flat list of events: no recursion
        for event, cat in self.tree.events():
            if event == "open":
                open_code(cat.key, cat)
            else:
                out.write("</Code>")
        if self.uncategorised:
            open_code(NO_CATEGORY, None)
            out.write("</Code>")
        out.write("</Code></Codes></CodeBook>")


def _source_xml(out: IO[str], links: IO[str], project: _Project, sets: list[AnnotationSet],
                guid: str, unit: str) -> None:
    art = sets[0].article
    index = Utf16Index(art.text) if unit == "utf16" else None

    def pos(offset: int) -> int:
        return index.to_utf16(offset) if index else offset

    out.write(f"<TextSource guid={_a(guid)} name={_a(art.title or art.uid[:12])} "
              f'plainTextPath="internal://{guid}.txt">')
    about = [f"{k}: {v}" for k, v in (("source", art.source), ("author", art.author),
                                      ("published", art.published), ("url", art.url),
                                      ("uid", art.uid)) if v]
    out.write(f"<Description>{_t(' | '.join(about))}</Description>")
    values: list[tuple[str, int]] = []
    for s in sets:
        if s.annotator is None:
            continue
        user = project.user(s.annotator)
        for m in s.mentions:
            actor = s.actors.get(m.actor_id)
            sel = stable_guid("selection", art.uid, s.annotator, "mention", m.id)
            out.write(f"<PlainTextSelection guid={_a(sel)} "
                      f"name={_a(actor.name if actor else m.text)} "
                      f'startPosition="{pos(m.start)}" endPosition="{pos(m.end)}" '
                      f'creatingUser="{user}">')
            if actor is not None:
                out.write(f'<Coding guid="{stable_guid("coding", sel)}" creatingUser="{user}">'
                          f'<CodeRef targetGUID="{project.actor_code(actor)}"/></Coding>')
            out.write("</PlainTextSelection>")
        for c in s.claims:
            sel = stable_guid("selection", art.uid, s.annotator, "claim", c.id)
            name = "Claim: " + project.tree.path(c.category)
            desc = []
            for role, actor_id in (("claimant", c.claimant_id), ("target", c.target_id)):
                actor = s.actors.get(actor_id) if actor_id is not None else None
                if actor is None:
                    continue
                desc.append(f"{role}: {actor.name}")
                code = project.actor_code(actor)
                origin, target = (code, sel) if role == "claimant" else (sel, code)
                links.write(f'<Link guid="{stable_guid("link", sel, role)}" name="{role}" '
                            f'direction="OneWay" originGUID="{origin}" targetGUID="{target}"/>')
            if c.stance is not None:
                desc.append("stance: " + project.codebook.scale_label(c.stance))
            if c.note:
                desc.append(f"note: {c.note}")
            out.write(f"<PlainTextSelection guid={_a(sel)} name={_a(name)} "
                      f'startPosition="{pos(c.start)}" endPosition="{pos(c.end)}" '
                      f'creatingUser="{user}">')
            if desc:
                out.write(f"<Description>{_t(' | '.join(desc))}</Description>")
            out.write(f'<Coding guid="{stable_guid("coding", sel)}" creatingUser="{user}">'
                      f'<CodeRef targetGUID="{project.claim_code(c)}"/></Coding>')
            out.write("</PlainTextSelection>")
        if s.article_sentiment is not None:
            values.append((project.variable(f"Article sentiment ({s.annotator})"),
                           s.article_sentiment))
        for actor_id, value in s.actor_sentiments.items():
            actor = s.actors.get(actor_id)
            if actor is not None:
                values.append((project.variable(
                    f"Sentiment towards {actor.name} ({s.annotator})"), value))
    for var, value in values:
        out.write(f'<VariableValue><VariableRef targetGUID="{var}"/>'
                  f"<IntegerValue>{value}</IntegerValue></VariableValue>")
    out.write("</TextSource>")


def write_qdpx(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
               codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    """Write the ``.qdpx`` archive ``dest``."""
    unit = POSITION_UNIT.check(options.get("position_unit"), "qdpx")
    project = _Project(codebook)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as sources, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as links, \
            zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        n_sources = 0
        for article, group in by_article(sets):
            guid = stable_guid("source", article.uid)
            zf.writestr(f"sources/{guid}.txt", article.text.encode("utf-8"))
            _source_xml(sources, links, project, group, guid, unit)
            n_sources += 1
        cancel.check()
        with zf.open("project.qde", "w") as raw, \
                _Utf8Writer(raw) as out:
            out.write('<?xml version="1.0" encoding="utf-8"?>\n'
                      f'<Project xmlns="{NAMESPACE}" name="Stancemark export" '
                      f'origin="Stancemark">')
            if project.users:
                out.write("<Users>")
                for name, guid in project.users.items():
                    out.write(f"<User guid={_a(guid)} name={_a(name)} id={_a(name)}/>")
                out.write("</Users>")
            project.codebook_xml(out)
            if project.variables:
                out.write("<Variables>")
                for guid, name in project.variables.items():
                    out.write(f'<Variable guid="{guid}" name={_a(name)} '
                              'typeOfVariable="Integer"/>')
                out.write("</Variables>")
            if n_sources:
                out.write("<Sources>")
                sources.seek(0)
                shutil.copyfileobj(sources, out)
                out.write("</Sources>")
            if links.tell():
                out.write("<Links>")
                links.seek(0)
                shutil.copyfileobj(links, out)
                out.write("</Links>")
            out.write("</Project>\n")


class _Utf8Writer:
    """A text writer over a binary zip entry (``io.TextIOWrapper`` would close it twice)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw

    def write(self, text: str) -> int:
        self._raw.write(text.encode("utf-8"))
        return len(text)

    def __enter__(self) -> _Utf8Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


EXPORTER = Exporter(
    name="qdpx",
    description="REFI-QDA project (.qdpx) for QualCoder, MAXQDA, ATLAS.ti, NVivo, QDA Miner",
    title="REFI-QDA project (.qdpx)",
    options=(POSITION_UNIT,),
    multi_file=False,
    suffix=".qdpx",
    write=write_qdpx,
)
