"""The Documents tab over the real cache: attach, refuse in plain words, open, keep."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from app.document_files import opened_copies
from central.seed.document_files import make_pdf, make_png
from tests.ui.forms.conftest import World, make_world
from ui.case_view import TABS, CaseView
from ui.models.documents import DocumentModel


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path)


@pytest.fixture
def view(qtbot, world: World) -> Iterator[CaseView]:
    runner = world.runner()
    detail = runner.ctx.cache().case_detail("X100001", today=runner.ctx.today())
    shown = CaseView(runner, detail)
    window = QWidget()
    QVBoxLayout(window).addWidget(shown)
    qtbot.addWidget(window)
    window.show()
    shown.tabs.setCurrentIndex(TABS.index("Documents"))
    yield shown
    for viewer in shown.documents.viewers:
        viewer.close()
    window.close()
    opened_copies().clear()


def _files(tmp_path: Path, **named: bytes) -> list[Path]:
    paths = []
    for name, content in named.items():
        path = tmp_path / name.replace("_", ".")
        path.write_bytes(content)
        paths.append(path)
    return paths


def test_attached_files_are_listed_and_an_image_opens_in_the_app(qtbot, view, tmp_path):
    panel = view.documents
    panel.attach_files(_files(tmp_path, letter_pdf=make_pdf(["GP letter"]), photo_png=make_png()))
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 2)
    assert "2 documents attached" in panel.said.text()
    names = {panel.model.index(r, 1).data() for r in range(2)}
    assert names == {"letter.pdf", "photo.png"}
    assert {panel.model.index(r, 5).data() for r in range(2)} == {"On this laptop, waiting to send"}
    row = next(r for r in range(2) if panel.model.index(r, 1).data() == "photo.png")
    panel.table.setCurrentIndex(panel.model.index(row, 0))
    panel.open_selected()
    qtbot.waitUntil(lambda: bool(panel.viewers))
    assert isinstance(panel.viewers[0], QDialog)
    assert panel.viewers[0].windowTitle() == "photo.png"


def test_a_refused_file_is_named_and_nothing_is_attached(qtbot, view, world, tmp_path):
    panel = view.documents
    panel.attach_files(_files(tmp_path, notes_pdf=b"MZ\x90\x00not a pdf", ok_png=make_png()))
    qtbot.waitUntil(panel.error.isVisible)
    assert "'notes.pdf' is not a PDF, Word (DOC or DOCX), JPEG or PNG file" in (
        panel.error.message.text()
    )
    assert world.writer.one("SELECT count(*) FROM document_blob") == 0
    assert world.writer.one("SELECT count(*) FROM outbox") == 0


def test_keeping_a_document_on_the_laptop(qtbot, view, tmp_path):
    panel = view.documents
    panel.attach_files(_files(tmp_path, scan_pdf=make_pdf(["Scan"])))
    qtbot.waitUntil(lambda: len(panel.model.rows()) == 1)
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    panel.toggle_pin()
    qtbot.waitUntil(lambda: panel.model.rows()[0].pinned)
    assert panel.model.index(0, 5).data() == "On this laptop, kept here, waiting to send"


def test_the_document_model(qtmodeltester):
    model = DocumentModel()
    qtmodeltester.check(model)
