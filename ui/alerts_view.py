"""Alerts: contacts flagged as alerts on the officer's cases, until they clear them.

Works offline (read from the cache); clearing is a change like any other, so the
alert leaves this list at once and every other laptop's once it syncs. The navigation
item shows how many are open.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.tasks import TaskRunner
from app.team_rows import AlertRow
from app.usecases import alerts
from ui import format as fmt
from ui.case_table import CaseTable
from ui.caseload_view import DESCENDING
from ui.models import roles
from ui.models.proxy import RowFilterProxy
from ui.models.team import AlertsModel
from ui.widgets import named

TITLE = "Alerts"


def nav_text(count: int, number: int) -> str:
    """The navigation item: "Alerts (3)   Ctrl+7"."""
    shown = f"{TITLE} ({count})" if count else TITLE
    return f"{shown}   Ctrl+{number}"


def show_count(nav: QListWidget, row: int, count: int) -> None:
    item = nav.item(row)
    if item is not None:
        item.setText(nav_text(count, row))  # section n answers Ctrl+n (Today is Ctrl+0)
        item.setToolTip(f"{fmt.count(count, 'open alert')} (Ctrl+{row})")


class AlertsView(QWidget):
    contact_opened = Signal(str, str)  # crn, contact id: the case, at that contact
    count_changed = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.runner: TaskRunner | None = None
        self.model = AlertsModel()
        self.proxy = RowFilterProxy(self.model)
        title = QLabel(TITLE)
        title.setStyleSheet("font-size:16pt; font-weight:bold;")
        self.summary = named(QLabel(""), "Alerts summary")
        self.table = named(CaseTable(), "Alerts table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, DESCENDING)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((95, 160, 75, 200, 95)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.open_button = named(QPushButton("Open case  (Enter)"), "Open case")
        self.open_button.clicked.connect(self.open_selected)
        self.clear_button = named(QPushButton("Clear alert  (Delete)"), "Clear alert")
        self.clear_button.clicked.connect(self.clear_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table).activated.connect(
            self.clear_selected
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        if self.runner is not None:
            self.runner.query(alerts.load_alerts, self.show_alerts, key="alerts")

    def show_alerts(self, rows: list[AlertRow]) -> None:
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.summary.setText(
            f"{fmt.count(len(rows), 'open alert')} on your cases. Read one, then clear it."
            if rows
            else "No open alerts on your cases."
        )
        self.count_changed.emit(len(rows))

    def selected(self) -> AlertRow | None:
        index = self.table.currentIndex()
        row = index.siblingAtColumn(0).data(roles.ROW) if index.isValid() else None
        return row if isinstance(row, AlertRow) else None

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.contact_opened.emit(row.crn, row.contact_id)

    def clear_selected(self) -> None:
        row = self.selected()
        if row is not None and self.runner is not None:
            use = partial(alerts.clear_alert, crn=row.crn, contact_id=row.contact_id)
            self.runner.op(use)
