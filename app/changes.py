"""Change sets: what a use case or a pulled page changed, so open views refresh just that.

After Anki's `OpChanges`: every write reports the cases and kinds it touched; the
main window broadcasts it and each view decides whether it cares.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

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

    def caseload_cases(self) -> frozenset[str] | None:
        """The cases whose caseload rows to read again (rows come, change or go), or
        None when only a whole reload will do: after a reset, or when the set of cases
        changed without saying which (CASELOAD with no case)."""
        if self.everything or (CASELOAD in self.kinds and not self.cases):
            return None
        return self.cases


class Applied(Protocol):
    """What the cache reports for each pulled page or push answer (storage.pulled.Applied,
    taken structurally: the storage layer loads after the window shows)."""

    @property
    def cases(self) -> frozenset[str]: ...
    @property
    def kinds(self) -> frozenset[str]: ...
    @property
    def caseload(self) -> bool: ...


def from_applied(applied: Applied) -> ChangeSet:
    """A pulled page's or push answer's change set. Its cases include every case that
    came (snapshots) or went (evictions), so `caseload` needs no whole reload. The
    outbox kind is dropped: it says the sync moved outbox rows, and OUTBOX in a change
    set means "a local change is waiting", which asks for another sync. Cases that came
    or went without being named (the cache's reset before a re-download) reload all."""
    if applied.caseload and not applied.cases:
        return ChangeSet.all()  # cases came or went without naming any (a reset)
    kinds = applied.kinds - {OUTBOX}
    return ChangeSet(applied.cases, kinds | {CASELOAD} if applied.caseload else kinds)


class PulledChanges:
    """What the sync applied to the cache since it was last taken.

    `add` is the cache's `on_change` (called on the sync's thread, page by page);
    the GUI thread `take`s the merged change set when a sync ends and publishes it,
    so one sync is one refresh of just the cases it touched.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changes = ChangeSet()

    def add(self, applied: Applied) -> None:
        self._merge(from_applied(applied))

    def _merge(self, changes: ChangeSet) -> None:
        with self._lock:
            self._changes = self._changes.merge(changes)

    def take(self) -> ChangeSet:
        with self._lock:
            changes, self._changes = self._changes, ChangeSet()
        return changes


class ChangeHub(QObject):
    """The one place change sets are announced; views connect to `changes_applied`."""

    changes_applied = Signal(object)

    def publish(self, changes: ChangeSet) -> None:
        if changes:
            self.changes_applied.emit(changes)
