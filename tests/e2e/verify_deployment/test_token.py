"""--token: tools/list with a client's own access token, and its claims against the metadata.

When a connector is refused, the user can paste the token it was given; the script must say which claim
is wrong (expiry, audience, issuer) next to the gateway's own reason, recognise an opaque or encrypted
token as Auth0's missing-API case, and never print the token. The claims are checked against the real
gateway of the session's oidc_stack; an MCP endpoint without a tool list comes from a fake deployment.
"""

from __future__ import annotations

import base64
import json

import pytest
from mcp import Client

from mcp_server.config import Settings
from mcp_server.server import create_server
from tests.e2e.fake_deployment import FakeServer, auth0_like, json_answer
from tests.e2e.stack_processes import Stack
from tests.e2e.verify_deployment.support import failed_checks, verify
from tests.support.oidc_issuer.issuer import OidcTestIssuer


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
