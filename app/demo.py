"""`fieldcase --demo`: a local central service with synthetic people, on loopback.

The service runs as its own process (the desktop app never imports server code),
seeded once into a demo folder; its port and pid are recorded there so the next
demo reuses it while it is still running. Each demo run uses a throwaway profile
whose cache key lives in an in-memory credential store: the profile is useless
after the process ends, which is what a demo should be.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import keyring
import platformdirs
import requests
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from domain.errors import FieldcaseError

log = logging.getLogger(__name__)

DEMO_PASSWORD = "demo-password"  # noqa: S105 - every synthetic officer's; not a secret
SERVER_FILE = "server.json"
# Raise when the demo's seed changes what a signed-in demo needs: a demo folder seeded by
# another version is seeded again rather than reused.
DEMO_DATA_VERSION = "2026-12-07"
SEED_STAMP = "seed-version"
START_TIMEOUT_S = 60.0
_OWNED: list[subprocess.Popen[bytes]] = []  # the demo services this process started


# What the `[central]` extra brings; without them there is no service to start.
CENTRAL_NEEDS = ("fastapi", "uvicorn", "sqlalchemy")
NOT_INSTALLED = (
    "The demo needs the central service, which isn't installed on this computer; "
    'install it with  pip install "fieldcase[central]"  (a development checkout has it) '
    "and run  fieldcase --demo  again. Fieldcase itself works without it: start it "
    "without --demo to sign in to your organisation's case service."
)


class DemoError(FieldcaseError):
    title = "The demo could not start"


def central_installed() -> bool:
    """True when the central service's own packages can be imported here."""
    for name in CENTRAL_NEEDS:
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except (ImportError, ValueError):  # a half-removed or blocked package
            return False
    return True


@dataclass(frozen=True, slots=True)
class DemoServer:
    url: str
    pid: int
    officers: tuple[str, ...]


def demo_folder() -> Path:
    return Path(platformdirs.user_data_dir("Fieldcase", "Fieldcase")) / "demo"


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=1.0).ok
    except requests.RequestException:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _central(*args: str) -> list[str]:
    return [sys.executable, "-m", "central.cli", *args]


def _seed(folder: Path, database_url: str) -> tuple[str, ...]:
    log.info("seeding the demo database")
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        _central("seed", "--database-url", database_url, "--officers", "7",
                 "--cases-per-officer", "40", "--password", DEMO_PASSWORD,
                 "--documents-per-officer", "5", "--team-work"),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise DemoError("The demo data could not be made. Is the [central] extra installed?")
    officers = json.loads(result.stdout.strip().splitlines()[-1])["officers"]
    (folder / "officers.json").write_text(json.dumps(officers))
    (folder / SEED_STAMP).write_text(DEMO_DATA_VERSION)
    return tuple(officers)


def _seeded_by_this_version(folder: Path) -> bool:
    """The demo database was made by this version's seed: an older one lacks what this
    version needs (e.g. the automatic device-approval rule, documents, covers), and
    signing in to it could wait for an approval no one will give."""
    stamp = folder / SEED_STAMP
    return stamp.exists() and stamp.read_text().strip() == DEMO_DATA_VERSION


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    pause = threading.Event()
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise DemoError("The demo service did not start; see the log file.")
        pause.wait(0.1)


def start_demo_server(folder: Path | None = None) -> DemoServer:
    """Reuse the recorded demo service if it answers, else seed (once) and start one."""
    if not central_installed():
        raise DemoError(NOT_INSTALLED)
    folder = folder or demo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / SERVER_FILE
    if record.exists():
        known = json.loads(record.read_text())
        if _healthy(known["url"]):
            log.info("reusing the demo service (pid %d)", known["pid"])
            return DemoServer(known["url"], known["pid"], tuple(known["officers"]))
    database_url = f"sqlite:///{folder / 'central.db'}"
    officers_file = folder / "officers.json"
    if (
        officers_file.exists()
        and (folder / "central.db").exists()
        and _seeded_by_this_version(folder)
    ):
        officers = tuple(json.loads(officers_file.read_text()))
    else:
        for name in ("central.db", "central.db-wal", "central.db-shm"):
            (folder / name).unlink(missing_ok=True)
        officers = _seed(folder, database_url)
    secret = folder / "jwt-secret"
    if not secret.exists():
        secret.write_text(secrets.token_hex(32))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with (folder / "central.log").open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            _central("serve", "--database-url", database_url, "--port", str(port),
                     "--jwt-secret-file", str(secret), "--log-level", "WARNING",
                     "--exit-with-parent"),
            stdin=subprocess.PIPE, stdout=out, stderr=out, start_new_session=True,
        )  # fmt: skip
    # Its stdin is a pipe only this process holds: if the app dies, the service sees the
    # pipe close and exits (central/parent_watch.py). Kept here so it is never collected.
    _OWNED.append(process)
    _wait_healthy(url, process)
    record.write_text(json.dumps({"url": url, "pid": process.pid, "officers": list(officers)}))
    log.info("demo service started (pid %d)", process.pid)
    return DemoServer(url, process.pid, officers)


def stop_demo_server(folder: Path | None = None) -> None:
    """Stop the recorded demo service (used by tests and `--demo-stop`)."""
    record = (folder or demo_folder()) / SERVER_FILE
    if not record.exists():
        return
    known = json.loads(record.read_text())
    with contextlib.suppress(ProcessLookupError):
        os.kill(int(known["pid"]), 15)
    record.unlink(missing_ok=True)


def throwaway_profile() -> Path:
    return Path(tempfile.mkdtemp(prefix="fieldcase-demo-profile-"))


class DemoKeyring(KeyringBackend):
    """Keeps the throwaway profile's wrapped key in memory for this process only."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def use_demo_keyring() -> None:
    keyring.set_keyring(DemoKeyring())
