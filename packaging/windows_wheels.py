"""The client's third-party packages for Windows: a hash-pinned lock, downloaded as wheels.

Resolved with uv for the Windows platform, not for this Linux machine: pip evaluates
environment markers for the machine it runs on and would miss Windows-only dependencies such
as `pywin32-ctypes` (keyring's Windows Credential Manager backend needs it). The client only:
the `central` extra never ships to laptops.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from buildlib import PACKAGING, ROOT, BuildError, python_tool, run, sha256_file

LOCK = PACKAGING / "windows-requirements.txt"
LOCK_COMMAND = "python packaging/build.py lock"
PYTHON_VERSION = "3.13"
# Must be present: keyring picks Windows Credential Manager only with it.
REQUIRED = ("pywin32-ctypes", "keyring", "sqlcipher3", "pyside6-essentials")
ALLOWED_PLATFORMS = ("win_amd64", "any")


def normalise(name: str) -> str:
    """PEP 503 name normalisation, so wheel file names and lock names compare."""
    return re.sub(r"[-_.]+", "-", name).lower()


def compile_lock() -> None:
    """Regenerate the lock from pyproject.toml's runtime dependencies, for Windows."""
    run(
        *python_tool("uv"),
        "pip",
        "compile",
        "pyproject.toml",
        "--python-platform",
        "x86_64-pc-windows-msvc",
        "--python-version",
        PYTHON_VERSION,
        "--generate-hashes",
        "--custom-compile-command",
        LOCK_COMMAND,
        "--output-file",
        LOCK,
        cwd=ROOT,
    )


def locked() -> dict[str, str]:
    """{normalised name: version} of every package the lock pins."""
    pins = re.findall(r"^([A-Za-z0-9][\w.-]*)==([^\s\\;]+)", LOCK.read_text("utf-8"), re.M)
    return {normalise(name): version for name, version in pins}


def locked_hashes() -> dict[str, set[str]]:
    """{normalised name: the sha256 values the lock allows for it}."""
    hashes: dict[str, set[str]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text("utf-8")):
        pin = re.match(r"([A-Za-z0-9][\w.-]*)==", block)
        if pin:
            hashes[normalise(pin.group(1))] = set(re.findall(r"sha256:([0-9a-f]{64})", block))
    return hashes


def cached(folder: Path) -> list[Path] | None:
    """The locked wheels when the cache already holds every one, each matching its hash."""
    try:
        wheels = select(folder, locked())
    except BuildError:
        return None
    allowed = locked_hashes()
    for wheel in wheels:
        if sha256_file(wheel) not in allowed[normalise(wheel.name.split("-")[0])]:
            return None
    return wheels


def download(cache: Path) -> list[Path]:
    """Every locked wheel for win_amd64/CPython 3.13, hash-checked, from the cache if there."""
    folder = cache / "wheels-win_amd64-cp313"
    folder.mkdir(parents=True, exist_ok=True)
    ready = cached(folder)
    if ready is not None:
        return ready  # no network needed: rebuilds work offline
    run(
        *python_tool("pip"),
        "download",
        "--no-deps",
        "--require-hashes",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--platform",
        "win_amd64",
        "--python-version",
        PYTHON_VERSION,
        "--implementation",
        "cp",
        "-r",
        LOCK,
        "-d",
        folder,
    )
    return select(folder, locked())


def select(folder: Path, pins: dict[str, str]) -> list[Path]:
    """The wheel of each pin in `folder` (older versions may linger in the cache)."""
    chosen = []
    for wheel in sorted(folder.glob("*.whl")):
        name, version = wheel.name.split("-")[:2]
        if pins.get(normalise(name)) == version:
            chosen.append(wheel)
    missing = set(pins) - {normalise(w.name.split("-")[0]) for w in chosen}
    if missing:
        raise BuildError(f"no Windows wheel downloaded for: {', '.join(sorted(missing))}")
    return chosen


def check(wheels: list[Path]) -> None:
    """Windows or pure-Python wheels only, and the Windows-only dependencies present."""
    for wheel in wheels:
        platform_tags = wheel.stem.split("-")[-1].split(".")
        if not any(tag in ALLOWED_PLATFORMS for tag in platform_tags):
            raise BuildError(f"{wheel.name} is not a Windows x64 wheel")
    names = {normalise(w.name.split("-")[0]) for w in wheels}
    absent = [name for name in REQUIRED if name not in names]
    if absent:
        raise BuildError(f"the Windows lock lacks {', '.join(absent)}")


def unpack(wheels: list[Path], lib: Path) -> None:
    """Unzip each wheel into `lib`, moving `*.data/purelib|platlib` where imports find them."""
    lib.mkdir(parents=True, exist_ok=True)
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(lib)
    for data in lib.glob("*.data"):
        for kind in ("purelib", "platlib"):
            source = data / kind
            if source.is_dir():
                shutil.copytree(source, lib, dirs_exist_ok=True)
        shutil.rmtree(data)  # scripts and headers have no use in the embedded runtime


def prepare(cache: Path, lib: Path) -> list[Path]:
    """Download, check and unpack the locked Windows wheels into `lib`."""
    wheels = download(cache)
    check(wheels)
    unpack(wheels, lib)
    return wheels
