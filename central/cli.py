"""`fieldcase-central`: run, migrate and administer the central case service.

Each subcommand has `--help`. Database URLs default to
`$FIELDCASE_CENTRAL_DATABASE_URL`, else a SQLite file in the current folder.
Output is for people, except `seed`, whose last line is a JSON object (its key
`officers` lists the usernames it created) for scripts and tests to read.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence

from central.config import DEFAULT_DATABASE_URL, ENV_PREFIX, env

_ENV = ENV_PREFIX

Handler = Callable[[argparse.Namespace], int]


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        default=env("database_url", DEFAULT_DATABASE_URL),
        help="SQLAlchemy URL: sqlite:///path.db or postgresql://user@host/db "
        "(default: $FIELDCASE_CENTRAL_DATABASE_URL or %(default)s)",
    )


def _password(args: argparse.Namespace) -> str:
    """The --password value, else one line from stdin (so it stays out of `ps`)."""
    if args.password:
        value: str = args.password
        return value
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\n")


def _serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from central.commands import serve

    p = sub.add_parser("serve", help="migrate the database, then serve the HTTP API")
    _db(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on (%(default)s)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (%(default)s)")
    p.add_argument("--jwt-secret-file", help="file holding the token signing secret")
    p.add_argument("--log-level", default="INFO", help="logging level (%(default)s)")
    p.add_argument(
        "--metrics-port",
        type=int,
        help="serve Prometheus /metrics on this port, a separate admin listener (default: off)",
    )
    p.add_argument(
        "--metrics-host", default="127.0.0.1", help="address of the metrics listener (%(default)s)"
    )
    p.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when standard input closes (the app that started it has gone)",
    )
    for flag, text in (
        ("--idle-lock-minutes", "minutes idle before the client locks"),
        ("--max-offline-days", "days a client may work offline before it must sign in online"),
        ("--access-token-minutes", "access token lifetime"),
        ("--refresh-token-days", "refresh token lifetime"),
    ):
        name = flag.removeprefix("--").replace("-", "_")
        p.add_argument(flag, type=int, help=f"{text} (default: ${_ENV}{name.upper()} or built in)")
    p.set_defaults(handler=serve)


def _data_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from central import commands

    p = sub.add_parser("migrate", help="bring the database schema up to date")
    _db(p)
    p.set_defaults(handler=commands.migrate)

    p = sub.add_parser("seed", help="fill an empty database with synthetic demo data")
    _db(p)
    p.add_argument("--officers", type=int, default=5, help="officers to create (%(default)s)")
    p.add_argument("--cases-per-officer", type=int, default=30, help="(%(default)s)")
    p.add_argument("--seed", type=int, default=1, help="random seed (%(default)s)")
    p.add_argument("--password", required=True, help="password of every seeded officer")
    p.add_argument(
        "--documents-per-officer",
        type=int,
        default=0,
        help="cases per officer given a synthetic report and letter (%(default)s)",
    )
    p.add_argument(
        "--team-work",
        action="store_true",
        help="also a running cover in each team and unread alerts (for the demo)",
    )
    p.add_argument(
        "--national",
        action="store_true",
        help="PostgreSQL only: bulk-load a national-shape database (one caseload, cloned; "
        "about 280 records a case) in minutes, for load tests (central/seed/national.py)",
    )
    p.set_defaults(handler=commands.seed)

    p = sub.add_parser("allocate", help="make an officer the offender manager of a case")
    _db(p)
    p.add_argument("--crn", required=True)
    p.add_argument("--staff", required=True, help="7-character staff code")
    p.add_argument("--reason", default="", help="reason recorded with the allocation")
    p.set_defaults(handler=commands.allocate)

    p = sub.add_parser("audit", help="who looked at or changed a case")
    _db(p)
    p.add_argument("crn")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(handler=commands.audit)


def _user_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from central import commands

    users = sub.add_parser("users", help="list, add or reset the password of users")
    actions = users.add_subparsers(dest="action", required=True)
    p = actions.add_parser("list", help="list users")
    _db(p)
    p.set_defaults(handler=commands.users_list)
    for name, handler, text in (
        ("add", commands.users_add, "add a user"),
        ("reset-password", commands.users_reset, "set a new password, sign out every device"),
    ):
        p = actions.add_parser(name, help=text)
        _db(p)
        p.add_argument("username")
        p.add_argument("--password", help="the new password (default: read from stdin)")
        if name == "add":
            p.add_argument("--staff-code", help="the officer's 7-character staff code")
            p.add_argument("--admin", action="store_true", help="an administrator")
        p.set_defaults(handler=handler)

    _device_parsers(sub)


def _device_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from central import device_commands as commands

    devices = sub.add_parser(
        "devices", help="list, approve or revoke laptops; set the approval policy"
    )
    actions = devices.add_subparsers(dest="action", required=True)
    p = actions.add_parser("list", help="list devices (pending, approved, revoked)")
    _db(p)
    p.add_argument("--username", help="only this user's devices")
    p.add_argument("--status", choices=("pending", "approved", "revoked"))
    p.set_defaults(handler=commands.devices_list)
    for name, handler, text in (
        ("approve", commands.devices_approve, "let a pending laptop sign in"),
        ("revoke", commands.devices_revoke, "revoke a device: it wipes itself at next contact"),
        ("show", commands.devices_show, "a device's enrolment, approval and revocation trail"),
    ):
        p = actions.add_parser(name, help=text)
        _db(p)
        p.add_argument("device_id")
        p.add_argument("--by", default=getpass.getuser(), help="administrator (%(default)s)")
        p.set_defaults(handler=handler)
    p = actions.add_parser(
        "policy", help="show or set whether new laptops need an administrator's approval"
    )
    _db(p)
    p.add_argument("approval", nargs="?", choices=("required", "automatic"))
    p.add_argument("--region", default="*", help="a provider code, or * for the whole service")
    p.add_argument("--by", default=getpass.getuser(), help="administrator (%(default)s)")
    p.set_defaults(handler=commands.devices_policy)


def _lao_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from central import commands

    lao = sub.add_parser("lao", help="list or change Limited Access exclusions and restrictions")
    actions = lao.add_subparsers(dest="action", required=True)
    p = actions.add_parser("list", help="list exclusions and restrictions")
    _db(p)
    p.add_argument("--crn", help="only this case")
    p.set_defaults(handler=commands.lao_list)
    for name, handler, text in (
        ("add", commands.lao_add, "exclude a user from a case, or admit one to its restriction"),
        ("remove", commands.lao_remove, "lift an exclusion, or take a user off a restriction"),
    ):
        p = actions.add_parser(name, help=text)
        _db(p)
        p.add_argument("kind", choices=["exclusion", "restriction"])
        p.add_argument("crn")
        p.add_argument("username")
        p.add_argument("--by", default=getpass.getuser(), help="administrator (%(default)s)")
        if name == "add":
            p.add_argument("--message", help="what a barred user is told (kept per case)")
        p.set_defaults(handler=handler)


def _keep_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from central import commands

    keeps = sub.add_parser("keeps", help="cases kept outside caseloads: list, approve, policy")
    actions = keeps.add_subparsers(dest="action", required=True)
    p = actions.add_parser("list", help="list kept cases with their reasons")
    _db(p)
    p.add_argument("--pending", action="store_true", help="only those waiting for approval")
    p.set_defaults(handler=commands.keeps_list)
    for name, handler in (("approve", commands.keeps_approve), ("refuse", commands.keeps_refuse)):
        p = actions.add_parser(name, help=f"{name} a keep waiting for approval")
        _db(p)
        p.add_argument("username")
        p.add_argument("crn")
        p.add_argument("--by", default=getpass.getuser(), help="administrator (%(default)s)")
        p.set_defaults(handler=handler)
    p = actions.add_parser("policy", help="set a region's keep policy")
    _db(p)
    p.add_argument("region", help="provider code, e.g. N07")
    p.add_argument("--needs-approval", action=argparse.BooleanOptionalAction, default=False)
    p.add_argument("--days", type=int, default=14, help="days a keep lasts (%(default)s)")
    p.set_defaults(handler=commands.keeps_policy)


def parser() -> argparse.ArgumentParser:
    from central import duty_api

    root = argparse.ArgumentParser(
        prog="fieldcase-central", description="The Fieldcase central case service."
    )
    sub = root.add_subparsers(dest="command", required=True)
    _serve_parser(sub)
    _data_parsers(sub)
    _user_parsers(sub)
    _lao_parsers(sub)
    _keep_parsers(sub)
    duty_api.add_parser(sub)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    args = parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except (ArgumentError, NoSuchModuleError):
        # Never echo the URL: it may hold a database password.
        return _fail(
            "the database URL is not valid; use sqlite:///path.db or postgresql://user@host/db", 2
        )
    except SQLAlchemyError as exc:
        return _fail(database_problem(exc), 2)


def database_problem(exc: Exception) -> str:
    """A plain line about a database failure: the driver's own first line, never the
    statement or its parameters (they may hold a password hash)."""
    detail = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0][:200]
    if "no such table" in detail or "does not exist" in detail:
        return f"the database has no Fieldcase tables ({detail}); run: fieldcase-central migrate"
    return f"cannot use the database: {detail}"


def _fail(message: str, code: int = 1) -> int:
    print(f"fieldcase-central: {message}", file=sys.stderr)
    return code


def read_password(args: argparse.Namespace) -> str:
    return _password(args)


def print_json(value: object) -> None:
    print(json.dumps(value), flush=True)


if __name__ == "__main__":
    sys.exit(main())
