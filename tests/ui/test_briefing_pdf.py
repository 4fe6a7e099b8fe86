"""The visit briefing as the officer will print it: a PDF read back with pypdf."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from app.usecases.today import load_briefing
from tests.storage.builders import TODAY
from tests.support.field_day import field_day_context
from ui.briefing_print import MARKING, save_pdf


@pytest.fixture
def briefing(tmp_path, qapp):
    with field_day_context(tmp_path) as ctx:
        yield load_briefing(ctx, TODAY)


def _texts(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def _marking_heights(page) -> list[float]:
    """Where on the page (0 bottom, 1 top) the marking is drawn."""
    found: list[float] = []

    def visit(text, _cm, tm, _font, _size):
        if MARKING in text:
            found.append(tm[5] / float(page.mediabox.height))

    page.extract_text(visitor_text=visit)
    return found


def test_one_page_per_visit_marked_official_sensitive_top_and_bottom(briefing, tmp_path):
    path = tmp_path / "chosen" / "briefing.pdf"
    path.parent.mkdir()
    pages = save_pdf(briefing, path)
    texts = _texts(path)
    assert pages == len(texts) == 2
    for n, (text, page) in enumerate(zip(texts, PdfReader(path).pages, strict=True), start=1):
        heights = _marking_heights(page)
        assert max(heights) > 0.9  # the header
        assert min(heights) < 0.1  # the footer
        assert "Produced by Olive Officer, 20 Nov 2026" in text
        assert f"Page {n} of 2" in text


def test_each_page_carries_what_matters_at_the_door(briefing, tmp_path):
    path = tmp_path / "briefing.pdf"
    save_pdf(briefing, path)
    first, second = _texts(path)
    assert "Noah Patel (X100002)" in first
    assert "Amelia Hughes (X100001)" in second
    for text in (first, second):
        flat = text
        assert "RISK TO STAFF: Threatened staff when drunk" in flat
        assert "High RoSH" in flat
        assert "MAPPA level 2, category 1" in flat
        assert "Dog in the back garden" in flat
        assert "Child (aged 6)" in flat
        assert "Curfew requirement: Electronic monitoring" in flat
        assert "Last three contacts" in flat
        assert "Evidence due by 25 Nov" in flat


def test_the_photo_is_on_the_page(briefing, tmp_path):
    path = tmp_path / "briefing.pdf"
    save_pdf(briefing, path)
    for page in PdfReader(path).pages:
        objects = page["/Resources"]["/XObject"].values()
        images = [o for o in objects if o.get_object()["/Subtype"] == "/Image"]
        assert len(images) == 1  # the person's photo, for recognising them at the door
