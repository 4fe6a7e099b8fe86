"""Structured logs: one JSON object per record, extras kept, console colour dropped."""

from __future__ import annotations

import json
import logging

from central.logs import JsonFormatter


def test_records_become_json_with_their_extras() -> None:
    record = logging.LogRecord(
        "central.api", logging.INFO, __file__, 1, "request %s", ("ok",), None
    )
    record.route = "/v1/search"
    record.status = 200
    record.color_message = "\x1b[1mrequest\x1b[0m"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["msg"] == "request ok"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "central.api"
    assert entry["route"] == "/v1/search"
    assert entry["status"] == 200
    assert "color_message" not in entry
    assert entry["ts"].endswith("+00:00")
