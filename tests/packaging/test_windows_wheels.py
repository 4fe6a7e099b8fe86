"""The committed Windows lock pins the client's runtime, for Windows, by hash, and nothing else."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import windows_wheels
from buildlib import BuildError, project_metadata
from packaging.requirements import Requirement

from tests.packaging.conftest import BuiltMsi

pytestmark = pytest.mark.packaging

SERVER_ONLY = ("fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg", "faker")


def requirement_name(requirement: str) -> str:
    return windows_wheels.normalise(re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0])


def test_lock_pins_every_runtime_dependency_for_windows() -> None:
    pins = windows_wheels.locked()
    dependencies = project_metadata()["dependencies"]
    assert isinstance(dependencies, list)
    missing = [d for d in dependencies if requirement_name(d) not in pins]
    assert missing == [], "run: python packaging/build.py lock"
    assert "pywin32-ctypes" in pins  # Windows-only: keyring's Credential Manager backend


def test_locked_versions_satisfy_pyproject() -> None:
    """A dependency change in pyproject.toml needs `python packaging/build.py lock`."""
    pins = windows_wheels.locked()
    dependencies = project_metadata()["dependencies"]
    assert isinstance(dependencies, list)
    for dependency in dependencies:
        requirement = Requirement(dependency)
        pinned = pins[windows_wheels.normalise(requirement.name)]
        assert requirement.specifier.contains(pinned, prereleases=True), (
            f"{requirement.name}=={pinned} breaks {dependency!r}: run packaging/build.py lock"
        )


def test_lock_holds_no_server_packages() -> None:
    assert not set(SERVER_ONLY) & set(windows_wheels.locked())


def test_every_pin_carries_a_hash() -> None:
    blocks = re.split(r"\n(?=[a-z0-9])", windows_wheels.LOCK.read_text("utf-8"))
    pinned = [b for b in blocks if "==" in b.split("\n", 1)[0]]
    assert pinned
    assert all("--hash=sha256:" in block for block in pinned)


def test_select_takes_the_locked_versions_only(tmp_path: Path) -> None:
    for name in ("jaraco.classes-3.4.0-py3-none-any.whl", "jaraco.classes-3.3.0-py3-none-any.whl"):
        (tmp_path / name).touch()
    chosen = windows_wheels.select(tmp_path, {"jaraco-classes": "3.4.0"})
    assert [w.name for w in chosen] == ["jaraco.classes-3.4.0-py3-none-any.whl"]
    with pytest.raises(BuildError, match="six"):
        windows_wheels.select(tmp_path, {"jaraco-classes": "3.4.0", "six": "1.17.0"})


def test_check_refuses_a_linux_wheel(tmp_path: Path) -> None:
    wheel = tmp_path / "sqlcipher3-0.6.4-cp313-cp313-manylinux_2_28_x86_64.whl"
    with pytest.raises(BuildError, match="not a Windows"):
        windows_wheels.check([wheel])


def test_built_tree_has_the_windows_only_dependency(built_msi: BuiltMsi) -> None:
    lib = built_msi.tree / "lib"
    assert (lib / "win32ctypes" / "pywin32" / "win32cred.py").exists()
    assert not list(lib.rglob("*.so"))
    assert not list(lib.glob("*.data"))


def test_cache_is_used_only_when_every_hash_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel = tmp_path / "six-1.17.0-py2.py3-none-any.whl"
    wheel.write_bytes(b"wheel bytes")
    lock = tmp_path / "lock.txt"
    digest = hashlib.sha256(b"wheel bytes").hexdigest()
    lock.write_text(f"six==1.17.0 \\\n    --hash=sha256:{digest}\n", encoding="utf-8")
    monkeypatch.setattr(windows_wheels, "LOCK", lock)
    assert windows_wheels.cached(tmp_path) == [wheel]
    wheel.write_bytes(b"tampered")
    assert windows_wheels.cached(tmp_path) is None  # pip downloads it again, hash-checked
