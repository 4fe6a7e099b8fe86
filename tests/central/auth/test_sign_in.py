"""Sign-in cannot stall the service, and cannot be used to lock an officer out.

The attacks: a wrong-password flood from eight threads while an officer works; a
guesser elsewhere typing the officer's username; one address spraying many names.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from central.api import create_app
from central.auth import passwords
from central.auth.dpop import Proof
from central.auth.grants import password_grant
from central.db import make_engine, utcnow
from central.errors import ApiError
from central.seed import SeedResult
from central.state import AppState
from sync.dpop import DeviceKey
from sync.protocol import PROTOCOL_VERSION
from tests.central.conftest import PASSWORD, LiveServer, make_settings, serve_app

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"
_KEYS: dict[str, DeviceKey] = {}  # each laptop keeps its own proof-of-possession key


def _proof(device_id: str) -> Proof:
    """A proof the token endpoint has verified (central.auth.dpop), for this laptop's key."""
    key = _KEYS.setdefault(device_id, DeviceKey.generate())
    return Proof(jkt=key.thumbprint, jti=str(uuid.uuid4()))


@pytest.fixture
def state(sqlite_seeded: tuple[str, SeedResult]) -> Iterator[AppState]:
    url, _seed = sqlite_seeded
    engine = make_engine(url)
    yield AppState(make_settings(url, max_failed_per_username=6, max_failed_per_source=8), engine)
    engine.dispose()


def _sign_in(
    state: AppState, username: str, password: str, source: str, device_id: str | None = None
) -> int:
    """The status the token endpoint would answer."""
    device_id = device_id or str(uuid.uuid4())
    try:
        password_grant(
            state,
            username=username,
            password=password,
            device_id=device_id,
            device_name="laptop",
            proof=_proof(device_id),
            now=utcnow(),
            source=source,
        )
    except ApiError as exc:
        return exc.status
    return 200


