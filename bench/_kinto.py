"""Kinto, the peer `python -m bench peer` measures Fieldcase against (issue 22).

Kinto (Mozilla's Python sync server) runs under waitress with its PostgreSQL backend on a
throwaway cluster (tests/support/postgres.py); its client is kinto-http writing one SQLite
table (plain or SQLCipher). Both come from the bench-only `[bench]` extra.

The records are loaded with SQL straight into Kinto's `objects` table: through its HTTP
API that runs at ~70 records/s here (PLATFORM.md). `batch_max_requests` is raised to the
Fieldcase push batch so both sides push in batches of the same size.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import requests

from storage.db import connect
from sync.protocol import MAX_PUSH_BATCH
from tests.support.postgres import cluster, free_port

BUCKET, COLLECTION = "fieldcase", "records"
PARENT = f"/buckets/{BUCKET}/collections/{COLLECTION}"
AUTH = ("bench-officer", "bench-synthetic-secret")

_INI = """\
[app:main]
use = egg:kinto
kinto.storage_backend = kinto.core.storage.postgresql
kinto.storage_url = {url}
kinto.permission_backend = kinto.core.permission.postgresql
kinto.permission_url = {url}
kinto.cache_backend = kinto.core.cache.memory
kinto.userid_hmac_secret = bench-{secret}
multiauth.policies = basicauth
kinto.batch_max_requests = {batch}
kinto.storage_max_fetch_size = 10000
kinto.bucket_create_principals = system.Authenticated

[server:main]
use = egg:waitress#main
host = 127.0.0.1
port = {port}
"""


@dataclass
class Peer:
    """A running Kinto: its HTTP address and its database (for the SQL load)."""

    url: str
    dsn: str


@contextlib.contextmanager
def running(folder: Path) -> Iterator[Peer]:
    """PostgreSQL and Kinto, both stopped (and the cluster removed) on leaving."""
    with cluster() as admin:
        dsn_admin = admin.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn_admin, autocommit=True) as conn:
            conn.execute("CREATE DATABASE kinto")
        dsn = dsn_admin.rsplit("/", 1)[0] + "/kinto"
        port = free_port()
        ini = folder / "kinto.ini"
        ini.write_text(
            _INI.format(url=dsn, secret=uuid.uuid4().hex, batch=MAX_PUSH_BATCH, port=port)
        )
        path = folder / "kinto.log"
        # kinto/__main__.py has no `__name__` guard: call its main() as its console script does.
        kinto = [sys.executable, "-c", "import sys, kinto.__main__ as k; sys.exit(k.main())"]
        with path.open("wb") as log:
            quiet = {"stdout": log, "stderr": log}
            subprocess.run([*kinto, "migrate", "--ini", str(ini)], check=True, **quiet)  # noqa: S603
            server = subprocess.Popen([*kinto, "start", "--ini", str(ini)], **quiet)  # noqa: S603
            try:
                peer = Peer(f"http://127.0.0.1:{port}/v1", dsn)
                _wait_ready(peer.url, server, path)
                yield peer
            finally:
                server.terminate()
                server.wait(timeout=30)


def _wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        if server.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]  # the folder goes with the run
            raise RuntimeError(f"Kinto did not start:\n{tail}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/__heartbeat__", timeout=1).ok:
                return
        threading.Event().wait(0.1)  # polling a starting process; nothing to wait on
    raise RuntimeError("Kinto did not answer /__heartbeat__")


def client(peer: Peer) -> Any:
    from kinto_http import Client

    # kinto-http logs every answered batch request at WARNING: a line a record pushed.
    logging.getLogger("kinto_http.batch").setLevel(logging.ERROR)

    return Client(server_url=peer.url, auth=AUTH, bucket=BUCKET, collection=COLLECTION)


def load(peer: Peer, rows_path: Path) -> int:
    """The JSON documents Fieldcase's cache holds, into Kinto's table: record count."""
    kinto = client(peer)
    kinto.create_bucket(id=BUCKET, if_not_exists=True)
    kinto.create_collection(id=COLLECTION, if_not_exists=True)
    ids, datas = [], []
    with rows_path.open() as rows:
        for r in map(json.loads, rows):
            ids.append(r["id"])
            datas.append(json.dumps(document(r)))
    with psycopg.connect(peer.dsn, autocommit=True) as conn:
        # Distinct, increasing timestamps (Kinto's unique index), set here rather than by
        # the per-row trigger: that only makes the load slower, not the table different.
        conn.execute("ALTER TABLE objects DISABLE TRIGGER tgr_objects_last_modified")
        conn.execute(
            "INSERT INTO objects (id, parent_id, resource_name, last_modified, data, deleted)"
            " SELECT i, %s, 'record', from_epoch(as_epoch(now()::timestamp) - %s + n), d::jsonb,"
            " false FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(i, d, n)",
            (PARENT, len(ids) + 1000, ids, datas),
        )
        conn.execute("ALTER TABLE objects ENABLE TRIGGER tgr_objects_last_modified")
    return len(ids)


def write_elsewhere(peer: Peer, documents: list[dict[str, Any]]) -> None:
    """New records as another laptop's push leaves them, written with SQL (setup, not
    measured: Kinto's own trigger stamps each with a fresh `last_modified`)."""
    ids = [str(uuid.uuid4()) for _ in documents]
    with psycopg.connect(peer.dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO objects (id, parent_id, resource_name, data, deleted)"
            " SELECT i, %s, 'record', d::jsonb, false FROM unnest(%s::text[], %s::text[])"
            " AS t(i, d)",
            (PARENT, ids, [json.dumps(d) for d in documents]),
        )


