"""./scripts/verify-deployment against local stacks (plain http is allowed for loopback only).

A correctly configured stack passes every check, with Auth0-style issuers and with the gateway's
built-in authorization server (whose authorization code round trip runs with the client from a .env
file); an untrusted certificate and the misconfigurations users hit (an issuer missing Auth0's trailing
slash, AUTH_MODE=none, a wrong secret in the file, advertised endpoints nobody serves) each produce a
FAIL line with a fix and a non-zero exit.
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
from tests.e2e.stack_processes import REPO, RecordingMcpServer, Stack, base_env, start_caddy, start_stack
from tests.support.oidc_issuer import OidcTestIssuer
from tests.support.ports import free_port


def verify(url: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "verify-deployment"), url, *options],
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
        "built_in": {"OAUTH_CLIENT_ID": CLIENT_ID, "OAUTH_CLIENT_SECRET": CLIENT_SECRET},
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


def passed_lines(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(line for line in result.stdout.splitlines() if line.startswith("PASS"))


def dotenv(tmp_path: Path, client_id: str, secret: str) -> str:
    path = tmp_path / ".env"
    path.write_text(
        f"# as ./scripts/init-env writes it\nAUTH_MODE=oauth\nOAUTH_CLIENT_ID={client_id}\n"
        f"OAUTH_CLIENT_SECRET='{secret}'\n",
        encoding="utf-8",
    )
    return str(path)


def test_the_built_in_authorization_server_passes(misconfigured: dict[str, Stack]) -> None:
    result = verify(misconfigured["built_in"].url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert failures(result) == []
    passed = passed_lines(result)
    for check in (
        "issuer matches exactly",
        "S256",
        "authorization_endpoint answers",
        "token_endpoint answers",
    ):
        assert check in passed
    # Without owner login nothing registers itself; Claude uses the configured client instead.
    assert "NOTE  no registration_endpoint: Claude connects with OAUTH_CLIENT_ID" in result.stdout


def test_the_authorization_code_round_trip_with_the_env_file(
    misconfigured: dict[str, Stack], tmp_path: Path
) -> None:
    result = verify(
        misconfigured["built_in"].url, "--client-credentials-from", dotenv(tmp_path, CLIENT_ID, CLIENT_SECRET)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    passed = passed_lines(result)
    for step in (
        "redirected to the client with a code",
        "access and a refresh token",
        "let through",
        "refresh",
    ):
        assert step in passed
    assert CLIENT_SECRET not in result.stdout + result.stderr


def test_a_wrong_secret_in_the_env_file_fails_with_a_fix(
    misconfigured: dict[str, Stack], tmp_path: Path
) -> None:
    result = verify(
        misconfigured["built_in"].url, "--client-credentials-from", dotenv(tmp_path, CLIENT_ID, "w" * 40)
    )

    assert result.returncode == 1
    (line,) = failures(result)
    assert "code exchange answered HTTP 401 (invalid_client" in line
    assert "OAUTH_CLIENT_SECRET in the file" in result.stdout


def test_the_round_trip_is_skipped_for_an_external_issuer(oidc_stack: Stack, tmp_path: Path) -> None:
    result = verify(oidc_stack.url, "--client-credentials-from", dotenv(tmp_path, CLIENT_ID, CLIENT_SECRET))

    assert result.returncode == 0, result.stdout
    assert "NOTE  authorization code round trip skipped" in result.stdout


def test_advertised_endpoints_nobody_serves_fail(tmp_path: Path) -> None:
    """Caddy advertises the built-in endpoints, but no gateway answers behind it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = base_env(
        tmp_path,
        MCP_UPSTREAM="127.0.0.1:9",
        AUTH_UPSTREAM="127.0.0.1:9",
        AUTH_MODE="oauth",
        PUBLIC_BASE_URL=url,
    )
    caddy = start_caddy(env, tmp_path, port=port)
    try:
        result = verify(url)
    finally:
        caddy.stop()

    assert result.returncode == 1
    failed = "\n".join(failures(result))
    assert "authorization_endpoint" in failed
    assert "token_endpoint" in failed
    assert "HTTP 502" in failed


@pytest.mark.parametrize(
    ("configuration", "expected"),
    [
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
