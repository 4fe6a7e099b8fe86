"""What OASys and ViSOR supply about risk beyond the flags: the RoSH summary, and a photo.

Both are synced records of their own (kinds `rosh` and `photo`): written centrally (by
the assessment and identification systems), read on the laptop, never edited there.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import field_validator

from domain.model import Entity
from domain.people import Crn

RoshLevel = Literal["Low", "Medium", "High", "Very High"]
ROSH_ORDER: dict[str, int] = {"Low": 1, "Medium": 2, "High": 3, "Very High": 4}
# The OASys groups, in the order the summary lists them.
ROSH_GROUPS: tuple[tuple[str, str], ...] = (
    ("children", "Children"),
    ("public", "Public"),
    ("known_adult", "Known adult"),
    ("staff", "Staff"),
    ("prisoners", "Prisoners"),
)
PHOTO_MAX_BYTES = 50 * 1024
PhotoType = Literal["image/png", "image/jpeg"]


class RoshSummary(Entity):
    """OASys R10 summary: risk of serious harm in the community for each group (prisoners
    only in custody, so often unset), who is at risk, the nature of the harm, when it is
    most likely, and what would increase or reduce it."""

    id: UUID
    crn: Crn
    assessed_on: date
    children: RoshLevel | None = None
    public: RoshLevel | None = None
    known_adult: RoshLevel | None = None
    staff: RoshLevel | None = None
    prisoners: RoshLevel | None = None
    who_is_at_risk: str = ""
    nature_of_risk: str = ""
    when_most_likely: str = ""
    increase_factors: str = ""
    reduce_factors: str = ""

    def levels(self) -> tuple[tuple[str, RoshLevel], ...]:
        """(group words, level) for every group with a level, in OASys order."""
        found = ((words, getattr(self, field)) for field, words in ROSH_GROUPS)
        return tuple((words, level) for words, level in found if level is not None)

    @property
    def overall(self) -> RoshLevel | None:
        """The highest level of any group: what the case is known by."""
        ranked = sorted((ROSH_ORDER[level], level) for _words, level in self.levels())
        return ranked[-1][1] if ranked else None


class Photo(Entity):
    """The person's identification photo, for recognising them at the door.

    Kept small (at most 50 KB) so a caseload's photos cost little to sync and hold; the
    bytes travel base64-encoded inside the record's JSON and are encrypted with the rest
    of the cache."""

    id: UUID
    crn: Crn
    media_type: PhotoType
    content_base64: str
    taken_on: date | None = None

    @field_validator("content_base64")
    @classmethod
    def _small_enough(cls, value: str) -> str:
        try:
            raw = base64.b64decode(value, validate=True)
        except binascii.Error as exc:
            raise ValueError("the photo is not valid base64") from exc
        if len(raw) > PHOTO_MAX_BYTES:
            raise ValueError(f"a photo may be at most {PHOTO_MAX_BYTES // 1024} KB")
        return value

    @property
    def content(self) -> bytes:
        return base64.b64decode(self.content_base64)
