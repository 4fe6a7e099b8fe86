"""Local-only tables: cached reference data, office locations and settings (JSON).

Nothing here is synced record data; each value is plain JSON, never pickled.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from storage.db import CacheDb


def put_reference(cdb: CacheDb, name: str, version: str, data: Any) -> None:
    """Replace one reference table (e.g. contact types from the server)."""
    with cdb.atomic():
        cdb.execute(
            "INSERT INTO reference_data (name, version, data) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET version = excluded.version, data = excluded.data",
            (name, version, json.dumps(data)),
        )


def get_reference(cdb: CacheDb, name: str) -> tuple[str, Any] | None:
    rows = cdb.query("SELECT version, data FROM reference_data WHERE name = ?", (name,))
    return (rows[0]["version"], json.loads(rows[0]["data"])) if rows else None


def replace_offices(cdb: CacheDb, offices: Iterable[Mapping[str, Any]]) -> None:
    """The officer's office locations (code, description, anything else as data)."""
    with cdb.atomic():
        cdb.execute("DELETE FROM office_location")
        for office in offices:
            extra = {k: v for k, v in office.items() if k not in {"code", "description"}}
            cdb.execute(
                "INSERT INTO office_location (code, description, data) VALUES (?, ?, ?)",
                (office["code"], office["description"], json.dumps(extra)),
            )


def office_names(cdb: CacheDb) -> dict[str, str]:
    """Location code -> the office's name, for every office the letter kit brought."""
    return {
        r["code"]: r["description"]
        for r in cdb.query("SELECT code, description FROM office_location")
    }


def offices(cdb: CacheDb) -> list[dict[str, Any]]:
    rows = cdb.query("SELECT code, description, data FROM office_location ORDER BY description")
    return [
        {"code": r["code"], "description": r["description"], **json.loads(r["data"])} for r in rows
    ]


def set_setting(cdb: CacheDb, key: str, value: Any) -> None:
    with cdb.atomic():
        cdb.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )


def get_setting(cdb: CacheDb, key: str, default: Any = None) -> Any:
    value = cdb.one("SELECT value FROM setting WHERE key = ?", (key,))
    return default if value is None else json.loads(value)
