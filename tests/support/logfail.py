"""Fail any test that logs an unexpected WARNING or worse (after qutebrowser's logfail)."""

from __future__ import annotations

import logging


class LogFailHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
