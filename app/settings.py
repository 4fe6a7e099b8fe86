"""Per-profile settings: typed, versioned JSON with a migration step, never pickled.

After Orange's `settings_version` + `migrate_settings`: a file written by an older
build is migrated step by step on load; one from a newer build (or damaged) is set
aside and defaults are used, so a bad file never stops the app from starting.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger(__name__)

SETTINGS_VERSION = 2
FILE_NAME = "settings.json"


class Settings(BaseModel):
    """What the officer chose on this laptop; nothing secret, nothing personal."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    version: int = SETTINGS_VERSION
    server_url: str = ""
    username: str = ""
    high_contrast: bool = False
    text_size_percent: int = 100  # View > Text size
    caseload_sort_column: int = 0
    caseload_sort_descending: bool = False
    diary_week_view: bool = False
    # Calendar entries show the person's initials beside the CRN (off: CRN, type, place).
    calendar_initials: bool = False
    window_geometry: str = Field(default="", description="base64 of QWidget.saveGeometry()")
    # Who signed in last and the server's policy, kept for offline unlock (not secret).
    officer_name: str = ""
    staff_code: str = ""
    team_code: str = ""
    idle_lock_minutes: int = 15
    max_offline_days: int = 7
    max_document_bytes: int = 5_000_000
    max_documents_at_once: int = 5


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 called the server address `server` and stored the sort as "col:asc"."""
    data = dict(data)
    if "server" in data:
        data["server_url"] = data.pop("server")
    sort = data.pop("caseload_sort", None)
    if isinstance(sort, str) and ":" in sort:
        column, direction = sort.split(":", 1)
        data["caseload_sort_column"] = int(column) if column.isdigit() else 0
        data["caseload_sort_descending"] = direction == "desc"
    data["version"] = 2
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring `data` up to SETTINGS_VERSION one step at a time."""
    version = int(data.get("version", 1))
    if version > SETTINGS_VERSION:
        raise ValueError(f"settings version {version} is newer than this build")
    while version < SETTINGS_VERSION:
        data = MIGRATIONS[version](data)
        version = int(data["version"])
    return data


def load(profile: Path) -> Settings:
    path = profile / FILE_NAME
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text("utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("settings file is not a JSON object")
        return Settings.model_validate(migrate(raw))
    except (ValueError, ValidationError, KeyError):
        aside = path.with_suffix(".unreadable.json")
        os.replace(path, aside)
        log.warning("settings file unreadable; set aside as %s, using defaults", aside.name)
        return Settings()


def save(profile: Path, settings: Settings) -> None:
    """Write atomically (temp file then rename) so a crash never leaves half a file."""
    profile.mkdir(parents=True, exist_ok=True)
    path = profile / FILE_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(settings.model_dump_json(indent=2), "utf-8")
    os.replace(tmp, path)


_writing = threading.Lock()


def update(profile: Path, **changes: Any) -> Settings:
    """Change some settings in the file and keep the rest as the file has them.

    The session (officer, policy: on the sign-in thread) and the window (server, theme,
    size: on the GUI thread) each remember their own fields; saving a whole in-memory
    copy would put back what the other had changed (a sign-in's staff code and the
    server's lock policy were lost that way, and offline unlock then ran without them).
    """
    with _writing:
        changed = load(profile).model_copy(update=changes)
        save(profile, changed)
        return changed
