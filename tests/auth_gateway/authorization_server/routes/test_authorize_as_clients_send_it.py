"""/oauth/authorize as ChatGPT and Claude send it today, and as an attacker would:

1. ChatGPT's per-app callback https://chatgpt.com/connector/oauth/<id> for the `.env` client, and
   ChatGPT's metadata-document client_id https://chatgpt.com/oauth/<id>/client.json (served here from
   loopback under the test-only allowance) through owner login to a token /verify accepts;
2. extra parameters (prompt, nonce, login_hint, max_age, ui_locales, claims, unknown ones,
   offline_access) never break the login round trip; the form carries exactly the used ones;
3. no redirect to a self-registered or metadata-document client's URI before the owner approved it.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from auth_gateway.authorization_server.authorization_request import USED_PARAMETERS
from auth_gateway.authorization_server.pkce import s256_challenge
from tests.auth_gateway.authorization_server.routes.oauth_flow import (
    authorization_query,
    exchange,
    new_verifier,
    redirect_parameters,
)
from tests.auth_gateway.authorization_server.routes.owner_login_flow import (
    CALLBACK,
    fresh_client,
    login_page,
    open_form,
    post,
    public_refresh,
)
from tests.auth_gateway.conftest import (
    BASE_URL,
    CLIENT_ID,
    OWNER_PASSWORD,
    RESOURCE,
    GatewayFactory,
    bearer,
    owner_login_settings,
)
from tests.support.document_server import DocumentServer
from tests.support.login_form import parse_login_form

CHATGPT_APP_ID = "Vb3kOcv_Hh-3Q"
CHATGPT_APP_CALLBACK = f"https://chatgpt.com/connector/oauth/{CHATGPT_APP_ID}"


@pytest.fixture
def client(gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(**owner_login_settings(OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK=True))


def error_page_of(response: Any, error: str) -> str:
    assert response.status_code == 400, response.text
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert f"({error})" in response.text
    text: str = response.text
    return text


# ---- 1. ChatGPT's per-app callback and metadata document ----------------------------------------------


def test_the_env_client_may_use_chatgpts_per_app_callback(client: TestClient) -> None:
    verifier = new_verifier()
    query = authorization_query(verifier, redirect_uri=CHATGPT_APP_CALLBACK)

    response = client.get("/oauth/authorize", params=query)

    assert response.headers["location"].startswith(CHATGPT_APP_CALLBACK + "?")
    code = redirect_parameters(response)["code"]
    tokens = exchange(client, code, verifier, redirect_uri=CHATGPT_APP_CALLBACK)
    assert tokens.status_code == 200, tokens.text
    assert client.get("/verify", headers=bearer(tokens.json()["access_token"])).status_code == 200


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://chatgpt.com/connector/oauth/",
        f"{CHATGPT_APP_CALLBACK}/",
        f"{CHATGPT_APP_CALLBACK}/evil",
        f"{CHATGPT_APP_CALLBACK}?next=https://evil.example",
        "https://chatgpt.com/connector/oauth/a%2F..%2F..%2Fevil",
        "https://chatgpt.com/connector/oauth/" + "a" * 129,
        "https://chatgpt.com.evil.example/connector/oauth/abc",
    ],
)
def test_anything_else_on_that_pattern_gets_the_400_page(client: TestClient, redirect_uri: str) -> None:
    response = client.get(
        "/oauth/authorize", params=authorization_query(new_verifier(), redirect_uri=redirect_uri)
    )

    assert response.status_code == 400
    assert "location" not in response.headers
    assert "redirect_uri is not allowed" in response.text


def chatgpt_document(url: str) -> dict[str, object]:
    """What ChatGPT publishes at https://chatgpt.com/oauth/<id>/client.json (here on loopback)."""
    return {
        "client_id": url,
        "client_name": "ChatGPT",
        "client_uri": "https://chatgpt.com",
        "redirect_uris": [CHATGPT_APP_CALLBACK],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    }


