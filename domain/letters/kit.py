"""What the central service hands a laptop for its letters: templates, offices, Wales.

Fetched at each online sign-in (`GET /v1/letters/kit`) and kept in the encrypted cache,
so letters are made offline. Shared by the server (which builds it) and the client
(which checks every template in it before keeping any: a bad one is refused whole).
"""

from __future__ import annotations

from pydantic import Field

from domain.model import Entity


class TemplateText(Entity):
    """One template file as the region's administrator wrote it."""

    origin: str = Field(max_length=200)
    text: str = Field(max_length=20_000)


class OfficeDetails(Entity):
    """An office as a letter names it: where to come and whom to call."""

    code: str = Field(max_length=16)
    description: str = Field(max_length=200)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=40)


class LetterKit(Entity):
    templates: tuple[TemplateText, ...] = ()
    offices: tuple[OfficeDetails, ...] = ()
    # Teams of providers whose people are supervised in Wales (bilingual letters).
    welsh_teams: tuple[str, ...] = ()
    provider_code: str = ""
