"""The entry point of the desktop app (`fieldcase`, `python -m app`): the composition root.

It sets up logging and the crash hook, decides the profile and backend
(`app.launch`), then hands over to the user interface. The UI package is looked
up by name here, and only here, so that the layer rule (ui -> app, never back)
holds for every other module; the entry point is the one place that knows both.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from importlib.metadata import PackageNotFoundError, version

from domain.errors import FieldcaseError

log = logging.getLogger(__name__)

UI_ENTRY = "ui.run"


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


def tell_start_failure(error: FieldcaseError) -> None:
    """On the console and, where there is a screen, in a message box (no console on Windows)."""
    print(f"{error.title}: {error.message}", file=sys.stderr)
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    if QGuiApplication.platformName() not in {"offscreen", "minimal"}:
        QMessageBox.critical(None, f"Fieldcase – {error.title}", error.message)


def main(argv: list[str] | None = None) -> int:
    """Open the main window: sign in, unlock, or (with --demo) straight to the caseload."""
    args = parse_args(argv)
    from app.crash import CrashReporter
    from app.launch import prepare
    from app.logging_setup import setup_logging

    log_file = setup_logging()
    log.info("Fieldcase %s starting (demo=%s)", app_version(), args.demo)
    from PySide6.QtWidgets import QApplication

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Fieldcase")
    crash = CrashReporter(app_version())
    crash.install()
    try:
        launch = prepare(profile=args.profile, demo=args.demo)
    except FieldcaseError as error:  # expected: say it plainly, no traceback
        log.info("could not start: %s", type(error).__name__)
        tell_start_failure(error)
        return 2
    run = importlib.import_module(UI_ENTRY).run
    code: int = run(qt_app, launch, crash, log_file)
    return code
