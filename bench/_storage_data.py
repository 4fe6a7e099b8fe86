"""Synthetic data for the storage benchmark, generated fast and cached between runs.

Only made-up people: first names and surnames are drawn independently from short lists
of common British names, CRNs are sequential, notes come from a small phrase book. The
million-contact cache is written with bulk inserts (through the real schema, triggers
and all) once, then reused from the platformdirs cache folder.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic_core import to_json

from storage import records, state
from storage.db import CacheDb
from storage.migrations import migrate
from storage.schema import SEARCHED, fts_sql

# A fixed key is fine here: the benchmark cache holds only synthetic people.
KEY = bytes.fromhex("5e" * 32)
FORMAT = 5  # bump when the generated shape changes

FIRST = (
    "Ann",
    "Alex",
    "Ben",
    "Chloe",
    "David",
    "Emma",
    "Jon",
    "Kheira",
    "Liam",
    "Mia",
    "Noah",
    "Olivia",
    "Priya",
    "Ryan",
    "Sam",
    "Zoe",
    "Tom",
    "Aisha",
    "Connor",
    "Ellie",
)
SURNAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Khan",
    "O'Brien",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
)
PHRASES = (
    "Discussed employment and training options.",
    "Housing benefit claim chased.",
    "Attended on time, engaged well.",
    "Reported feeling low; referred to GP.",
    "Reviewed curfew compliance.",
    "Talked about alcohol use and triggers.",
    "Confirmed new address with landlord.",
    "Completed thinking skills session.",
    "Phoned to rearrange; childcare problem.",
    "Home visit, nobody answered.",
)
CONTACT_TYPES = ("COAP", "CTOB", "COHV", "CTOA", "COPT")


@dataclass(frozen=True, slots=True)
class Rec:
    """Shaped like sync.protocol.RecordChange (storage takes it structurally)."""

    kind: str
    id: uuid.UUID
    crn: str
    version: int
    data: dict[str, Any]
    deleted: bool = False

    @property
    def data_json(self) -> str | None:
        """`data` as the cache stores it (`sync.protocol.RecordChange.data_json`)."""
        return None if self.deleted else to_json(self.data).decode()


def _crn(n: int) -> str:
    return f"X{n:06d}"


def _person(n: int, rng: random.Random) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "crn": _crn(n),
        "first_name": rng.choice(FIRST),
        "surname": rng.choice(SURNAMES),
        "date_of_birth": (
            dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15000))
        ).isoformat(),
        "tier": rng.choice(("A1", "B2", "C3", "D1")),
        "staff_code": "N07B001",
    }


def _contact(crn: str, event_id: str, rng: random.Random) -> dict[str, Any]:
    day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(1050))
    ctype = rng.choice(CONTACT_TYPES)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "crn": crn,
        "type_code": ctype,
        "date": day.isoformat(),
        "start_time": f"{rng.randrange(9, 17):02d}:00:00",
        "event_id": event_id,
        "staff_code": "N07B001",
        "outcome_code": "ATTC" if day < dt.date(2026, 11, 1) else None,
        "notes": " ".join(rng.sample(PHRASES, 2)),
        "sensitive": False,
    }


def _event(crn: str, rng: random.Random) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "crn": crn,
        "number": 1,
        "main_offence": "Theft from a shop",
        "sentence": {"type_code": "ORA-CO", "length": 12, "start_date": "2025-06-02"},
    }


def case_snapshot_records(n: int, *, contacts: int) -> tuple[str, list[Rec]]:
    """One synthetic case as wire-shaped records (person, event, contacts)."""
    rng = random.Random(n)
    crn = _crn(n)
    person, event = _person(n, rng), _event(crn, rng)
    found = [
        Rec("person", uuid.UUID(person["id"]), crn, 1, person),
        Rec("event", uuid.UUID(event["id"]), crn, 1, event),
    ]
    for _ in range(contacts):
        data = _contact(crn, event["id"], rng)
        found.append(Rec("contact", uuid.UUID(data["id"]), crn, 1, data))
    return crn, found


def _rows(kind: str, items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (d["id"], d["crn"], 1, json.dumps(d, separators=(",", ":")), records.search_text(kind, d))
        for d in items
    ]


def _insert(cdb: CacheDb, kind: str, items: list[dict[str, Any]]) -> None:
    cdb.conn.executemany(
        f"INSERT INTO {kind} (id, crn, version, data, search_text) VALUES (?, ?, ?, ?, ?)",  # noqa: S608
        _rows(kind, items),
    )


def _without_search_triggers(cdb: CacheDb) -> None:
    """Bulk load: index once at the end ('rebuild') instead of row by row (~2x faster)."""
    for kind in SEARCHED:
        for suffix in ("ai", "ad", "au"):
            cdb.execute(f"DROP TRIGGER {kind}_fts_{suffix}")


def _reindex_and_restore_triggers(cdb: CacheDb) -> None:
    for kind in SEARCHED:
        cdb.execute(f"INSERT INTO {kind}_fts({kind}_fts) VALUES ('rebuild')")  # noqa: S608
        for statement in fts_sql(kind)[1:]:  # the triggers, exactly as the migration made them
            cdb.execute(statement)


def _generate(path: Path, cases: int, contacts: int) -> None:
    cdb = CacheDb(path, KEY)
    migrate(cdb.db)
    state.ensure(cdb)
    _without_search_triggers(cdb)
    per_case, extra = divmod(contacts, cases)
    rng = random.Random(1)
    received = dt.datetime.now(dt.UTC).isoformat()
    for start in range(0, cases, 500):
        people, events, notes = [], [], []
        for n in range(start, min(start + 500, cases)):
            people.append(_person(n, rng))
            events.append(_event(_crn(n), rng))
            for _ in range(per_case + (1 if n < extra else 0)):
                notes.append(_contact(_crn(n), events[-1]["id"], rng))
        with cdb.atomic():
            _insert(cdb, "person", people)
            _insert(cdb, "event", events)
            _insert(cdb, "contact", notes)
            cdb.conn.executemany(
                "INSERT INTO held_case (crn, received_at) VALUES (?, ?)",
                [(p["crn"], received) for p in people],
            )
    _reindex_and_restore_triggers(cdb)
    cdb.execute("PRAGMA optimize")
    cdb.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cdb.close()


def build_search_cache(root: Path, *, cases: int, contacts: int) -> tuple[Path, float]:
    """The cached benchmark database (built now if missing); seconds spent building."""
    folder = root / f"storage-v{FORMAT}-{cases}-{contacts}"
    path = folder / "cache.db"
    if (folder / "complete").exists():
        return path, 0.0
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob("cache.db*"):
        leftover.unlink()
    started = time.perf_counter()
    _generate(path, cases, contacts)
    (folder / "complete").write_text("ok")
    return path, time.perf_counter() - started
