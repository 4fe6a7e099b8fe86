"""The top of a case: who, and the risk flags, impossible to miss.

Risk to staff, the RoSH level and MAPPA come first as large badges with words on
their colour; a Limited Access notice is a bordered warning above everything.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.rows import CaseDetail
from ui import format as fmt
from ui.flow_layout import flow_widget
from ui.risk_flags import flag_buttons
from ui.widgets import named


class CaseHeader(QFrame):
    def __init__(self, detail: CaseDetail) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        if detail.limited_access:
            notice = named(QLabel(f"Limited Access: {detail.limited_access}"), "Limited Access")
            notice.setWordWrap(True)
            notice.setStyleSheet(
                "background:#fff4ce; color:#3d2c00; border:3px solid #3d2c00; padding:6px;"
                " font-weight:bold;"
            )
            layout.addWidget(notice)
        name = named(QLabel(detail.name), "Name")
        name.setStyleSheet("font-size:20pt; font-weight:bold;")
        facts = (
            f"CRN {detail.crn}   ·   Born {fmt.day(detail.date_of_birth)} (age {detail.age})"
            f"   ·   Tier {detail.tier or 'not set'}"
        )
        if detail.waiting_to_send:
            facts += f"   ·   {fmt.count(detail.waiting_to_send, 'change')} waiting to send"
        identity = named(QLabel(facts), "Case identity")
        identity.setWordWrap(True)
        identity.setStyleSheet("font-size:11pt;")
        layout.addWidget(name)
        layout.addWidget(identity)
        layout.addWidget(self._badges(detail))

    def _badges(self, detail: CaseDetail) -> QWidget:
        # A flow, not a row: seven flags at 150% text were wider than the screen.
        row, line = flow_widget()
        named(row, "Risk flags", ", ".join(b.text for b in detail.badges) or "No risk flags")
        if not detail.badges:
            line.addWidget(QLabel("No risk flags recorded"))
        for button in flag_buttons(detail):  # each opens its level, notes, review date
            line.addWidget(button)
        return row
