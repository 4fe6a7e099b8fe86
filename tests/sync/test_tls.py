"""TLS is verified; an organisation's own CA is trusted only when configured."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sync.client import SyncClient, SyncSettings
from sync.errors import ServerRefusedError
from sync.http import HttpSettings
from tests.sync.conftest import FAST, PASSWORD, USER
from tests.sync.fake_central import Central, serve_tls
from tests.sync.memory_store import MemoryStore


def make_ca_and_cert(folder):
    """A synthetic organisation CA and a localhost certificate it signed."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Probation CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "cert.pem").write_bytes(cert.public_bytes(pem))
    (folder / "key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder / "ca.pem", folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def tls_server(central: Central, tmp_path):
    ca, cert, key = make_ca_and_cert(tmp_path)
    with serve_tls(central, str(cert), str(key)) as url:
        yield url, ca


def test_unknown_ca_is_refused_and_nothing_is_sent(tls_server, central: Central):
    url, _ = tls_server
    client = SyncClient(MemoryStore(), url, USER, FAST)
    with pytest.raises(ServerRefusedError, match="certificate"):
        client.sign_in(PASSWORD, "laptop")
    assert central.access == {}


def test_the_organisations_ca_bundle_is_trusted_when_set(tls_server, central: Central):
    url, ca = tls_server
    settings = SyncSettings(http=HttpSettings(ca_bundle=str(ca), read_timeout=5), retry=FAST.retry)
    store = MemoryStore()
    client = SyncClient(store, url, USER, settings)
    client.sign_in(PASSWORD, "laptop")
    assert client.sync().cases == 3
