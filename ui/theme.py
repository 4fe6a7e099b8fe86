"""Colours for risk badges and the high-contrast palette.

Risk colours follow the national system (red/amber/green) but every badge also
carries its words, and text colours are chosen for contrast (WCAG AA) on each
background, so nothing depends on colour alone.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# background, text
BADGE_COLOURS: dict[str, tuple[str, str]] = {
    "red": ("#b10e1e", "#ffffff"),
    "amber": ("#f0b400", "#1a1a1a"),
    "green": ("#00703c", "#ffffff"),
    "white": ("#ffffff", "#1a1a1a"),
}
DEMO_BANNER = ("#1d3f72", "#ffffff")
ERROR_BANNER = ("#fde8e8", "#6b0000")
WAITING = "#6b4c00"


def badge_colours(colour: str) -> tuple[QColor, QColor]:
    background, text = BADGE_COLOURS.get(colour, BADGE_COLOURS["white"])
    return QColor(background), QColor(text)


def badge_style(colour: str) -> str:
    background, text = BADGE_COLOURS.get(colour, BADGE_COLOURS["white"])
    return (
        f"background:{background}; color:{text}; border:2px solid #1a1a1a; "
        "border-radius:4px; padding:3px 8px; font-weight:bold;"
    )


def high_contrast_palette() -> QPalette:
    """White on black with yellow highlights, as Windows' High Contrast Black."""
    palette = QPalette()
    black, white, yellow, cyan = (
        QColor("#000000"),
        QColor("#ffffff"),
        QColor("#ffff00"),
        QColor("#00ffff"),
    )
    for role, colour in (
        (QPalette.ColorRole.Window, black),
        (QPalette.ColorRole.WindowText, white),
        (QPalette.ColorRole.Base, black),
        (QPalette.ColorRole.AlternateBase, QColor("#1a1a1a")),
        (QPalette.ColorRole.Text, white),
        (QPalette.ColorRole.Button, black),
        (QPalette.ColorRole.ButtonText, white),
        (QPalette.ColorRole.Highlight, yellow),
        (QPalette.ColorRole.HighlightedText, black),
        (QPalette.ColorRole.Link, cyan),
        (QPalette.ColorRole.ToolTipBase, black),
        (QPalette.ColorRole.ToolTipText, white),
        (QPalette.ColorRole.PlaceholderText, QColor("#c0c0c0")),
    ):
        palette.setColor(role, colour)
    return palette


HIGH_CONTRAST_SHEET = (
    "QAbstractItemView::item:selected { background:#ffff00; color:#000000; }"
    " QLineEdit, QComboBox, QPlainTextEdit { border:1px solid #ffffff; }"
    " QProgressBar { border:1px solid #ffffff; }"
    " QProgressBar::chunk { background:#00ffff; }"
)


def apply_high_contrast(app: QApplication, enabled: bool) -> None:
    """Black-on-white is the norm; this swaps in the high-contrast palette and borders."""
    app.setPalette(high_contrast_palette() if enabled else app.style().standardPalette())
    app.setStyleSheet(HIGH_CONTRAST_SHEET if enabled else "")
