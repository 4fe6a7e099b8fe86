"""The View menu's "Calendar entries show initials": off by default, kept in the settings."""

from __future__ import annotations

from app import settings as settings_store
from app.settings import Settings
from tests.ui.test_window_state import _open
from ui import calendar_actions


def test_initials_are_off_by_default_and_the_choice_is_kept(qtbot, tmp_path):
    shell, window = _open(qtbot, tmp_path)
    try:
        assert not window.initials_action.isChecked()
        assert not calendar_actions.options.initials
        window.initials_action.setChecked(True)
        assert calendar_actions.options.initials
        assert settings_store.load(tmp_path).calendar_initials
    finally:
        shell.shutdown()
        calendar_actions.set_initials(False)


def test_a_kept_choice_comes_back(qtbot, tmp_path):
    settings_store.save(tmp_path, Settings(calendar_initials=True))
    shell, window = _open(qtbot, tmp_path)
    try:
        assert window.initials_action.isChecked()
        assert calendar_actions.options.initials
    finally:
        shell.shutdown()
        calendar_actions.set_initials(False)
