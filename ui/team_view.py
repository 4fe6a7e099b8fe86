"""Team caseload: every case of the team, filter and sort like My caseload; cover.

Online (the last copy is shown offline, saying when it was read). Limited Access cases
show their message instead of the person. Sorting by "Needs action" puts the cases an
SPO should look at first on top; the picked case's compliance picture shows beside.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.tasks import TaskRunner
from app.team_rows import CoverRow, TeamAnswer, TeamOfficerRow, TeamRow
from app.usecases import team
from domain.errors import FieldcaseError
from ui import format as fmt
from ui.case_table import CaseTable
from ui.caseload_view import ASCENDING
from ui.compliance_panel import compliance_box
from ui.cover_dialog import CoverChoice, CoverDialog
from ui.models import roles
from ui.models.proxy import RowFilterProxy
from ui.models.team import T_CRN, T_NEEDS, T_RISK, TeamModel
from ui.widgets import named

EVERYONE = "Every officer"


class TeamView(QWidget):
    case_opened = Signal(str)
    cover_changed = Signal()  # a cover started or ended: sync now to bring or drop cases

    def __init__(self) -> None:
        super().__init__()
        self.runner: TaskRunner | None = None
        self.answer: TeamAnswer | None = None
        self.model = TeamModel()
        self.proxy = RowFilterProxy(self.model)
        self.title = QLabel("Team caseload")
        self.title.setStyleSheet("font-size:16pt; font-weight:bold;")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.filter = named(QLineEdit(), "Filter team caseload")
        self.filter.setPlaceholderText("Filter by name, CRN, offender manager, tier or risk…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.on_filter_changed)
        self.manager = named(QComboBox(), "Offender manager")
        self.manager.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.manager.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.needs_only = named(QCheckBox("Needs action only"), "Needs action only")
        self.needs_only.toggled.connect(lambda _on: self._show_rows())
        self.refresh = named(QPushButton("Refresh"), "Refresh team caseload")
        self.refresh.clicked.connect(self.reload)
        self.cover_button = named(QPushButton("Cover a colleague…"), "Cover a colleague")
        self.cover_button.clicked.connect(self.ask_cover)
        self.covers = QLabel("")
        self.covers.setWordWrap(True)
        self.end_cover_button = named(QPushButton("Colleague is back: end cover"), "End cover")
        self.end_cover_button.clicked.connect(self.end_first_cover)
        self.end_cover_button.hide()
        self.summary = named(QLabel(""), "Team summary")
        self.table = named(CaseTable(), "Team caseload table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(T_NEEDS, ASCENDING)
        self.table.row_activated.connect(self._open)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((150, 70, 130, 40, 110, 125, 200, 80, 50)):
            self.table.setColumnWidth(column, width)
        # The CRN and the risk are never elided (the same rule as My caseload).
        self.table.share_widths({}, whole={T_CRN: "W000000", T_RISK: "Risk to Staff"})
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.detail = named(QScrollArea(), "Compliance of the picked case")
        self.detail.setWidgetResizable(True)
        self.detail.setMinimumWidth(320)
        self._covers: list[CoverRow] = []
        self._lay_out()

    def _lay_out(self) -> None:
        tools = QHBoxLayout()
        for widget in (self.filter, self.manager, self.needs_only, self.refresh, self.cover_button):
            tools.addWidget(widget)
        cover_line = QHBoxLayout()
        cover_line.addWidget(self.covers, 1)
        cover_line.addWidget(self.end_cover_button)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([780, 320])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addLayout(tools)
        layout.addLayout(cover_line)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    # -- loading --------------------------------------------------------------
    def reload(self) -> None:
        if self.runner is None:
            return
        self.note.setText("Reading the team caseload…")
        self.runner.query(team.load_team, self.show_fetched, on_error=self.show_error, key="team")
        self.reload_covers()

    def reload_covers(self) -> None:
        if self.runner is not None:
            self.runner.query(team.list_covers, self.show_covers, key="covers")

    def show_fetched(self, fetched: team.Fetched) -> None:
        if fetched.keep and self.runner is not None:
            self.runner.op(partial(team.keep_team_copy, body=fetched.keep))
        self.show_answer(fetched.answer)

    def show_answer(self, answer: TeamAnswer) -> None:
        self.answer = answer
        self.title.setText(f"Team caseload – {answer.team_name}")
        read = f"Read at {fmt.when(answer.as_of.astimezone().replace(tzinfo=None))}."
        self.note.setText(answer.offline_note or read)
        chosen = self.manager.currentText()
        self.manager.blockSignals(True)
        self.manager.clear()
        self.manager.addItem(EVERYONE)
        for officer in answer.officers:
            cover = f" – covered by {officer.covered_by}" if officer.covered_by else ""
            self.manager.addItem(f"{officer.name}{cover}", officer.name)
        index = self.manager.findText(chosen)
        self.manager.setCurrentIndex(max(index, 0))
        self.manager.blockSignals(False)
        self._show_rows()

    def show_error(self, error: FieldcaseError) -> None:
        self.note.setText(error.message)

    def show_covers(self, covers: list[CoverRow]) -> None:
        self._covers = covers
        lines = [
            f"You are covering {c.colleague} ({fmt.count(len(c.crns), 'case')}"
            f"{', their visits' if c.visits_only else ''}) until "
            f"{fmt.when(c.ends_at.astimezone().replace(tzinfo=None))}: {c.reason}"
            for c in covers
        ]
        self.covers.setText("\n".join(lines))
        self.end_cover_button.setVisible(bool(covers))

    def _show_rows(self) -> None:
        rows = list(self.answer.rows) if self.answer else []
        manager = self.manager.currentData()
        if manager:
            rows = [r for r in rows if r.offender_manager == manager]
        if self.needs_only.isChecked():
            rows = [r for r in rows if r.compliance and r.compliance.actions]
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if self.filter.text():
            self.proxy.set_filter_words(self.filter.text())
        self._update_summary()

    def _update_summary(self) -> None:
        rows = self.model.rows()
        needing = sum(1 for r in rows if r.compliance and r.compliance.actions)
        withheld = sum(1 for r in rows if r.withheld)
        text = f"{fmt.count(len(rows), 'case')}, {needing} needing action"
        if withheld:
            text += f", {withheld} Limited Access (withheld)"
        if self.filter.text().strip():
            text = f"Showing {self.proxy.rowCount()} of " + text
        self.summary.setText(text)

    def on_filter_changed(self, text: str) -> None:
        self.proxy.set_filter_words(text)
        self._update_summary()

    def _row_at(self, index: QModelIndex) -> TeamRow | None:
        row = index.siblingAtColumn(0).data(roles.ROW) if index.isValid() else None
        return row if isinstance(row, TeamRow) else None

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self._row_at(current)
        content = QWidget()
        column = QVBoxLayout(content)
        if row is None or row.withheld:
            text = row.withheld if row else "Pick a case to see its compliance picture."
            label = QLabel(text)
            label.setWordWrap(True)
            column.addWidget(label)
        elif row.compliance is None:
            column.addWidget(QLabel(f"{row.name}: no active sentence."))
        else:
            column.addWidget(compliance_box(f"{row.name} ({row.crn})", row.compliance))
        column.addStretch(1)
        self.detail.setWidget(content)

    def _open(self, crn: str) -> None:
        """Open a case held here; others need a cover or national search first."""
        row = next((r for r in self.model.rows() if r.crn == crn), None)
        if row is not None and row.on_this_laptop and not row.withheld:
            self.case_opened.emit(crn)
        elif row is not None and not row.withheld:
            self.note.setText(
                f"{row.name} is not on this laptop: cover {row.offender_manager} "
                "or keep the case here from Search to open it."
            )

    # -- cover ----------------------------------------------------------------
    def colleagues(self) -> list[TeamOfficerRow]:
        return [o for o in (self.answer.officers if self.answer else ()) if not o.is_me]

    def ask_cover(self) -> None:
        dialog = CoverDialog(self.colleagues(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and self.runner is not None:
            self.start_cover(dialog.choice(self.runner.ctx.now()))

    def start_cover(self, choice: CoverChoice) -> None:
        runner = self.runner
        if runner is None:
            return
        use = partial(
            team.request_cover,
            staff_code=choice.staff_code,
            starts_at=choice.starts_at,
            ends_at=choice.ends_at,
            reason=choice.reason,
            visits_only=choice.visits_only,
        )
        runner.query(use, self._keep_cover, on_error=self.show_error)

    def _keep_cover(self, grant: team.Grant) -> None:
        if self.runner is not None:
            self.runner.op(partial(team.keep_cover, grant=grant), lambda _c: self._covered())

    def _covered(self) -> None:
        self.reload_covers()
        self.cover_changed.emit()

    def end_first_cover(self) -> None:
        if self._covers and self.runner is not None:
            use = partial(team.end_cover, cover_id=self._covers[0].id)
            self.runner.query(use, self._keep_cover, on_error=self.show_error)
