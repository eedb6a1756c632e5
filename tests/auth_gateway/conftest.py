"""Shared fixtures: a clean environment, a local OIDC issuer on loopback, and gateway apps built from it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from auth_gateway.app import create_app
from auth_gateway.config import GatewaySettings
from tests.support.oidc_issuer.issuer import OidcTestIssuer

BASE_URL = "http://127.0.0.1:8443"
RESOURCE = f"{BASE_URL}/mcp"
RESOURCE_METADATA = f"{BASE_URL}/.well-known/oauth-protected-resource/mcp"
CLIENT_ID = "reports-script"
CLIENT_SECRET = "s3cr3t-" + "k" * 40  # 47 characters
GATEWAY_VARIABLES = (
    "AUTH_MODE",
    "PUBLIC_BASE_URL",
    "OAUTH_CLIENT_ID",
    "OAUTH_CLIENT_SECRET",
    "OAUTH_TOKEN_TTL",
    "OAUTH_REFRESH_TTL",
    "OAUTH_REDIRECT_URIS",
    "AUTH0_DOMAIN",
    "AUTH0_AUDIENCE",
    "OAUTH_ISSUER",
    "OAUTH_SCOPES",
    "TRUSTED_PROXIES",
    "CLIENT_IP_HEADER",
    "LOG_LEVEL",
    "OWNER_PASSWORD_HASH",
    "OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK",
)


@pytest.fixture(scope="session", autouse=True)
def state_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every gateway under test keeps its refresh tokens (OAUTH_STATE_PATH) in a temporary file, not in
    the container path /data. Session-wide, so module-scoped apps see it too."""
    path = str(tmp_path_factory.mktemp("gateway-state") / "oauth.sqlite3")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OAUTH_STATE_PATH", path)
        yield path


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings read os.environ: a developer's exported AUTH_MODE must not change test outcomes."""
    for name in GATEWAY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def issuer() -> Iterator[OidcTestIssuer]:
    with OidcTestIssuer(audience=RESOURCE) as running:
        yield running


def oauth_settings(**overrides: Any) -> GatewaySettings:
    values: dict[str, Any] = {"AUTH_MODE": "oauth", "PUBLIC_BASE_URL": BASE_URL}
    values.update(overrides)
    return GatewaySettings(**values)


GatewayFactory = Callable[..., TestClient]


@pytest.fixture
def gateway_client() -> Iterator[GatewayFactory]:
    """Build a gateway app from settings overrides and enter its lifespan (JWKS load) like uvicorn does."""
    clients: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        client = TestClient(
            create_app(oauth_settings(**overrides)), client=("127.0.0.1", 50000), follow_redirects=False
        )
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def client_credentials_token(client: TestClient) -> str:
    """An access token for the `.env` client by client_credentials, the grant the operator's scripts use."""
    issued = client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(CLIENT_ID, CLIENT_SECRET)
    )
    assert issued.status_code == 200, issued.text
    token: str = issued.json()["access_token"]
    return token


OWNER_PASSWORD = "집-주인-password-2026"
OWNER_PASSWORD_HASH = PasswordHasher().hash(OWNER_PASSWORD)


def owner_login_settings(**overrides: Any) -> dict[str, Any]:
    """Overrides for `gateway_client` that turn owner login on (and client credentials, which it needs)."""
    return {
        "OAUTH_CLIENT_ID": CLIENT_ID,
        "OAUTH_CLIENT_SECRET": CLIENT_SECRET,
        "OWNER_PASSWORD_HASH": OWNER_PASSWORD_HASH,
        **overrides,
    }
