"""brat standoff: per document a ``.txt`` and a ``.ann``, and one ``annotation.conf``.

Documents are one per article and annotator: ``<annotator>/article-<id>.txt``
(articles nobody annotated go to ``unannotated/``). Offsets are code points of
the ``.txt`` (brat counts characters). A span that crosses a line break is
written as fragments (``start end;start end``) whose texts, joined by one
space, are the T line's text, as brat itself writes them.

Mentions are T lines typed by actor type (``Actor`` when untyped) with the
actor's canonical name as a note; claims are ``Claim`` T lines with ``Stance``
and ``Category`` attributes, and ``Claimant``/``Target`` relations to the
nearest mention of that actor. An actor with no mention in the article is
named in the claim's note instead. Notes are ``#`` AnnotatorNotes lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.codebook import Codebook
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.core.spans import line_fragments
from stancemark.exchange.common import UNTYPED, entity_label, nearest_mention, safe_name
from stancemark.exchange.registry import Exporter

CLAIM = "Claim"


def stance_value(value: int) -> str:
    return f"{value:+d}" if value else "0"


def annotation_conf(codebook: Codebook) -> str:
    types = [t.key for t in codebook.actor_types] + [UNTYPED]
    actor_args = "|".join(types)
    lines = ["# Stancemark annotation schema for brat", "[entities]", *types, CLAIM, "",
             "[relations]",
             f"Claimant Arg1:{CLAIM}, Arg2:{actor_args}",
             f"Target Arg1:{CLAIM}, Arg2:{actor_args}",
             "<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "",
             "[events]", "", "[attributes]"]
    if codebook.scale:
        values = "|".join(stance_value(p.value) for p in codebook.scale)
        lines.append(f"Stance Arg:{CLAIM}, Value:{values}")
    if codebook.categories:
        lines.append(f"Category Arg:{CLAIM}, Value:{'|'.join(c.key for c in codebook.categories)}")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def ann_lines(s: AnnotationSet) -> list[str]:
    """The ``.ann`` lines of one annotation set."""
    text = s.article.text
    out: list[str] = []
    n_t = n_r = n_a = n_n = 0

    def entity(label: str, start: int, end: int) -> str:
        nonlocal n_t
        n_t += 1
        frags = line_fragments(text, start, end)
        locs = ";".join(f"{a} {b}" for a, b in frags)
        out.append(f"T{n_t}\t{label} {locs}\t{' '.join(text[a:b] for a, b in frags)}")
        return f"T{n_t}"

    def note(ref: str, body: str) -> None:
        nonlocal n_n
        body = _one_line(body)
        if body:
            n_n += 1
            out.append(f"#{n_n}\tAnnotatorNotes {ref}\t{body}")

    tid: dict[int, str] = {}
    for m in s.mentions:
        actor = s.actors[m.actor_id]
        tid[m.id] = entity(entity_label(actor.type), m.start, m.end)
        note(tid[m.id], actor.name)
    for c in s.claims:
        ref = entity(CLAIM, c.start, c.end)
        notes = [c.note] if c.note else []
        for role, actor_id in (("Claimant", c.claimant_id), ("Target", c.target_id)):
            if actor_id is None:
                continue
            near = nearest_mention(s.mentions, actor_id, c.start, c.end)
            if near is None:
                notes.append(f"{role.lower()}: {s.actors[actor_id].name}")
            else:
                n_r += 1
                out.append(f"R{n_r}\t{role} Arg1:{ref} Arg2:{tid[near.id]}")
        if c.stance is not None:
            n_a += 1
            out.append(f"A{n_a}\tStance {ref} {stance_value(c.stance)}")
        if c.category is not None:
            n_a += 1
            out.append(f"A{n_a}\tCategory {ref} {c.category}")
        note(ref, " | ".join(notes))
    return out


def write(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
          codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    (dest / "annotation.conf").write_text(annotation_conf(codebook), encoding="utf-8",
                                          newline="\n")
    folders: dict[str | None, Path] = {}
    for s in sets:
        folder = folders.get(s.annotator)
        if folder is None:
            taken = {p.name for p in folders.values()}
            base = safe_name(s.annotator) if s.annotator is not None else "unannotated"
            name, i = base, 1
            while name in taken:
                i += 1
                name = f"{base}-{i}"
            folder = folders[s.annotator] = dest / name
            folder.mkdir()
        stem = folder / f"article-{s.article.id}"
        with open(stem.with_suffix(".txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write(s.article.text)
        with open(stem.with_suffix(".ann"), "w", encoding="utf-8", newline="\n") as f:
            f.writelines(line + "\n" for line in ann_lines(s))


EXPORTER = Exporter(
    name="brat",
    description="brat standoff for the brat server (.txt + .ann per article and annotator, "
                "annotation.conf)",
    title="brat standoff",
    multi_file=True,
    suffix="",
    write=write,
)
