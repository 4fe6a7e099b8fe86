"""The frozen Linux bundle starts offscreen, opens an encrypted cache and exits cleanly."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.packaging.conftest import BackgroundBuild

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="session")
def bundle(linux_bundle_build: BackgroundBuild) -> Path:
    """`python packaging/build.py pyinstaller`, started by conftest beside the MSI build."""
    return linux_bundle_build.wait()


def test_smoke_test_passes_in_the_frozen_bundle(bundle: Path, tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),  # a clean user: no config, no keyring, no cache
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    started = time.monotonic()
    result = subprocess.run(
        [str(bundle), "--smoke-test"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test passed" in result.stdout
    assert elapsed < 30


def test_bundle_carries_the_app_version(bundle: Path) -> None:
    result = subprocess.run(
        [str(bundle), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Fieldcase ")
