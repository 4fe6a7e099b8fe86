"""Every main screen is usable with a screen reader and the keyboard; every item model
the window uses passes Qt's model tester."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QTabBar,
    QWidget,
)
from pytestqt.modeltest import ModelTester

from tests.app.fakes import FakeBackend, FakeCache, sample_attention
from ui.main_window import ATTENTION, CASELOAD, DIARY, NEEDS_OUTCOME, SEARCH, TODAY


def _qt_internal(widget: QWidget) -> bool:
    """Sub-controls Qt builds inside a control (clear buttons, scrollers, viewports)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QLineEdit, QComboBox, QAbstractItemView, QTabBar, QMenuBar)):
            return True
        parent = parent.parentWidget()
    return False


def _all_screens(qtbot, harness):
    backend = FakeBackend(
        cached=True, synced=True, cache=FakeCache(attention_items=sample_attention())
    )
    h = harness(backend).ready()
    for section in (TODAY, CASELOAD, DIARY, NEEDS_OUTCOME, SEARCH, ATTENTION):
        h.window.show_section(section)
    qtbot.waitUntil(lambda: len(h.window.attention.conflicts) == 1)
    h.window.open_requested.emit("X100001")
    qtbot.waitUntil(lambda: h.window.case_view is not None)
    return h


def _tabs_speak_for_themselves(widget: QWidget) -> bool:
    """A tab bar is read out tab by tab, by each tab's own text."""
    return isinstance(widget, QTabBar) and all(
        widget.tabText(i).strip() for i in range(widget.count())
    )


def _focusable(root: QWidget) -> list[QWidget]:
    return [
        w
        for w in root.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and not _qt_internal(w)
    ]


def test_every_focusable_widget_on_every_screen_has_a_name_or_a_label(qtbot, harness):
    """Sign-in, unlock, the five sections, the attention items and the case view."""
    h = _all_screens(qtbot, harness)
    buddies = {id(label.buddy()) for label in h.window.findChildren(QLabel) if label.buddy()}
    focusable = _focusable(h.window)
    assert len(focusable) > 30  # the screens really are all there
    unnamed = [
        f"{type(w).__name__} '{w.objectName()}' under {type(w.parentWidget()).__name__}"
        for w in focusable
        if not w.accessibleName()
        and id(w) not in buddies
        and not (isinstance(w, QAbstractButton) and w.text().strip("&"))
        and not _tabs_speak_for_themselves(w)
    ]
    assert unnamed == []


def test_tab_reaches_every_control_of_the_search_screen_in_reading_order(qtbot, harness):
    h = _all_screens(qtbot, harness)
    h.window.close_case()
    h.window.show_section(SEARCH)
    search = h.window.search
    search.pin.setEnabled(True)  # normally enabled once a case from elsewhere is chosen
    order, widget = [], search.box
    for _ in range(4):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or _qt_internal(widget):
            widget = widget.nextInFocusChain()
    assert order == [search.box, search.national, search.pin, search.table]


def test_every_item_model_on_screen_passes_the_qt_model_tester(qtbot, request, harness):
    h = _all_screens(qtbot, harness)
    h.window.search.box.setText("a")
    h.window.search.search_here()
    qtbot.waitUntil(lambda: h.window.search.model.rowCount() > 0)
    models = {}
    for view in h.window.findChildren(QAbstractItemView):
        model = view.model()
        while model is not None and not type(model).__module__.startswith("PySide6"):
            models[id(model)] = model  # ours: a table model, or a filter over one
            model = model.sourceModel() if hasattr(model, "sourceModel") else None
    testers = []
    for model in models.values():  # one tester per model: a tester follows one model
        tester = ModelTester(request.config)
        tester.check(model, force_py=True)
        testers.append(tester)
    names = sorted(type(m).__name__ for m in models.values())
    assert names == [
        "AlertsModel", "CaseloadModel", "ContactModel", "DiaryModel", "DiaryModel",
        "DocumentModel", "RowFilterProxy", "RowFilterProxy", "RowFilterProxy", "SearchModel",
        "TeamModel", "TodayModel",
    ]  # fmt: skip
    h.shell.reload_caseload()  # the testers keep checking while the models change
    qtbot.waitUntil(lambda: h.window.caseload.summary.text() == "30 cases")