def test_chatgpts_metadata_document_client_id_completes_the_whole_flow(
    client: TestClient, documents: DocumentServer
) -> None:
    client_id = documents.put(f"/oauth/{CHATGPT_APP_ID}/client.json", chatgpt_document)
    verifier = new_verifier()
    query = authorization_query(
        verifier,
        client_id=client_id,
        redirect_uri=CHATGPT_APP_CALLBACK,
        scope="offline_access",
        prompt="consent",
    )

    page = client.get("/oauth/authorize", params=query)
    assert page.status_code == 200, page.text
    assert "ChatGPT" in page.text
    answer = post(client, parse_login_form(page.text), OWNER_PASSWORD)
    assert answer.headers["location"].startswith(CHATGPT_APP_CALLBACK + "?")
    code = redirect_parameters(answer)["code"]
    tokens = client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code,
            "redirect_uri": CHATGPT_APP_CALLBACK,
            "code_verifier": verifier,
            "resource": RESOURCE,
        },
    )

    assert tokens.status_code == 200, tokens.text
    allowed = client.get("/verify", headers=bearer(tokens.json()["access_token"]))
    assert allowed.status_code == 200
    assert allowed.headers["x-auth-client-id"] == client_id
    assert allowed.headers["x-auth-subject"] == "owner"
    refreshed = public_refresh(client, client_id, tokens.json()["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text


# ---- 2. parameters the server does not use never break the round trip --------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"prompt": "consent"}, id="prompt-consent"),
        pytest.param({"prompt": "login"}, id="prompt-login"),
        pytest.param({"prompt": "select_account"}, id="prompt-select-account"),
        pytest.param({"nonce": "n-0S6_WzA2Mj"}, id="nonce"),
        pytest.param({"login_hint": "owner@example.com"}, id="login-hint"),
        pytest.param({"max_age": "0"}, id="max-age"),
        pytest.param({"ui_locales": "ko-KR en"}, id="ui-locales"),
        pytest.param({"claims": '{"id_token":{"email":null}}'}, id="claims"),
        pytest.param({"x-unknown": "1", "display": "popup"}, id="unknown"),
        pytest.param({"scope": "offline_access"}, id="offline-access"),
        pytest.param({"scope": "openid profile offline_access", "prompt": "consent"}, id="sdk-with-oidc"),
        pytest.param({"unknown_long": "x" * 3000}, id="long-unknown"),
    ],
)
def test_extra_parameters_never_break_owner_login(client: TestClient, extra: dict[str, str]) -> None:
    client_id = fresh_client(client)
    verifier = new_verifier()

    page = login_page(client, client_id, code_challenge=s256_challenge(verifier), **extra)
    assert page.status_code == 200, page.text
    form = parse_login_form(page.text)
    assert set(form.fields) - {"form_token"} <= set(USED_PARAMETERS)
    assert not set(extra) - set(USED_PARAMETERS) & set(form.fields)

    answer = redirect_parameters(post(client, form, OWNER_PASSWORD))
    assert answer["code"]
    assert answer["iss"] == BASE_URL
    tokens = client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": answer["code"],
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
    )
    assert tokens.status_code == 200, tokens.text


def test_repeated_unknown_parameters_are_ignored_too(client: TestClient) -> None:
    client_id = fresh_client(client)
    query = list(authorization_query(new_verifier(), client_id=client_id, redirect_uri=CALLBACK).items())
    query += [("prompt", "consent"), ("prompt", "login"), ("nonce", "a"), ("nonce", "b")]

    page = client.get("/oauth/authorize", params=query)

    assert page.status_code == 200, page.text
    assert redirect_parameters(post(client, parse_login_form(page.text), OWNER_PASSWORD))["code"]


