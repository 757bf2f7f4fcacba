"""``stancemark report``: the study's charts and one self-contained HTML report, headless."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from stancemark import APP_NAME
from stancemark.core.text import printable

EXIT_OK = 0


def cmd_report(args: argparse.Namespace) -> int:
    from stancemark.cli import _open
    from stancemark.services.report import write_charts, write_report

    if not args.output and not args.charts:
        raise SystemExit(f"{APP_NAME}: error: give --output FILE.html, --charts FOLDER or both.")
    with _open(args.project, read_only=True) as store:
        if args.output:
            path = write_report(store, args.output, force=args.force)
            print(f"{APP_NAME}: wrote the report to {printable(str(path))}.", file=sys.stderr)
        if args.charts:
            written = write_charts(store, args.charts, force=args.force)
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
    p.set_defaults(func=cmd_report)
