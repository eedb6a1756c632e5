"""POST /oauth/token: the client_credentials grant, its RFC 6749 §5.2 errors and its brute-force limit."""

from __future__ import annotations

import base64
import hmac
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auth_gateway.app import create_app
from auth_gateway.authorization_server.rate_limit import AttemptLimiter
from tests.auth_gateway.conftest import CLIENT_ID, CLIENT_SECRET, GatewayFactory, bearer, oauth_settings
from tests.support.uvicorn_thread import serve_in_thread

GRANT = {"grant_type": "client_credentials"}


@pytest.fixture
def client(gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_TOKEN_TTL="600")


def assert_error(response: Any, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert body["error_description"]
    assert response.headers["cache-control"] == "no-store"
    assert CLIENT_SECRET not in response.text


def test_client_secret_post(client: TestClient) -> None:
    response = client.post(
        "/oauth/token", data={**GRANT, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert response.headers["cache-control"] == "no-store"
    assert client.get("/verify", headers=bearer(body["access_token"])).status_code == 200


def test_client_secret_basic(client: TestClient) -> None:
    response = client.post("/oauth/token", data=GRANT, auth=(CLIENT_ID, CLIENT_SECRET))
    assert response.status_code == 200
    assert client.get("/verify", headers=bearer(response.json()["access_token"])).status_code == 200


def test_basic_credentials_are_form_urldecoded(gateway_client: GatewayFactory) -> None:
    """RFC 6749 §2.3.1: id and secret are form-urlencoded before base64, so ':' in an id survives."""
    secret = "p@ss:word+" + "q" * 30
    client = gateway_client(OAUTH_CLIENT_ID="team:reports", OAUTH_CLIENT_SECRET=secret)
    encoded = base64.b64encode(b"team%3Areports:p%40ss%3Aword%2B" + b"q" * 30).decode()
    response = client.post("/oauth/token", data=GRANT, headers={"Authorization": f"Basic {encoded}"})
    assert response.status_code == 200


def test_wrong_secret(client: TestClient) -> None:
    response = client.post("/oauth/token", data=GRANT, auth=(CLIENT_ID, CLIENT_SECRET + "x"))
    assert_error(response, 401, "invalid_client")
    assert response.headers["www-authenticate"].startswith("Basic")
    assert_error(
        client.post("/oauth/token", data={**GRANT, "client_id": CLIENT_ID, "client_secret": "nope"}),
        401,
        "invalid_client",
    )


def test_wrong_client_id(client: TestClient) -> None:
    assert_error(
        client.post("/oauth/token", data=GRANT, auth=("someone-else", CLIENT_SECRET)), 401, "invalid_client"
    )


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        pytest.param({}, 400, "invalid_request", id="no-grant-type"),
        pytest.param({"grant_type": ""}, 400, "invalid_request", id="empty-grant-type"),
        pytest.param({**GRANT}, 401, "invalid_client", id="no-client-authentication"),
        pytest.param({**GRANT, "client_id": CLIENT_ID}, 401, "invalid_client", id="no-secret"),
        pytest.param({**GRANT, "client_secret": CLIENT_SECRET}, 401, "invalid_client", id="no-client-id"),
        pytest.param(
            {"grant_type": "password", "username": "a", "password": "b"},
            400,
            "unsupported_grant_type",
            id="password",
        ),
        pytest.param(
            {"grant_type": "authorization_code", "code": "x"}, 401, "invalid_client", id="auth-code-no-client"
        ),
        pytest.param({"grant_type": "refresh_token"}, 401, "invalid_client", id="refresh-no-client"),
    ],
)
def test_missing_fields_and_unsupported_grants(
    client: TestClient, data: dict[str, str], status: int, error: str
) -> None:
    assert_error(client.post("/oauth/token", data=data), status, error)


def test_json_body_is_refused_with_a_hint(client: TestClient) -> None:
    response = client.post(
        "/oauth/token", json={**GRANT, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    )
    assert_error(response, 400, "invalid_request")
    assert "x-www-form-urlencoded" in response.json()["error_description"]


def test_repeated_parameter_refused(client: TestClient) -> None:
    body = "grant_type=client_credentials&" * 2 + f"client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
    response = client.post(
        "/oauth/token", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_error(response, 400, "invalid_request")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"grant_type=client_credentials&\xff\xfe", id="invalid-utf8"),
        pytest.param(("&".join(f"p{n}=v" for n in range(30))).encode(), id="too-many-fields"),
    ],
)
def test_undecodable_bodies_refused(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/oauth/token",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    assert_error(response, 400, "invalid_request")


def test_both_authentication_methods_at_once_refused(client: TestClient) -> None:
    response = client.post(
        "/oauth/token", data={**GRANT, "client_secret": CLIENT_SECRET}, auth=(CLIENT_ID, CLIENT_SECRET)
    )
    assert_error(response, 400, "invalid_request")


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(b"Basic !!!not-base64", id="not-base64"),
        pytest.param(b"Basic " + base64.b64encode(b"no-colon"), id="no-colon"),
        pytest.param(b"Basic " + base64.b64encode(b"\xff\xfe:secret"), id="not-utf8"),
        pytest.param("Basic \u00e9t\u00e9".encode("latin-1"), id="non-ascii-header"),
    ],
)
def test_malformed_basic_header(client: TestClient, header: bytes) -> None:
    assert_error(
        client.post("/oauth/token", data=GRANT, headers={b"Authorization": header}), 401, "invalid_client"
    )


def test_oversized_body_refused(client: TestClient) -> None:
    response = client.post(
        "/oauth/token", data={**GRANT, "padding": "x" * 10_000}, auth=(CLIENT_ID, CLIENT_SECRET)
    )
    assert_error(response, 400, "invalid_request")


