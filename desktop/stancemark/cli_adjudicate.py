"""``stancemark adjudicate``: the automatic step of a curation, headless.

Accepts into the gold set every undecided unit the strategy settles, keeps every
decision made before, and prints what it accepted and what is left for the
curator. Every failure is one line, as for every sub-command.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from stancemark.cli import annotator_names, article_ids
from stancemark.core.text import printable

EXIT_OK = 0

#: Units of "left to decide" listed; the rest are counted.
SHOWN = 20

_NAMES = {"mentions": "mention", "claims": "claim", "article_sentiment": "article sentiment",
          "actor_sentiment": "actor sentiment"}


def _strategy(value: str) -> Any:
    from stancemark.analysis.adjudication import Strategy
    from stancemark.core.errors import ValidationError

    try:
        return Strategy.parse(value)
    except ValidationError:
        raise argparse.ArgumentTypeError(
            "--strategy is unanimous, majority or min:N (N a whole number, 1 or more)") from None


def _by_layer(units: list[Any]) -> str:
    counts = Counter(u.layer for u in units)
    parts = [f"{_NAMES[k]}s {counts[k]}" for k in _NAMES if counts[k]]
    return f" ({', '.join(parts)})" if parts else ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(report: Any, curation: Any, project: str) -> str:
    """The run as text: what was accepted, closed, kept, and each unit left to decide."""
    lines = [f"Adjudicated {', '.join(report.annotators)} into {report.gold!r} "
             f"(strategy {report.strategy}) on {_plural(report.articles, 'article')}.",
             f"Accepted automatically: {_plural(len(report.accepted), 'unit')}"
             f"{_by_layer(report.accepted)}.",
             f"Closed automatically (agreed that nothing is there): "
             f"{_plural(len(report.closed), 'unit')}{_by_layer(report.closed)}.",
             f"Kept as decided before: {_plural(report.kept, 'unit')}.",
             f"Left to decide: {_plural(len(report.left), 'unit')}{_by_layer(report.left)}"
             + (":" if report.left else ".")]
    for unit in report.left[:SHOWN]:
        where = f" {unit.start}-{unit.end}" if unit.start is not None else ""
        what = printable(unit.text.replace("\n", " "))[:60]
        lines.append(f"  art. {unit.article_id}  {_NAMES[unit.layer]}{where}  {what!r}  "
                     f"[unit {unit.key}]")
        versions = [f"{', '.join(who)}: {printable(curation.describe(v))}"
                    for v, who in unit.groups()]
        if unit.silent:
            versions.append(f"{', '.join(unit.silent)}: (nothing marked)")
        lines.append("      " + " | ".join(versions))
    if len(report.left) > SHOWN:
        lines.append(f"  … and {len(report.left) - SHOWN} more.")
    p = report.progress
    lines.append(f"Decided {p.decided} of {_plural(p.total, 'unit')} ({p.percent:.1f} %): "
                 f"{p.accepted} accepted, {p.edited} edited, {p.rejected} closed; "
                 f"{p.automatic} of them automatically.")
    everyone = ",".join([*report.annotators, report.gold])
    lines.append(f"Each coder's agreement with gold: stancemark agreement {project} "
                 f"--annotators {everyone}")
    return "\n".join(lines) + "\n"


def cmd_adjudicate(args: argparse.Namespace) -> int:
    from stancemark.cli import _open
    from stancemark.services.adjudication import Curation
    from stancemark.services.session import Session

    with _open(args.project) as store:
        curation = Curation(Session(store, args.gold), args.annotators, args.gold)
        report = curation.run_automatic(args.strategy, args.articles)
        text = render(report, curation, args.project)
    print(text, end="")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``adjudicate`` to the ``stancemark`` command."""
    p = sub.add_parser(
        "adjudicate", help="accept the units annotators agree on into a gold set",
        description="The automatic step of a curation: every unit on which the chosen "
                    "annotators agree (all of them, a majority, or at least N) is accepted "
                    "into the gold annotator's set, with its provenance; units the curator "
                    "or an earlier run decided are kept. Prints what was accepted and what "
                    "is left to decide.")
    p.add_argument("project")
    p.add_argument("--annotators", type=annotator_names, required=True, metavar="A,B,…",
                   help="the annotators to curate (two or more)")
    p.add_argument("--strategy", type=_strategy, required=True,
                   metavar="unanimous|majority|min:N",
                   help="how many of them must give the same version")
    p.add_argument("--gold", default="gold", metavar="NAME",
                   help="the annotator that holds the gold set (default: gold)")
    p.add_argument("--articles", type=article_ids, metavar="ID,ID,…",
                   help="only these article ids (default: every article they coded)")
    p.set_defaults(func=cmd_adjudicate)
