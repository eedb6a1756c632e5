"""Bad input at /oauth/* gets a clear 4xx answer that is never cached, never a 5xx.

The named cases each get their exact answer (RFC 6749 §5.2 / RFC 7591 §3.2.2 codes for the JSON
endpoints, the error page for the authorization endpoint). A property-based test then throws generated
malformed requests at every /oauth/* route the app itself lists, so an endpoint added later is covered
without anyone remembering to add it here. It is deterministic (derandomized, a fixed number of examples
per route) and never leaves loopback: client metadata document hosts resolve, by the stand-in resolver
below, to a documentation address the gateway refuses to fetch from.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auth_gateway.app import create_app
from auth_gateway.authorization_server.clients.metadata_documents import ClientMetadataDocuments
from auth_gateway.authorization_server.login.pages import LoginPages
from tests.auth_gateway.authorization_server.routes.oauth_flow import (
    REDIRECT_URI,
    authorization_query,
    new_verifier,
)
from tests.auth_gateway.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    RESOURCE,
    oauth_settings,
    owner_login_settings,
)

FORM = {"content-type": "application/x-www-form-urlencoded"}
JSON = {"content-type": "application/json"}
SOFT_HYPHEN_DOCUMENT = "https://cl\u00adaude.ai/oauth/client.json"
# Every endpoint the gateway served when this was written; the property test covers whatever it lists.
KNOWN_ROUTES = {
    ("GET", "/oauth/authorize"),
    ("POST", "/oauth/authorize"),
    ("POST", "/oauth/token"),
    ("POST", "/oauth/register"),
    ("POST", "/oauth/revoke"),
}


async def documentation_address(host: str, port: int) -> list[str]:
    """Stands in for DNS: every name is 192.0.2.1 (TEST-NET-1), which the gateway never fetches from;
    an address literal is itself, as getaddrinfo answers."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        return ["192.0.2.1"]


def build_app() -> FastAPI:
    app = create_app(oauth_settings(**owner_login_settings()))
    pages: LoginPages = app.state.login_pages
    pages.owner_login.documents = ClientMetadataDocuments(
        pages.owner_login.http, resolve=documentation_address
    )
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(build_app(), client=("127.0.0.1", 50000), follow_redirects=False) as running:
        yield running


