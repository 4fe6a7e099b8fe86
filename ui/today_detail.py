"""The selected visit in full, beside the Today list: household, risk, conditions, what is due.

Rich text in a label (read by screen readers as one block), every risk in words.
"""

from __future__ import annotations

from html import escape

from app.today_rows import VisitRow
from ui import format as fmt


def _list(title: str, lines: tuple[str, ...] | list[str]) -> str:
    if not lines:
        return ""
    items = "".join(f"<li>{escape(x)}</li>" for x in lines)
    return f"<p><b>{escape(title)}</b></p><ul style='margin-top:0'>{items}</ul>"


def _household(row: VisitRow) -> list[str]:
    found = []
    for m in row.household:
        flags = f" – {', '.join(m.flags)}" if m.flags else ""
        where = " (lives there)" if m.lives_there else ""
        phone = f", {m.phone}" if m.phone else ""
        found.append(f"{m.relationship}: {m.name}{where}{phone}{flags}")
    return found


def detail_html(row: VisitRow | None) -> str:
    if row is None:
        return "<p>No visit selected.</p>"
    staff = "".join(
        f"<p style='color:#a00000'><b>RISK TO STAFF: {escape(s)}</b></p>" for s in row.staff_risk
    )
    when = f"{fmt.clock(row.start_time)}–{fmt.clock(row.end_time)}"
    head = (
        f"<h3 style='margin:0'>{escape(row.name)} ({escape(row.crn)})</h3>"
        f"<p>{escape(when)} · {escape(row.type_text)}<br>{escape(row.place)}"
        + (f"<br>Phone {escape(row.phone)}" if row.phone else "")
        + (f"<br><b>Access:</b> {escape(row.access_notes)}" if row.access_notes else "")
        + "</p>"
    )
    risk = [row.rosh, row.who_at_risk, row.mappa, *row.flags, *row.restraining_orders]
    return (
        head
        + staff
        + _list("Risk", [r for r in risk if r])
        + _list("Household and contacts", _household(row))
        + _list("Conditions bearing on the visit", row.conditions)
        + _list("Outstanding", row.outstanding)
        + (f"<p><b>Check-in:</b> {escape(row.lone_working)}</p>" if row.lone_working else "")
    )
