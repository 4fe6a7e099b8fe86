"""The field day's data on a seeded case: household, access notes, condition details,
risk wording, the RoSH summary, a photo, and home visits today and tomorrow.

Drawn from a generator of its own (keyed by the CRN and the day), so adding it left
every other seeded value as it was: tests and benchmarks that know a seed's output keep
it. Only synthetic people; the photo is a silhouette, never a face.
"""

from __future__ import annotations

import base64
import random
import uuid
from dataclasses import dataclass
from datetime import time, timedelta

from faker import Faker

from central.seed import field_catalogue as cat
from central.seed.avatar import silhouette_png
from central.seed.context import CaseContext
from domain.contacts import Contact
from domain.model import Entity
from domain.people import Address, Person, PersonalCircumstance, PersonalContact
from domain.registrations import Registration
from domain.risk import Photo, RoshSummary
from domain.sentences import LicenceCondition, Requirement

VISIT_CHANCE = 0.12  # per case and day: 4-7 home visits a day for a caseload of 40-60
_LEVEL_OF_FLAG = {"RLRH": "Low", "RMRH": "Medium", "RHRH": "High", "RVRH": "Very High"}
_LEVELS = ("Low", "Medium", "High", "Very High")


_FAKER: list[Faker] = []  # one per process, reseeded per case (building one costs ~30 ms)


def _faker(seed: str) -> Faker:
    if not _FAKER:
        _FAKER.append(Faker("en_GB"))
    _FAKER[0].seed_instance(seed)
    return _FAKER[0]


@dataclass
class _Draw:
    rng: random.Random
    ctx: CaseContext
    fake: Faker

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def mobile(self) -> str:
        return f"07700 900{self.rng.randint(0, 999):03d}"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def _household(d: _Draw, person: Person, registrations: list[Registration]) -> Person:
    fake, surname = d.fake, person.surname
    codes = {r.type_code for r in registrations if r.active}
    people = [
        PersonalContact(
            relationship="Next of kin (mother)",
            first_name=fake.first_name_female(),
            surname=surname,
            phone=d.mobile(),
        )
    ]
    if d.chance(0.55):
        victim = "ADVP" in codes and d.chance(0.5)
        people.append(
            PersonalContact(
                relationship="Partner",
                first_name=fake.first_name(),
                surname=fake.last_name(),
                phone=d.mobile(),
                household=True,
                flags=("Victim",) if victim else (),
            )
        )
    for _ in range(d.rng.choice((0, 0, 1, 2))):
        age = d.rng.randint(1, 15)
        people.append(
            PersonalContact(
                relationship="Child",
                first_name=fake.first_name(),
                surname=surname,
                household=True,
                flags=(f"Child (aged {age})",),
            )
        )
    people.append(
        PersonalContact(
            relationship="GP",
            first_name="Dr " + fake.first_name(),
            surname=fake.last_name(),
            phone=f"0117 496 {d.rng.randint(0, 999):04d}",
            notes=f"{fake.street_name()} {d.rng.choice(cat.GP_SURGERIES)}",
        )
    )
    if "ADVP" in codes or d.chance(0.15):
        people.append(
            PersonalContact(
                relationship="Victim liaison officer",
                first_name=fake.first_name(),
                surname=fake.last_name(),
                phone=f"0117 496 {d.rng.randint(0, 999):04d}",
            )
        )
    return person.model_copy(update={"personal_contacts": person.personal_contacts + tuple(people)})


def _restraining_order(d: _Draw, person: Person, codes: set[str]) -> Person:
    if "ADVP" not in codes or not d.chance(0.6):
        return person
    order = PersonalCircumstance(
        type="Restraining order",
        sub_type="Not to contact or approach a former partner, or go to her street",
        start_date=d.ctx.today - timedelta(days=d.rng.randint(30, 400)),
        evidenced=True,
    )
    return person.model_copy(update={"circumstances": (*person.circumstances, order)})