def document(row: dict[str, Any]) -> dict[str, Any]:
    """One Fieldcase row as a Kinto record: the same JSON document, its kind and case."""
    return {"kind": row["kind"], "crn": row["crn"], "doc": json.loads(row["data"])}


class Laptop:
    """The peer's minimal client: kinto-http and one SQLite table (SQLCipher if keyed)."""

    def __init__(self, peer: Peer, path: Path, *, key: bytes | None = None) -> None:
        self.kinto = client(peer)
        self.db = _connect(path, key)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS record (id TEXT PRIMARY KEY, last_modified INTEGER,"
            " data TEXT NOT NULL, pending INTEGER NOT NULL DEFAULT 0)"
        )
        self.since: int | None = None

    def pull(self) -> int:
        """Every change since the last pull, a page a transaction: records written."""
        params: dict[str, Any] = {"_limit": 1000, "_sort": "last_modified"}
        if self.since is not None:
            params["_since"] = self.since
        written = 0
        for page in self.kinto.get_paginated_records(**params):
            records = page["data"]
            if not records:
                continue
            self.db.execute("BEGIN")
            self.db.executemany("DELETE FROM record WHERE id = ?", _gone(records))
            self.db.executemany(
                "INSERT OR REPLACE INTO record (id, last_modified, data) VALUES (?, ?, ?)",
                _kept(records),
            )
            self.db.execute("COMMIT")
            self.since = max(self.since or 0, *(r["last_modified"] for r in records))
            written += len(records)
        return written

    def queue(self, documents: list[dict[str, Any]]) -> None:
        """Local edits waiting for the server, as the client's table holds them."""
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT INTO record (id, data, pending) VALUES (?, ?, 1)",
            ((str(uuid.uuid4()), json.dumps(d)) for d in documents),
        )
        self.db.execute("COMMIT")

    def push(self) -> int:
        """Pending records in batches of `batch_max_requests`, each answer recorded."""
        sent = 0
        while True:
            rows = self.db.execute(
                "SELECT id, data FROM record WHERE pending = 1 LIMIT ?", (MAX_PUSH_BATCH,)
            ).fetchall()
            if not rows:
                return sent
            with self.kinto.batch() as batch:
                for record_id, data in rows:
                    batch.create_record(id=record_id, data=json.loads(data))
            answers = batch.results()
            self.db.execute("BEGIN")
            self.db.executemany(
                "UPDATE record SET pending = 0, last_modified = ? WHERE id = ?",
                ((a["data"]["last_modified"], a["data"]["id"]) for a in answers),
            )
            self.db.execute("COMMIT")
            sent += len(rows)

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM record").fetchone()[0])

    def close(self) -> None:
        self.db.close()


def _gone(records: list[dict[str, Any]]) -> Iterator[tuple[str]]:
    return ((r["id"],) for r in records if r.get("deleted"))


def _kept(records: list[dict[str, Any]]) -> Iterator[tuple[str, int, str]]:
    return ((r["id"], r["last_modified"], json.dumps(r)) for r in records if not r.get("deleted"))


def _connect(path: Path, key: bytes | None) -> Any:
    """The cache's own connection settings (WAL, synchronous FULL, ...), so durability is
    the same on both sides; SQLCipher 4 with a raw key, or plain SQLite without one."""
    return connect(path, key or b"", plain=key is None)


def new_key() -> bytes:
    return os.urandom(32)
