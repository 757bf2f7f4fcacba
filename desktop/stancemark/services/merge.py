"""Merging a Stancemark JSONL set into a project: validate everything, then apply at once.

:func:`plan_merge` reads the whole file once and refuses the first bad line by
number (bad JSON, wrong shape, a uid that is not the text's hash, offsets past
the end, span text not matching the slice, unknown local ids, values outside
the codebook). It keeps only the file's digest and the codebook additions, so
memory stays flat; :func:`apply_merge` reads the file again inside one
transaction and rolls back if it changed in between.

Matching: articles by ``uid``; actors by name or alias (case-insensitive), new
ones created; annotators by name, each annotator's work kept apart. For an
annotation the project (or an earlier part of the set) already has on the same
span by the same annotator, equal values are a duplicate (skipped and counted)
and other values a conflict (the project's value is kept and the conflict is
listed in the report). A merge obeys the rules of editing: no mention twice,
no actor affiliated with itself or in a loop (the registry's own check), and
a codebook that only gains entries that agree with the project's
(:func:`~stancemark.core.codebook.merge_codebooks`).

Hostile input (JSON nested thousands deep, lone surrogates, numbers too big
for SQLite, wrong types) is refused by line number like any other bad line.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.codebook import Codebook, is_text, merge_codebooks
from stancemark.core.errors import StancemarkError, ValidationError
from stancemark.core.infile import open_regular
from stancemark.core.models import STATUSES
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent
from stancemark.core.text import text_hash
from stancemark.store import merge as sql
from stancemark.store import registry as reg

if TYPE_CHECKING:
    from stancemark.core.reports import MergeReport
    from stancemark.store.project import Store

_ART_STR = ("title", "subtitle", "source", "url", "author", "published", "language")


@dataclass
class MergePlan:
    """A validated set: where it is, its digest, and what the codebook gains."""

    path: Path
    digest: str
    lines: int
    articles: int
    codebook: Codebook | None = None
    new_types: list[str] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    new_scale: list[int] = field(default_factory=list)
    codebook_changes: list[str] = field(default_factory=list)


#: One line holds one article with its annotations; articles are at most 20 MB.
MAX_LINE_BYTES = 64 * 2**20

#: A whole set: some 100,000 long articles with their annotations. Standard input is
#: spooled to a temporary file up to this size.
MAX_SET_BYTES = 8 * 2**30

SET_HINT = "Choose a Stancemark .jsonl annotation set (or - for standard input)."


def _lines(path: Path, digest: Any) -> Iterator[tuple[int, str]]:
    f = open_regular(path, SET_HINT)
    with f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_SET_BYTES:
            raise ValidationError(f"{path.name} is {size / 2**30:.1f} GB, more than the "
                                  f"{MAX_SET_BYTES // 2**30} GB an annotation set may be.",
                                  "Split the set (export fewer articles at a time).")
        n = 0
        while True:
            # readline with a cap: a 1 GB file with no line break never lands in memory
            raw = f.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            n += 1
            if len(raw) > MAX_LINE_BYTES:
                raise ValidationError(
                    f"{path.name}, line {n}: longer than {MAX_LINE_BYTES // 2**20} MB, which no "
                    "annotation set line is.", "The file is damaged or not an annotation set; "
                    "nothing was merged.")
            if b"\x00" in raw:
                raise ValidationError(f"{path.name}, line {n}: holds NUL bytes, so it is not "
                                      "text.", "The file is damaged; export it again.")
            digest.update(raw)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError(f"{path.name}, line {n}: not UTF-8 text.",
                                      "The file is damaged; export it again.") from None
            if n == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if line.strip():
                yield n, line


class _Line:
    """Checks of one line, each failure naming the line."""

    def __init__(self, name: str, n: int) -> None:
        self.where = f"{name}, line {n}"

    def fail(self, what: str) -> ValidationError:
        return ValidationError(f"{self.where}: {what}.",
                               "The set is malformed or truncated; nothing was merged.")

    def obj(self, value: Any, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be an object")
        return value

    def lst(self, value: Any, what: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(f"{what} must be a list")
        return value

    def string(self, value: Any, what: str, *, null: bool = True) -> str | None:
        if value is None and null:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{what} must be text{' or null' if null else ''}, not "
                            f"{show(value)}")
        if not is_text(value):
            raise self.fail(f"{what} holds a lone surrogate (a \\ud800-\\udfff escape), which "
                            "is not text")
        if "\x00" in value:
            raise self.fail(f"{what} holds a NUL character, which is not text")
        return value

    def integer(self, value: Any, what: str, *, null: bool = True) -> int | None:
        if value is None and null:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"{what} must be a whole number{' or null' if null else ''}, not "
                            f"{show(value)}")
        return value


def show(value: Any, limit: int = 40) -> str:
    """A value for an error message: short, and never a recursive repr of hostile JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if abs(value) < 10**15:
            return str(value)
        return f"a number of {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, float):
        return f"the fraction {value!r}"
    if isinstance(value, str):
        text = value if len(value) <= limit else value[:limit - 1] + "…"
        return repr(text.encode("utf-8", "backslashreplace").decode("utf-8"))
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def parse_line(chk: _Line, line: str) -> dict[str, Any]:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise chk.fail(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise chk.fail("JSON nested too deeply (an annotation set nests a few levels)") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise chk.fail("a number far too long to be one") from None
    rec = chk.obj(rec, "the line")
    version = rec.get("stancemark")
    if not (isinstance(version, int) and not isinstance(version, bool) and version == 1):
        raise chk.fail('"stancemark" must be 1 (is this a Stancemark annotation set?)')
    return rec


def check_article_record(chk: _Line, rec: dict[str, Any], types: set[str], cats: set[str],
                         scale: set[int]) -> None:
    """Validate one article line completely (shape, hash, spans, references, codebook)."""
    annotator = chk.string(rec.get("annotator"), '"annotator"')
    if annotator is not None and not annotator.strip():
        raise chk.fail('"annotator" must not be empty')
    art = chk.obj(rec.get("article"), '"article"')
    text = chk.string(art.get("text"), '"article.text"', null=False)
    uid = chk.string(art.get("uid"), '"article.uid"', null=False)
    assert text is not None
    if uid != text_hash(text):
        raise chk.fail('"article.uid" is not the SHA-256 of the article text (the text was '
                       'changed or cut)')
    if "\r" in text or text.startswith("\ufeff"):
        raise chk.fail('"article.text" has CR line ends or a byte-order mark; a project\'s '
                       "texts use LF line ends, and every offset counts on that")
    for key in _ART_STR:
        chk.string(art.get(key), f'"article.{key}"')
    status = art.get("status", "new")
    if not isinstance(status, str) or status not in STATUSES:
        raise chk.fail(f'"article.status" must be one of {", ".join(STATUSES)}')
    ids: set[str] = set()
    actors = chk.lst(rec.get("actors", []), '"actors"')
    for i, a in enumerate(actors):
        a = chk.obj(a, f"actor {i + 1}")
        aid = chk.string(a.get("id"), f"actor {i + 1} id", null=False)
        assert aid is not None
        if aid in ids:
            raise chk.fail(f"actor id {show(aid)} is used twice")
        ids.add(aid)
        who = f"actor {show(aid)}"
        name = chk.string(a.get("name"), f"{who} name", null=False)
        if not (name or "").strip():
            raise chk.fail(f"{who} has no name")
        t = chk.string(a.get("type"), f"{who} type")
        if t is not None and t not in types:
            raise chk.fail(f"{who} has type {show(t)}, which neither the project's nor the "
                           "set's codebook has")
        for alias in chk.lst(a.get("aliases", []), f"{who} aliases"):
            chk.string(alias, f"an alias of {who}", null=False)
    for a in actors:
        aff = chk.string(a.get("affiliation"), f"actor {show(a['id'])} affiliation")
        if aff is not None and aff not in ids:
            raise chk.fail(f"actor {show(a['id'])} is affiliated with unknown actor id "
                           f"{show(aff)}")

    def ref(value: Any, what: str, *, null: bool = True) -> None:
        v = chk.string(value, what, null=null)
        if v is not None and v not in ids:
            raise chk.fail(f"{what} names unknown actor id {show(v)}")

    def span(item: dict[str, Any], what: str) -> None:
        start = chk.integer(item.get("start"), f"{what} start", null=False)
        end = chk.integer(item.get("end"), f"{what} end", null=False)
        assert start is not None and end is not None
        if not 0 <= start < end <= len(text):
            raise chk.fail(f"{what} offsets {show(start)}–{show(end)} are outside the article "
                           f"text (length {len(text)})")
        st = chk.string(item.get("text"), f"{what} text", null=False)
        if text[start:end] != st:
            raise chk.fail(f"{what} text {show(st)} does not match the article text at "
                           f"{start}–{end} ({show(text[start:end])})")

    def label(item: dict[str, Any], kind: str, i: int) -> str:
        local = item.get("id")
        return f"{kind} {local}" if (isinstance(local, str) and 0 < len(local) <= 20
                                    and local.isprintable() and is_text(local)) \
            else f"{kind} {i + 1}"

    for i, m in enumerate(chk.lst(rec.get("mentions", []), '"mentions"')):
        m = chk.obj(m, f"mention {i + 1}")
        what = label(m, "mention", i)
        span(m, what)
        ref(m.get("actor"), f"{what} actor", null=False)
    for i, c in enumerate(chk.lst(rec.get("claims", []), '"claims"')):
        c = chk.obj(c, f"claim {i + 1}")
        what = label(c, "claim", i)
        span(c, what)
        ref(c.get("claimant"), f"{what} claimant")
        ref(c.get("target"), f"{what} target")
        cat = chk.string(c.get("category"), f"{what} category")
        if cat is not None and cat not in cats:
            raise chk.fail(f"{what} has category {show(cat)}, which neither codebook has")
        stance = chk.integer(c.get("stance"), f"{what} stance")
        if stance is not None and stance not in scale:
            raise chk.fail(f"{what} stance {show(stance)} is not on the scale")
        chk.string(c.get("note"), f"{what} note")
    sent = rec.get("sentiment")
    sent = chk.obj({} if sent is None else sent, '"sentiment"')
    value = chk.integer(sent.get("article"), "article sentiment")
    if value is not None and value not in scale:
        raise chk.fail(f"article sentiment {show(value)} is not on the scale")
    portrayals = sent.get("actors")
    for key, v in chk.obj({} if portrayals is None else portrayals,
                          '"sentiment.actors"').items():
        ref(key, "a sentiment")
        chk.integer(v, f"sentiment of {show(key)}", null=False)
        if v not in scale:
            raise chk.fail(f"sentiment {show(v)} of {show(key)} is not on the scale")
    has_work = (rec.get("mentions") or rec.get("claims") or sent.get("actors")
                or sent.get("article") is not None)
    if has_work and rec.get("annotator") is None:
        raise chk.fail('annotations need an "annotator"')


def plan_merge(store: Store, path: Path, progress: ProgressCallback,
               cancel: CancelFlag) -> MergePlan:
    """Validate the whole set at ``path`` against ``store``; raise on the first bad line."""
    digest = hashlib.sha256()
    project_book = store.codebook.load()
    types = {t.key for t in project_book.actor_types}
    cats = {c.key for c in project_book.categories}
    scale = {p.value for p in project_book.scale}
    plan = MergePlan(path, "", 0, 0)
    articles = 0
    last = 0
    for n, line in _lines(path, digest):
        cancel.check()
        last = n
        chk = _Line(path.name, n)
        rec = parse_line(chk, line)
        kind = rec.get("kind")
        if kind == "codebook":
            if articles or plan.codebook is not None:
                raise chk.fail("the codebook must be the first line")
            body = {k: v for k, v in rec.items() if k not in ("stancemark", "kind")}
            try:
                book = Codebook.from_dict(body)
            except ValidationError as exc:
                raise chk.fail(f"bad codebook ({exc.message})") from None
            try:
                joined = merge_codebooks(project_book, book)
            except ValidationError as exc:
                raise ValidationError(f"{chk.where}: {exc.message}.", exc.hint) from None
            plan.codebook = book
            plan.new_types = joined.new_types
            plan.new_categories = joined.new_categories
            plan.new_scale = joined.new_scale
            plan.codebook_changes = joined.changes
            types |= set(plan.new_types)
            cats |= set(plan.new_categories)
            scale |= set(plan.new_scale)
        elif kind == "article":
            check_article_record(chk, rec, types, cats, scale)
            articles += 1
            if articles % 100 == 0:
                progress(ProgressEvent(articles, None, "checking"))
        else:
            raise chk.fail(f'"kind" must be "codebook" or "article", not {show(kind)}')
    if articles == 0 and plan.codebook is None:
        raise ValidationError(f"{path.name} holds no annotation set (it is empty).",
                              "Choose a Stancemark .jsonl export.")
    plan.digest = digest.hexdigest()
    plan.lines = last
    plan.articles = articles
    return plan


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def apply_merge(store: Store, plan: MergePlan, report: MergeReport,
                progress: ProgressCallback, cancel: CancelFlag) -> None:
    """Merge the validated set in one transaction, filling ``report``."""
    digest = hashlib.sha256()
    done = 0
    with store.write():
        if plan.codebook is not None and (plan.new_types or plan.new_categories
                                          or plan.new_scale):
            # again against the codebook as it is now (the window may have changed it)
            try:
                joined = merge_codebooks(store.codebook.load(), plan.codebook)
            except ValidationError as exc:
                raise ValidationError(f"{plan.path.name}, line 1: {exc.message}.",
                                      exc.hint) from None
            store.codebook.save(joined.book)
            report.codebook_changes = joined.changes
        new_rows: set[tuple[Any, ...]] = set()
        for n, line in _lines(plan.path, digest):
            cancel.check()
            rec = json.loads(line)
            if rec.get("kind") != "article":
                continue
            try:
                _merge_record(store, rec, report, new_rows)
            except StancemarkError as exc:
                # a rule of editing (an affiliation loop…): the line is named, nothing is kept
                raise ValidationError(f"{plan.path.name}, line {n}: {exc.message}",
                                      exc.hint or "Nothing was merged.") from None
            done += 1
            progress(ProgressEvent(done, plan.articles, rec["article"].get("title") or ""))
        if digest.hexdigest() != plan.digest:
            raise ValidationError(f"{plan.path.name} changed while it was being merged.",
                                  "Nothing was merged; try again.")


def _match_actor(store: Store, a: dict[str, Any]) -> int | None:
    for name in [a["name"], *a.get("aliases", [])]:
        found = store.actors.by_name(name.strip())
        if found is not None:
            return found.id
    return None


def _merge_record(store: Store, rec: dict[str, Any], report: MergeReport,
                  new_rows: set[tuple[Any, ...]]) -> None:
    """Merge one article line; ``new_rows`` holds what earlier lines of this set added."""
    art = rec["article"]
    existing = sql.article_by_uid(store, art["uid"])
    if existing is None:
        article_id = sql.insert_article(store, art)
        report.articles_added += 1
    else:
        article_id = existing.id
        report.articles_matched += 1
    label = f"article {art.get('title') or art['uid'][:12]!r}"
    annotator = rec.get("annotator")
    if annotator is None:
        return
    # actors
    local: dict[str, int] = {}
    created: list[dict[str, Any]] = []
    for a in rec.get("actors", []):
        actor_id = _match_actor(store, a)
        if actor_id is None:
            actor_id = store.actors.add(a["name"], a.get("type"), aliases=a.get("aliases", []))
            report.actors_added += 1
            created.append(a)
        local[a["id"]] = actor_id
    for a in created:
        if a.get("affiliation"):
            # the registry's own rule: never affiliated with itself, never a loop
            reg.check_affiliation(store, local[a["id"]], local[a["affiliation"]])
            store.actors.update(local[a["id"]], affiliation_id=local[a["affiliation"]])
    ann_id = store.annotator_id(annotator)
    who = f"{label}, annotator {annotator}"
    names = {v: a["name"] for a in rec.get("actors", []) for v in [local[a["id"]]]}

    def actor_name(actor_id: int | None) -> str:
        if actor_id is None:
            return "none"
        return names.get(actor_id) or store.actors.get(actor_id).name

    for m in rec.get("mentions", []):
        actor_id = local[m["actor"]]
        there = sql.mentions_at(store, article_id, ann_id, m["start"], m["end"])
        prior = [r for r in there if ("m", r[0]) not in new_rows]
        if any(r[1] == actor_id for r in there):
            report.duplicates += 1  # the window refuses the same mention twice, so do we
        elif prior:
            report.conflicts.append(
                f"{who}: mention {m['start']}–{m['end']} {_short(m['text'])!r}: actor "
                f"{actor_name(prior[0][1])!r} in the project, {actor_name(actor_id)!r} "
                "in the set")
        else:
            new_rows.add(("m", sql.insert_mention(store, article_id, ann_id, m["start"],
                                                  m["end"], m["text"], actor_id)))
            report.mentions_added += 1
    for c in rec.get("claims", []):
        values = (local.get(c.get("claimant")) if c.get("claimant") else None,
                  local.get(c.get("target")) if c.get("target") else None,
                  c.get("category"), c.get("stance"), c.get("note"))
        found = sql.claims_at(store, article_id, ann_id, c["start"], c["end"])
        prior_claims = [r for r in found if ("c", r[0]) not in new_rows]
        if any(tuple(r[1:]) == values for r in found):
            report.duplicates += 1
        elif prior_claims:
            old = prior_claims[0][1:]
            diffs = []
            for i, fld in enumerate(("claimant", "target", "category", "stance", "note")):
                if old[i] != values[i]:
                    say = actor_name if i < 2 else (lambda v: "none" if v is None else v)
                    diffs.append(f"{fld} {say(old[i])!r} in the project, "
                                 f"{say(values[i])!r} in the set")
            report.conflicts.append(f"{who}: claim {c['start']}–{c['end']} "
                                    f"{_short(c['text'])!r}: {'; '.join(diffs)}")
        else:
            new_rows.add(("c", sql.insert_claim(store, article_id, ann_id, c["start"],
                                                c["end"], c["text"], *values)))
            report.claims_added += 1
    sent = rec.get("sentiment") or {}
    value = sent.get("article")
    if value is not None:
        was = sql.article_sentiment(store, article_id, ann_id)
        row: tuple[Any, ...] = ("s", article_id, ann_id)
        if was is None:
            sql.insert_article_sentiment(store, article_id, ann_id, value)
            new_rows.add(row)
            report.sentiments_added += 1
        elif was == value:
            report.duplicates += 1
        else:
            report.conflicts.append(f"{who}: article sentiment {was:+d} {_where(row, new_rows)},"
                                    f" {value:+d} in the set")
    for local_id, value in (sent.get("actors") or {}).items():
        actor_id = local[local_id]
        was = sql.actor_sentiment(store, article_id, actor_id, ann_id)
        row = ("s", article_id, ann_id, actor_id)
        if was is None:
            sql.insert_actor_sentiment(store, article_id, actor_id, ann_id, value)
            new_rows.add(row)
            report.sentiments_added += 1
        elif was == value:
            report.duplicates += 1
        else:
            report.conflicts.append(f"{who}: sentiment towards {actor_name(actor_id)!r} "
                                    f"{was:+d} {_where(row, new_rows)}, {value:+d} in the set")


def _where(key: tuple[Any, ...], new_rows: set[tuple[Any, ...]]) -> str:
    return "earlier in the set" if key in new_rows else "in the project"
