"""Typed errors for mutations this build cannot run.

The server answers them differently: a name nobody knows is a bad request (reject it
and move the queue on); a version this build no longer or not yet speaks means one
side is out of date (an old client gets "upgrade required" and keeps its outbox).
"""

from __future__ import annotations

from domain.errors import FieldcaseError


class MutationNotSupported(FieldcaseError):
    """Base: this build cannot apply the mutation at all."""

    title = "Change not understood"
    code = "unsupported_mutation"


class UnknownMutation(MutationNotSupported):
    """A mutation name this build does not know at all (map to "rejected")."""

    code = "unknown_mutation"

    def __init__(self, name: str) -> None:
        super().__init__(f"'{name[:64]}' is not a change this system knows.")
        self.name = name


class UnsupportedMutationVersion(MutationNotSupported):
    """A known name at a version this build does not speak.

    `too_old`: the sender is behind (map to "upgrade required"); otherwise the sender
    is ahead of this build (the server should be upgraded; reject or hold it).
    """

    code = "unsupported_mutation_version"

    def __init__(self, name: str, version: int, supported: tuple[int, ...]) -> None:
        self.name = name
        self.version = version
        self.supported = supported
        self.too_old = version < min(supported)
        if self.too_old:
            message = (
                f"This version of Fieldcase is out of date ({name} v{version}); please upgrade."
            )
        else:
            message = f"The case system does not understand {name} v{version} yet."
        super().__init__(message)
