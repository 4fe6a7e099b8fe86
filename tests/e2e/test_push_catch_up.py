"""A laptop whose server is ahead of it: the server applied seqs whose answers were lost.

The reproduction of issue 15, against the real central service and the real encrypted
cache through `fieldcase-sync`: a profile queues 20 changes, they reach the server as
that laptop and every answer is thrown away; one `fieldcase-sync` with any batch size
then drains the outbox, each change applied once. A server ahead of anything the
profile ever queued (a restored backup, a copied profile) is its own explicit state.
"""

from __future__ import annotations

import io
import json
import uuid
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import func

from app.sync_cli import EXIT_DIVERGED, main
from central.tables import applied_mutations, records, sync_clients
from sync.cache import EncryptedCache
from sync.client import SyncClient
from sync.progress import Progress
from sync.protocol import PROTOCOL_VERSION, PushRequest
from tests.app.test_sync_cli import argv, fast_profile
from tests.sync.conftest import FAST
from tests.sync.live import PASSWORD, Live, encrypted_cache, live_central, queue_local
from tests.sync.live import record_contact_args as contact

pytestmark = pytest.mark.e2e
QUEUED = 20


@pytest.fixture
def live(database_url: str):
    with live_central(database_url) as running:
        yield running


def cli(
    live: Live, profile: Path, officer: str, batch: int, *extra: str
) -> tuple[int, dict[str, object]]:
    command = [*argv(live, profile, officer), "--push-batch", str(batch), *extra]
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(command, stdin=io.StringIO(PASSWORD + "\n"))
    return code, json.loads(out.getvalue().strip().splitlines()[-1])


def deliver_and_lose_answers(live: Live, cache: EncryptedCache, officer: str, upto: int) -> None:
    """Send seqs 1..`upto` as this laptop (its own tokens) and throw the answers away:
    a network that lost them after the server committed."""
    client = SyncClient(cache, live.server.url, officer, FAST)
    try:
        api = client.api(Progress())
        envelopes = list(cache.next_outbox_batch(upto))
        api.push(
            PushRequest(
                protocol_version=PROTOCOL_VERSION,
                client_id=cache.client_id(),
                mutations=envelopes,
            )
        )
    finally:
        client.close()


def server_rows(live: Live, client_id: uuid.UUID) -> list[tuple[int, str]]:
    with live.engine.connect() as conn:
        query = (
            sqlalchemy.select(applied_mutations.c.seq, applied_mutations.c.mutation_id)
            .where(applied_mutations.c.client_id == str(client_id))
            .order_by(applied_mutations.c.seq)
        )
        return [(int(seq), str(mid)) for seq, mid in conn.execute(query)]


def contacts(live: Live, crn: str) -> int:
    with live.engine.connect() as conn:
        query = sqlalchemy.select(func.count()).select_from(records)
        where = (records.c.crn == crn, records.c.kind == "contact", records.c.deleted.is_(False))
        return int(conn.execute(query.where(*where)).scalar_one())


def synced_with_queued(live: Live, tmp_path: Path, count: int) -> tuple[Path, str, str, int]:
    """A profile synced once, then `count` changes queued on one case. Returns (folder,
    officer, crn, contacts on the server before)."""
    officer = live.seed.officers[0]
    folder = tmp_path / "profile"
    fast_profile(folder, officer)
    assert cli(live, folder, officer, 250)[0] == 0
    cache = encrypted_cache(folder, officer)
    try:
        crn = sorted(live.visible_caseload(officer))[0]
        before = contacts(live, crn)
        for _ in range(count):
            queue_local(cache, live, officer, "record_contact", contact(crn))
    finally:
        cache.close()
    return folder, officer, crn, before


def prepared_profile(live: Live, tmp_path: Path) -> tuple[Path, str, str, int]:
    """QUEUED changes, all applied by the server with every answer lost."""
    folder, officer, crn, before = synced_with_queued(live, tmp_path, QUEUED)
    cache = encrypted_cache(folder, officer)
    try:
        deliver_and_lose_answers(live, cache, officer, QUEUED)
        assert cache.pending_count() == QUEUED
    finally:
        cache.close()
    return folder, officer, crn, before


