"""What a start decides before any window: the server address, and a demo that cannot run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import machine_config
from app import settings as settings_store
from app.launch import prepare
from app.machine_config import MachineConfig, write_machine_config
from app.settings import Settings


@pytest.fixture
def machine_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "machine" / "config.json"
    monkeypatch.setenv(machine_config.ENV_OVERRIDE, str(path))
    return path


def _saved(profile: Path, url: str) -> None:
    profile.mkdir(parents=True, exist_ok=True)
    settings_store.save(profile, Settings(server_url=url, username="officer1"))


def test_the_machine_address_wins_over_one_the_officer_saved(tmp_path, machine_file):
    profile = tmp_path / "profile"
    _saved(profile, "https://old-cases.example.org")
    write_machine_config(MachineConfig(server_url="https://cases.example.org"))
    launch = prepare(profile=str(profile), demo=False)
    assert launch.settings.server_url == "https://cases.example.org"
    assert launch.backend.settings.server_url == "https://cases.example.org"
    assert launch.settings.username == "officer1"  # everything else the officer saved stays


def test_without_a_machine_address_the_saved_one_is_used(tmp_path, machine_file):
    profile = tmp_path / "profile"
    _saved(profile, "https://cases.example.org")
    assert prepare(profile=str(profile), demo=False).settings.server_url == (
        "https://cases.example.org"
    )


def test_a_first_start_gets_the_machine_address_pre_set(tmp_path, machine_file):
    write_machine_config(MachineConfig(server_url="https://cases.example.org"))
    launch = prepare(profile=str(tmp_path / "new-profile"), demo=False)
    assert launch.settings.server_url == "https://cases.example.org"


@pytest.mark.allow_warnings  # the unreadable machine file is logged for IT
def test_a_broken_machine_file_leaves_the_saved_address(tmp_path, machine_file):
    profile = tmp_path / "profile"
    _saved(profile, "https://cases.example.org")
    machine_file.parent.mkdir(parents=True)
    machine_file.write_text("{not json")
    assert prepare(profile=str(profile), demo=False).settings.server_url == (
        "https://cases.example.org"
    )


def test_demo_without_the_central_service_says_so_and_exits_non_zero(tmp_path):
    """As on a laptop installed without the [central] extra: a plain message, no traceback."""
    hide = "import sys; sys.modules.update(dict.fromkeys(('fastapi', 'uvicorn'), None));"
    script = f"{hide} from app.main import main; sys.exit(main(['--demo']))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen", LOCALAPPDATA=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "The demo needs the central service, which isn't installed on this computer" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr
