"""EA02 in the outcome form: the save logs the letter, Enter in the preview makes the PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
from PySide6.QtCore import Qt

from domain.letters.kit import LetterKit, OfficeDetails
from storage.letters import save_kit
from tests.ui.forms.test_outcome_form import _open
from ui import letter_preview
from ui.forms.outcome_form import OutcomeForm

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def _pdf_text(path: Path) -> str:
    pages = pypdf.PdfReader(path).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _open_form(qtbot, world, contact_id):
    return _open(qtbot, OutcomeForm(world.runner(), "X100001", contact_id, person="Amelia Hughes"))


def test_a_first_warning_is_one_extra_key_to_its_pdf(qtbot, world, tmp_path):
    office = OfficeDetails(
        code="N07OFF1", description="Camden Probation Office", phone="020 7946 0000"
    )
    save_kit(world.writer, LetterKit(offices=(office,)), "1")
    missed = world.appointment(2)
    form = _open_form(qtbot, world, missed.id)
    qtbot.keyClicks(form.outcome, "uaab")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.enforcement, "ea02")
    qtbot.waitUntil(lambda: form.letter.offered)
    assert form.letter.box.isChecked()
    assert form.letter.box.text() == "Produce the first warning letter"
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.enforcement, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(letter_preview._open))
    preview = letter_preview._open[-1]
    qtbot.addWidget(preview)
    qtbot.waitUntil(preview.pdf_button.isEnabled)
    opened: list[Path] = []
    preview.open_file = lambda path: opened.append(path) or True
    qtbot.waitUntil(preview.isActiveWindow)
    qtbot.keyClick(preview.pdf_button, Qt.Key.Key_Return)  # the one extra key
    qtbot.waitUntil(lambda: len(world.read("SELECT 1 FROM outbox")) == 2)
    [pdf] = opened
    text = _pdf_text(pdf)
    assert "OFFICIAL-SENSITIVE" in text
    assert "First warning" in text
    assert "Wednesday 18 November 2026" in text
    assert "Camden Probation Office" in text
    assert "by Friday 27 November 2026" in text
    # the mutation, the contact log and the enforcement state agree with the PDF
    rows = world.read("SELECT name, args FROM outbox ORDER BY seq")
    assert [r["name"] for r in rows] == ["record_outcome", "letter_produced"]
    sent = json.loads(rows[0]["args"])
    assert sent["letter"]["facts"]["respond_by"] == "2026-11-27"
    contacts = [json.loads(r["data"]) for r in world.read("SELECT data FROM contact")]
    [outcome] = [c for c in contacts if c["id"] == str(missed.id)]
    [logged] = [c for c in contacts if c.get("letter")]
    assert outcome["enforcement_response_by"] == "2026-11-27"
    assert (logged["type_code"], logged["letter"]) == ("AWLI", sent["letter"])
    SCREENSHOTS.mkdir(exist_ok=True)
    preview.grab().save(str(SCREENSHOTS / "letter-preview.png"))
    editable = tmp_path / "letter.odt"
    preview.save_editable(editable)
    assert editable.stat().st_size > 1000
    preview.close()


def test_no_letter_is_offered_for_actions_that_send_none(qtbot, world):
    missed = world.appointment(2)
    form = _open_form(qtbot, world, missed.id)
    qtbot.keyClicks(form.outcome, "uaab")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.enforcement, "rom")
    qtbot.waitUntil(lambda: form.enforcement.code() == "ROM")
    assert not form.letter.offered
    assert not form.letter.box.isVisibleTo(form)


def test_ctrl_p_on_the_letter_contact_reprints_the_same_letter(qtbot, world):
    from app.usecases.letters import record_outcome_with_letter, sections
    from app.usecases.outcomes import outcome_target
    from domain.mutations import RecordOutcome
    from ui.contact_log import ContactLogPanel

    missed = world.appointment(2)
    runner = world.runner()
    version = outcome_target(runner.ctx, missed.id).version
    saved = record_outcome_with_letter(
        runner.ctx,
        RecordOutcome(
            contact_id=missed.id, outcome_code="UAAB", enforcement_code="EA02", base_version=version
        ),
    )
    panel = ContactLogPanel(runner, "X100001")
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.row_of_key(str(saved.contact_id)) is not None)
    panel.table.setCurrentIndex(panel.model.index(panel.model.row_of_key(str(saved.contact_id)), 0))
    panel.table.setFocus()
    before = len(letter_preview._open)
    qtbot.keyClick(panel.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(letter_preview._open) > before)
    preview = letter_preview._open[-1]
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: bool(preview.sections))
    assert preview.sections == sections(runner.ctx, saved.letter)
    opened: list[Path] = []
    preview.open_file = lambda path: opened.append(path) or True
    preview.on_pdf_clicked()
    qtbot.waitUntil(lambda: len(world.read("SELECT 1 FROM outbox")) == 2)
    [row] = world.read("SELECT args FROM outbox WHERE name = 'letter_produced'")
    assert json.loads(row["args"])["output"] == "reprint"
    preview.close()


def test_a_correction_offers_no_letter(qtbot, world):
    from ui.forms.outcome_form import CorrectOutcomeForm

    missed = world.appointment(2, outcome="AFTA")
    form = _open(qtbot, CorrectOutcomeForm(world.runner(), "X100001", missed.id))
    qtbot.keyClicks(form.outcome, "uaab")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.enforcement, "ea02")
    qtbot.waitUntil(lambda: form.enforcement.code() == "EA02")
    assert not form.letter.offered
    assert not form.letter.box.isVisibleTo(form)


def test_a_person_supervised_in_wales_gets_welsh_then_english(qtbot, world):
    from app.usecases.letters import record_outcome_with_letter
    from app.usecases.outcomes import outcome_target
    from domain.mutations import RecordOutcome
    from tests.storage.builders import OFFICER

    office = OfficeDetails(code="N07OFF1", description="Swyddfa Prawf Caerdydd / Cardiff")
    kit = LetterKit(offices=(office,), welsh_teams=(OFFICER.team_code or "",))
    save_kit(world.writer, kit, "1")
    missed = world.appointment(2)
    runner = world.runner()
    version = outcome_target(runner.ctx, missed.id).version
    args = RecordOutcome(
        contact_id=missed.id, outcome_code="UAAB", enforcement_code="EA02", base_version=version
    )
    saved = record_outcome_with_letter(runner.ctx, args)
    preview = letter_preview.show_letter_preview(runner, saved)
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: bool(preview.sections))
    text = preview.page.toPlainText()
    assert text.index("Rhybudd cyntaf") < text.index("First warning")
    assert "Dydd Gwener 27 Tachwedd 2026" in text
    SCREENSHOTS.mkdir(exist_ok=True)
    preview.grab().save(str(SCREENSHOTS / "letter-preview-welsh.png"))
    preview.close()
