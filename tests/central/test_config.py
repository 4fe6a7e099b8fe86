"""Settings from the environment, and the shared token-signing secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.config import Settings, read_or_create_secret


def test_environment_variables_configure_the_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDCASE_CENTRAL_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("FIELDCASE_CENTRAL_IDLE_LOCK_MINUTES", "7")
    monkeypatch.setenv("FIELDCASE_CENTRAL_MAX_OFFLINE_DAYS", "2")
    settings = Settings()
    assert settings.database_url == "sqlite:///elsewhere.db"
    assert settings.idle_lock_minutes == 7
    assert settings.max_offline_days == 2
    assert 10 <= Settings().access_token_minutes <= 15


def test_secret_is_created_once_owner_only_and_then_reused(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "jwt-secret"
    first = read_or_create_secret(path)
    assert len(first) >= 32
    assert path.stat().st_mode & 0o077 == 0
    assert read_or_create_secret(path) == first
    assert Settings(jwt_secret_file=path).jwt_secret() == first


def test_a_short_secret_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text("short")
    with pytest.raises(ValueError, match="fewer than 32"):
        read_or_create_secret(path)
