"""Needs your attention: conflicts (choose per field), rejections (copy, retry, discard), errors.

Nothing is resolved silently: every conflict needs the officer's explicit choice,
and a rejected change is only discarded after a second, confirming click.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.rows import Attention, ConflictRow, DraftItem, RejectionRow
from app.tasks import TaskRunner
from ui import format as fmt
from ui.widgets import named

CHOICES = ("yours", "central", "original")
HEADINGS = {"yours": "Yours", "central": "Central now", "original": "Before either change"}


def _shown(value: Any, *, known: bool = True) -> str:
    if not known:
        return "(not known on this laptop)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "(empty)" if value in (None, "") else str(value)


def conflict_title(conflict: ConflictRow) -> str:
    """Whose case first, then what: "Amelia Hughes (X100001): contact details"."""
    who = f"{conflict.person} ({conflict.crn})" if conflict.person else conflict.crn
    what = conflict.what.removesuffix(f" ({conflict.crn})")
    return f"Conflict: {who} – {what}"


def conflict_lead(conflict: ConflictRow) -> str:
    """Who made the other change and when, in words."""
    by = conflict.changed_by or "someone else"
    when = f" ({fmt.when(conflict.changed_at.astimezone())})" if conflict.changed_at else ""
    return f"Changed by {by}{when} while your change waited to send. Choose what to keep:"


def chosen_words(conflict: ConflictRow, choices: dict[str, str]) -> str:
    """What was kept, for the status bar once the choice is saved."""
    kept = []
    for field in conflict.fields:
        choice = choices.get(field.field, "central")
        value = _shown(getattr(field, choice), known=choice != "original" or field.original_known)
        kept.append(f"{field.label or field.field}: {value} ({HEADINGS[choice].lower()})")
    who = conflict.person or conflict.crn
    return f"Conflict resolved for {who}. Kept " + "; ".join(kept) + ". Sending it now."


class ConflictBox(QGroupBox):
    def __init__(self, conflict: ConflictRow) -> None:
        super().__init__(conflict_title(conflict))
        self.conflict = conflict
        self.groups: dict[str, QButtonGroup] = {}
        grid = QGridLayout(self)
        lead = named(QLabel(conflict_lead(conflict)), "Who changed it")
        lead.setWordWrap(True)
        grid.addWidget(lead, 0, 0, 1, 4)
        for column, choice in enumerate(CHOICES, start=1):
            heading = QLabel(HEADINGS[choice])
            heading.setStyleSheet("font-weight:bold;")
            grid.addWidget(heading, 1, column)
        for row, field in enumerate(conflict.fields, start=2):
            label = field.label or field.field.replace("_", " ").capitalize()
            grid.addWidget(QLabel(label), row, 0)
            group = QButtonGroup(self)
            for column, choice in enumerate(CHOICES, start=1):
                known = choice != "original" or field.original_known
                button = named(
                    QRadioButton(_shown(getattr(field, choice), known=known)),
                    f"{label}: {HEADINGS[choice]}",
                )
                button.setEnabled(known)
                button.setProperty("choice", choice)
                group.addButton(button)
                grid.addWidget(button, row, column)
                button.setChecked(choice == "yours")
            self.groups[field.field] = group
        self.apply = named(QPushButton("Use the values I chose"), "Resolve conflict")
        grid.addWidget(self.apply, len(conflict.fields) + 2, 0, 1, 4)

    def choices(self) -> dict[str, str]:
        picked = {}
        for field, group in self.groups.items():
            button = group.checkedButton()
            picked[field] = str(button.property("choice")) if button else "central"
        return picked


class RejectionBox(QGroupBox):
    def __init__(self, rejection: RejectionRow) -> None:
        super().__init__(f"Not accepted: {rejection.what}")
        self.rejection = rejection
        layout = QVBoxLayout(self)
        reason = named(QLabel(f"Why: {rejection.reason}"), "Reason")
        reason.setWordWrap(True)
        layout.addWidget(reason)
        layout.addWidget(QLabel(f"Sent {fmt.when(rejection.created_at)}. What you wrote:"))
        self.text = named(QPlainTextEdit(rejection.officer_text), "What you wrote")
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(90)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        self.copy = named(QPushButton("Copy text"), "Copy what you wrote")
        self.retry = named(QPushButton("Try again"), "Try sending again")
        self.discard = named(QPushButton("Discard…"), "Discard this change")
        self.copy.clicked.connect(self.copy_text)
        for button in (self.copy, self.retry, self.discard):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def copy_text(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.rejection.officer_text)

    def ask_to_confirm(self) -> bool:
        """First click arms the button, the second discards."""
        if self.discard.property("armed"):
            return True
        self.discard.setProperty("armed", True)
        self.discard.setText("Click again to discard for good")
        return False


DRAFT_FORMS = {  # form kind -> what it is, and the keys that reopen it in the case
    "contact": ("contact", "Ctrl+N"),
    "outcome": ("outcome", "Ctrl+O"),
    "correct-outcome": ("outcome correction", "Ctrl+Shift+O"),
    "appointment": ("appointment", "Ctrl+Shift+A"),
    "reschedule": ("rescheduling", "Ctrl+Shift+R"),
    "note": ("note", "Ctrl+Shift+N"),
    "details": ("change of contact details", "Ctrl+Shift+D"),
}


def draft_words(draft: DraftItem) -> str:
    """ "Unsaved contact for Amelia Hughes (X100001), last typed Fri 20 Nov 10:42: open
    the case and press Ctrl+N to get it back." """
    what, keys = DRAFT_FORMS.get(draft.kind, (draft.kind.replace("-", " "), ""))
    who = f"{draft.person} ({draft.crn})" if draft.person else draft.crn
    when = fmt.when(draft.saved_at.astimezone())
    back = f": open the case and press {keys} to get it back" if keys else ""
    return f"Unsaved {what} for {who}, last typed {when}{back}."


