"""Case-view actions for appointments, rescheduling, notes and personal details.

`ui/case_view.py` calls `install_case_actions` once when a case view is built.
"""

from __future__ import annotations

from typing import Any


def install_case_actions(view: Any, run: Any) -> None:
    """Attach the arrange / reschedule / note / details shortcuts to `view` (stub for now)."""
