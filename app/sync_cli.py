"""`fieldcase-sync`: one full sync of a profile from the command line.

For IT diagnostics and scripted checks: unlock (or create) the profile's
encrypted cache with the password read from standard input, sign in only when
the credential store holds no usable tokens, run one full sync, and print a
JSON summary as the last line. Failures exit non-zero with a plain message.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import platform
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from domain.errors import FieldcaseError

if TYPE_CHECKING:
    from sync.cache import EncryptedCache

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_STUCK = 3  # the oldest waiting change failed in several syncs in a row
EXIT_DIVERGED = 4  # the server holds other changes under this profile's numbers


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="fieldcase-sync",
        description="Run one full sync of a Fieldcase profile and print a JSON summary. "
        "The password is read from standard input.",
    )
    parser.add_argument("--profile", required=True, type=Path, help="the profile folder")
    parser.add_argument("--server", required=True, help="the case service URL")
    parser.add_argument("--username", required=True, help="the officer's username")
    parser.add_argument("--ca-bundle", help="the organisation's CA certificates (PEM file)")
    parser.add_argument("--device-name", default=platform.node() or "fieldcase-sync")
    parser.add_argument("--push-batch", type=int, default=250, help=argparse.SUPPRESS)
    parser.add_argument("--pull-limit", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument(
        "--rejoin",
        action="store_true",
        help="IT support only, for a profile restored from a backup or copied from another "
        "laptop (exit code 4): sync as a new device, its waiting changes numbered again",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    return parser.parse_args(argv)


def read_password(stream: TextIO) -> str:
    if stream.isatty():
        return getpass.getpass("Password: ")
    return stream.readline().rstrip("\r\n")


def run(args: argparse.Namespace, password: str) -> dict[str, Any]:
    """Unlock, sign in if needed, sync once; the summary as a JSON-ready dict."""
    from sync.address import check_server_url
    from sync.api import RetryPolicy
    from sync.cache import EncryptedCache, profile_name
    from sync.client import SyncClient, SyncSettings
    from sync.errors import SignInRequired
    from sync.http import HttpSettings

    check_server_url(args.server)  # before the cache or any connection is opened
    cache = EncryptedCache.open(args.profile, profile_name(args.profile, args.username), password)
    if args.rejoin:
        _rejoin(cache)
    settings = SyncSettings(
        http=HttpSettings(ca_bundle=args.ca_bundle),
        retry=RetryPolicy(),
        push_batch=args.push_batch,
        pull_limit=args.pull_limit,
    )
    client = SyncClient(cache, args.server, args.username, settings)
    try:
        if not client.auth.signed_in():
            client.sign_in(password, args.device_name)
        try:
            summary = client.sync()
        except SignInRequired:
            client.sign_in(password, args.device_name)
            summary = client.sync()
        return {
            "pushed": summary.pushed,
            "applied": summary.applied,
            "pulled": summary.pulled,
            "pending": summary.pending,
            "conflicts": summary.open_conflicts,
            "rejected": summary.rejections,
            "cases": summary.cases,
            "evicted": summary.evicted,
            "refetched": summary.refetched,
            "seconds": round(summary.duration_s, 3),
        }
    finally:
        client.close()
        cache.close()


def _rejoin(cache: EncryptedCache) -> None:
    """A new device identity for a diverged profile (storage/rejoin.py); the sync that
    follows signs in as that device."""
    from storage.rejoin import rejoin

    done = rejoin(cache.db())
    logging.getLogger(__name__).info(
        "rejoined: device %s -> %s, %d waiting change(s) renumbered",
        str(done.old_client_id)[:8],
        str(done.new_client_id)[:8],
        done.waiting,
    )


def _failed(title: str, message: str, code: int = EXIT_FAILED) -> int:
    print(f"fieldcase-sync: {title}: {message}", file=sys.stderr)
    print(json.dumps({"error": title, "message": message}))
    return code


def _exit_code(error: FieldcaseError) -> int:
    """A stuck queue and a diverged profile have codes of their own, for IT's scripts."""
    from sync.errors import QueueDiverged, QueueStuck

    if isinstance(error, QueueStuck):
        return EXIT_STUCK
    if isinstance(error, QueueDiverged):
        return EXIT_DIVERGED
    return EXIT_FAILED


def main(argv: list[str] | None = None, stdin: TextIO | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.ERROR,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    password = read_password(stdin or sys.stdin)
    if not password:
        print("fieldcase-sync: no password on standard input", file=sys.stderr)
        return EXIT_USAGE
    try:
        summary = run(args, password)
    except FieldcaseError as error:
        return _failed(error.title, error.message, _exit_code(error))
    except Exception as error:  # an IT tool ends with a plain line, never a traceback
        logging.getLogger(__name__).info("unexpected failure", exc_info=True)
        message = f"Unexpected {type(error).__name__}; run again with --verbose for details."
        return _failed("Unexpected failure", message)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
