"""`fieldcase-sync`: one sync from the command line, a JSON summary last, plain failures."""

from __future__ import annotations

import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import threading
import time
from pathlib import Path

import httpx
import pytest

from app.sync_cli import main
from central.cli import main as central_main
from storage.crypto import FAST_TEST_PARAMS
from storage.profile import Profile
from sync.cache import profile_name
from sync.protocol import PROTOCOL_VERSION
from tests.support.postgres import free_port
from tests.sync.live import PASSWORD, live_central


@pytest.fixture
def live(tmp_path):
    with live_central(f"sqlite:///{tmp_path}/central.db") as running:
        yield running


def argv(live, profile, username) -> list[str]:
    return ["--profile", str(profile), "--server", live.server.url, "--username", username]


def fast_profile(folder, username) -> None:
    """Create the cache key with cheap Argon2 (the CLI then unlocks it with those params)."""
    Profile(folder, profile_name(folder, username), kdf=FAST_TEST_PARAMS).keys.create(PASSWORD)


def test_help_runs_without_a_server():
    done = subprocess.run(
        [sys.executable, "-m", "app.sync_cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "--profile" in done.stdout
    assert "standard input" in done.stdout


def test_one_sync_prints_a_json_summary_last(live, tmp_path, capsys):
    officer = live.seed.officers[0]
    fast_profile(tmp_path / "p", officer)
    code = main(argv(live, tmp_path / "p", officer), stdin=io.StringIO(PASSWORD + "\n"))
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    summary = json.loads(out[-1])
    assert {"pushed", "pulled", "pending", "conflicts", "rejected", "cases"} <= set(summary)
    assert summary["cases"] == len(live.visible_caseload(officer))
    again = main(argv(live, tmp_path / "p", officer), stdin=io.StringIO(PASSWORD + "\n"))
    assert again == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["pulled"] == 0


def test_wrong_password_fails_plainly(live, tmp_path, capsys):
    officer = live.seed.officers[0]
    fast_profile(tmp_path / "p", officer)
    code = main(argv(live, tmp_path / "p", officer), stdin=io.StringIO("not it\n"))
    err = capsys.readouterr().err
    assert code != 0
    assert "password" in err.lower()
    assert "Traceback" not in err


@pytest.mark.allow_warnings
def test_unreachable_server_fails_plainly(tmp_path, capsys):
    fast_profile(tmp_path / "p", "officer")
    args = [
        "--profile",
        str(tmp_path / "p"),
        "--server",
        "http://127.0.0.1:9",
        "--username",
        "officer",
    ]
    code = main(args, stdin=io.StringIO(PASSWORD + "\n"))
    captured = capsys.readouterr()
    assert code == 1
    assert "reach" in captured.err
    assert json.loads(captured.out.strip().splitlines()[-1])["error"]


def test_an_unexpected_failure_still_ends_with_a_plain_json_line(tmp_path, capsys, monkeypatch):
    def broken(args, password):
        raise ModuleNotFoundError("No module named 'site_keyring'")  # e.g. a bad keyring setting

    monkeypatch.setattr("app.sync_cli.run", broken)
    args = ["--profile", str(tmp_path), "--server", "http://127.0.0.1:9", "--username", "o"]
    code = main(args, stdin=io.StringIO(PASSWORD + "\n"))
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    assert "ModuleNotFoundError" in captured.err
    assert json.loads(captured.out.strip().splitlines()[-1])["error"] == "Unexpected failure"


def test_a_cache_without_its_key_is_never_rekeyed(live, tmp_path, capsys):
    officer = live.seed.officers[0]
    fast_profile(tmp_path / "p", officer)
    assert main(argv(live, tmp_path / "p", officer), stdin=io.StringIO(PASSWORD + "\n")) == 0
    Profile(tmp_path / "p", profile_name(tmp_path / "p", officer)).keys.delete()
    before = (tmp_path / "p" / "cache.db").read_bytes()
    code = main(argv(live, tmp_path / "p", officer), stdin=io.StringIO(PASSWORD + "\n"))
    assert code == 1
    assert (tmp_path / "p" / "cache.db").read_bytes() == before


DOC = Path(__file__).resolve().parents[2] / "docs" / "central.md"
MARKER = "<!-- quickstart: tests/app/test_sync_cli.py runs this block line by line -->"


def quickstart_lines() -> list[str]:
    """The commands of docs/central.md's quick start, exactly as printed there."""
    block = DOC.read_text(encoding="utf-8").split(MARKER, 1)[1]
    body = block.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in body.splitlines() if line.strip()]


def console_script(name: str) -> str:
    """The installed console script (what an administrator types), not `python -m`."""
    found = shutil.which(name, path=sysconfig.get_path("scripts"))
    assert found, f"{name} is not installed in this environment (pip install -e .)"
    return found


def wait_healthy(url: str, server: subprocess.Popen[str]) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "serve exited early"
        try:
            answer = httpx.get(url, timeout=2)
            if answer.status_code == 200:
                body: dict[str, object] = answer.json()
                return body
        except httpx.TransportError:
            pass
        threading.Event().wait(0.1)  # polling a starting process: nothing to wait on
    raise AssertionError("serve did not become healthy")


def test_the_documented_quick_start_works_through_the_console_scripts(tmp_path, capsys):
    """docs/central.md's migrate / seed / serve / healthz / fieldcase-sync, run as printed
    (port and officer substituted) through the installed console scripts; then a revoked
    laptop's next sync wipes its profile, and the server's log is JSON without secrets."""
    lines = quickstart_lines()
    assert [line.split()[0] for line in lines] == [
        "fieldcase-central",
        "fieldcase-central",
        "fieldcase-central",
        "curl",
        "echo",
    ]
    port = str(free_port())
    env = {
        **os.environ,
        "FIELDCASE_CENTRAL_ARGON2_PROFILE": "CHEAPEST",
        "FIELDCASE_CENTRAL_JWT_SECRET_FILE": str(tmp_path / "jwt-secret"),
        "PYTHON_KEYRING_BACKEND": "tests.chaos.file_keyring.FileKeyring",
        "FIELDCASE_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "PYTHONPATH": str(DOC.parents[1]),
    }
    env.pop("FIELDCASE_CENTRAL_DATABASE_URL", None)

    def command(line: str) -> list[str]:
        words = shlex.split(line.replace("8765", port))
        return [console_script(words[0]), *words[1:]]

    def run(line: str, stdin: str | None = None, code: int = 0) -> str:
        done = subprocess.run(
            command(line),
            cwd=tmp_path,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == code, f"{line}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    migrate, seed, serve, curl, sync = lines
    assert "up to date" in run(migrate)
    officers = json.loads(run(seed).strip().splitlines()[-1])["officers"]
    assert serve.endswith(" &")
    server = subprocess.Popen(
        command(serve.removesuffix(" &")),
        cwd=tmp_path,
        env=env,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        health = wait_healthy(shlex.split(curl.replace("8765", port))[-1], server)
        assert health == {"status": "ok", "protocol_version": PROTOCOL_VERSION}
        password, sync_line = sync.split(" | ", 1)
        line = sync_line.replace("OFFICER", officers[0])
        first = json.loads(run(line, stdin=shlex.split(password)[1] + "\n").splitlines()[-1])
        # The laptop is lost: an administrator revokes it; its next sync wipes the profile.
        database = ["--database-url", f"sqlite:///{tmp_path}/central.db"]
        assert central_main(["devices", "list", *database]) == 0
        device = capsys.readouterr().out.split()[0]
        assert central_main(["devices", "revoke", device, *database]) == 0
        wiped = run(line, stdin=shlex.split(password)[1] + "\n", code=1)
    finally:
        server.terminate()
        _, log = server.communicate(timeout=30)
    assert {"pushed", "pulled", "pending", "conflicts", "rejected", "cases"} <= set(first)
    assert first["cases"] > 0
    assert first["pulled"] > 0
    assert first["pending"] == 0
    assert json.loads(wiped.splitlines()[-1])["error"]
    assert not (tmp_path / "profile" / "cache.db").exists()
    logged = [json.loads(entry) for entry in log.splitlines() if entry.startswith("{")]
    routes = {entry.get("route") for entry in logged}
    assert {"/oauth/token", "/v1/sync/pull", "/healthz"} <= routes  # JSON access log
    assert "Demo-pass-1" not in log
    assert officers[0] not in {str(entry.get("msg")) for entry in logged}
    if os.name == "posix":
        assert (tmp_path / "jwt-secret").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("error", "code"),
    [
        ("stuck", 3),
        ("diverged", 4),
    ],
)
def test_a_stuck_or_diverged_queue_has_its_own_exit_code(
    tmp_path, monkeypatch, capsys, error, code
):
    import app.sync_cli as cli
    from sync.errors import QueueDiverged, QueueStuck

    def failing(args, password):
        if error == "stuck":
            raise QueueStuck("Stuck at change 4.", head_seq=4, failures=3)
        raise QueueDiverged("Restored from a backup.")

    monkeypatch.setattr(cli, "run", failing)
    argv = ["--profile", str(tmp_path), "--server", "http://127.0.0.1:9", "--username", "o"]
    assert main(argv, stdin=io.StringIO(PASSWORD + "\n")) == code
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["error"] in {QueueStuck.title, QueueDiverged.title}