@pytest.mark.parametrize("batch", [1, 7, 10, 250])
def test_the_reproduction_drains_on_the_first_sync(live, tmp_path, batch):
    folder, officer, crn, before = prepared_profile(live, tmp_path)
    code, summary = cli(live, folder, officer, batch)
    assert code == 0, summary
    assert summary["pending"] == 0
    assert summary["pushed"] == QUEUED
    assert summary["applied"] == QUEUED
    cache = encrypted_cache(folder, officer)
    try:
        rows = cache.db().query("SELECT seq, mutation_id FROM outbox")
        ids = {row["seq"]: row["mutation_id"] for row in rows}
        client_id = cache.client_id()
    finally:
        cache.close()
    rows = server_rows(live, client_id)
    assert [seq for seq, _ in rows] == list(range(1, QUEUED + 1))  # each seq once, in order
    assert all(ids[seq] == mutation_id for seq, mutation_id in rows)  # and ours
    assert contacts(live, crn) == before + QUEUED  # no contact written twice


@pytest.mark.allow_warnings
def test_a_server_ahead_of_anything_queued_is_an_explicit_state(live, tmp_path):
    folder, officer, crn, _before = prepared_profile(live, tmp_path)
    # A copy of the profile from before the changes were queued: the same device, but
    # it never queued seqs 1..20, which the server holds.
    cache = encrypted_cache(folder, officer)
    try:
        with cache.db().atomic() as cdb:
            cdb.execute("DELETE FROM outbox")
            cdb.execute("UPDATE sync_state SET last_seq = 0, last_acked_seq = 0")
        queue_local(cache, live, officer, "record_contact", contact(crn))
    finally:
        cache.close()
    for _ in range(2):  # the same answer every time: never "will try again"
        code, summary = cli(live, folder, officer, 10)
        assert code == EXIT_DIVERGED, summary
        assert "backup" in str(summary["message"])
        assert "IT support" in str(summary["message"])
    cache = encrypted_cache(folder, officer)
    try:
        assert cache.pending_count() == 1  # the unsent work is kept
        old_device = cache.client_id()
    finally:
        cache.close()
    # IT support's way out (docs/central.md): the profile syncs on as a new device.
    code, summary = cli(live, folder, officer, 10, "--rejoin")
    assert code == 0, summary
    assert summary["pending"] == 0
    cache = encrypted_cache(folder, officer)
    try:
        assert cache.client_id() != old_device
        assert [seq for seq, _ in server_rows(live, cache.client_id())] == [1]
    finally:
        cache.close()
    assert [seq for seq, _ in server_rows(live, old_device)] == list(range(1, QUEUED + 1))


@pytest.mark.allow_warnings
def test_a_server_restored_to_an_earlier_point_is_explicit_then_rejoined(live, tmp_path):
    folder, officer, crn, _before = synced_with_queued(live, tmp_path, 4)
    cache = encrypted_cache(folder, officer)
    try:
        client_id = str(cache.client_id())
    finally:
        cache.close()
    assert cli(live, folder, officer, 250)[0] == 0  # seqs 1..4 answered and recorded
    with live.admin() as conn:  # the server goes back to a backup taken after seq 2
        conn.execute(
            applied_mutations.delete().where(
                applied_mutations.c.client_id == client_id, applied_mutations.c.seq > 2
            )
        )
        conn.execute(
            sync_clients.update()
            .where(sync_clients.c.client_id == client_id)
            .values(last_applied_seq=2)
        )
    cache = encrypted_cache(folder, officer)
    try:
        queue_local(cache, live, officer, "record_contact", contact(crn))  # seq 5
    finally:
        cache.close()
    code, summary = cli(live, folder, officer, 250)
    assert code == EXIT_DIVERGED, summary
    assert "restored from a backup" in str(summary["message"])
    code, summary = cli(live, folder, officer, 250, "--rejoin")
    assert code == 0, summary
    assert summary["pending"] == 0
