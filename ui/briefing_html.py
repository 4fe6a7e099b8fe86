"""The visit briefing's pages as HTML for a QTextDocument (Qt's rich-text subset).

One page per visit, written for reading at a front door: the photo and who it is,
Risk to Staff first and in bold, then the rest of the risk, the address and how to get
in, who lives there, the conditions that bear on the visit, the last three contacts
and what is outstanding. Colour is never the only signal (the page may be printed in
black and white): every risk is in words.
"""

from __future__ import annotations

from html import escape

from app.today_rows import BriefingPage, HouseholdMember, VisitRow
from ui import format as fmt

PHOTO_URL = "briefing-photo:{n}"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _section(title: str, body: str) -> str:
    return f"<h3 style='margin-top:6px; margin-bottom:1px'>{_e(title)}</h3>{body}"


def _items(lines: tuple[str, ...] | list[str], *, empty: str = "None recorded") -> str:
    if not lines:
        return f"<p>{_e(empty)}</p>"
    return "<ul style='margin-top:0'>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>"


def _pairs(pairs: tuple[tuple[str, str], ...], pad: int) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:{pad}px'><b>{_e(k)}</b></td><td>{_e(v)}</td></tr>"
        for k, v in pairs
    )
    return f"<table cellspacing='0' cellpadding='{pad // 2}'>{cells}</table>"


def _when(visit: VisitRow) -> str:
    times = f"{fmt.clock(visit.start_time)}–{fmt.clock(visit.end_time)}"
    return f"{visit.date:%A} {fmt.day(visit.date)}, {times}"


def _member(m: HouseholdMember) -> str:
    where = "Lives at the address" if m.lives_there else ""
    flags = ", ".join(m.flags)
    cells = (m.name, m.relationship, m.phone, flags, where)
    return "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>"


def _household(members: tuple[HouseholdMember, ...], pad: int) -> str:
    if not members:
        return "<p>None recorded</p>"
    head = "".join(
        f"<th align='left'>{h}</th>" for h in ("Name", "Relationship", "Phone", "Flags", "")
    )
    rows = "".join(_member(m) for m in members)
    return f"<table cellspacing='0' cellpadding='{pad}' border='1'><tr>{head}</tr>{rows}</table>"


def _risk(page: BriefingPage, pad: int) -> str:
    v = page.visit
    staff = "".join(
        f"<p style='color:#a00000'><b>RISK TO STAFF: {_e(s)}</b></p>" for s in v.staff_risk
    )
    parts = [staff or "<p>No Risk to Staff registration.</p>", f"<p><b>{_e(v.rosh)}</b></p>"]
    if page.rosh_levels:
        levels = " · ".join(f"{group}: {level}" for group, level in page.rosh_levels)
        parts.append(f"<p>{_e(levels)}</p>")
    if page.rosh_summary:
        parts.append(_pairs(page.rosh_summary, pad))
    others = [x for x in (v.mappa, *v.flags, *v.restraining_orders) if x]
    parts.append(_items(others, empty="No MAPPA, ViSOR, domestic abuse or child registrations."))
    return "".join(parts)


def _recent(page: BriefingPage, pad: int) -> str:
    if not page.recent:
        return "<p>None recorded</p>"
    rows = "".join(
        f"<tr><td>{_e(fmt.day(c.date))} {_e(fmt.clock(c.start_time))}</td><td>{_e(c.type_text)}"
        f"</td><td>{_e(c.outcome_text)}</td><td>{_e(c.notes)}</td></tr>"
        for c in page.recent
    )
    return f"<table cellspacing='0' cellpadding='{pad}' border='1'>{rows}</table>"


def page_html(page: BriefingPage, n: int) -> str:
    """The HTML of one visit's page (sizes in CSS pixels: Qt scales them to the device)."""
    v, pad = page.visit, 3
    photo_w = 110
    photo = (
        f"<img src='{PHOTO_URL.format(n=n)}' width='{photo_w}'>"
        if page.photo
        else "<p>No photo held</p>"
    )
    identity = _pairs(page.identity, pad)
    conditions = [*v.conditions, *page.other_conditions]
    return (
        f"<h2 style='margin-bottom:2px'>{_e(v.name)} ({_e(v.crn)})</h2>"
        f"<p>{_e(_when(v))} · {_e(v.type_text)}</p>"
        f"<table cellspacing='0' cellpadding='{pad}'><tr><td valign='top'>{photo}</td>"
        f"<td valign='top'>{identity}</td></tr></table>"
        + _section("Risk", _risk(page, pad))
        + _section(
            "Address and access",
            _pairs((("Address", v.place), ("Phone", v.phone), ("Access", v.access_notes)), pad),
        )
        + _section("Household and contacts", _household(v.household, pad))
        + _section("Licence conditions and requirements", _items(conditions))
        + _section("Last three contacts", _recent(page, pad))
        + _section("Outstanding", _items(v.outstanding, empty="Nothing outstanding."))
    )
