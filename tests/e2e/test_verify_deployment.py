"""./scripts/verify-deployment against local stacks (plain http is allowed for loopback only).

A correctly configured stack passes every check; an untrusted certificate and the misconfigurations
ChatGPT users hit (no dynamic registration, an issuer missing Auth0's trailing slash, AUTH_MODE=none)
each produce a FAIL line with a fix and a non-zero exit.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.stack_processes import REPO, RecordingMcpServer, Stack, start_stack
from tests.support.oidc_issuer import OidcTestIssuer


def verify(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "verify-deployment"), url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def failures(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("FAIL")]


@pytest.fixture(scope="module")
def misconfigured(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer, oidc_issuer: OidcTestIssuer
) -> Iterator[dict[str, Stack]]:
    configurations = {
        "client_credentials_only": {"OAUTH_CLIENT_ID": CLIENT_ID, "OAUTH_CLIENT_SECRET": CLIENT_SECRET},
        "issuer_without_slash": {"OAUTH_ISSUER": oidc_issuer.issuer.rstrip("/")},
    }
    stacks = {
        name: start_stack(tmp_path_factory.mktemp(name), mcp_server, AUTH_MODE="oauth", **config)
        for name, config in configurations.items()
    }
    stacks["none_mode"] = start_stack(tmp_path_factory.mktemp("none_mode"), mcp_server, AUTH_MODE="none")
    yield stacks
    for stack in stacks.values():
        stack.stop()


def test_a_correct_stack_passes_every_check(oidc_stack: Stack) -> None:
    result = verify(oidc_stack.url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert failures(result) == []
    passed = "\n".join(line for line in result.stdout.splitlines() if line.startswith("PASS"))
    for check in ("reachable", "resource =", "issuer matches exactly", "401", "registration", "S256"):
        assert check in passed


@pytest.mark.parametrize(
    ("configuration", "expected"),
    [
        ("client_credentials_only", "no registration_endpoint"),
        ("issuer_without_slash", "trailing slash"),
        ("none_mode", "AUTH_MODE"),
    ],
)
def test_each_misconfiguration_fails_with_a_fix(
    misconfigured: dict[str, Stack], configuration: str, expected: str
) -> None:
    result = verify(misconfigured[configuration].url)

    assert result.returncode == 1
    assert expected in result.stdout, result.stdout
    assert failures(result)


def test_plain_http_is_refused_for_public_hosts() -> None:
    result = verify("http://mcp.example.ddns.net")

    assert result.returncode == 2
    assert "https://" in result.stderr


class NotFound(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    """HTTPS on loopback with a certificate no machine trusts, like Caddy before it has a real one."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    loopback = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(loopback, critical=False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_untrusted_certificate_gets_the_certificate_fix(self_signed_server: str) -> None:
    result = verify(self_signed_server)

    assert result.returncode == 1
    (line,) = failures(result)  # one failure: the later checks would only repeat it
    assert line.startswith(f"FAIL  {self_signed_server} has no certificate this machine trusts")
    assert "CERTIFICATE_VERIFY_FAILED" in line
    assert "wait for Caddy to obtain it" in result.stdout
