from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenuBar,
    QTabBar,
    QWidget,
)

from ui.main_window import (
    ATTENTION,
    CASELOAD,
    DIARY,
    NEEDS_OUTCOME,
    SEARCH,
    TODAY,
    MainWindow,
)
from ui.theme import apply_high_contrast


def test_window_is_titled_fieldcase(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.windowTitle() == "Fieldcase"


def test_demo_says_plainly_it_is_synthetic(qtbot):
    window = MainWindow(demo=True)
    qtbot.addWidget(window)
    assert "synthetic" in window.windowTitle()
    notice = window.findChild(QWidget, "demo_notice")
    assert "invented" in notice.text()


def test_ctrl_numbers_switch_sections_and_ctrl_k_searches(qtbot, harness):
    h = harness().ready()
    window = h.window
    window.activateWindow()
    sections = (TODAY, CASELOAD, DIARY, NEEDS_OUTCOME, SEARCH, ATTENTION)
    for number, section in enumerate(sections):  # Today is first: Ctrl+0
        qtbot.keyClick(
            window, Qt.Key(Qt.Key.Key_0.value + number), Qt.KeyboardModifier.ControlModifier
        )
        assert window.pages.currentIndex() == section
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    for key in (Qt.Key.Key_K, Qt.Key.Key_F):
        window.show_section(CASELOAD)
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.pages.currentIndex() == SEARCH


def test_diary_and_needs_an_outcome_load_when_shown(qtbot, harness):
    h = harness().ready()
    h.window.show_section(DIARY)
    qtbot.waitUntil(lambda: h.window.diary.model.rowCount() == 12)
    h.window.diary.toggle_week()
    assert h.window.diary.when.text().startswith("Week of")
    h.window.show_section(NEEDS_OUTCOME)
    qtbot.waitUntil(lambda: h.window.needs_outcome.model.rowCount() == 4)
    assert "oldest first" in h.window.needs_outcome.summary.text()


def test_search_finds_cases_here_and_says_plainly_national_is_unavailable(qtbot, harness):
    h = harness().ready()
    h.window.show_section(SEARCH)
    search = h.window.search
    qtbot.keyClicks(search.box, "hughes")
    qtbot.waitUntil(lambda: search.model.rowCount() > 0)
    assert "found on this laptop (Enter searches nationally too)" in search.summary.text()
    qtbot.mouseClick(search.national, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not available" in search.note.text())
    assert not search.banner.isVisible()


def _qt_internal(widget) -> bool:
    """Sub-controls Qt builds inside a control (clear buttons, corner buttons, tab scrollers)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QLineEdit, QComboBox, QAbstractItemView, QTabBar, QMenuBar)):
            return True
        parent = parent.parentWidget()
    return False


def test_every_control_has_an_accessible_name(qtbot, harness):
    h = harness().ready()
    h.window.open_requested.emit("X100001")
    qtbot.waitUntil(lambda: h.window.case_view is not None)
    unnamed = []
    for kind in (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView):
        for widget in h.window.findChildren(kind):
            if _qt_internal(widget):
                continue
            text = widget.text() if isinstance(widget, QAbstractButton) else ""
            if not (widget.accessibleName() or text):
                unnamed.append(f"{type(widget).__name__} under {type(widget.parent()).__name__}")
    assert unnamed == []


def test_high_contrast_palette_applies(qtbot):
    app = QApplication.instance()
    before = app.palette()
    try:
        apply_high_contrast(app, True)
        assert app.palette().window().color().name() == "#000000"
        assert app.palette().text().color().name() == "#ffffff"
    finally:
        app.setPalette(before)
