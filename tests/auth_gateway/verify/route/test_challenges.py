"""The WWW-Authenticate challenges GET /verify answers with, and the scopes it requires.

MCP clients start discovery from the challenge (RFC 9728 §5.1) and parse it by RFC 6750 §3, so its
format is checked exactly: no token, a malformed Authorization header, an invalid token, and a valid
token lacking a scope (403 insufficient_scope) each get their own.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.auth_gateway.conftest import GatewayFactory, bearer
from tests.auth_gateway.verify.route.rejections import BARE_CHALLENGE, assert_rejected
from tests.support.oidc_issuer.issuer import OidcTestIssuer


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Bearer", id="bearer-without-token"),
        pytest.param("Bearer    ", id="bearer-spaces"),
        pytest.param("Basic dXNlcjpwYXNz", id="basic-scheme"),
        pytest.param("Token abc.def.ghi", id="other-scheme"),
        pytest.param("Bearer abc def", id="two-tokens"),
        pytest.param("Bearer \u00e9t\u00e9.x.y", id="non-ascii"),
    ],
)
def test_malformed_authorization_headers(gateway: TestClient, authorization: str) -> None:
    assert_rejected(gateway.get("/verify", headers={b"Authorization": authorization.encode("latin-1")}))


def test_no_token_gets_the_bare_discovery_challenge(gateway: TestClient) -> None:
    response = gateway.get("/verify")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == BARE_CHALLENGE
    assert response.json()["error"] == "unauthorized"


def test_challenge_header_format_is_exact(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    """RFC 6750 §3 + RFC 9728 §5.1: resource_metadata first, then error and a quoted description."""
    response = gateway.get("/verify", headers=bearer(issuer.mint(exp_in=-120)))
    description = response.json()["error_description"]
    assert response.headers["www-authenticate"] == (
        f'{BARE_CHALLENGE}, error="invalid_token", error_description="{description}"'
    )
    assert set(response.json()) == {"error", "error_description"}


# ---- scopes -------------------------------------------------------------------------------------


@pytest.fixture
def scoped_gateway(issuer: OidcTestIssuer, gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(OAUTH_ISSUER=issuer.issuer, OAUTH_SCOPES="mcp:tools  mcp:read")


def test_required_scopes_appear_in_the_challenge(scoped_gateway: TestClient) -> None:
    response = scoped_gateway.get("/verify")
    assert response.headers["www-authenticate"] == f'{BARE_CHALLENGE}, scope="mcp:tools mcp:read"'


def test_scoped_challenges_are_exact(scoped_gateway: TestClient, issuer: OidcTestIssuer) -> None:
    scope = 'scope="mcp:tools mcp:read"'
    invalid = scoped_gateway.get("/verify", headers=bearer(issuer.mint(aud="http://127.0.0.1:9/mcp")))
    assert invalid.status_code == 401
    assert invalid.headers["www-authenticate"] == (
        f'{BARE_CHALLENGE}, {scope}, error="invalid_token", '
        f'error_description="{invalid.json()["error_description"]}"'
    )
    forbidden = scoped_gateway.get("/verify", headers=bearer(issuer.mint(scope="mcp:read")))
    assert forbidden.status_code == 403
    description = forbidden.json()["error_description"]
    assert "mcp:tools" in description
    assert forbidden.headers["www-authenticate"] == (
        f'{BARE_CHALLENGE}, {scope}, error="insufficient_scope", error_description="{description}"'
    )


def test_token_with_all_scopes_passes(scoped_gateway: TestClient, issuer: OidcTestIssuer) -> None:
    token = issuer.mint(scope="openid mcp:read mcp:tools")
    assert scoped_gateway.get("/verify", headers=bearer(token)).status_code == 200
    assert (
        scoped_gateway.get(
            "/verify", headers=bearer(issuer.mint(scope=None, scp=["mcp:read", "mcp:tools"]))
        ).status_code
        == 200
    )


@pytest.mark.parametrize("scope", ["mcp:read", None, "mcp:tool mcp:read"])
def test_token_lacking_a_scope_is_forbidden(
    scoped_gateway: TestClient, issuer: OidcTestIssuer, scope: str | None
) -> None:
    token = issuer.mint(scope=scope)
    for _ in range(2):  # the second answer comes from the verification cache and must not differ
        response = scoped_gateway.get("/verify", headers=bearer(token))
        assert response.status_code == 403
        assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
        assert 'scope="mcp:tools mcp:read"' in response.headers["www-authenticate"]
        assert response.json()["error"] == "insufficient_scope"