def oauth_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every /oauth/* route, as the application itself lists them."""
    app = client.app
    assert isinstance(app, FastAPI)
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/oauth/")
        for method in operations
    )


def assert_refused(response: Any, status: int, error: str | None = None) -> str:
    """The status, no-store, and for JSON answers the error code; returns the description or page."""
    assert response.status_code == status, response.text
    assert "no-store" in response.headers["cache-control"]
    assert "location" not in response.headers
    if error is None:
        assert response.headers["content-type"].startswith("text/html")
        return str(response.text)
    body = response.json()
    assert body["error"] == error
    description: str = body["error_description"]
    return description


def registration(client: TestClient) -> str:
    response = client.post("/oauth/register", json={"client_name": "x", "redirect_uris": [REDIRECT_URI]})
    assert response.status_code == 201, response.text
    client_id: str = response.json()["client_id"]
    return client_id


# ------------------------------------------------------------------ the named cases ----------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"[" * 5000 + b"]" * 5000, "nests too deeply"),
        (b'{"redirect_uris": ["https://a.example/\xff\xfe"]}', "not valid JSON"),
        (b"\xef\xbb\xbf{}", "not valid JSON"),  # a byte-order mark is not JSON (RFC 8259 §8.1)
        (b'{"redirect_uris": 1e999999}', "redirect_uris must be a non-empty list"),
        (b'{"client_name": ' + b"9" * 5000 + b"}", "not valid JSON"),  # beyond Python's int digits
        (b"", "not valid JSON"),
        (b"null", "must be a JSON object"),
    ],
)
def test_registration_bodies_that_are_not_client_metadata(
    client: TestClient, body: bytes, expected: str
) -> None:
    response = client.post("/oauth/register", content=body, headers=JSON)

    error = "invalid_redirect_uri" if "redirect_uris" in expected else "invalid_client_metadata"
    assert expected in assert_refused(response, 400, error)


@pytest.mark.parametrize(
    ("client_id", "expected"),
    [
        (SOFT_HYPHEN_DOCUMENT, "the host name contains an invisible character (U+00AD)"),
        ("https://\u0301a.example/client.json", "is not a valid internationalised domain name"),
        ("https://xn--zz.example/client.json", "is not a valid internationalised domain name"),
        ("https://\u0441laude.ai/client.json", "mixes Cyrillic and Latin letters"),
        ("https://[fec0::1]/client.json", "resolves to a site-local (deprecated, fec0::/10) address"),
        ("https://documents.example/client.json", "resolves to a private address (192.0.2.1)"),
        ("https://documents.example:0/client.json", "resolves to a private address"),
        (
            "https://" + "부동산실거래가" * 8 + ".example/client.json",
            "is not a valid internationalised domain name",
        ),
    ],
)
def test_unusable_metadata_document_client_ids_get_the_error_page(
    client: TestClient, client_id: str, expected: str
) -> None:
    query = authorization_query(new_verifier(), client_id=client_id)

    page = assert_refused(client.get("/oauth/authorize", params=query), 400)

    assert "cannot be used" in page
    assert expected in page.replace("&#x27;", "'")


def test_every_authorization_parameter_repeated_or_empty_gets_the_error_page(client: TestClient) -> None:
    query = authorization_query(new_verifier(), client_id=registration(client))
    repeated = urlencode(list(query.items()) * 2)
    empty = urlencode(dict.fromkeys(query, ""))

    assert "client_id appears more than once" in assert_refused(
        client.get(f"/oauth/authorize?{repeated}"), 400
    )
    assert "client_id is missing" in assert_refused(client.get(f"/oauth/authorize?{empty}"), 400)
    undecodable = "client_id=%ff%fe&redirect_uri=%c0%af"
    assert "not known here" in assert_refused(client.get(f"/oauth/authorize?{undecodable}"), 400)


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        (b"client_id=%ff\xff&password=\xfe", FORM, "could not be read"),
        (b"&".join([b"a=b"] * 30), FORM, "could not be read"),
        (b'{"client_id": "x"}', JSON, "must be posted as a form"),
        (b"", FORM, "client_id is missing"),
    ],
)
def test_login_form_posts_that_are_not_a_login_form(
    client: TestClient, body: bytes, headers: dict[str, str], expected: str
) -> None:
    assert expected in assert_refused(client.post("/oauth/authorize", content=body, headers=headers), 400)


REPEATED_TOKEN_FORM = urlencode([("grant_type", "client_credentials"), ("client_id", CLIENT_ID)] * 2)
REPEATED_REVOKE_FORM = urlencode([("token", "x"), ("client_id", CLIENT_ID)] * 2)


@pytest.mark.parametrize(
    ("path", "body", "headers", "status", "error", "expected"),
    [
        ("/oauth/token", b"grant_type=%ff\xfe", FORM, 400, "invalid_request", "not valid form data"),
        ("/oauth/token", b"", FORM, 400, "invalid_request", "grant_type is required"),
        ("/oauth/token", b"grant_type=", FORM, 400, "invalid_request", "grant_type is required"),
        (
            "/oauth/token",
            REPEATED_TOKEN_FORM.encode(),
            FORM,
            400,
            "invalid_request",
            "appears more than once",
        ),
        (
            "/oauth/token",
            b"grant_type=authorization_code&code=&code_verifier=",
            FORM,
            401,
            "invalid_client",
            "required",
        ),
        ("/oauth/token", b"[" * 5000, JSON, 400, "invalid_request", "application/x-www-form-urlencoded"),
        (
            "/oauth/token",
            b"grant_type=refresh_token&" + b"x" * 9000,
            FORM,
            400,
            "invalid_request",
            "too large",
        ),
        ("/oauth/revoke", b"token=%ff\xfe", FORM, 400, "invalid_request", "not valid form data"),
        ("/oauth/revoke", b"token=", FORM, 400, "invalid_request", "token is required"),
        ("/oauth/revoke", REPEATED_REVOKE_FORM.encode(), FORM, 400, "invalid_request", "more than once"),
        ("/oauth/revoke", b"[" * 5000, JSON, 400, "invalid_request", "application/x-www-form-urlencoded"),
        (
            "/oauth/revoke",
            b"token=x&client_id=",
            FORM,
            401,
            "invalid_client",
            "both client_id and client_secret",
        ),
    ],
)
def test_token_and_revocation_requests_that_cannot_be_read(
    client: TestClient,
    path: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    error: str,
    expected: str,
) -> None:
    response = client.post(path, content=body, headers=headers)

    assert expected in assert_refused(response, status, error)


def test_the_property_test_sees_every_known_endpoint(client: TestClient) -> None:
    assert set(oauth_routes(client)) >= KNOWN_ROUTES


# ------------------------------------------------------------------ generated malformed requests --------

PARAMETER_NAMES = (
    "response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method", "state",
    "scope", "resource", "prompt", "grant_type", "code", "code_verifier", "refresh_token",
    "client_secret", "token", "token_type_hint", "password", "form_token", "client_name",
    "redirect_uris", "token_endpoint_auth_method", "grant_types", "response_types",
)  # fmt: skip
SPECIAL_VALUES = (
    "", "code", "S256", "plain", "authorization_code", "refresh_token", "client_credentials", CLIENT_ID,
    CLIENT_SECRET, RESOURCE, REDIRECT_URI, "none", "access_token", "offline_access",
    SOFT_HYPHEN_DOCUMENT, "https://\u0441laude.ai/client.json", "https://\u0301a.example/c.json",
    "https://[fec0::1]/c.json", "https://docs.example:99999/c.json", "http://127.0.0.1:9/c.json",
    "https://chatgpt.com/connector_platform_oauth_redirect", "https://a.example/\u202ecb",
    "dcr.", "dcr.x.y", "dcr.eyJuIjoxfQ.AAAA", "x" * 5000, "\x00", "%00", "\ufffd", "1.forged",
    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "v" * 43, "\ud800", "\U0010ffff",
)  # fmt: skip
RAW_QUERY_TAILS = ("&", "&&=&", "%", "%zz", "=x", "client_id", "a=%ff%fe", "&;&", "+%2B%20")

names = st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(max_size=12))
values = st.one_of(st.sampled_from(SPECIAL_VALUES), st.text(max_size=40))
pairs = st.lists(st.tuples(names, values), max_size=12)
parameters = st.one_of(pairs, pairs.map(lambda found: found + found))  # everything repeated


def form_body(found: list[tuple[str, str]]) -> bytes:
    # surrogatepass: a generated lone surrogate becomes bytes that are not UTF-8, as a hostile client sends
    return urlencode(found, quote_via=lambda s, *_: quote(s.encode("utf-8", "surrogatepass"))).encode("ascii")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(SPECIAL_VALUES),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=4),
    max_leaves=20,
)


def json_body(value: object) -> bytes:
    return json.dumps(value).encode("utf-8")


deep = st.sampled_from([b"[" * 5000 + b"]" * 5000, b'{"a":' * 2000 + b"0" + b"}" * 2000, b"[" * 20000])
bodies = st.one_of(
    parameters.map(form_body),
    json_values.map(json_body),
    st.dictionaries(st.sampled_from(PARAMETER_NAMES), json_values, max_size=6).map(json_body),
    deep,
    st.binary(max_size=300),
)
content_types = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/json",
        "application/x-www-form-urlencoded; charset=latin-1",
        "APPLICATION/JSON; charset=utf-8",
        "multipart/form-data; boundary=x",
        "text/plain",
        "",
    ]
)
authorizations = st.one_of(
    st.none(),
    st.sampled_from(
        ["Basic", "Basic !!!", "Basic Og==", "Basic w7/Dvg==", "Bearer x", "basic " + "A" * 3000]
    ),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60),
)


@st.composite
def malformed_requests(draw: st.DrawFn, method: str) -> dict[str, Any]:
    # A fresh documentation-range address per request, so per-address limits rarely hide an answer.
    headers: dict[str, str | bytes] = {"x-forwarded-for": f"198.51.100.{draw(st.integers(1, 254))}"}
    authorization = draw(authorizations)
    if authorization is not None:
        headers["authorization"] = authorization.encode("latin-1")  # as raw header bytes arrive
    if draw(st.booleans()):
        headers["cookie"] = f"owner_login_nonce={draw(st.text(alphabet='abcXYZ09_-', max_size=30))}"
    query = form_body(draw(parameters)).decode("ascii")
    if draw(st.booleans()):
        query += draw(st.sampled_from(RAW_QUERY_TAILS))
    if method == "GET":
        return {"query": query, "headers": headers}
    content_type = draw(content_types)
    if content_type:
        headers["content-type"] = content_type
    return {"query": query if draw(st.booleans()) else "", "headers": headers, "body": draw(bodies)}


def answers_without_a_5xx(client: TestClient, method: str, path: str) -> None:
    @settings(
        max_examples=100,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(request=malformed_requests(method))
    def check(request: dict[str, Any]) -> None:
        url = f"{path}?{request['query']}" if request["query"] else path
        response = client.request(method, url, headers=request["headers"], content=request.get("body"))

        assert response.status_code < 500, (method, path, request, response.text[:500])
        assert "no-store" in response.headers.get("cache-control", ""), (method, path, response.status_code)
        if response.headers.get("content-type", "").startswith("application/json"):
            assert isinstance(response.json().get("error", ""), str)

    check()


def test_no_oauth_endpoint_answers_malformed_input_with_a_5xx(client: TestClient) -> None:
    routes = oauth_routes(client)
    assert routes, "the app lists no /oauth/ route"
    for method, path in routes:
        answers_without_a_5xx(client, method, path)
