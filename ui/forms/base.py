"""The case-work form base: keyboard first, validated inline, drafted as you type.

How to write a form (for every form under `ui/forms/`)
------------------------------------------------------
Subclass `CaseForm`, set `kind` (the draft key's kind, e.g. "appointment") and
`title`, then:

1. `build(self)` — create the field widgets and register each with
   `self.add_field(name, label, widget, hint="")`. `name` is the name a domain
   `ValidationError(field=...)` or a pydantic error `loc[0]` uses, so use the mutation's
   argument names (`date`, `start_time`, `notes`, `outcome_code`...). Registered fields
   are autosaved to the draft and restored from it: `QLineEdit`, `QPlainTextEdit`,
   `QCheckBox`, `QComboBox` (by item data, else text) work out of the box; any other
   widget works if it has `draft_value() -> JSON`, `restore_draft(value)` and a
   `changed` signal; a widget's `companion` widget (a picker's list, a notes counter)
   is placed under it. Ready-made fields: `ui/forms/fields.py` (dates, times, notes
   with a counter, event links) and `ui/forms/type_picker.py` (codes chosen by typing).
   Fields that are not worth a draft: `add_field(..., drafted=False)`.
   Widgets that are not fields (a preview label) go in with `self.add_row(label, widget)`.
2. `load(self)` (optional) — start reads the form needs through
   `self.runner.query(use, on_done)`; fill pickers in `on_done`. Call
   `self.loaded()` when what the draft refers to (e.g. picker items) is in place:
   the draft offer waits for it.
3. `build_save(self) -> Use` — read the widgets, parse with `domain.parsing`, and
   return the write to run: a callable `ctx -> result` (e.g. a `functools.partial` of
   a use case in `app/usecases/`). Raise `ValidationError(msg, field=name)` for one
   problem or `FormInvalid([...])` for several; a pydantic `ValidationError` raised by
   building mutation args is mapped to fields by `loc[0]` too. Nothing is saved then.
4. (optional) `saved_message(self, result) -> str` — what the case view says after.

The base then gives every form the same behaviour: Enter saves (Ctrl+Enter inside a
multi-line box), Esc closes and KEEPS the draft, messages appear next to their field
(never modal, never clearing typed text; the first bad field gets focus), errors the
write raises (`FieldcaseError`, `ValidationError` with a `field`) come back the same
way, and the save runs on the app's single writer thread via `TaskRunner.op`, which
then publishes the returned `ChangeSet` so the contact log, diary and "Needs an
outcome" refresh at once. A successful save discards the draft and emits `saved`.

Drafts: key = `DraftKey(kind, crn, contact_id)` (`contact_id` "" for case-level forms;
pass `contact_id=` to the constructor for a form about one contact). Changes autosave
after `DRAFT_DELAY_MS` of quiet (a single-shot QTimer), and at once on Esc, on close
and on `flush_open_drafts()` (the main window calls it before an idle lock or quit).
When the form opens and a draft exists, a bar offers it back: "You have an unsaved
contact for Amelia Hughes from 10:42 — Restore (Alt+R) / Discard (Alt+D)".
While that offer is open nothing is autosaved, so the old draft is never overwritten
before the officer chooses.

Case view actions (`install_case_actions(view, run)`)
----------------------------------------------------
`view` is the `ui.case_view.CaseView`: `view.runner` (the `TaskRunner`), `view.crn`,
`view.detail` (the `app.rows.CaseDetail` on screen), `view.selected_contact()` (the
`ContactRow` selected in the contact log or None), `view.say(text)` (a plain message
under the case's action buttons) and `view.forms` (the forms open over it). It is a
QWidget: `view.addAction(action)` with a shortcut (context
`WidgetWithChildrenShortcut`) makes the action live while the case is shown, and
every action added before the view lays itself out also gets a labelled button.
`run` is `CaseView.open_form`: `run(form: CaseForm) -> None` shows a constructed form
over the case view through a `FormHost` (`ui/forms/host.py`), which keeps it
referenced, shows one form per draft key (opening the same form again brings the
open one forward), puts the
focus in its first field, says `form.saved_message(result)` when it is saved, and
deletes it only when no reply for it can still arrive.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

import pydantic
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.drafts import Draft, DraftKey, discard_draft, load_draft, save_draft
from app.tasks import TaskRunner
from domain.errors import FieldcaseError, ValidationError
from ui.forms.draft_offer import DraftOffer, when_text
from ui.forms.field_values import change_signal, field_value, pydantic_errors, restore_value
from ui.forms.select_on_entry import SelectOnEntry, select_all_in
from ui.screen_fit import fit_on_screen
from ui.theme import ERROR_BANNER
from ui.widgets import ErrorBanner, named

log = logging.getLogger(__name__)

Use = Callable[[AppContext], Any]

_OPEN: weakref.WeakSet[CaseForm] = weakref.WeakSet()


class FormInvalid(Exception):
    """Several field problems at once, raised by `build_save`."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass(slots=True)
