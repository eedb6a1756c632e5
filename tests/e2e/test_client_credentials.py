"""client_credentials end to end: a token from POST /oauth/token through Caddy opens /mcp to the SDK
client; forged, expired and old-secret tokens do not, and the MCP server never sees a bearer token or a
client-supplied identity header. With only client_credentials configured, the SDK's own
ClientCredentialsOAuthProvider finds the token endpoint through our discovery documents by itself.
"""

from __future__ import annotations

import secrets
import time
from typing import Literal

import httpx
import pytest
from mcp.client.auth.extensions.client_credentials import ClientCredentialsOAuthProvider

from auth_gateway.credentials.own_tokens import OwnTokenAuthority
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.mcp_client import (
    APARTMENT_MEDIAN_10K,
    MCP_HEADERS,
    PING,
    MemoryStorage,
    apartment_trades,
    connect,
)
from tests.e2e.stack_processes import Stack
from tests.support.oidc_issuer.issuer import OidcTestIssuer


def issue_token(stack: Stack, *, basic: bool) -> str:
    url = f"{stack.url}/oauth/token"
    if basic:
        response = httpx.post(url, data={"grant_type": "client_credentials"}, auth=(CLIENT_ID, CLIENT_SECRET))
    else:
        form = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
        response = httpx.post(url, data=form)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"].lower() == "bearer"
    assert body["expires_in"] > 0
    return str(body["access_token"])


def authority(stack: Stack, secret: str) -> OwnTokenAuthority:
    """Mints tokens the way the gateway does, for tokens it would never hand out itself."""
    return OwnTokenAuthority(
        client_id=CLIENT_ID,
        client_secret=secret,
        issuer=stack.url,
        audience=f"{stack.url}/mcp",
        ttl=3600,
        scopes=(),
    )


@pytest.mark.parametrize("basic", [False, True], ids=["form", "basic"])
async def test_a_token_from_our_endpoint_lets_the_sdk_client_in(oidc_stack: Stack, basic: bool) -> None:
    token = issue_token(oidc_stack, basic=basic)
    oidc_stack.mcp.new_requests()

    async with connect(f"{oidc_stack.url}/mcp", headers={"Authorization": f"Bearer {token}"}) as client:
        tools = (await client.list_tools()).tools
        data = await apartment_trades(client)

    assert any(tool.name == "get_apartment_trades" for tool in tools)
    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K
    received = oidc_stack.mcp.new_requests()
    assert received, "the MCP server should have served the session"
    assert [r["headers"].get("authorization") for r in received] == [None] * len(received)
    assert {r["headers"].get("x-auth-client-id") for r in received} == {CLIENT_ID}
    # Caddy's access log lists request headers (Authorization redacted); neither log holds a secret.
    for process in (oidc_stack.caddy, oidc_stack.gateway):
        assert token not in process.log(), process.name
        assert CLIENT_SECRET not in process.log(), process.name
    assert "/oauth/token" in oidc_stack.caddy.log()  # the access log is on: the check above can fail


def test_identity_headers_sent_by_the_client_are_replaced(oidc_stack: Stack) -> None:
    token = issue_token(oidc_stack, basic=True)
    oidc_stack.mcp.new_requests()

    response = httpx.post(
        f"{oidc_stack.url}/mcp",
        content=PING,
        headers={
            **MCP_HEADERS,
            "Authorization": f"Bearer {token}",
            "X-Auth-Subject": "admin",
            "X-Auth-Client-Id": "someone-else",
        },
    )

    assert response.status_code == 200, response.text
    (received,) = oidc_stack.mcp.new_requests()
    assert received["headers"]["x-auth-subject"] == CLIENT_ID
    assert received["headers"]["x-auth-client-id"] == CLIENT_ID


def test_wrong_client_secret_gets_no_token(oidc_stack: Stack) -> None:
    response = httpx.post(
        f"{oidc_stack.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(CLIENT_ID, secrets.token_hex(32)),
    )

    assert response.status_code == 401
    assert "access_token" not in response.text


def rejected_tokens(stack: Stack, issuer: OidcTestIssuer) -> dict[str, str]:
    header = "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9"
    return {
        "garbage": "not-a-token",
        "forged-signature": f"{header}.eyJzdWIiOiJhZG1pbiJ9.{secrets.token_urlsafe(32)}",
        "expired": authority(stack, CLIENT_SECRET).issue(now=time.time() - 7200).access_token,
        "old-secret": authority(stack, secrets.token_hex(32)).issue().access_token,
        "other-audience": issuer.mint(aud="https://other.example/mcp"),
    }


# The word the gateway's error_description must use, so each token fails for the intended reason.
REASONS = {
    "garbage": "not a signed JWT",
    "forged-signature": "signature",
    "expired": "expired",
    "old-secret": "signature",
    "other-audience": "audience",
}


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_bad_tokens_are_refused_before_the_mcp_server(
    oidc_stack: Stack, oidc_issuer: OidcTestIssuer, kind: str
) -> None:
    token = rejected_tokens(oidc_stack, oidc_issuer)[kind]
    oidc_stack.mcp.new_requests()

    response = httpx.post(
        f"{oidc_stack.url}/mcp", content=PING, headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"], response.headers
    assert REASONS[kind] in response.headers["WWW-Authenticate"]
    assert oidc_stack.mcp.new_requests() == []


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
async def test_the_sdk_client_credentials_provider_discovers_our_token_endpoint(
    own_tokens_stack: Stack, method: Literal["client_secret_basic", "client_secret_post"]
) -> None:
    stack = own_tokens_stack
    provider = ClientCredentialsOAuthProvider(
        server_url=f"{stack.url}/mcp",
        storage=MemoryStorage(),
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token_endpoint_auth_method=method,
        issuer=stack.url,  # PUBLIC_BASE_URL: our own token endpoint is the authorization server
    )
    stack.mcp.new_requests()

    async with connect(f"{stack.url}/mcp", auth=provider) as client:
        data = await apartment_trades(client)

    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K
    received = stack.mcp.new_requests()
    assert received
    assert {r["headers"].get("x-auth-client-id") for r in received} == {CLIENT_ID}
    assert [r for r in received if "authorization" in r["headers"]] == []
