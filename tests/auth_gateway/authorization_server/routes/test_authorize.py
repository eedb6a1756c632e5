"""GET /oauth/authorize for the pre-registered client: a 302 with code, state and iss, or a refusal.

Pages (400, never a redirect) for an unknown client or a redirect URI off the allowlist; every other
refusal redirects with the RFC 6749 §4.1.2.1 error code.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auth_gateway.app import create_app
from auth_gateway.authorization_server.pkce import s256_challenge
from tests.auth_gateway.authorization_server.routes.oauth_flow import (
    REDIRECT_URI,
    authorization_query,
    authorize,
    new_verifier,
    redirect_parameters,
)
from tests.auth_gateway.conftest import BASE_URL, CLIENT_ID, CLIENT_SECRET, GatewayFactory, oauth_settings


@pytest.fixture
def client(gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
        OAUTH_SCOPES="mcp:read mcp:write",
        OAUTH_REDIRECT_URIS="https://tools.example.org/oauth/callback",
    )


def assert_page(response: object, phrase: str) -> None:
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "location" not in response.headers  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    assert response.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]
    assert phrase in response.text  # type: ignore[attr-defined]


def test_the_configured_client_is_redirected_straight_back_with_a_code(client: TestClient) -> None:
    query = authorization_query(new_verifier(), state="opaque/state value+=")

    response = client.get("/oauth/authorize", params=query)

    parameters = redirect_parameters(response)
    assert response.headers["location"].startswith(REDIRECT_URI + "?")
    assert set(parameters) == {"code", "state", "iss"}
    assert parameters["state"] == "opaque/state value+="  # returned unchanged
    assert parameters["iss"] == BASE_URL  # RFC 9207: the issuer the metadata names


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://claude.ai/api/mcp/auth_callback",
        "https://claude.com/api/mcp/auth_callback",
        "https://chatgpt.com/connector_platform_oauth_redirect",
        "http://localhost:61234/any/path",
        "https://tools.example.org/oauth/callback",
    ],
)
def test_every_allowlisted_redirect_uri_works(client: TestClient, redirect_uri: str) -> None:
    response = client.get(
        "/oauth/authorize", params=authorization_query(new_verifier(), redirect_uri=redirect_uri)
    )

    assert response.status_code == 302
    assert urlsplit(response.headers["location"])[:3] == urlsplit(redirect_uri)[:3]


def test_a_redirect_uri_with_a_query_keeps_it(client: TestClient) -> None:
    parameters = authorize(client, new_verifier(), redirect_uri="http://127.0.0.1:5000/cb?session=abc")

    assert parameters["session"] == "abc"
    assert "code" in parameters


def test_an_unknown_client_gets_a_page(client: TestClient) -> None:
    response = client.get("/oauth/authorize", params=authorization_query(new_verifier(), client_id="someone"))

    assert_page(response, "unknown client_id")


def test_a_redirect_uri_off_the_allowlist_gets_a_page(client: TestClient) -> None:
    query = authorization_query(new_verifier(), redirect_uri="https://evil.example/callback")

    response = client.get("/oauth/authorize", params=query)

    assert_page(response, "OAUTH_REDIRECT_URIS")
    assert "evil.example" not in response.headers.get("location", "")


@pytest.mark.parametrize(
    ("overrides", "phrase"),
    [
        ({"client_id": None}, "client_id is missing"),
        ({"redirect_uri": None}, "redirect_uri is missing"),
    ],
)
def test_missing_client_or_redirect_gets_a_page(
    client: TestClient, overrides: dict[str, str | None], phrase: str
) -> None:
    assert_page(
        client.get("/oauth/authorize", params=authorization_query(new_verifier(), **overrides)), phrase
    )


def test_a_repeated_redirect_uri_gets_a_page(client: TestClient) -> None:
    query = [*authorization_query(new_verifier()).items(), ("redirect_uri", "http://127.0.0.1:1/x")]

    assert_page(client.get("/oauth/authorize", params=query), "more than once")


@pytest.mark.parametrize(
    ("overrides", "error", "phrase"),
    [
        pytest.param({"code_challenge_method": "plain"}, "invalid_request", "plain", id="plain-pkce"),
        pytest.param({"code_challenge_method": None}, "invalid_request", "S256", id="method-missing"),
        pytest.param(
            {"code_challenge": None, "code_challenge_method": None}, "invalid_request", "PKCE", id="no-pkce"
        ),
        pytest.param({"code_challenge": "short"}, "invalid_request", "43", id="bad-challenge"),
        pytest.param({"response_type": "token"}, "unsupported_response_type", "code", id="implicit"),
        pytest.param({"response_type": None}, "invalid_request", "response_type", id="no-response-type"),
        pytest.param(
            {"resource": "https://other.example.net/mcp"}, "invalid_target", "/mcp", id="foreign-resource"
        ),
    ],
)
def test_other_errors_redirect_with_the_error_code(
    client: TestClient, overrides: dict[str, str | None], error: str, phrase: str
) -> None:
    parameters = authorize(client, new_verifier(), state="xyz", **overrides)

    assert parameters["error"] == error
    assert phrase in parameters["error_description"]
    assert parameters["state"] == "xyz"
    assert parameters["iss"] == BASE_URL
    assert "code" not in parameters


def test_a_repeated_parameter_redirects_with_invalid_request(client: TestClient) -> None:
    query = [*authorization_query(new_verifier()).items(), ("scope", "a"), ("scope", "b")]

    parameters = redirect_parameters(client.get("/oauth/authorize", params=query))

    assert parameters["error"] == "invalid_request"


def test_resource_may_be_omitted_or_carry_a_trailing_slash(client: TestClient) -> None:
    assert "code" in authorize(client, new_verifier(), resource=None)
    assert "code" in authorize(client, new_verifier(), resource=f"{BASE_URL}/mcp/")


def test_disabled_without_the_built_in_authorization_server(
    gateway_client: GatewayFactory, issuer: object
) -> None:
    client = gateway_client(OAUTH_ISSUER=issuer.issuer)  # type: ignore[attr-defined]

    assert_page(
        client.get("/oauth/authorize", params=authorization_query(new_verifier())), "unknown client_id"
    )


# ---- property: any query gets a redirect to an allowed URI or the page, never a 500 -----------------


@pytest.fixture(scope="module")
def module_client() -> Iterator[TestClient]:
    settings = oauth_settings(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET)
    with TestClient(create_app(settings), raise_server_exceptions=False, follow_redirects=False) as client:
        yield client


CHALLENGE = s256_challenge("v" * 43)
NAMES = st.sampled_from(
    [
        "client_id",
        "redirect_uri",
        "response_type",
        "code_challenge",
        "code_challenge_method",
        "state",
        "resource",
    ]
)
VALUES = st.sampled_from(
    [
        CLIENT_ID,
        REDIRECT_URI,
        "https://evil.example/cb",
        "code",
        "S256",
        "plain",
        CHALLENGE,
        f"{BASE_URL}/mcp",
        "",
    ]
) | st.text(max_size=16)


# The values above that are allowed redirect URIs: REDIRECT_URI, and `{BASE_URL}/mcp`, which is a loopback
# http URI and so allowed on any port (RFC 8252 §7.3). Every other URI, evil.example's above all, must
# never be redirected to.
ALLOWED_REDIRECTS = (REDIRECT_URI + "?", f"{BASE_URL}/mcp?")


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same queries on every run: CI must not find a new case by chance
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(pairs=st.lists(st.tuples(NAMES, VALUES), max_size=9))
def test_any_query_is_answered_without_an_open_redirect(
    module_client: TestClient, pairs: list[tuple[str, str]]
) -> None:
    response = module_client.get("/oauth/authorize", params=pairs)

    assert response.status_code in (302, 400), response.text
    assert response.headers["cache-control"] == "no-store"
    if response.status_code == 302:
        assert response.headers["location"].startswith(ALLOWED_REDIRECTS)
