"""Wiping a cache: key first, then the files; safe to repeat after an interruption.

Deleting the key first means that once a wipe has started, whatever remains on disk is
already unreadable, so an interrupted wipe (crash, power cut) never leaves readable
data; running it again finishes the job.
"""

from __future__ import annotations

import logging
from pathlib import Path

from storage.db import with_side_files
from storage.keys import KeyStore
from storage.stage import STAGE_FILE

log = logging.getLogger(__name__)


def cache_files(db_path: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it, the pull stage (pulled pages
    not yet committed, storage/stage.py) and its files, plus salvaged outboxes."""
    files = with_side_files(db_path) + with_side_files(db_path.with_name(STAGE_FILE))
    return files + sorted(db_path.parent.glob("salvaged-*.bin"))


def remove_files(db_path: Path) -> int:
    removed = 0
    for path in cache_files(db_path):
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def wipe(db_path: Path, keystore: KeyStore) -> None:
    """Destroy the cache and its key (a revoked device, a sign-out with wipe).

    Close every connection to the cache before calling this.
    """
    keystore.delete()
    removed = remove_files(db_path)
    log.info("cache wiped: %d files removed", removed)
