#!/usr/bin/env python3
"""Take screenshots of the main screens under Xvfb into docs/screenshots/.

    .venv/bin/python scripts/screenshots.py            # starts Xvfb itself if no DISPLAY
    .venv/bin/python scripts/screenshots.py --scale 1.5 --suffix=-150 --short
    .venv/bin/python scripts/screenshots.py --screen 1920x1080 --scale 1.5 \
        --suffix=-1920-150 --short   # the laptops: 1366x768@1, 1920x1080@1.5, 2560x1440@2
    .venv/bin/python scripts/screenshots.py --high-contrast --suffix=-contrast --short

Each run drives the real widgets through the real shell; the data is the
synthetic in-memory caseload of the test fakes (only invented people). Run it
again after changing a screen and LOOK at the images.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def ensure_display(argv: list[str]) -> None:
    """Re-run this script under xvfb-run when there is no X display."""
    if os.environ.get("DISPLAY") or os.environ.get("FIELDCASE_SHOTS_CHILD"):
        return
    wrapper = shutil.which("xvfb-run")
    if wrapper is None:
        sys.exit("no DISPLAY and no xvfb-run: apt-get install -y xvfb xauth")
    env = {**os.environ, "FIELDCASE_SHOTS_CHILD": "1"}
    env.pop("QT_QPA_PLATFORM", None)
    screen = _arg(argv, "--screen", "1600x1000")
    command = [wrapper, "-a", "-s", f"-screen 0 {screen}x24", sys.executable, __file__, *argv]
    sys.exit(subprocess.run(command, env=env, check=False).returncode)


def _arg(argv: list[str], name: str, default: str) -> str:
    for n, item in enumerate(argv):
        if item.startswith(f"{name}="):
            return item.split("=", 1)[1]
        if item == name and n + 1 < len(argv):
            return argv[n + 1]
    return default


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="1")
    parser.add_argument("--screen", default="1600x1000", help="the Xvfb screen, e.g. 1366x768")
    parser.add_argument("--suffix", default="")
    parser.add_argument("--high-contrast", action="store_true")
    parser.add_argument("--short", action="store_true", help="sign-in, caseload and one case only")
    args = parser.parse_args(argv)
    ensure_display(argv)
    os.environ["QT_SCALE_FACTOR"] = args.scale
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    sys.path.insert(0, str(ROOT / "scripts"))
    from shots_scenes import run_scenes

    OUT.mkdir(parents=True, exist_ok=True)
    # A window manager on the display, so windows are placed and framed as on a laptop.
    manager = None
    if os.environ.get("FIELDCASE_SHOTS_CHILD") and shutil.which("openbox"):
        manager = subprocess.Popen(["openbox"], stderr=subprocess.DEVNULL)
    try:
        saved = run_scenes(
            app, OUT, args.suffix, high_contrast=args.high_contrast, short=args.short
        )
    finally:
        if manager is not None:
            manager.terminate()
            manager.wait(10)
    for path in saved:
        print(path.relative_to(ROOT))


def wait_until(app: object, condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Process events until `condition` holds (no fixed sleeps)."""
    import time

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


if __name__ == "__main__":
    main(sys.argv[1:])