def _enrich(d: _Draw, record: Entity) -> Entity:
    """Access notes on the main address, wording and notes on conditions and flags."""
    if isinstance(record, Address) and record.status == "main" and not record.no_fixed_abode:
        return record.model_copy(update={"access_notes": d.rng.choice(cat.ACCESS_NOTES)})
    if isinstance(record, LicenceCondition) and record.category_code in cat.LICENCE_DETAILS:
        category, sub, notes = cat.LICENCE_DETAILS[record.category_code]
        return record.model_copy(update={"category": category, "sub_category": sub, "notes": notes})
    if isinstance(record, Requirement) and record.category_code in cat.REQUIREMENT_NOTES:
        sub, notes = cat.REQUIREMENT_NOTES[record.category_code]
        return record.model_copy(
            update={"sub_category": record.sub_category or sub, "notes": notes}
        )
    if isinstance(record, Registration) and record.type_code == "RSTF":
        return record.model_copy(update={"notes": d.rng.choice(cat.STAFF_RISK_NOTES)})
    return record


def _rosh(d: _Draw, registrations: list[Registration]) -> RoshSummary:
    flag = next((r.type_code for r in registrations if r.type_code in _LEVEL_OF_FLAG), "RMRH")
    top = _LEVEL_OF_FLAG[flag]
    below = _LEVELS[: _LEVELS.index(top) + 1]
    levels = {g: d.rng.choice(below) for g in ("children", "public", "known_adult", "staff")}
    levels[d.rng.choice(list(levels))] = top  # the overall level is some group's level
    at_risk = [cat.ROSH_WHO[g] for g, level in levels.items() if level in ("High", "Very High")]
    return RoshSummary(
        id=d.uid(),
        crn=d.ctx.crn,
        assessed_on=d.ctx.today - timedelta(days=d.rng.randint(20, 200)),
        who_is_at_risk=" ".join(at_risk) or "No group identified at high risk.",
        nature_of_risk=d.rng.choice(cat.ROSH_NATURE),
        when_most_likely=d.rng.choice(cat.ROSH_WHEN),
        increase_factors=d.rng.choice(cat.ROSH_INCREASE),
        reduce_factors=d.rng.choice(cat.ROSH_REDUCE),
        **levels,
    )


def _photo(d: _Draw) -> Photo:
    content = base64.b64encode(silhouette_png(d.rng)).decode("ascii")
    taken = d.ctx.today - timedelta(days=d.rng.randint(30, 700))
    return Photo(
        id=d.uid(), crn=d.ctx.crn, media_type="image/png", content_base64=content, taken_on=taken
    )


def _visits(d: _Draw, event_id: uuid.UUID) -> list[Contact]:
    visits = []
    for day in (d.ctx.today, d.ctx.today + timedelta(days=1)):
        if not d.chance(VISIT_CHANCE):
            continue
        start = time(d.rng.randint(9, 15), d.rng.choice((0, 15, 30, 45)))
        visits.append(
            Contact(
                id=d.uid(),
                crn=d.ctx.crn,
                type_code=d.rng.choice(("CHVS", "CHVS", "CHVS", "COHV")),
                date=day,
                start_time=start,
                end_time=time(start.hour + 1, start.minute),
                event_id=event_id,
                staff_code=d.ctx.officer.staff_code,
                team_code=d.ctx.officer.team_code,
            )
        )
    return visits


def field_day(
    ctx: CaseContext, records: list[tuple[str, Entity]], event_id: uuid.UUID
) -> list[tuple[str, Entity]]:
    """The case's records with the field day's data added (the person replaced in place)."""
    key = f"field-day:{ctx.crn}:{ctx.today.isoformat()}"
    d = _Draw(random.Random(key), ctx, _faker(key))  # noqa: S311
    registrations = [
        r for kind, r in records if kind == "registration" and isinstance(r, Registration)
    ]
    codes = {r.type_code for r in registrations if r.active}
    result: list[tuple[str, Entity]] = []
    for kind, record in records:
        if isinstance(record, Person):
            person = _restraining_order(d, _household(d, record, registrations), codes)
            result.append((kind, person))
        else:
            result.append((kind, _enrich(d, record)))
    result += [("rosh", _rosh(d, registrations)), ("photo", _photo(d))]
    result += [("contact", c) for c in _visits(d, event_id)]
    return result
