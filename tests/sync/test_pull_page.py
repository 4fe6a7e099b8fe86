"""A pulled page parsed keeping each record's JSON text (sync/pull_page.py): refused
exactly where the strict pydantic parse refuses, stored as the parsed page would be, and
a malformed page part-way through a first sync leaves the cache as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sync.engine import SyncEngine
from sync.errors import BadAnswerError
from sync.http import parse_model
from sync.progress import Progress
from sync.protocol import PROTOCOL_VERSION, PullRequest, PullResponse
from sync.pull_page import PulledPage, parse_pull_page
from tests.storage.builders import make_case
from tests.sync.test_pull_prepare import _open, _rows


def _page(n: int, *, more: bool, contacts: int = 3) -> PullResponse:
    return PullResponse(
        protocol_version=PROTOCOL_VERSION,
        snapshots=[make_case(f"X{600000 + n}", contacts=contacts).snapshot()],
        cursor=f"c{n}",
        has_more=more,
        last_applied_seq=0,
    )


def _body(page: PullResponse) -> bytes:
    return page.model_dump_json().encode()


def _sent_checksums(pages: list[PullResponse]) -> dict[str, str]:
    return {p.snapshots[0].crn: p.snapshots[0].checksum for p in pages}


def test_a_received_page_has_the_parsed_pages_fields_and_each_records_text() -> None:
    page = _page(1, more=True)
    received = parse_pull_page(_body(page))
    assert received._body == _body(page)
    for field in ("protocol_version", "cursor", "has_more", "last_applied_seq", "checksums"):
        assert getattr(received, field) == getattr(page, field)
    [ours], [theirs] = received.snapshots, page.snapshots
    assert (ours.crn, ours.checksum) == (theirs.crn, theirs.checksum)
    for got, sent in zip(ours.records, theirs.records, strict=True):
        assert (got.kind, got.id, got.crn) == (sent.kind, sent.id, sent.crn)
        assert (got.version, got.deleted) == (sent.version, sent.deleted)
        assert got.data == sent.data
        assert got.data_json == sent.data_json  # the server's compact text, as sent


def test_a_received_page_is_stored_as_the_parsed_page_is(tmp_path: Path) -> None:
    pages = [_page(1, more=True), _page(2, more=True), _page(3, more=False)]
    parsed, received = _open(tmp_path / "parsed"), _open(tmp_path / "received")
    try:
        for cache, raw in ((parsed, False), (received, True)):
            cache.pull_state()
            for page in pages:
                wire: PullResponse | PulledPage = parse_pull_page(_body(page)) if raw else page
                cache.apply_pull_page(wire, cache.prepare_pull_page(wire))
        assert _rows(received) == _rows(parsed)
        assert received.case_checksums() == parsed.case_checksums()
        assert received.case_checksums() == _sent_checksums(pages)
        for kind, word in (("person", "exampl*"), ("contact", "employ*")):
            hits = f"SELECT count(*) FROM {kind}_fts WHERE {kind}_fts MATCH '{word}'"
            assert received.db().one(hits) == parsed.db().one(hits) > 0
    finally:
        parsed.close()
        received.close()


def _edited(edit: Any, *, indent: int | None = None) -> bytes:
    document = json.loads(_body(_page(1, more=False)))
    edit(document)
    return json.dumps(document, indent=indent).encode()


def _record(document: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = document["snapshots"][0]["records"][-1]
    return record


def _set(key: str, value: object) -> Any:
    return lambda d: _record(d).__setitem__(key, value)


MALFORMED = {
    "data an array": _set("data", [1, 2]),
    "data a string": _set("data", "{}"),
    "data a number": _set("data", 5),
    "data true": _set("data", True),
    "version as text": _set("version", "1"),
    "version as a float": _set("version", 1.0),
    "deleted as a number": _set("deleted", 0),
    "an unknown kind": _set("kind", "secret"),
    "an id that is no UUID": _set("id", "not-a-uuid"),
    "an unknown record field": _set("extra", 1),
    "an unknown page field": lambda d: d.__setitem__("extra", 1),
    "no cursor": lambda d: d.pop("cursor"),
    "a checksum that is a number": lambda d: d["checksums"].__setitem__("X1", 1),
    "an unknown action": lambda d: d.__setitem__("action", {"code": "dance"}),
}


@pytest.mark.allow_warnings
@pytest.mark.parametrize("edit", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_page_pydantic_refuses_is_refused(edit: Any) -> None:
    body = _edited(edit)
    with pytest.raises(BadAnswerError):
        parse_model(body, PullResponse)
    with pytest.raises(BadAnswerError):
        parse_pull_page(body)


@pytest.mark.allow_warnings
@pytest.mark.parametrize(
    "body",
    [
        _body(_page(1, more=False))[:-9],  # cut short
        _body(_page(1, more=False)).replace(b'"notes":"', b'"notes":"\xff', 1),  # not UTF-8
        b"[]",
        b"",
    ],
    ids=["truncated", "not UTF-8 inside a record", "an array", "empty"],
)
def test_a_page_that_is_not_json_of_the_right_shape_is_refused(body: bytes) -> None:
    assert b'"notes":"' in _body(_page(1, more=False))
    with pytest.raises(BadAnswerError):
        parse_pull_page(body)


def test_what_pydantic_accepts_is_accepted() -> None:
    def tombstone(d: dict[str, Any]) -> None:
        _record(d).update(deleted=True, data=None)

    body = _edited(tombstone, indent=2)  # whitespace between every token too
    assert parse_model(body, PullResponse).snapshots[0].records[-1].data is None
    received = parse_pull_page(body)
    assert received.snapshots[0].records[-1].data_json is None
    assert received.snapshots[0].records[-1].deleted


class _Api:
    """Pages as bodies; the third is damaged on its first fetch only."""

    def __init__(self, bodies: list[bytes], damaged: set[int]) -> None:
        self.bodies, self.damaged = bodies, damaged

    def pull(self, request: PullRequest) -> PulledPage:
        n = 0 if request.cursor is None else int(request.cursor[1:])
        body = self.bodies[n]
        if n in self.damaged:
            self.damaged.discard(n)
            body = body.replace(b'"version":', b'"version":"', 1)  # no longer parses
        return parse_pull_page(body)


@pytest.mark.allow_warnings
def test_a_malformed_page_mid_first_sync_keeps_the_pages_before_it_and_the_next_sync_ends_it(
    tmp_path: Path,
) -> None:
    pages = [_page(n, more=n < 3) for n in range(4)]
    for n, page in enumerate(pages):  # page n answers cursor c{n-1} and gives c{n}
        pages[n] = page.model_copy(update={"cursor": f"c{n + 1}"})
    bodies = [_body(p) for p in pages]
    cache, clean = _open(tmp_path / "cache"), _open(tmp_path / "clean")
    try:
        api = _Api(bodies, damaged={2})
        with pytest.raises(BadAnswerError):
            SyncEngine(cache, api, Progress()).pull()  # type: ignore[arg-type]
        assert cache.pull_state().cursor == "c2"  # pages 0 and 1 committed, nothing of 2
        assert {r["crn"] for r in cache.db().query("SELECT crn FROM held_case")} == {
            pages[0].snapshots[0].crn,
            pages[1].snapshots[0].crn,
        }
        assert cache.db().one("PRAGMA integrity_check") == "ok"
        SyncEngine(cache, api, Progress()).pull()  # type: ignore[arg-type]
        SyncEngine(clean, _Api(bodies, set()), Progress()).pull()  # type: ignore[arg-type]
        assert _rows(cache) == _rows(clean)
        assert cache.case_checksums() == _sent_checksums(pages)
    finally:
        cache.close()
        clean.close()
