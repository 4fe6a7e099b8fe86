"""Settings from the environment, and the shared token-signing secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.config import Settings, WeakSecret, check_secret, read_or_create_secret


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


@pytest.mark.parametrize(
    "weak",
    [
        "short",
        "x" * 64,  # long, but one character repeated
        "ab" * 40,
        "0123456789abcdef" * 3,  # hex of 24 bytes: too short once decoded
    ],
)
def test_a_weak_secret_from_the_environment_stops_the_service_at_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, weak: str
) -> None:
    from central.api import create_app

    monkeypatch.setenv("FIELDCASE_CENTRAL_JWT_SECRET", weak)
    with pytest.raises(WeakSecret):
        create_app(Settings(database_url=f"sqlite:///{tmp_path}/x.db"))


def test_a_weak_secret_file_is_refused_by_serve_with_a_plain_message(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "secret"
    path.write_text("y" * 80)
    command = [sys.executable, "-m", "central.cli", "serve", "--jwt-secret-file", str(path)]
    command += ["--database-url", f"sqlite:///{tmp_path}/x.db"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "not random" in done.stderr
    assert "Traceback" not in done.stderr


def test_random_secrets_pass_in_every_form() -> None:
    import base64
    import secrets

    raw = secrets.token_bytes(32)
    for value in (raw.hex().encode(), base64.b64encode(raw), raw):
        assert check_secret(value, "test") == value
