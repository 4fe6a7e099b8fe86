"""The MSI's tables hold what IT relies on: every staged file, the shortcut, SERVERURL, upgrades."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
import windows_msi
from buildlib import project_version

from tests.packaging.conftest import BuiltMsi, msi_table

pytestmark = pytest.mark.packaging

UPGRADE_CODE = "{40970D6E-3FF1-42D3-B284-3EBB55CF3541}"
DEFERRED, NO_IMPERSONATE = 1024, 2048


def installed_paths(msi: Path) -> set[str]:
    """Every file the MSI installs, as a path relative to INSTALLDIR."""
    directories = {row["Directory"]: row for row in msi_table(msi, "Directory")}
    components = {row["Component"]: row["Directory_"] for row in msi_table(msi, "Component")}

    def folder(directory: str) -> PurePosixPath:
        if directory == "INSTALLDIR":
            return PurePosixPath()
        row = directories[directory]
        name = row["DefaultDir"].split("|")[-1]
        parent = folder(row["Directory_Parent"])
        return parent if name == "." else parent / name

    return {
        str(folder(components[row["Component_"]]) / row["FileName"].split("|")[-1])
        for row in msi_table(msi, "File")
    }


def test_msi_version_keeps_three_numbers() -> None:
    assert windows_msi.msi_version("1.2.3") == "1.2.3"
    assert windows_msi.msi_version("0.4") == "0.4.0"
    assert windows_msi.msi_version("2.0.1rc1+local") == "2.0.1"


def test_file_name_carries_the_project_version(built_msi: BuiltMsi) -> None:
    assert built_msi.msi.name == f"Fieldcase-{project_version()}-x64.msi"


def test_every_staged_file_is_installed_and_nothing_else(built_msi: BuiltMsi) -> None:
    staged = {str(p.relative_to(built_msi.tree).as_posix()) for p in built_msi.tree.rglob("*")}
    staged = {p for p in staged if (built_msi.tree / p).is_file()}
    assert installed_paths(built_msi.msi) == staged


def test_client_only_windows_runtime(built_msi: BuiltMsi) -> None:
    files = installed_paths(built_msi.msi)
    for expected in (
        "python.exe",
        "pythonw.exe",
        "python313.dll",
        "python313._pth",
        "fieldcase.pyw",
        "fieldcase/app/main.py",
        "fieldcase/app/machine_config.py",
        "fieldcase/domain/errors.py",
        "lib/win32ctypes/pywin32/win32cred.py",
        "lib/keyring/backends/Windows.py",
        "lib/PySide6/QtWidgets.pyd",
    ):
        assert expected in files
    assert not [f for f in files if f.startswith(("fieldcase/central/", "fieldcase/tests/"))]
    assert not [f for f in files if f.endswith(".so")]  # no Linux binaries
    assert not [f for f in files if "/__pycache__/" in f and f.startswith("fieldcase/")]


def test_python_path_file_points_at_lib_and_app(built_msi: BuiltMsi) -> None:
    lines = (built_msi.tree / "python313._pth").read_text("utf-8").split()
    assert lines == ["python313.zip", ".", "lib", "fieldcase", "import", "site"]


def test_start_menu_shortcut_starts_the_gui_without_a_console(built_msi: BuiltMsi) -> None:
    (shortcut,) = msi_table(built_msi.msi, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Name"] == "Fieldcase"
    assert shortcut["Target"] == "[INSTALLDIR]pythonw.exe"
    assert shortcut["Arguments"] == '"[INSTALLDIR]fieldcase.pyw"'
    assert shortcut["Icon_"] == "FieldcaseIcon.ico"
    (icon,) = msi_table(built_msi.msi, "Icon")
    assert icon["Name"] == "FieldcaseIcon.ico"


def test_add_remove_programs_and_per_machine(built_msi: BuiltMsi) -> None:
    properties = {row["Property"]: row["Value"] for row in msi_table(built_msi.msi, "Property")}
    assert properties["ProductVersion"] == windows_msi.msi_version(project_version())
    assert properties["UpgradeCode"] == UPGRADE_CODE
    assert properties["Manufacturer"] == "Fieldcase developers"
    assert properties["ARPPRODUCTICON"] == "FieldcaseIcon.ico"
    assert properties["ALLUSERS"] == "1"
    assert "SERVERURL" in properties["SecureCustomProperties"].split(";")


def test_newer_replaces_older_and_downgrade_is_refused(built_msi: BuiltMsi) -> None:
    version = windows_msi.msi_version(project_version())
    rows = msi_table(built_msi.msi, "Upgrade")
    assert {(r["UpgradeCode"], r["VersionMax"], r["ActionProperty"]) for r in rows} >= {
        (UPGRADE_CODE, version, "WIX_UPGRADE_DETECTED")
    }
    assert any(
        r["VersionMin"] == version and r["ActionProperty"] == "WIX_DOWNGRADE_DETECTED" for r in rows
    )
    conditions = {r["Condition"] for r in msi_table(built_msi.msi, "LaunchCondition")}
    assert "NOT WIX_DOWNGRADE_DETECTED" in conditions
    sequence = {
        r["Action"]: int(r["Sequence"]) for r in msi_table(built_msi.msi, "InstallExecuteSequence")
    }
    assert (
        sequence["InstallValidate"]
        < sequence["RemoveExistingProducts"]
        < sequence["InstallInitialize"]
    )


def test_serverurl_is_written_to_the_machine_config_as_system(built_msi: BuiltMsi) -> None:
    actions = {r["Action"]: r for r in msi_table(built_msi.msi, "CustomAction")}
    write, remove = actions["WriteMachineConfig"], actions["RemoveMachineConfig"]
    assert 'app.machine_config write "[SERVERURL]"' in write["Target"]
    assert "app.machine_config remove" in remove["Target"]
    for action in (write, remove):
        kind = int(action["Type"])
        assert kind & DEFERRED
        assert kind & NO_IMPERSONATE
        assert "[INSTALLDIR]pythonw.exe" in action["Target"]
    steps = {r["Action"]: r for r in msi_table(built_msi.msi, "InstallExecuteSequence")}
    order = {name: int(row["Sequence"]) for name, row in steps.items()}
    assert order["InstallFiles"] < order["WriteMachineConfig"] < order["InstallFinalize"]
    assert order["InstallInitialize"] < order["RemoveMachineConfig"] < order["RemoveFiles"]
    assert steps["WriteMachineConfig"]["Condition"] == 'SERVERURL AND NOT REMOVE~="ALL"'
    assert "NOT UPGRADINGPRODUCTCODE" in steps["RemoveMachineConfig"]["Condition"]
