"""Patching the caseload model with the rows of a few changed cases: in place, sorted,
with the selection kept, and every signal a proper one (qtmodeltester watches them all)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from tests.app.fakes import caseload_rows
from ui.models import roles
from ui.models.caseload import LAST, NAME, CaseloadModel
from ui.models.proxy import RowFilterProxy
from ui.models.table import BATCH

TODAY = dt.date(2026, 11, 20)


class Signals:
    def __init__(self, model: CaseloadModel) -> None:
        self.seen: list[tuple[str, int, int]] = []
        model.dataChanged.connect(lambda a, b, *_: self.seen.append(("changed", a.row(), b.row())))
        model.rowsInserted.connect(lambda _p, a, b: self.seen.append(("inserted", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.seen.append(("removed", a, b)))
        model.layoutChanged.connect(lambda *_: self.seen.append(("layout", -1, -1)))
        model.modelReset.connect(lambda: self.seen.append(("reset", -1, -1)))


@pytest.fixture
def sorted_model():
    m = CaseloadModel()
    m.set_rows(caseload_rows(1200))
    m.sort(NAME)
    return m


@pytest.fixture
def model(sorted_model, qtmodeltester):
    """Checked by the model tester, which stays connected and checks every signal of the
    patches that follow (one tester a test: tests of the proxy check the proxy instead)."""
    qtmodeltester.check(sorted_model, force_py=True)
    return sorted_model


def crns(model: CaseloadModel) -> list[str]:
    return [r.crn for r in model.rows()]


def names_sorted(model: CaseloadModel) -> bool:
    keys = [model.columns[NAME].sort_key(r) for r in model.rows()]  # type: ignore[misc]
    return keys == sorted(keys)


def test_a_changed_row_is_swapped_in_place_and_nothing_else_moves(model):
    signals = Signals(model)
    before = crns(model)
    row = model.row_at(3)
    changed = dataclasses.replace(row, last_contact=TODAY, compliance="Breach")
    model.patch_rows([changed], ())
    assert crns(model) == before
    assert model.row_at(3) == changed
    assert model.index(3, LAST).data().startswith("20 Nov 2026")
    assert signals.seen == [("changed", 3, 3)]


def test_an_unchanged_row_sends_no_signal(model):
    signals = Signals(model)
    model.patch_rows([model.row_at(10)], ())
    assert signals.seen == []


def test_the_selected_row_moves_with_its_case(qtmodeltester, sorted_model):
    model = sorted_model
    model.fetch_all()
    proxy = RowFilterProxy(model)
    qtmodeltester.check(proxy, force_py=True)
    selection = QItemSelectionModel(proxy)
    row = model.row_at(2)
    selection.setCurrentIndex(
        proxy.index(2, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    signals = Signals(model)
    model.patch_rows([dataclasses.replace(row, name="Zed Zzyzx")], ())
    assert names_sorted(model)
    assert crns(model)[-1] == row.crn
    assert selection.currentIndex().data(roles.KEY) == row.crn
    assert selection.currentIndex().row() == 1199
    assert signals.seen == [("layout", -1, -1)]  # one layout change, no reset


def test_moves_keep_the_selected_case_selected(qtmodeltester, sorted_model):
    model = sorted_model
    model.fetch_all()
    proxy = RowFilterProxy(model)
    qtmodeltester.check(proxy, force_py=True)
    selection = QItemSelectionModel(proxy)
    target = model.row_at(700)
    selection.setCurrentIndex(
        proxy.index(700, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    mover = model.row_at(5)
    model.patch_rows([dataclasses.replace(mover, name="Zed Zzyzx")], ())
    assert names_sorted(model)
    assert selection.currentIndex().data(roles.KEY) == target.crn
    assert selection.currentIndex().row() == 699  # one row above it left
    assert crns(model)[-1] == mover.crn


def test_a_new_case_is_inserted_where_the_sort_puts_it(model):
    model.fetch_all()
    signals = Signals(model)
    new = dataclasses.replace(model.row_at(0), crn="N000001", name="Aaron Aardvark")
    model.patch_rows([new], ())
    assert crns(model)[0] == "N000001"
    assert model.rowCount() == 1201
    assert names_sorted(model)
    assert signals.seen == [("inserted", 0, 0)]


def test_a_new_case_beyond_the_revealed_rows_waits_to_be_fetched(sorted_model):
    model = sorted_model  # unchecked: the model tester would reveal every row
    signals = Signals(model)
    last = model.row_at(len(model.rows()) - 1)
    new = dataclasses.replace(last, crn="N000002", name=f"{last.name}z")
    model.patch_rows([new], ())
    assert model.rowCount() == BATCH
    assert signals.seen == []
    model.fetch_all()
    assert "N000002" in crns(model)
    assert names_sorted(model)


def test_a_case_that_left_is_removed(sorted_model):
    model = sorted_model  # unchecked: the model tester would reveal every row
    signals = Signals(model)
    gone = model.row_at(4).crn
    hidden = model.row_at(BATCH + 10).crn
    model.patch_rows([], {gone, hidden, "NOT-HELD"})
    assert gone not in crns(model)
    assert hidden not in crns(model)
    assert len(model.rows()) == 1198
    assert signals.seen == [("removed", 4, 4)]


def test_a_filtered_view_follows_patches(qtmodeltester, sorted_model):
    model = sorted_model
    proxy = RowFilterProxy(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_filter_words("X100004")
    assert proxy.rowCount() == 1
    model.patch_rows([dataclasses.replace(model.row_at(0), crn="X100004x", name="Al X100004")])
    assert proxy.rowCount() == 2
    model.patch_rows([], {"X100004"})
    assert proxy.rowCount() == 1
    assert proxy.index(0, 0).data(roles.KEY) == "X100004x"


def test_descending_order_is_kept(model):
    model.fetch_all()
    model.sort(NAME, Qt.SortOrder.DescendingOrder)
    new = dataclasses.replace(model.row_at(0), crn="N000003", name="Aaron Aardvark")
    moved = dataclasses.replace(model.row_at(1), name="Zed Zzyzx")
    model.patch_rows([new, moved], {model.row_at(2).crn})
    keys = [model.columns[NAME].sort_key(r) for r in model.rows()]  # type: ignore[misc]
    assert keys == sorted(keys, reverse=True)
    assert crns(model)[0] == moved.crn
    assert crns(model)[-1] == "N000003"
