"""The case service's address: HTTPS always, plain HTTP only to this machine itself.

Over plain HTTP anyone on the path (café Wi-Fi, a hotel network, a compromised router)
reads the officer's password, tokens and case data, or changes them. So every client
path (the sign-in screen, the saved settings, `fieldcase-sync`, the machine-wide
configuration) refuses an `http://` address unless it is loopback (127.0.0.0/8, ::1,
localhost), which the demo and the tests use. The check runs before any connection
is made, so a refused address never sees a packet.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from sync.errors import SyncError


class InsecureServerAddress(SyncError):
    """An address that is not HTTPS and not this machine, or not a web address at all."""

    title = "This server address cannot be used"


def is_loopback(host: str | None) -> bool:
    """True for localhost and every loopback IP address (127.0.0.0/8, ::1)."""
    if not host:
        return False
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """The address without surrounding blanks or a trailing slash; refused unless it is
    https://, or http:// to this machine."""
    cleaned = url.strip().rstrip("/")
    parts = urlsplit(cleaned)
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if parts.scheme not in ("https", "http") or not host:
        raise InsecureServerAddress(
            f"The server address {cleaned!r} is not a web address; it starts with https://."
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise InsecureServerAddress(
            "The server address must start with https:// so that your password and cases "
            "are protected on the way. Plain http:// is allowed only to this computer."
        )
    return cleaned
