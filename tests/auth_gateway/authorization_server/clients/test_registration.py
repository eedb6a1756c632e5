"""Dynamic client registration: what a client may register, and client ids that carry it, signed."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from auth_gateway.authorization_server.clients.registration import ClientRegistry, registration_response
from auth_gateway.authorization_server.errors import RegistrationRefused

SECRET = "registration-test-secret-" + "r" * 30
CHATGPT = {
    "client_name": "ChatGPT",
    "redirect_uris": ["https://chatgpt.com/connector_platform_oauth_redirect"],
    "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"],
    "token_endpoint_auth_method": "none",
}


def refused(metadata: Any) -> RegistrationRefused:
    with pytest.raises(RegistrationRefused) as caught:
        ClientRegistry(SECRET).register(metadata)
    return caught.value


def test_a_registration_round_trips_through_its_client_id() -> None:
    registry = ClientRegistry(SECRET)

    client = registry.register(CHATGPT, now=1_800_000_000)

    assert registry.lookup(client.client_id) == client
    assert client.client_name == "ChatGPT"
    assert client.allows_redirect_uri("https://chatgpt.com/connector_platform_oauth_redirect")
    assert len(client.client_id) < 200  # short enough for logs and URLs


def test_the_response_is_rfc_7591_and_always_a_public_client() -> None:
    client = ClientRegistry(SECRET).register(
        {**CHATGPT, "token_endpoint_auth_method": "client_secret_post"}, now=1_800_000_000
    )

    assert registration_response(client) == {
        "client_id": client.client_id,
        "client_id_issued_at": 1_800_000_000,
        "client_name": "ChatGPT",
        "redirect_uris": ["https://chatgpt.com/connector_platform_oauth_redirect"],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    }


@pytest.mark.parametrize("method", [None, "none", "client_secret_post", "client_secret_basic"])
def test_secret_methods_are_substituted_with_none(method: str | None) -> None:
    """Claude asks for client_secret_post and follows the response (client_registration docstring)."""
    metadata = {**CHATGPT, "token_endpoint_auth_method": method}

    response = registration_response(ClientRegistry(SECRET).register(metadata))

    assert response["token_endpoint_auth_method"] == "none"


def test_key_based_client_authentication_is_refused() -> None:
    error = refused({**CHATGPT, "token_endpoint_auth_method": "private_key_jwt"})

    assert error.error == "invalid_client_metadata"
    assert "public" in error.description


@pytest.mark.parametrize(
    ("uris", "expected"),
    [
        (None, "non-empty list"),
        ([], "non-empty list"),
        ("https://a.example/cb", "non-empty list"),
        ([42], "must be a string"),
        (["http://evil.example/cb"], "must use https://"),
        (["javascript:alert(1)"], "absolute https:// URL"),
        (["https://a.example/cb#frag"], "fragment"),
        (["https://user@a.example/cb"], "user info"),
        ([f"https://a.example/{i}" for i in range(11)], "at most 10"),
    ],
)
def test_bad_redirect_uris_are_refused(uris: object, expected: str) -> None:
    error = refused({**CHATGPT, "redirect_uris": uris})

    assert error.error == "invalid_redirect_uri"
    assert expected in error.description


def test_loopback_redirect_uris_are_accepted_and_match_any_port() -> None:
    client = ClientRegistry(SECRET).register(
        {"redirect_uris": ["http://127.0.0.1/callback", "http://localhost:3000/cb", "http://[::1]/cb"]}
    )

    assert client.allows_redirect_uri("http://127.0.0.1:51234/callback")
    assert client.allows_redirect_uri("http://localhost:4000/cb")
    assert client.allows_redirect_uri("http://[::1]:8000/cb")
    assert not client.allows_redirect_uri("http://127.0.0.1:51234/other")
    assert not client.allows_redirect_uri("http://localhost.evil.example:3000/cb")


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"grant_types": ["client_credentials"]}, "grant_types must include authorization_code"),
        ({"response_types": ["token"]}, "response_types must include code"),
        ({"client_name": ["x"]}, "client_name must be a string"),
    ],
)
def test_metadata_we_cannot_honour_is_refused(metadata: dict[str, Any], expected: str) -> None:
    error = refused({**CHATGPT, **metadata})

    assert error.error == "invalid_client_metadata"
    assert expected in error.description


def test_a_non_object_body_is_refused() -> None:
    assert refused(["https://a.example/cb"]).error == "invalid_client_metadata"


def test_names_are_cleaned_and_bounded() -> None:
    registry = ClientRegistry(SECRET)

    assert registry.register({**CHATGPT, "client_name": "  Chat\x00\nGPT\t "}).client_name == "Chat GPT"
    assert len(registry.register({**CHATGPT, "client_name": "n" * 500}).client_name) == 100
    assert registry.register({"redirect_uris": CHATGPT["redirect_uris"]}).client_name == "an unnamed client"


def test_forged_edited_and_foreign_client_ids_are_unknown() -> None:
    registry = ClientRegistry(SECRET)
    client_id = registry.register(CHATGPT).client_id
    body, _, mac = client_id.rpartition(".")
    payload = base64.urlsafe_b64decode(body.removeprefix("dcr.") + "==")
    payload = payload.replace(b"chatgpt.com", b"evil.example")
    edited = "dcr." + base64.urlsafe_b64encode(payload).rstrip(b"=").decode() + "." + mac

    assert registry.lookup(edited) is None
    assert registry.lookup(client_id[:-2]) is None
    assert registry.lookup(client_id + "A") is None
    assert ClientRegistry("another-secret-" + "s" * 30).lookup(client_id) is None  # the secret changed
    assert registry.lookup("dcr.") is None
    assert registry.lookup("dcr.!!!.???") is None
    assert registry.lookup("mcp-abc") is None
    assert registry.lookup("https://client.example/client.json") is None
