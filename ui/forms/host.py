"""Where case-work forms are shown: one per draft key, deleted only when it is safe.

Used by the case view and the Needs an outcome / Diary lists (`ui/forms/base.py`'s
docstring describes the contract a view gives its forms).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMenuBar, QWidget

from app.tasks import TaskRunner
from ui.forms.base import CaseForm
from ui.screen_fit import fit_on_screen


class FormHost(QObject):
    """Shows case-work forms over a view: one per draft key (a second Ctrl+N brings the
    open form forward instead of racing it for the same draft), and a closed form is
    deleted only once the runner is idle, so no reply can reach a deleted widget."""

    form_saved = Signal(object, object)  # the form, the write's result
    form_closed = Signal(object)

    def __init__(self, host: QWidget, runner: TaskRunner) -> None:
        super().__init__(host)
        self.host = host
        self.runner = runner
        self.open: list[CaseForm] = []
        self._retired: list[CaseForm] = []
        runner.busy_changed.connect(self._on_busy_changed)

    def show(self, form: CaseForm) -> CaseForm:
        """Show `form` (or the same form already open); returns the one on screen."""
        form.setParent(self.host, form.windowFlags() | Qt.WindowType.Dialog)
        same = next(
            (f for f in self.open if type(f) is type(form) and f.draft_key == form.draft_key),
            None,
        )
        if same is not None:
            form.abandon()
            self._retired.append(form)
            form = same
        else:
            self.open.append(form)
            share_menu_keys(form, self.host.window())
            form.saved.connect(partial(self._on_saved, form))
            form.finished.connect(partial(self._on_finished, form))
        form.show()
        fit_on_screen(form, self.host)
        form.activateWindow()
        form.focus_first_field()
        return form

    def _on_saved(self, form: CaseForm, result: Any) -> None:
        self.form_saved.emit(form, result)

    def _on_finished(self, form: CaseForm, *_: object) -> None:
        if form in self.open:
            self.open.remove(form)
        self._retired.append(form)
        self.form_closed.emit(form)

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            return
        retired, self._retired = self._retired, []
        for form in retired:
            form.deleteLater()


def share_menu_keys(form: QWidget, window: QWidget) -> None:
    """The main window's menu keys work in a form too: Ctrl+L locks (the draft is kept
    first), F5 syncs, Ctrl+Q quits. A form is its own window, and a menu shortcut only
    fires in a window its action belongs to."""
    bar = window.findChild(QMenuBar)
    if bar is None:
        return
    for entry in bar.actions():
        menu = entry.menu()
        if not isinstance(menu, QWidget):
            continue
        for action in menu.actions():
            if not action.shortcut().isEmpty() and action not in form.actions():
                form.addAction(action)
