"""Optional Authenticode signing of the MSI with osslsigncode.

Signing happens only when a certificate is configured, by flags or by environment variables
(so CI can take them from its secret store):
- FIELDCASE_SIGN_CERT: the certificate chain (PEM or DER);
- FIELDCASE_SIGN_KEY: its private key;
- FIELDCASE_SIGN_PASSWORD_FILE: a file holding the key's password (optional; never on the
  command line, where `ps` shows it);
- FIELDCASE_SIGN_TIMESTAMP_URL: an RFC 3161 time-stamping service (optional but wise:
  without a timestamp the signature dies with the certificate).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from buildlib import BuildError, require_tool, run

DESCRIPTION = "Fieldcase"


@dataclass(frozen=True)
class SigningConfig:
    certificate: Path
    key: Path
    password_file: Path | None = None
    timestamp_url: str | None = None


def config_from(
    certificate: str | None,
    key: str | None,
    password_file: str | None = None,
    timestamp_url: str | None = None,
) -> SigningConfig | None:
    """The signing set-up from flags, falling back to the environment; None: do not sign."""
    env = os.environ
    certificate = certificate or env.get("FIELDCASE_SIGN_CERT")
    key = key or env.get("FIELDCASE_SIGN_KEY")
    if not certificate and not key:
        return None
    if not certificate or not key:
        raise BuildError("signing needs both a certificate and its private key")
    pw = password_file or env.get("FIELDCASE_SIGN_PASSWORD_FILE")
    return SigningConfig(
        certificate=Path(certificate),
        key=Path(key),
        password_file=Path(pw)
        if (pw := password_file or env.get("FIELDCASE_SIGN_PASSWORD_FILE"))
        else None,
        timestamp_url=timestamp_url or env.get("FIELDCASE_SIGN_TIMESTAMP_URL"),
    )


def sign(path: Path, config: SigningConfig) -> None:
    """Sign `path` in place (SHA-256), through a temporary file osslsigncode writes."""
    tool = require_tool("osslsigncode", "osslsigncode")
    signed = path.with_name(path.name + ".signed")
    signed.unlink(missing_ok=True)
    args: list[str | Path] = [
        tool,
        "sign",
        "-certs",
        config.certificate,
        "-key",
        config.key,
        "-h",
        "sha256",
        "-n",
        DESCRIPTION,
    ]
    if config.password_file:
        args += ["-readpass", config.password_file]
    if config.timestamp_url:
        args += ["-ts", config.timestamp_url]
    run(*args, "-in", path, "-out", signed)
    signed.replace(path)


def verify(path: Path, trusted: Path | None = None) -> str:
    """osslsigncode's report for a signed file; BuildError when it does not verify."""
    tool = require_tool("osslsigncode", "osslsigncode")
    args: list[str | Path] = [tool, "verify", "-ignore-crl"]
    if trusted is not None:
        args += ["-CAfile", trusted]
    result = run(*args, "-in", path, capture=True)
    return result.stdout
