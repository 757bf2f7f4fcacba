"""``stancemark network`` and ``stancemark dna import|export``: discourse networks, headless."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from stancemark import APP_NAME
from stancemark.core.text import printable

EXIT_OK = 0


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _ids(value: str) -> frozenset[int]:
    try:
        return frozenset(int(x) for x in value.split(",") if x.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("--ids takes numbers separated by commas") from None


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return n


def _set(values: list[str] | None) -> frozenset[str] | None:
    return frozenset(values) if values else None


def cmd_network(args: argparse.Namespace) -> int:
    from stancemark.analysis.networks import NetworkOptions, Windows
    from stancemark.cli import ProgressBar, _open
    from stancemark.core.errors import ValidationError
    from stancemark.services.networks import export_networks

    if args.step is not None and args.window is None:
        raise ValidationError("--step needs --window.", "Give the window's length too.")
    normalize = args.normalize or "none"
    opts = NetworkOptions(
        type=args.type, nodes=args.nodes, qualifier=args.qualifier or "ignore",
        normalize=normalize, level=args.level, role=args.role, duplicates=args.duplicates,
        date_from=args.date_from, date_to=args.date_to, actor_types=_set(args.actor_type),
        categories=_set(args.category), annotators=_set(args.annotator), articles=args.ids)
    opts.validate()
    windows = Windows(args.window, args.step, args.window_unit) if args.window else None
    bar = ProgressBar()
    with _open(args.project, read_only=True) as store:
        if args.source:  # an outlet is the set of its articles (with --ids: both must hold)
            from dataclasses import replace

            from stancemark.core.filters import StudyFilter
            from stancemark.store.statistics import article_ids

            of_outlets = article_ids(store, StudyFilter(sources=tuple(args.source)))
            opts = replace(opts, articles=of_outlets if opts.articles is None
                           else opts.articles & of_outlets)
        try:
            summary = export_networks(store, opts, args.format, args.output, windows,
                                      force=args.force, progress=bar)
        finally:
            bar.close()
    print(printable(f"{APP_NAME}: {summary.text()}"), file=sys.stderr)
    return EXIT_OK


def cmd_dna_import(args: argparse.Namespace) -> int:
    from stancemark.cli import ProgressBar, _open
    from stancemark.services.dna import import_dna
    from stancemark.store.dna import read_dna

    read_dna(args.file)  # a bad file is refused before a project is made for it
    project = Path(args.project)
    new = not project.exists()
    bar = ProgressBar()
    try:
        with _open(args.project, create=True) as store:
            try:
                report = import_dna(store, args.file, new_project=new,
                                    annotator_prefix=args.coder_prefix, progress=bar)
            finally:
                bar.close()
    except BaseException:
        if new:  # the import made nothing: leave no empty project behind
            for leftover in (project, *(project.with_name(project.name + s)
                                        for s in ("-wal", "-shm", "-journal", ".lock"))):
                leftover.unlink(missing_ok=True)
        raise
    for line in report.text().splitlines():
        print(printable(line), file=sys.stderr)
    return EXIT_OK


def cmd_dna_export(args: argparse.Namespace) -> int:
    from stancemark.cli import ProgressBar, _open
    from stancemark.services.dna import export_dna

    bar = ProgressBar()
    with _open(args.project, read_only=True) as store:
        try:
            report = export_dna(store, args.output, force=args.force,
                                default_statements=args.dna_statements, progress=bar)
        finally:
            bar.close()
    for line in report.text().splitlines():
        print(printable(line), file=sys.stderr)
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``network`` and ``dna`` to the ``stancemark`` command."""
    from stancemark.analysis import networks as n
    from stancemark.exchange.network_formats import FORMATS

    p = sub.add_parser(
        "network", help="discourse networks from claims (csv, graphml, gexf, UCINET dl)",
        description="Compute an actor × category affiliation network or a one-mode network "
                    "(actors tied by shared categories, or categories by shared actors) and "
                    "write it. Stance similarity is 1 − |k1 − k2| / (range of the codebook's "
                    "scale). With --window, one network per time window: GEXF writes a "
                    "dynamic graph, the other formats a folder of one file per window.")
    p.add_argument("project")
    p.add_argument("--type", "-t", required=True, choices=n.TYPES)
    p.add_argument("--nodes", choices=n.NODE_KINDS, default="actor",
                   help="one-mode: actors (default) or categories")
    p.add_argument("--qualifier", choices=n.QUALIFIERS,
                   help="affiliation: how stances count (default ignore)")
    p.add_argument("--normalize", choices=n.NORMALIZATIONS,
                   help="affiliation: activity, prominence; one-mode: average, jaccard, cosine")
    p.add_argument("--level", choices=n.LEVELS, default="actor",
                   help="count a claim for the actor or for its affiliation")
    p.add_argument("--role", choices=n.ROLES, default="claimant",
                   help="which actor of a claim counts (default the claimant)")
    p.add_argument("--duplicates", choices=n.DUPLICATES, default="none",
                   help="count identical claims once per article, week, month or year")
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    p.add_argument("--actor-type", action="append", metavar="TYPE",
                   help="only nodes of this actor type (repeat for several)")
    p.add_argument("--category", action="append", metavar="KEY",
                   help="only claims in this category or its sub-categories (repeat)")
    p.add_argument("--annotator", action="append", metavar="NAME",
                   help="only this annotator's claims (repeat for several)")
    p.add_argument("--ids", type=_ids, metavar="1,2,…", help="only these article ids")
    p.add_argument("--source", action="append", metavar="OUTLET",
                   help="only articles of this outlet (repeat for several)")
    p.add_argument("--window", type=_positive, metavar="N",
                   help="time windows of N days (or claims, see --window-unit)")
    p.add_argument("--step", type=_positive, metavar="N",
                   help="start a window every N days/claims (default: N = --window)")
    p.add_argument("--window-unit", choices=("days", "claims"), default="days")
    p.add_argument("--format", "-f", required=True, choices=FORMATS)
    p.add_argument("--output", "-o", required=True, metavar="PATH")
    p.add_argument("--force", action="store_true", help="overwrite an existing output")
    p.set_defaults(func=cmd_network)

    dna = sub.add_parser("dna", help="Discourse Network Analyzer (DNA 3) files in and out",
                         description="Import a DNA 3 .dna file into a project, or export a "
                                     "project as one.")
    dsub = dna.add_subparsers(dest="dna_command", metavar="import|export", required=True)
    p = dsub.add_parser(
        "import", help="import a DNA 3 file (creates PROJECT if needed)",
        description="Documents become articles, coders annotators, DNA statements claims "
                    "(person → claimant with the organisation as affiliation, concept → "
                    "category, agreement → stance +1/−1). All or nothing.")
    p.add_argument("project")
    p.add_argument("file", metavar="FILE.dna")
    p.add_argument("--coder-prefix", default="", metavar="TEXT",
                   help="put TEXT before each DNA coder's name to make the annotator")
    p.set_defaults(func=cmd_dna_import)
    p = dsub.add_parser(
        "export", help="write the project as a DNA 3 file",
        description="Claims become statements of the type 'Stancemark claim' (claimant, "
                    "target, category, stance); with --dna-statements also DNA's own "
                    "'DNA Statement' (agreement = stance > 0), so DNA's exporter works on it.")
    p.add_argument("project")
    p.add_argument("output", metavar="OUT.dna")
    p.add_argument("--dna-statements", action="store_true",
                   help="also write each claim as a (lossy) default DNA statement")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_dna_export)
