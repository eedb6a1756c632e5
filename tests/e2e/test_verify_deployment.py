"""./scripts/verify-deployment against local stacks (plain http is allowed for loopback only).

A correctly configured stack passes every check, with Auth0-style issuers and with the gateway's
built-in authorization server (whose authorization code round trip runs with the client from a .env
file); an untrusted certificate and the misconfigurations users hit (an issuer missing Auth0's trailing
slash, AUTH_MODE=none, a wrong secret in the file, advertised endpoints nobody serves) each produce a
FAIL line with a fix and a non-zero exit. The failures a real stack cannot be made to show (Auth0's
refusals of the test registration, a certificate for another name or about to expire, an MCP endpoint
without a tool list) come from small fake servers (tests/e2e/fake_deployment.py); tokens given with
--token are checked against the real gateway.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import os
import re
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from mcp import Client

from auth_gateway.config import GatewaySettings
from auth_gateway.discovery.publisher import publish_discovery_documents
from mcp_server.config import Settings
from mcp_server.server import create_server
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.fake_deployment import FakeServer, auth0_like, json_answer
from tests.e2e.mcp_client import APARTMENT_TRADES, connect
from tests.e2e.service_stack import ServiceStack, start_service_stack
from tests.e2e.stack_processes import REPO, RecordingMcpServer, Stack, base_env, start_caddy, start_stack
from tests.support.oidc_issuer.issuer import OidcTestIssuer
from tests.support.ports import free_port

CHATGPT_CALLBACK = "https://chatgpt.com/connector/oauth/verify-deployment-check"


def verify(url: str, *options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "verify-deployment"), url, *options],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def failures(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("FAIL")]


def failed_checks(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The [check] identifiers of the FAIL lines, in order."""
    return re.findall(r"^FAIL  \[([a-z-]+)\]", result.stdout, re.M)


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


def test_a_correct_stack_passes_every_check(oidc_stack: Stack, oidc_issuer: OidcTestIssuer) -> None:
    registered = set(oidc_issuer.clients)

    result = verify(oidc_stack.url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert failures(result) == []
    passed = "\n".join(line for line in result.stdout.splitlines() if line.startswith("PASS"))
    for check in ("reachable", "resource =", "issuer matches exactly", "401", "registration", "S256"):
        assert check in passed
    # The seed's fourth check: one registration, as ChatGPT makes it.
    (new,) = set(oidc_issuer.clients) - registered
    assert oidc_issuer.clients[new]["redirect_uris"] == [CHATGPT_CALLBACK]
    assert oidc_issuer.clients[new]["token_endpoint_auth_method"] == "none"
    assert f"test registration with ChatGPT's redirect URI: client {new}" in passed


def test_skip_dcr_registers_nothing(oidc_stack: Stack, oidc_issuer: OidcTestIssuer) -> None:
    before = oidc_issuer.hits["register"]

    result = verify(oidc_stack.url, "--skip-dcr")

    assert result.returncode == 0, result.stdout
    assert oidc_issuer.hits["register"] == before
    assert "NOTE  test registration skipped (--skip-dcr)" in result.stdout


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
        "ChatGPT's per-app callback is allowed (https://chatgpt.com/connector/oauth/verify-deployment-check)",
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
    """Caddy serves the built-in endpoints' documents the gateway wrote, but no gateway answers behind
    it any more (stopped, or crashed after start-up)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = base_env(tmp_path, MCP_UPSTREAM="127.0.0.1:9", AUTH_UPSTREAM="127.0.0.1:9")
    written_by_the_gateway = GatewaySettings(
        AUTH_MODE="oauth",
        PUBLIC_BASE_URL=url,
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,  # type: ignore[arg-type]
        DISCOVERY_DIR=env["DISCOVERY_DIR"],  # type: ignore[arg-type]
    )
    publish_discovery_documents(written_by_the_gateway)
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
    assert line.startswith(f"FAIL  [certificate] {self_signed_server} has no certificate this machine trusts")
    assert "CERTIFICATE_VERIFY_FAILED" in line
    assert "wait for Caddy to obtain it" in result.stdout


# ---- the test registration: Auth0's refusals, each with the setting that fixes it ------------------


@pytest.fixture
def fakes() -> Iterator[tuple[FakeServer, FakeServer]]:
    resource, issuer = FakeServer(), FakeServer()
    yield resource, issuer
    resource.close()
    issuer.close()


def test_the_test_registration_is_what_chatgpt_sends(fakes: tuple[FakeServer, FakeServer]) -> None:
    resource, issuer = fakes
    auth0_like(resource, issuer)

    result = verify(resource.url)

    assert result.returncode == 0, result.stdout
    (request,) = issuer.posted_json("/oidc/register")
    assert request["redirect_uris"] == [CHATGPT_CALLBACK]
    assert request["token_endpoint_auth_method"] == "none"
    assert request["grant_types"] == ["authorization_code", "refresh_token"]
    assert "client fake-client (./scripts/auth0-access apps prune removes it later)" in result.stdout


@pytest.mark.parametrize(
    ("status", "answer", "check", "fix"),
    [
        (
            403,
            {"error": "access_denied", "error_description": "Dynamic client registration is disabled"},
            "registration-disabled",
            "Settings > Advanced > Dynamic Client Registration on",
        ),
        (404, {}, "registration-disabled", "./scripts/auth0-access open"),
        (
            400,
            {"error": "invalid_redirect_uri", "error_description": "redirect_uri not allowed"},
            "registration-redirect-uri",
            "allow that callback",
        ),
        (
            400,
            {"error": "invalid_client_metadata", "error_description": "invalid scope"},
            "registration-metadata",
            "OAUTH_SCOPES",
        ),
        (429, {"error": "too_many_requests"}, "registration-rate-limit", "wait a minute"),
        (500, {"error": "server_error"}, "registration", "Monitoring > Logs"),
    ],
)
def test_each_refused_registration_names_its_fix(
    fakes: tuple[FakeServer, FakeServer], status: int, answer: dict[str, str], check: str, fix: str
) -> None:
    resource, issuer = fakes
    auth0_like(resource, issuer, registration=json_answer(status, answer))

    result = verify(resource.url)

    assert result.returncode == 1
    assert failed_checks(result) == [check]
    assert f"HTTP {status}" in failures(result)[0]
    assert fix in result.stdout


def test_no_registration_endpoint_at_auth0_fails_with_the_dcr_fix(
    fakes: tuple[FakeServer, FakeServer],
) -> None:
    resource, issuer = fakes
    auth0_like(resource, issuer)
    status, _headers, body = issuer.routes[("GET", "/.well-known/oauth-authorization-server")]
    metadata = json.loads(body)
    del metadata["registration_endpoint"]
    issuer.routes[("GET", "/.well-known/oauth-authorization-server")] = json_answer(status, metadata)

    result = verify(resource.url)

    assert failed_checks(result) == ["registration-endpoint"]
    assert "auth0-setup --apply (item dcr)" in result.stdout
    assert issuer.posted_json("/oidc/register") == []


# ---- the certificate: trusted, valid for the host, days until it expires -------------------------


class LocalAuthority:
    """A CA of our own, trusted by the script through SSL_CERT_FILE, and the leaf certificates it signs."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "verify-deployment test CA")])
        now = datetime.datetime.now(datetime.UTC)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=400))
            .not_valid_after(now + datetime.timedelta(days=400))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.bundle = directory / "ca.pem"
        self.bundle.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def env(self) -> dict[str, str]:
        return {**os.environ, "SSL_CERT_FILE": str(self.bundle)}

    def server_context(
        self, *, names: list[x509.GeneralName], valid_for: datetime.timedelta
    ) -> ssl.SSLContext:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        leaf = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leaf")]))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=100))
            .not_valid_after(now + valid_for)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        chain = self.directory / f"leaf-{leaf.serial_number}.pem"
        chain.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            + leaf.public_bytes(serialization.Encoding.PEM)
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(chain)
        return context


LOOPBACK_IP: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]


@pytest.fixture
def authority(tmp_path: Path) -> LocalAuthority:
    return LocalAuthority(tmp_path)


def verify_https(
    authority: LocalAuthority, names: list[x509.GeneralName], valid_for: datetime.timedelta
) -> subprocess.CompletedProcess[str]:
    """The script against an otherwise correct deployment whose certificate the authority issued."""
    context = authority.server_context(names=names, valid_for=valid_for)
    resource, issuer = FakeServer(tls=context), FakeServer()
    auth0_like(resource, issuer)
    try:
        return verify(resource.url, env=authority.env())
    finally:
        resource.close()
        issuer.close()


def test_a_valid_certificate_reports_its_days_left(authority: LocalAuthority) -> None:
    # An hour past 60 days, so the whole days left are 60 however long the run takes.
    result = verify_https(authority, LOOPBACK_IP, datetime.timedelta(days=60, hours=1))

    assert result.returncode == 0, result.stdout
    assert "PASS  certificate valid for 127.0.0.1, expires in 60 days" in result.stdout


