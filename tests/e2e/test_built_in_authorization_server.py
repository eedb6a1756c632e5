"""Claude's way in with the client id and secret from `.env`, through real Caddy and the real gateway.

No Auth0: the gateway is the authorization server. The SDK's `OAuthClientProvider` holds the
pre-registered client (as Claude does with "Advanced settings → OAuth Client ID / Secret"), so it
skips registration and goes: bare 401 → protected resource metadata → our authorization server
metadata → /oauth/authorize (a 302 straight back, read without a browser) → /oauth/token →
tools/list → a tool call → refresh (the access token's time is up) → another call.
"""

from __future__ import annotations

import functools
import json
import secrets
import subprocess
import sys
import time
from typing import Any, Literal

import anyio
import anyio.to_thread
import httpx2
import pytest
from mcp.client.auth import OAuthClientProvider
from mcp.shared.auth import OAuthToken

from auth_gateway.authorization_server.pkce import s256_challenge
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.mcp_client import (
    APARTMENT_MEDIAN_10K,
    BrowserlessLogin,
    MemoryStorage,
    apartment_trades,
    connect,
)
from tests.e2e.sdk_sign_in import sdk_provider
from tests.e2e.stack_processes import Stack

REDIRECT_URI = "http://127.0.0.1:9/callback"  # RFC 8252 loopback; never contacted, the 302 is read


def pre_registered(
    stack: Stack, login: BrowserlessLogin, method: Literal["client_secret_post", "client_secret_basic"]
) -> tuple[OAuthClientProvider, MemoryStorage]:
    storage = MemoryStorage.pre_registered(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, method)
    return sdk_provider(stack.url, login, "e2e Claude-like client", [REDIRECT_URI], storage), storage


def caddy_requests(stack: Stack) -> list[tuple[str, str, int]]:
    """(method, path, status) of every request in Caddy's access log, in order."""
    entries = []
    for line in stack.caddy.log().splitlines():
        try:
            entry: dict[str, Any] = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger", "").startswith("http.log.access"):
            request = entry["request"]
            entries.append((request["method"], request["uri"].split("?")[0], int(entry["status"])))
    return entries


@pytest.mark.parametrize("method", ["client_secret_post", "client_secret_basic"])
async def test_pre_registered_client_from_a_bare_401_to_a_refreshed_call(
    own_tokens_stack: Stack, method: Literal["client_secret_post", "client_secret_basic"]
) -> None:
    login = BrowserlessLogin()
    provider, storage = pre_registered(own_tokens_stack, login, method)
    logged_before = len(caddy_requests(own_tokens_stack))
    own_tokens_stack.mcp.new_requests()

    async with connect(f"{own_tokens_stack.url}/mcp", auth=provider) as client:
        tools = await client.list_tools()
        first = await apartment_trades(client)
        signed_in = storage.tokens
        assert signed_in is not None
        assert signed_in.refresh_token
        provider.context.token_expiry_time = time.time() - 1  # the access token's lifetime is over
        second = await apartment_trades(client)
        refreshed = storage.tokens

    assert "get_apartment_trades" in {tool.name for tool in tools.tools}
    for data in (first, second):
        assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K
    assert refreshed is not None
    assert refreshed.access_token != signed_in.access_token
    assert refreshed.refresh_token not in (None, signed_in.refresh_token)  # rotated
    assert len(login.authorization_urls) == 1  # the refresh needed no second authorization

    flow = [(verb, path, status) for verb, path, status in caddy_requests(own_tokens_stack)[logged_before:]]
    oauth_steps = [step for step in flow if not step[1].startswith("/mcp") or step[2] == 401]
    assert oauth_steps[:5] == [
        ("POST", "/mcp", 401),
        ("GET", "/.well-known/oauth-protected-resource/mcp", 200),
        ("GET", "/.well-known/oauth-authorization-server", 200),
        ("GET", "/oauth/authorize", 302),
        ("POST", "/oauth/token", 200),
    ]
    assert ("POST", "/oauth/token", 200) in oauth_steps[5:]  # the refresh, through Caddy as well

    received = own_tokens_stack.mcp.new_requests()
    assert {r["headers"]["x-auth-client-id"] for r in received} == {CLIENT_ID}
    assert [r for r in received if "authorization" in r["headers"]] == []

    # The refresh token the client gave up is refused from now on.
    assert_refresh_refused(own_tokens_stack, signed_in.refresh_token)
    # ... and its replay revoked the whole sign-in: the live access token the client holds is refused.
    assert_refused_at_mcp(own_tokens_stack, refreshed.access_token)

    logs = own_tokens_stack.caddy.log() + own_tokens_stack.gateway.log()
    for secret in (CLIENT_SECRET, signed_in.access_token, signed_in.refresh_token, refreshed.access_token):
        assert secret not in logs


