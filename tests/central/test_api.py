"""The app factory over real HTTP: health, metrics, protocol header, Problem errors."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from central.api import create_app
from central.config import CLIENT_ID
from sync.protocol import PROTOCOL_VERSION
from tests.central.conftest import LiveServer, make_settings

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_healthz_reports_protocol_and_echoes_header(server: LiveServer) -> None:
    with server.client() as http:
        answer = http.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "protocol_version": PROTOCOL_VERSION}
    assert answer.headers["X-Fieldcase-Protocol"] == str(PROTOCOL_VERSION)


def test_metrics_count_requests_by_route_template_without_query_text(
    sqlite_server: LiveServer,
) -> None:
    from central.metrics import start_admin_listener
    from tests.support.postgres import free_port

    token = sqlite_server.token(sqlite_server.seed.officers[0])  # type: ignore[union-attr]
    sqlite_server.get("/v1/search", token, q="Zebediah")
    port = free_port()
    stop = start_admin_listener(port)
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    finally:
        stop()
    assert 'route="/v1/search"' in text
    assert "fieldcase_http_request_duration_seconds" in text
    assert "Zebediah" not in text


def test_metrics_and_interactive_docs_are_not_on_the_public_port(
    sqlite_server: LiveServer,
) -> None:
    with sqlite_server.client() as http:
        for path in ("/metrics", "/docs", "/redoc"):
            assert http.get(path).status_code == 404, path
        assert http.get("/openapi.json").json()["paths"]  # the published contract stays


def test_a_deployment_may_turn_the_interactive_docs_on(tmp_path: Path) -> None:
    app = create_app(make_settings(f"sqlite:///{tmp_path}/x.db", api_docs=True))
    paths = {getattr(route, "path", None) for route in app.routes}
    assert {"/docs", "/redoc"} <= paths


def test_large_answers_are_gzipped_for_clients_that_ask(sqlite_server: LiveServer) -> None:
    with sqlite_server.client() as http:
        plain = http.get("/openapi.json", headers={"Accept-Encoding": "identity"})
        packed = http.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
        small = http.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.json() == plain.json()
    assert packed.num_bytes_downloaded * 4 < plain.num_bytes_downloaded
    assert packed.headers["X-Fieldcase-Protocol"] == str(PROTOCOL_VERSION)
    assert "content-encoding" not in small.headers  # not worth it under 1 KiB


def test_unknown_path_is_a_problem(sqlite_server: LiveServer) -> None:
    with sqlite_server.client() as http:
        answer = http.get("/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    assert answer.json()["message"]


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"\xff\xfe not a form", {"Content-Type": "application/x-www-form-urlencoded"}),
        (b"{not json", {"Content-Type": "application/json"}),
        (b"grant_type=password&client_id=" + CLIENT_ID.encode(), {}),
        pytest.param(
            b"--x\r\nbroken multipart",
            {"Content-Type": "multipart/form-data; boundary=x"},
            marks=pytest.mark.allow_warnings,  # python-multipart warns about the bad header
        ),
    ],
)
def test_malformed_token_requests_get_4xx_problems(
    sqlite_server: LiveServer, content: bytes, headers: dict[str, str]
) -> None:
    with sqlite_server.client() as http:
        answer = http.post("/oauth/token", content=content, headers=headers)
    assert 400 <= answer.status_code < 500, answer.text
    body = answer.json()
    assert body["code"]
    assert body["message"]


def test_wrong_types_in_query_are_422_problems(sqlite_server: LiveServer) -> None:
    token = sqlite_server.token(sqlite_server.seed.officers[0])  # type: ignore[union-attr]
    answer = sqlite_server.get("/v1/search", token, q="smith", limit="many")
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_request"
    assert "limit" in answer.json()["message"]


def test_committed_openapi_document_is_current(tmp_path: Path) -> None:
    """Regenerate with: python -m central.openapi > docs/openapi.json"""
    app = create_app(make_settings(f"sqlite:///{tmp_path}/x.db"))
    current = json.loads(json.dumps(app.openapi()))
    assert OPENAPI.exists(), "docs/openapi.json is missing: python -m central.openapi"
    assert json.loads(OPENAPI.read_text("utf-8")) == current, (
        "docs/openapi.json is stale: regenerate it with python -m central.openapi"
    )


@pytest.mark.postgres
@pytest.mark.allow_warnings  # the failed health check is logged as an error
def test_healthz_is_503_when_the_database_is_gone(
    postgres_url: str, postgres_admin_url: str
) -> None:
    import sqlalchemy

    from central.migrate import migrate
    from tests.central.conftest import run_server

    migrate(postgres_url)
    with run_server(make_settings(postgres_url)) as live:
        engine = sqlalchemy.create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            name = postgres_url.rsplit("/", 1)[1]
            conn.execute(sqlalchemy.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        engine.dispose()
        with live.client() as http:
            answer = http.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["code"] == "database_unavailable"
