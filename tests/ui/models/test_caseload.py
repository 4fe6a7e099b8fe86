from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from tests.app.fakes import caseload_rows
from ui.models import roles
from ui.models.caseload import COLUMNS, NAME, NEXT, RISK, CaseloadModel
from ui.models.proxy import RowFilterProxy
from ui.models.table import BATCH


@pytest.fixture
def model():
    m = CaseloadModel()
    m.set_rows(caseload_rows(1200))
    return m


def test_model_passes_qt_model_tester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)


def test_proxy_passes_qt_model_tester(qtmodeltester, model):
    proxy = RowFilterProxy(model)
    proxy.set_filter_words("hughes")
    qtmodeltester.check(proxy, force_py=True)


def test_rows_arrive_in_batches(model):
    assert model.rowCount() == BATCH
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * BATCH
    model.fetch_all()
    assert model.rowCount() == 1200
    assert not model.canFetchMore()


def test_risk_is_words_and_colour(model):
    index = model.index(0, RISK)
    assert index.data() == "Very High RoSH"
    assert index.data(Qt.ItemDataRole.BackgroundRole).name() == "#b10e1e"
    assert index.data(Qt.ItemDataRole.ForegroundRole).name() == "#ffffff"
    no_risk = model.index(4, RISK)
    assert no_risk.data() == "No RoSH recorded"
    assert no_risk.data(Qt.ItemDataRole.BackgroundRole) is None


def test_filter_finds_rows_beyond_the_first_batch(model):
    proxy = RowFilterProxy(model)
    proxy.set_filter_words("X101150")
    assert proxy.rowCount() == 1
    assert proxy.index(0, 0).data(roles.KEY) == "X101150"


def test_filter_needs_every_word(model):
    proxy = RowFilterProxy(model)
    proxy.set_filter_words("amelia very")
    crns = {proxy.index(r, 0).data(roles.KEY) for r in range(proxy.rowCount())}
    assert crns
    for r in range(proxy.rowCount()):
        assert proxy.index(r, 0).data().startswith("Amelia")
        assert proxy.index(r, RISK).data() == "Very High RoSH"


def test_sort_by_risk_puts_highest_first(model):
    proxy = RowFilterProxy(model)
    proxy.sort(RISK, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, RISK).data() == "Very High RoSH"
    proxy.sort(RISK, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, RISK).data() == "No RoSH recorded"


def test_sort_by_next_appointment_soonest_first(model):
    model.sort(NEXT)
    model.fetch_all()
    times = [model.row_at(r).next_appointment for r in range(model.rowCount())]
    assert times == sorted(times)


def test_sort_by_name_is_by_surname(model):
    model.sort(NAME)
    surnames = [model.row_at(r).name.split()[-1] for r in range(50)]
    assert surnames == sorted(surnames)


def test_ten_thousand_rows_load_filter_and_sort_quickly(model):
    started = time.perf_counter()
    model.set_rows(caseload_rows(10_000))
    proxy = RowFilterProxy(model)
    proxy.set_filter_words("patel")
    proxy.sort(RISK)
    elapsed = time.perf_counter() - started
    assert proxy.rowCount() > 0
    assert len(COLUMNS) == 8
    assert elapsed < 2.0  # a generous guard; bench/ui.py reports the real figure
