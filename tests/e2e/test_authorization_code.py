"""Authorization code + PKCE the way ChatGPT does it, through real Caddy and the real gateway.

The SDK's `OAuthClientProvider` starts from nothing but the MCP URL: the bare 401, our protected
resource metadata, the issuer's metadata, dynamic registration, a (browserless) login with PKCE S256
and RFC 8707 `resource`, the code exchange, then tool calls with the RS256 access token.

Scopes: with OAUTH_SCOPES empty we advertise `scopes_supported: []`. The SDK then joins that empty
list into the scope "" and, because the issuer supports refresh tokens, appends offline_access,
registering and authorizing with " offline_access" (leading space). A lenient issuer accepts it; a
strict one (Auth0-like) refuses the registration, and the client never gets a token. With
OAUTH_SCOPES set, the challenge carries `scope="..."`, the scope string is well formed and a strict
issuer is satisfied. docs/deployment.md tells operators which to choose.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx2
import pytest
from mcp.client.auth import OAuthClientProvider, OAuthRegistrationError

from tests.e2e.mcp_client import (
    APARTMENT_MEDIAN_10K,
    MCP_HEADERS,
    PING,
    BrowserlessLogin,
    apartment_trades,
    connect,
)
from tests.e2e.sdk_sign_in import sdk_provider
from tests.e2e.stack_processes import RecordingMcpServer, Stack, start_stack
from tests.support.oidc_issuer.issuer import DEFAULT_SCOPES, OidcTestIssuer

REDIRECT_URI = "http://127.0.0.1:9/oauth/callback"  # never contacted: the code is read from the 302
SCOPE = "mcp:read"


def leaves(error: BaseException) -> list[BaseException]:
    """The individual errors inside (possibly nested) exception groups from the SDK's task groups."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaves(inner)]
    return [error]


def oauth_provider(stack: Stack, login: BrowserlessLogin) -> OAuthClientProvider:
    return sdk_provider(stack.url, login, "e2e ChatGPT-like client", [REDIRECT_URI])


async def full_flow_and_tool_call(stack: Stack, login: BrowserlessLogin) -> dict[str, object]:
    async with connect(f"{stack.url}/mcp", auth=oauth_provider(stack, login)) as client:
        return await apartment_trades(client)


async def test_empty_scopes_whole_flow_from_a_bare_401(
    oidc_stack: Stack, oidc_issuer: OidcTestIssuer
) -> None:
    login = BrowserlessLogin()
    before = oidc_issuer.hits.copy()
    oidc_stack.mcp.new_requests()

    data = await full_flow_and_tool_call(oidc_stack, login)

    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K  # type: ignore[index]
    issuer_calls = oidc_issuer.hits - before
    assert (issuer_calls["register"], issuer_calls["authorize"], issuer_calls["token"]) == (1, 1, 1)
    exchange = oidc_issuer.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code"
    assert exchange["resource"] == f"{oidc_stack.url}/mcp"  # RFC 8707: the token's aud is this server
    assert "code_verifier" in exchange
    authorize_query = dict(parse_qsl(urlsplit(login.authorization_urls[-1]).query))
    assert authorize_query["code_challenge_method"] == "S256"
    # The SDK quirk this module's docstring describes (a strict issuer test follows).
    assert authorize_query["scope"] == " offline_access"
    received = oidc_stack.mcp.new_requests()
    assert received
    assert [r for r in received if "authorization" in r["headers"]] == []
    assert {r["headers"]["x-auth-subject"] for r in received} == {oidc_issuer.subject}


async def test_empty_scopes_with_a_strict_issuer_fail_at_registration(
    oidc_stack: Stack, oidc_issuer: OidcTestIssuer
) -> None:
    before = oidc_issuer.hits.copy()
    oidc_stack.mcp.new_requests()
    oidc_issuer.strict_scopes = True
    try:
        with pytest.raises(Exception) as failure:  # noqa: PT011 - the SDK wraps it in task-group errors
            await full_flow_and_tool_call(oidc_stack, BrowserlessLogin())
    finally:
        oidc_issuer.strict_scopes = False

    refusals = [e for e in leaves(failure.value) if isinstance(e, OAuthRegistrationError)]
    assert refusals, failure.value
    assert "' offline_access'" in str(refusals[0])
    issuer_calls = oidc_issuer.hits - before
    assert issuer_calls["register"] == 1
    assert issuer_calls["authorize"] == issuer_calls["token"] == 0
    assert oidc_stack.mcp.new_requests() == []


@pytest.fixture(scope="module")
def strict_issuer() -> Iterator[OidcTestIssuer]:
    with OidcTestIssuer(scopes_supported=[*DEFAULT_SCOPES, SCOPE], strict_scopes=True) as issuer:
        yield issuer


@pytest.fixture(scope="module")
def scoped_stack(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer, strict_issuer: OidcTestIssuer
) -> Iterator[Stack]:
    home: Path = tmp_path_factory.mktemp("scoped")
    stack = start_stack(
        home, mcp_server, AUTH_MODE="oauth", OAUTH_ISSUER=strict_issuer.issuer, OAUTH_SCOPES=SCOPE
    )
    yield stack
    stack.stop()


async def test_configured_scope_satisfies_a_strict_issuer(
    scoped_stack: Stack, strict_issuer: OidcTestIssuer
) -> None:
    login = BrowserlessLogin()
    scoped_stack.mcp.new_requests()

    data = await full_flow_and_tool_call(scoped_stack, login)

    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K  # type: ignore[index]
    authorize_query = dict(parse_qsl(urlsplit(login.authorization_urls[-1]).query))
    assert authorize_query["scope"].split() == [SCOPE, "offline_access"]
    assert scoped_stack.mcp.new_requests()


def test_a_token_without_the_configured_scope_is_refused(
    scoped_stack: Stack, strict_issuer: OidcTestIssuer
) -> None:
    token = strict_issuer.mint(aud=f"{scoped_stack.url}/mcp", scope="openid")
    scoped_stack.mcp.new_requests()

    response = httpx2.post(
        f"{scoped_stack.url}/mcp",
        content=PING,
        headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    assert f'scope="{SCOPE}"' in response.headers["WWW-Authenticate"]
    assert scoped_stack.mcp.new_requests() == []
