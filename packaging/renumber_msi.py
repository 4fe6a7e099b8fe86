#!/usr/bin/env python3
"""Copy an MSI as if it were a newer release: for upgrade tests without a second build.

    python packaging/renumber_msi.py dist/Fieldcase-0.1.0-x64.msi next.msi 0.1.1

The copy gets a new product code, package code and ProductVersion, and Upgrade table rows for
that version, exactly what a real next build would change; its files are the same. Windows
Installer then treats it as the next release: installing it replaces the original (a major
upgrade), and installing the original afterwards is refused as a downgrade.
"""

from __future__ import annotations

import re
import shutil
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from buildlib import BuildError, require_tool, run

UPGRADE = "WIX_UPGRADE_DETECTED"
DOWNGRADE = "WIX_DOWNGRADE_DETECTED"
VERSION = re.compile(r"\d{1,5}(\.\d{1,5}){0,2}")


def _property(msi: Path, name: str) -> str:
    rows = run(require_tool("msiinfo", "msitools"), "export", msi, "Property", capture=True)
    for line in rows.stdout.splitlines():
        key, _, value = line.partition("\t")
        if key == name:
            return value.strip()
    raise BuildError(f"{msi.name} has no {name} property")


def queries(upgrade_code: str, old: str, new: str) -> list[str]:
    """SQL turning a package of version `old` into one of version `new` (values are ours)."""
    # Every value is ours or checked (VERSION), so string-built SQL is safe here.
    return [
        f"UPDATE Property SET Value = '{{{str(uuid.uuid4()).upper()}}}' "  # noqa: S608
        "WHERE Property = 'ProductCode'",
        f"UPDATE Property SET Value = '{new}' WHERE Property = 'ProductVersion'",  # noqa: S608
        # libmsi's DELETE needs a WHERE clause naming the row.
        f"DELETE FROM Upgrade WHERE VersionMax = '{old}'",  # noqa: S608
        f"DELETE FROM Upgrade WHERE VersionMin = '{old}'",  # noqa: S608
        "INSERT INTO Upgrade (UpgradeCode, VersionMax, Attributes, ActionProperty) "  # noqa: S608
        f"VALUES ('{upgrade_code}', '{new}', 1, '{UPGRADE}')",
        "INSERT INTO Upgrade (UpgradeCode, VersionMin, Attributes, ActionProperty) "  # noqa: S608
        f"VALUES ('{upgrade_code}', '{new}', 2, '{DOWNGRADE}')",
    ]


def renumber(source: Path, target: Path, version: str) -> Path:
    if not VERSION.fullmatch(version):
        raise BuildError(f"{version!r} is not an MSI version (up to three numbers)")
    msibuild = require_tool("msibuild", "msitools")
    old = _property(source, "ProductVersion")
    upgrade_code = _property(source, "UpgradeCode")
    shutil.copy2(source, target)
    for query in queries(upgrade_code, old, version):
        run(msibuild, target, "-q", query)
    package_code = "{" + str(uuid.uuid4()).upper() + "}"
    run(
        msibuild,
        target,
        "-s",
        "Installation Database",
        "Fieldcase developers",
        "x64;1033",
        package_code,
    )
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        renumber(Path(argv[0]), Path(argv[1]), argv[2])
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
