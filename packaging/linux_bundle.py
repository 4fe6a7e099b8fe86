"""The Linux one-folder bundle, frozen with PyInstaller from the build's own environment.

One folder rather than `--onefile`: one-file unpacks itself on every start (about 2 s).
The entry script is smoke.py, so `dist/fieldcase/fieldcase --smoke-test` checks the frozen
build before anything ships (the habit of qutebrowser's build_release.py).
"""

from __future__ import annotations

from pathlib import Path

from buildlib import CLIENT_PACKAGES, PACKAGING, ROOT, BuildError, python_tool, run

NAME = "fieldcase"
# Found through entry points or imported lazily, which PyInstaller's analysis cannot see.
HIDDEN_IMPORTS = (
    "keyring.backends.SecretService",
    "keyring.backends.kwallet",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
    "sqlcipher3",
    "sqlcipher3.dbapi2",
)


def pyinstaller_args(dist: Path, work: Path) -> list[str]:
    args = [
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--onedir",
        "--name",
        NAME,
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        "--specpath",
        str(work),
        "--paths",
        str(ROOT),
        "--copy-metadata",
        "fieldcase",
        "--copy-metadata",
        "keyring",
    ]
    for package in CLIENT_PACKAGES:
        args += ["--collect-submodules", package, "--collect-data", package]
    for module in HIDDEN_IMPORTS:
        args += ["--hidden-import", module]
    return [*args, str(PACKAGING / "smoke.py")]


def build(dist: Path, work: Path) -> Path:
    """Freeze the client into `dist/fieldcase/` and return the executable."""
    run(*python_tool("PyInstaller"), *pyinstaller_args(dist, work), cwd=ROOT)
    executable = dist / NAME / NAME
    if not executable.exists():
        raise BuildError(f"PyInstaller produced no {executable}")
    return executable
