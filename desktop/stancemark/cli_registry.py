"""Sub-commands for the actor registry, the codebook and suggestions.

``stancemark suggest``, ``stancemark codebook export|import`` and ``stancemark actors``.
Output meant for other programs (suggestions, ``--json``) goes to stdout; counts
and messages go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from stancemark import APP_NAME
from stancemark.core.errors import ValidationError

EXIT_OK, EXIT_ERROR = 0, 1


def _open(path: str, *, read_only: bool) -> Any:
    from stancemark.store import open_project

    return open_project(path, read_only=read_only)


def cmd_suggest(args: argparse.Namespace) -> int:
    from stancemark.cli import ProgressBar
    from stancemark.services.session import Session
    from stancemark.services.suggestions import SuggestionService, apply_actor_suggestions

    if args.apply and args.kind == "claims":
        raise ValidationError("--apply accepts actor suggestions only.",
                              "Drop --kind claims, or leave out --apply to list claims.")
    if args.apply and not args.annotator:
        raise ValidationError("--apply needs --annotator NAME (who the mentions are by).")
    with _open(args.project, read_only=not args.apply) as store:
        if args.article is not None:
            store.articles.get(args.article)  # NotFoundError with a clear message
            ids = [args.article]
        else:
            ids = store.articles.ids()
        if args.apply:
            bar = ProgressBar()
            try:
                session = Session(store, args.annotator)
                added = apply_actor_suggestions(session, ids, progress=bar)
            finally:
                bar.close()
            total = sum(added.values())
            touched = sum(1 for n in added.values() if n)
            print(f"{APP_NAME}: added {total} mention(s) in {touched} of {len(ids)} "
                  f"article(s) as {args.annotator}.", file=sys.stderr)
            return EXIT_OK
        kinds = {"actors": ("actor",), "claims": ("claim",), None: ("actor", "claim")}[args.kind]
        svc = SuggestionService(store, args.annotator or "cli")
        count = 0
        for article_id in ids:
            article = store.articles.get(article_id)
            for s in svc.suggestions(article_id, kinds, text=article.text):
                name = svc.actor_name(s.actor_id)
                record = {"article": article.uid, "article_id": article_id, "kind": s.kind,
                          "start": s.start, "end": s.end, "text": s.text}
                if s.kind == "actor":
                    record["actor"] = name
                    record["actor_id"] = s.actor_id
                    if s.alternatives:
                        record["also"] = [svc.actor_name(a) for a in s.alternatives]
                else:
                    record["claimant"] = name
                    record["claimant_id"] = s.actor_id
                    record["reason"] = s.reason
                print(json.dumps(record, ensure_ascii=False))
                count += 1
        print(f"{APP_NAME}: {count} suggestion(s) in {len(ids)} article(s).", file=sys.stderr)
    return EXIT_OK


def cmd_codebook_export(args: argparse.Namespace) -> int:
    from stancemark.services.codebook_io import export_codebook

    with _open(args.project, read_only=True) as store:
        book = store.codebook.load()
        project = store.path
    export_codebook(book, args.file, force=args.force, project=project)
    print(f"{APP_NAME}: wrote the codebook ({len(book.actor_types)} actor types, "
          f"{len(book.categories)} categories, {len(book.scale)} scale values) to {args.file}.",
          file=sys.stderr)
    return EXIT_OK


def cmd_codebook_import(args: argparse.Namespace) -> int:
    from stancemark.services.codebook_io import ReplaceCodebook, plan_codebook, read_codebook

    book = read_codebook(args.file)  # validated before the project is even opened
    with _open(args.project, read_only=False) as store:
        plan = plan_codebook(store, book)
        if plan.needs_confirmation and not args.force:
            print(f"{APP_NAME}: error: {plan.question()}", file=sys.stderr)
            print("Nothing was changed. Run again with --force to import anyway "
                  "(those annotations keep their text but lose the category or type).",
                  file=sys.stderr)
            return EXIT_ERROR
        ReplaceCodebook(plan).apply(store)
    print(f"{APP_NAME}: imported the codebook from {args.file}.", file=sys.stderr)
    return EXIT_OK


def cmd_actors(args: argparse.Namespace) -> int:
    from stancemark.services.registry import RegistryService

    with _open(args.project, read_only=True) as store:
        rows = RegistryService(store).listing()
    if args.json:
        for r in rows:
            print(json.dumps({"id": r.id, "name": r.name, "type": r.type,
                              "affiliation": r.affiliation, "aliases": r.aliases,
                              "mentions": r.mentions, "claims": r.claims,
                              "articles": r.articles}, ensure_ascii=False))
        return EXIT_OK
    print(f"{'id':>6}  {'type':<13} {'mentions':>8} {'claims':>6} {'articles':>8}  name")
    for r in rows:
        aliases = f"  ({', '.join(r.aliases)})" if r.aliases else ""
        print(f"{r.id:>6}  {r.type or '-':<13} {r.mentions:>8} {r.claims:>6} {r.articles:>8}  "
              f"{r.name}{aliases}")
    print(f"{len(rows)} actor(s)", file=sys.stderr)
    return EXIT_OK


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an article id") from None
    if n <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not an article id")
    return n


def register(sub: Any) -> None:
    """Add ``suggest``, ``codebook`` and ``actors`` to the ``stancemark`` command."""
    p = sub.add_parser(
        "suggest", help="list (or apply) suggested actor mentions and claims",
        description="Print suggestions as JSON lines: every untagged occurrence of a known "
                    "actor's name or alias, and reported-speech claim candidates. With "
                    "--apply, tag the actor suggestions (one transaction per article).")
    p.add_argument("project")
    p.add_argument("--article", type=_positive_int, metavar="ID", help="only this article")
    p.add_argument("--kind", choices=("actors", "claims"), help="only this kind")
    p.add_argument("--apply", action="store_true",
                   help="accept every actor suggestion as --annotator")
    p.add_argument("--annotator", metavar="NAME", help="who the applied mentions are by")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("codebook", help="export or import a project's codebook as JSON")
    csub = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    e = csub.add_parser("export", help="write the codebook to a JSON file")
    e.add_argument("project")
    e.add_argument("file")
    e.add_argument("--force", action="store_true",
                   help="replace an earlier codebook export (never any other file)")
    e.set_defaults(func=cmd_codebook_export)
    i = csub.add_parser("import", help="replace the codebook with one from a JSON file",
                        description="Validates the file first; nothing is written if it is "
                                    "not a valid codebook.")
    i.add_argument("project")
    i.add_argument("file")
    i.add_argument("--force", action="store_true",
                   help="import even if categories or actor types in use disappear")
    i.set_defaults(func=cmd_codebook_import)

    p = sub.add_parser("actors", help="list the actor registry with counts")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_actors)


__all__ = ["register"]