class DraftLine(QWidget):
    """One unsaved draft, with a button that opens its case."""

    def __init__(self, draft: DraftItem) -> None:
        super().__init__()
        self.draft = draft
        words = named(QLabel(draft_words(draft)), "Unsaved draft")
        words.setWordWrap(True)
        self.open = named(QPushButton("Open the case"), f"Open the case of {draft.crn}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(words, 1)
        row.addWidget(self.open)


def _summary(attention: Attention) -> str:
    """Counted as the status bar counts them (what you decide); sync problems said apart."""
    decide = len(attention.conflicts) + len(attention.rejections)
    problems = len(attention.sync_errors)
    parts = [f"{fmt.count(decide, 'item')} to decide"] if decide else []
    if problems:
        parts.append("a sync problem" if problems == 1 else f"{problems} sync problems")
    if attention.drafts:
        parts.append(f"{fmt.count(len(attention.drafts), 'unsaved draft')}")
    if not parts:
        return "Nothing needs your attention. Everything you did has been accepted."
    return " and ".join(parts).capitalize() + "."


class AttentionView(QWidget):
    resolved = Signal(str)  # what was kept, in words, once the choice is saved
    case_opened = Signal(str)  # the officer asked to open a draft's case

    def __init__(self) -> None:
        super().__init__()
        self.runner: TaskRunner | None = None
        self.summary = named(QLabel(""), "Attention summary")
        self.body = QWidget()
        self.items = QVBoxLayout(self.body)
        scroll = named(QScrollArea(), "Items needing your attention")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        title = QLabel("Needs your attention")
        title.setStyleSheet("font-size:16pt; font-weight:bold;")
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self.body.setStyleSheet(
            "QGroupBox { font-weight:bold; } QGroupBox * { font-weight:normal; }"
        )
        self.conflicts: list[ConflictBox] = []
        self.drafts: list[DraftLine] = []
        self.rejections: list[RejectionBox] = []
        self._last = Attention()
        self._sync_error = ""

    def set_sync_error(self, message: str) -> None:
        """The sync bridge's last error in plain words ("" when the last sync worked)."""
        if message != self._sync_error:
            self._sync_error = message
            self.show_attention(self._last)

    def reload(self) -> None:
        if self.runner is not None:
            from app.usecases.attention import load_attention  # its domain models load after unlock

            self.runner.query(load_attention, self.show_attention, key="attention")

    def show_attention(self, attention: Attention) -> None:
        self._last = attention
        if self._sync_error:
            errors = (*attention.sync_errors, self._sync_error)
            attention = Attention(
                attention.conflicts, attention.rejections, errors, attention.drafts
            )
        while self.items.count():
            item = self.items.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.conflicts, self.rejections = [], []
        from app.usecases.attention import retry_rejection

        for conflict in attention.conflicts:
            box = ConflictBox(conflict)
            box.apply.clicked.connect(partial(self._resolve, box))
            self.conflicts.append(box)
            self.items.addWidget(box)
        for rejection in attention.rejections:
            rbox = RejectionBox(rejection)
            rbox.retry.clicked.connect(partial(self._run, retry_rejection, rejection.id))
            rbox.discard.clicked.connect(partial(self._discard, rbox))
            self.rejections.append(rbox)
            self.items.addWidget(rbox)
        self.drafts = []
        for draft in attention.drafts:
            line = DraftLine(draft)
            line.open.clicked.connect(partial(self.case_opened.emit, draft.crn))
            self.drafts.append(line)
            self.items.addWidget(line)
        for message in attention.sync_errors:
            error = named(QLabel(f"Sync problem: {message}"), "Sync problem")
            error.setWordWrap(True)
            self.items.addWidget(error)
        self.items.addStretch(1)
        self.summary.setText(_summary(attention))

    def _resolve(self, box: ConflictBox) -> None:
        box.apply.setEnabled(False)
        from app.usecases.attention import resolve_conflict

        said = chosen_words(box.conflict, box.choices())
        use = partial(resolve_conflict, conflict=box.conflict, choices=box.choices())
        if self.runner is not None:
            self.runner.op(use, lambda _: self._on_resolved(said))

    def _on_resolved(self, said: str) -> None:
        self.resolved.emit(said)
        self.reload()

    def _discard(self, box: RejectionBox) -> None:
        if box.ask_to_confirm():
            from app.usecases.attention import discard_rejection

            self._run(discard_rejection, box.rejection.id)

    def _run(self, use: Any, *args: str) -> None:
        if self.runner is not None:
            call = partial(use, rejection_id=args[0]) if args else use
            self.runner.op(call, lambda _: self.reload())
