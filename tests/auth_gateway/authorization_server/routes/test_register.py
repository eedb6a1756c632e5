"""POST /oauth/register: RFC 7591 answers, public clients only, bounded, and only with owner login."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from auth_gateway.authorization_server.clients.registration import ClientRegistry
from tests.auth_gateway.authorization_server.routes.oauth_flow import authorization_query, new_verifier
from tests.auth_gateway.conftest import CLIENT_SECRET, GatewayFactory
from tests.support.registrations import largest_usable_registration

CLAUDE = {
    "client_name": "Claude",
    "redirect_uris": ["https://claude.ai/api/mcp/auth_callback"],
    "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"],
    "token_endpoint_auth_method": "client_secret_post",
}


def assert_error(response: Any, error: str, status: int = 400) -> str:
    assert response.status_code == status, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["error"] == error
    description: str = body["error_description"]
    return description


def test_claude_registers_as_a_public_client(client: TestClient) -> None:
    response = client.post("/oauth/register", json=CLAUDE)

    assert response.status_code == 201
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_endpoint_auth_method"] == "none"
    assert "client_secret" not in body
    assert body["redirect_uris"] == CLAUDE["redirect_uris"]
    assert body["client_name"] == "Claude"
    assert body["grant_types"] == ["authorization_code", "refresh_token"]
    assert isinstance(body["client_id_issued_at"], int)
    registered = ClientRegistry(CLIENT_SECRET).lookup(body["client_id"])  # survives any restart
    assert registered is not None
    assert registered.redirect_uris == tuple(CLAUDE["redirect_uris"])


def test_bad_redirect_uris_get_invalid_redirect_uri(client: TestClient) -> None:
    response = client.post("/oauth/register", json={**CLAUDE, "redirect_uris": ["http://evil.example/cb"]})

    assert "must use https://" in assert_error(response, "invalid_redirect_uri")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, "not valid JSON"),
        ({"data": {"redirect_uris": "x"}}, "application/json"),
        ({"json": {"x": "y" * 20000}}, "larger than 16 KiB"),
        ({"json": {**CLAUDE, "token_endpoint_auth_method": "tls_client_auth"}}, "public"),
    ],
)
def test_malformed_requests_get_invalid_client_metadata(
    client: TestClient, kwargs: dict[str, Any], expected: str
) -> None:
    response = client.post("/oauth/register", **kwargs)

    assert expected in assert_error(response, "invalid_client_metadata")


def test_the_21st_registration_in_a_minute_from_one_address_gets_429(client: TestClient) -> None:
    for _ in range(20):
        assert client.post("/oauth/register", json=CLAUDE).status_code == 201

    response = client.post("/oauth/register", json=CLAUDE)

    assert_error(response, "too_many_requests", status=429)
    assert 1 <= int(response.headers["retry-after"]) <= 60


def test_without_owner_login_there_is_no_registration(gateway_client: GatewayFactory) -> None:
    client = gateway_client(OAUTH_CLIENT_ID="c", OAUTH_CLIENT_SECRET=CLIENT_SECRET)

    response = client.post("/oauth/register", json=CLAUDE)

    assert "OWNER_PASSWORD_HASH" in assert_error(response, "not_found", status=404)


@pytest.mark.parametrize(
    ("redirect_uri", "problem"),
    [
        (
            "https://\u0441laude.ai/api/mcp/auth_callback",
            "the host name mixes Cyrillic and Latin letters in one label ('\u0441laude')",
        ),
        ("https://xn--laude-0ye.ai/cb", "mixes Cyrillic and Latin letters in one label"),
        ("https://cl\u00adaude.ai/cb", "the host name contains an invisible character (U+00AD)"),
        ("https://claude\u200b.ai/cb", "the host name contains an invisible character (U+200B)"),
        ("https://ia.\u202eedualc/cb", "the host name contains a bidirectional control character (U+202E)"),
        ("https://claude.ai/\u202ebc", "must not contain spaces, control or invisible characters (U+202E)"),
        ("https://claude.ai/c\u200bb", "must not contain spaces, control or invisible characters (U+200B)"),
        ("https://\u0301a.example/cb", "is not a valid internationalised domain name"),
    ],
)
def test_look_alike_and_hidden_characters_get_invalid_redirect_uri(
    client: TestClient, redirect_uri: str, problem: str
) -> None:
    response = client.post("/oauth/register", json={**CLAUDE, "redirect_uris": [redirect_uri]})

    description = assert_error(response, "invalid_redirect_uri")
    assert problem in description
    assert not any(ch in description for ch in "\u202e\u200b\u00ad")  # named, never echoed raw


@pytest.mark.parametrize(
    "redirect_uri", ["https://부동산.kr/cb", "https://пример.рф/cb", "https://claude.ai/콜백"]
)
def test_single_script_international_names_may_register(client: TestClient, redirect_uri: str) -> None:
    response = client.post("/oauth/register", json={**CLAUDE, "redirect_uris": [redirect_uri]})

    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 2500 + b"1" + b"}" * 2500,
    ],
    ids=["array", "object"],
)
def test_deeply_nested_json_gets_invalid_client_metadata(client: TestClient, body: bytes) -> None:
    response = client.post("/oauth/register", content=body, headers={"content-type": "application/json"})

    assert "nests too deeply" in assert_error(response, "invalid_client_metadata")


def test_a_registration_too_large_to_use_is_refused_and_the_largest_usable_one_is_used(
    client: TestClient,
) -> None:
    largest = largest_usable_registration("https://client.example", CLIENT_SECRET)
    one_more = {**largest, "redirect_uris": [uri + "p" for uri in largest["redirect_uris"]]}

    too_large = client.post("/oauth/register", json=one_more)
    description = assert_error(too_large, "invalid_client_metadata")
    assert "too large to use" in description
    assert "at most 2048" in description
    assert "register fewer or shorter redirect_uris" in description
    accepted = client.post("/oauth/register", json=largest)
    assert accepted.status_code == 201, accepted.text
    client_id = accepted.json()["client_id"]
    assert 2040 < len(client_id) <= 2048
    redirect_uri = largest["redirect_uris"][2]
    query = authorization_query(new_verifier(), client_id=client_id, redirect_uri=redirect_uri)
    page = client.get("/oauth/authorize", params=query)
    assert page.status_code == 200, page.text  # the login page: the largest registration is usable
