"""Owner login through real Caddy: ChatGPT's default way in, and Claude's without credentials.

The SDK's `OAuthClientProvider` starts from the MCP URL alone: bare 401, our metadata (which now lists
a registration endpoint), dynamic registration, then the login page, whose form the test reads and
posts like a browser (password + form token + the SameSite cookie), the code exchange with PKCE and
no secret, tools/list and a tool call. Then the refusals a user can run into, each with its exact
answer: eleven wrong passwords (429), a client metadata document on a loopback address, a forged
form token.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from argon2 import PasswordHasher

from auth_gateway.authorization_server.pkce import s256_challenge
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.mcp_client import (
    APARTMENT_MEDIAN_10K,
    MemoryStorage,
    apartment_trades,
    connect,
)
from tests.e2e.sdk_sign_in import PasswordLogin, sdk_provider
from tests.e2e.stack_processes import REPO, RecordingMcpServer, Stack, start_stack
from tests.support.document_server import DocumentServer
from tests.support.login_form import parse_login_form

OWNER_PASSWORD = "e2e-owner-password-" + "p" * 8
OWNER_PASSWORD_HASH = PasswordHasher().hash(OWNER_PASSWORD)
REDIRECT_URI = "http://127.0.0.1:9/callback"  # RFC 8252 loopback; never contacted, the 302 is read


def owner_stack(
    home_factory: pytest.TempPathFactory, mcp: RecordingMcpServer, name: str, **extra: str
) -> Stack:
    return start_stack(
        home_factory.mktemp(name),
        mcp,
        AUTH_MODE="oauth",
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
        OWNER_PASSWORD_HASH=OWNER_PASSWORD_HASH,
        **extra,
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer) -> Iterator[Stack]:
    running = owner_stack(tmp_path_factory, mcp_server, "owner-login")
    yield running
    running.stop()


async def test_sdk_registration_owner_login_and_tool_calls(stack: Stack) -> None:
    login = PasswordLogin(password=OWNER_PASSWORD)
    storage = MemoryStorage()
    provider = sdk_provider(stack.url, login, "e2e ChatGPT-like client", [REDIRECT_URI], storage)
    stack.mcp.new_requests()

    async with connect(f"{stack.url}/mcp", auth=provider) as client:
        tools = await client.list_tools()
        data = await apartment_trades(client)

    assert "get_apartment_trades" in {tool.name for tool in tools.tools}
    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K  # type: ignore[index]
    assert storage.client_info is not None
    assert storage.client_info.client_id.startswith("dcr.")  # registered here, not pre-configured
    assert storage.client_info.token_endpoint_auth_method == "none"
    assert storage.client_info.client_secret is None
    assert storage.tokens is not None
    assert storage.tokens.refresh_token
    received = stack.mcp.new_requests()
    assert {r["headers"]["x-auth-subject"] for r in received} == {"owner"}
    assert {r["headers"]["x-auth-client-id"] for r in received} == {storage.client_info.client_id}
    logs = stack.gateway.log() + stack.caddy.log()
    assert OWNER_PASSWORD not in logs
    assert storage.tokens.access_token not in logs
    assert login.result is not None
    assert login.result.code not in logs


def register(stack: Stack, redirect_uri: str = REDIRECT_URI) -> str:
    response = httpx.post(
        f"{stack.url}/oauth/register", json={"client_name": "e2e", "redirect_uris": [redirect_uri]}
    )
    assert response.status_code == 201, response.text
    client_id: str = response.json()["client_id"]
    return client_id


def authorization_url(stack: Stack, client_id: str, redirect_uri: str = REDIRECT_URI) -> str:
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "code_challenge": s256_challenge("v" * 64),
        "code_challenge_method": "S256",
        "state": "e2e-state",
        "resource": f"{stack.url}/mcp",
    }
    return f"{stack.url}/oauth/authorize?{urlencode(query)}"


def test_the_eleventh_wrong_password_in_a_minute_is_429(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer
) -> None:
    stack = owner_stack(tmp_path_factory, mcp_server, "owner-brute-force")
    try:
        with httpx.Client() as browser:
            page = browser.get(authorization_url(stack, register(stack)))
            statuses = []
            for attempt in range(11):
                form = parse_login_form(page.text)  # the first page, then each wrong-password page
                page = browser.post(
                    f"{stack.url}{form.action}", data=form.filled(f"wrong-{attempt}-password")
                )
                statuses.append(page.status_code)
            right = browser.post(f"{stack.url}{form.action}", data=form.filled(OWNER_PASSWORD))
    finally:
        stack.stop()

    assert statuses == [403] * 10 + [429]
    assert "too many wrong passwords" in page.text
    assert 1 <= int(page.headers["retry-after"]) <= 60
    assert right.status_code == 429  # the right password learns nothing while limited
    failures = [json.loads(line) for line in stack.gateway.log().splitlines() if "wrong_password" in line]
    assert len(failures) == 10
    assert {entry["client_ip"] for entry in failures} == {"127.0.0.1"}
    assert "wrong-3-password" not in stack.gateway.log() + stack.caddy.log()


def test_a_client_metadata_document_on_loopback_is_refused(stack: Stack) -> None:
    with DocumentServer(host_name="localhost") as documents:
        documents.put(
            "/client.json",
            lambda url: {"client_id": url, "client_name": "x", "redirect_uris": [REDIRECT_URI]},
        )
        client_id = f"https://localhost:{documents.port}/client.json"

        page = httpx.get(authorization_url(stack, client_id))

        assert documents.hits["/client.json"] == 0
    assert page.status_code == 400
    assert "location" not in page.headers
    assert (
        f"the client metadata document {client_id} cannot be used: its host resolves to a loopback"
        in page.text
    )


def test_a_forged_form_token_is_refused(stack: Stack) -> None:
    with httpx.Client() as browser:
        form = parse_login_form(browser.get(authorization_url(stack, register(stack))).text)
        answer = browser.post(
            f"{stack.url}{form.action}", data={**form.filled(OWNER_PASSWORD), "form_token": "1.forged"}
        )

    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert "the login form expired or did not come from this page in this browser" in answer.text


@pytest.fixture(scope="module")
def loopback_documents_stack(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer
) -> Iterator[Stack]:
    running = owner_stack(tmp_path_factory, mcp_server, "owner-cimd", OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK="true")
    yield running
    running.stop()


async def test_a_client_metadata_document_client_gets_tokens_and_calls_tools(
    loopback_documents_stack: Stack,
) -> None:
    """With the test allowance the document is served from loopback over http; everything else is as
    for a real https document (the SDK itself insists on https client ids, so the flow is by hand)."""
    stack = loopback_documents_stack
    verifier = "v" * 64
    with DocumentServer(host_name="localhost") as documents:
        client_id = documents.put(
            "/oauth/client.json",
            lambda url: {"client_id": url, "client_name": "Metadata Client", "redirect_uris": [REDIRECT_URI]},
        )
        async with httpx.AsyncClient() as browser:
            page = await browser.get(authorization_url(stack, client_id))
            assert "Metadata Client" in page.text
            form = parse_login_form(page.text)
            answer = await browser.post(f"{stack.url}{form.action}", data=form.filled(OWNER_PASSWORD))
            code = dict(parse_qsl(urlsplit(answer.headers["location"]).query))["code"]
            exchange = await browser.post(
                f"{stack.url}/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "client_id": client_id,
                    "code": code,
                    "redirect_uri": REDIRECT_URI,
                    "code_verifier": verifier,
                    "resource": f"{stack.url}/mcp",
                },
            )
    tokens = exchange.json()
    stack.mcp.new_requests()

    async with connect(
        f"{stack.url}/mcp", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    ) as client:
        data = await apartment_trades(client)

    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K  # type: ignore[index]
    assert {r["headers"]["x-auth-client-id"] for r in stack.mcp.new_requests()} == {client_id}


def test_verify_deployment_passes_with_owner_login_and_sees_registration(stack: Stack) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "verify-deployment"), stack.url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    passed = "\n".join(line for line in result.stdout.splitlines() if line.startswith("PASS"))
    assert f"dynamic client registration: {stack.url}/oauth/register" in passed
    assert "registration_endpoint answers" in passed
    # The test registration ChatGPT's way works against the gateway's own /oauth/register too.
    assert "test registration with ChatGPT's redirect URI: client " in passed
