"""Help menu and text size, as a new officer looks for them (issue 17, item 8)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from app import settings as settings_store
from app.logging_setup import log_dir


def _menu(window, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def _action(menu, text: str):
    return next(a for a in menu.actions() if a.text() == text)


def test_help_lists_the_keys_and_says_the_version_and_where_logs_are(qtbot, harness):
    h = harness().ready()
    help_menu = _menu(h.window, "&Help")
    _action(help_menu, "&Keyboard shortcuts").trigger()
    box = h.window.findChild(QMessageBox, "keyboard_shortcuts")
    qtbot.waitUntil(box.isVisible)
    assert "Ctrl+N\tRecord a contact" in box.text()
    box.close()
    _action(help_menu, "&About Fieldcase").trigger()
    about = h.window.findChild(QMessageBox, "about_fieldcase")
    qtbot.waitUntil(about.isVisible)
    assert about.text().startswith("Fieldcase ")
    assert str(log_dir()) in about.text()
    about.close()


def test_text_size_grows_the_text_and_is_kept(qtbot, harness, tmp_path):
    app = QApplication.instance()
    before = app.font().pointSizeF()
    h = harness().ready()
    sizes = _action(_menu(h.window, "&View"), "&Text size").menu()
    try:
        _action(sizes, "150%").trigger()
        assert app.font().pointSizeF() == before * 1.5
        assert settings_store.load(tmp_path).text_size_percent == 150
    finally:
        _action(sizes, "100%").trigger()
    assert app.font().pointSizeF() == before
