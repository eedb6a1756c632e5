"""What the discovery documents promise is what the gateway does: the grants, client authentication and
registration advertised are answered by the gateway built from the same settings."""

from __future__ import annotations

from jose import jwt

from auth_gateway.discovery.documents import (
    AUTHORIZATION_SERVER_FILE,
    PROTECTED_RESOURCE_FILE,
    discovery_documents,
)
from tests.auth_gateway.conftest import (
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    GatewayFactory,
    client_credentials_token,
    oauth_settings,
    owner_login_settings,
)

CLIENT = {"OAUTH_CLIENT_ID": CLIENT_ID, "OAUTH_CLIENT_SECRET": CLIENT_SECRET}


def test_every_advertised_grant_is_one_the_token_endpoint_knows(gateway_client: GatewayFactory) -> None:
    metadata = discovery_documents(oauth_settings(**CLIENT))[AUTHORIZATION_SERVER_FILE]
    client = gateway_client(**CLIENT)

    for grant_type in metadata["grant_types_supported"]:
        answer = client.post("/oauth/token", data={"grant_type": grant_type}, auth=(CLIENT_ID, CLIENT_SECRET))
        assert answer.json().get("error") != "unsupported_grant_type", grant_type
    unknown = client.post("/oauth/token", data={"grant_type": "password"}, auth=(CLIENT_ID, CLIENT_SECRET))
    assert unknown.json()["error"] == "unsupported_grant_type"
    assert "password" not in metadata["grant_types_supported"]


def test_registration_is_advertised_exactly_when_the_gateway_serves_it(
    gateway_client: GatewayFactory,
) -> None:
    for overrides, served in ((CLIENT, False), (owner_login_settings(), True)):
        metadata = discovery_documents(oauth_settings(**overrides))[AUTHORIZATION_SERVER_FILE]
        answer = gateway_client(**overrides).post(
            "/oauth/register", json={"redirect_uris": ["https://claude.ai/api/mcp/auth_callback"]}
        )

        assert ("registration_endpoint" in metadata) is served
        assert ("none" in metadata["token_endpoint_auth_methods_supported"]) is served
        assert (answer.status_code == 201) is served, answer.text


def test_the_issuer_precedence_is_the_one_verify_uses() -> None:
    """OAUTH_ISSUER beats AUTH0_DOMAIN: the document sends clients to the issuer whose tokens /verify
    accepts, and only an issuer that is not ours publishes its own metadata."""
    cases = [
        (
            {"OAUTH_ISSUER": "https://id.example.org", "AUTH0_DOMAIN": "t.eu.auth0.com"},
            "https://id.example.org",
        ),
        ({"AUTH0_DOMAIN": "t.eu.auth0.com", **CLIENT}, "https://t.eu.auth0.com/"),
    ]
    for overrides, issuer in cases:
        settings = oauth_settings(**overrides)
        documents = discovery_documents(settings)

        assert documents[PROTECTED_RESOURCE_FILE]["authorization_servers"] == [issuer]
        assert settings.issuer == issuer  # the `iss` /verify requires of issuer tokens
        assert (AUTHORIZATION_SERVER_FILE in documents) is ("OAUTH_ISSUER" not in overrides)


def test_without_an_issuer_clients_are_sent_to_the_server_whose_tokens_they_get(
    gateway_client: GatewayFactory,
) -> None:
    documents = discovery_documents(oauth_settings(**CLIENT))
    token = client_credentials_token(gateway_client(**CLIENT))

    assert documents[PROTECTED_RESOURCE_FILE]["authorization_servers"] == [BASE_URL]
    assert documents[AUTHORIZATION_SERVER_FILE]["issuer"] == BASE_URL
    assert jwt.get_unverified_claims(token)["iss"] == BASE_URL


def test_none_mode_has_no_documents() -> None:
    assert discovery_documents(oauth_settings(AUTH_MODE="none")) == {}