def test_a_certificate_close_to_expiry_warns(authority: LocalAuthority) -> None:
    result = verify_https(authority, LOOPBACK_IP, datetime.timedelta(days=5, hours=1))

    assert result.returncode == 0, result.stdout  # a warning, not a failure: it still works today
    assert "WARN  [certificate-expiry] the certificate for 127.0.0.1 expires in 5 days" in result.stdout
    assert "docker compose logs caddy" in result.stdout


@pytest.mark.parametrize(
    ("names", "valid_for", "check", "fix"),
    [
        (
            [x509.DNSName("other.example.net")],
            datetime.timedelta(days=60),
            "certificate-host",
            "SITE_ADDRESS",
        ),
        (LOOPBACK_IP, datetime.timedelta(days=-1), "certificate-expired", "docker compose logs caddy"),
    ],
)
def test_a_certificate_for_another_name_or_expired_fails(
    authority: LocalAuthority,
    names: list[x509.GeneralName],
    valid_for: datetime.timedelta,
    check: str,
    fix: str,
) -> None:
    result = verify_https(authority, names, valid_for)

    assert result.returncode == 1
    assert failed_checks(result) == [check]  # the later checks would only repeat it
    assert fix in result.stdout


# ---- --token: tools/list with a client's token, its claims against the metadata ------------------


async def test_a_good_token_lists_every_tool(oidc_stack: Stack, oidc_issuer: OidcTestIssuer) -> None:
    token = oidc_issuer.mint(aud=[oidc_stack.url + "/mcp", "https://tenant.example/userinfo"])
    async with Client(create_server(Settings(_env_file=None))) as in_memory:
        tools = (await in_memory.list_tools()).tools

    result = verify(oidc_stack.url, "--skip-dcr", "--token", token)

    assert result.returncode == 0, result.stdout
    assert f"PASS  token iss = {oidc_issuer.issuer}" in result.stdout
    assert f"PASS  token aud includes {oidc_stack.url}/mcp" in result.stdout
    assert f"PASS  tools/list with that token: {len(tools)} tools" in result.stdout
    assert token not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("claims", "check", "said"),
    [
        ({"exp_in": -600}, "token-expiry", "the token expired at"),
        ({"aud": "https://api.example.net/other"}, "token-audience", "AUTH0_AUDIENCE"),
        ({"iss": "https://another-tenant.us.auth0.com/"}, "token-issuer", "another Auth0 tenant"),
    ],
)
def test_a_token_with_wrong_claims_names_the_claim_and_the_gateways_reason(
    oidc_stack: Stack, oidc_issuer: OidcTestIssuer, claims: dict[str, object], check: str, said: str
) -> None:
    claims.setdefault("aud", oidc_stack.url + "/mcp")
    token = oidc_issuer.mint(**claims)  # type: ignore[arg-type]

    result = verify(oidc_stack.url, "--skip-dcr", "--token", token)

    assert result.returncode == 1
    assert failed_checks(result) == [check, "token-refused"]
    assert said in result.stdout
    assert "initialize with that access token answered HTTP 401: " in result.stdout  # the gateway's reason
    assert token not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("token", "said"),
    [
        ("8f3bYqv0c2Zr9KxS1mWn4TtUe7Lh5AjD", "the token is opaque"),
        ("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aGVsbG8.d29ybGQ.dGFn", "the token is encrypted (JWE)"),
    ],
)
def test_an_opaque_or_encrypted_token_gets_the_auth0_fix(oidc_stack: Stack, token: str, said: str) -> None:
    result = verify(oidc_stack.url, "--skip-dcr", "--token", token)

    assert result.returncode == 1
    assert failed_checks(result) == ["token-shape"]
    assert said in result.stdout
    assert f"create an API whose identifier is {oidc_stack.url}/mcp" in result.stdout
    assert "Resource Parameter Compatibility Profile" in result.stdout


def test_an_answer_without_a_tool_list_fails(fakes: tuple[FakeServer, FakeServer]) -> None:
    resource, issuer = fakes
    broken = json_answer(200, {"jsonrpc": "2.0", "id": 2, "error": {"code": -32601, "message": "no tools"}})
    auth0_like(resource, issuer, mcp=broken)
    claims = {"iss": issuer.url + "/", "aud": resource.url + "/mcp", "exp": 4102444800}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    result = verify(resource.url, "--skip-dcr", "--token", f"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln")

    assert failed_checks(result) == ["tools-list"]
    assert "no tools" in result.stdout


