"""The sync client against the real central service over loopback HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import sqlalchemy
from sqlalchemy import func

from central.admin import allocate
from central.auth.devices import revoke_device
from central.tables import applied_mutations, records
from domain.errors import FieldcaseError
from sync.auth import Tokens
from sync.errors import DeviceWiped, SignInRequired
from tests.sync.live import live_central, now, record_contact_args, records_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(database_url: str):
    with live_central(database_url) as running:
        yield running


def test_first_sync_offline_work_and_resync(live):
    officer = live.seed.officers[0]
    laptop = live.laptop(officer)
    summary = laptop.sync()
    assert set(laptop.store.cases) == live.visible_caseload(officer)
    assert summary.snapshots == summary.cases > 0
    crn = sorted(laptop.store.cases)[0]
    before = len(records_of(laptop.store, crn, "contact"))
    for _ in range(3):  # offline: queued only
        laptop.store.queue("record_contact", record_contact_args(crn))
    summary = laptop.sync()
    assert (summary.applied, summary.rejected, summary.pending) == (3, 0, 0)
    assert len(records_of(laptop.store, crn, "contact")) == before + 3
    again = laptop.sync()
    assert (again.pushed, again.refetched) == (0, 0)


def test_central_edits_reach_another_laptop(live):
    officer = live.seed.officers[0]
    first, second = live.laptop(officer), live.laptop(officer)
    first.sync()
    second.sync()
    crn = sorted(first.store.cases)[0]
    args = record_contact_args(crn, notes="Home visit, all well")
    first.store.queue("record_contact", args)
    first.sync()
    second.sync()
    ids = {str(r.id) for r in records_of(second.store, crn, "contact")}
    assert args["contact_id"] in ids


def test_conflicting_edits_are_surfaced_then_resolved(live):
    officer = live.seed.officers[0]
    first, second = live.laptop(officer), live.laptop(officer)
    first.sync()
    second.sync()
    crn = sorted(first.store.cases)[0]
    person = records_of(first.store, crn, "person")[0]
    edit = {"crn": crn, "base_version": person.version}
    first.store.queue("update_contact_details", {**edit, "phone": "07700 900001"})
    second.store.queue("update_contact_details", {**edit, "phone": "07700 900002"})
    assert first.sync().applied == 1
    summary = second.sync()
    assert summary.conflicts == 1
    assert second.store.counts().conflicts == 1
    result = next(iter(second.store.results.values()))
    assert {c.field for c in result.conflicts} == {"phone"}
    # The officer chooses their value: a new mutation based on the central version.
    fresh = records_of(second.store, crn, "person")[0]
    second.store.queue(
        "update_contact_details", {**edit, "base_version": fresh.version, "phone": "07700 900002"}
    )
    assert second.sync().applied == 1
    first.sync()
    assert (
        records_of(first.store, crn, "person")[0].data["phone"].replace(" ", "").endswith("900002")
    )


def test_reallocation_evicts_and_delivers(live):
    giver, taker = live.seed.officers[0], live.seed.officers[1]
    a, b = live.laptop(giver), live.laptop(taker)
    a.sync()
    b.sync()
    crn = sorted(live.visible_caseload(giver) - set(live.seed.exclusions))[0]
    with live.admin() as conn:
        allocate(conn, crn, live.staff_code(taker), now=now(), by="admin")
    assert a.sync().evicted >= 1
    assert crn not in a.store.cases
    b.sync()
    if taker not in live.seed.exclusions.get(crn, []):
        assert crn in b.store.cases


def test_pinning_brings_a_case_and_limited_access_keeps_it_out(live):
    officer, other = live.seed.officers[0], live.seed.officers[1]
    laptop = live.laptop(officer)
    laptop.sync()
    barred = {c for c, users in live.seed.exclusions.items() if officer in users}
    barred |= {c for c, users in live.seed.restrictions.items() if officer not in users}
    assert barred, "the seed must hold a Limited Access case barring this officer"
    open_case = sorted(set(live.seed.caseloads[other]) - barred)[0]
    laptop.store.queue("pin_case", {"crn": open_case})
    for crn in sorted(barred):
        laptop.store.queue("pin_case", {"crn": crn})
    summary = laptop.sync()
    assert open_case in laptop.store.cases
    assert not barred & set(laptop.store.cases)
    assert summary.rejected == len(barred)


def test_revoked_device_wipes_the_profile(live):
    laptop = live.laptop(live.seed.officers[0])
    laptop.sync()
    laptop.store.queue("record_contact", record_contact_args(sorted(laptop.store.cases)[0]))
    with live.admin() as conn:
        revoke_device(conn, str(laptop.store.client_id()), "admin", now())
    with pytest.raises(DeviceWiped):
        laptop.sync()
    assert laptop.store.wiped
    assert laptop.store.cases == {}
    assert not laptop.auth.signed_in()


def test_token_expiry_while_offline_keeps_the_outbox(live):
    laptop = live.laptop(live.seed.officers[0])
    laptop.sync()
    crn = sorted(laptop.store.cases)[0]
    laptop.store.queue("record_contact", record_contact_args(crn))
    with live.admin() as conn:  # days pass: the refresh token expires server-side
        from central.tables import refresh_tokens

        conn.execute(refresh_tokens.delete())
    stale = laptop.auth.store.load()
    assert stale is not None
    laptop.auth.store.save(Tokens(stale.access_token, stale.refresh_token, time.time() - 60))
    with pytest.raises(SignInRequired):
        laptop.sync()
    assert laptop.store.pending_count() == 1
    laptop.sign_in("correct horse battery", "test laptop")
    assert laptop.sync().applied == 1


def applied_on_server(live, laptop) -> list[int]:
    """The seqs the server's own table says it applied for this laptop, in order."""
    with live.engine.connect() as conn:
        return list(
            conn.execute(
                sqlalchemy.select(applied_mutations.c.seq)
                .where(
                    applied_mutations.c.client_id == str(laptop.store.client_id()),
                    applied_mutations.c.status == "applied",
                )
                .order_by(applied_mutations.c.seq)
            ).scalars()
        )


