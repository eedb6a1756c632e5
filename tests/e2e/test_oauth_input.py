"""Owner login through real Caddy against input an attacker (or a careless client) sends: look-alike
redirect hosts, deeply nested JSON, metadata document URLs the IDNA rules refuse, documents that are not
JSON or may not be cached, and registrations too large to use. The official SDK client is told why its
registration is refused, and signs in with the largest registration that is accepted.

Each refusal has its exact status and error code, no answer is a 5xx, and after all of it the largest
registration the server accepts still signs in, exchanges its code, refreshes and calls the MCP server.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from argon2 import PasswordHasher
from mcp.client.auth import OAuthClientProvider, OAuthRegistrationError

from auth_gateway.authorization_server.pkce import s256_challenge
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.mcp_client import (
    MCP_HEADERS,
    PING,
    BrowserlessLogin,
    connect,
    json_rpc_answer,
)
from tests.e2e.sdk_sign_in import PasswordLogin, sdk_provider
from tests.e2e.stack_processes import Stack, Stacks
from tests.support.document_server import DocumentServer
from tests.support.login_form import parse_login_form
from tests.support.registrations import largest_usable_registration

OWNER_PASSWORD = "e2e-input-owner-" + "w" * 10
LOOPBACK_ORIGIN = "http://127.0.0.1:9"  # RFC 8252 loopback; never contacted, the 302 is read
REDIRECT_URI = f"{LOOPBACK_ORIGIN}/callback"
VERIFIER = "q" * 64


@pytest.fixture(scope="module")
def stack(module_stacks: Stacks) -> Iterator[Stack]:
    running = module_stacks.start(
        "oauth-input",
        AUTH_MODE="oauth",
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
        OWNER_PASSWORD_HASH=PasswordHasher().hash(OWNER_PASSWORD),
        OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK="true",  # the documents below are served from loopback
    )
    yield running
    for process in (running.caddy, running.gateway):
        assert process.alive(), process.fail("died")
    assert "Traceback" not in running.gateway.log()


def json_error(response: httpx.Response, status: int, error: str) -> str:
    """The error_description of an OAuth JSON error with this status and code, never cached."""
    assert (response.status_code, response.headers["cache-control"]) == (status, "no-store"), response.text
    assert response.json()["error"] == error
    return str(response.json()["error_description"])


def error_page(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    assert response.headers["cache-control"] == "no-store"
    assert "location" not in response.headers
    return unescape(response.text)


def authorization_url(stack: Stack, client_id: str, redirect_uri: str = REDIRECT_URI) -> str:
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "code_challenge": s256_challenge(VERIFIER),
        "code_challenge_method": "S256",
        "state": "input-state",
        "resource": f"{stack.url}/mcp",
    }
    return f"{stack.url}/oauth/authorize?{urlencode(query)}"


def register(stack: Stack, metadata: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{stack.url}/oauth/register", json=metadata)


def test_a_deeply_nested_registration_gets_invalid_client_metadata(stack: Stack) -> None:
    body = b"[" * 5000 + b"]" * 5000  # 10 KB, under Caddy's 16 KB limit for /oauth/*

    response = httpx.post(
        f"{stack.url}/oauth/register", content=body, headers={"content-type": "application/json"}
    )

    assert "nests too deeply" in json_error(response, 400, "invalid_client_metadata")


def test_a_look_alike_redirect_host_gets_invalid_redirect_uri(stack: Stack) -> None:
    response = register(stack, {"redirect_uris": ["https://\u0441laude.ai/api/mcp/auth_callback"]})

    description = json_error(response, 400, "invalid_redirect_uri")
    assert "the host name mixes Cyrillic and Latin letters in one label" in description


def test_a_bidi_control_in_a_redirect_host_gets_invalid_redirect_uri(stack: Stack) -> None:
    response = register(stack, {"redirect_uris": ["https://moc.\u202eevil.example/cb"]})

    description = json_error(response, 400, "invalid_redirect_uri")
    assert "the host name contains a bidirectional control character (U+202E)" in description
    assert "\u202e" not in description


def test_a_whole_script_look_alike_is_shown_in_punycode_with_a_warning(stack: Stack) -> None:
    redirect_uri = "https://\u0430\u0440\u0440\u04cf\u0435.com/callback"  # Cyrillic "apple"
    registered = register(stack, {"client_name": "Apple", "redirect_uris": [redirect_uri]})
    assert registered.status_code == 201, registered.text

    page = httpx.get(authorization_url(stack, registered.json()["client_id"], redirect_uri))

    assert page.status_code == 200, page.text
    text = unescape(page.text)
    assert "<dd>xn--80ak6aa92e.com\n" in text
    assert (
        "주의: 이 주소는 브라우저에서 <bdi>\u0430\u0440\u0440\u04cf\u0435.com</bdi>(으)로 보일 수 있습니다"
        in text
    )
    assert "Warning: browsers may show this address as <bdi>\u0430\u0440\u0440\u04cf\u0435.com</bdi>" in text


@pytest.mark.parametrize(
    ("client_id", "problem"),
    [
        (
            "https://cl\u00adaude.ai/oauth/client.json",
            "the host name contains an invisible character (U+00AD)",
        ),
        ("https://\u0301a.example/client.json", "the host name is not a valid internationalised domain name"),
    ],
    ids=["soft-hyphen", "leading-combining-mark"],
)
def test_a_metadata_document_url_the_idna_rules_refuse_gets_the_error_page(
    stack: Stack, client_id: str, problem: str
) -> None:
    page = error_page(httpx.get(authorization_url(stack, client_id)))

    assert f"the client metadata document {client_id} cannot be used: {problem}" in page


def test_a_metadata_document_served_as_html_is_refused(stack: Stack) -> None:
    with DocumentServer(host_name="localhost") as documents:
        client_id = documents.put(
            "/client.json",
            lambda url: {"client_id": url, "redirect_uris": [REDIRECT_URI]},
            headers={"Content-Type": "text/html; charset=utf-8"},
        )

        page = error_page(httpx.get(authorization_url(stack, client_id)))

    assert "it was served as text/html, not application/json" in page


def test_a_no_store_metadata_document_is_fetched_for_every_request(stack: Stack) -> None:
    with DocumentServer(host_name="localhost") as documents:
        client_id = documents.put(
            "/client.json",
            lambda url: {"client_id": url, "client_name": "Fresh", "redirect_uris": [REDIRECT_URI]},
            headers={"Cache-Control": "no-store"},
        )

        pages = [httpx.get(authorization_url(stack, client_id)) for _ in range(2)]

        assert [page.status_code for page in pages] == [200, 200]
        assert documents.hits["/client.json"] == 2


def test_a_registration_too_large_to_use_is_refused_at_registration(stack: Stack) -> None:
    metadata = largest_usable_registration(LOOPBACK_ORIGIN, CLIENT_SECRET)
    one_more = {**metadata, "redirect_uris": [uri + "p" for uri in metadata["redirect_uris"]]}

    description = json_error(register(stack, one_more), 400, "invalid_client_metadata")

    assert "this registration is too large to use" in description
    assert "authorization requests accept at most 2048" in description


def test_the_largest_usable_registration_signs_in_refreshes_and_calls_tools(stack: Stack) -> None:
    metadata = largest_usable_registration(LOOPBACK_ORIGIN, CLIENT_SECRET)
    redirect_uri = metadata["redirect_uris"][-1]
    registered = register(stack, metadata)
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]
    assert len(client_id) > 2040

    with httpx.Client() as browser:
        form = parse_login_form(browser.get(authorization_url(stack, client_id, redirect_uri)).text)
        approved = browser.post(f"{stack.url}{form.action}", data=form.filled(OWNER_PASSWORD))
    assert approved.status_code == 302, approved.text
    code = dict(parse_qsl(urlsplit(approved.headers["location"]).query))["code"]
    tokens = httpx.post(
        f"{stack.url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": VERIFIER,
            "resource": f"{stack.url}/mcp",
        },
    )
    assert tokens.status_code == 200, tokens.text
    refreshed = httpx.post(
        f"{stack.url}/oauth/token",
        data={
            "grant_type": "refresh_token",
            "client_id": client_id,
            "refresh_token": tokens.json()["refresh_token"],
        },
    )
    assert refreshed.status_code == 200, refreshed.text
    stack.mcp.new_requests()

    answer = httpx.post(
        f"{stack.url}/mcp",
        content=PING,
        headers={**MCP_HEADERS, "Authorization": f"Bearer {refreshed.json()['access_token']}"},
    )

    assert answer.status_code == 200, answer.text
    assert json_rpc_answer(answer)["result"] == {}
    assert {r["headers"]["x-auth-client-id"] for r in stack.mcp.new_requests()} == {client_id}


def metadata_provider(stack: Stack, metadata: dict[str, Any], login: BrowserlessLogin) -> OAuthClientProvider:
    return sdk_provider(stack.url, login, metadata["client_name"], metadata["redirect_uris"])


async def test_the_sdk_is_told_why_a_look_alike_redirect_host_cannot_register(stack: Stack) -> None:
    login = PasswordLogin(password=OWNER_PASSWORD)
    metadata = {
        "client_name": "Look-alike",
        "redirect_uris": ["https://\u0441laude.ai/api/mcp/auth_callback"],
    }

    with pytest.raises(ExceptionGroup) as caught:  # raised inside the client's task group
        async with connect(f"{stack.url}/mcp", auth=metadata_provider(stack, metadata, login)) as client:
            await client.list_tools()

    refused = caught.value.subgroup(OAuthRegistrationError)
    assert refused is not None, caught.value
    text = repr(refused)  # the nested errors' messages, as the SDK reports them
    assert "Registration failed: 400" in text
    assert "invalid_redirect_uri" in text
    assert "mixes Cyrillic and Latin letters" in text
    assert login.authorization_urls == []  # nobody was sent to a login page


async def test_the_sdk_signs_in_with_the_largest_usable_registration(stack: Stack) -> None:
    login = PasswordLogin(password=OWNER_PASSWORD)
    metadata = largest_usable_registration(LOOPBACK_ORIGIN, CLIENT_SECRET)
    provider = metadata_provider(stack, metadata, login)

    async with connect(f"{stack.url}/mcp", auth=provider) as client:
        tools = await client.list_tools()

    assert tools.tools
    assert len(login.authorization_urls) == 1
    assert provider.context.client_info is not None
    assert len(provider.context.client_info.client_id or "") > 2040
