"""Discourse networks of a project: read the claims, compute, write files.

:func:`network_input` reads what the pure functions in
:mod:`stancemark.analysis.networks` need; :func:`compute` returns the networks
(the Analysis view's entry point); :func:`export_networks` writes them. An
output appears only when it is complete (a temporary file or folder beside it
is renamed into place) and an existing one is refused unless ``force``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from stancemark.analysis.networks import (
    ActorInfo,
    CategoryInfo,
    ClaimRecord,
    Network,
    NetworkInput,
    NetworkOptions,
    WindowedNetworks,
    Windows,
    build_network,
)
from stancemark.core.errors import Cancelled, StancemarkError, ValidationError
from stancemark.core.filters import StudyFilter
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent, no_progress
from stancemark.exchange import network_formats as formats
from stancemark.services.exchange import _replace
from stancemark.services.export_target import check_replaceable, starts_with
from stancemark.store.network_rows import (
    actor_rows,
    annotator_names,
    article_dates,
    claim_rows,
)
from stancemark.store.project import Store
from stancemark.store.statistics import article_ids


def _day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def network_input(store: Store) -> NetworkInput:
    """Claims, actors, categories and the scale's range of ``store``."""
    book = store.codebook.load()
    days = {art: _day(pub) for art, pub in article_dates(store).items()}
    names = annotator_names(store)
    claims = [ClaimRecord(cid, art, days.get(art), claimant, target, cat, stance, names[ann])
              for cid, art, claimant, target, cat, stance, ann in claim_rows(store)]
    actors = {aid: ActorInfo(aid, name, typ, aff) for aid, name, typ, aff in actor_rows(store)}
    categories = {c.key: CategoryInfo(c.key, c.label, c.parent) for c in book.categories}
    values = [p.value for p in book.scale]
    scale = (min(values), max(values)) if values else (0, 0)
    return NetworkInput(claims, actors, categories, scale)


def options_for(store: Store, f: StudyFilter | None, **settings: Any) -> NetworkOptions:
    """Network options with ``settings`` that keep what the study filter ``f`` keeps
    (outlets become the ids of their articles)."""
    opts = NetworkOptions(**settings)
    if f is None or f.empty:
        return opts
    return replace(
        opts,
        date_from=_day(f.date_from) if f.date_from else None,
        date_to=_day(f.date_to) if f.date_to else None,
        annotators=frozenset(f.annotators) if f.annotators is not None else None,
        categories=frozenset(f.categories) if f.categories is not None else None,
        actor_types=frozenset(f.actor_types) if f.actor_types is not None else None,
        articles=article_ids(store, f) if f.sources is not None else None)


def compute(store: Store, opts: NetworkOptions, windows: Windows | None = None,
            data: NetworkInput | None = None) -> Sequence[Network]:
    """The network, or one per time window (each computed when first used); pass
    ``data`` to reuse what was read."""
    data = data or network_input(store)
    if windows is None:
        return [build_network(data, opts)]
    nets = WindowedNetworks(data, opts, windows)
    if not nets:
        raise ValidationError("No dated claims are left for the time windows.",
                              "Check the filters and that the articles have dates.")
    return nets


@dataclass
class NetworkExport:
    """What an export wrote."""

    path: Path
    fmt: str
    networks: int = 0
    nodes: int = 0
    edges: int = 0
    claims: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        what = "network" if self.networks == 1 else f"{self.networks} networks"
        skipped = ""
        if self.skipped:
            skipped = "; left out: " + ", ".join(f"{n} {why}" for why, n in
                                                 sorted(self.skipped.items()))
        return (f"wrote {what} ({self.nodes:,} nodes, {self.edges:,} ties, "
                f"{self.claims:,} claims) as {self.fmt} to {self.path}{skipped}.")


def window_file_name(index: int, net: Network, fmt: str) -> str:
    start = net.start.isoformat() if net.start else "start"
    end = net.end.isoformat() if net.end else "end"
    return f"window-{index:03d}_{start}_{end}{formats.SUFFIXES[fmt]}"


def export_networks(store: Store, opts: NetworkOptions, fmt: str, output: str | Path,
                    windows: Windows | None = None, *, force: bool = False,
                    progress: ProgressCallback = no_progress,
                    cancel: CancelFlag | None = None) -> NetworkExport:
    """Write the network(s) to ``output``: one file, or with time windows a GEXF
    dynamic graph or a folder of one file per window (csv, graphml, dl)."""
    if fmt not in formats.FORMATS:
        raise ValidationError(f"Unknown network format {fmt!r}.",
                              f"Use one of: {', '.join(formats.FORMATS)}.")
    cancel = cancel or CancelFlag()
    out = Path(output).expanduser().absolute()
    folder = windows is not None and fmt != "gexf"
    if not folder and out.is_dir() and not out.is_symlink():
        raise StancemarkError(f"{out} is a folder; a {fmt} network is one file.",
                              "Give a file name.")
    check_replaceable(out, force=force, ours=_ours_folder if folder else _ours_file,
                      project=store.path, folder=folder)
    nets = compute(store, opts, windows)
    summary = NetworkExport(out, fmt, networks=len(nets), skipped=nets[0].skipped,
                            claims=sum(n.claims for n in nets))
    total = sum(len(n.rows) for n in nets)
    done = 0

    def tick(n: Network) -> None:
        nonlocal done
        cancel.check()
        done += len(n.rows)
        progress(ProgressEvent(done, total, "writing"))

    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        if folder:
            target = tmp_dir / out.name
            target.mkdir()
            for k, n in enumerate(nets, 1):
                summary.edges += _write_one(n, fmt, target / window_file_name(k, n, fmt))
                tick(n)
        else:
            target = tmp_dir / out.name
            if fmt == "gexf":
                with open(target, "w", encoding="utf-8", newline="\n") as fp:
                    summary.edges = formats.write_gexf(nets, fp, dynamic=windows is not None)
                for n in nets:
                    tick(n)
            else:
                summary.edges = _write_one(nets[0], fmt, target)
                tick(nets[0])
        cancel.check()
        _replace(target, out)
    except Cancelled:
        raise
    except OSError as exc:
        raise StancemarkError(f"Cannot write {out}: {exc.strerror or exc}.",
                              "Check the disk space and that you may write there.") from None
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    ids: set[str] = set()
    for n in nets:
        ids.update(x.id for x in n.rows)
        if not n.one_mode:
            ids.update(x.id for x in n.cols)
    summary.nodes = len(ids)
    return summary


def _is_network_file(head: bytes) -> bool:
    """The first bytes of a network file this command writes (any of its formats)."""
    return (head.startswith("\ufeff,".encode()) or head.startswith(b"dl n")
            or (head.startswith(b"<?xml") and (b"g_network" in head[:4096]
                                               or b"<creator>Stancemark</creator>" in head)))


_ours_file = starts_with(_is_network_file)


def _ours_folder(folder: Path) -> bool:
    """A folder of one network file per time window, as this command writes it."""
    entries = list(folder.iterdir())
    return all(e.is_file() and not e.is_symlink() and _ours_file(e) for e in entries)


def _write_one(net: Network, fmt: str, path: Path) -> int:
    encoding = formats.CSV_ENCODING if fmt == "csv" else "utf-8"
    with open(path, "w", encoding=encoding, newline="\n") as fp:
        if fmt == "csv":
            return formats.write_csv(net, fp)
        if fmt == "graphml":
            return formats.write_graphml(net, fp)
        if fmt == "dl":
            return formats.write_dl(net, fp)
        return formats.write_gexf([net], fp)
