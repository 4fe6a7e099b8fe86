#!/usr/bin/env python3
"""Set up everything Fieldcase needs on a fresh machine, then run it or test it.

    python3 scripts/dev.py demo      # install, then launch the demo app
    python3 scripts/dev.py test      # install, then run every check CI runs

Only the standard library is used here: this runs before any virtual
environment exists. It is safe to run again; each step checks before it acts.

On Debian/Ubuntu the system libraries Qt (and the test tools) need are
installed with apt when missing and running as root; otherwise the exact apt
line is printed and the script stops.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

# What Qt needs to draw offscreen on a minimal Debian (PLATFORM.md).
APT_QT = [
    "libgl1",
    "libegl1",
    "libx11-6",
    "libdbus-1-3",
    "libfontconfig1",
    "libfreetype6",
    "libglib2.0-0",
    "libxkbcommon0",
]
# A real X display (screenshots, `demo` on a desktop without a display server).
APT_X = [
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxkbcommon-x11-0",
    "libx11-xcb1",
    "libxcb-xkb1",
]
# The test suite: a throwaway PostgreSQL cluster and the MSI tool chain.
APT_TEST = ["postgresql", "xvfb", "xauth", "poppler-utils"]
APT_PACKAGING = ["wixl", "msitools", "osslsigncode", "wine", "wine64"]


def say(message: str) -> None:
    print(f"[fieldcase] {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if check and result.returncode != 0:
        say(f"failed ({result.returncode}): {' '.join(str(a) for a in args)}")
        sys.exit(result.returncode)
    return result.returncode


def missing_debs(packages: list[str]) -> list[str]:
    """The packages of `packages` that dpkg does not report as installed."""
    missing = []
    for name in packages:
        probe = subprocess.run(
            ["dpkg-query", "-W", "-f=${db:Status-Abbrev}", name],
            capture_output=True,
            text=True,
            check=False,
        )
        if not probe.stdout.startswith("ii"):
            missing.append(name)
    return missing


def ensure_system_packages(packages: list[str]) -> None:
    """Install missing Debian packages, or print the apt line and stop."""
    if not sys.platform.startswith("linux") or shutil.which("dpkg-query") is None:
        return  # Windows/macOS/other Linux: Qt's wheels carry what they need.
    missing = missing_debs(packages)
    if not missing:
        return
    line = "apt-get install -y --no-install-recommends " + " ".join(missing)
    if os.geteuid() != 0:
        say("these system packages are missing; install them, then run this again:")
        print(f"    sudo {line}")
        sys.exit(1)
    say(f"installing system packages: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if (
        subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", *missing],
            env=env,
            check=False,
            capture_output=True,
        ).returncode
        != 0
    ):
        run("apt-get", "update", "-q", env=env)
        run("apt-get", "install", "-y", "-q", "--no-install-recommends", *missing, env=env)


def ensure_venv(extras: str) -> None:
    """Create `.venv` and install the project with `extras`, skipping when unchanged."""
    if not PY.exists():
        say(f"creating the virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / f".installed-{extras}"
    fingerprint = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    say(f"installing Fieldcase with [{extras}] into the virtual environment")
    run(PY, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--upgrade", "pip")
    # sqlcipher3's source build downloads OpenSSL; wheels exist for Linux and Windows.
    run(
        PY,
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "--only-binary=sqlcipher3",
        "-e",
        f".[{extras}]",
    )
    stamp.write_text(fingerprint)


def checks_env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("VIRTUAL_ENV", None)
    return env


def test(pytest_args: list[str]) -> None:
    """Every check CI runs: lint, format, types, layers, then the whole test suite."""
    ensure_system_packages(APT_QT + APT_X + APT_TEST + APT_PACKAGING)
    ensure_venv("dev")
    env = checks_env()
    say("ruff: lint and format")
    run(BIN / "ruff", "check", ".", env=env)
    run(BIN / "ruff", "format", "--check", ".", env=env)
    say("mypy")
    run(BIN / "mypy", env=env)
    say("import-linter: the layer contracts")
    run(BIN / "lint-imports", env=env)
    say("pytest")
    args = pytest_args or ["-m", "not slow"]
    code = run(PY, "-m", "pytest", *args, env=env, check=False)
    if code == 5:
        say("pytest collected no tests: that is a failure")
        sys.exit(1)
    sys.exit(code)


def demo(app_args: list[str]) -> None:
    """Install the app and its embedded central service, then open the demo."""
    ensure_system_packages(APT_QT + APT_X)
    ensure_venv("central")
    env = {**os.environ}
    if (
        sys.platform.startswith("linux")
        and not env.get("DISPLAY")
        and not env.get("WAYLAND_DISPLAY")
    ):
        say("no display found: starting the demo offscreen (set DISPLAY to see the window)")
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(run(PY, "-m", "app", "--demo", *app_args, env=env, check=False))


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before any venv exists
        sys.exit("Fieldcase needs Python 3.11 or newer.")
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "test":
        test(rest)
    elif command == "demo":
        demo(rest)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
