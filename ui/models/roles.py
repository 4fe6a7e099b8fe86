"""Custom item data roles shared by the models and their proxies."""

from __future__ import annotations

from PySide6.QtCore import Qt

ROW = Qt.ItemDataRole.UserRole + 1  # the frozen row itself
FILTER = Qt.ItemDataRole.UserRole + 2  # the text a filter matches
KEY = Qt.ItemDataRole.UserRole + 3  # the CRN or id the row stands for