def test_the_password_hash_never_runs_holding_the_write_lock(
    sqlite_seeded: tuple[str, SeedResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, seed = sqlite_seeded
    path = url.removeprefix("sqlite:///")
    writable: list[bool] = []
    real_verify = passwords.verify_password

    def verify_and_probe(password_hash: str, password: str) -> bool:
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            writable.append(True)
        except sqlite3.OperationalError:  # "database is locked": the sign-in holds it
            writable.append(False)
        finally:
            probe.close()
        return real_verify(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", verify_and_probe)
    with serve_app(create_app(make_settings(url))) as base:
        live = LiveServer(base, make_settings(url), seed)
        assert live.sign_in(seed.officers[0], password="wrong").status_code == 400
        assert live.sign_in(seed.officers[0]).status_code == 200
    assert writable == [True, True]


def test_a_guesser_elsewhere_cannot_lock_the_officer_out(
    state: AppState, sqlite_seeded: tuple[str, SeedResult]
) -> None:
    officer = sqlite_seeded[1].officers[0]
    laptop = str(uuid.uuid4())
    assert _sign_in(state, officer, PASSWORD, OFFICE, laptop) == 200
    for _ in range(state.settings.max_failed_logins):
        _sign_in(state, officer, "guess", ATTACKER)
    assert _sign_in(state, officer, PASSWORD, ATTACKER) == 429  # the guesser's pair is locked
    assert _sign_in(state, officer, PASSWORD, OFFICE, laptop) == 200
    # A guesser spread over many addresses trips the username's own limit ...
    for n in range(state.settings.max_failed_per_username):
        _sign_in(state, officer, "guess", f"192.0.2.{n}")
    # ... but the officer's own laptop still signs in, from the office.
    assert _sign_in(state, officer, PASSWORD, OFFICE, laptop) == 200
    # A new laptop is held back while the username is under attack from elsewhere.
    assert _sign_in(state, officer, PASSWORD, OFFICE) == 429


def test_one_address_spraying_many_usernames_is_throttled(
    state: AppState, sqlite_seeded: tuple[str, SeedResult]
) -> None:
    officer = sqlite_seeded[1].officers[1]
    laptop = str(uuid.uuid4())
    assert _sign_in(state, officer, PASSWORD, ATTACKER, laptop) == 200  # behind the same NAT
    for n in range(state.settings.max_failed_per_source):
        assert _sign_in(state, f"guess-{n}", "Password1", ATTACKER) == 400
    assert _sign_in(state, "guess-next", "Password1", ATTACKER) == 429
    assert _sign_in(state, officer, PASSWORD, ATTACKER) == 429  # a new laptop waits
    assert _sign_in(state, officer, PASSWORD, ATTACKER, laptop) == 200  # an enrolled one not
    assert _sign_in(state, "guess-0", "Password1", OFFICE) == 400  # other addresses go on


def test_an_administrators_reset_lifts_every_lock_on_the_username(
    state: AppState, sqlite_seeded: tuple[str, SeedResult]
) -> None:
    from central.admin import reset_password
    from central.db import transaction

    officer = sqlite_seeded[1].officers[2]
    for n in range(state.settings.max_failed_per_username):
        _sign_in(state, officer, "guess", f"192.0.2.{n}")
    _sign_in(state, officer, "guess", ATTACKER)
    assert _sign_in(state, officer, PASSWORD, OFFICE) == 429
    with transaction(state.engine) as conn:
        reset_password(conn, officer, "a fresh long passphrase", now=utcnow())
    assert _sign_in(state, officer, "a fresh long passphrase", OFFICE) == 200
    assert _sign_in(state, officer, "a fresh long passphrase", ATTACKER) == 200


def _push_view(http: httpx.Client, token: str, laptop: str, crn: str, seq: int) -> httpx.Response:
    """The officer's push of one case view (a real mutation through the whole push path)."""
    mutation = {
        "seq": seq,
        "id": str(uuid.uuid4()),
        "name": "case_viewed",
        "version": 1,
        "args": {"crn": crn, "viewed_at": utcnow().isoformat()},
        "created_at": utcnow().isoformat(),
    }
    body = {"protocol_version": PROTOCOL_VERSION, "client_id": laptop, "mutations": [mutation]}
    return http.post("/v1/sync/push", json=body, headers={"Authorization": f"Bearer {token}"})


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def test_a_wrong_password_flood_never_fails_an_officers_push_or_search(
    sqlite_seeded: tuple[str, SeedResult],
) -> None:
    """Eight threads of anonymous wrong passwords (a bounded loop each) while an officer
    pushes and searches: no 500, no "database is locked", every officer request served.
    The latency is printed (bench/sign_in_flood.py measures it with real Argon2)."""
    url, seed = sqlite_seeded
    settings = replace(make_settings(url), max_failed_per_source=10**6)  # hash every guess
    answers: list[tuple[int, str]] = []
    with serve_app(create_app(settings)) as base:
        live = LiveServer(base, settings, seed)
        laptop = str(uuid.uuid4())
        token = live.token(seed.officers[0], device_id=laptop)
        crn = seed.caseloads[seed.officers[0]][0]
        done = threading.Event()

        def flood(worker: int) -> None:
            with live.client() as http:
                for n in range(60):
                    if done.is_set():
                        return
                    answer = http.post(
                        "/oauth/token",
                        data={
                            "grant_type": "password",
                            "client_id": "fieldcase-desktop",
                            "username": f"nobody-{worker}-{n}",
                            "password": "Password1",
                            "device_id": str(uuid.uuid4()),
                        },
                    )
                    answers.append((answer.status_code, answer.text))

        threads = [threading.Thread(target=flood, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        timings, officer = [], []
        with live.client() as http:
            for seq in range(1, 16):
                started = time.perf_counter()
                officer.append(live.get("/v1/search", token, q="Smith"))
                officer.append(_push_view(http, token, laptop, crn, seq))
                timings.append(time.perf_counter() - started)
        done.set()
        for thread in threads:
            thread.join(timeout=60)
    print(f"officer search+push under flood: p50 {_percentile(timings, 0.5) * 1000:.0f} ms")
    assert all(a.status_code == 200 for a in officer)
    assert answers
    assert {status for status, _text in answers} <= {400, 429, 503}
    assert not any("locked" in text for _status, text in answers)


def test_throttle_keys_survive_a_long_username(state: AppState) -> None:
    long_name = "u" * 500
    for _ in range(state.settings.max_failed_logins):
        assert _sign_in(state, long_name, "x", ATTACKER) == 400
    assert _sign_in(state, long_name, "x", ATTACKER) == 429
    assert timedelta(seconds=state.settings.throttle_seconds).total_seconds() > 0


def test_new_laptop_sign_ins_spend_a_global_budget_then_are_refused_without_hashing(
    sqlite_seeded: tuple[str, SeedResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many addresses, many names: no per-key limit is reached, the global one is."""
    url, seed = sqlite_seeded
    engine = make_engine(url)
    settings = make_settings(url, new_laptop_sign_in_burst=3, new_laptop_sign_ins_per_minute=1)
    state = AppState(settings, engine)
    hashes: list[str] = []
    real_verify = passwords.verify_password

    def counted(password_hash: str, password: str) -> bool:
        hashes.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counted)
    laptop = str(uuid.uuid4())
    try:
        assert _sign_in(state, seed.officers[0], PASSWORD, OFFICE, laptop) == 200  # 1 of 3
        spray = [_sign_in(state, f"nobody-{n}", "guess", f"192.0.2.{n}") for n in range(5)]
        assert spray == [400, 400, 429, 429, 429]
        assert len(hashes) == 3  # the refused ones cost no hash
        assert _sign_in(state, seed.officers[0], PASSWORD, OFFICE, laptop) == 200  # enrolled
    finally:
        engine.dispose()
