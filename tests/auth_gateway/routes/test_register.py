"""POST /oauth/register: RFC 7591 answers, public clients only, bounded, and only with owner login."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from auth_gateway.client_registration import ClientRegistry
from tests.auth_gateway.conftest import CLIENT_SECRET, GatewayFactory, owner_login_settings

CLAUDE = {
    "client_name": "Claude",
    "redirect_uris": ["https://claude.ai/api/mcp/auth_callback"],
    "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"],
    "token_endpoint_auth_method": "client_secret_post",
}


@pytest.fixture
def client(gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(**owner_login_settings())


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
