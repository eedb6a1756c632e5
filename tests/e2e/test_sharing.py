"""Sharing without Auth0, through real Caddy, the real gateway and MCP server, and the official SDK.

The owner adds alice with ./scripts/access (a separate process writing the state file the running
gateway uses, as an operator would). Alice signs in at the login page with her name and password, the
owner with the owner's password, and both list and call tools. Then, one command at a time, each
followed by the next request: `user block alice` stops her and not the owner; `close` refuses a new
registration and a new sign-in with a clear answer while the owner's session goes on; `revoke --all`
ends the owner's session too. The MCP server's audit trail names who made each tool call.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import httpx2
import pytest
from mcp.shared.auth import AuthorizationCodeResult

from tests.e2e.mcp_client import (
    APARTMENT_MEDIAN_10K,
    MCP_HEADERS,
    BrowserlessLogin,
    MemoryStorage,
    apartment_trades,
    connect,
)
from tests.e2e.sdk_sign_in import sdk_provider
from tests.e2e.stack_processes import REPO, RecordingMcpServer, Stack
from tests.e2e.test_owner_login import OWNER_PASSWORD, REDIRECT_URI, authorization_url, owner_stack, register
from tests.support.login_form import parse_login_form

ALICE_PASSWORD = "alice-e2e-password-" + "a" * 6


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer) -> Iterator[Stack]:
    running = owner_stack(tmp_path_factory, mcp_server, "sharing")
    yield running
    running.stop()


def access(stack: Stack, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """./scripts/access's Python half against the stack's state file, as the operator runs it."""
    env = {
        "PATH": stack.env["PATH"],
        "HOME": stack.env["HOME"],
        "OAUTH_STATE_PATH": stack.env["OAUTH_STATE_PATH"],
        "AUTH_MODE": "oauth",
        "OWNER_PASSWORD_HASH": stack.env["OWNER_PASSWORD_HASH"],
    }
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "access"), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )


@dataclass
class NamedLogin(BrowserlessLogin):
    """Plays a person's browser at the login page: name and password, then the code from the redirect."""

    name: str = ""
    password: str = ""

    async def open(self, url: str) -> None:
        self.authorization_urls.append(url)
        async with httpx2.AsyncClient() as browser:
            page = await browser.get(url)
            assert page.status_code == 200, page.text
            form = parse_login_form(page.text)
            assert form.name_field is not None, "the page should ask for a name"
            parts = urlsplit(url)
            answer = await browser.post(
                f"{parts.scheme}://{parts.netloc}{form.action}", data=form.filled(self.password, self.name)
            )
        assert answer.status_code == 302, answer.text
        query = dict(parse_qsl(urlsplit(answer.headers["location"]).query))
        self.result = AuthorizationCodeResult(
            code=query["code"], state=query.get("state"), iss=query.get("iss")
        )


async def sign_in_and_call(stack: Stack, name: str, password: str) -> tuple[str, str]:
    """Sign in through the SDK's OAuth flow, list the tools, make one tool call; (client_id, token)."""
    login = NamedLogin(name=name, password=password)
    storage = MemoryStorage()
    provider = sdk_provider(stack.url, login, f"{name}'s app", [REDIRECT_URI], storage)
    async with connect(f"{stack.url}/mcp", auth=provider) as client:
        tools = await client.list_tools()
        data = await apartment_trades(client)
    assert "get_apartment_trades" in {tool.name for tool in tools.tools}
    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K
    assert storage.client_info is not None
    assert storage.tokens is not None
    return storage.client_info.client_id, storage.tokens.access_token


def tools_list_status(stack: Stack, token: str) -> int:
    response = httpx.post(
        f"{stack.url}/mcp",
        content=b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}',
        headers={**MCP_HEADERS, "Authorization": f"Bearer {token}", "Mcp-Protocol-Version": "2025-06-18"},
    )
    return response.status_code


