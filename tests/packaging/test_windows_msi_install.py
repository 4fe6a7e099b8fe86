"""The MSI installs silently under Wine, the installed Python runs the client, uninstall cleans up.

Qt does not load under Wine 8, so the GUI is checked on a real Windows runner
(.github/workflows/windows.yml); everything below the GUI is checked here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import renumber_msi

from tests.packaging.conftest import (
    INSTALL_DIR,
    SERVER_URL,
    Installation,
    msi_table,
)

pytestmark = pytest.mark.packaging
NEXT_VERSION = "99.0.0"  # Wine 8 took 200.0.0 for older than 0.1.1: keep it small


def test_silent_install_writes_the_server_address_for_the_app(installed: Installation) -> None:
    config = installed.wine.host_path(r"C:\ProgramData\Fieldcase\config.json")
    assert json.loads(config.read_text("utf-8")) == {"server_url": SERVER_URL}
    shown = installed.python(
        "from app.machine_config import read_machine_config as r; print(r().server_url)"
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == SERVER_URL


def test_installed_python_runs_the_client_stack(installed: Installation) -> None:
    code = (
        "import sys, json, sqlcipher3, keyring, importlib.metadata as md\n"
        "import domain, storage, sync, app.main\n"
        "conn = sqlcipher3.connect(':memory:')\n"
        'conn.execute("PRAGMA key = \\"x\'" + \'11\' * 32 + "\'\\"")\n'
        "conn.execute('CREATE VIRTUAL TABLE t USING fts5(x)')\n"
        "print(json.dumps({'version': sys.version_info[:2],"
        " 'cipher': conn.execute('PRAGMA cipher_version').fetchone()[0],"
        " 'keyring': type(keyring.get_keyring()).__name__,"
        " 'fieldcase': md.version('fieldcase'), 'path': sys.path}))\n"
    )
    result = installed.python(code)
    assert result.returncode == 0, result.stderr[-3000:]
    facts = json.loads(result.stdout)
    assert facts["version"] == [3, 13]
    assert facts["cipher"].startswith("4.")
    assert facts["keyring"] == "WinVaultKeyring"  # Windows Credential Manager
    assert not any("site-packages" in entry for entry in facts["path"])


def test_fieldcase_sync_help_runs(installed: Installation) -> None:
    result = installed.wine.run("cmd", "/c", INSTALL_DIR + r"\fieldcase-sync.cmd", "--help")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "usage" in result.stdout.lower()


def test_console_launcher_reports_the_version(installed: Installation) -> None:
    result = installed.wine.run("cmd", "/c", INSTALL_DIR + r"\fieldcase.cmd", "--version")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().startswith("Fieldcase ")


def local_app_data(installed: Installation) -> Path:
    """%LOCALAPPDATA% of the Wine user, seen from Linux."""
    users = installed.wine.prefix / "drive_c" / "users"
    (folder,) = [p for p in users.glob("*/AppData/Local") if p.parts[-3] != "Public"]
    return folder


def test_gui_launcher_keeps_bytecode_out_of_program_files(installed: Installation) -> None:
    # What the shortcut runs (pythonw.exe has no stdout to read, so python.exe here).
    launcher = INSTALL_DIR + r"\fieldcase.pyw"
    result = installed.wine.run(INSTALL_DIR + r"\python.exe", launcher, "--version")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("Fieldcase ")
    cache = local_app_data(installed) / "Fieldcase" / "Fieldcase" / "Cache" / "pycache"
    assert list(cache.rglob("main*.pyc"))
    assert not list((installed.folder / "fieldcase").rglob("__pycache__"))


def product_codes(installed: Installation) -> set[str]:
    """The product codes Windows lists under Add/Remove Programs."""
    listing = installed.wine.run(
        "reg", "query", r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall"
    ).stdout
    return set(re.findall(r"\{[0-9A-F-]{36}\}", listing.upper()))


def product_code(msi: Path) -> str:
    return next(r["Value"] for r in msi_table(msi, "Property") if r["Property"] == "ProductCode")


@pytest.mark.slow
def test_next_release_replaces_this_one(installed: Installation, tmp_path: Path) -> None:
    newer = renumber_msi.renumber(installed.msi, tmp_path / "next.msi", NEXT_VERSION)
    older = installed.msi
    installed.remove_wine_rig()
    assert installed.msiexec("/i", newer) == 0  # no SERVERURL: the address set before stays
    installed.msi = newer
    installed.add_wine_rig()
    codes = product_codes(installed)
    assert product_code(newer) in codes
    assert product_code(older) not in codes
    assert installed.python("import app.main").returncode == 0
    # Refused by the launch condition: ERROR_INSTALL_FAILURE (1603; Wine keeps the low byte).
    assert installed.msiexec("/i", older) in (1603, 1603 & 0xFF)
    assert product_codes(installed) == codes


def test_uninstall_removes_every_installed_file(installed: Installation) -> None:
    # Last in this module: it takes the installation away from the tests above.
    installed.remove_wine_rig()
    # The officer's cache and logs live under %LOCALAPPDATA%\Fieldcase (platformdirs, app/):
    # uninstall never touches them.
    user_data = local_app_data(installed) / "Fieldcase" / "Fieldcase" / "profile" / "cache.db"
    user_data.parent.mkdir(parents=True, exist_ok=True)
    user_data.write_bytes(b"encrypted cache")
    assert installed.msiexec("/x", installed.msi) == 0
    leftovers = (
        sorted(str(p) for p in installed.folder.rglob("*")) if installed.folder.exists() else []
    )
    assert leftovers == []
    assert not installed.folder.exists()
    assert not installed.wine.host_path(r"C:\ProgramData\Fieldcase").exists()
    start_menu = r"C:\ProgramData\Microsoft\Windows\Start Menu\Programs\Fieldcase.lnk"
    assert not installed.wine.host_path(start_menu).exists()
    assert user_data.read_bytes() == b"encrypted cache"
