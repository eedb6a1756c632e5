"""AUTH_MODE=oauth: a request without a token is answered with the challenge MCP clients start OAuth
discovery from, and never reaches the MCP server, for each way of configuring the issuer.
"""

from __future__ import annotations

import json
import urllib.request

import httpx
import pytest

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.stack_processes import Stack, Stacks

# The request every MCP session starts with, raw: what a client sends before it knows it needs a token.
HELLO = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}}
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": HELLO}
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}

CONFIGURATIONS = {
    # An unreachable tenant is fine: the challenge needs no call to the issuer.
    "auth0": {"AUTH0_DOMAIN": "example-tenant.us.auth0.invalid"},
    "client_credentials": {"OAUTH_CLIENT_ID": CLIENT_ID, "OAUTH_CLIENT_SECRET": CLIENT_SECRET},
}


@pytest.fixture(scope="module", params=sorted(CONFIGURATIONS))
def guarded(request: pytest.FixtureRequest, module_stacks: Stacks) -> Stack:
    return module_stacks.start(f"guard-{request.param}", AUTH_MODE="oauth", **CONFIGURATIONS[request.param])


def test_post_without_token_gets_the_resource_metadata_challenge(guarded: Stack) -> None:
    guarded.mcp.new_requests()

    response = httpx.post(f"{guarded.url}/mcp", json=INITIALIZE, headers=MCP_HEADERS)

    assert response.status_code == 401
    metadata_url = f"{guarded.url}/.well-known/oauth-protected-resource/mcp"
    assert response.headers["WWW-Authenticate"] == f'Bearer resource_metadata="{metadata_url}"'
    assert guarded.mcp.new_requests() == []


def test_the_challenge_points_at_a_document_naming_this_resource(guarded: Stack) -> None:
    response = httpx.post(f"{guarded.url}/mcp", json=INITIALIZE, headers=MCP_HEADERS)
    metadata_url = response.headers["WWW-Authenticate"].split('resource_metadata="')[1].rstrip('"')

    with urllib.request.urlopen(metadata_url, timeout=5) as document:
        metadata = json.load(document)

    assert metadata["resource"] == f"{guarded.url}/mcp"
    assert metadata["authorization_servers"]


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_other_methods_and_subpaths_are_guarded_too(guarded: Stack, method: str) -> None:
    guarded.mcp.new_requests()

    statuses = [
        httpx.request(method, f"{guarded.url}{path}", headers=MCP_HEADERS).status_code
        for path in ("/mcp", "/mcp/x")
    ]

    assert statuses == [401, 401]
    assert guarded.mcp.new_requests() == []


def test_the_gateway_itself_is_not_exposed(guarded: Stack) -> None:
    statuses = {
        path: httpx.get(f"{guarded.url}{path}").status_code for path in ("/verify", "/healthz", "/docs")
    }

    assert statuses == {"/verify": 404, "/healthz": 404, "/docs": 404}


def test_browser_preflight_is_answered_without_a_token_and_never_reaches_the_mcp_server(
    guarded: Stack,
) -> None:
    guarded.mcp.new_requests()

    response = httpx.options(
        f"{guarded.url}/mcp",
        headers={
            "Origin": "http://localhost:6274",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, mcp-protocol-version",
        },
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "mcp-protocol-version"} <= allowed
    assert guarded.mcp.new_requests() == []


def test_a_browser_can_read_the_challenge_of_a_cross_origin_401(guarded: Stack) -> None:
    response = httpx.post(
        f"{guarded.url}/mcp", json=INITIALIZE, headers={**MCP_HEADERS, "Origin": "http://localhost:6274"}
    )

    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert "www-authenticate" in exposed
    assert response.headers["WWW-Authenticate"].startswith("Bearer resource_metadata=")
