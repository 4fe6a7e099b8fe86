"""Signing the MSI with a certificate verifies; without a certificate nothing is signed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import codesign
import pytest
from buildlib import BuildError

from tests.packaging.conftest import BuiltMsi, need_tools

pytestmark = pytest.mark.packaging


@pytest.fixture
def test_certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A throwaway self-signed code-signing certificate, valid for one day."""
    need_tools("openssl", "osslsigncode")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=Fieldcase Test Signing",
            "-addext",
            "extendedKeyUsage=codeSigning",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        check=True,
    )
    return cert, key


def test_no_certificate_means_no_signing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FIELDCASE_SIGN_CERT", "FIELDCASE_SIGN_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert codesign.config_from(None, None) is None


def test_environment_configures_signing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDCASE_SIGN_CERT", "/secrets/cert.pem")
    monkeypatch.setenv("FIELDCASE_SIGN_KEY", "/secrets/key.pem")
    monkeypatch.setenv("FIELDCASE_SIGN_PASSWORD_FILE", "/secrets/pass")
    config = codesign.config_from(None, None)
    assert config == codesign.SigningConfig(
        Path("/secrets/cert.pem"), Path("/secrets/key.pem"), Path("/secrets/pass"), None
    )


def test_a_certificate_without_its_key_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIELDCASE_SIGN_KEY", raising=False)
    with pytest.raises(BuildError, match="private key"):
        codesign.config_from("cert.pem", None)


def test_signed_msi_verifies_against_its_certificate(
    built_msi: BuiltMsi, test_certificate: tuple[Path, Path], tmp_path: Path
) -> None:
    cert, key = test_certificate
    msi = tmp_path / built_msi.msi.name
    shutil.copy2(built_msi.msi, msi)
    codesign.sign(msi, codesign.SigningConfig(certificate=cert, key=key))
    report = codesign.verify(msi, trusted=cert)
    assert "Signature verification: ok" in report
    assert "Fieldcase Test Signing" in report
    with pytest.raises(BuildError):
        codesign.verify(built_msi.msi, trusted=cert)  # the unsigned original