def contacts_on_server(live, crn: str) -> int:
    with live.engine.connect() as conn:
        query = sqlalchemy.select(func.count()).select_from(records)
        where = (records.c.crn == crn, records.c.kind == "contact", records.c.deleted.is_(False))
        return int(conn.execute(query.where(*where)).scalar_one())


def test_lost_answers_do_not_apply_twice(live):
    from tests.chaos.proxy import FaultPlan, chaos_proxy

    officer = live.seed.officers[0]
    plan = FaultPlan(seed=3, rate=1.0, fates=("lose_response",))
    with chaos_proxy(live.server.url, plan) as proxy:
        proxy.faults_on = False
        from sync.client import SyncClient
        from tests.sync.conftest import FAST
        from tests.sync.memory_store import MemoryStore

        laptop = SyncClient(MemoryStore(), proxy.url, officer, FAST)
        live.clients.append(laptop)
        laptop.sign_in("correct horse battery", "laptop")
        laptop.sync()
        crn = sorted(laptop.store.cases)[0]
        before = contacts_on_server(live, crn)
        ids = [uuid.uuid4() for _ in range(5)]
        for contact_id in ids:
            args = {**record_contact_args(crn), "contact_id": str(contact_id)}
            laptop.store.queue("record_contact", args)
        proxy.faults_on = True
        for _ in range(2):  # every answer is lost after the server committed
            with pytest.raises(FieldcaseError):
                laptop.sync()
        assert laptop.store.pending_count() == 5  # never counted delivered without an answer
        assert applied_on_server(live, laptop) == list(range(1, 6))  # ...though it was applied
        proxy.plan = doubled = FaultPlan(seed=3, rate=1.0, fates=("duplicate_request",))
        summary = laptop.sync()  # every request now reaches the server twice
        proxy.faults_on = False
        laptop.sync()
    assert plan.seen["lose_response"] >= 2 * FAST.retry.attempts
    assert doubled.seen["duplicate_request"] > 0
    assert (summary.applied, summary.rejected, laptop.store.pending_count()) == (5, 0, 0)
    assert applied_on_server(live, laptop) == list(range(1, 6))  # each seq once, in order
    assert contacts_on_server(live, crn) == before + 5  # no contact written twice
    contacts = {str(r.id) for r in records_of(laptop.store, crn, "contact")}
    assert {str(i) for i in ids} <= contacts


def test_interrupted_first_sync_resumes_with_at_most_one_page_again(live):
    from sync.client import SyncSettings
    from tests.chaos.test_sync_chaos import Crash, CrashingProgress
    from tests.sync.conftest import FAST
    from tests.sync.memory_store import MemoryStore

    officer = live.seed.officers[0]
    laptop = live.laptop(officer, MemoryStore())
    laptop.settings = SyncSettings(http=FAST.http, retry=FAST.retry, pull_limit=30)
    received: list[str] = []  # snapshots written to the cache
    downloaded: list[list[str]] = []  # snapshots the server sent, page by page
    real_apply, real_post = laptop.store.apply_pull_page, laptop.http.post_json

    def apply(response, prepared=None):
        received.extend(s.crn for s in response.snapshots)
        real_apply(response, prepared)

    def post_json(path, body, token):
        raw = real_post(path, body, token=token)
        if path == "/v1/sync/pull":
            downloaded.append([s["crn"] for s in json.loads(raw)["snapshots"]])
        return raw

    laptop.store.apply_pull_page = apply
    laptop.http.post_json = post_json
    with pytest.raises(Crash):
        laptop.sync(CrashingProgress(2))  # dies after the second committed page
    assert 0 < len(received) < len(live.visible_caseload(officer))
    laptop.sync()
    assert set(laptop.store.cases) == live.visible_caseload(officer)
    assert len(received) == len(set(received))  # the cursor was saved with each page
    sent = [crn for page in downloaded for crn in page]
    again = len(sent) - len(set(sent))  # the page prefetched when it died, at most
    assert again <= max(len(page) for page in downloaded)
