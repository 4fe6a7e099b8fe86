from __future__ import annotations

import datetime as dt

from app.rows import SearchHit
from tests.app.fakes import FakeCache
from ui.models.diary import DiaryModel, SearchModel


def test_diary_model_passes_qt_model_tester(qtmodeltester):
    model = DiaryModel()
    model.set_rows(FakeCache().diary(dt.date(2026, 11, 16), dt.date(2026, 11, 22)))
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 6).data() == "Needs an outcome"


def test_search_model_passes_qt_model_tester(qtmodeltester):
    model = SearchModel()
    model.set_rows([SearchHit("X100001", "Ava Lewis", dt.date(1990, 1, 2), "Licence", False)])
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 4).data() == "National search"
