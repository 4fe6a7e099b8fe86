"""A synthetic case set up for the field day: household, risk at the door, a photo, visits."""

from __future__ import annotations

import base64
import datetime as dt
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.cache_adapter import StorageCache
from app.context import AppContext, Officer
from central.seed.avatar import silhouette_png
from domain.contacts import Contact
from domain.model import Entity
from domain.people import PersonalCircumstance, PersonalContact
from domain.registrations import Registration
from domain.risk import Photo, RoshSummary
from domain.sentences import Requirement
from storage.crypto import FAST_TEST_PARAMS
from storage.profile import Profile
from storage.pulled import apply_pull_page
from sync.protocol import CaseSnapshot, case_checksum
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, change, make_case


def visit(crn: str, start: dt.time, *, day: dt.date = TODAY, type_code: str = "CHVS") -> Contact:
    end = dt.time(start.hour + 1, start.minute)
    return Contact(
        id=uuid.uuid4(),
        crn=crn,
        type_code=type_code,
        date=day,
        start_time=start,
        end_time=end,
        staff_code=OFFICER.staff_code,
    )


def field_case(
    crn: str, first: str, surname: str, start: dt.time
) -> tuple[CaseData, list[tuple[str, Entity]]]:
    """A case with one home visit today at `start`, and the extra records of the field day."""
    case = make_case(crn, first=first, surname=surname, contacts=2)
    household = (
        PersonalContact(relationship="Partner", first_name="Jo", surname="Bloggs", household=True,
                        flags=("Victim",)),
        PersonalContact(relationship="Child", first_name="Sam", surname=surname, household=True,
                        flags=("Child (aged 6)",)),
        PersonalContact(relationship="GP", first_name="Dr Ann", surname="Other",
                        phone="0117 496 0001"),
    )  # fmt: skip
    order = PersonalCircumstance(type="Restraining order", sub_type="Not to contact Jo Bloggs")
    case.person = case.person.model_copy(
        update={"personal_contacts": household, "circumstances": (order,), "mobile": "07700 900123"}
    )
    case.address = case.address.model_copy(update={"access_notes": "Dog in the back garden"})
    reg = {"crn": crn, "registered_on": dt.date(2026, 1, 10)}
    case.registrations += [
        Registration(id=uuid.uuid4(), type_code="RSTF", notes="Threatened staff when drunk", **reg),
        Registration(id=uuid.uuid4(), type_code="MAPP", level="2", category="1", **reg),
        Registration(id=uuid.uuid4(), type_code="AVIS", **reg),
        Registration(
            id=uuid.uuid4(), type_code="ADVP", next_review_date=dt.date(2026, 6, 1), **reg
        ),
    ]
    case.contacts.append(visit(crn, start))
    late = Contact(
        id=uuid.uuid4(), crn=crn, type_code="COAP", date=TODAY - dt.timedelta(days=2),
        start_time=dt.time(11, 0), end_time=dt.time(11, 30), staff_code=OFFICER.staff_code,
        outcome_code="AFTA", attended=False,
    )  # fmt: skip
    case.contacts.append(late)
    curfew = Requirement(
        id=uuid.uuid4(), crn=crn, event_id=case.event.id, category_code="J", length=6,
        sub_category="Electronic monitoring", notes="19:00 to 07:00",
    )  # fmt: skip
    rosh = RoshSummary(
        id=uuid.uuid4(), crn=crn, assessed_on=dt.date(2026, 9, 1), children="Medium",
        public="Medium", known_adult="High", staff="Low", who_is_at_risk="Current partner.",
        nature_of_risk="Physical violence.", when_most_likely="When drinking.",
    )  # fmt: skip
    png = silhouette_png(random.Random(crn))
    photo = Photo(id=uuid.uuid4(), crn=crn, media_type="image/png",
                  content_base64=base64.b64encode(png).decode())  # fmt: skip
    return case, [("requirement", curfew), ("rosh", rosh), ("photo", photo)]


def snapshot_with(case: CaseData, extra: list[tuple[str, Entity]]) -> CaseSnapshot:
    """The case as a pulled snapshot, with the field day's extra records."""
    changes = [change(kind, e, 1) for kind, e in [*case.records(), *extra]]
    checksum = case_checksum((c.kind, c.id, c.version) for c in changes)
    return CaseSnapshot(crn=case.crn, records=changes, checksum=checksum)


@contextmanager
def field_day_context(tmp_path: Path) -> Iterator[AppContext]:
    """An app context over a real encrypted cache holding two cases with visits today
    (09:30 Noah Patel, 14:00 Amelia Hughes) and one tomorrow; `ctx.clock["now"]` moves time."""
    profile = Profile(tmp_path / "profile", OFFICER.username, kdf=FAST_TEST_PARAMS)
    key = profile.keys.create("pw")
    cdb = profile.open_writer(key)
    late, late_extra = field_case("X100001", "Amelia", "Hughes", dt.time(14, 0))
    early, early_extra = field_case("X100002", "Noah", "Patel", dt.time(9, 30))
    early.contacts.append(visit("X100002", dt.time(10, 0), day=TODAY + dt.timedelta(days=1)))
    snapshots = [snapshot_with(late, late_extra), snapshot_with(early, early_extra)]
    apply_pull_page(cdb, snapshots=snapshots, cursor="c1", last_applied_seq=0)
    clock = {"now": NOW}

    def open_cache() -> StorageCache:
        # Each thread's own connection (a task runner reads and writes on its threads);
        # only the thread that opened one may close it, so it is left to the thread's end.
        return StorageCache(
            profile.connect(key), OFFICER, lambda: clock["now"], owns_connection=False
        )

    officer = Officer(
        OFFICER.username, "Olive Officer", OFFICER.staff_code or "", OFFICER.team_code or ""
    )
    context = AppContext(open_cache, officer, clock=lambda: clock["now"])
    context.clock = clock  # type: ignore[attr-defined]
    try:
        yield context
    finally:
        profile.close()
