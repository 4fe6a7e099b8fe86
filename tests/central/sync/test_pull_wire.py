"""Pull pages are written as JSON text (central.sync.wire), not through the pydantic model.

These pin what that shortcut must keep: every page parses strictly as the client parses
it and is the very JSON the model would send (byte for byte where the stored record
text is compact, as the seed writes it), pages hold the same whole cases as counting
each case's records first, checksums equal the protocol's, and the OpenAPI document
still describes the answer.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

from sqlalchemy import func, select, update

from central.api import create_app
from central.config import Settings
from central.db import transaction
from central.sync.cursor import decode
from central.sync.feed import next_version
from central.sync.pull import Page, reading, serve_pull
from central.sync.snapshots import checksum_of, take
from central.tables import records
from sync.protocol import PROTOCOL_VERSION, PullRequest, PullResponse, case_checksum
from tests.central.sync.conftest import Officer, World, contact_args


def _pages(officer: Officer, limit: int) -> list[Page]:
    """A whole pull round as raw pages, applied to the officer's mirror as it goes."""
    pages: list[Page] = []
    while not pages or pages[-1].has_more:
        request = PullRequest(
            protocol_version=PROTOCOL_VERSION,
            client_id=officer.client_id,
            cursor=officer.cursor,
            held_cases=sorted(officer.held),
            limit=limit,
        )
        cursor = None if officer.cursor is None else decode(officer.cursor)
        page = serve_pull(officer.world.engine, officer.principal, request, cursor)
        officer.apply(page.response)
        pages.append(page)
    return pages


def _model_bytes(body: bytes) -> bytes:
    return PullResponse.model_validate_json(body, strict=True).model_dump_json().encode()


def test_first_sync_pages_are_the_bytes_the_model_would_send(world: World) -> None:
    name = world.seed.officers[0]
    officer = world.officer(name)

    pages = _pages(officer, limit=40)

    assert len(pages) > 2
    assert sorted(officer.held) == world.caseload(name)
    for page in pages:
        assert page.body == _model_bytes(page.body)
        assert len(page.snapshotted) == len(page.response.snapshots)
    assert pages[-1].response.checksums  # the last page carries every checksum


def test_pages_of_changes_tombstones_and_evictions_are_the_models_json(world: World) -> None:
    me, other = world.seed.officers[0], world.seed.officers[1]
    writer, reader = world.officer(me), world.officer(me)
    _pages(reader, limit=1000)
    crn = world.plain_case(me)
    # A contact the reader already holds (not one of the three pushed below, which would
    # make its tombstone replace a change rather than add one).
    gone = world.records_of(crn, "contact")[0].id
    for _ in range(3):
        assert writer.push_one("record_contact", contact_args(crn)).status == "applied"
    with transaction(world.engine) as conn:
        conn.execute(
            update(records)
            .where(records.c.id == gone)
            .values(deleted=True, data=None, version=next_version(conn))
        )
    moved = next(c for c in world.caseload(me) if c != crn)
    world.reallocate(moved, other)

    pages = _pages(reader, limit=2)

    sent = [page.response for page in pages]
    assert [c for r in sent for c in r.evicted] == [moved]
    assert sum(len(r.changes) for r in sent) == 4
    assert any(c.deleted and c.data is None for r in sent for c in r.changes)
    for page, response in zip(pages, sent, strict=True):
        assert json.loads(page.body) == json.loads(response.model_dump_json())
        assert page.changes == len(response.changes)
        assert page.evicted == len(response.evicted)
        assert page.has_more == response.has_more


def _counted_fill(conn: Any, candidates: list[str], limit: int) -> tuple[list[str], int]:
    """The rule a page follows, by counting: whole cases in order while they fit, and
    always at least one."""
    query = (
        select(records.c.crn, func.count())
        .where(records.c.crn.in_(candidates), records.c.deleted.is_(False))
        .group_by(records.c.crn)
    )
    counts = dict(conn.execute(query).all())
    chosen: list[str] = []
    used = 0
    for crn in candidates:
        size = int(counts.get(crn, 0))
        if chosen and used + size > limit:
            break
        chosen.append(crn)
        used += size
    return chosen, used


def test_a_page_takes_the_cases_counting_would_take(world: World) -> None:
    caseload = sorted(c for name in world.seed.officers for c in world.caseload(name))
    emptied = caseload[1]  # a case with no live record fits anywhere
    with transaction(world.engine) as conn:
        conn.execute(update(records).where(records.c.crn == emptied).values(deleted=True))

    with reading(world.engine) as conn:
        sizes = conn.execute(
            select(func.count()).where(records.c.deleted.is_(False)).group_by(records.c.crn)
        ).scalars()
        limits = {1, 2, 10, 37, 60, 100, 250, 5000} | {int(n) for n in sizes}
        for start in (0, 1, 2, 5):
            candidates = caseload[start:]
            for limit in sorted(limits):
                taken = take(conn, candidates, limit)
                assert (taken.crns, taken.records) == _counted_fill(conn, candidates, limit)
                assert len(taken.texts) == len(taken.crns)
                for crn, text in zip(taken.crns, taken.texts, strict=True):
                    assert json.loads(text)["crn"] == crn


def test_checksum_of_is_the_protocols_checksum() -> None:
    rng = random.Random(7)
    kinds = ["contact", "event", "event_requirement", "licence_condition", "person", "a"]
    for size in (0, 1, 2, 50):
        triples = [
            (rng.choice(kinds), str(uuid.UUID(int=rng.getrandbits(128))), rng.randrange(1, 10**6))
            for _ in range(size)
        ]
        assert checksum_of(list(triples)) == case_checksum(triples)


def test_openapi_still_documents_the_pull_answer(tmp_path: Any) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}"))
    try:
        spec = app.openapi()
    finally:
        app.state.fieldcase.engine.dispose()

    answer = spec["paths"]["/v1/sync/pull"]["post"]["responses"]["200"]
    schema = answer["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/PullResponse"}
    documented = spec["components"]["schemas"]["PullResponse"]["properties"]
    assert set(documented) == set(PullResponse.model_fields)
