"""CPU seconds of the server's processes from /proc (Linux), for the morning model.

The API processes' and PostgreSQL's CPU over the measured run, each a process tree: a
root's reaped children count through its cutime/cstime (PostgreSQL backends that ended
mid-run included), live ones are read one by one.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

from central.db import make_engine

TICKS = os.sysconf("SC_CLK_TCK")


def _proc_ticks(pid: int, children_too: bool) -> int:
    """utime+stime of `pid` (and of its exited, waited-for children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks + (int(fields[13]) + int(fields[14]) if children_too else 0)


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds of `root` and every live descendant, plus its reaped children's."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[1])
    family, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        kids = [pid for pid, ppid in parents.items() if ppid == current]
        family.update(kids)
        frontier.extend(kids)
    total = 0
    for pid in family:
        try:
            total += _proc_ticks(pid, children_too=True)
        except OSError:
            continue
    return total / TICKS


def server_pid(port: int) -> int:
    """The `central.cli serve` process listening on `port` (started by the bench)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"central.cli" in args and str(port).encode() in args and b"serve" in args:
                return int(entry.name)
    raise RuntimeError(f"no server on port {port}")


def postmaster_pid(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            backend = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
    finally:
        engine.dispose()
    status = Path(f"/proc/{backend}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid")))