# ---- the real cause: wrong host name, no data key, a quota nearly used, a local address -------------


def warned_checks(result: subprocess.CompletedProcess[str]) -> list[str]:
    return re.findall(r"^WARN  \[([a-z-]+)\]", result.stdout, re.M)


def test_a_host_name_caddy_does_not_serve_is_named_with_the_address_to_use(oidc_stack: Stack) -> None:
    """The seed's misdiagnosis: the site is 127.0.0.1:PORT, the user typed localhost:PORT. Caddy now
    answers such a name with a 404 naming SITE_ADDRESS; the script says so and stops there, instead of
    'not JSON' and 'set AUTH_MODE=oauth'."""
    wrong = oidc_stack.url.replace("127.0.0.1", "localhost")

    result = verify(wrong)

    assert result.returncode == 1, result.stdout
    assert failed_checks(result) == ["unserved-host"]
    assert f"Caddy serves no site for the host name {wrong.split('//')[1]}" in result.stdout
    assert f"./scripts/verify-deployment {oidc_stack.url}" in result.stdout
    assert "protected-resource" not in result.stdout
    assert "open-to-anyone" not in result.stdout


def test_caddys_empty_answer_for_an_unserved_host_is_recognised() -> None:
    """What a Caddyfile without our catch-all (an older one, or the operator's own) answers."""
    caddy_like = FakeServer()
    caddy_like.routes[("GET", "/")] = (200, {"Server": "Caddy"}, b"")
    try:
        result = verify(caddy_like.url)
    finally:
        caddy_like.close()

    assert failed_checks(result) == ["unserved-host"]
    assert "Caddy answered an empty 200, so it serves no site for the host name" in result.stdout


def test_a_loopback_address_gets_a_warning_and_no_connector_advice(oidc_stack: Stack) -> None:
    result = verify(oidc_stack.url, "--skip-dcr")

    assert result.returncode == 0, result.stdout
    assert warned_checks(result) == ["not-public"]
    assert "ChatGPT and Claude connect from the internet and cannot reach it" in result.stdout
    assert "add the connector with URL" not in result.stdout
    assert "a local address: ChatGPT and Claude need your public https:// address" in result.stdout


@pytest.fixture(scope="module")
def keyless_stack(
    tmp_path_factory: pytest.TempPathFactory, upstream_env: dict[str, str]
) -> Iterator[ServiceStack]:
    home = tmp_path_factory.mktemp("keyless")
    started = start_service_stack(
        home,
        {**upstream_env, "DATA_GO_KR_API_KEY": ""},
        AUTH_MODE="oauth",
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
    )
    yield started
    started.stop()


def test_no_data_key_is_a_warning_not_all_checks_passed_silently(keyless_stack: ServiceStack) -> None:
    result = verify(keyless_stack.url, "--skip-dcr")

    assert failures(result) == []
    assert "data-key" in warned_checks(result)
    assert "no data.go.kr key is configured: every real-estate data tool will answer with an error" in (
        result.stdout
    )


async def test_a_nearly_used_quota_is_a_warning(
    tmp_path_factory: pytest.TempPathFactory, upstream_env: dict[str, str]
) -> None:
    home = tmp_path_factory.mktemp("quota")
    stack = start_service_stack(
        home,
        {**upstream_env, "CACHE_PATH": str(home / "cache.sqlite3"), "DATA_GO_KR_DAILY_QUOTA": "1"},
        AUTH_MODE="oauth",
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
    )
    try:
        before = verify(stack.url, "--skip-dcr")
        async with connect(f"http://127.0.0.1:{stack.mcp.port}/mcp") as client:  # straight to the server
            result = await client.call_tool(*APARTMENT_TRADES)
        assert not result.is_error
        after = verify(stack.url, "--skip-dcr")
    finally:
        stack.stop()

    assert "quota" not in warned_checks(before)
    assert "quota" in warned_checks(after)
    assert re.search(r"RTMSDataSvcAptTrade\): 1 of 1 requests used today \(KST\); it resets at", after.stdout)
    assert failures(after) == []


# ---- the whole output, stored: what the user reads must not change by accident -------------------

