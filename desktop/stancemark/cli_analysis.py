"""``stancemark agreement``: inter-annotator agreement of a project, headless.

The report goes to stdout (or ``--output``, written atomically); progress and
messages go to stderr. Every failure is one line, as for every sub-command.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from stancemark import APP_NAME
from stancemark.cli import annotator_names, article_ids

EXIT_OK = 0


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("--resamples takes a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("--resamples cannot be negative")
    return n


def cmd_agreement(args: argparse.Namespace) -> int:
    from stancemark.analysis.agreement import AgreementOptions
    from stancemark.cli import ProgressBar, _open
    from stancemark.core.errors import StancemarkError
    from stancemark.services.agreement import project_agreement, render, write_text

    out_path = None
    if args.output:
        from pathlib import Path

        out_path = Path(args.output)
        if (out_path.exists() or out_path.is_symlink()) and not args.force:
            raise StancemarkError(f"{out_path} already exists.",
                                  "Choose another name, or overwrite it (--force).")
    options = AgreementOptions(resamples=args.resamples, seed=args.seed,
                               pair_intervals=args.pair_intervals)
    bar = ProgressBar()
    with _open(args.project, read_only=True) as store:
        try:
            report = project_agreement(store, args.annotators, args.articles, options,
                                       progress=bar)
        finally:
            bar.close()
    if not report.method["articles_shared"]:
        print(f"{APP_NAME}: note: no article was coded by two of these annotators; every "
              "figure is undefined.", file=sys.stderr)
    text = render(report, args.format)
    if out_path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_text(text, out_path, force=args.force)
        print(f"{APP_NAME}: agreement of {len(report.annotators)} annotators on "
              f"{report.articles} article(s) written to {out_path} ({args.format}).",
              file=sys.stderr)
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``agreement`` to the ``stancemark`` command."""
    from stancemark.core.coding import DEFAULT_RESAMPLES, DEFAULT_SEED

    p = sub.add_parser(
        "agreement", help="inter-annotator agreement (alpha, αu, F1, kappa) of a project",
        description="Krippendorff's alpha (nominal, ordinal, interval) with observed and "
                    "expected disagreement and bootstrap intervals, unitizing alpha and span "
                    "F1 for mentions and claims, Cohen's and Fleiss' kappa; per layer, per "
                    "pair of annotators and over all of them.")
    p.add_argument("project")
    p.add_argument("--annotators", type=annotator_names, metavar="A,B,…",
                   help="compare these annotators (default: everyone with annotations)")
    p.add_argument("--articles", type=article_ids, metavar="ID,ID,…",
                   help="only these article ids (default: every article they coded)")
    p.add_argument("--format", "-f", choices=("table", "json", "csv"), default="table")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite an existing --output")
    p.add_argument("--resamples", type=_count, default=DEFAULT_RESAMPLES, metavar="N",
                   help=f"bootstrap resamples for the 95%% intervals (default {DEFAULT_RESAMPLES};"
                        " 0 turns them off)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"bootstrap seed (default {DEFAULT_SEED})")
    p.add_argument("--pair-intervals", action="store_true",
                   help="bootstrap intervals for every pair too (slower with many annotators)")
    p.set_defaults(func=cmd_agreement)
