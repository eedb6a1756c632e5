"""POST /oauth/token with authorization_code and refresh_token: the pre-registered client's way in.

Each refusal is checked with its exact RFC 6749 §5.2 error; refresh tokens are checked across a
gateway restart and a change of the client secret (two apps sharing one state file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jose import jwt

from auth_gateway.authorization_server.authorization_codes import CODE_TTL_SECONDS, AuthorizationCodeStore
from tests.auth_gateway.authorization_server.routes.oauth_flow import (
    authorize,
    exchange,
    new_verifier,
    refresh,
)
from tests.auth_gateway.conftest import CLIENT_ID, CLIENT_SECRET, RESOURCE, GatewayFactory, bearer


@pytest.fixture
def client(gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_TOKEN_TTL="600")


def assert_error(response: Any, status: int, error: str, phrase: str = "") -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error, body
    assert phrase in body["error_description"]
    assert response.headers["cache-control"] == "no-store"
    assert CLIENT_SECRET not in response.text


def signed_in(client: TestClient, **authorize_overrides: str | None) -> dict[str, Any]:
    verifier = new_verifier()
    code = authorize(client, verifier, **authorize_overrides)["code"]
    response = exchange(client, code, verifier)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def test_code_exchange_gives_an_access_token_verify_accepts_and_a_refresh_token(client: TestClient) -> None:
    tokens = signed_in(client)

    assert set(tokens) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 600
    assert client.get("/verify", headers=bearer(tokens["access_token"])).status_code == 200
    claims = jwt.get_unverified_claims(tokens["access_token"])
    assert claims["aud"] == RESOURCE
    assert claims["client_id"] == CLIENT_ID


def test_client_secret_post_works_too(client: TestClient) -> None:
    verifier = new_verifier()
    code = authorize(client, verifier)["code"]

    response = exchange(client, code, verifier, auth=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)

    assert response.status_code == 200, response.text


def test_a_wrong_secret_is_invalid_client_and_counted(client: TestClient) -> None:
    verifier = new_verifier()
    code = authorize(client, verifier)["code"]
    for _ in range(10):
        assert_error(exchange(client, code, verifier, auth=(CLIENT_ID, "wrong")), 401, "invalid_client")

    limited = exchange(client, code, verifier)
    assert limited.status_code == 429
    assert limited.headers["cache-control"] == "no-store"


def test_a_wrong_verifier_is_invalid_grant_and_spends_the_code(client: TestClient) -> None:
    verifier = new_verifier()
    code = authorize(client, verifier)["code"]

    assert_error(exchange(client, code, new_verifier()), 400, "invalid_grant", "code_verifier does not match")
    assert_error(exchange(client, code, verifier), 400, "invalid_grant", "already used")


def test_a_reused_code_is_invalid_grant(client: TestClient) -> None:
    verifier = new_verifier()
    code = authorize(client, verifier)["code"]

    assert exchange(client, code, verifier).status_code == 200
    assert_error(exchange(client, code, verifier), 400, "invalid_grant", "already used")


def test_an_expired_code_is_invalid_grant(client: TestClient) -> None:
    now = [5000.0]
    client.app.state.authorization_server.codes = AuthorizationCodeStore(clock=lambda: now[0])  # type: ignore[attr-defined]
    verifier = new_verifier()
    code = authorize(client, verifier)["code"]

    now[0] += CODE_TTL_SECONDS
    assert_error(exchange(client, code, verifier), 400, "invalid_grant", "expired")


@pytest.mark.parametrize(
    ("overrides", "error", "phrase"),
    [
        pytest.param({"code_verifier": None}, "invalid_request", "code_verifier", id="no-verifier"),
        pytest.param({"redirect_uri": None}, "invalid_request", "redirect_uri", id="no-redirect-uri"),
        pytest.param({"code": None}, "invalid_request", "code", id="no-code"),
        pytest.param(
            {"redirect_uri": "http://127.0.0.1:43110/other"},
            "invalid_grant",
            "redirect_uri",
            id="other-redirect",
        ),
        pytest.param({"code_verifier": "tiny"}, "invalid_grant", "43 to 128", id="malformed-verifier"),
        pytest.param({"resource": "https://other.example/mcp"}, "invalid_target", "resource", id="foreign"),
    ],
)
def test_exchange_refusals(
    client: TestClient, overrides: dict[str, str | None], error: str, phrase: str
) -> None:
    verifier = new_verifier()
    code = authorize(client, verifier)["code"]

    assert_error(exchange(client, code, verifier, **overrides), 400, error, phrase)


def test_a_code_of_another_client_id_is_refused(gateway_client: GatewayFactory) -> None:
    """The same secret under a new OAUTH_CLIENT_ID: codes issued to the old id are not redeemable."""
    client = gateway_client(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET)
    verifier = new_verifier()
    code = authorize(client, verifier)["code"]
    client.app.state.authorization_server.client_id = "renamed-client"  # type: ignore[attr-defined]

    response = exchange(client, code, verifier, auth=("renamed-client", CLIENT_SECRET))
    assert_error(response, 400, "invalid_grant", "another client")


# ---- scopes ------------------------------------------------------------------------------------------


@pytest.fixture
def scoped(gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_SCOPES="mcp:read mcp:write"
    )


@pytest.mark.parametrize(
    ("requested", "granted"),
    [
        (None, "mcp:read mcp:write"),
        ("offline_access", "mcp:read mcp:write"),
        (" offline_access", "mcp:read mcp:write"),  # the MCP SDK's quirk with an empty scope list
        ("mcp:write offline_access openid", "mcp:write"),
        ("mcp:write mcp:read", "mcp:read mcp:write"),
    ],
)
def test_the_token_gets_the_named_configured_scopes_or_all(
    scoped: TestClient, requested: str | None, granted: str
) -> None:
    tokens = signed_in(scoped, scope=requested)

    assert tokens["scope"] == granted
    assert jwt.get_unverified_claims(tokens["access_token"])["scope"] == granted


def test_a_refresh_may_narrow_but_not_widen_the_scope(scoped: TestClient) -> None:
    tokens = signed_in(scoped, scope="mcp:read")

    assert_error(
        refresh(scoped, tokens["refresh_token"], scope="mcp:write"), 400, "invalid_scope", "mcp:write"
    )
    narrowed = refresh(scoped, tokens["refresh_token"], scope="mcp:read offline_access")
    assert narrowed.status_code == 200, narrowed.text
    assert narrowed.json()["scope"] == "mcp:read"


# ---- refresh tokens ----------------------------------------------------------------------------------


def test_refresh_rotates_and_a_rotated_out_token_is_refused(client: TestClient) -> None:
    first = signed_in(client)["refresh_token"]

    response = refresh(client, first)
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["refresh_token"] != first
    assert client.get("/verify", headers=bearer(second["access_token"])).status_code == 200

    assert_error(refresh(client, first), 400, "invalid_grant", "already used")
    # Replaying a rotated-out token revokes the whole sign-in: the newer token dies with it.
    assert_error(refresh(client, second["refresh_token"]), 400, "invalid_grant", "not valid")


def test_refresh_needs_client_authentication(client: TestClient) -> None:
    token = signed_in(client)["refresh_token"]

    assert_error(refresh(client, token, secret="wrong-secret"), 401, "invalid_client")
    assert_error(
        client.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": token}),
        401,
        "invalid_client",
    )
    assert refresh(client, token).status_code == 200  # not spent by the refused attempts


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "refresh_token"}, "invalid_request"),
        ({"grant_type": "refresh_token", "refresh_token": "made-up"}, "invalid_grant"),
    ],
)
def test_refresh_refusals(client: TestClient, form: dict[str, str], error: str) -> None:
    assert_error(client.post("/oauth/token", data=form, auth=(CLIENT_ID, CLIENT_SECRET)), 400, error)


def test_refresh_with_a_foreign_resource_is_invalid_target(client: TestClient) -> None:
    token = signed_in(client)["refresh_token"]

    assert_error(refresh(client, token, resource="https://other.example/mcp"), 400, "invalid_target")


def test_refresh_tokens_expire_after_the_refresh_ttl(gateway_client: GatewayFactory) -> None:
    client = gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_REFRESH_TTL="3600"
    )
    store = client.app.state.authorization_server.refresh_tokens  # type: ignore[attr-defined]
    now = [1_000_000.0]
    store._clock = lambda: now[0]
    token = signed_in(client)["refresh_token"]

    now[0] += 3599
    token = refresh(client, token).json()["refresh_token"]  # each new token lives a full TTL
    now[0] += 3600
    assert_error(refresh(client, token), 400, "invalid_grant", "expired")


def test_refresh_tokens_survive_a_restart(gateway_client: GatewayFactory, tmp_path: Path) -> None:
    state = str(tmp_path / "oauth.sqlite3")
    before = gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_STATE_PATH=state
    )
    token = signed_in(before)["refresh_token"]
    before.__exit__(None, None, None)  # the gateway stops (closing its state file) ...

    after = gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_STATE_PATH=state
    )
    response = refresh(after, token)  # ... and a new one accepts the token

    assert response.status_code == 200, response.text
    assert after.get("/verify", headers=bearer(response.json()["access_token"])).status_code == 200


def test_refresh_tokens_die_when_the_secret_changes(gateway_client: GatewayFactory, tmp_path: Path) -> None:
    state = str(tmp_path / "oauth.sqlite3")
    before = gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_STATE_PATH=state
    )
    token = signed_in(before)["refresh_token"]
    before.__exit__(None, None, None)

    new_secret = "n3w-" + "z" * 40
    after = gateway_client(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=new_secret, OAUTH_STATE_PATH=state)

    assert_error(refresh(after, token, secret=new_secret), 400, "invalid_grant", "client secret changed")


def test_the_state_file_holds_no_token(gateway_client: GatewayFactory, tmp_path: Path) -> None:
    state = tmp_path / "oauth.sqlite3"
    client = gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_STATE_PATH=str(state)
    )
    token = signed_in(client)["refresh_token"]

    assert token.encode() not in state.read_bytes()
    assert state.stat().st_mode & 0o077 == 0


def test_an_unusable_state_file_answers_503_not_500(client: TestClient) -> None:
    verifier = new_verifier()
    code = authorize(client, verifier)["code"]
    client.app.state.authorization_server.refresh_tokens.close()  # type: ignore[attr-defined]

    assert_error(exchange(client, code, verifier), 503, "temporarily_unavailable")


# ---- revocation: replays end the whole sign-in ------------------------------------------------------


def test_a_replayed_code_revokes_the_tokens_it_issued(client: TestClient) -> None:
    verifier = new_verifier()
    code = authorize(client, verifier)["code"]
    tokens = exchange(client, code, verifier).json()
    other = signed_in(client)  # another sign-in of the same client
    assert client.get("/verify", headers=bearer(tokens["access_token"])).status_code == 200

    assert_error(exchange(client, code, verifier), 400, "invalid_grant", "now revoked")

    denied = client.get("/verify", headers=bearer(tokens["access_token"]))
    assert denied.status_code == 401
    assert denied.json()["error"] == "invalid_token"
    assert "revoked" in denied.json()["error_description"]
    assert 'error="invalid_token"' in denied.headers["www-authenticate"]
    assert_error(refresh(client, tokens["refresh_token"]), 400, "invalid_grant", "not valid")
    assert client.get("/verify", headers=bearer(other["access_token"])).status_code == 200
    assert refresh(client, other["refresh_token"]).status_code == 200


def test_a_reused_refresh_token_revokes_the_live_access_tokens_of_its_sign_in(client: TestClient) -> None:
    first = signed_in(client)
    second = refresh(client, first["refresh_token"]).json()
    for access in (first["access_token"], second["access_token"]):
        assert client.get("/verify", headers=bearer(access)).status_code == 200  # cached as valid

    assert_error(refresh(client, first["refresh_token"]), 400, "invalid_grant", "already used")

    for access in (first["access_token"], second["access_token"]):
        denied = client.get("/verify", headers=bearer(access))
        assert denied.status_code == 401
        assert denied.json()["error"] == "invalid_token"
    assert_error(refresh(client, second["refresh_token"]), 400, "invalid_grant", "not valid")


def test_every_access_token_names_its_sign_in(client: TestClient) -> None:
    first = signed_in(client)
    second = refresh(client, first["refresh_token"]).json()
    other = signed_in(client)

    sid = jwt.get_unverified_claims(first["access_token"])["sid"]
    assert jwt.get_unverified_claims(second["access_token"])["sid"] == sid
    assert jwt.get_unverified_claims(other["access_token"])["sid"] != sid
