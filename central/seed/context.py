"""What every generator of one case shares: its CRN, officer, today, and the randomness."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from central.seed.organisation import Officer


@dataclass
class CaseContext:
    crn: str
    officer: Officer
    offices: list[str]
    place: tuple[str, str]
    today: date
    rng: random.Random
    fake: Faker
    # Calls, texts and e-mails per appointment interval, as a multiple of the usual
    # (1 = the usual; more for a busy, realistic-size load-test caseload).
    communications: int = 1

    def uid(self) -> uuid.UUID:
        """A random (version 4) UUID drawn from the seeded generator: reproducible."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p
