"""Update phone, mobile, email and main address: what officers change on the move.

Each field is checked as the officer leaves it, and again on save, with the same
domain validators the server runs; a message appears under its field and the
typed text stays, so a number can be corrected rather than retyped. "They have
moved" (Alt+M) empties the address for the new one and keeps the old as previous;
without it, the address is corrected in place.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from PySide6.QtWidgets import QCheckBox, QLineEdit

from app.usecases import details as uc
from domain.errors import FieldcaseError, ValidationError
from ui.forms.base import CaseForm, FormInvalid, Use
from ui.forms.booking_preview import toggle_key
from ui.forms.slot import add

CONTACT_FIELDS = (("phone", "Phone"), ("mobile", "Mobile"), ("email", "Email"))
ADDRESS_FIELDS = (
    ("building_name", "Building name"),
    ("address_number", "Number"),
    ("street_name", "Street"),
    ("district", "District"),
    ("town", "Town or city"),
    ("county", "County"),
    ("postcode", "Postcode"),
)
CHECKED_ON_LEAVING = ("phone", "mobile", "email", "postcode")


class DetailsForm(CaseForm):
    kind: ClassVar[str] = "details"
    title: ClassVar[str] = "Update contact details and address"
    noun: ClassVar[str] = "change of details"

    def build(self) -> None:
        self.before: uc.PersonalDetails | None = None
        self.edits: dict[str, QLineEdit] = {}
        for name, label in CONTACT_FIELDS:
            self.edits[name] = add(self, name, label, QLineEdit())
        self.edits["phone"].setPlaceholderText("e.g. 0161 496 0000")
        self.edits["mobile"].setPlaceholderText("e.g. 07700 900123")
        self.moved = add(
            self, "moved", "Address", QCheckBox("They have moved: a new main address (Alt+M)")
        )
        self.no_fixed_abode = add(self, "no_fixed_abode", "", QCheckBox("No fixed abode (Alt+N)"))
        for name, label in ADDRESS_FIELDS:
            self.edits[name] = add(self, name, label, QLineEdit())
        toggle_key(self, "Alt+M", self.moved)
        toggle_key(self, "Alt+N", self.no_fixed_abode)
        self.moved.toggled.connect(self._on_moved_toggled)
        self.no_fixed_abode.toggled.connect(self._on_no_fixed_abode_toggled)
        for name in CHECKED_ON_LEAVING:
            self.edits[name].editingFinished.connect(partial(self._check_one, name))

    def load(self) -> None:
        self.runner.query(
            partial(uc.load_details, crn=self.crn), self._on_loaded, on_error=self._on_failed
        )

    def _on_loaded(self, before: uc.PersonalDetails) -> None:
        self.before = before
        self._fill(before.details)
        self._dirty = False
        self.loaded()

    def _on_failed(self, error: FieldcaseError) -> None:
        self.save_button.setEnabled(False)
        self.banner.show_error(error)
        self.loaded()

    def _fill(self, details: uc.ContactDetails) -> None:
        for name, _label in CONTACT_FIELDS:
            self.edits[name].setText(getattr(details, name))
        self._fill_address(details.address)

    def _fill_address(self, address: uc.AddressFields) -> None:
        for name, _label in ADDRESS_FIELDS:
            self.edits[name].setText(getattr(address, name))
        self.no_fixed_abode.setChecked(address.no_fixed_abode)

    def _on_moved_toggled(self, moved: bool) -> None:
        if self.before is None:
            return
        self._fill_address(uc.AddressFields() if moved else self.before.details.address)
        if moved:
            self.edits["building_name"].setFocus()

    def _on_no_fixed_abode_toggled(self, nfa: bool) -> None:
        for name, _label in ADDRESS_FIELDS:
            self.edits[name].setEnabled(not nfa)

    def details(self) -> uc.ContactDetails:
        """What is typed (untrimmed: the use case cleans it)."""
        address = uc.AddressFields(
            **{name: self.edits[name].text() for name, _label in ADDRESS_FIELDS},
            no_fixed_abode=self.no_fixed_abode.isChecked(),
        )
        if address.no_fixed_abode:
            address = uc.AddressFields(no_fixed_abode=True)
        texts = {name: self.edits[name].text() for name, _label in CONTACT_FIELDS}
        return uc.ContactDetails(**texts, address=address, moved=self.moved.isChecked())

    def _check_one(self, name: str) -> None:
        """Check a field as the officer leaves it; the message stays until they retype."""
        if self.before is None or self._finished:
            return
        message = uc.check_details(self.details()).get(name)
        if message is not None and not self.error_text(name):
            item = self.fields[name]  # shown without moving focus: Tab never gets trapped
            item.error.setText(message)
            item.error.show()
            item.widget.setAccessibleDescription(message)

    def build_save(self) -> Use:
        if self.before is None:
            raise ValidationError("Still reading the case; try again in a moment.")
        after = self.details()
        errors = uc.check_details(after)
        if errors:
            raise FormInvalid([ValidationError(m, field=f) for f, m in errors.items()])
        return partial(uc.update_details, before=self.before, after=after)

    def show_errors(self, errors: Any) -> None:
        expanded: list[Any] = []
        for error in errors:
            found = getattr(error, "errors", None)
            if isinstance(found, dict):
                expanded += [ValidationError(m, field=f) for f, m in found.items()]
            else:
                expanded.append(error)
        super().show_errors(expanded)

    def saved_message(self, result: Any) -> str:
        return "Contact details updated." if result else "Nothing had changed."
