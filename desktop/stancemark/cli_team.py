"""``stancemark team …`` and ``stancemark sync``: working as a team through a PostgreSQL hub."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from stancemark import APP_NAME
from stancemark.core.errors import TeamError
from stancemark.core.text import printable

EXIT_OK = 0


def cmd_init(args: argparse.Namespace) -> int:
    from stancemark.services.team import init_team

    info = init_team(args.admin_url, args.blind)
    upgraded = (f"upgraded from version {info['upgraded_from']} to {info['version']}; "
                if info.get("upgraded_from") else f"version {info['version']}; ")
    print(f"{APP_NAME}: the team in {info['database']} is ready ({upgraded}members are in the "
          f"role {info['group_role']}; blind: {'yes' if info['blind'] else 'no'}).",
          file=sys.stderr)
    return EXIT_OK


def cmd_add_coder(args: argparse.Namespace) -> int:
    from stancemark.services.team import add_member

    addr, password = add_member(args.admin_url, args.name, args.role)
    if args.password_file:
        try:
            fd = os.open(args.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(password + "\n")
            os.chmod(args.password_file, 0o600)
        except OSError as exc:
            raise TeamError(f"Cannot write {args.password_file}: {exc.strerror}.",
                            f"The role {args.name} exists; run add-coder again to get a new "
                            "password.") from None
        print(f"{APP_NAME}: {args.name} is a {args.role}; the password is in "
              f"{printable(args.password_file)} (readable by you only).", file=sys.stderr)
        print(f"To join: stancemark team join PROJECT {addr.url()}")
        print("(with the password from that file in PGPASSWORD, ~/.pgpass or the keyring)")
    else:
        print(f"{APP_NAME}: {args.name} is a {args.role}. Give them this, privately:",
              file=sys.stderr)
        secret_url = addr.as_user(args.name, password).url(with_password=True)
        print(f"stancemark team join PROJECT {secret_url}")
    return EXIT_OK


def cmd_join(args: argparse.Namespace) -> int:
    from stancemark.services.team import join

    name, role, kept = join(args.project, args.url)
    where = f"; the password is kept in {kept}" if kept else ""
    print(printable(f"{APP_NAME}: {args.project} now syncs as {name} ({role}){where}. "
                    f"Run `stancemark sync {args.project}`."), file=sys.stderr)
    return EXIT_OK


def cmd_assign(args: argparse.Namespace) -> int:
    from stancemark.services.team import assign_articles

    made = assign_articles(args.manager_url, _names(args.coders), args.per_article)
    print(f"{APP_NAME}: made {made} assignment(s) ({args.per_article} coder(s) per article).",
          file=sys.stderr)
    return EXIT_OK


def _names(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def cmd_unassign(args: argparse.Namespace) -> int:
    from stancemark.services.team import unassign_articles

    ended = unassign_articles(args.manager_url, _names(args.coders),
                              None if args.all else [a.strip() for a in args.articles])
    print(f"{APP_NAME}: ended {ended} assignment(s); the articles and the coders' work on them "
          "stay (their next sync marks the articles unassigned).", file=sys.stderr)
    return EXIT_OK


def cmd_conflicts(args: argparse.Namespace) -> int:
    import json

    from stancemark.core.team import conflict_report
    from stancemark.services.team import conflicts

    found = conflicts(args.url, decided=args.all)
    if args.json:
        print(json.dumps([p.as_json() for p in found], ensure_ascii=False, indent=2))
    else:
        print(printable(conflict_report(found)))
    return EXIT_OK


def cmd_decide(args: argparse.Namespace) -> int:
    from stancemark.services.team import decide

    values: dict[str, str] = {}
    for item in args.set or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise TeamError(f"--set {item!r} is not FIELD=VALUE.",
                            "Write it like --set name='Albin Kurti'.")
        values[name.strip()] = value
    done = decide(args.manager_url, args.id, args.keep, values, revision=args.revision)
    print(printable(f"{APP_NAME}: #{done.id} {done.label}: kept {done.keep_text()}; every "
                    "member gets it on their next sync."), file=sys.stderr)
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from stancemark.cli import ProgressBar, _open
    from stancemark.services.team import sync

    bar = ProgressBar(min_total=1)
    with _open(args.project) as store:
        try:
            report = sync(store, progress=bar)
        finally:
            bar.close()
    print(f"{APP_NAME}: synced {printable(args.project)} as {report.role}: {report.summary()}.",
          file=sys.stderr)
    return EXIT_OK


def register(sub: Any) -> None:
    team = sub.add_parser("team", help="set up and join a team that syncs through PostgreSQL",
                          description="A team shares one PostgreSQL database (the hub); each "
                                      "member keeps a local project and runs `sync`.")
    tsub = team.add_subparsers(dest="team_command", metavar="COMMAND", required=True)
    p = tsub.add_parser("init", help="create or upgrade the hub's tables, roles and access rules "
                                     "(safe to repeat)")
    p.add_argument("admin_url", metavar="ADMIN_URL")
    blind = p.add_mutually_exclusive_group()
    blind.add_argument("--blind", dest="blind", action="store_true", default=None,
                       help="coders see no one else's annotations")
    blind.add_argument("--no-blind", dest="blind", action="store_false",
                       help="coders see others' annotations of their articles (the default "
                            "of a new hub)")
    p.set_defaults(func=cmd_init)
    p = tsub.add_parser("add-coder", help="give a member their own database role and password")
    p.add_argument("admin_url", metavar="ADMIN_URL")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", choices=("coder", "curator", "manager"), default="coder")
    p.add_argument("--password-file", metavar="FILE",
                   help="write the password here (mode 0600) instead of printing it")
    p.set_defaults(func=cmd_add_coder)
    p = tsub.add_parser("join", help="make a project a member's copy (created if missing)")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("url", metavar="URL", help="postgresql://ROLE[:PASSWORD]@HOST:PORT/DATABASE")
    p.set_defaults(func=cmd_join)
    p = tsub.add_parser("assign", help="give each article N coders of a list")
    p.add_argument("manager_url", metavar="MANAGER_URL")
    p.add_argument("--coders", required=True, help="comma-separated role names")
    p.add_argument("--per-article", type=int, required=True, metavar="N")
    p.set_defaults(func=cmd_assign)
    p = tsub.add_parser("unassign", help="take articles back from coders (their work stays)")
    p.add_argument("manager_url", metavar="MANAGER_URL")
    p.add_argument("--coders", required=True, help="comma-separated role names")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--articles", metavar="ARTICLE", nargs="+",
                       help="article uids (or their first characters) or exact titles")
    which.add_argument("--all", action="store_true", help="every article of these coders")
    p.set_defaults(func=cmd_unassign)
    p = tsub.add_parser("conflicts", help="list changes to shared entries waiting for a "
                                          "manager's decision")
    p.add_argument("url", metavar="URL", help="a manager's URL lists all; a member's their own")
    p.add_argument("--all", action="store_true", help="the decided ones too")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=cmd_conflicts)
    p = tsub.add_parser("decide", help="settle one conflict on a shared entry")
    p.add_argument("manager_url", metavar="MANAGER_URL")
    p.add_argument("id", metavar="ID", type=int, help="the number `team conflicts` shows")
    p.add_argument("--keep", required=True, choices=("hub", "proposed", "merged"),
                   help="the hub's version, the proposed one, or both merged (the hub's "
                        "values, what it lacks from the proposal; an actor's other name "
                        "becomes an alias)")
    p.add_argument("--revision", metavar="REV",
                   help="the revision `team conflicts` listed with it (needed to keep "
                        "proposed or merged: a proposal changed since is refused)")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE",
                   help="then set a field by hand (repeatable; aliases separated by ';')")
    p.set_defaults(func=cmd_decide)
    p = sub.add_parser("sync", help="push your changes to the team's hub and pull the team's")
    p.add_argument("project", metavar="PROJECT")
    p.set_defaults(func=cmd_sync)
