"""The handlers behind `fieldcase-central`'s subcommands (see `central.cli`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator

from sqlalchemy import Connection

from central import admin
from central.audit import case_audit
from central.auth.devices import list_devices, revoke_device
from central.config import ENV_PREFIX
from central.db import make_engine, transaction, utcnow

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _connection(args: argparse.Namespace, *, write: bool = False) -> Iterator[Connection]:
    """A connection to the command line's database (one transaction when writing); the
    engine is disposed afterwards, so a one-shot command leaves no pool behind."""
    engine = make_engine(args.database_url)
    try:
        with transaction(engine) if write else engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _fail(message: str) -> int:
    print(f"fieldcase-central: {message}", file=sys.stderr)
    return 1


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from central import logs
    from central.config import Settings
    from central.migrate import migrate as run_migrations

    logs.configure(args.log_level)
    os.environ["FIELDCASE_CENTRAL_DATABASE_URL"] = args.database_url
    os.environ["FIELDCASE_CENTRAL_LOG_LEVEL"] = args.log_level
    if args.jwt_secret_file:
        os.environ["FIELDCASE_CENTRAL_JWT_SECRET_FILE"] = args.jwt_secret_file
    # Workers are separate processes: they read their settings from the environment.
    for name in (
        "idle_lock_minutes",
        "max_offline_days",
        "access_token_minutes",
        "refresh_token_days",
    ):
        value = getattr(args, name)
        if value is not None:
            os.environ[ENV_PREFIX + name.upper()] = str(value)
    if args.workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="fieldcase-metrics-")
    run_migrations(args.database_url)
    Settings().jwt_secret()  # create the shared secret once, before any worker starts
    log.info("serving on %s:%d with %d worker(s)", args.host, args.port, args.workers)
    uvicorn.run(
        "central.api:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        proxy_headers=False,
    )
    return 0


def migrate(args: argparse.Namespace) -> int:
    from central.migrate import migrate as run_migrations

    run_migrations(args.database_url)
    print("database is up to date")
    return 0


def seed(args: argparse.Namespace) -> int:
    from central.seed import seed_database
    from central.seed.writer import AlreadySeeded

    print(
        f"seeding {args.officers} officers x {args.cases_per_officer} cases (seed {args.seed})",
        flush=True,
    )
    try:
        result = seed_database(
            args.database_url,
            officers=args.officers,
            cases_per_officer=args.cases_per_officer,
            seed=args.seed,
            password=args.password,
            team_work=args.team_work,
        )
    except AlreadySeeded as exc:
        return _fail(str(exc))
    print(f"{result.cases} cases, {result.records} records in {result.seconds:.1f} s", flush=True)
    print(json.dumps(result.summary()), flush=True)
    return 0


def allocate(args: argparse.Namespace) -> int:
    import getpass

    try:
        with _connection(args, write=True) as conn:
            admin.allocate(
                conn, args.crn, args.staff, now=utcnow(), by=getpass.getuser(), reason=args.reason
            )
    except admin.AdminError as exc:
        return _fail(str(exc))
    print(f"{args.crn} allocated to {args.staff}")
    return 0


def audit(args: argparse.Namespace) -> int:
    with _connection(args) as conn:
        entries = case_audit(conn, args.crn)
    for e in entries:
        if args.json:
            print(
                json.dumps(
                    {
                        "at": e.at.isoformat(),
                        "username": e.username,
                        "device_id": e.device_id,
                        "action": e.action,
                        "crn": e.crn,
                        "record_id": e.record_id,
                        "detail": e.detail,
                    }
                )
            )
        else:
            device = e.device_id or "-"
            print(
                f"{e.at:%Y-%m-%d %H:%M:%S} {e.username:<16} {e.action:<20} {device} "
                f"{e.record_id or ''}".rstrip()
            )
    if not entries and not args.json:
        print(f"no audit entries for {args.crn}")
    return 0


def users_list(args: argparse.Namespace) -> int:
    with _connection(args) as conn:
        rows = admin.list_users(conn)
    for row in rows:
        flags = ("admin " if row.is_admin else "") + ("" if row.active else "disabled")
        print(f"{row.username:<20} {row.staff_code or '-':<8} {flags}".rstrip())
    return 0


def users_add(args: argparse.Namespace) -> int:
    from central.cli import read_password

    password = read_password(args)
    if not password:
        return _fail("a password is required")
    try:
        with _connection(args, write=True) as conn:
            admin.add_user(
                conn,
                args.username,
                password,
                now=utcnow(),
                staff_code=args.staff_code,
                is_admin=args.admin,
            )
    except admin.AdminError as exc:
        return _fail(str(exc))
    print(f"user {args.username} added")
    return 0


def users_reset(args: argparse.Namespace) -> int:
    from central.cli import read_password

    password = read_password(args)
    if not password:
        return _fail("a password is required")
    try:
        with _connection(args, write=True) as conn:
            admin.reset_password(conn, args.username, password, now=utcnow())
    except admin.AdminError as exc:
        return _fail(str(exc))
    print(f"password of {args.username} reset; their devices must sign in again")
    return 0


def devices_list(args: argparse.Namespace) -> int:
    with _connection(args) as conn:
        rows = list_devices(conn, args.username)
    for d in rows:
        state = f"revoked {d.revoked_at:%Y-%m-%d}" if d.revoked_at else "active"
        print(f"{d.id} {d.username:<16} {state:<18} {d.name}".rstrip())
    return 0


def devices_revoke(args: argparse.Namespace) -> int:
    with _connection(args, write=True) as conn:
        found = revoke_device(conn, args.device_id, args.by, utcnow())
    if not found:
        return _fail(f"no device {args.device_id}")
    print(f"device {args.device_id} revoked; it will wipe itself at its next contact")
    return 0
