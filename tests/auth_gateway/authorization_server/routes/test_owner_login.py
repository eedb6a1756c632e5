"""/oauth/authorize with owner login: self-registered clients see a login page and get a code only
for the right password, posted from that page, in that browser, under the brute-force limit."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.auth_gateway.authorization_server.routes.oauth_flow import (
    authorization_query,
    new_verifier,
    redirect_parameters,
)
from tests.auth_gateway.authorization_server.routes.owner_login_flow import (
    CALLBACK,
    code_for,
    fresh_client,
    login_page,
    open_form,
    post,
    public_exchange,
    public_refresh,
    register,
)
from tests.auth_gateway.conftest import (
    BASE_URL,
    CLIENT_ID,
    OWNER_PASSWORD,
    GatewayFactory,
    bearer,
    owner_login_settings,
)
from tests.support.document_server import DocumentServer
from tests.support.login_form import parse_login_form


def test_the_page_names_the_client_and_where_it_redirects(client: TestClient) -> None:
    page = login_page(client, register(client))

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "<script" not in page.text
    assert "ChatGPT" in page.text
    assert "chatgpt.com" in page.text
    assert "비밀번호" in page.text
    assert "Password" in page.text
    cookie = page.headers["set-cookie"].lower()
    assert "samesite=strict" in cookie
    assert "httponly" in cookie
    assert "path=/oauth/authorize" in cookie
    form = parse_login_form(page.text)
    assert (form.action, form.method, form.password_field) == ("/oauth/authorize", "post", "password")
    assert {"client_id", "redirect_uri", "code_challenge", "state", "form_token"} <= set(form.fields)


def test_the_right_password_redirects_with_a_code(client: TestClient) -> None:
    client_id = register(client)
    form = open_form(client, client_id)

    answer = redirect_parameters(post(client, form, OWNER_PASSWORD))

    assert answer["code"]
    assert answer["state"] == form.fields["state"]
    assert answer["iss"] == BASE_URL


def test_a_wrong_password_shows_the_form_again_and_is_logged_without_the_password(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    form = open_form(client, register(client))

    with caplog.at_level(logging.INFO, logger="auth_gateway"):
        response = post(client, form, "not-the-password-123")

    assert response.status_code == 403
    assert "Wrong password" in response.text
    again = parse_login_form(response.text)
    assert again.fields["client_id"] == form.fields["client_id"]
    assert redirect_parameters(post(client, again, OWNER_PASSWORD))["code"]
    denied = [r for r in caplog.records if getattr(r, "reason", None) == "wrong_password"]
    assert len(denied) == 1
    assert denied[0].client_ip == "127.0.0.1"  # type: ignore[attr-defined]
    assert "not-the-password-123" not in caplog.text
    assert OWNER_PASSWORD not in caplog.text


def test_the_eleventh_wrong_password_in_a_minute_gets_429_even_if_right(client: TestClient) -> None:
    form = open_form(client, register(client))
    for attempt in range(10):
        response = post(client, form, f"guess-{attempt}-xxxxxxxx")
        assert response.status_code == 403
        form = parse_login_form(response.text)

    eleventh = post(client, form, "guess-10-xxxxxxxx")
    right = post(client, form, OWNER_PASSWORD)

    for response in (eleventh, right):
        assert response.status_code == 429
        assert 1 <= int(response.headers["retry-after"]) <= 60
        assert "too many wrong passwords" in response.text


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda form: {"form_token": "1700000000.deadbeef"}, id="forged-token"),
        pytest.param(lambda form: {"form_token": ""}, id="no-token"),
        pytest.param(lambda form: {"state": form.fields["state"] + "x"}, id="other-state"),
        pytest.param(lambda form: {"code_challenge": "A" * 43}, id="other-challenge"),
    ],
)
def test_a_bad_form_token_is_refused_before_the_password_is_checked(client: TestClient, forge: Any) -> None:
    form = open_form(client, register(client))

    response = post(client, form, OWNER_PASSWORD, **forge(form))

    assert response.status_code == 400
    assert "login form expired or did not come from this page" in response.text
    assert "location" not in response.headers


def test_a_form_posted_from_another_browser_is_refused(client: TestClient) -> None:
    form = open_form(client, register(client))
    client.cookies.clear()  # the attacker's post carries no SameSite=Strict cookie

    assert post(client, form, OWNER_PASSWORD).status_code == 400


def test_a_form_for_one_client_cannot_approve_another(client: TestClient) -> None:
    form = open_form(client, register(client))
    other = register(client, client_name="Other")

    response = post(client, form, OWNER_PASSWORD, client_id=other)

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("client_id", "expected"),
    [
        ("dcr.eyJuIjoiWCJ9.AAAAAAAAAAAAAAAAAAAAAA", "not known here"),
        ("someone-else", "not known here"),
    ],
)
def test_unknown_and_forged_clients_get_a_400_page(client: TestClient, client_id: str, expected: str) -> None:
    response = login_page(client, client_id)

    assert response.status_code == 400
    assert expected in response.text
    assert "location" not in response.headers


def test_a_redirect_uri_the_client_did_not_register_gets_a_400_page(client: TestClient) -> None:
    response = login_page(client, register(client), redirect_uri="https://evil.example/callback")

    assert response.status_code == 400
    assert "redirect_uri is not allowed" in response.text


def test_plain_pkce_is_refused_on_our_page_until_the_client_is_approved_then_by_redirect(
    client: TestClient,
) -> None:
    client_id = fresh_client(client)

    refused = login_page(client, client_id, code_challenge_method="plain")
    assert refused.status_code == 400
    assert "location" not in refused.headers
    assert "code_challenge_method must be S256" in refused.text
    assert "(invalid_request)" in refused.text

    assert redirect_parameters(post(client, open_form(client, client_id), OWNER_PASSWORD))["code"]
    answer = redirect_parameters(login_page(client, client_id, code_challenge_method="plain"))
    assert answer["error"] == "invalid_request"


def test_names_and_parameters_are_escaped(client: TestClient) -> None:
    client_id = register(client, client_name='<script>alert("x")</script>')

    page = login_page(client, client_id, state='"><img src=x onerror=alert(1)>')

    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in page.text
    assert "<img src=x" not in page.text
    assert parse_login_form(page.text).fields["state"] == '"><img src=x onerror=alert(1)>'


def test_the_configured_client_still_gets_no_page(client: TestClient) -> None:
    query = authorization_query(new_verifier(), client_id=CLIENT_ID)

    assert redirect_parameters(client.get("/oauth/authorize", params=query))["code"]


def test_without_owner_login_self_registered_ids_get_the_400_page(gateway_client: GatewayFactory) -> None:
    owner = gateway_client(**owner_login_settings())
    client_id = register(owner)
    plain = gateway_client(**owner_login_settings(OWNER_PASSWORD_HASH=None))

    response = login_page(plain, client_id)

    assert response.status_code == 400
    assert "unknown client_id" in response.text
    assert plain.post("/oauth/authorize", data={"client_id": client_id}).status_code == 404


def metadata_document(url: str) -> dict[str, object]:
    return {"client_id": url, "client_name": "Loopback Test Client", "redirect_uris": [CALLBACK]}


def test_a_client_metadata_document_client_logs_in(
    gateway_client: GatewayFactory, documents: DocumentServer
) -> None:
    client = gateway_client(**owner_login_settings(OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK=True))
    url = documents.put("/oauth/client.json", metadata_document)

    page = login_page(client, url)

    assert page.status_code == 200
    assert "Loopback Test Client" in page.text
    assert f"described by localhost:{documents.port}" in page.text
    answer = redirect_parameters(post(client, parse_login_form(page.text), OWNER_PASSWORD))
    assert answer["code"]
    assert documents.hits["/oauth/client.json"] == 1  # the post used the cached document


def test_a_client_metadata_document_on_loopback_is_refused_without_the_test_allowance(
    client: TestClient, documents: DocumentServer
) -> None:
    documents.put("/oauth/client.json", metadata_document)
    url = f"https://localhost:{documents.port}/oauth/client.json"

    response = login_page(client, url)

    assert response.status_code == 400
    assert "resolves to a loopback address" in response.text
    assert documents.hits["/oauth/client.json"] == 0


def test_the_code_is_bound_to_the_redirect(client: TestClient) -> None:
    form = open_form(client, register(client))
    location = post(client, form, OWNER_PASSWORD).headers["location"]

    assert location.startswith(CALLBACK + "?")
    assert dict(parse_qsl(urlsplit(location).query))["code"]


def test_a_public_client_exchanges_its_code_with_pkce_and_no_secret(client: TestClient) -> None:
    client_id = register(client)
    verifier = new_verifier()

    response = public_exchange(client, client_id, code_for(client, client_id, verifier), verifier)

    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["refresh_token"]
    allowed = client.get("/verify", headers=bearer(tokens["access_token"]))
    assert allowed.status_code == 200
    assert allowed.headers["x-auth-subject"] == "owner"
    assert allowed.headers["x-auth-client-id"] == client_id


def test_a_secret_sent_anyway_by_a_public_client_is_ignored(client: TestClient) -> None:
    """Claude registers asking for client_secret_post; should it still send one, it is not refused."""
    client_id = register(client)
    verifier = new_verifier()
    code = code_for(client, client_id, verifier)

    assert public_exchange(client, client_id, code, verifier, client_secret="").status_code == 200


def test_refresh_tokens_rotate_for_public_clients(client: TestClient) -> None:
    client_id = register(client)
    verifier = new_verifier()
    first = public_exchange(client, client_id, code_for(client, client_id, verifier), verifier).json()

    second = public_refresh(client, client_id, first["refresh_token"])
    assert second.status_code == 200, second.text
    assert client.get("/verify", headers=bearer(second.json()["access_token"])).status_code == 200
    replay = public_refresh(client, client_id, first["refresh_token"])
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"code_verifier": "w" * 43}, "invalid_grant"),
        ({"redirect_uri": "https://chatgpt.com/other"}, "invalid_grant"),
        ({"resource": "https://elsewhere.example/mcp"}, "invalid_target"),
    ],
)
def test_public_code_exchanges_are_checked_like_any_other(
    client: TestClient, change: dict[str, str], error: str
) -> None:
    client_id = register(client)
    verifier = new_verifier()
    code = code_for(client, client_id, verifier)

    response = public_exchange(client, client_id, code, verifier, **change)

    assert response.status_code == 400
    assert response.json()["error"] == error


def test_a_code_cannot_be_redeemed_by_another_public_client(client: TestClient) -> None:
    client_id, other = register(client), register(client, client_name="Other")
    verifier = new_verifier()
    code = code_for(client, client_id, verifier)

    response = public_exchange(client, other, code, verifier)

    assert response.json()["error"] == "invalid_grant"


def test_public_clients_cannot_use_client_credentials(client: TestClient) -> None:
    response = client.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": register(client)}
    )

    assert response.status_code == 400
    assert response.json()["error"] == "unauthorized_client"


def test_an_unknown_client_without_a_secret_is_invalid_client(client: TestClient) -> None:
    response = public_exchange(client, "dcr.forged.AAAA", "code", new_verifier())

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_owner_tokens_stop_working_when_owner_login_is_turned_off(gateway_client: GatewayFactory) -> None:
    owner = gateway_client(**owner_login_settings())
    client_id = register(owner)
    verifier = new_verifier()
    access = public_exchange(owner, client_id, code_for(owner, client_id, verifier), verifier).json()

    plain = gateway_client(**owner_login_settings(OWNER_PASSWORD_HASH=None))

    assert plain.get("/verify", headers=bearer(access["access_token"])).status_code == 401


def test_unusable_metadata_documents_are_fetched_at_most_ten_times_a_minute_per_address(
    gateway_client: GatewayFactory, documents: DocumentServer
) -> None:
    client = gateway_client(**owner_login_settings(OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK=True))
    url = documents.put("/not-a-client.json", b"<html>some site</html>")

    pages = [login_page(client, url) for _ in range(11)]

    assert [page.status_code for page in pages] == [400] * 11
    assert "the document is not JSON" in pages[9].text
    assert "too many unusable client metadata documents" in pages[10].text
    assert documents.hits["/not-a-client.json"] == 10


def test_two_login_pages_in_one_browser_both_work(client: TestClient) -> None:
    first = open_form(client, register(client))
    second = open_form(client, register(client, client_name="Claude"))

    assert redirect_parameters(post(client, second, OWNER_PASSWORD))["code"]
    assert redirect_parameters(post(client, first, OWNER_PASSWORD))["code"]


def test_a_registration_survives_a_restart_but_not_a_new_secret(gateway_client: GatewayFactory) -> None:
    client_id = register(gateway_client(**owner_login_settings()))

    restarted = gateway_client(**owner_login_settings())
    assert redirect_parameters(post(restarted, open_form(restarted, client_id), OWNER_PASSWORD))["code"]

    new_secret = gateway_client(**owner_login_settings(OAUTH_CLIENT_SECRET="n" * 40))
    assert login_page(new_secret, client_id).status_code == 400
