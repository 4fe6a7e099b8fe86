"""One officer's caseload, generated once, turned into COPY text that clones cheaply.

The national-shape seed (`central.seed.national`) needs millions of records in minutes;
the generator (`central.seed.cases`) makes a few thousand a second. So the generator
builds one real caseload (the template), and every other officer's caseload is that
template with its own identity: new CRNs, new record ids (every version-4 UUID gets a
per-case prefix, so references between records stay intact), the officer's staff and
team codes, and a new name and date of birth for each person. The template is held as
PostgreSQL COPY text with one-character markers where those values go, so cloning a
case is a handful of `str.replace` calls over its text: no JSON parsing per record.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from central.seed.chunks import ChunkRows

# Markers in the template text (control characters never occur in JSON text or codes).
UUID_HEAD = "\x01"  # the first 8 hex digits of every version-4 UUID: the case's number
CRN = "\x02"
OFFICER = "\x03"  # staff code of the case's officer
PREVIOUS = "\x04"  # staff code of the officer before a transfer (a team-mate)
TEAM = "\x05"
SURNAME = "\x06"
FIRST_NAME = "\x07"
BIRTH = "\x08"
SURNAME_LOWER = "\x0e"  # `cases` holds lower-cased copies for search
FIRST_NAME_LOWER = "\x0f"

_UUID4 = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str) -> str:
    """A value escaped for COPY's text format."""
    return value.translate(_COPY_ESCAPES)


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a cloned case belongs to and who its person is."""

    number: int  # unique per case: becomes the first 8 hex digits of its UUIDs
    crn: str
    officer: str
    previous: str
    team: str
    surname: str
    first_name: str
    birth: date

    def values(self) -> dict[str, str]:
        return {
            "u": f"{self.number:08x}", "c": self.crn, "o": self.officer, "p": self.previous,
            "t": self.team, "s": copy_text(self.surname), "f": copy_text(self.first_name),
            "b": self.birth.isoformat(), "sl": copy_text(self.surname.lower()),
            "fl": copy_text(self.first_name.lower()),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class CaseTemplate:
    """One template case: its records as COPY lines (without the version column), its
    `cases` row and its allocations, all with markers."""

    records: str  # %-format: every line starts with its version's key
    count: int
    case_row: str
    allocations: str

    def clone(self, who: Identity, first_version: int) -> tuple[str, str, str]:
        """(records, cases, allocations) COPY text for one case at `first_version`."""
        values = who.values()
        versions = map(str, range(first_version, first_version + self.count))
        values.update(zip(_VERSION_KEYS, versions, strict=False))
        return self.records % values, self.case_row % values, self.allocations % values


_VERSION_KEYS = [f"v{n}" for n in range(100_000)]  # a case's records, at most
_KEYS = {
    UUID_HEAD: "u", CRN: "c", OFFICER: "o", PREVIOUS: "p", TEAM: "t", SURNAME: "s",
    FIRST_NAME: "f", BIRTH: "b", SURNAME_LOWER: "sl", FIRST_NAME_LOWER: "fl",
}  # fmt: skip


def _format(text: str) -> str:
    """Marked text as a %-format string: one C-level pass fills every marker."""
    text = text.replace("%", "%%")
    for marker, key in _KEYS.items():
        text = text.replace(marker, f"%({key})s")
    return text.replace("\x10", "%(v").replace("\x11", ")s")


def _mark_codes(text: str, officer: str, previous: str, team: str) -> str:
    return text.replace(officer, OFFICER).replace(previous, PREVIOUS).replace(team, TEAM)


def _mark_person(data: str) -> str:
    """The person's name and date of birth as markers, in the person record only."""
    person = json.loads(data)
    for key, marker in (
        ("surname", SURNAME),
        ("first_name", FIRST_NAME),
        ("date_of_birth", BIRTH),
    ):
        quoted = f'"{key}":{json.dumps(person[key], ensure_ascii=False)}'
        if quoted not in data:
            raise ValueError(f"person record without a plain {key!r}")
        data = data.replace(quoted, f'"{key}":"{marker}"', 1)
    return data


def templates(
    rows: ChunkRows, *, officer: str, previous: str, team: str, now: datetime
) -> list[CaseTemplate]:
    """Split generated rows into per-case templates (the rows of one officer's caseload)."""
    stamp = now.isoformat()
    by_crn: dict[str, list[str]] = {row["crn"]: [] for row in rows.cases}
    for record_id, kind, crn, data in rows.records:
        marked = _mark_person(data) if kind == "person" else data
        line = f"{record_id}\t{kind}\t{crn}\tf\t{copy_text(marked)}\t{{}}\t{stamp}\tseed"
        by_crn[crn].append(line)
    result = []
    for row in rows.cases:
        crn = row["crn"]
        allocations = [a for a in rows.allocations if a["crn"] == crn]
        case_line = "\t".join(
            (crn, row["person_id"], row["staff_code"], row["team_code"], SURNAME_LOWER,
             FIRST_NAME_LOWER, BIRTH, copy_text(row["aliases"]))
        )  # fmt: skip
        allocation_lines = "".join(
            "\t".join(
                (crn, a["staff_code"], a["team_code"], a["start_date"].isoformat(),
                 a["end_date"].isoformat() if a["end_date"] else "\\N", copy_text(a["reason"]))
            ) + "\n"
            for a in allocations
        )  # fmt: skip
        text = "".join(f"\x10{n}\x11\t{line}\n" for n, line in enumerate(by_crn[crn]))

        def mark(value: str, crn: str = crn) -> str:
            value = _UUID4.sub(lambda m: UUID_HEAD + m.group(1), value)
            return _mark_codes(value.replace(crn, CRN), officer, previous, team)

        result.append(
            CaseTemplate(
                records=_format(mark(text)),
                count=len(by_crn[crn]),
                case_row=_format(mark(case_line) + "\n"),
                allocations=_format(mark(allocation_lines)),
            )
        )
    return result
