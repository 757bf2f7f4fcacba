"""``stancemark export`` and ``stancemark merge``: annotation sets out and in, headless."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from typing import Any

from stancemark import APP_NAME
from stancemark.core.errors import ValidationError

EXIT_OK = 0


#: More ids than this are better chosen with --status, --search or dates (and SQLite
#: limits the parameters of one query).
MAX_IDS = 10_000
_MAX_ID = 2 ** 63 - 1  # SQLite's largest integer
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_ids(value: str) -> list[int]:
    """``--ids 1,2,3``: whole numbers from 1, at most :data:`MAX_IDS`; ValidationError if not."""
    ids: list[int] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isascii() or not part.isdigit() or len(part) > 19 \
                or not 1 <= int(part) <= _MAX_ID:
            raise ValidationError(f"--ids: {part[:40]!r} is not an article id.",
                                  "Give article ids (whole numbers from 1) separated by "
                                  "commas, e.g. --ids 3,7,12.")
        ids.append(int(part))
    if not ids:
        raise ValidationError("--ids names no article.", "Give ids such as --ids 3,7,12.")
    ids = sorted(set(ids))
    if len(ids) > MAX_IDS:
        raise ValidationError(f"--ids names {len(ids):,} articles; at most {MAX_IDS:,} at once.",
                              "Choose the articles with --status, --search or --from/--to.")
    return ids


def parse_date(value: str | None, option: str) -> str | None:
    """A ``YYYY-MM-DD`` option value, checked; ValidationError naming the expected format."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValidationError(f"{option} {value[:40]!r} is not a date.",
                              "Write dates as YYYY-MM-DD, e.g. 2024-03-31.") from None


def _kinds(value: str) -> frozenset[str]:
    from stancemark.core.changes import ANNOTATION_KINDS

    kinds = frozenset(k.strip() for k in value.split(",") if k.strip())
    if not kinds or not kinds <= ANNOTATION_KINDS:
        raise argparse.ArgumentTypeError(
            f"--kinds takes a comma-separated list of: {', '.join(sorted(ANNOTATION_KINDS))}")
    return kinds


def format_options(args: argparse.Namespace) -> dict[str, str]:
    """The chosen format's options from the command line, checked against the registry.

    An option of another format is refused (``--network`` means nothing to
    ``jsonl``), so a typo in the format never goes unnoticed.
    """
    from stancemark.exchange.registry import all_options, get_exporter, resolve_options

    exporter = get_exporter(args.format)
    given: dict[str, str] = {}
    for name, (option, formats) in all_options().items():
        value = getattr(args, f"opt_{name}", None)
        if value is None:
            continue
        if exporter.option(name) is None:
            raise ValidationError(f"{option.flag} applies to {', '.join(formats)}, "
                                  f"not to {args.format}.",
                                  f"Leave out {option.flag}, or choose one of those formats.")
        given[name] = value
    return resolve_options(exporter, given)


def cmd_export(args: argparse.Namespace) -> int:
    from stancemark.cli import ProgressBar, _open
    from stancemark.core.changes import ANNOTATION_KINDS
    from stancemark.core.filters import ArticleFilter, ExportFilter
    from stancemark.services.exchange import export_project

    date_from = parse_date(args.date_from, "--from")
    date_to = parse_date(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise ValidationError(f"--from {date_from} is after --to {date_to}.",
                              "Swap the two dates.")
    ids = parse_ids(args.ids) if args.ids is not None else None
    flt = ExportFilter(
        articles=ArticleFilter(status=args.status, search=args.search, date_from=date_from,
                               date_to=date_to, ids=ids),
        annotators=tuple(args.annotator) if args.annotator else None,
        kinds=args.kinds or ANNOTATION_KINDS,
    )
    options = format_options(args)
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
    from stancemark.services.exchange import merge_set, spooled_set
    from stancemark.services.merge import SET_HINT

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
    from stancemark.exchange.registry import FORMATS, all_options

    p = sub.add_parser(
        "export", help="export annotation sets (jsonl, csv, brat, doccano, …)",
        description="Export the annotations of a project. --output is a file, or a folder "
                    "for formats that write several files (csv, brat); a .zip path zips them.")
    p.add_argument("project")
    p.add_argument("--format", "-f", required=True, choices=tuple(FORMATS))
    p.add_argument("--output", "-o", required=True, metavar="PATH")
    p.add_argument("--status", choices=("new", "in_progress", "done"))
    p.add_argument("--search", metavar="QUERY", help="only articles matching this search")
    p.add_argument("--from", dest="date_from", metavar="DATE",
                   help="only articles published on or after DATE (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE",
                   help="only articles published on or before DATE (YYYY-MM-DD)")
    p.add_argument("--ids", metavar="1,2,…", help="only these article ids")
    p.add_argument("--annotator", action="append", metavar="NAME",
                   help="only this annotator's work (repeat for several)")
    p.add_argument("--kinds", type=_kinds, metavar="mentions,claims,sentiment",
                   help="which kinds of annotation to export (default: all)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output")
    # format options: generated from the registry, the one place that describes them
    for name, (option, formats) in all_options().items():
        p.add_argument(option.flag, dest=f"opt_{name}", choices=option.values, default=None,
                       help=f"{', '.join(formats)}: {option.help} (default: {option.default})")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "merge", help="merge a Stancemark .jsonl annotation set into a project",
        description="Merge an annotation set: articles matched by text hash, actors by name "
                    "and alias, each annotator kept apart. Conflicts are reported and the "
                    "project's value is kept; a copy of the project is kept first.")
    p.add_argument("project")
    p.add_argument("set", metavar="SET.jsonl", help="the set to merge; - reads standard input")
    p.set_defaults(func=cmd_merge)
