from __future__ import annotations

import json

import pytest

from app import settings
from app.settings import SETTINGS_VERSION, Settings


def test_saved_settings_load_back(tmp_path):
    chosen = Settings(server_url="https://cases.example.invalid", username="officer1")
    settings.save(tmp_path, chosen)
    assert settings.load(tmp_path) == chosen
    assert json.loads((tmp_path / "settings.json").read_text())["version"] == SETTINGS_VERSION


def test_missing_file_gives_defaults(tmp_path):
    assert settings.load(tmp_path) == Settings()


def test_version_1_file_is_migrated(tmp_path):
    old = {"version": 1, "server": "https://old.example.invalid", "caseload_sort": "3:desc"}
    (tmp_path / "settings.json").write_text(json.dumps(old))
    loaded = settings.load(tmp_path)
    assert loaded.server_url == "https://old.example.invalid"
    assert loaded.caseload_sort_column == 3
    assert loaded.caseload_sort_descending is True
    assert loaded.version == SETTINGS_VERSION


@pytest.mark.allow_warnings
@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"version": 99}'])
def test_unreadable_file_is_set_aside_not_fatal(tmp_path, content):
    (tmp_path / "settings.json").write_text(content)
    assert settings.load(tmp_path) == Settings()
    assert (tmp_path / "settings.unreadable.json").read_text() == content


def test_settings_are_never_pickled(tmp_path):
    settings.save(tmp_path, Settings(username="officer1"))
    assert json.loads((tmp_path / "settings.json").read_text())["username"] == "officer1"