class FormField:
    name: str
    label: str
    widget: QWidget
    error: QLabel
    drafted: bool = True


def flush_open_drafts() -> None:
    """Save every open form's draft now (before an idle lock, sign-out or quit)."""
    for form in list(_OPEN):
        if shiboken6.isValid(form):  # a deleted form's wrapper can outlive it briefly
            form.flush_draft()


def close_open_forms() -> None:
    """Close every open form (locked or signed out: no case data stays on screen).
    Drafts were kept as the officer typed, and `flush_open_drafts` ran before a lock
    the officer asked for."""
    for form in list(_OPEN):
        if shiboken6.isValid(form) and form.isVisible():
            form.close()


class CaseForm(QDialog):
    """Base of every case-work form; see the module docstring for the API."""

    kind: ClassVar[str] = "form"
    title: ClassVar[str] = "Form"
    noun: ClassVar[str] = "form"  # "You have an unsaved {noun} for ..."
    DRAFT_DELAY_MS: ClassVar[int] = 800
    MIN_WIDTH: ClassVar[int] = 620  # an event's "Event 1: Robbery – SA2020 ..." is readable

    saved = Signal(object)  # the write's result

    def __init__(
        self,
        runner: TaskRunner,
        crn: str,
        *,
        person: str = "",
        contact_id: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.crn = crn
        self.person = person or crn
        self.draft_key = DraftKey(self.kind, crn, contact_id)
        self.fields: dict[str, FormField] = {}
        self._select_on_entry = SelectOnEntry(self)
        self.saving = False
        self._offered: Draft | None = None
        self._offer_pending = False
        self._loaded = False
        self._dirty = False
        self._finished = False
        self.setWindowTitle(f"{self.title} — {self.person}")
        named(self, self.title)
        self.setSizeGripEnabled(True)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(self.DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.flush_draft)
        self.offer = self._make_offer()
        self.banner = ErrorBanner()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox()
        self.save_button = named(
            self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole), "Save"
        )
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton("Close (Esc)", QDialogButtonBox.ButtonRole.RejectRole)
        named(cancel, "Close, keeping a draft")
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.offer)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        # Never smaller than what it holds: a preview or message that grows pushes the
        # buttons down instead of being drawn under them.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addStrut(self.MIN_WIDTH)  # a width the constraint keeps (setMinimumWidth is not)
        self.save_button.setDefault(True)  # again, now that it is inside the dialog
        self.build()
        for item in self.fields.values():
            if isinstance(item.widget, QPlainTextEdit):
                item.widget.installEventFilter(self)  # Ctrl+Enter saves from a notes box
            if item.drafted:
                change_signal(item.widget).connect(self._on_field_changed)
            change_signal(item.widget).connect(partial(self._clear_error, item.name))
        _OPEN.add(self)
        self.runner.query(partial(load_draft, key=self.draft_key), self._on_draft_loaded)
        self.load()

    def _make_offer(self) -> DraftOffer:
        offer = DraftOffer()
        offer.restore.connect(self.on_offer_restore)
        offer.discard.connect(self.on_offer_discard)
        for keys, handler in (("Alt+R", self.on_offer_restore), ("Alt+D", self.on_offer_discard)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(partial(self._offer_key, handler))
            self.addAction(action)
        return offer

    # -- for subclasses ---------------------------------------------------------
    def build(self) -> None:
        """Create and register the fields (`add_field`)."""

    def load(self) -> None:
        """Start the reads the form needs; call `loaded()` when done (default: at once)."""
        self.loaded()

    def build_save(self) -> Use:
        """Parse the fields and return the write to run (see the module docstring)."""
        raise NotImplementedError

    def saved_message(self, result: Any) -> str:
        return f"{self.title}: saved."

    def add_field(
        self, name: str, label: str, widget: QWidget, *, hint: str = "", drafted: bool = True
    ) -> QWidget:
        """Register a field: a labelled row with its own inline message underneath."""
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet(f"color:{ERROR_BANNER[1]}; font-weight:bold;")
        named(error, f"{label} problem")
        error.hide()
        named(widget, label, hint)
        if isinstance(widget, QLineEdit):
            self._select_on_entry.watch(widget)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        companion = getattr(widget, "companion", None)  # e.g. a picker's list, a counter
        if isinstance(companion, QWidget):
            column.addWidget(companion)
        if hint:
            help_text = QLabel(hint)
            help_text.setStyleSheet("color:palette(placeholder-text);")
            help_text.setWordWrap(True)
            column.addWidget(help_text)
        column.addWidget(error)
        if not isinstance(widget, QPlainTextEdit):  # spare height goes to the notes box
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, box)
        self.fields[name] = FormField(name, label, widget, error, drafted)
        return widget

    def set_field_visible(self, name: str, visible: bool) -> None:
        """Show or hide a field's whole row (e.g. a location the type does not need)."""
        box = self.fields[name].widget.parentWidget()
        if box is not None:
            self.form.setRowVisible(box, visible)

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(label, widget)
        return widget

    def loaded(self) -> None:
        """What the form refers to is in place: a pending draft offer may show now."""
        self._loaded = True
        if self._offer_pending:
            self._show_offer()

    def values(self) -> dict[str, Any]:
        """What is typed, as plain JSON: the draft."""
        return {n: field_value(f.widget) for n, f in self.fields.items() if f.drafted}

    def restore(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            item = self.fields.get(name)
            if item is not None and item.drafted:
                restore_value(item.widget, value)

    # -- messages ---------------------------------------------------------------
    def show_errors(self, errors: list[ValidationError] | list[FieldcaseError]) -> None:
        """Each message next to its field (else in the banner); focus the first field."""
        first: QWidget | None = None
        for error in errors:
            name = getattr(error, "field", None)
            item = self.fields.get(name) if isinstance(name, str) else None
            if item is None:
                self.banner.show_error(error)
                continue
            item.error.setText(error.message)
            item.error.show()
            item.widget.setAccessibleDescription(error.message)
            item.widget.setProperty("invalid", True)
            first = first or item.widget
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def refit(self) -> None:
        """Grow to fit wrapped text (a long message, a longer list of dates) once laid out.

        A window's minimum size ignores height-for-width, so a message that wraps to two
        lines would otherwise get one line's height, cut off over the field above."""
        QTimer.singleShot(0, self._grow_to_fit)

    def _grow_to_fit(self) -> None:
        if not shiboken6.isValid(self):
            return
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        wanted = max(wanted, layout.totalMinimumSize().height())
        if self.height() < wanted:
            self.resize(self.width(), wanted)
            fit_on_screen(self, self.parentWidget())

    def error_text(self, name: str) -> str:
        """The inline message under a field ("" when none is shown)."""
        item = self.fields[name]
        return item.error.text() if item.error.isVisibleTo(self) else ""

    def clear_errors(self) -> None:
        self.banner.hide()
        for name in self.fields:
            self._clear_error(name)

    def _clear_error(self, name: str, *_: object) -> None:
        item = self.fields[name]
        if item.error.isVisibleTo(self):
            item.error.hide()
            item.widget.setAccessibleDescription("")
            item.widget.setProperty("invalid", False)

    # -- saving -----------------------------------------------------------------
    def save(self) -> None:
        """Check, then run the write off the GUI thread; the form stays until it lands."""
        if self.saving or self._finished:
            return
        self.clear_errors()
        try:
            use = self.build_save()
        except FormInvalid as invalid:
            self.show_errors(invalid.errors)
            return
        except FieldcaseError as error:
            self.show_errors([error])
            return
        except pydantic.ValidationError as error:
            self.show_errors(pydantic_errors(error))
            return
        self.saving = True
        self.save_button.setEnabled(False)
        self._draft_timer.stop()
        # An older draft still on offer was neither restored nor discarded: it stays.
        forget = None if self.offer.isVisibleTo(self) else self.draft_key
        self.runner.op(
            partial(_save_then_forget, use=use, key=forget),
            self._on_saved,
            on_error=self._on_save_failed,
        )

    def _on_saved(self, result: Any) -> None:
        self.saving = False
        self._finished = True
        self._dirty = False
        log.info("form %s saved", self.kind)
        self.saved.emit(result)
        self.accept()

    def _on_save_failed(self, error: FieldcaseError) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.show_errors([error])

    # -- drafts -----------------------------------------------------------------
    def _on_field_changed(self, *_: object) -> None:
        if self._finished:
            return
        self._dirty = True
        if not self.offer.isVisibleTo(self):
            self._draft_timer.start()

    def flush_draft(self) -> None:
        """Write the draft now if anything changed since the last write."""
        self._draft_timer.stop()
        if not self._dirty or self._finished or self.saving or self.runner.closed:
            return
        if self.offer.isVisibleTo(self):
            return  # the officer has not chosen yet: never overwrite the older draft
        self._dirty = False
        self.runner.op(partial(save_draft, key=self.draft_key, values=self.values()))

    def has_draft_offer(self) -> bool:
        return self.offer.isVisibleTo(self)

    def _on_draft_loaded(self, draft: Draft | None) -> None:
        if draft is None or self._finished:
            return
        self._offered = draft
        self._offer_pending = True
        if self._loaded:
            self._show_offer()

    def _show_offer(self) -> None:
        draft = self._offered
        self._offer_pending = False
        if draft is None or draft.saved_at is None:
            return
        when = when_text(draft.saved_at, now=self.runner.ctx.now())
        self.offer.offer(f"You have an unsaved {self.noun} for {self.person} from {when}.")

    def _offer_key(self, handler: Callable[[], None], *_: object) -> None:
        if self.offer.isVisibleTo(self):
            handler()

    def on_offer_restore(self) -> None:
        draft, self._offered = self._offered, None
        self.offer.hide()
        if draft is not None:
            self.restore(draft.values)
            self._dirty = False
        self.focus_first_field()

    def on_offer_discard(self) -> None:
        self._offered = None
        self.offer.hide()
        if not self.runner.closed:
            self.runner.op(partial(discard_draft, key=self.draft_key))
        if self._dirty:
            self._draft_timer.start()
        self.focus_first_field()

    def abandon(self) -> None:
        """Never shown after all (the same form was already open): write no draft."""
        self._finished = True
        self._draft_timer.stop()

    def focus_first_field(self) -> None:
        for item in self.fields.values():
            if item.widget.isEnabled() and item.widget.isVisibleTo(self):
                item.widget.setFocus(Qt.FocusReason.OtherFocusReason)
                select_all_in(item.widget)  # typing replaces what the field holds
                return

    # -- closing ----------------------------------------------------------------
    def reject(self) -> None:
        """Esc: close and keep what was typed as a draft."""
        self.flush_draft()
        self._finished = True
        super().reject()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a message, a preview, a row changed
            self.refit()
        return handled

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.save()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves from any single-line field (a multi-line box keeps it for new lines:
        Ctrl+Enter saves there). Explicit, so a focused button or picker never swallows it."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        focus = self.focusWidget()
        if enter and plain == Qt.KeyboardModifier.NoModifier and not isinstance(focus, QPushButton):
            event.accept()
            self.save()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._finished:
            self.flush_draft()
            self._finished = True
        super().closeEvent(event)


def _save_then_forget(ctx: AppContext, *, use: Use, key: DraftKey | None) -> Any:
    result = use(ctx)
    if key is not None:
        discard_draft(ctx, key)
    return result
