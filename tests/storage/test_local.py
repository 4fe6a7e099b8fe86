from __future__ import annotations

from storage import local
from storage.db import CacheDb


def test_reference_data_round_trips_and_is_replaced(cdb: CacheDb) -> None:
    local.put_reference(cdb, "contact_types", "1", [{"code": "COAP"}])
    local.put_reference(cdb, "contact_types", "2", [{"code": "CTOB"}])
    assert local.get_reference(cdb, "contact_types") == ("2", [{"code": "CTOB"}])
    assert local.get_reference(cdb, "missing") is None


def test_offices_are_replaced_whole(cdb: CacheDb) -> None:
    local.replace_offices(cdb, [{"code": "N07OFF1", "description": "Camden office", "ward": "x"}])
    local.replace_offices(cdb, [{"code": "N07OFF2", "description": "Islington office"}])
    assert local.offices(cdb) == [{"code": "N07OFF2", "description": "Islington office"}]


def test_settings_are_json(cdb: CacheDb) -> None:
    assert local.get_setting(cdb, "columns", []) == []
    local.set_setting(cdb, "columns", ["name", "crn"])
    assert local.get_setting(cdb, "columns") == ["name", "crn"]