def test_a_wrong_secret_gets_invalid_client_through_caddy(own_tokens_stack: Stack) -> None:
    login_query = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
    }
    redirect = httpx2.get(f"{own_tokens_stack.url}/oauth/authorize", params=login_query)
    assert redirect.status_code == 302
    code = dict(httpx2.URL(redirect.headers["location"]).params)["code"]

    response = httpx2.post(
        f"{own_tokens_stack.url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        },
        auth=(CLIENT_ID, "not-the-secret"),
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["cache-control"] == "no-store"
    assert code not in own_tokens_stack.caddy.log() + own_tokens_stack.gateway.log()


def test_an_unknown_client_sees_a_page_and_is_not_redirected(own_tokens_stack: Stack) -> None:
    response = httpx2.get(
        f"{own_tokens_stack.url}/oauth/authorize",
        params={"response_type": "code", "client_id": "stranger", "redirect_uri": "https://evil.example/cb"},
    )

    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-frame-options"] == "DENY"  # Caddy's security headers apply


def assert_refresh_refused(stack: Stack, refresh_token: str | None) -> None:
    """The token endpoint refuses this refresh token (invalid_grant), through Caddy."""
    answer = httpx2.post(
        f"{stack.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant"), answer.text


def assert_refused_at_mcp(stack: Stack, access_token: str) -> None:
    response = httpx2.post(
        f"{stack.url}/mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={
            "Authorization": f"Bearer {access_token}",
            "Accept": "application/json, text/event-stream",
        },
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def signed_in_with_the_sdk(stack: Stack) -> OAuthToken:
    login = BrowserlessLogin()
    provider, storage = pre_registered(stack, login, "client_secret_basic")
    async with connect(f"{stack.url}/mcp", auth=provider) as client:
        await client.list_tools()
    assert storage.tokens is not None
    return storage.tokens


async def test_revoking_a_refresh_token_through_caddy_ends_the_live_access_token(
    own_tokens_stack: Stack,
) -> None:
    tokens = await signed_in_with_the_sdk(own_tokens_stack)
    assert tokens.refresh_token is not None

    revoked = httpx2.post(
        f"{own_tokens_stack.url}/oauth/revoke",
        data={"token": tokens.refresh_token, "token_type_hint": "refresh_token"},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )

    assert revoked.status_code == 200
    assert revoked.headers["cache-control"] == "no-store"
    assert_refused_at_mcp(own_tokens_stack, tokens.access_token)
    assert_refresh_refused(own_tokens_stack, tokens.refresh_token)


async def test_another_process_revokes_a_sign_in_and_the_next_request_is_refused(
    own_tokens_stack: Stack,
) -> None:
    """What an operator tool does: open the state file, revoke the user's sign-ins, exit."""
    tokens = await signed_in_with_the_sdk(own_tokens_stack)
    state = own_tokens_stack.env["OAUTH_STATE_PATH"]
    script = (
        "import sys\n"
        "from auth_gateway.state.revocations import RevocationList\n"
        "revocations = RevocationList(sys.argv[1])\n"
        "for family in revocations.families(client_id=sys.argv[2]):\n"
        "    revocations.revoke_family(family)\n"
    )

    command = [sys.executable, "-c", script, state, CLIENT_ID]
    await anyio.to_thread.run_sync(functools.partial(subprocess.run, command, check=True, timeout=60))

    assert_refused_at_mcp(own_tokens_stack, tokens.access_token)


def test_a_replayed_code_revokes_the_tokens_of_its_first_exchange(own_tokens_stack: Stack) -> None:
    verifier = secrets.token_urlsafe(48)
    redirect = httpx2.get(
        f"{own_tokens_stack.url}/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "code_challenge": s256_challenge(verifier),
            "code_challenge_method": "S256",
        },
    )
    code = dict(httpx2.URL(redirect.headers["location"]).params)["code"]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    first = httpx2.post(f"{own_tokens_stack.url}/oauth/token", data=form, auth=(CLIENT_ID, CLIENT_SECRET))
    assert first.status_code == 200

    replay = httpx2.post(f"{own_tokens_stack.url}/oauth/token", data=form, auth=(CLIENT_ID, CLIENT_SECRET))

    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert_refused_at_mcp(own_tokens_stack, first.json()["access_token"])
    assert_refresh_refused(own_tokens_stack, first.json()["refresh_token"])
