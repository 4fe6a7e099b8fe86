#!/usr/bin/env python3
"""Build Fieldcase's installers.

    python packaging/build.py lock          # re-resolve packaging/windows-requirements.txt
    python packaging/build.py msi           # dist/Fieldcase-<version>-x64.msi (signed if set up)
    python packaging/build.py pyinstaller   # dist/fieldcase/, a Linux one-folder bundle

Run it with the project's virtual environment (`.venv/bin/python`): it uses that
environment's pip, uv and PyInstaller. Downloads are cached in ~/.cache/fieldcase-build
(or FIELDCASE_BUILD_CACHE), so rebuilds are fast and work offline once cached.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import codesign
import linux_bundle
import windows_msi
import windows_wheels
from buildlib import ROOT, BuildError, cache_dir, project_version

log = logging.getLogger("fieldcase.packaging")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.splitlines()[1])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="scratch folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="show each tool run")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("lock", help="resolve the Windows lock file")
    msi = commands.add_parser("msi", help="build the Windows MSI")
    msi.add_argument("--sign-cert", help="certificate (default: $FIELDCASE_SIGN_CERT)")
    msi.add_argument("--sign-key", help="private key (default: $FIELDCASE_SIGN_KEY)")
    msi.add_argument("--sign-password-file", help="default: $FIELDCASE_SIGN_PASSWORD_FILE")
    msi.add_argument("--timestamp-url", help="default: $FIELDCASE_SIGN_TIMESTAMP_URL")
    commands.add_parser("pyinstaller", help="build the Linux one-folder bundle")
    return parser.parse_args(argv)


def build_msi(args: argparse.Namespace) -> Path:
    signing = codesign.config_from(
        args.sign_cert, args.sign_key, args.sign_password_file, args.timestamp_url
    )
    version = project_version()
    msi = windows_msi.build(args.dist, args.work / "msi", cache_dir(), version)
    if signing is not None:
        codesign.sign(msi, signing)
        log.info("signed with %s", signing.certificate.name)
    return msi


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="[build] %(message)s"
    )
    started = time.monotonic()
    try:
        if args.command == "lock":
            windows_wheels.compile_lock()
            output = windows_wheels.LOCK
        elif args.command == "msi":
            output = build_msi(args)
        else:
            output = linux_bundle.build(args.dist, args.work / "pyinstaller")
    except BuildError as error:
        log.error("%s", error)
        return 1
    log.info("%s in %.1f s", output, time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
