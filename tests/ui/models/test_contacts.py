from __future__ import annotations

from tests.app.fakes import contacts_for
from ui.models.contacts import ContactModel


def test_contact_model_passes_qt_model_tester(qtmodeltester):
    model = ContactModel()
    model.set_rows(contacts_for("X100001", 50))
    qtmodeltester.check(model, force_py=True)


def test_sensitive_and_waiting_to_send_are_marked_in_words():
    model = ContactModel()
    model.set_rows(contacts_for("X100001", 20))
    assert model.index(0, 4).data() == "Sensitive, Waiting to send"
    assert model.index(1, 4).data() == ""
    assert model.index(10, 4).data() == "Sensitive"
