"""Error answers: a bug is a 500 Problem naming an incident; domain errors map to 4xx."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from central.api import create_app
from central.migrate import migrate
from domain.errors import RuleViolation, ValidationError
from tests.central.conftest import make_settings, serve_app


def _app(tmp_path: Path) -> FastAPI:
    url = f"sqlite:///{tmp_path}/central.db"
    migrate(url)
    app = create_app(make_settings(url))

    @app.get("/test/bug")
    def bug() -> None:
        raise RuntimeError("a bug with a secret detail")

    @app.get("/test/invalid")
    def invalid() -> None:
        raise ValidationError("Notes are limited to 12,000 characters.", field="notes")

    @app.get("/test/rule")
    def rule() -> None:
        raise RuleViolation("A sensitive flag cannot be removed.")

    return app


@pytest.mark.allow_warnings  # the bug is logged at ERROR, as it should be
def test_a_bug_is_a_500_problem_without_internals(tmp_path: Path) -> None:
    with serve_app(_app(tmp_path)) as url, httpx.Client(base_url=url) as http:
        answer = http.get("/test/bug")
    assert answer.status_code == 500
    body = answer.json()
    assert body["code"] == "internal_error"
    assert "incident" in body["message"]
    assert "secret detail" not in answer.text


def test_domain_errors_are_4xx_problems_with_their_message(tmp_path: Path) -> None:
    with serve_app(_app(tmp_path)) as url, httpx.Client(base_url=url) as http:
        invalid, rule = http.get("/test/invalid"), http.get("/test/rule")
    assert (invalid.status_code, invalid.json()["code"]) == (422, "validation_error")
    assert "12,000" in invalid.json()["message"]
    assert (rule.status_code, rule.json()["code"]) == (409, "rule_violation")
