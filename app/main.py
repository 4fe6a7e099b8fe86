"""The entry point of the desktop app (`fieldcase`, `python -m app`)."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version


def app_version() -> str:
    try:
        return version("fieldcase")
    except PackageNotFoundError:  # running from a frozen or copied tree
        return "0.0.0+unknown"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fieldcase", description="Fieldcase desktop client")
    parser.add_argument("--demo", action="store_true", help="run against a local demo service")
    parser.add_argument("--profile", help="profile folder (default: the user's app data folder)")
    parser.add_argument("--version", action="version", version=f"Fieldcase {app_version()}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Open the main window. The full sign-in and caseload flow arrives with issue 6."""
    parse_args(argv)
    from PySide6.QtWidgets import QApplication, QLabel

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QLabel("Fieldcase")
    window.setWindowTitle("Fieldcase")
    window.show()
    return int(qt_app.exec())
