"""`fieldcase --demo`: a seeded central on loopback, reused while it runs."""

from __future__ import annotations

import importlib

import keyring
import pytest
import requests

from app import demo
from app.launch import prepare_demo
from app.main import UI_ENTRY, parse_args


@pytest.mark.e2e
def test_demo_server_is_seeded_once_and_reused(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "demo_folder", lambda: tmp_path)
    try:
        first = demo.start_demo_server(tmp_path)
        assert requests.get(f"{first.url}/healthz", timeout=5).ok
        assert first.officers
        again = demo.start_demo_server(tmp_path)
        assert (again.url, again.pid) == (first.url, first.pid)
        launch = prepare_demo()
        assert launch.demo
        assert launch.auto_sign_in == (first.url, first.officers[0], demo.DEMO_PASSWORD)
        assert isinstance(keyring.get_keyring(), demo.DemoKeyring)
        assert launch.profile.exists()
    finally:
        demo.stop_demo_server(tmp_path)


def test_demo_keyring_forgets_with_the_process():
    store = demo.DemoKeyring()
    store.set_password("Fieldcase", "profile", "wrapped")
    assert store.get_password("Fieldcase", "profile") == "wrapped"
    store.delete_password("Fieldcase", "profile")
    assert store.get_password("Fieldcase", "profile") is None


def test_entry_point_options_and_ui_entry():
    args = parse_args(["--demo", "--profile", "/tmp/p"])
    assert args.demo
    assert args.profile == "/tmp/p"
    assert callable(importlib.import_module(UI_ENTRY).run)
