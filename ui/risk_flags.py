"""Risk flags in the case header that open their detail: level, notes, review date.

On the field day the flags looked like buttons but did nothing. Each is now a button
(Tab reaches it, Enter or a click opens it) that shows what an officer reads before a
visit, from the registration itself, without leaving the case.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from app.rows import CaseDetail, RegistrationRow, RiskBadge
from ui import format as fmt
from ui.theme import badge_style

PROMINENT = {"staff", "rosh", "mappa"}


def flag_detail(badge: RiskBadge, registration: RegistrationRow | None) -> str:
    """The flag in words: what, review date, when registered, and its notes."""
    lines = [f"{badge.text} ({badge.colour})"]
    if registration is None:
        review = fmt.day(badge.review_due) if badge.review_due else "no review date"
        return "\n".join([*lines, f"Next review: {review}"])
    review = fmt.day(registration.next_review) if registration.next_review else "no review date"
    lines += [f"Registered {fmt.day(registration.registered_on)}", f"Next review: {review}"]
    lines.append(f"\nNotes:\n{registration.notes}" if registration.notes else "\nNo notes.")
    return "\n".join(lines)


class FlagButton(QPushButton):
    """One risk flag: its words on its colour; opens its detail."""

    def __init__(self, badge: RiskBadge, registration: RegistrationRow | None) -> None:
        super().__init__(badge.text)
        size = "font-size:15pt;" if badge.group in PROMINENT else ""
        self.setStyleSheet(badge_style(badge.colour) + size)
        self.setAccessibleName(f"Risk flag: {badge.text} ({badge.colour})")
        self.setToolTip(f"{badge.text} — {badge.colour}. Open for level, notes, review date.")
        self.detail = flag_detail(badge, registration)
        self.setAccessibleDescription(self.detail)
        self.clicked.connect(self.show_detail)
        self.box: QMessageBox | None = None

    def show_detail(self) -> None:
        self.box = QMessageBox(QMessageBox.Icon.Information, "Risk flag", self.detail, parent=self)
        self.box.setObjectName("risk_flag_detail")
        self.box.open()


def flag_buttons(detail: CaseDetail) -> list[QWidget]:
    """A button per header flag, each with its registration where the case has it."""
    by_badge = {r.badge: r for r in detail.registrations}
    return [FlagButton(b, by_badge.get(b)) for b in detail.badges]
