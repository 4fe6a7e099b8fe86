"""`fieldcase-central` as an administrator runs it: real subprocesses, real databases."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from central.cli import main
from central.config import CLIENT_ID
from tests.support.postgres import free_port

COMMANDS = [
    ["serve"],
    ["migrate"],
    ["seed"],
    ["allocate"],
    ["audit"],
    ["users", "list"],
    ["users", "add"],
    ["users", "reset-password"],
    ["devices", "list"],
    ["devices", "revoke"],
]


def cli(
    *args: str, stdin: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "central.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_subcommand_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_code:
        main([*command, "--help"])
    assert exit_code.value.code == 0
    assert "usage: fieldcase-central" in capsys.readouterr().out


class InProcess:
    """`fieldcase-central` called through `main()` in this process: the same code as the
    console script, without paying an interpreter start per command."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: str = "", code: int = 0) -> str:
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        assert main(list(args)) == code
        out, err = self.capsys.readouterr()
        return out + err


def test_administration_end_to_end(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = InProcess(capsys, monkeypatch)
    db = ["--database-url", database_url]
    assert "up to date" in run("migrate", *db)
    seeded = run(
        "seed",
        *db,
        "--officers",
        "2",
        "--cases-per-officer",
        "3",
        "--seed",
        "4",
        "--password",
        "pw one",
    )
    summary = json.loads(seeded.strip().splitlines()[-1])
    officers = summary["officers"]
    assert len(officers) == 2
    assert summary["cases"] == 6
    assert all(name in run("users", "list", *db) for name in officers)

    run("users", "add", "supervisor", *db, stdin="a new password\n")
    assert "supervisor" in run("users", "list", *db)
    assert "already exists" in run("users", "add", "supervisor", *db, "--password", "x", code=1)
    run("users", "reset-password", officers[0], *db, "--password", "pw two")
    assert "no device" in run("devices", "revoke", str(uuid.uuid4()), *db, code=1)

    users = run("users", "list", *db).splitlines()
    staff_code = next(line.split()[1] for line in users if line.startswith(officers[1]))
    crn = _a_crn(database_url)
    assert crn in run("allocate", *db, "--crn", crn, "--staff", staff_code)
    assert "no staff member" in run("allocate", *db, "--crn", crn, "--staff", "NOPE000", code=1)
    trail = run("audit", crn, *db, "--json").splitlines()
    assert json.loads(trail[-1])["action"] == "allocate"
    assert "allocate" in run("audit", crn, *db)


def _a_crn(url: str) -> str:
    from sqlalchemy import select

    from central.db import make_engine
    from central.tables import cases

    engine = make_engine(url)
    with engine.connect() as conn:
        crn: str = conn.execute(select(cases.c.crn).order_by(cases.c.crn)).scalars().first()
    engine.dispose()
    return crn


def test_serve_migrates_serves_and_revoked_devices_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = InProcess(capsys, monkeypatch)
    url = f"sqlite:///{tmp_path}/served.db"
    seeded = cli(
        "seed",
        "--database-url",
        url,
        "--officers",
        "1",
        "--cases-per-officer",
        "2",
        "--password",
        "pw",
    )
    officer = json.loads(seeded.stdout.strip().splitlines()[-1])["officers"][0]
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "central.cli",
            "serve",
            "--database-url",
            url,
            "--port",
            str(port),
            "--jwt-secret-file",
            str(tmp_path / "secret"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ.copy(),
    )
    device = str(uuid.uuid4())
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10) as http:
            _wait_healthy(http, process)
            answer = http.post(
                "/oauth/token",
                data={
                    "grant_type": "password",
                    "client_id": CLIENT_ID,
                    "username": officer,
                    "password": "pw",
                    "device_id": device,
                    "device_name": "desk",
                },
            )
            assert answer.status_code == 200
        listed = run("devices", "list", "--database-url", url)
        assert device in listed
        assert "active" in listed
        run("devices", "revoke", device, "--database-url", url)
        assert "revoked" in run("devices", "list", "--database-url", url)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert any(line.get("route") == "/oauth/token" for line in lines), "JSON access log"
    assert "pw" not in {str(v) for line in lines for v in line.values()}
    assert (tmp_path / "secret").stat().st_mode & 0o077 == 0


def _wait_healthy(http: httpx.Client, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            if http.get("/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.05)  # poll: returns early only if the server died
    pytest.fail("serve never became healthy")
