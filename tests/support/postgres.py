"""A throwaway PostgreSQL cluster for the test session (PLATFORM.md recipe).

Started from the distribution's binaries with `initdb` + `pg_ctl` on a free
loopback port, in a temporary folder, with fsync off; stopped at the end. As
root, the server runs as the `postgres` user (PostgreSQL refuses root).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def find_bin() -> Path | None:
    """The newest installed PostgreSQL server binaries folder, if any."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """Yield the admin URL of a fresh cluster (`postgresql+psycopg://postgres@.../postgres`)."""
    bindir = find_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="fieldcase-pg-"))
    data = root / "data"
    port = free_port()
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        shutil.chown(root, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]

    def pg(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True)

    pg(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    pg(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-w",
        "-l",
        str(root / "log"),
        "-o",
        options,
        "start",
    )
    stop = [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
    watchdog = _watchdog(stop, root)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            pg(*stop[len(prefix) :])
        if watchdog is None:
            _remove_later(root)
        else:
            watchdog.stdin.close()  # type: ignore[union-attr]  # it removes the folder


def _watchdog(stop: list[str], root: Path) -> subprocess.Popen[bytes] | None:
    """A process that stops the cluster and removes its folder when this one is gone.

    pg_ctl detaches the server, so a test session killed by a timeout or SIGKILL left
    it running for ever. The watchdog waits on a pipe only this process holds: the
    pipe closes when this process ends, however it ends. In a session of its own, so a
    signal to the test run's process group does not take it first. Removing the folder
    there also keeps the session from waiting on it (it holds every per-test database).
    """
    if os.name != "posix":
        return None
    script = 'cat >/dev/null; "$@" >/dev/null 2>&1; rm -rf "$ROOT" >/dev/null 2>&1'
    return subprocess.Popen(
        ["sh", "-c", script, "watchdog", *stop],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ROOT": str(root)},
        start_new_session=True,
    )


def _remove_later(root: Path) -> None:
    """Delete the stopped cluster's folder without making the test session wait: it holds
    a copy of every per-test database, and removing those took 20-45 s at the end of
    a full run. A detached `rm -rf` finishes the job after pytest has exited."""
    if os.name != "posix":
        shutil.rmtree(root, ignore_errors=True)
        return
    # The shell exits at once and leaves `rm` running on its own (nothing to reap).
    subprocess.run(
        ["sh", "-c", 'rm -rf "$0" >/dev/null 2>&1 &', str(root)],
        check=False,
        start_new_session=True,
    )
