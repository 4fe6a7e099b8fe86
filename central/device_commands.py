"""`fieldcase-central devices`: see, approve and revoke laptops; set the approval policy.

Enrolment is an event an administrator sees (`devices list --status pending`) and, where
the policy requires it, approves before the laptop gets any token. Every approval,
revocation and policy change is audited with the administrator's name.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, select

from central.auth.approval import SERVICE_WIDE, policies, set_policy
from central.auth.devices import approve_device, list_devices, revoke_device
from central.commands import _connection, _fail
from central.db import as_utc, utcnow
from central.tables import audit_log, providers


def devices_list(args: argparse.Namespace) -> int:
    with _connection(args) as conn:
        rows = list_devices(conn, args.username, args.status)
    for d in rows:
        when = d.revoked_at or d.approved_at or d.registered_at
        state = f"{d.status} {when:%Y-%m-%d}"
        print(f"{d.id} {d.username:<16} {state:<19} {d.name}".rstrip())
    if not rows:
        print("no devices")
    return 0


def devices_approve(args: argparse.Namespace) -> int:
    return _change(
        args,
        approve_device,
        "approved; the officer can sign in on it now",
        "waiting or approved (revoked ones stay so)",
    )


def devices_revoke(args: argparse.Namespace) -> int:
    return _change(args, revoke_device, "revoked; it will wipe itself at its next contact", "")


def _change(
    args: argparse.Namespace,
    change: Callable[[Connection, str, str, datetime], bool],
    done: str,
    missing: str,
) -> int:
    with _connection(args, write=True) as conn:
        found = change(conn, args.device_id, args.by, utcnow())
    if not found:
        return _fail(f"no device {args.device_id} {missing}".rstrip())
    print(f"device {args.device_id} {done}")
    return 0


def devices_show(args: argparse.Namespace) -> int:
    query = (
        select(audit_log.c.at, audit_log.c.username, audit_log.c.action, audit_log.c.detail)
        .where(audit_log.c.device_id == args.device_id, audit_log.c.action.like("device_%"))
        .order_by(audit_log.c.id)
    )
    with _connection(args) as conn:
        rows = conn.execute(query).all()
    for row in rows:
        at = as_utc(row.at)
        extra = " ".join(f"{k}={v}" for k, v in sorted(dict(row.detail or {}).items()))
        print(f"{at:%Y-%m-%d %H:%M:%S} {row.username:<16} {row.action:<18} {extra}".rstrip())
    if not rows:
        print(f"no events for device {args.device_id}")
    return 0


def devices_policy(args: argparse.Namespace) -> int:
    """Without an argument, print the rules; with one, set the rule for --region."""
    if args.approval is not None:
        with _connection(args, write=True) as conn:
            known = conn.execute(select(providers.c.code).where(providers.c.code == args.region))
            if args.region != SERVICE_WIDE and known.first() is None:
                return _fail(f"no region (provider) {args.region}; use a provider code or *")
            required = args.approval == "required"
            set_policy(conn, args.region, required=required, by=args.by, now=utcnow())
    with _connection(args) as conn:
        rules = policies(conn)
    if not any(rule.scope == SERVICE_WIDE for rule in rules):
        print("*        required  (built in: no service-wide rule set)")
    for rule in rules:
        words = "required" if rule.required else "automatic"
        print(f"{rule.scope:<8} {words:<9} set {rule.changed_at:%Y-%m-%d} by {rule.changed_by}")
    return 0
