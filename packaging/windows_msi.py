"""Stage the Windows install tree and compile it into the MSI with wixl.

The installed layout (under `Program Files\\Fieldcase`):

    python.exe, pythonw.exe, python313.dll, python313.zip ...   the embeddable CPython
    python313._pth      ".", "lib", "fieldcase", then "import site"
    lib\\               the locked third-party wheels, unzipped
    fieldcase\\         the client's packages (domain, storage, sync, app, ui) + dist-info
    fieldcase.pyw       what the Start-menu shortcut runs with pythonw.exe (no console)
    fieldcase.ico, fieldcase.cmd, fieldcase-sync.cmd
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import embedded_python
import windows_wheels
from buildlib import (
    CLIENT_PACKAGES,
    ICON,
    PACKAGING,
    ROOT,
    BuildError,
    project_metadata,
    require_tool,
    run,
)

WXS = PACKAGING / "wix" / "fieldcase.wxs"
GUI_LAUNCHER = PACKAGING / "fieldcase.pyw"
LIB, APP = "lib", "fieldcase"
# Declared by hand in fieldcase.wxs (the custom actions and the shortcut need their ids).
HAND_DECLARED = ("python.exe", "pythonw.exe")
# Console launchers for IT and scripts; the Start-menu shortcut runs fieldcase.pyw instead.
LAUNCHERS = {
    "fieldcase.cmd": '@"%~dp0python.exe" -B -m app %*\r\n',
    "fieldcase-sync.cmd": (
        '@"%~dp0python.exe" -B -c "import sys; sys.argv[0] = \'fieldcase-sync\'; '
        'from app.sync_cli import main; sys.exit(main())" %*\r\n'
    ),
}
# Custom action type 34 (run a command line in a directory) + 1024 (deferred) + 2048 (as
# SYSTEM, not the user), + 64 to ignore a failure. The installed pythonw.exe writes or removes
# the machine configuration (app/machine_config.py). cmd.exe hands it NUL standard streams:
# started straight from msiexec, Python dies in init_sys_streams on the invalid handles it
# inherits under Wine. An invalid SERVERURL fails the install (and rolls it back) rather than
# leaving a broken app; a full uninstall removes the file, an upgrade keeps it.
_CA_RUN = (
    '"[System64Folder]cmd.exe" /d /c ""[INSTALLDIR]pythonw.exe" -B -m app.machine_config {args}'
    ' <NUL >NUL 2>NUL"'
)
CUSTOM_ACTIONS = (
    # (action, type, command, condition, sequence: after InstallFiles / before RemoveFiles)
    ("WriteMachineConfig", 3106, _CA_RUN.format(args='write "[SERVERURL]"'),
     'SERVERURL AND NOT REMOVE~="ALL"', 4010),
    ("RemoveMachineConfig", 3170, _CA_RUN.format(args="remove"),
     'REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE', 3450),
)  # fmt: skip


def fixup_queries() -> list[str]:
    """SQL run with msibuild after wixl, for what wixl cannot express."""
    queries = [
        # RemoveExistingProducts right after InstallValidate: wixl puts it after
        # InstallFiles, a place Windows Installer refuses.
        "UPDATE InstallExecuteSequence SET Sequence = 1401 WHERE Action = 'RemoveExistingProducts'",
        # SERVERURL must reach the elevated server side of a per-machine install.
        "UPDATE Property SET Value = 'SERVERURL;WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED' "
        "WHERE Property = 'SecureCustomProperties'",
    ]
    for action, kind, command, condition, sequence in CUSTOM_ACTIONS:
        queries.append(
            "INSERT INTO CustomAction (Action, Type, Source, Target) "  # noqa: S608 - constants
            f"VALUES ('{action}', {kind}, 'INSTALLDIR', '{command}')"
        )
        queries.append(
            "INSERT INTO InstallExecuteSequence (Action, Condition, Sequence) "  # noqa: S608
            f"VALUES ('{action}', '{condition}', {sequence})"
        )
    return queries


def msi_version(version: str) -> str:
    """Windows Installer versions are up to three numbers: 1.2.3rc1 -> 1.2.3."""
    numbers = re.findall(r"\d+", version.split("+", maxsplit=1)[0])[:3]
    if not numbers:
        raise BuildError(f"version {version!r} has no numbers")
    return ".".join(numbers + ["0"] * (3 - len(numbers)))


def copy_app(dest: Path, version: str) -> None:
    """The client's own packages, and the metadata `importlib.metadata` reads for the version."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")
    for package in CLIENT_PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=ignore)
    info = dest / f"fieldcase-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: fieldcase\nVersion: {version}\n", encoding="utf-8"
    )
    scripts = project_metadata()["scripts"]
    assert isinstance(scripts, dict)
    lines = [f"{name} = {target}" for name, target in scripts.items() if "central" not in target]
    (info / "entry_points.txt").write_text(
        "[console_scripts]\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )


def stage(tree: Path, cache: Path, version: str) -> Path:
    """Lay out everything the MSI installs in `tree` (emptied first)."""
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    embedded_python.prepare(cache, tree, [LIB, APP])
    windows_wheels.prepare(cache, tree / LIB)
    copy_app(tree / APP, version)
    shutil.copy2(ICON, tree / ICON.name)
    shutil.copy2(GUI_LAUNCHER, tree / GUI_LAUNCHER.name)
    for name, text in LAUNCHERS.items():
        (tree / name).write_text(text, encoding="utf-8", newline="")
    return tree


def harvest(tree: Path, out: Path) -> None:
    """files.wxs: one component per file under `tree`, except those fieldcase.wxs declares."""
    heat = require_tool("wixl-heat", "wixl")
    listing = sorted(p for p in tree.rglob("*") if p.is_file() and p.name not in HAND_DECLARED)
    stdin = "".join(f"{path}\n" for path in listing)
    result = subprocess.run(
        [
            heat,
            "--prefix",
            f"{tree}/",
            "--directory-ref",
            "INSTALLDIR",
            "--component-group",
            "AppFiles",
            "--var",
            "var.SourceDir",
            "--win64",
        ],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BuildError(f"wixl-heat failed: {result.stderr.strip()[-2000:]}")
    out.write_text(result.stdout, encoding="utf-8")


def compile_msi(tree: Path, work: Path, msi: Path, version: str) -> Path:
    """wixl the product source and the harvested files into `msi`, then apply FIXUPS."""
    wixl = require_tool("wixl", "wixl")
    files = work / "files.wxs"
    harvest(tree, files)
    msi.parent.mkdir(parents=True, exist_ok=True)
    msi.unlink(missing_ok=True)
    # wixl resolves Source paths relative to its working folder, and only relative ones.
    shutil.copy2(WXS, work / WXS.name)
    source = tree.relative_to(work)
    run(
        wixl,
        "-a",
        "x64",
        "-D",
        "Win64=yes",
        "-D",
        f"Version={msi_version(version)}",
        "-D",
        f"SourceDir={source}",
        "-D",
        f"IconFile={source / ICON.name}",
        "-o",
        msi.resolve(),
        WXS.name,
        files.name,
        cwd=work,
    )
    msibuild = require_tool("msibuild", "msitools")
    for query in fixup_queries():
        run(msibuild, msi, "-q", query)
    return msi


def build(dist: Path, work: Path, cache: Path, version: str) -> Path:
    """Stage and compile `dist/Fieldcase-<version>-x64.msi`."""
    tree = stage(work / "tree", cache, version)
    return compile_msi(tree, work, dist / f"Fieldcase-{version}-x64.msi", version)
