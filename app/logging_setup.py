"""One rotating log file in the platform's log folder, with personal data kept out.

Code logs ids, counts and durations only (CONVENTIONS §11). As a second line of
defence the file handler masks anything shaped like a CRN or an e-mail address, so
a careless message cannot put a person's identifier on disk.
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

LOG_NAME = "fieldcase.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
_MASKS = (
    (re.compile(r"\b[A-Z][0-9]{6}\b"), "<crn>"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "<email>"),
)


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir("Fieldcase", "Fieldcase"))


class RedactingFormatter(logging.Formatter):
    """Masks CRN- and e-mail-shaped text in the formatted line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for pattern, mask in _MASKS:
            text = pattern.sub(mask, text)
        return text


_handler: RotatingFileHandler | None = None


def setup_logging(folder: Path | None = None, *, level: int = logging.INFO) -> Path:
    """Install the one file handler (idempotent) and return the log file's path."""
    global _handler  # noqa: PLW0603 - one handler per process, by design
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    _handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    _handler.setFormatter(RedactingFormatter(_FORMAT))
    root.addHandler(_handler)
    root.setLevel(min(root.level or level, level))
    return path


def current_log_file() -> Path | None:
    return Path(_handler.baseFilename) if _handler is not None else None
