"""Session fixtures for the installer tests: one MSI build, one Wine prefix, one install.

Each is built once per session (the MSI takes about a minute, Wine's first start several
seconds). The tools come from Debian (`wixl msitools osslsigncode wine wine64`), which the
test command installs; without them these tests fail in CI and are skipped elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
# The build scripts are top-level modules of a script folder, not a package.
sys.path.insert(0, str(PACKAGING))

from buildlib import project_version  # noqa: E402

SERVER_URL = "https://cases.example.org"
INSTALL_DIR = r"C:\Program Files\Fieldcase"
# Python 3.12+ aborts in `import platform` under Wine (no WMI); the test rig's own file,
# dropped into the installed lib folder and removed before the uninstall check.
WINE_SITECUSTOMIZE = 'import sys\nsys.modules["_wmi"] = None\n'


def need_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if not missing:
        return
    message = (
        f"missing tools: {', '.join(missing)} (apt-get install wixl msitools osslsigncode wine)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def build_command(dist: Path, work: Path, target: str) -> list[str]:
    """`python packaging/build.py` as a developer runs it, into test folders."""
    return [
        sys.executable,
        str(PACKAGING / "build.py"),
        "--dist",
        str(dist),
        "--work",
        str(work),
        target,
    ]


@dataclass(frozen=True)
class BackgroundBuild:
    """The Linux bundle, frozen in a second process while the MSI builds (two cores)."""

    process: subprocess.Popen[bytes]
    executable: Path
    log: Path

    def wait(self, timeout: float = 900) -> Path:
        code = self.process.wait(timeout=timeout)
        assert code == 0, self.log.read_text("utf-8", errors="replace")[-5000:]
        return self.executable


@pytest.fixture(scope="session", autouse=True)
def linux_bundle_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundBuild]:
    """Start `python packaging/build.py pyinstaller` as soon as a packaging test runs."""
    dist, work = tmp_path_factory.mktemp("bundle"), tmp_path_factory.mktemp("pyinstaller")
    log = work / "build.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            build_command(dist, work, "pyinstaller"),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    build = BackgroundBuild(process, dist / "fieldcase" / "fieldcase", log)
    yield build
    if process.poll() is None:  # the session ended without the bundle tests
        process.terminate()
        process.wait(timeout=60)


@dataclass(frozen=True)
class BuiltMsi:
    msi: Path
    tree: Path  # the staged folder the MSI installs
    seconds: float


@pytest.fixture(scope="session")
def built_msi(tmp_path_factory: pytest.TempPathFactory) -> BuiltMsi:
    """`python packaging/build.py msi`, exactly as IT's build would run it."""
    need_tools("wixl", "wixl-heat", "msibuild", "msiinfo", "osslsigncode")
    dist, work = tmp_path_factory.mktemp("dist"), tmp_path_factory.mktemp("work")
    started = time.monotonic()
    result = subprocess.run(
        build_command(dist, work, "msi"),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    msi = dist / f"Fieldcase-{project_version()}-x64.msi"
    assert msi.exists()
    return BuiltMsi(msi=msi, tree=work / "msi" / "tree", seconds=time.monotonic() - started)


def msi_table(msi: Path, table: str) -> list[dict[str, str]]:
    """The rows of one MSI table, by column name (msiinfo export: names, types, keys, rows).

    Runs beside the MSI: exporting a table with binary columns (Icon, Binary) writes
    their streams into a folder named after the table in the working directory.
    """
    text = subprocess.run(
        ["msiinfo", "export", str(msi), table],
        capture_output=True,
        text=True,
        check=True,
        cwd=msi.parent,
    ).stdout
    lines = text.split("\r\n") if "\r\n" in text else text.split("\n")
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:] if line]


@dataclass(frozen=True)
class Wine:
    prefix: Path

    def env(self) -> dict[str, str]:
        # Wine hands Linux variables to Windows programs: not this venv's PYTHON* ones.
        linux = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        return {
            **linux,
            "WINEPREFIX": str(self.prefix),
            "WINEDEBUG": "-all",
            "WINEDLLOVERRIDES": "mscoree,mshtml=",
        }

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run under Wine. stdin must be a real file: Python dies on Wine's console handles."""
        return subprocess.run(
            ["wine", *args],
            env=self.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )

    def host_path(self, windows_path: str) -> Path:
        drive, rest = windows_path.split(":", 1)
        assert drive.upper() == "C"
        return self.prefix / "drive_c" / Path(*rest.strip("\\").split("\\"))


@pytest.fixture(scope="session")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Wine:
    need_tools("wine")
    rig = Wine(prefix=tmp_path_factory.mktemp("wineprefix"))
    booted = rig.run("wineboot", "-i")
    assert (rig.prefix / "drive_c").is_dir(), booted.stderr
    return rig


@dataclass
class Installation:
    wine: Wine
    msi: Path  # the package installed now (an upgrade test replaces it)
    folder: Path  # the install folder, seen from Linux

    def msiexec(self, action: str, msi: Path, *properties: str) -> int:
        """msiexec's exit code, as Windows reports it (Wine on Linux keeps the low byte)."""
        windows_path = "Z:" + str(msi).replace("/", "\\")
        result = self.wine.run("msiexec", action, windows_path, "/qn", *properties)
        return result.returncode

    def add_wine_rig(self) -> None:
        (self.folder / "lib" / "sitecustomize.py").write_text(WINE_SITECUSTOMIZE, "utf-8")

    def remove_wine_rig(self) -> None:
        """Take the test rig's file (and its bytecode) away: it is not the package's."""
        lib = self.folder / "lib"
        (lib / "sitecustomize.py").unlink(missing_ok=True)
        for compiled in (lib / "__pycache__").glob("sitecustomize.*.pyc"):
            compiled.unlink()
        if (lib / "__pycache__").is_dir() and not any((lib / "__pycache__").iterdir()):
            (lib / "__pycache__").rmdir()

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return self.wine.run(INSTALL_DIR + r"\python.exe", "-B", "-c", code)


@pytest.fixture(scope="session")
def installed(built_msi: BuiltMsi, wine: Wine) -> Iterator[Installation]:
    """The MSI installed silently with SERVERURL, as IT deploys it."""
    installation = Installation(wine=wine, msi=built_msi.msi, folder=wine.host_path(INSTALL_DIR))
    assert installation.msiexec("/i", built_msi.msi, f"SERVERURL={SERVER_URL}/") == 0
    installation.add_wine_rig()
    yield installation
    installation.remove_wine_rig()
