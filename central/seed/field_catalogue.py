"""Fixed lists the field-day seed draws from: household, access notes, risk wording.

Licence condition categories are the additional-condition categories of the Licence
Conditions Order 2015 as DOMAIN.md words them; "Freedom of movement" is the nDelius main
category name seen in the Ministry of Justice's public code (`NLC8`). The others' exact
nDelius spellings were not in the sources (domain/refdata/SOURCES.md). The seed's
condition codes stay the ones `catalogue.LICENCE_CONDITIONS` already uses.
"""

from __future__ import annotations

# seed code -> (national main category name, sub-category wording, notes)
LICENCE_DETAILS: dict[str, tuple[str, str, str]] = {
    "NLC1": ("Standard licence conditions", "Be of good behaviour", ""),
    "NLC2": ("Standard licence conditions", "Keep in touch", ""),
    "NLC3": ("Standard licence conditions", "Receive visits", ""),
    "NLC4": (
        "Residence at a specific place",
        "Reside at an address approved by the supervising officer",
        "Approved address only; any night away needs prior permission.",
    ),
    "NLC5": ("Standard licence conditions", "Approved work only", ""),
    "NLC6": ("Standard licence conditions", "No travel outside the UK", ""),
    "ALC1": (
        "Curfew",
        "Confine yourself to the approved address between 19:00 and 07:00",
        "Electronically monitored; the tag is fitted at the right ankle.",
    ),
    "ALC2": (
        "Freedom of movement",
        "Not to enter the exclusion zone shown on the attached map",
        "Zone covers the streets around the victim's home and workplace.",
    ),
    "ALC3": ("Participation in a programme", "Substance misuse service", ""),
    "ALC4": (
        "Non-contact with a named person or group",
        "Not to approach or communicate with the victim without prior approval",
        "Includes contact through third parties and social media.",
    ),
    "ALC5": ("Drug testing", "Provide samples for drug testing as directed", ""),
}

REQUIREMENT_NOTES: dict[str, tuple[str, str]] = {
    "J": ("Electronic monitoring", "19:00 to 07:00 at the home address, seven days a week."),
    "X": ("Exclusion zone", "Not to enter the town centre zone on the map in the order."),
    "RM40": ("Residence", "Reside where approved by the responsible officer."),
}

ACCESS_NOTES = [
    "Ground-floor flat; entry by the side door. Intercom broken: phone on arrival.",
    "Dog in the back garden: ask for it to be shut away before entering.",
    "Third floor, no lift. Stairwell poorly lit after 16:00.",
    "Shared house: ask for the person by name; other tenants not known to us.",
    "Park on the main road: the close is narrow with no turning space.",
    "Knock loudly: the bell does not work. Person often sleeps until late morning.",
    "Flat above the shop; entrance at the rear via the alley.",
    "",
]

STAFF_RISK_NOTES = [
    "Verbal aggression towards a female officer at the last home visit. Visit in pairs.",
    "Large dog (not a banned breed) at the address; it has been aggressive to visitors.",
    "Brother at the address has convictions for violence against public servants.",
    "Knife found at the address during a police search in the spring.",
    "Threatened staff when intoxicated; visit mornings only.",
]

ROSH_NATURE = [
    "Physical violence, including use of a weapon, when intoxicated or confronted.",
    "Emotional and physical abuse of an intimate partner; controlling behaviour.",
    "Threats and intimidation towards people seen as having wronged him or her.",
    "Violence in public places, often in groups and linked to the night-time economy.",
]
ROSH_WHO = {
    "children": "Children in the household, through exposure to domestic abuse.",
    "known_adult": "Current and former partners.",
    "public": "Members of the public in and around licensed premises.",
    "staff": "Staff who challenge behaviour, including probation and hostel staff.",
}
ROSH_WHEN = [
    "When drinking heavily, especially at weekends.",
    "At times of relationship breakdown or when contact with children is refused.",
    "When using crack cocaine and in debt to suppliers.",
    "When accommodation is lost or under threat.",
]
ROSH_INCREASE = [
    "Alcohol misuse; loss of accommodation; association with pro-criminal peers.",
    "Relationship conflict; unemployment; stopping prescribed medication.",
    "Drug use and debt; contact with the victim.",
]
ROSH_REDUCE = [
    "Stable accommodation; engagement with treatment; compliance with licence conditions.",
    "Employment; support of family; completion of the Building Better Relationships programme.",
    "Abstinence from alcohol; structured days; regular contact with the supervising officer.",
]

GP_SURGERIES = ["Health Centre", "Medical Practice", "Surgery", "Family Practice"]
