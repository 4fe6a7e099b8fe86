"""The read-only tabs of a case: Overview, Sentence, Risk and Personal details."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.rows import CaseDetail, ContactRow, Progress
from ui import format as fmt
from ui.widgets import BadgeLabel, named


def _scrolling(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(content)
    return area


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        named(label, name)
    return label


def progress_bar(item: Progress) -> QProgressBar:
    """Done against ordered, with the numbers in words on the bar itself."""
    bar = QProgressBar()
    scale = 10  # tenths, so half hours show
    bar.setRange(0, max(1, int(item.ordered * scale)))
    bar.setValue(min(bar.maximum(), int(item.done * scale)))
    text = f"{item.done:g} of {item.ordered:g} {item.units} done"
    if item.scheduled:
        text += f", {item.scheduled:g} booked"
    bar.setFormat(text)
    bar.setTextVisible(True)
    named(bar, item.label, text)
    return bar


def _contact_line(row: ContactRow) -> str:
    bits = [fmt.day(row.date), fmt.clock(row.start_time), row.type_text, row.place]
    bits.append(row.outcome_text)
    if row.sensitive:
        bits.append("Sensitive")
    if row.waiting_to_send:
        bits.append("Waiting to send")
    return " · ".join(b for b in bits if b)


def overview_tab(detail: CaseDetail) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    appointment = QGroupBox("Next appointment")
    where = f" · {detail.next_place}" if detail.next_appointment and detail.next_place else ""
    QVBoxLayout(appointment).addWidget(
        _label(fmt.when(detail.next_appointment) + where, "Next appointment")
    )
    compliance = QGroupBox("Compliance")
    lines = QVBoxLayout(compliance)
    for line in detail.compliance or ("Nothing recorded yet",):
        lines.addWidget(_label(line))
    named(compliance, "Compliance", ". ".join(detail.compliance))
    progress = QGroupBox("Progress against the order")
    form = QFormLayout(progress)
    for item in detail.progress:
        form.addRow(item.label, progress_bar(item))
    if not detail.progress:
        form.addRow(_label("No RAR or unpaid work on this order"))
    sentence = QGroupBox("Sentence")
    QVBoxLayout(sentence).addWidget(_label(detail.sentence_summary or "No active sentence"))
    recent = QGroupBox("Last contacts")
    contacts = QVBoxLayout(recent)
    for row in detail.last_contacts:
        contacts.addWidget(_label(_contact_line(row)))
    if not detail.last_contacts:
        contacts.addWidget(_label("No contacts yet"))
    for box in (appointment, compliance, progress, sentence, recent):
        layout.addWidget(box)
    layout.addStretch(1)
    return _scrolling(page)


def sentence_tab(detail: CaseDetail) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    for event in detail.sentences:
        box = QGroupBox(f"Event {event.event_number}: {event.offence}")
        form = QFormLayout(box)
        form.addRow("Sentence", _label(event.sentence))
        form.addRow("Started", _label(fmt.day(event.start_date)))
        form.addRow("Expected end", _label(fmt.day(event.expected_end)))
        for requirement in event.requirements:
            form.addRow("Requirement", _label(requirement))
        for condition in event.licence_conditions:
            form.addRow("Licence condition", _label(condition))
        layout.addWidget(box)
    if not detail.sentences:
        layout.addWidget(_label("No events recorded"))
    layout.addStretch(1)
    return _scrolling(page)


def risk_tab(detail: CaseDetail) -> QWidget:
    page = QWidget()
    form = QFormLayout(page)
    for registration in detail.registrations:
        review = fmt.day(registration.next_review) or "no review date"
        text = f"Registered {fmt.day(registration.registered_on)}; next review {review}"
        if registration.notes:
            text += f"\n{registration.notes}"
        form.addRow(BadgeLabel(registration.badge), _label(text))
    if not detail.registrations:
        form.addRow(_label("No risk flags recorded"))
    return _scrolling(page)


def personal_tab(detail: CaseDetail) -> QWidget:
    page = QWidget()
    form = QFormLayout(page)
    form.addRow("Date of birth", _label(f"{fmt.day(detail.date_of_birth)} (age {detail.age})"))
    for label, value in detail.personal:
        form.addRow(label, _label(value or "Not recorded", label))
    return _scrolling(page)
