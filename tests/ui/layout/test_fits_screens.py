"""The laptops officers are given: the window and its forms fit, nothing reaches past.

Each geometry runs the real window in its own process (`probe.py`), with Qt's
offscreen screen set to the laptop's pixels and QT_SCALE_FACTOR to its Windows
scaling, as a Windows laptop at 150% or 200% lays the window out. At 150% a case
made the window 2,156 px wide on a 1,920 px screen; this fails without the wrapping
risk flags and action buttons, the shared caseload columns and the on-screen forms.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LAPTOPS = [(1366, 768, "1"), (1920, 1080, "1.5"), (2560, 1440, "2")]
LAPTOP_IDS = ["1366x768@100", "1920x1080@150", "2560x1440@200"]


def _inside(frame: list[int], screen: list[int]) -> bool:
    x, y, w, h = frame
    sx, sy, sw, sh = screen
    return x >= sx and y >= sy and x + w <= sx + sw and y + h <= sy + sh


def run_probe(module: str, laptop: tuple[int, int, str], where: Path) -> dict:
    """Run `module` (a probe) at this laptop's geometry and scaling; its JSON report."""
    width, height, scale = laptop
    config = where / "screen.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [screen]}))
    profile = where / "profile"
    profile.mkdir()
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": scale,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
    }
    done = subprocess.run(
        [sys.executable, "-m", module, str(profile)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module", params=LAPTOPS, ids=LAPTOP_IDS)
def report(request, tmp_path_factory) -> dict:
    where = tmp_path_factory.mktemp(f"screen{request.param[0]}")
    return run_probe("tests.ui.layout.probe", request.param, where)


def test_the_window_fits_the_screen_with_a_case_open(report):
    screen = report["screen"]
    for name, frame in report["windows"].items():
        assert _inside(frame, screen), (name, frame, screen)
    assert report["least"]["window"] <= screen[2]


def test_no_widget_reaches_past_the_window(report):
    assert report["overflow"] == {"caseload": [], "case": []}


def test_forms_open_inside_the_screen(report):
    screen = report["screen"]
    for name in ("arrange", "contact"):
        assert _inside(report["dialogs"][name], screen), (name, report["dialogs"][name])
        assert report["dialogs"][f"{name}_least"][0] <= screen[2]


def test_the_caseload_compliance_column_is_in_view(report):
    assert report["compliance_in_view"]
