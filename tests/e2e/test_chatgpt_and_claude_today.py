"""Owner login and the `.env` client as ChatGPT and Claude send requests today, through real Caddy.

- ChatGPT's developer-mode apps call back to https://chatgpt.com/connector/oauth/<id>: the SDK, holding
  the `.env` client id and secret, completes authorization with such a callback (the 302 is read, never
  followed).
- ChatGPT names itself with a client ID metadata document, https://chatgpt.com/oauth/<id>/client.json;
  here the document is served from loopback under the test-only OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK (the
  SDK accepts only https document URLs, so the authorization steps are plain HTTP as ChatGPT sends
  them, and the tool call is the SDK's, with the token obtained).
- Both official SDKs add prompt=consent with offline_access: the SDK's own registration and login with
  that scope completes.
- An unapproved self-registered client with a broken request gets our 400 page, never a 302 to its URI.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlsplit

import httpx2
import pytest

from auth_gateway.authorization_server.pkce import s256_challenge
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.mcp_client import (
    APARTMENT_MEDIAN_10K,
    BrowserlessLogin,
    MemoryStorage,
    apartment_trades,
    connect,
)
from tests.e2e.sdk_sign_in import PasswordLogin, sdk_provider
from tests.e2e.stack_processes import Stack, Stacks
from tests.e2e.test_owner_login import OWNER_PASSWORD, OWNER_PASSWORD_HASH
from tests.support.document_server import DocumentServer
from tests.support.login_form import parse_login_form

CHATGPT_APP_ID = "g-6a9fC0nn3ct0r_x"
CHATGPT_APP_CALLBACK = f"https://chatgpt.com/connector/oauth/{CHATGPT_APP_ID}"
SCOPES = "mcp:tools offline_access"


@pytest.fixture(scope="module")
def stack(module_stacks: Stacks) -> Stack:
    return module_stacks.start(
        "clients-today",
        AUTH_MODE="oauth",
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
        OWNER_PASSWORD_HASH=OWNER_PASSWORD_HASH,
        OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK="true",
        # offline_access advertised: the SDK then asks for it, and so adds prompt=consent, as against Auth0.
        OAUTH_SCOPES=SCOPES,
    )


async def test_the_sdk_with_the_env_client_and_chatgpts_per_app_callback(stack: Stack) -> None:
    login = BrowserlessLogin()
    storage = MemoryStorage.pre_registered(
        CLIENT_ID, CLIENT_SECRET, CHATGPT_APP_CALLBACK, "client_secret_post"
    )
    provider = sdk_provider(stack.url, login, "ChatGPT-like", [CHATGPT_APP_CALLBACK], storage)

    async with connect(f"{stack.url}/mcp", auth=provider) as client:
        data = await apartment_trades(client)

    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K
    assert (
        dict(parse_qsl(urlsplit(login.authorization_urls[0]).query))["redirect_uri"] == CHATGPT_APP_CALLBACK
    )


async def test_the_sdk_registers_and_logs_in_with_offline_access_and_prompt_consent(stack: Stack) -> None:
    login = PasswordLogin(password=OWNER_PASSWORD)
    storage = MemoryStorage()
    claude = "https://claude.ai/api/mcp/auth_callback"
    provider = sdk_provider(stack.url, login, f"Claude-like {secrets.token_hex(3)}", [claude], storage)

    async with connect(f"{stack.url}/mcp", auth=provider) as client:
        tools = await client.list_tools()

    assert "get_apartment_trades" in {tool.name for tool in tools.tools}
    sent = dict(parse_qsl(urlsplit(login.authorization_urls[0]).query))
    assert sent["prompt"] == "consent"
    assert "offline_access" in sent["scope"].split()
    assert storage.tokens is not None
    assert storage.tokens.refresh_token


async def test_chatgpts_metadata_document_client_id_through_caddy(stack: Stack) -> None:
    with DocumentServer(host_name="localhost") as documents:
        client_id = documents.put(
            f"/oauth/{CHATGPT_APP_ID}/client.json",
            lambda url: {
                "client_id": url,
                "client_name": "ChatGPT",
                "redirect_uris": [CHATGPT_APP_CALLBACK],
                "token_endpoint_auth_method": "none",
            },
        )
        verifier = secrets.token_urlsafe(48)
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": CHATGPT_APP_CALLBACK,
            "code_challenge": s256_challenge(verifier),
            "code_challenge_method": "S256",
            "state": "chatgpt-state",
            "resource": f"{stack.url}/mcp",
            "scope": SCOPES,
            "prompt": "consent",
            "nonce": "chatgpt-nonce",
        }
        async with httpx2.AsyncClient() as browser:
            page = await browser.get(f"{stack.url}/oauth/authorize", params=query)
            assert page.status_code == 200, page.text
            form = parse_login_form(page.text)
            answer = await browser.post(f"{stack.url}{form.action}", data=form.filled(OWNER_PASSWORD))
            assert answer.status_code == 302, answer.text
            location = answer.headers["location"]
            assert location.startswith(CHATGPT_APP_CALLBACK + "?")
            redirect = dict(parse_qsl(urlsplit(location).query))
            assert redirect["state"] == "chatgpt-state"
            tokens = await browser.post(
                f"{stack.url}/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "client_id": client_id,
                    "code": redirect["code"],
                    "redirect_uri": CHATGPT_APP_CALLBACK,
                    "code_verifier": verifier,
                    "resource": f"{stack.url}/mcp",
                },
            )
        assert tokens.status_code == 200, tokens.text
        access_token = tokens.json()["access_token"]
        stack.mcp.new_requests()

        async with connect(f"{stack.url}/mcp", headers={"Authorization": f"Bearer {access_token}"}) as client:
            data = await apartment_trades(client)

    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K
    received = stack.mcp.new_requests()
    assert {r["headers"]["x-auth-client-id"] for r in received} == {client_id}
    assert {r["headers"]["x-auth-subject"] for r in received} == {"owner"}


def test_an_unapproved_client_is_not_an_open_redirector(stack: Stack) -> None:
    registered = httpx2.post(
        f"{stack.url}/oauth/register",
        json={
            "client_name": f"phish {secrets.token_hex(3)}",
            "redirect_uris": ["https://evil.example/phish"],
        },
    )
    assert registered.status_code == 201

    response = httpx2.get(
        f"{stack.url}/oauth/authorize",
        params={
            "client_id": registered.json()["client_id"],
            "redirect_uri": "https://evil.example/phish",
            "response_type": "x",
        },
    )

    assert response.status_code == 400
    assert "location" not in response.headers
    assert "(unsupported_response_type)" in response.text
    assert response.headers["x-frame-options"] == "DENY"
