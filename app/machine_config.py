"""The machine-wide configuration IT sets when it installs the app (the MSI's SERVERURL).

One small JSON file, `{"server_url": "https://..."}`, read before any user setting so officers
never type a server address. JSON rather than the registry so the same reader runs on Windows,
on Linux and in tests. On Windows it lives in `%ProgramData%\\Fieldcase\\config.json`, written
by the installer (running as SYSTEM, so officers can read it but not change it) through
`python -m app.machine_config write URL`; elsewhere in `/etc/fieldcase/config.json`.
`FIELDCASE_MACHINE_CONFIG` names another file (tests, packaged test rigs).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from domain.errors import FieldcaseError
from sync.address import is_loopback

ENV_OVERRIDE = "FIELDCASE_MACHINE_CONFIG"
FILE_NAME = "config.json"


class MachineConfigError(FieldcaseError):
    """The machine configuration exists but cannot be used: IT has to fix it."""

    title = "This computer's Fieldcase set-up needs fixing"


@dataclass(frozen=True)
class MachineConfig:
    """What IT decided for every officer on this computer; None means "not set"."""

    server_url: str | None = None


def machine_config_path() -> Path:
    """Where the machine-wide configuration lives on this platform."""
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        return Path(override)
    if sys.platform == "win32":
        program_data = os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(program_data) / "Fieldcase" / FILE_NAME
    return Path("/etc/fieldcase") / FILE_NAME


def validate_server_url(url: str) -> str:
    """The address without surrounding blanks or a trailing slash; HTTPS unless loopback."""
    cleaned = url.strip().rstrip("/")
    parts = urlsplit(cleaned)
    loopback = is_loopback(parts.hostname)
    if not parts.hostname or parts.scheme not in ("https", "http"):
        raise MachineConfigError(f"The server address {cleaned!r} is not a web address.")
    if parts.scheme == "http" and not loopback:
        raise MachineConfigError("The server address must start with https://.")
    return cleaned


def read_machine_config(path: Path | None = None) -> MachineConfig:
    """The machine configuration, or an empty one when IT has not set any."""
    target = path or machine_config_path()
    try:
        raw = target.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return MachineConfig()
    except OSError as error:
        raise MachineConfigError(f"{target} cannot be read ({error.strerror}).") from error
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise MachineConfigError(f"{target} is not valid JSON (line {error.lineno}).") from error
    if not isinstance(data, dict):
        raise MachineConfigError(f"{target} must hold a JSON object.")
    url = data.get("server_url")
    if url is None:
        return MachineConfig()
    if not isinstance(url, str):
        raise MachineConfigError(f"{target}: server_url must be text.")
    return MachineConfig(server_url=validate_server_url(url))


def write_machine_config(config: MachineConfig, path: Path | None = None) -> Path:
    """Replace the file atomically, so the app never reads half a file."""
    target = path or machine_config_path()
    url = validate_server_url(config.server_url) if config.server_url else None
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps({"server_url": url}, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, target)
    return target


def remove_machine_config(path: Path | None = None) -> None:
    """Delete the file, and its folder when nothing else is in it (full uninstall)."""
    target = path or machine_config_path()
    target.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty, or already gone: leave it
        target.parent.rmdir()


def main(argv: list[str] | None = None) -> int:
    """`write URL`, `remove` or `show`: the installer's custom actions and IT's check."""
    parser = argparse.ArgumentParser(prog="python -m app.machine_config")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("write", help="set the server address").add_argument("server_url")
    commands.add_parser("remove", help="delete the machine configuration")
    commands.add_parser("show", help="print the configuration the app reads")
    args = parser.parse_args(argv)
    try:
        if args.command == "write":
            write_machine_config(MachineConfig(server_url=args.server_url))
        elif args.command == "remove":
            remove_machine_config()
        else:
            config = read_machine_config()
            print(json.dumps({"path": str(machine_config_path()), "server_url": config.server_url}))
    except FieldcaseError as error:
        print(f"{error.title}: {error.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
