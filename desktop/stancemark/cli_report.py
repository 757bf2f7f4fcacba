"""``stancemark report``: the study's charts and one self-contained HTML report, headless."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from stancemark import APP_NAME
from stancemark.cli_network import _date
from stancemark.core.filters import StudyFilter
from stancemark.core.text import printable

EXIT_OK = 0


def _study_filter(args: argparse.Namespace) -> StudyFilter | None:
    def listed(values: list[str] | None) -> tuple[str, ...] | None:
        return tuple(values) if values else None

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise SystemExit(f"{APP_NAME}: error: --from {args.date_from} is after --to "
                         f"{args.date_to}.")
    f = StudyFilter(
        date_from=args.date_from.isoformat() if args.date_from else None,
        date_to=args.date_to.isoformat() if args.date_to else None,
        annotators=listed(args.annotator), sources=listed(args.source),
        categories=listed(args.category), actor_types=listed(args.actor_type))
    return None if f.empty else f


def cmd_report(args: argparse.Namespace) -> int:
    from stancemark.cli import _open
    from stancemark.services.report import write_charts, write_report

    if not args.output and not args.charts:
        raise SystemExit(f"{APP_NAME}: error: give --output FILE.html, --charts FOLDER or both.")
    study_filter = _study_filter(args)
    with _open(args.project, read_only=True) as store:
        if args.output:
            path = write_report(store, args.output, force=args.force,
                                study_filter=study_filter)
            print(f"{APP_NAME}: wrote the report to {printable(str(path))}.", file=sys.stderr)
        if args.charts:
            written = write_charts(store, args.charts, force=args.force,
                                   study_filter=study_filter)
            print(f"{APP_NAME}: wrote {len(written) // 2} charts (SVG and the CSV of their "
                  f"numbers) to {printable(str(args.charts))}.", file=sys.stderr)
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report", help="write the study's charts and a self-contained HTML report",
        description="One HTML file (charts inline as SVG, no network needed to view it): the "
                    "corpus, claims per actor, category, outlet and month, stance by "
                    "category, sentiment over time, coder coverage, the strongest "
                    "congruence and conflict ties, and agreement when several coders "
                    "annotated. --charts also writes each chart as SVG with a CSV of exactly "
                    "the numbers drawn.")
    p.add_argument("project")
    p.add_argument("--output", "-o", metavar="FILE.html", help="the HTML report")
    p.add_argument("--charts", metavar="FOLDER", help="each chart as KEY.svg and KEY.csv")
    p.add_argument("--force", action="store_true", help="replace existing outputs")
    what = p.add_argument_group("count only (every chart and network of the report)")
    what.add_argument("--from", dest="date_from", type=_date, metavar="DATE",
                      help="articles dated on or after DATE (YYYY-MM-DD)")
    what.add_argument("--to", dest="date_to", type=_date, metavar="DATE",
                      help="articles dated on or before DATE")
    what.add_argument("--annotator", action="append", metavar="NAME",
                      help="this coder's annotations (repeat for several)")
    what.add_argument("--source", action="append", metavar="OUTLET",
                      help="articles of this outlet (repeat for several)")
    what.add_argument("--category", action="append", metavar="KEY",
                      help="claims in this category or below it (repeat)")
    what.add_argument("--actor-type", action="append", metavar="TYPE",
                      help="claims and ratings about actors of this type (repeat)")
    p.set_defaults(func=cmd_report)