def test_a_used_parameter_added_to_the_posted_form_is_refused(client: TestClient) -> None:
    """The form carries exactly the used parameters, signed: changing or adding one fails the token."""
    form = open_form(client, fresh_client(client))

    response = post(client, form, OWNER_PASSWORD, scope="mcp:admin")

    assert response.status_code == 400
    assert "the login form expired" in response.text


def test_the_env_client_ignores_them_as_well(client: TestClient) -> None:
    query = authorization_query(
        new_verifier(), redirect_uri=CHATGPT_APP_CALLBACK, prompt="consent", nonce="n", scope="offline_access"
    )
    query_list = [*query.items(), ("ui_locales", "ko"), ("ui_locales", "en")]

    assert redirect_parameters(client.get("/oauth/authorize", params=query_list))["code"]


# ---- 3. no redirect to an address the owner has not approved ----------------------------------------


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        pytest.param({"response_type": "x"}, "unsupported_response_type", id="response-type"),
        pytest.param({"response_type": None}, "invalid_request", id="no-response-type"),
        pytest.param({"code_challenge": None}, "invalid_request", id="no-pkce"),
        pytest.param({"resource": "https://other.example/mcp"}, "invalid_target", id="foreign-resource"),
    ],
)
def test_before_approval_errors_stay_on_our_page(
    client: TestClient, overrides: dict[str, str | None], error: str
) -> None:
    """The open redirector of the review: register https://evil.example/phish, then send a broken
    request; the answer must not be a 302 to evil.example."""
    evil = "https://evil.example/phish"
    client_id = fresh_client(client, redirect_uri=evil)

    response = login_page(client, client_id, redirect_uri=evil, **overrides)

    error_page_of(response, error)
    assert "evil.example" not in response.headers.get("location", "")


def test_after_one_approval_errors_redirect_as_rfc6749_says(client: TestClient) -> None:
    client_id = fresh_client(client)
    assert redirect_parameters(post(client, open_form(client, client_id), OWNER_PASSWORD))["code"]

    response = login_page(client, client_id, response_type="x", state="s-1")

    assert response.headers["location"].startswith(CALLBACK + "?")
    answer = dict(parse_qsl(urlsplit(response.headers["location"]).query))
    assert answer["error"] == "unsupported_response_type"
    assert answer["state"] == "s-1"
    assert answer["iss"] == BASE_URL


def test_a_wrong_password_approves_nothing(client: TestClient) -> None:
    client_id = fresh_client(client)
    assert post(client, open_form(client, client_id), "not-the-password-1").status_code == 403

    error_page_of(login_page(client, client_id, response_type="x"), "unsupported_response_type")


def test_the_approval_is_kept_in_the_state_file_across_a_restart(gateway_client: GatewayFactory) -> None:
    before = gateway_client(**owner_login_settings())
    client_id = fresh_client(before)
    assert redirect_parameters(post(before, open_form(before, client_id), OWNER_PASSWORD))["code"]

    after = gateway_client(**owner_login_settings())

    assert redirect_parameters(login_page(after, client_id, response_type="x"))["error"] == (
        "unsupported_response_type"
    )


def test_a_metadata_document_client_is_not_redirected_to_before_approval(
    client: TestClient, documents: DocumentServer
) -> None:
    client_id = documents.put(
        f"/oauth/{secrets.token_hex(4)}/client.json",
        lambda url: {"client_id": url, "client_name": "Doc", "redirect_uris": ["https://evil.example/cb"]},
    )

    response = login_page(
        client, client_id, redirect_uri="https://evil.example/cb", code_challenge_method="plain"
    )

    error_page_of(response, "invalid_request")


def test_the_env_clients_allowlisted_uris_keep_redirecting_errors(client: TestClient) -> None:
    query = authorization_query(new_verifier(), client_id=CLIENT_ID, response_type="token")

    assert redirect_parameters(client.get("/oauth/authorize", params=query))["error"] == (
        "unsupported_response_type"
    )
