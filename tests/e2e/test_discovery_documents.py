"""The OAuth discovery documents (RFC 9728, RFC 8414) as clients get them: written by the gateway's
publisher from its settings, served by real Caddy from DISCOVERY_DIR.

Only Caddy runs while the documents are fetched: they never touch the services, so they answer while the
gateway restarts. The issuer and resource advertised are compared with what the gateway itself
enforces for the same settings, so the two can never disagree about which issuer's tokens are accepted.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from auth_gateway.config import GatewaySettings
from auth_gateway.discovery.publisher import publish_discovery_documents
from tests.e2e.stack_processes import base_env, start_caddy

PRM_PATHS = ("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource")
AS_PATH = "/.well-known/oauth-authorization-server"
BASE = "https://mcp.example.ddns.net"
TENANT = "example-tenant.us.auth0.com"


CLIENT = {"OAUTH_CLIENT_ID": "cli", "OAUTH_CLIENT_SECRET": "s" * 40}
OWNER_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"


def publish(directory: Path, **config: str) -> None:
    """What `python -m auth_gateway` does at start-up for these settings."""
    publish_discovery_documents(gateway_view(DISCOVERY_DIR=str(directory), **config))


@contextmanager
def caddy_alone(tmp_path: Path, **config: str) -> Iterator[str]:
    """Caddy with no service behind it, serving what the gateway published for `config`."""
    directory = tmp_path / "discovery"
    publish(directory, **config)
    env = base_env(tmp_path, MCP_UPSTREAM="127.0.0.1:9", AUTH_UPSTREAM="127.0.0.1:9")
    caddy = start_caddy({**env, "DISCOVERY_DIR": str(directory)}, tmp_path)
    try:
        yield f"http://127.0.0.1:{caddy.port}"
    finally:
        caddy.stop()


def get(url: str) -> tuple[int, str, Any]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body = response.read().decode()
            return response.status, response.headers.get("Content-Type", ""), json.loads(body)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), None


def gateway_view(**config: str) -> GatewaySettings:
    return GatewaySettings(**{"AUTH_MODE": "oauth", "PUBLIC_BASE_URL": BASE, **config})  # type: ignore[arg-type]


def assert_resource_documents(documents: list[tuple[int, str, Any]], authorization_server: str) -> None:
    """Each protected resource metadata document names the /mcp resource and this one server."""
    for status, content_type, document in documents:
        assert (status, content_type) == (200, "application/json")
        assert document == {
            "resource": f"{BASE}/mcp",
            "authorization_servers": [authorization_server],
            "scopes_supported": [],
            "bearer_methods_supported": ["header"],
        }


def test_auth0_configuration(tmp_path: Path) -> None:
    settings = gateway_view(AUTH0_DOMAIN=TENANT)
    with caddy_alone(tmp_path, AUTH0_DOMAIN=TENANT) as url:
        documents = [get(url + path) for path in PRM_PATHS]
        as_status, as_type, as_document = get(url + AS_PATH)

    issuer = f"https://{TENANT}/"
    assert settings.issuer == issuer  # the gateway accepts exactly this issuer's tokens
    assert settings.resource == f"{BASE}/mcp"  # and expects this resource as the audience
    assert_resource_documents(documents, issuer)
    assert (as_status, as_type) == (200, "application/json")
    assert as_document == {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}authorize",
        "token_endpoint": f"{issuer}oauth/token",
        "registration_endpoint": f"{issuer}oidc/register",
        "jwks_uri": f"{issuer}.well-known/jwks.json",
        "revocation_endpoint": f"{issuer}oauth/revoke",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "scopes_supported": [],
    }


BUILT_IN_AS = {
    "issuer": BASE,
    "authorization_endpoint": f"{BASE}/oauth/authorize",
    "token_endpoint": f"{BASE}/oauth/token",
    "revocation_endpoint": f"{BASE}/oauth/revoke",
    "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    "response_types_supported": ["code"],
    "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
    "code_challenge_methods_supported": ["S256"],
    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    "authorization_response_iss_parameter_supported": True,
    "scopes_supported": [],
}


def test_built_in_authorization_server(tmp_path: Path) -> None:
    """Neither Auth0 nor another issuer: the gateway is the authorization server, for the configured
    client (authorization code + PKCE, refresh tokens, client_credentials). Every endpoint it names
    is served (tests/e2e/test_built_in_authorization_server.py goes through them)."""
    settings = gateway_view(**CLIENT)
    with caddy_alone(tmp_path, **CLIENT) as url:
        documents = [get(url + path) for path in PRM_PATHS]
        as_status, as_type, as_document = get(url + AS_PATH)

    assert settings.issuer is None  # no external issuer: our own endpoints are the authority
    assert settings.resource == f"{BASE}/mcp"
    assert_resource_documents(documents, BASE)
    assert (as_status, as_type) == (200, "application/json")
    assert as_document == BUILT_IN_AS
    # The grants advertised are exactly the ones /oauth/token answers (tests/e2e/test_client_credentials.py,
    # test_authorization_code.py and test_built_in_authorization_server.py use each).


def test_owner_login_adds_registration(tmp_path: Path) -> None:
    """Only with OWNER_PASSWORD_HASH set do self-registering clients (DCR, client ID metadata
    documents, public clients authenticating with "none") get advertised."""
    with caddy_alone(tmp_path, **CLIENT, OWNER_PASSWORD_HASH=OWNER_HASH) as url:
        _, _, as_document = get(url + AS_PATH)

    assert as_document == {
        **BUILT_IN_AS,
        "registration_endpoint": f"{BASE}/oauth/register",
        "client_id_metadata_document_supported": True,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
    }


def test_documents_follow_the_gateway_while_caddy_keeps_running(tmp_path: Path) -> None:
    """Caddy holds no OAuth setting: a gateway restarted with another configuration changes what the
    running Caddy serves, and a switch to AUTH_MODE=none leaves nothing of the old one advertised."""
    directory = tmp_path / "discovery"
    with caddy_alone(tmp_path, **CLIENT) as url:
        assert "registration_endpoint" not in get(url + AS_PATH)[2]

        publish(directory, **CLIENT, OWNER_PASSWORD_HASH=OWNER_HASH)
        assert get(url + AS_PATH)[2]["registration_endpoint"] == f"{BASE}/oauth/register"

        publish(directory, AUTH0_DOMAIN=TENANT)
        assert get(url + PRM_PATHS[0])[2]["authorization_servers"] == [f"https://{TENANT}/"]

        publish(directory, AUTH_MODE="none")
        assert [get(url + path)[0] for path in (*PRM_PATHS, AS_PATH)] == [404, 404, 404]


def test_owner_login_changes_nothing_beside_auth0(tmp_path: Path) -> None:
    with caddy_alone(tmp_path, AUTH0_DOMAIN=TENANT, **CLIENT, OWNER_PASSWORD_HASH=OWNER_HASH) as url:
        _, _, as_document = get(url + AS_PATH)

    assert as_document["issuer"] == f"https://{TENANT}/"
    assert as_document["registration_endpoint"] == f"https://{TENANT}/oidc/register"
    assert "client_id_metadata_document_supported" not in as_document


@pytest.mark.parametrize(
    "config",
    [
        {"OAUTH_ISSUER": "http://127.0.0.1:8443/realms/test"},
        {"OAUTH_ISSUER": "https://id.example.org/"},
        {"OAUTH_ISSUER": "https://id.example.org", "AUTH0_DOMAIN": TENANT},
    ],
    ids=["path-no-slash", "trailing-slash", "wins-over-auth0"],
)
def test_any_oidc_issuer_is_advertised_verbatim(tmp_path: Path, config: dict[str, str]) -> None:
    settings = gateway_view(**config)
    with caddy_alone(tmp_path, **config) as url:
        _, _, document = get(url + PRM_PATHS[0])
        as_status, _, _ = get(url + AS_PATH)

    assert document["authorization_servers"] == [settings.issuer]
    # Clients find that issuer's own metadata; this origin does not pretend to be it.
    assert as_status == 404


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        ("", []),
        ("mcp:read", ["mcp:read"]),
        ("  mcp:read\tmcp:write  ", ["mcp:read", "mcp:write"]),
        ('odd"scope back\\slash', ['odd"scope', "back\\slash"]),
    ],
)
def test_scopes_become_a_json_list(tmp_path: Path, scopes: str, expected: list[str]) -> None:
    with caddy_alone(tmp_path, AUTH0_DOMAIN=TENANT, OAUTH_SCOPES=scopes) as url:
        prm = get(url + PRM_PATHS[0])[2]
        metadata = get(url + AS_PATH)[2]

    assert prm["scopes_supported"] == expected
    assert metadata["scopes_supported"] == expected
    assert list(gateway_view(OAUTH_SCOPES=scopes, AUTH0_DOMAIN=TENANT).required_scopes) == expected


def test_no_discovery_without_oauth_mode(tmp_path: Path) -> None:
    with caddy_alone(tmp_path, AUTH_MODE="none", AUTH0_DOMAIN=TENANT) as url:
        statuses = [get(url + path)[0] for path in (*PRM_PATHS, AS_PATH)]

    assert statuses == [404, 404, 404]