STORED_OUTPUT = Path(__file__).with_name("verify_deployment_output")
# What differs from run to run, or from one OpenSSL to another, and says nothing about the script: ports,
# registered client ids, dates, OpenSSL's wording of a verification failure and where CPython raised it.
VOLATILE = [
    (re.compile(r"(127\.0\.0\.1|localhost):\d+"), r"\1:PORT"),
    (re.compile(r"client-[0-9a-f]{16}"), "client-ID"),
    (re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2} UTC)?"), "DATE"),
    (re.compile(r"certificate verify failed: [^(]*\(_ssl\.c:\d+\)"), "certificate verify failed: REASON"),
]


def output_scenario(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, list[str]]:
    """The command line of each stored scenario, on the stacks and fakes the tests above use."""
    if name == "help":
        return "--help", []
    if name == "plain_http_for_a_public_host":
        return "http://mcp.example.ddns.net", []
    if name == "untrusted_certificate":
        return request.getfixturevalue("self_signed_server"), []
    if name in ("registration_disabled_at_auth0", "no_tool_list"):
        resource, issuer = request.getfixturevalue("fakes")
        if name == "no_tool_list":
            broken = json_answer(200, {"jsonrpc": "2.0", "id": 2, "error": {"code": -32601, "message": "x"}})
            auth0_like(resource, issuer, mcp=broken)
            claims = {"iss": issuer.url + "/", "aud": resource.url + "/mcp", "exp": int(time.time()) + 3630}
            payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            return resource.url, ["--skip-dcr", "--token", f"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln"]
        auth0_like(resource, issuer, registration=json_answer(403, {"error": "access_denied"}))
        return resource.url, []
    if name == "no_data_key":
        return request.getfixturevalue("keyless_stack").url, ["--skip-dcr"]
    if name.startswith("built_in") or name in ("issuer_without_slash", "auth_mode_none"):
        stacks = request.getfixturevalue("misconfigured")
        if name == "issuer_without_slash":
            return stacks["issuer_without_slash"].url, []
        if name == "auth_mode_none":
            return stacks["none_mode"].url, []
        secret = {"built_in_round_trip": CLIENT_SECRET, "built_in_wrong_secret": "w" * 40}[name]
        return stacks["built_in"].url, ["--client-credentials-from", dotenv(tmp_path, CLIENT_ID, secret)]
    stack: Stack = request.getfixturevalue("oidc_stack")
    issuer_: OidcTestIssuer = request.getfixturevalue("oidc_issuer")
    tokens = {
        "good_token": issuer_.mint(aud=stack.url + "/mcp", exp_in=3630),
        "expired_token": issuer_.mint(aud=stack.url + "/mcp", exp_in=-600),
        "opaque_token": "8f3bYqv0c2Zr9KxS1mWn4TtUe7Lh5AjD",
    }
    if name in tokens:
        return stack.url, ["--skip-dcr", "--token", tokens[name]]
    if name == "unserved_host":
        return stack.url.replace("127.0.0.1", "localhost"), []
    return stack.url, []  # auth0_style_issuer


@pytest.mark.parametrize(
    "name",
    [
        "auth0_style_issuer",
        "built_in_round_trip",
        "built_in_wrong_secret",
        "issuer_without_slash",
        "auth_mode_none",
        "unserved_host",
        "good_token",
        "expired_token",
        "opaque_token",
        "no_data_key",
        "untrusted_certificate",
        "registration_disabled_at_auth0",
        "no_tool_list",
        "plain_http_for_a_public_host",
        "help",
    ],
)
def test_the_whole_output_is_the_stored_one(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Every line, the exit status and stderr, on the stacks above, as stored in
    verify_deployment_output/NAME.txt (refactors of the script keep it byte for byte, but for VOLATILE).
    After an intended change: VERIFY_DEPLOYMENT_STORE=1 rewrites the files; review their diff."""
    url, options = output_scenario(name, request, tmp_path)
    result = verify(url, *options, env={**os.environ, "COLUMNS": "80"})  # --help wraps at the width
    seen = f"exit {result.returncode}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    for pattern, replacement in VOLATILE:
        seen = pattern.sub(replacement, seen)
    stored = STORED_OUTPUT / f"{name}.txt"
    if os.environ.get("VERIFY_DEPLOYMENT_STORE") == "1":
        STORED_OUTPUT.mkdir(exist_ok=True)
        stored.write_text(seen, encoding="utf-8")
    assert stored.exists(), f"no {stored.name}: run with VERIFY_DEPLOYMENT_STORE=1 and review it"
    assert seen == stored.read_text(encoding="utf-8")
