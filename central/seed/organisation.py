"""Synthetic organisation: providers -> PDUs -> teams (6-char codes) -> officers (7-char).

Six to eight officers a team (as probation teams run, under one senior probation
officer), teams spread over the regions in `catalogue.PROVIDERS`,
each team with one or two offices where appointments happen.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from central.seed.catalogue import PLACES, PROVIDERS

TEAM_SIZES = (7, 6, 8)  # officers in successive teams, repeating: six to eight
TEAMS_PER_PDU = 3


@dataclass(frozen=True, slots=True)
class Officer:
    username: str
    staff_code: str
    forename: str
    surname: str
    team_code: str
    provider_code: str


@dataclass
class Organisation:
    providers: list[dict[str, Any]] = field(default_factory=list)
    pdus: list[dict[str, Any]] = field(default_factory=list)
    teams: list[dict[str, Any]] = field(default_factory=list)
    offices: list[dict[str, Any]] = field(default_factory=list)
    officers: list[Officer] = field(default_factory=list)
    team_offices: dict[str, list[str]] = field(default_factory=dict)
    team_place: dict[str, tuple[str, str]] = field(default_factory=dict)

    def staff_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "code": o.staff_code,
                "forename": o.forename,
                "surname": o.surname,
                "team_code": o.team_code,
            }
            for o in self.officers
        ]


def _username(forename: str, surname: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z]", "", (forename[:1] + surname).lower()) or "officer"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def _add_team(
    org: Organisation, provider: str, pdu: str, index: int, place: tuple[str, str]
) -> str:
    code = f"{provider}{chr(ord('A') + index // 10)}{index % 10:02d}"[:6]
    town, _county = place
    org.teams.append(
        {
            "code": code,
            "name": f"{town} Team {index + 1}",
            "pdu_code": pdu,
            "provider_code": provider,
        }
    )
    org.team_place[code] = place
    office_codes = []
    for n in range(1 + index % 2):
        office = f"{code}O{n + 1}"
        suffix = "Probation Office" if n == 0 else "Community Hub"
        office_codes.append(office)
        org.offices.append(
            {
                "code": office,
                "description": f"{town} {suffix}",
                "team_code": code,
                "address": f"{10 + index} High Street, {town}",
                # Ofcom's range for drama: never a real line.
                "phone": f"01632 96{(index * 2 + n) % 10000:04d}",
            }
        )
    org.team_offices[code] = office_codes
    return code


def team_seats(officers: int) -> list[int]:
    """The team index of each officer, filling teams of `TEAM_SIZES` in turn."""
    seats: list[int] = []
    team = 0
    while len(seats) < officers:
        seats.extend([team] * TEAM_SIZES[team % len(TEAM_SIZES)])
        team += 1
    return seats[:officers]


def build_organisation(officers: int, rng: random.Random, fake: Faker) -> Organisation:
    """Enough teams for `officers` officers, filled in order; deterministic for `rng`."""
    org = Organisation()
    seats = team_seats(officers)
    team_count = max(1, len(set(seats)))
    team_codes: list[str] = []
    for t in range(team_count):
        provider, provider_name = PROVIDERS[t % len(PROVIDERS)]
        if not any(p["code"] == provider for p in org.providers):
            org.providers.append({"code": provider, "name": provider_name})
        local = t // len(PROVIDERS)
        place = PLACES[provider][(local // TEAMS_PER_PDU) % len(PLACES[provider])]
        pdu = f"{provider}PDU{local // TEAMS_PER_PDU + 1}"
        if not any(p["code"] == pdu for p in org.pdus):
            org.pdus.append({"code": pdu, "name": f"{place[0]} PDU", "provider_code": provider})
        team_codes.append(_add_team(org, provider, pdu, local, place))
    taken: set[str] = set()
    for i in range(officers):
        team = team_codes[seats[i]]
        forename = fake.first_name_female() if rng.random() < 0.7 else fake.first_name_male()
        surname = fake.last_name()
        org.officers.append(
            Officer(
                username=_username(forename, surname, taken),
                staff_code=f"{team[:3]}P{i + 1:03d}" if i < 999 else f"{team[:2]}{i + 1:05d}",
                forename=forename,
                surname=surname,
                team_code=team,
                provider_code=team[:3],
            )
        )
    return org
