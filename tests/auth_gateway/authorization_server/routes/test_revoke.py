"""POST /oauth/revoke (RFC 7009): a revoked token's whole sign-in is refused at /verify on the next
request; clients authenticate as at /oauth/token; unknown tokens get 200, another client's get 400."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from auth_gateway.authorization_server.pkce import s256_challenge
from tests.auth_gateway.authorization_server.routes.oauth_flow import (
    authorize,
    exchange,
    new_verifier,
    redirect_parameters,
    refresh,
)
from tests.auth_gateway.authorization_server.routes.owner_login_flow import (
    CALLBACK,
    open_form,
    post,
    register,
)
from tests.auth_gateway.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    OWNER_PASSWORD,
    GatewayFactory,
    bearer,
    client_credentials_token,
)


def signed_in(client: TestClient) -> dict[str, Any]:
    verifier = new_verifier()
    response = exchange(client, authorize(client, verifier)["code"], verifier)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def revoke(client: TestClient, auth: tuple[str, str] | None = (CLIENT_ID, CLIENT_SECRET), **form: str) -> Any:
    return client.post("/oauth/revoke", data=form, auth=auth)


def assert_revoked_answer(response: Any) -> None:
    assert response.status_code == 200, response.text
    assert response.content == b""
    assert response.headers["cache-control"] == "no-store"


def assert_error(response: Any, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == error
    assert response.headers["cache-control"] == "no-store"


def assert_refused_at_verify(client: TestClient, access_token: str) -> None:
    denied = client.get("/verify", headers=bearer(access_token))
    assert denied.status_code == 401
    assert denied.json()["error"] == "invalid_token"
    assert "revoked" in denied.json()["error_description"]


def test_revoking_a_refresh_token_ends_its_sign_in_access_tokens_included(client: TestClient) -> None:
    tokens, other = signed_in(client), signed_in(client)
    assert client.get("/verify", headers=bearer(tokens["access_token"])).status_code == 200

    assert_revoked_answer(revoke(client, token=tokens["refresh_token"], token_type_hint="refresh_token"))

    assert_refused_at_verify(client, tokens["access_token"])
    assert_error(refresh(client, tokens["refresh_token"]), 400, "invalid_grant")
    assert client.get("/verify", headers=bearer(other["access_token"])).status_code == 200
    assert refresh(client, other["refresh_token"]).status_code == 200


def test_revoking_an_access_token_ends_its_sign_in_whatever_the_hint(client: TestClient) -> None:
    tokens = signed_in(client)

    assert_revoked_answer(revoke(client, token=tokens["access_token"], token_type_hint="refresh_token"))

    assert_refused_at_verify(client, tokens["access_token"])
    assert_error(refresh(client, tokens["refresh_token"]), 400, "invalid_grant")


def test_a_client_credentials_token_can_be_revoked(client: TestClient) -> None:
    access = client_credentials_token(client)
    another = client_credentials_token(client)

    assert_revoked_answer(
        revoke(client, token=access, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, auth=None)
    )

    assert_refused_at_verify(client, access)
    assert client.get("/verify", headers=bearer(another)).status_code == 200


@pytest.mark.parametrize("token", ["made-up", "a.b.c", "x" * 7000, "eyJhbGciOiJIUzI1NiJ9.e30.sig"])
def test_an_unknown_token_gets_200(client: TestClient, token: str) -> None:
    assert_revoked_answer(revoke(client, token=token, token_type_hint="access_token"))


def test_an_already_revoked_token_gets_200_again(client: TestClient) -> None:
    tokens = signed_in(client)
    assert_revoked_answer(revoke(client, token=tokens["refresh_token"]))
    assert_revoked_answer(revoke(client, token=tokens["refresh_token"]))
    assert_revoked_answer(revoke(client, token=tokens["access_token"]))


@pytest.mark.parametrize(
    ("auth", "form", "status", "error"),
    [
        pytest.param((CLIENT_ID, CLIENT_SECRET), {}, 400, "invalid_request", id="no-token"),
        pytest.param(None, {"token": "t"}, 401, "invalid_client", id="no-client-authentication"),
        pytest.param((CLIENT_ID, "wrong-secret"), {"token": "t"}, 401, "invalid_client", id="wrong-secret"),
        pytest.param(("someone", CLIENT_SECRET), {"token": "t"}, 401, "invalid_client", id="unknown-client"),
    ],
)
def test_refusals(
    client: TestClient, auth: tuple[str, str] | None, form: dict[str, str], status: int, error: str
) -> None:
    tokens = signed_in(client)
    assert_error(revoke(client, auth=auth, **form), status, error)
    assert client.get("/verify", headers=bearer(tokens["access_token"])).status_code == 200


def test_failed_client_authentications_are_limited(client: TestClient) -> None:
    for _ in range(10):
        assert_error(revoke(client, auth=(CLIENT_ID, "wrong-secret"), token="t"), 401, "invalid_client")
    limited = revoke(client, token="t")
    assert limited.status_code == 429
    assert limited.json()["error"] == "too_many_requests"
    assert int(limited.headers["retry-after"]) >= 1


def public_sign_in(client: TestClient) -> tuple[str, dict[str, Any]]:
    """A self-registered (public) client signs in with the owner's password."""
    client_id = register(client)
    verifier = new_verifier()
    form = open_form(client, client_id, code_challenge=s256_challenge(verifier))
    code = redirect_parameters(post(client, form, OWNER_PASSWORD))["code"]
    response = client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
            "client_id": client_id,
        },
    )
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return client_id, tokens


def test_a_public_client_revokes_with_its_client_id(client: TestClient) -> None:
    client_id, tokens = public_sign_in(client)

    assert_revoked_answer(revoke(client, auth=None, token=tokens["refresh_token"], client_id=client_id))

    assert_refused_at_verify(client, tokens["access_token"])


def test_another_clients_token_is_refused_and_stays_valid(client: TestClient) -> None:
    client_id, tokens = public_sign_in(client)
    other_id = register(client, client_name="Other")

    for token in (tokens["refresh_token"], tokens["access_token"]):
        assert_error(revoke(client, auth=None, token=token, client_id=other_id), 400, "invalid_request")
    assert_error(revoke(client, token=tokens["access_token"]), 400, "invalid_request")  # the .env client

    assert client.get("/verify", headers=bearer(tokens["access_token"])).status_code == 200
    assert client_id != other_id


def test_without_tokens_of_its_own_the_server_has_nothing_to_revoke(
    gateway_client: GatewayFactory, issuer: Any
) -> None:
    client = gateway_client(OAUTH_ISSUER=issuer.issuer)
    assert_error(client.post("/oauth/revoke", data={"token": "t"}), 404, "invalid_request")
