"""The letter kit in the cache: templates (every version ever received), offices, Wales.

Kept in the local `reference_data` and `office_location` tables (encrypted with the rest
of the cache, never synced back). Templates accumulate: a reprint needs the exact
version its letter used, even after the region has published a newer one.
"""

from __future__ import annotations

from domain.letters.kit import LetterKit, OfficeDetails, TemplateText
from storage import local
from storage.db import CacheDb

_KIT = "letters_kit"


def save_kit(cdb: CacheDb, kit: LetterKit, version: str) -> None:
    """Keep `kit`, adding its templates to those already held; offices are replaced."""
    held = load_kit(cdb)
    texts = {t.origin + "\0" + t.text: t for t in (*held.templates, *kit.templates)}
    merged = kit.model_copy(update={"templates": tuple(texts.values()), "offices": ()})
    with cdb.atomic():
        local.put_reference(cdb, _KIT, version, merged.model_dump(mode="json"))
        local.replace_offices(cdb, [o.model_dump() for o in kit.offices])


def load_kit(cdb: CacheDb) -> LetterKit:
    """The kit held (empty before the first online sign-in: the national templates apply)."""
    found = local.get_reference(cdb, _KIT)
    kit = LetterKit() if found is None else LetterKit.model_validate(found[1])
    offices = tuple(OfficeDetails.model_validate(o) for o in local.offices(cdb))
    return kit.model_copy(update={"offices": offices})


__all__ = ["LetterKit", "OfficeDetails", "TemplateText", "load_kit", "save_kit"]
