"""The seeded field day: every case has a small synthetic photo and a RoSH summary that
agrees with its RoSH flag, households with flags, access notes, named licence condition
categories, and home visits today for some cases."""

from __future__ import annotations

import base64
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from central.db import make_engine
from central.seed import seed_database
from central.tables import records
from domain.risk import PHOTO_MAX_BYTES, Photo, RoshSummary

TODAY_ISO = "2026-11-20"
ROSH_FLAGS = {"RLRH": "Low", "RMRH": "Medium", "RHRH": "High", "RVRH": "Very High"}


def _by_kind(url: str) -> dict[str, list[dict]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(records.c.kind, records.c.data)).all()
    engine.dispose()
    found: dict[str, list[dict]] = {}
    for kind, data in rows:
        found.setdefault(kind, []).append(data)
    return found


def test_the_field_day_is_seeded(tmp_path: Path) -> None:
    import datetime as dt

    url = f"sqlite:///{tmp_path}/field.db"
    result = seed_database(
        url, officers=2, cases_per_officer=30, seed=4, password="pw", today=dt.date(2026, 11, 20)
    )
    kinds = _by_kind(url)
    photos = [Photo.model_validate(p) for p in kinds["photo"]]
    assert len(photos) == result.cases
    for photo in photos:
        raw = base64.b64decode(photo.content_base64)
        assert raw.startswith(b"\x89PNG")
        assert len(raw) <= PHOTO_MAX_BYTES
    rosh = {r["crn"]: RoshSummary.model_validate(r) for r in kinds["rosh"]}
    flags = {
        r["crn"]: r["type_code"] for r in kinds["registration"] if r["type_code"] in ROSH_FLAGS
    }
    assert len(rosh) == result.cases
    assert all(rosh[crn].overall == ROSH_FLAGS[code] for crn, code in flags.items())
    household = [c for p in kinds["person"] for c in p["personal_contacts"] if c["household"]]
    assert any("Victim" in c["flags"] for c in household)
    assert any(f.startswith("Child (aged") for c in household for f in c["flags"])
    relationships = Counter(
        c["relationship"] for p in kinds["person"] for c in p["personal_contacts"]
    )
    assert relationships["GP"] == result.cases
    assert relationships["Victim liaison officer"] > 0
    main = [a for a in kinds["address"] if a["status"] == "main" and not a["no_fixed_abode"]]
    assert sum(bool(a["access_notes"]) for a in main) > len(main) // 2
    categories = {c["category"] for c in kinds["licence_condition"]}
    assert {
        "Freedom of movement",
        "Curfew",
        "Non-contact with a named person or group",
    } <= categories
    staff_notes = [r["notes"] for r in kinds["registration"] if r["type_code"] == "RSTF"]
    assert staff_notes
    assert all(staff_notes)
    visits = [
        c for c in kinds["contact"] if c["date"] == TODAY_ISO and c["type_code"] in ("CHVS", "COHV")
    ]
    assert 2 <= len(visits) <= 20
