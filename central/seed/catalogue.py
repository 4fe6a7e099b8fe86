"""Fixed lists the synthetic data draws from: places, offences, courts, circumstances.

Places and courts are public institutions and towns; people's names come from
Faker. Weights mirror the rough national mix of sentence types and outcomes.
"""

from __future__ import annotations

PROVIDERS = [
    ("N07", "London"),
    ("N50", "Greater Manchester"),
    ("N54", "North East"),
    ("N51", "North West"),
    ("N52", "Yorkshire and the Humber"),
    ("N53", "East Midlands"),
    ("N55", "West Midlands"),
    ("N56", "East of England"),
    ("N57", "Kent, Surrey and Sussex"),
    ("N58", "South West"),
    ("N59", "South Central"),
    ("N03", "Wales"),
]

# (town, county) pairs per provider code, used for PDUs, offices and addresses.
PLACES = {
    "N07": [
        ("Camden", "Greater London"),
        ("Croydon", "Greater London"),
        ("Ealing", "Greater London"),
    ],
    "N50": [
        ("Salford", "Greater Manchester"),
        ("Stockport", "Greater Manchester"),
        ("Wigan", "Greater Manchester"),
    ],
    "N54": [
        ("Gateshead", "Tyne and Wear"),
        ("Sunderland", "Tyne and Wear"),
        ("Darlington", "County Durham"),
    ],
    "N51": [("Preston", "Lancashire"), ("Carlisle", "Cumbria"), ("Warrington", "Cheshire")],
    "N52": [
        ("Leeds", "West Yorkshire"),
        ("Sheffield", "South Yorkshire"),
        ("Hull", "East Riding of Yorkshire"),
    ],
    "N53": [("Derby", "Derbyshire"), ("Leicester", "Leicestershire"), ("Lincoln", "Lincolnshire")],
    "N55": [
        ("Coventry", "West Midlands"),
        ("Wolverhampton", "West Midlands"),
        ("Worcester", "Worcestershire"),
    ],
    "N56": [("Norwich", "Norfolk"), ("Ipswich", "Suffolk"), ("Luton", "Bedfordshire")],
    "N57": [("Maidstone", "Kent"), ("Guildford", "Surrey"), ("Brighton", "East Sussex")],
    "N58": [("Plymouth", "Devon"), ("Bristol", "Bristol"), ("Exeter", "Devon")],
    "N59": [("Reading", "Berkshire"), ("Oxford", "Oxfordshire"), ("Southampton", "Hampshire")],
    "N03": [("Cardiff", "South Glamorgan"), ("Swansea", "West Glamorgan"), ("Wrexham", "Clwyd")],
}

OFFENCES = [
    "Theft from a shop",
    "Burglary (dwelling)",
    "Assault occasioning actual bodily harm",
    "Common assault",
    "Possession of a controlled drug (Class A)",
    "Possession with intent to supply (Class B)",
    "Driving while disqualified",
    "Criminal damage",
    "Fraud by false representation",
    "Harassment",
    "Robbery",
    "Possession of an offensive weapon",
    "Breach of a restraining order",
    "Aggravated vehicle taking",
]

SENTENCE_WEIGHTS = {
    "ORA-CO": 25,
    "SA2020-CO": 20,
    "ORA-SSO": 10,
    "SA2020-SSO": 15,
    "LIC": 22,
    "PSS": 8,
}

# (category code, weight, length range in the category's units)
REQUIREMENTS = [
    ("F", 40, (10, 60)),
    ("W", 35, (40, 300)),
    ("J", 8, (2, 6)),
    ("RM38", 8, (10, 30)),
    ("D", 6, (6, 12)),
    ("7", 5, (6, 12)),
    ("RM35", 4, (6, 12)),
    ("X", 3, (3, 12)),
    ("RM40", 2, (3, 6)),
    ("RM47", 3, (30, 120)),
]

LICENCE_CONDITIONS = [
    ("NLC1", "Be of good behaviour and not behave in a way which undermines the licence"),
    ("NLC2", "Keep in touch with the supervising officer as instructed"),
    ("NLC3", "Receive visits from the supervising officer as instructed"),
    ("NLC4", "Reside permanently at an address approved by the supervising officer"),
    ("NLC5", "Not undertake work without prior approval"),
    ("NLC6", "Not travel outside the United Kingdom without prior permission"),
    ("ALC1", "Confine yourself to an approved address between 19:00 and 07:00 (curfew)"),
    ("ALC2", "Not enter the exclusion zone shown on the attached map"),
    ("ALC3", "Attend all appointments with the substance misuse service"),
    ("ALC4", "Not contact the victim directly or indirectly"),
    ("ALC5", "Comply with drug testing as directed"),
]

CIRCUMSTANCES = [
    ("Accommodation", ["Settled", "Temporary", "Approved premises", "No fixed abode"]),
    ("Employment", ["Full-time", "Part-time", "Unemployed", "Student"]),
    ("Relationship", ["Single", "In a relationship", "Married"]),
    ("Dependants", ["Children living with them", "Children not living with them"]),
    ("Substance misuse", ["Alcohol", "Drugs", "Alcohol and drugs"]),
    ("Benefits", ["Universal Credit", "PIP", "None"]),
]

DISABILITIES = [
    ("Learning difficulty", ("Easy-read letters", "Extra time in appointments")),
    ("Mental health condition", ("Quiet waiting area",)),
    ("Mobility impairment", ("Ground-floor interview room",)),
    ("Hearing impairment", ("Sign language interpreter", "Written summaries")),
    ("Visual impairment", ("Large-print letters",)),
]

RELATIONSHIPS = ["Mother", "Father", "Partner", "Sister", "Brother", "Friend", "Support worker"]

LANGUAGES = ["Polish", "Romanian", "Urdu", "Punjabi", "Arabic", "Portuguese", "Lithuanian"]

TIERS = ["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2", "C3", "D1", "D2", "D3"]

NOTE_LINES = [
    "Discussed accommodation and progress since the last appointment.",
    "Reviewed sentence plan objectives; actions agreed for the coming weeks.",
    "Attended on time. Engaged well and reflected on the offence.",
    "Reported stable employment; no new concerns identified.",
    "Discussed alcohol use and referral to the local treatment service.",
    "Reminded of the requirements of the order and the consequences of non-compliance.",
    "Phoned to rearrange; agreed a new date.",
    "Left a voicemail asking for a call back.",
    "Confirmed attendance at the unpaid work induction.",
    "Liaised with the housing officer about the tenancy.",
]