def test_disabled_without_client_credentials(issuer: Any, gateway_client: GatewayFactory) -> None:
    client = gateway_client(OAUTH_ISSUER=issuer.issuer)
    assert_error(client.post("/oauth/token", data=GRANT, auth=("a", "b")), 400, "unsupported_grant_type")


def test_disabled_in_none_mode() -> None:
    from auth_gateway.config import GatewaySettings

    settings = GatewaySettings(AUTH_MODE="none", OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET)
    with TestClient(create_app(settings)) as client:
        assert_error(
            client.post("/oauth/token", data=GRANT, auth=(CLIENT_ID, CLIENT_SECRET)),
            400,
            "unsupported_grant_type",
        )


def test_scope_of_the_token_is_the_configured_scope(gateway_client: GatewayFactory) -> None:
    client = gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_SCOPES="mcp:tools"
    )
    assert (
        client.post("/oauth/token", data=GRANT, auth=(CLIENT_ID, CLIENT_SECRET)).json()["scope"]
        == "mcp:tools"
    )


def test_secrets_are_compared_in_constant_time(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both the id and the secret go through hmac.compare_digest, even when the id is already wrong."""
    real = hmac.compare_digest
    calls: list[tuple[bytes, bytes]] = []

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    client.post("/oauth/token", data=GRANT, auth=("wrong-id", "guess"))
    assert (b"guess", CLIENT_SECRET.encode()) in calls
    assert (b"wrong-id", CLIENT_ID.encode()) in calls
    calls.clear()
    assert client.post("/oauth/token", data=GRANT, auth=(CLIENT_ID, CLIENT_SECRET)).status_code == 200
    assert (CLIENT_SECRET.encode(), CLIENT_SECRET.encode()) in calls


# ---- rate limit over a real socket, so X-Forwarded-For and the peer address are real ----------------


@pytest.fixture
def served() -> Iterator[str]:
    settings = oauth_settings(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET)
    with serve_in_thread(create_app(settings), proxy_headers=False) as base_url:  # as python -m auth_gateway
        yield base_url


def _attempt(base_url: str, secret: str, forwarded_for: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return httpx.post(f"{base_url}/oauth/token", data=GRANT, auth=(CLIENT_ID, secret), headers=headers)


def test_ten_failures_a_minute_then_429_with_retry_after(served: str) -> None:
    for _ in range(10):
        assert _attempt(served, "wrong", "203.0.113.7").status_code == 401
    limited = _attempt(served, "wrong", "203.0.113.7")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.headers["cache-control"] == "no-store"
    # While limited even the right secret is refused, so a guesser learns nothing ...
    assert _attempt(served, CLIENT_SECRET, "203.0.113.7").status_code == 429
    # ... but another client behind the same proxy is unaffected.
    assert _attempt(served, CLIENT_SECRET, "198.51.100.4").status_code == 200


def test_forwarded_for_ignored_from_untrusted_peers() -> None:
    settings = oauth_settings(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, TRUSTED_PROXIES="10.0.0.0/8"
    )
    with serve_in_thread(create_app(settings), proxy_headers=False) as base_url:
        for n in range(10):  # a new forged address each time must not dodge the limit
            assert _attempt(base_url, "wrong", f"203.0.113.{n}").status_code == 401
        assert _attempt(base_url, CLIENT_SECRET, "198.51.100.4").status_code == 429


# ---- property: no request body or Authorization header turns into a 500 ----------------------------


@pytest.fixture(scope="module")
def unlimited_client() -> Iterator[TestClient]:
    """The limiter is lifted so every example reaches the parser (a 429 would answer before it)."""
    app = create_app(oauth_settings(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET))
    app.state.authorization_server.rate_limiter = AttemptLimiter(10**9)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


LATIN1 = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
FORM_NAMES = st.sampled_from(["grant_type", "client_id", "client_secret", "scope", "x"])
FORM_VALUES = st.sampled_from(["client_credentials", CLIENT_ID, CLIENT_SECRET, ""]) | st.text(max_size=12)
PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def post_token(client: TestClient, body: bytes, authorization: str | None) -> None:
    headers: dict[str, Any] = {"Content-Type": "application/x-www-form-urlencoded"}
    if authorization is not None:
        headers["Authorization"] = authorization.encode("latin-1")  # as a client may send it
    response = client.post("/oauth/token", content=body, headers=headers)
    assert response.status_code in (200, 400, 401), response.text
    assert response.headers["cache-control"] == "no-store"
    assert set(response.json()) & {"error", "access_token"}


@PROPERTY
@given(
    authorization=st.builds(
        lambda scheme, rest: scheme + rest,
        st.sampled_from(["Basic ", "basic ", "Basic  ", ""]),
        st.text(LATIN1),
    )
    | st.binary(max_size=60).map(lambda raw: "Basic " + base64.b64encode(raw).decode()),
    extra=st.lists(st.tuples(FORM_NAMES.filter(lambda n: n != "grant_type"), FORM_VALUES), max_size=3),
)
def test_any_authorization_header_gets_an_rfc6749_answer(
    unlimited_client: TestClient, authorization: str, extra: list[tuple[str, str]]
) -> None:
    post_token(
        unlimited_client, urlencode([("grant_type", "client_credentials"), *extra]).encode(), authorization
    )


@PROPERTY
@given(
    body=st.binary(max_size=200)
    | st.lists(st.tuples(FORM_NAMES, FORM_VALUES), max_size=5).map(lambda pairs: urlencode(pairs).encode()),
    basic=st.booleans(),
)
def test_any_body_gets_an_rfc6749_answer(unlimited_client: TestClient, body: bytes, basic: bool) -> None:
    authorization = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    post_token(unlimited_client, body, authorization if basic else None)
