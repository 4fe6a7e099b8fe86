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
from central.audit import AuditEntry, case_audit
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
    from central.config import Settings, WeakSecret
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
    try:
        Settings().jwt_secret()  # create the shared secret once, before any worker starts
    except WeakSecret as exc:
        return _fail(str(exc))
    if getattr(args, "exit_with_parent", False):
        from central.parent_watch import exit_with_parent

        exit_with_parent()
    run_migrations(args.database_url)
    log.info("serving on %s:%d with %d worker(s)", args.host, args.port, args.workers)
    if args.metrics_port:
        from central.metrics import start_admin_listener

        start_admin_listener(args.metrics_port, args.metrics_host)  # a daemon thread
        log.info("metrics on %s:%d", args.metrics_host, args.metrics_port)
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
    from central.seed import SeedResult, seed_database
    from central.seed.national import seed_national
    from central.seed.writer import AlreadySeeded

    print(
        f"seeding {args.officers} officers x {args.cases_per_officer} cases (seed {args.seed})",
        flush=True,
    )
    common = {
        "officers": args.officers,
        "cases_per_officer": args.cases_per_officer,
        "seed": args.seed,
        "password": args.password,
    }
    try:
        result: SeedResult = (
            seed_national(args.database_url, **common)
            if getattr(args, "national", False)
            else seed_database(
                args.database_url,
                **common,
                documents_per_officer=args.documents_per_officer,
                team_work=args.team_work,
            )
        )
    except (AlreadySeeded, ValueError) as exc:
        return _fail(str(exc))
    rate = result.records / result.seconds if result.seconds else 0
    print(
        f"{result.cases} cases, {result.records} records in {result.seconds:.1f} s "
        f"({rate:,.0f} records/s)",
        flush=True,
    )
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
    """The trail of a case: the server's time of each entry, and beside it the time the
    laptop claimed (a case viewed offline) with the plausibility check's verdict."""
    with _connection(args) as conn:
        entries = case_audit(conn, args.crn)
    for e in entries:
        print(json.dumps(_audit_json(e)) if args.json else _audit_line(e))
    if not entries and not args.json:
        print(f"no audit entries for {args.crn}")
    return 0


def _audit_json(e: AuditEntry) -> dict[str, object]:
    return {
        "at": e.at.isoformat(),
        "claimed_at": e.claimed_at.isoformat() if e.claimed_at else None,
        "claim_check": e.claim_check,
        "username": e.username,
        "device_id": e.device_id,
        "action": e.action,
        "crn": e.crn,
        "record_id": e.record_id,
        "detail": e.detail,
    }


def _audit_line(e: AuditEntry) -> str:
    claimed = ""
    if e.claimed_at is not None:
        claimed = f" (laptop said {e.claimed_at:%Y-%m-%d %H:%M:%S}: {e.claim_check})"
    device = e.device_id or "-"
    line = f"{e.at:%Y-%m-%d %H:%M:%S} {e.username:<16} {e.action:<20} {device} {e.record_id or ''}"
    return line.rstrip() + claimed


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
        hashed = admin.prepare(password, args.username)  # before the write lock
        with _connection(args, write=True) as conn:
            admin.add_user(
                conn,
                args.username,
                hashed,
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
        hashed = admin.prepare(password, args.username)  # before the write lock
        with _connection(args, write=True) as conn:
            admin.reset_password(conn, args.username, hashed, now=utcnow())
    except admin.AdminError as exc:
        return _fail(str(exc))
    print(f"password of {args.username} reset; their devices must sign in again")
    return 0


def lao_list(args: argparse.Namespace) -> int:
    from central.lao_admin import list_entries

    with _connection(args) as conn:
        entries = list_entries(conn, args.crn)
    for e in entries:
        print(f"{e.crn} {e.kind:<11} {e.username:<16} {e.message}")
    if not entries:
        print("no Limited Access entries")
    return 0


def lao_add(args: argparse.Namespace) -> int:
    from central.lao_admin import add

    try:
        with _connection(args, write=True) as conn:
            add(conn, args.kind, args.crn, args.username, by=args.by, message=args.message)
    except admin.AdminError as exc:
        return _fail(str(exc))
    print(f"{args.username} added to the {args.kind} list of {args.crn}; laptops follow at sync")
    return 0


def lao_remove(args: argparse.Namespace) -> int:
    from central.lao_admin import remove

    try:
        with _connection(args, write=True) as conn:
            remove(conn, args.kind, args.crn, args.username, by=args.by)
    except admin.AdminError as exc:
        return _fail(str(exc))
    print(f"{args.username} removed from the {args.kind} list of {args.crn}")
    return 0


def keeps_list(args: argparse.Namespace) -> int:
    from central.keeps import list_keeps

    with _connection(args) as conn:
        rows = list_keeps(conn, pending_only=args.pending)
    for k in rows:
        until = f"until {k.expires_at:%Y-%m-%d %H:%M}" if k.expires_at else "no lapse"
        text = f" ({k.reason_text})" if k.reason_text else ""
        print(f"{k.crn} {k.username:<16} {k.status:<8} {k.reason}{text} {until}")
    if not rows:
        print("no kept cases")
    return 0


def _decide_keep(args: argparse.Namespace, *, approve: bool) -> int:
    from central.keeps import decide

    try:
        with _connection(args, write=True) as conn:
            decide(conn, args.username, args.crn, approve=approve, by=args.by)
    except admin.AdminError as exc:
        return _fail(str(exc))
    print(f"keep of {args.crn} by {args.username} {'approved' if approve else 'refused'}")
    return 0


def keeps_approve(args: argparse.Namespace) -> int:
    return _decide_keep(args, approve=True)


def keeps_refuse(args: argparse.Namespace) -> int:
    return _decide_keep(args, approve=False)


def keeps_policy(args: argparse.Namespace) -> int:
    from central.keeps import set_policy

    try:
        with _connection(args, write=True) as conn:
            set_policy(conn, args.region, needs_approval=args.needs_approval, keep_days=args.days)
    except admin.AdminError as exc:
        return _fail(str(exc))
    mode = "need approval" if args.needs_approval else "need no approval"
    print(f"keeps in {args.region} last {args.days} days and {mode}")
    return 0
