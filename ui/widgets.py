"""Small building blocks shared by the screens: badges, banners, accessible naming."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.rows import RiskBadge
from domain.errors import FieldcaseError
from ui.theme import ERROR_BANNER, badge_style

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, description: str = "") -> W:
    """Give a control the name a screen reader announces (and tests find it by)."""
    widget.setAccessibleName(name)
    widget.setObjectName(name.replace(" ", "_").lower())
    if description:
        widget.setAccessibleDescription(description)
    return widget


class BadgeLabel(QLabel):
    """One risk flag: its words on its colour, with a thick border for monochrome screens."""

    def __init__(self, badge: RiskBadge, *, large: bool = False) -> None:
        super().__init__(badge.text)
        size = "font-size:15pt;" if large else ""
        self.setStyleSheet(badge_style(badge.colour) + size)
        self.setAccessibleName(f"Risk flag: {badge.text} ({badge.colour})")
        self.setToolTip(f"{badge.text} — {badge.colour}")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


class ErrorBanner(QFrame):
    """An expected error shown inline and non-modal; whatever was typed stays put."""

    dismissed = Signal()

    def __init__(self) -> None:
        super().__init__()
        background, text = ERROR_BANNER
        self.setStyleSheet(
            f"ErrorBanner {{ background:{background}; border:2px solid {text}; }}"
            f" QLabel {{ color:{text}; }}"
        )
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight:bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = named(QPushButton("Dismiss"), "Dismiss message")
        close.clicked.connect(self.hide)
        close.clicked.connect(self.dismissed)
        words = QVBoxLayout()
        words.addWidget(self.title)
        words.addWidget(self.message)
        row = QHBoxLayout(self)
        row.addLayout(words, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        named(self, "Message")
        self.hide()

    def show_error(self, error: FieldcaseError) -> None:
        self.show_text(error.title, error.message)

    def show_text(self, title: str, message: str) -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.setAccessibleDescription(f"{title}. {message}")
        self.show()


class NoticeBar(QLabel):
    """A one-line coloured notice (demo mode, offline since...)."""

    def __init__(self, text: str, colours: tuple[str, str]) -> None:
        super().__init__(text)
        background, fg = colours
        self.setStyleSheet(f"background:{background}; color:{fg}; padding:6px; font-weight:bold;")
        self.setWordWrap(True)
        self.setAccessibleName(text)
