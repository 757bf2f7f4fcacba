"""Shared by the Label Studio, XMI, GraphML and REFI-QDA tests: run an exporter on a store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.filters import ExportFilter
from stancemark.core.progress import CancelFlag, no_progress
from stancemark.exchange.registry import get_exporter
from stancemark.store.exchange import iter_annotation_sets


def export(store: Any, fmt: str, dest: Path, **options: Any) -> Path:
    exporter = get_exporter(fmt)
    if exporter.multi_file:
        dest.mkdir(parents=True, exist_ok=True)
    exporter.write(iter_annotation_sets(store, ExportFilter()), dest, options,
                   store.codebook.load(), no_progress, CancelFlag())
    return dest


def all_sets(store: Any) -> list[AnnotationSet]:
    return list(iter_annotation_sets(store, ExportFilter()))


def expected_spans(store: Any) -> set[tuple[str, str | None, str, int, int, str]]:
    """(uid, annotator, kind, start, end, text) of every mention and claim, in code points."""
    out = set()
    for s in all_sets(store):
        for m in s.mentions:
            out.add((s.article.uid, s.annotator, "mention", m.start, m.end, m.text))
        for c in s.claims:
            out.add((s.article.uid, s.annotator, "claim", c.start, c.end, c.text))
    return out
