"""Change sets: what a use case or a pulled page changed, so open views refresh just that.

After Anki's `OpChanges`: every write reports the cases and kinds it touched; the
main window broadcasts it and each view decides whether it cares.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

# Kinds a view may care about, beyond record kinds ("contact", "person"...).
OUTBOX = "outbox"
ATTENTION = "attention"
CASELOAD = "caseload"


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Which cases (by CRN) and which kinds of thing changed; `everything` after a reset."""

    cases: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    everything: bool = False

    @classmethod
    def of(cls, cases: Iterable[str] = (), kinds: Iterable[str] = ()) -> ChangeSet:
        return cls(frozenset(cases), frozenset(kinds))

    @classmethod
    def all(cls) -> ChangeSet:
        return cls(everything=True)

    def __bool__(self) -> bool:
        return self.everything or bool(self.cases) or bool(self.kinds)

    def merge(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(
            self.cases | other.cases, self.kinds | other.kinds, self.everything or other.everything
        )

    def touches_case(self, crn: str) -> bool:
        return self.everything or crn in self.cases

    def touches_kind(self, *kinds: str) -> bool:
        return self.everything or not self.kinds.isdisjoint(kinds)

    def touches_caseload(self) -> bool:
        """Any case changed, or the set of cases did: the caseload list is stale."""
        return self.everything or bool(self.cases) or CASELOAD in self.kinds


class ChangeHub(QObject):
    """The one place change sets are announced; views connect to `changes_applied`."""

    changes_applied = Signal(object)

    def publish(self, changes: ChangeSet) -> None:
        if changes:
            self.changes_applied.emit(changes)
