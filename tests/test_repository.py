"""Guards for what a clean checkout, CI and a newcomer rely on."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_packaging_folder_is_not_a_python_package() -> None:
    # An importable `packaging` would shadow the library pip and setuptools import.
    assert not (ROOT / "packaging" / "__init__.py").exists()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    command = re.search(r"^(python3 scripts/dev\.py test)\b", readme, re.MULTILINE)
    assert command, "README must show the test command"
    assert f"exec {command.group(1)}" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    head = readme[: readme.index("## What is where")]
    assert "python3 scripts/dev.py demo" in head
    assert "python3 scripts/dev.py test" in head


def test_every_runtime_dependency_is_justified() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    justified = (ROOT / "docs" / "dependencies.md").read_text("utf-8").lower()
    declared = project["dependencies"] + project["optional-dependencies"]["central"]
    for requirement in declared:
        name = re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0].lower()
        assert name in justified, f"{name} is not justified in docs/dependencies.md"
