"""BulkInsert stores exactly what SQLAlchemy's own INSERT stores, on both backends."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Column, DateTime, Integer, MetaData, String, Table

from central.bulk import BulkInsert
from central.db import make_engine, transaction

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), nullable=True),
    Column("flag", Boolean, nullable=False),
    Column("data", JSON, nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)


def _row(n: int) -> dict[str, object]:
    at = dt.datetime(2026, 11, 29, 6, 30, 1, 123456 + n, tzinfo=dt.UTC)
    data = {"n": n, "text": "Café ✓", "list": [1, None], "none": None}
    return {
        "id": n,
        "name": None if n % 2 else f"n{n}",
        "flag": bool(n % 2),
        "data": data,
        "at": at,
    }


def test_rows_are_stored_as_sqlalchemy_stores_them(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        metadata.create_all(engine)
        with transaction(engine) as conn:
            conn.execute(things.insert(), [_row(1), _row(2)])
            BulkInsert(things).execute(conn, [_row(1) | {"id": 11}, _row(2) | {"id": 12}])
            BulkInsert(things, skip={"id"}).execute(conn, [_row(3)])
            BulkInsert(things).execute(conn, [])
        with engine.connect() as conn:
            # Raw, as the driver hands back what is stored (no result processing).
            raw = conn.exec_driver_sql("SELECT id, name, flag, data, at FROM things").all()
            typed = conn.execute(things.select().order_by(things.c.id)).all()
    finally:
        engine.dispose()
    stored = {row[0]: tuple(row[1:]) for row in raw}
    assert stored[11] == stored[1]
    assert stored[12] == stored[2]
    assert len(stored) == 5
    (generated,) = [row for row in typed if row.id not in (1, 2, 11, 12)]  # id from the database
    assert generated.data == _row(3)["data"]
    assert generated.flag is True
    assert generated.name is None
