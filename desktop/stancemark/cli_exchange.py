"""``stancemark export`` and ``stancemark merge``: annotation sets out and in, headless."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from stancemark import APP_NAME
from stancemark.core.errors import ValidationError

EXIT_OK = 0

FORMAT_NAMES = ("jsonl", "csv", "brat", "doccano", "labelstudio", "xmi", "conll", "graphml",
                "qdpx")


def _ids(value: str) -> list[int]:
    try:
        return [int(x) for x in value.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("--ids takes numbers separated by commas") from None


def _kinds(value: str) -> frozenset[str]:
    from stancemark.exchange.model import KINDS

    kinds = frozenset(k.strip() for k in value.split(",") if k.strip())
    if not kinds or not kinds <= KINDS:
        raise argparse.ArgumentTypeError(
            f"--kinds takes a comma-separated list of: {', '.join(sorted(KINDS))}")
    return kinds


def cmd_export(args: argparse.Namespace) -> int:
    from stancemark.cli import ProgressBar, _open
    from stancemark.exchange.model import KINDS, ExportFilter
    from stancemark.services.exchange import export_project
    from stancemark.store.articles import ArticleFilter

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise ValidationError(f"--from {args.date_from} is after --to {args.date_to}.")
    flt = ExportFilter(
        articles=ArticleFilter(status=args.status, search=args.search, date_from=args.date_from,
                               date_to=args.date_to, ids=args.ids),
        annotators=tuple(args.annotator) if args.annotator else None,
        kinds=args.kinds or KINDS,
    )
    options: dict[str, Any] = {"position_unit": args.position_unit, "network": args.network}
    bar = ProgressBar()
    with _open(args.project, read_only=True) as store:
        try:
            summary = export_project(store, args.format, args.output, flt, options,
                                     progress=bar, force=args.force)
        finally:
            bar.close()
    print(f"{APP_NAME}: {summary.text()}", file=sys.stderr)
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from contextlib import ExitStack
    from pathlib import Path

    from stancemark.cli import ProgressBar, _open
    from stancemark.core.errors import StancemarkError
    from stancemark.core.infile import check_regular
    from stancemark.exchange.merge import SET_HINT
    from stancemark.services.exchange import merge_set, spooled_set

    with ExitStack() as stack:
        # the set is checked (and standard input read to its end) before the project is
        # opened, so a pipe that never ends never holds the project's write lock
        if args.set == "-":
            if sys.stdin is None or sys.stdin.isatty():
                raise StancemarkError("merge - reads the set from standard input, which is a "
                                      "terminal here.",
                                      "Pipe a set into it: stancemark merge PROJECT - < SET.jsonl")
            path = stack.enter_context(spooled_set(sys.stdin.buffer))
            source = "standard input"
        else:
            path = Path(args.set)
            check_regular(path, SET_HINT)
            source = args.set
        bar = ProgressBar()
        with _open(args.project) as store:
            try:
                report = merge_set(store, path, progress=bar, source=source)
            finally:
                bar.close()
    print(report.text(), file=sys.stderr)
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``export`` and ``merge`` to the ``stancemark`` command."""
    p = sub.add_parser(
        "export", help="export annotation sets (jsonl, csv, brat, doccano, …)",
        description="Export the annotations of a project. --output is a file, or a folder "
                    "for formats that write several files (csv, brat); a .zip path zips them.")
    p.add_argument("project")
    p.add_argument("--format", "-f", required=True, choices=FORMAT_NAMES)
    p.add_argument("--output", "-o", required=True, metavar="PATH")
    p.add_argument("--status", choices=("new", "in_progress", "done"))
    p.add_argument("--search", metavar="QUERY", help="only articles matching this search")
    p.add_argument("--from", dest="date_from", metavar="DATE",
                   help="only articles published on or after DATE (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE",
                   help="only articles published on or before DATE (YYYY-MM-DD)")
    p.add_argument("--ids", type=_ids, metavar="1,2,…", help="only these article ids")
    p.add_argument("--annotator", action="append", metavar="NAME",
                   help="only this annotator's work (repeat for several)")
    p.add_argument("--kinds", type=_kinds, metavar="mentions,claims,sentiment",
                   help="which kinds of annotation to export (default: all)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output")
    p.add_argument("--position-unit", choices=("codepoint", "utf16"), default="codepoint",
                   help="qdpx: count positions in code points or UTF-16 units")
    p.add_argument("--network", choices=("one-mode", "two-mode"), default="two-mode",
                   help="graphml: actors only, or actors and categories")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "merge", help="merge a Stancemark .jsonl annotation set into a project",
        description="Merge an annotation set: articles matched by text hash, actors by name "
                    "and alias, each annotator kept apart. Conflicts are reported and the "
                    "project's value is kept; a copy of the project is kept first.")
    p.add_argument("project")
    p.add_argument("set", metavar="SET.jsonl", help="the set to merge; - reads standard input")
    p.set_defaults(func=cmd_merge)
