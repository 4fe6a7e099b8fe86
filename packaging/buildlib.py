"""What every build step shares: the repository's paths, its version, the download cache, `run`.

`packaging/` is a folder of scripts, not a Python package (it would shadow the `packaging`
library pip imports), so its modules import each other as top-level modules: `build.py`
runs with this folder first on `sys.path`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

log = logging.getLogger("fieldcase.packaging")

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
ICON = PACKAGING / "fieldcase.ico"
# The client's packages; `central`, `tests` and `bench` never ship to laptops.
CLIENT_PACKAGES = ("domain", "storage", "sync", "app", "ui")


class BuildError(Exception):
    """A build step found something wrong with its inputs; the message says what."""


def project_metadata() -> dict[str, object]:
    """The `[project]` table of pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project: dict[str, object] = tomllib.load(handle)["project"]
    return project


def project_version() -> str:
    return str(project_metadata()["version"])


def cache_dir() -> Path:
    """Downloads kept between builds (embeddable Python, wheels): fast, offline-friendly."""
    configured = os.environ.get("FIELDCASE_BUILD_CACHE")
    if configured:
        path = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "fieldcase-build"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def require_tool(name: str, debian_package: str) -> str:
    """The tool's path, or a BuildError naming the Debian package that provides it."""
    found = shutil.which(name)
    if found is None:
        raise BuildError(f"{name} not found: apt-get install {debian_package}")
    return found


def run(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    capture: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run a tool; a failure raises BuildError carrying the tool's own output."""
    command = [str(a) for a in args]
    log.debug("run %s", " ".join(command))
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stdout + result.stderr).strip()[-3000:]
        raise BuildError(f"{Path(command[0]).name} failed ({result.returncode}):\n{detail}")
    if not capture and result.stdout.strip():
        log.debug("%s", result.stdout.strip()[-2000:])
    return result


def python_tool(module: str) -> list[str]:
    """Run a Python tool from the build's own interpreter (the project's venv)."""
    return [sys.executable, "-m", module]
