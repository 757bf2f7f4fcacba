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
exporter's own :class:`ExportOption` values, already checked and with every
default filled in (:func:`resolve_options`). The
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

#: The description of an export's options is made here once; the command line
#: (``cli_exchange``) and the window's dialog (``ui.export_dialog``) are built
#: from it, so a format is one module plus one line in :data:`FORMATS`.


@dataclass(frozen=True, slots=True)
class ExportOption:
    """One choice an exporter offers: its key, its values with labels, and its default."""

    name: str  # key in the options mapping; the command line spells it --name-with-dashes
    label: str  # the window's label ("Network")
    help: str  # one line for --help and the window's tool tip
    choices: tuple[tuple[str, str], ...]  # (value, label shown in the window)
    default: str

    @property
    def flag(self) -> str:
        """The command-line option, e.g. ``--position-unit``."""
        return "--" + self.name.replace("_", "-")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    def check(self, value: object, fmt: str) -> str:
        """``value`` if it is one of the choices; :class:`ValidationError` naming them if not."""
        if value is None or value == "":
            return self.default
        if not isinstance(value, str) or value not in self.values:
            shown = repr(value)[:40]
            raise ValidationError(f"{fmt}: {self.flag} {shown} is not a choice.",
                                  f"Use one of: {', '.join(self.values)}.")
        return value


WriteFn = Callable[
    [Iterable[AnnotationSet], Path, Mapping[str, Any], Codebook, ProgressCallback, CancelFlag],
    None,
]


@dataclass(frozen=True, slots=True)
class Exporter:
    """One export format: its name, what it is, its options and the function that writes it.

    ``description`` names the program the format is meant for. ``companion`` is the
    suffix of a side file a single-file format writes beside ``dest`` (its name is
    ``dest`` with ``companion`` in place of its suffix); the framework renames it
    into place with the main file. ``note`` says, for the chosen options, what
    the receiving program needs (shown in the export summary).
    """

    name: str
    description: str
    multi_file: bool
    suffix: str  # of the single output file (".jsonl"), or "" for a folder
    write: WriteFn
    lossy: bool = False
    title: str = ""
    options: tuple[ExportOption, ...] = ()
    companion: str = ""
    note: Callable[[Mapping[str, str]], str] | None = None

    def option(self, name: str) -> ExportOption | None:
        """This exporter's option called ``name``, or None."""
        return next((o for o in self.options if o.name == name), None)


def companion_path(dest: Path, suffix: str) -> Path:
    """Where the side file with ``suffix`` of the output ``dest`` goes."""
    return dest.with_name(dest.stem + suffix)


def resolve_options(exporter: Exporter, given: Mapping[str, Any] | None) -> dict[str, str]:
    """The exporter's options from ``given``, checked, every default filled in.

    Keys that belong to other formats are ignored (one mapping may serve several
    exports); a value that is not one of an option's choices is refused before
    anything is written.
    """
    given = given or {}
    return {o.name: o.check(given.get(o.name), exporter.name) for o in exporter.options}


def all_options() -> dict[str, tuple[ExportOption, list[str]]]:
    """Every option of the available formats, with the formats that use it (menu order)."""
    out: dict[str, tuple[ExportOption, list[str]]] = {}
    for name in available():
        for option in get_exporter(name).options:
            entry = out.setdefault(option.name, (option, []))
            entry[1].append(name)
    return out


#: Command-line name -> module defining ``EXPORTER``; the order is the menu order.
FORMATS: dict[str, str] = {
    "jsonl": "stancemark.exchange.jsonl",
    "csv": "stancemark.exchange.csv_export",
    "brat": "stancemark.exchange.brat",
    "doccano": "stancemark.exchange.doccano",
    "labelstudio": "stancemark.exchange.labelstudio",
    "xmi": "stancemark.exchange.xmi",
    "inception": "stancemark.exchange.inception",
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
