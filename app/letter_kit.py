"""Keeping the letter kit current: fetched at each online sign-in, checked, then cached.

The kit (the region's templates, the team's offices, the teams in Wales) is reference
data: a failure to fetch it never fails the sign-in (the laptop keeps the kit it has,
or the national templates), and a kit holding a template that does not pass the checks
is refused whole, so no letter is ever made from it.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING

from domain.errors import FieldcaseError

if TYPE_CHECKING:
    from sync.cache import EncryptedCache
    from sync.client import SyncClient

log = logging.getLogger(__name__)


def refresh_letter_kit(client: SyncClient, cache: EncryptedCache | None) -> bool:
    """Fetch, check and keep the kit; False (logged) when it could not be."""
    from domain.letters.catalogue import parse_many
    from storage.letters import save_kit

    if cache is None:
        return False
    try:
        kit = client.letter_kit()
    except FieldcaseError as error:
        log.info("letter kit not fetched (%s); keeping the one held", type(error).__name__)
        return False
    try:
        parse_many((t.origin, t.text) for t in kit.templates)
    except FieldcaseError as error:
        log.warning("letter kit refused: %s", error.message)
        return False
    version = hashlib.sha256(kit.model_dump_json().encode()).hexdigest()[:16]
    save_kit(cache.db(), kit, version)
    log.info("letter kit kept: %d templates, %d offices", len(kit.templates), len(kit.offices))
    return True
