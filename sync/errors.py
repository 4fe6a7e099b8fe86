"""The typed, expected failures of syncing, each with a title and a plain message.

Two families matter to the engine: `TransientError` (worth retrying with backoff:
no network, a busy server, a dropped answer) and everything else (retrying will
not help: sign in again, upgrade, a refused or malformed answer). None of these
ever drops or rejects a queued change: the outbox is only touched by a server's
answer that parsed and validated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import FieldcaseError

if TYPE_CHECKING:  # the wire models load with the sync, after the app's first screen
    from sync.protocol import ServerAction


class SyncError(FieldcaseError):
    """Base of every expected sync failure."""

    title = "Could not sync"


class TransientError(SyncError):
    """Worth trying again later; `retry_after` is the server's hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class OfflineError(TransientError):
    title = "Working offline"


class UnreachableError(OfflineError):
    """No connection could be made at all (refused, no route, no answer in the connect
    timeout): not retried within a request, so the officer sees "offline" at once."""


class ServerBusyError(TransientError):
    title = "The case service is busy"


class BadAnswerError(SyncError):
    """The answer was not what the protocol promises (a proxy's HTML page, junk, too big)."""

    title = "Unexpected answer from the server"


class ServerRefusedError(SyncError):
    """A 4xx Problem the engine cannot act on by itself; `code` is the server's."""

    def __init__(self, message: str, *, code: str = "refused", status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class AccessTokenExpired(SyncError):
    """A 401 on an API call: refresh silently and try once more (never a rejection)."""


class ActionRequired(SyncError):
    """The server asked for an action (reset, upgrade, wipe) before anything else."""

    def __init__(self, action: ServerAction) -> None:
        super().__init__(action.message)
        self.action = action


class SignInRequired(SyncError):
    """No usable refresh token (expired, revoked, never signed in): the officer signs in."""

    title = "Please sign in again"


class SignInFailed(SyncError):
    """The username or password was not accepted."""

    title = "Sign-in failed"


class DeviceAwaitingApproval(SyncError):
    """The password was right, but an administrator has not approved this laptop yet."""

    title = "Waiting for approval"


class UpgradeRequired(SyncError):
    title = "Fieldcase needs updating"


class DeviceWiped(SyncError):
    title = "This laptop's access was withdrawn"


class SyncCancelled(SyncError):
    title = "Sync stopped"

    def __init__(self, message: str = "The sync was stopped before it finished.") -> None:
        super().__init__(message)


class CredentialStoreError(SyncError):
    """The OS credential store is missing or locked: tokens are never kept anywhere else."""

    title = "Credential store unavailable"


class QueueDiverged(SyncError):
    """The server holds changes under this laptop's numbers that are not this laptop's
    (a frontier beyond anything it queued, or a stored change with another id): a profile
    restored from a backup or copied from another laptop. Retrying cannot mend it; the
    outbox is kept untouched and the scheduler pauses until the officer or IT acts."""

    title = "Unsent work needs IT support"


class QueueStuck(SyncError):
    """The same oldest waiting change failed to send for several syncs in a row
    (sync/recovery.py `STUCK_AFTER`); says so plainly, with what to do."""

    title = "Changes are stuck"

    def __init__(self, message: str, *, head_seq: int, failures: int) -> None:
        super().__init__(message)
        self.head_seq = head_seq
        self.failures = failures
