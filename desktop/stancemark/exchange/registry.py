"""The export formats by name, and the contract every exporter keeps.

An exporter is a plain :class:`Exporter` value (no Qt) defined as ``EXPORTER`` in
its own module; :data:`FORMATS` maps each command-line name to that module, so a
format is loaded only when it is used and no format module has to edit this file.

The framework (``services.exchange.export_project``) owns everything around the
write: filtering, refusing to overwrite, the temporary file or folder and the
final atomic rename, zipping, progress, cancel and counting. ``write`` only turns
the stream of :class:`~stancemark.exchange.model.AnnotationSet` into bytes:

- a single-file format (``multi_file`` False) writes the file ``dest``;
- a multi-file format writes into the existing, empty folder ``dest`` (the
  framework zips it when the output path ends in ``.zip``).

``sets`` is a one-pass iterator; keep memory flat (write each set as it comes,
keep only small per-actor or per-category aggregates). ``options`` holds the
format options (``position_unit``: ``"codepoint"``/``"utf16"``; ``network``:
``"one-mode"``/``"two-mode"``); ignore the ones that are not yours. The
framework already reports progress per article and checks ``cancel`` between
sets; an exporter that does long work after the stream (e.g. building a graph)
may call ``cancel.check()`` and ``progress`` itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.codebook import Codebook
from stancemark.core.errors import ValidationError
from stancemark.core.progress import CancelFlag, ProgressCallback

WriteFn = Callable[
    [Iterable[AnnotationSet], Path, Mapping[str, Any], Codebook, ProgressCallback, CancelFlag],
    None,
]


@dataclass(frozen=True, slots=True)
class Exporter:
    """One export format: its name, what it is, and the function that writes it."""

    name: str
    description: str
    multi_file: bool
    suffix: str  # of the single output file (".jsonl"), or "" for a folder
    write: WriteFn
    lossy: bool = False


#: Command-line name -> module defining ``EXPORTER``; the order is the menu order.
FORMATS: dict[str, str] = {
    "jsonl": "stancemark.exchange.jsonl",
    "csv": "stancemark.exchange.csv_export",
    "brat": "stancemark.exchange.brat",
    "doccano": "stancemark.exchange.doccano",
    "labelstudio": "stancemark.exchange.labelstudio",
    "xmi": "stancemark.exchange.xmi",
    "conll": "stancemark.exchange.conll",
    "graphml": "stancemark.exchange.graphml",
    "qdpx": "stancemark.exchange.qdpx",
}


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``; :class:`ValidationError` if there is none."""
    module = FORMATS.get(name)
    if module is None:
        raise ValidationError(f"Unknown export format {name!r}.",
                              f"Use one of: {', '.join(FORMATS)}.")
    try:
        exporter = importlib.import_module(module).EXPORTER
    except (ImportError, AttributeError):
        raise ValidationError(f"The {name} export is not available in this build.",
                              f"Use one of: {', '.join(available())}.") from None
    assert isinstance(exporter, Exporter)
    return exporter


def available() -> list[str]:
    """Names of the formats whose module can be loaded, in menu order."""
    out = []
    for name, module in FORMATS.items():
        try:
            if isinstance(getattr(importlib.import_module(module), "EXPORTER", None), Exporter):
                out.append(name)
        except ImportError:
            continue
    return out
