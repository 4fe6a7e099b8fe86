"""What a registered form field holds, as plain JSON (its draft), and back again.

`QLineEdit`, `QPlainTextEdit`, `QCheckBox` and `QComboBox` work as they are; any
other widget works if it has `draft_value()`, `restore_draft(value)` and a `changed`
signal. Also the plain words for a mutation model's complaints (`pydantic_errors`).
"""

from __future__ import annotations

from typing import Any

import pydantic
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from domain.errors import ValidationError


def field_value(widget: QWidget) -> Any:
    """A registered widget's value as plain JSON (for the draft)."""
    if hasattr(widget, "draft_value"):
        return widget.draft_value()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return data if isinstance(data, str | int | None) else widget.currentText()
    raise TypeError(f"no draft value for {type(widget).__name__}")


def restore_value(widget: QWidget, value: Any) -> None:
    if hasattr(widget, "restore_draft"):
        widget.restore_draft(value)
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        widget.setCurrentIndex(index if index >= 0 else widget.findText(str(value)))


def change_signal(widget: QWidget) -> Any:
    for name in ("changed", "textChanged", "toggled", "currentIndexChanged"):
        signal = getattr(widget, name, None)
        if signal is not None:
            return signal
    raise TypeError(f"no change signal on {type(widget).__name__}")


_PLAIN = {
    "string_too_long": "This is too long.",
    "missing": "This is needed.",
    "greater_than_equal": "This is too small.",
    "less_than_equal": "This is too large.",
}


def pydantic_errors(error: pydantic.ValidationError) -> list[ValidationError]:
    """Map a mutation model's complaints onto form fields, in plain words."""
    found: list[ValidationError] = []
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else None
        message = _PLAIN.get(item["type"], f"Please check this: {item['msg']}.")
        if item["type"] == "string_too_long":
            limit = (item.get("ctx") or {}).get("max_length")
            message = f"This is too long: at most {limit:,} characters." if limit else message
        found.append(ValidationError(message, field=name))
    return found
