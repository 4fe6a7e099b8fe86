"""The machine-wide configuration IT writes at install time is what the app reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import machine_config
from app.machine_config import (
    MachineConfig,
    MachineConfigError,
    machine_config_path,
    read_machine_config,
    remove_machine_config,
    write_machine_config,
)


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "Fieldcase" / "config.json"
    monkeypatch.setenv(machine_config.ENV_OVERRIDE, str(path))
    return path


def test_no_file_means_nothing_configured(config_file: Path) -> None:
    assert read_machine_config() == MachineConfig(server_url=None)


def test_written_address_is_read_back_without_trailing_slash(config_file: Path) -> None:
    write_machine_config(MachineConfig(server_url=" https://cases.example.org/ "))
    assert read_machine_config().server_url == "https://cases.example.org"
    assert json.loads(config_file.read_text("utf-8")) == {"server_url": "https://cases.example.org"}


def test_file_saved_by_notepad_with_a_bom_is_read(config_file: Path) -> None:
    config_file.parent.mkdir(parents=True)
    config_file.write_text('{"server_url": "https://a.example.org"}', encoding="utf-8-sig")
    assert read_machine_config().server_url == "https://a.example.org"


def test_plain_http_is_refused_except_on_loopback(config_file: Path) -> None:
    with pytest.raises(MachineConfigError, match="https"):
        write_machine_config(MachineConfig(server_url="http://cases.example.org"))
    write_machine_config(MachineConfig(server_url="http://127.0.0.1:8765"))
    assert read_machine_config().server_url == "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"server_url": 5}', "must be text"),
        ('{"server_url": "cases.example.org"}', "not a web address"),
    ],
)
def test_broken_file_is_a_typed_error_for_it(config_file: Path, content: str, message: str) -> None:
    config_file.parent.mkdir(parents=True)
    config_file.write_text(content, encoding="utf-8")
    with pytest.raises(MachineConfigError, match=message) as caught:
        read_machine_config()
    assert caught.value.title


def test_remove_deletes_the_file_and_its_empty_folder(config_file: Path) -> None:
    write_machine_config(MachineConfig(server_url="https://a.example.org"))
    remove_machine_config()
    assert not config_file.parent.exists()
    remove_machine_config()  # a second uninstall attempt is harmless


def test_remove_keeps_a_folder_holding_other_files(config_file: Path) -> None:
    write_machine_config(MachineConfig(server_url="https://a.example.org"))
    (config_file.parent / "notes.txt").write_text("kept", encoding="utf-8")
    remove_machine_config()
    assert not config_file.exists()
    assert (config_file.parent / "notes.txt").exists()


def test_default_locations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(machine_config.ENV_OVERRIDE, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert machine_config_path() == Path("/etc/fieldcase/config.json")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMDATA", "D:/PD")
    assert machine_config_path() == Path("D:/PD") / "Fieldcase" / "config.json"


def test_command_line_is_what_the_installer_runs(config_file: Path) -> None:
    env_run = [sys.executable, "-m", "app.machine_config"]
    written = subprocess.run(
        [*env_run, "write", "https://cases.example.org"], capture_output=True, check=False
    )
    assert written.returncode == 0, written.stderr
    shown = subprocess.run([*env_run, "show"], capture_output=True, text=True, check=True)
    assert json.loads(shown.stdout)["server_url"] == "https://cases.example.org"
    refused = subprocess.run(
        [*env_run, "write", "ftp://x"], capture_output=True, text=True, check=False
    )
    assert refused.returncode == 2
    assert "not a web address" in refused.stderr
    subprocess.run([*env_run, "remove"], check=True)
    assert not config_file.exists()
