"""The ``stancemark`` command: no sub-command opens the window; sub-commands work headless.

Every failure is one clear line on stderr (never a traceback) and a non-zero exit.
Sub-commands of other areas live in ``cli_*.py`` modules listed in
:data:`COMMAND_MODULES`, each with a ``register(subparsers)`` function.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from stancemark import APP_NAME, __version__
from stancemark.core.errors import StancemarkError
from stancemark.core.progress import ProgressEvent
from stancemark.core.text import printable

#: Modules adding sub-commands; each defines ``register(subparsers) -> None``.
COMMAND_MODULES: tuple[str, ...] = ("stancemark.cli_exchange", "stancemark.cli_registry",
                                     "stancemark.cli_analysis", "stancemark.cli_network",
                                     "stancemark.cli_report", "stancemark.cli_adjudicate",
                                     "stancemark.cli_team")

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class ProgressBar:
    """A one-line progress bar on stderr, drawn at most ~10 times a second."""

    def __init__(self, stream: TextIO | None = None, min_total: int = 20,
                 items: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.min_total = min_total
        #: also draw for few files when they hold many items ("rows.csv #1200")
        self.items = items
        self._last = 0.0
        self._drawn = False

    def __call__(self, event: ProgressEvent) -> None:
        if event.total is None:
            return
        if event.total < self.min_total and not (self.items and " #" in event.message):
            return
        now = time.monotonic()
        if event.done < event.total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = int(width * event.done / max(event.total, 1))
        name = printable(event.message)[-30:]
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                          f"{event.done}/{event.total} {name:<30}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def annotator_names(value: str) -> list[str]:
    """``--annotators A,B,…`` for the commands that compare or curate coders."""
    names = [x.strip() for x in value.split(",") if x.strip()]
    if not names:
        raise argparse.ArgumentTypeError("--annotators takes names separated by commas")
    return names


def article_ids(value: str) -> list[int]:
    """``--articles ID,ID,…``: positive article ids."""
    try:
        ids = [int(x) for x in value.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            "--articles takes article ids separated by commas (e.g. 1,2,7)") from None
    if not ids or any(i <= 0 for i in ids):
        raise argparse.ArgumentTypeError("--articles takes positive article ids, e.g. 1,2,7")
    return ids


def _open(path: str, *, create: bool = False, read_only: bool = False) -> Any:
    from stancemark.store import open_project

    store = open_project(path, create=create, read_only=read_only)
    for repair in store.repairs:
        print(f"{APP_NAME}: repaired {path}: {repair}.", file=sys.stderr)
    return store


# -- sub-commands ---------------------------------------------------------------

def _seconds(value: str) -> float:
    """``--delay``: a number of seconds, 0 or more."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError("takes a number of seconds, e.g. 1 or 0.5") from None
    if not 0 <= seconds <= 3600:
        raise argparse.ArgumentTypeError("takes seconds from 0 to 3600")
    return seconds


def cmd_import(args: argparse.Namespace) -> int:
    from stancemark.articles import ColumnMap, MapError
    from stancemark.articles.web import DEFAULT_USER_AGENT, WebPolicy, is_url
    from stancemark.core.progress import CancelFlag
    from stancemark.services.importing import import_sources

    try:
        columns = ColumnMap.parse(args.map)
    except MapError as exc:
        print(printable(f"{APP_NAME}: error: --map: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    web = WebPolicy(user_agent=args.user_agent or DEFAULT_USER_AGENT, delay=args.delay)
    cancel = CancelFlag()
    bar = ProgressBar(items=True, min_total=1 if any(map(is_url, args.paths)) else 20)
    with _open(args.project, create=True) as store, _interrupt_cancels(
            cancel, any(map(is_url, args.paths))):
        try:
            report = import_sources(store, args.paths, progress=bar, columns=columns,
                                    cancel=cancel, web=web)
        finally:
            bar.close()
    # file names may hold line breaks, terminal codes or undecodable bytes: escaped
    for o in report.outcomes:
        if o.status != "imported" or args.verbose:
            where = f" #{o.item}" if o.item is not None else ""
            detail = f": {o.message}" if o.message else ""
            print(printable(f"{o.status:<10} {o.path}{where}{detail}"), file=sys.stderr)
    print(printable(f"{APP_NAME}: {report.summary()} into {args.project}."), file=sys.stderr)
    return EXIT_OK if report.imported or not report.outcomes else EXIT_ERROR


@contextlib.contextmanager
def _interrupt_cancels(cancel: Any, enabled: bool) -> Iterator[None]:
    """While fetching from the web, a first Ctrl+C stops the import cleanly (what was
    fetched is kept and reported); a second one quits at once."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_interrupt(_signum: int, _frame: object) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        cancel.cancel()
        print(f"\n{APP_NAME}: stopping after the current page (Ctrl+C again to quit at "
              "once)…", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def cmd_info(args: argparse.Namespace) -> int:
    with _open(args.project, read_only=True) as store:
        info = {"project": str(store.path), "schema_version": store.schema_version,
                **store.counts()}
        if store.read_only_reason and store.read_only_reason != "opened read-only":
            print(f"{APP_NAME}: note: {store.read_only_reason}.", file=sys.stderr)
    if args.json:
        print(json.dumps(info))
    else:
        for key, value in info.items():
            print(f"{key.replace('_', ' '):<20} {value}")
    return EXIT_OK


def cmd_articles(args: argparse.Namespace) -> int:
    from stancemark.core.filters import ArticleFilter

    with _open(args.project, read_only=True) as store:
        flt = ArticleFilter(status=args.status, search=args.search)
        rows = store.articles.summaries(flt, order=args.sort)
    if args.json:
        for r in rows:
            print(json.dumps({"id": r.id, "title": r.title, "published": r.published,
                              "source": r.source, "status": r.status,
                              "annotations": r.annotations}, ensure_ascii=False))
        return EXIT_OK
    print(f"{'id':>6}  {'published':<16}  {'status':<11}  {'ann':>4}  title")
    for r in rows:
        published = (r.published or "")[:16].replace("T", " ")
        print(printable(f"{r.id:>6}  {published:<16}  {r.status:<11}  {r.annotations:>4}  "
                        f"{r.title or ''}"))
    print(f"{len(rows)} article(s)", file=sys.stderr)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from stancemark.store.restore import restore_backup, set_journal_aside

    if (args.backup is None) == (not args.set_journal_aside):
        print(f"{APP_NAME}: error: give either a BACKUP file or --set-journal-aside.",
              file=sys.stderr)
        return EXIT_USAGE
    if args.set_journal_aside:
        report = set_journal_aside(args.project)
        print(f"{APP_NAME}: {report.project} now opens without its journal. The file and "
              f"journal as they were are kept as {report.kept} (and its -wal).",
              file=sys.stderr)
    else:
        report = restore_backup(args.project, args.backup)
        kept = (f" The state it replaced is kept as {report.kept}."
                if report.kept is not None else "")
        print(f"{APP_NAME}: restored {report.project} from {report.source} (schema "
              f"{report.schema_version}).{kept}", file=sys.stderr)
    with _open(args.project) as store:  # proves it opens (and upgrades an older backup)
        counts = store.counts()
    print(f"{APP_NAME}: it holds {counts['articles']} articles, {counts['mentions']} "
          f"mentions and {counts['claims']} claims.", file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stancemark",
        description="Annotate actors, claims and sentiment in news articles. "
                    "With no sub-command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--read-only", action="store_true", help="open the project read-only")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="render the window with an article to PNG and exit")
    parser.add_argument("--self-test", action="store_true",
                        help="check that this installation works end to end, then exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "import", help="import article files, folders, web pages or feeds into a project",
        description="Import article files and folders (recursively): text, HTML, DOCX, ODT, "
                    "RTF and PDF; Nexis Uni and Factiva downloads are split into their "
                    "articles; CSV and JSON Lines files give one article per row. "
                    "http(s):// addresses are fetched (politely: robots.txt, one request "
                    "per --delay seconds per site, retries): a page is read like a saved "
                    "one, an RSS or Atom feed gives the article of each entry. "
                    "Creates the project if it does not exist.")
    p.add_argument("project")
    p.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--map", metavar="FIELD=COLUMN,…",
                   help="which CSV/JSON Lines column holds which field, e.g. "
                        "text=body,date=publish_date (fields: title, text, date, url, "
                        "source, author, language, subtitle); others are found by name")
    p.add_argument("--delay", type=_seconds, default=1.0, metavar="SECONDS",
                   help="least time between two requests to one web site (default 1; a "
                        "site's robots.txt may ask for more)")
    p.add_argument("--user-agent", metavar="TEXT",
                   help="the User-Agent sent to web sites (default: Stancemark and its "
                        "version; robots.txt rules for 'Stancemark' apply either way)")
    p.add_argument("-v", "--verbose", action="store_true", help="list imported files too")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("info", help="show counts and schema version of a project")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("articles", help="list a project's articles")
    p.add_argument("project")
    p.add_argument("--search", metavar="QUERY", help="full-text search over title and text")
    p.add_argument("--status", choices=("new", "in_progress", "done"))
    p.add_argument("--sort", choices=("id", "title", "published", "source", "status"),
                   default="id")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser(
        "restore", help="go back to a backup of a project, keeping the current state",
        description="Replace PROJECT by BACKUP (a .bak copy, for example). The project and "
                    "its journal files are first renamed to PROJECT.replaced-TIME, so the "
                    "state being replaced stays whole. With --set-journal-aside, keep a "
                    "journal (-wal) that does not belong to the file aside the same way.")
    p.add_argument("project")
    p.add_argument("backup", nargs="?")
    p.add_argument("--set-journal-aside", action="store_true",
                   help="open the project without the -wal file beside it from now on")
    p.set_defaults(func=cmd_restore)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _split_gui_project(parser: argparse.ArgumentParser,
                       argv: list[str]) -> tuple[list[str], str | None]:
    """Take ``PROJECT`` out of ``stancemark [options] PROJECT`` (argparse would read a COMMAND)."""
    commands: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands.update(action.choices)
    for i, arg in enumerate(argv):
        if arg.startswith("-") or (i > 0 and argv[i - 1] == "--screenshot"):
            continue
        if arg in commands:
            return argv, None
        return argv[:i] + argv[i + 1:], arg
    return argv, None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv, gui_project = _split_gui_project(parser, list(sys.argv[1:] if argv is None else argv))
    args, rest = parser.parse_known_args(argv)
    try:
        if args.command is None:
            if gui_project is not None:
                rest = [gui_project, *rest]
            if len(rest) > 1 or any(r.startswith("-") for r in rest):
                parser.error(f"unrecognized arguments: {' '.join(rest)}")
            project = rest[0] if rest else None
            if args.self_test:
                from stancemark.selftest import run_self_test

                return run_self_test()
            return _run_gui(project, args)
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except StancemarkError as exc:
        print(printable(f"{APP_NAME}: error: {exc}"), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"{APP_NAME}: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except RecursionError:
        print(f"{APP_NAME}: error: the input is nested too deeply to read.", file=sys.stderr)
        return EXIT_ERROR
    except MemoryError:
        print(f"{APP_NAME}: error: out of memory.", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        # The file system said no in a place that has no message of its own yet.
        where = f" ({exc.filename!r})" if exc.filename else ""
        print(f"{APP_NAME}: error: {exc.strerror or exc}{where}.", file=sys.stderr)
        return EXIT_ERROR


EXIT_MISSING_LIBRARY = 3


def _run_gui(project: str | None, args: argparse.Namespace) -> int:
    from stancemark import qt_runtime

    problem = None if args.screenshot else qt_runtime.check_platform()
    if problem is not None:
        # Qt would abort the process with a message naming the wrong library
        print(f"{APP_NAME}: error: {problem}", file=sys.stderr)
        return EXIT_MISSING_LIBRARY
    from stancemark.app import run

    try:
        return run(Path(project) if project else None, read_only=args.read_only,
                   screenshot=Path(args.screenshot) if args.screenshot else None)
    except ImportError as exc:
        # Qt's system libraries (libEGL, libxkbcommon, …) missing: name the one, not a traceback
        from stancemark.selftest import describe_import_error

        print(f"{APP_NAME}: error: {describe_import_error(exc)}", file=sys.stderr)
        return EXIT_MISSING_LIBRARY
