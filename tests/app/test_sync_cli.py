"""`fieldcase-sync`: one sync from the command line, a JSON summary last, plain failures."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from app.sync_cli import main
from storage.crypto import FAST_TEST_PARAMS
from storage.profile import Profile
from sync.cache import profile_name
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


def test_a_cache_without_its_key_is_never_rekeyed(live, tmp_path, capsys):
    officer = live.seed.officers[0]
    fast_profile(tmp_path / "p", officer)
    assert main(argv(live, tmp_path / "p", officer), stdin=io.StringIO(PASSWORD + "\n")) == 0
    Profile(tmp_path / "p", profile_name(tmp_path / "p", officer)).keys.delete()
    before = (tmp_path / "p" / "cache.db").read_bytes()
    code = main(argv(live, tmp_path / "p", officer), stdin=io.StringIO(PASSWORD + "\n"))
    assert code == 1
    assert (tmp_path / "p" / "cache.db").read_bytes() == before
