"""The cache's expected errors: each says in plain words what happened and what to do.

They are FieldcaseErrors so the app shows them inline (CONVENTIONS §9); anything else
raised from storage/ is a bug.
"""

from __future__ import annotations

from domain.errors import FieldcaseError


class WrongPassword(FieldcaseError):
    title = "Password not accepted"

    def __init__(self) -> None:
        super().__init__(
            "That password does not unlock the cases on this laptop. Check Caps Lock and try again."
        )


class NoCredentialStore(FieldcaseError):
    """No OS credential store: we refuse to keep the key anywhere else."""

    title = "No secure key store"

    def __init__(self) -> None:
        super().__init__(
            "This computer has no secure credential store, so Fieldcase cannot keep case "
            "data safely. On Windows the Credential Manager is built in; on Linux install "
            "and start a Secret Service such as gnome-keyring, then try again."
        )


class NoCacheKey(FieldcaseError):
    title = "Cases need downloading"

    def __init__(self) -> None:
        super().__init__(
            "The key for the cases on this laptop is missing. Sign in while connected and "
            "your cases will be downloaded again."
        )


class CacheInUse(FieldcaseError):
    title = "Fieldcase is already open"

    def __init__(self) -> None:
        super().__init__(
            "Fieldcase is already open on this computer for this account. Switch to that "
            "window, or close it and try again."
        )


class CacheDamaged(FieldcaseError):
    title = "Case data needs rebuilding"

    def __init__(self, saved_changes: int = 0) -> None:
        kept = (
            f" {saved_changes} change(s) not yet sent were kept and will be sent."
            if saved_changes
            else ""
        )
        super().__init__(
            "The cases stored on this laptop were damaged (for example by a power cut) and "
            "will be downloaded again when you are connected." + kept
        )
        self.saved_changes = saved_changes


class DiskFull(FieldcaseError):
    title = "Not enough disk space"

    def __init__(self) -> None:
        super().__init__(
            "This laptop's disk is full, so the change was not saved. Nothing was lost: "
            "free some space (empty the Recycle Bin, delete downloads) and save again."
        )
