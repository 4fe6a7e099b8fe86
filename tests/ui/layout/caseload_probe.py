"""Run in a subprocess at one screen geometry: does My caseload show a wide CRN and a
risk with its MAPPA level whole, inside the window?

Prints one JSON object: for each checked cell its text, the width that text needs and
its column's width, and whether the table and its columns are inside the window.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle

from app.rows import CaseloadRow, RiskBadge
from tests.ui.layout.probe import column_in_view, frame, settle, signed_in

WIDE = (
    CaseloadRow("W096588", "Wendy Widecrn", "A3", RiskBadge("Risk to Staff · MAPPA level 3", "red"),
                "SA2020 Community Order", None, None, "Compliant"),
    CaseloadRow("M888888", "Mark Mappa", "B2",
                RiskBadge("Very High RoSH · MAPPA level 3", "red"),
                "ORA Suspended Sentence Order", None, None, "1 failure to comply"),
)  # fmt: skip


def probe(profile: Path) -> dict[str, Any]:
    from ui.models.caseload import COMPLIANCE, CRN, RISK

    app = QApplication.instance()
    assert app is not None
    shell, window = signed_in(profile)
    view = window.caseload
    view.set_rows([*view.model.rows(), *WIDE])
    settle()
    table = view.table
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    cells = []
    for row in WIDE:
        view.select_crn(row.crn)
        settle()
        for column in (CRN, RISK):
            index = table.currentIndex().siblingAtColumn(column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole))
            needs = table.fontMetrics().horizontalAdvance(text) + margin
            cells.append([text, needs, table.columnWidth(column)])
    at = table.mapTo(window, QPoint(0, 0))
    report = {
        "screen": list(app.primaryScreen().availableGeometry().getRect()),
        "window": frame(window),
        "cells": cells,
        "table_inside": QRect(QPoint(0, 0), window.size()).contains(QRect(at, table.size())),
        "in_view": [column_in_view(table, c) for c in (CRN, RISK, COMPLIANCE)],
    }
    shell.shutdown()
    return report


if __name__ == "__main__":
    application = QApplication(sys.argv[:1])
    print(json.dumps(probe(Path(sys.argv[1]))))
