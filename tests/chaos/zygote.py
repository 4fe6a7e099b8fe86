"""A fork server for crash tests: import the client once, fork a fresh CLI process per run.

Starting Python and importing the client costs about a second on the test
machine; forking an already-imported, single-threaded process costs
milliseconds, and each child is still a real process that a test can SIGKILL.
Protocol on stdin/stdout, one JSON object per line:
  -> {"argv": [...], "password": "...", "stderr": FIFO path, "stdout": file path,
      "chunk_pages": N (optional: storage.chunked.CHUNK_PAGES in the child)}
  <- {"pid": N}          once forked
  <- {"pid": N, "status": S}   once the child has ended (S < 0: killed by signal -S)
"""

from __future__ import annotations

import io
import json
import os
import sys

import app.sync_cli
import storage.chunked
import storage.pulled
import storage.write
import sync.cache
import sync.client

_PRELOADED = (storage.chunked, storage.pulled, storage.write, sync.cache, sync.client)


def child(command: dict[str, object]) -> None:
    out = os.open(str(command["stdout"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(str(command["stderr"]), os.O_WRONLY)
    os.dup2(out, 1)
    os.dup2(err, 2)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), line_buffering=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), line_buffering=True)
    code = 70
    if "chunk_pages" in command:  # small chunks, so a short first sync has several
        storage.chunked.CHUNK_PAGES = int(command["chunk_pages"])  # type: ignore[call-overload]
    try:
        argv = [str(a) for a in command["argv"]]  # type: ignore[attr-defined]
        code = app.sync_cli.main(argv, stdin=io.StringIO(f"{command['password']}\n"))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            child(command)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        print(json.dumps({"pid": pid, "status": code}), flush=True)


if __name__ == "__main__":
    serve()