def audit_lines(mcp: RecordingMcpServer) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in mcp.process.log().splitlines() if line.startswith("{")]
    return [line for line in lines if line["logger"] == "mcp_server.audit"]


async def test_alice_and_the_owner_block_close_and_revoke_all(stack: Stack) -> None:
    added = access(stack, "user", "add", "alice", "--password-stdin", stdin=ALICE_PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    stack.mcp.new_requests()  # the MCP server is shared by the session: earlier tests' requests are not ours

    alice_client, alice_token = await sign_in_and_call(stack, "alice", ALICE_PASSWORD)
    owner_client, owner_token = await sign_in_and_call(stack, "owner", OWNER_PASSWORD)

    received = stack.mcp.new_requests()
    assert {r["headers"]["x-auth-subject"] for r in received} == {"alice", "owner"}
    calls = {
        (line["subject"], line["client_id"])
        for line in audit_lines(stack.mcp)
        if line["tool"] == "get_apartment_trades"
    }
    assert ("alice", alice_client) in calls
    assert ("owner", owner_client) in calls
    alice_line = next(line for line in audit_lines(stack.mcp) if line["subject"] == "alice")
    assert (alice_line["region_code"], alice_line["year_month"], alice_line["outcome"]) == (
        "11440",
        "202501",
        "ok",
    )
    assert alice_token not in stack.mcp.process.log()
    assert ALICE_PASSWORD not in stack.mcp.process.log() + stack.gateway.log() + stack.caddy.log()

    sessions = access(stack, "sessions", "--user", "alice")
    assert sessions.returncode == 0, sessions.stderr
    [row] = sessions.stdout.splitlines()[1:]
    assert row.split()[1:3] == ["alice", "alice's"]
    assert "127.0.0.1:9" in row  # the redirect host

    # Block alice: her very next request is refused; the owner's is not.
    blocked = access(stack, "user", "block", "alice")
    assert blocked.returncode == 0, blocked.stderr
    assert blocked.stdout.startswith("blocked alice: sign-ins refused, every session ended at once (1 ")
    assert tools_list_status(stack, alice_token) == 401
    assert tools_list_status(stack, owner_token) == 200
    assert [r["headers"]["x-auth-subject"] for r in stack.mcp.new_requests()] == ["owner"]
    async with httpx.AsyncClient() as browser:  # and she cannot sign in again
        form = parse_login_form((await browser.get(authorization_url(stack, register(stack)))).text)
        again = await browser.post(f"{stack.url}{form.action}", data=form.filled(ALICE_PASSWORD, "alice"))
    assert again.status_code == 403
    assert "This account is blocked" in again.text

    # Close: no new registration or sign-in, with a clear answer; the owner's session goes on.
    pending = register(stack)
    closed = access(stack, "close")
    assert closed.returncode == 0, closed.stderr
    async with httpx.AsyncClient() as browser:
        registration = await browser.post(
            f"{stack.url}/oauth/register", json={"client_name": "late", "redirect_uris": [REDIRECT_URI]}
        )
        page = await browser.get(authorization_url(stack, pending))
    assert registration.status_code == 403
    assert registration.json()["error"] == "access_denied"
    assert "closed to new connections" in registration.json()["error_description"]
    assert page.status_code == 403
    assert "closed to new sign-ins" in page.text
    async with connect(f"{stack.url}/mcp", headers={"Authorization": f"Bearer {owner_token}"}) as client:
        assert await apartment_trades(client)

    # Revoke all: the owner's session ends too.
    revoked = access(stack, "revoke", "--all")
    assert revoked.returncode == 0, revoked.stderr
    assert tools_list_status(stack, owner_token) == 401

    owner_calls = [line for line in audit_lines(stack.mcp) if line["client_id"] == owner_client]
    assert len(owner_calls) == 2  # before the block and while closed; none after revoke --all
    assert [line["client_id"] for line in audit_lines(stack.mcp)].count(alice_client) == 1
    assert access(stack, "open").returncode == 0
