"""The pull cursor's scheme tag, and the migration from the counter to the watermark.

A laptop's cursor from before the migration must neither skip nor repeat: rows written
before it carry txid 0 and the sequence continues from the counter, so "versions up to
f" is exactly "(txid, version) up to (0, f)". A cursor of the other database's scheme
(a laptop pointed at another server) is answered with a fresh pull.
"""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import text

from central.db import make_engine
from central.migrate import upgrade
from central.sync.cursor import COUNTER, WATERMARK, BadCursor, Cursor, decode
from central.sync.pull import CursorAhead
from tests.central.sync.conftest import World


def _raw(body: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


def test_cursors_carry_their_scheme_and_old_ones_read_as_the_counter() -> None:
    watermark = Cursor(812, "X000001", WATERMARK, 40)
    assert decode(watermark.encode()) == watermark
    assert decode(_raw({"v": 1, "f": 77})) == Cursor(77, None, COUNTER, 0)
    for bad in ({"v": 2, "k": "z", "f": 1}, {"v": 2, "k": "c", "f": 1, "n": 3}):
        with pytest.raises(BadCursor):
            decode(_raw(bad))


def test_a_cursor_of_the_other_scheme_is_answered_with_a_fresh_pull(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    officer.sync()
    sqlite = world.engine.dialect.name == "sqlite"
    foreign = Cursor(1, None, WATERMARK) if sqlite else Cursor(10**9)  # counter: beyond it
    officer.cursor = foreign.encode()
    with pytest.raises(CursorAhead):
        officer.pull_page()


@pytest.mark.postgres
def test_rows_written_before_the_migration_translate_exactly(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    upgrade(engine, "0011")
    with engine.begin() as conn:
        conn.execute(text("UPDATE feed_counter SET value = 500 WHERE id = 1"))
        conn.execute(
            text(
                "INSERT INTO records (id, kind, crn, version, deleted, field_versions,"
                " updated_at) VALUES ('r1', 'contact', 'X000001', 500, false, '{}', now())"
            )
        )
    upgrade(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT txid::text FROM records")).scalar_one() == "0"
        assert conn.execute(text("SELECT nextval('record_versions')")).scalar_one() == 501
        conn.execute(text("UPDATE records SET version = 501"))  # any writer, even raw SQL
        stamped = conn.execute(text("SELECT txid::text, pg_current_xact_id()::text FROM records"))
        txid, mine = stamped.one()
    engine.dispose()
    assert txid == mine != "0"


@pytest.mark.postgres
def test_an_open_transaction_shows_as_watermark_lag(world: World) -> None:
    """Operations see a long transaction holding pulls back: the lag (next txid minus X)
    grows while one stays open, and the service's connections end idle ones."""
    from prometheus_client import REGISTRY

    from central.db import transaction

    if world.engine.dialect.name == "sqlite":
        pytest.skip("the watermark is PostgreSQL's")
    officer = world.officer(world.seed.officers[0])
    with world.engine.connect() as conn:
        assert conn.execute(text("SHOW idle_in_transaction_session_timeout")).scalar() == "1min"
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "5min"
    with transaction(world.engine) as held:
        held.execute(text("SELECT pg_current_xact_id()"))  # holds X at its id
        for _ in range(3):
            with transaction(world.engine) as other:
                other.execute(text("SELECT pg_current_xact_id()"))
        officer.sync()
        lag = REGISTRY.get_sample_value("fieldcase_feed_watermark_lag_transactions")
    assert lag is not None
    assert lag >= 4
